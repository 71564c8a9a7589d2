"""Product categories, their repair codes and their seasons.

Each repair code has a typical standard time (minutes, before a manufacturer's own
factor), a typical part price in euros, and whether manufacturers give it a flat
standard time at all (diagnosis-type codes have none: labour is paid as reported).
``onsite`` categories are repaired at the customer's home (travel is billed); the
others are brought to the station's bench (no travel).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RepairCode:
    code: str
    minutes: int            # typical standard time
    part_eur: float         # typical part price, euros (0: labour only)
    standard: bool = True   # False: no flat-rate time in the policies


@dataclass(frozen=True)
class Category:
    name: str
    prefix: str             # product model prefix
    onsite: bool
    #: relative volume per calendar month, January first
    season: tuple[float, ...]
    codes: tuple[RepairCode, ...]


_FLAT = (1.0,) * 12

CATEGORIES: tuple[Category, ...] = (
    Category("washing_machine", "WM", True, (1.05, 1.0, 1.0, 0.95, 0.95, 0.95, 0.9, 0.85, 1.0, 1.05, 1.1, 1.2), (
        RepairCode("WM-PUMP", 45, 38), RepairCode("WM-DRUM-BEARING", 150, 95), RepairCode("WM-PCB", 60, 125),
        RepairCode("WM-DOOR-LOCK", 30, 24), RepairCode("WM-HEATER", 50, 42), RepairCode("WM-MOTOR", 90, 160),
        RepairCode("WM-LEAK-DIAG", 40, 0, standard=False))),
    Category("dishwasher", "DW", True, (1.0, 0.95, 0.95, 0.95, 1.0, 1.0, 0.95, 0.9, 1.0, 1.05, 1.1, 1.35), (
        RepairCode("DW-PUMP", 50, 45), RepairCode("DW-HEATER", 60, 55), RepairCode("DW-PCB", 60, 115),
        RepairCode("DW-SPRAY-ARM", 25, 18), RepairCode("DW-LEAK-DIAG", 45, 0, standard=False))),
    Category("refrigerator", "RF", True, (0.7, 0.7, 0.8, 0.9, 1.1, 1.45, 1.75, 1.7, 1.2, 0.9, 0.75, 0.75), (
        RepairCode("RF-COMPRESSOR", 150, 185), RepairCode("RF-THERMOSTAT", 40, 32), RepairCode("RF-GAS-REFILL", 120, 60),
        RepairCode("RF-FAN", 45, 36), RepairCode("RF-DOOR-SEAL", 30, 28), RepairCode("RF-NOISE-DIAG", 35, 0, standard=False))),
    Category("dryer", "DR", True, (1.35, 1.3, 1.1, 0.9, 0.75, 0.65, 0.6, 0.65, 0.85, 1.1, 1.3, 1.45), (
        RepairCode("DR-BELT", 40, 22), RepairCode("DR-HEAT-PUMP", 120, 210), RepairCode("DR-SENSOR", 35, 30),
        RepairCode("DR-PCB", 60, 120))),
    Category("oven", "OV", True, (0.95, 0.85, 0.85, 0.9, 0.85, 0.8, 0.75, 0.8, 0.95, 1.05, 1.3, 1.75), (
        RepairCode("OV-ELEMENT", 40, 48), RepairCode("OV-THERMOSTAT", 35, 34), RepairCode("OV-DOOR-HINGE", 45, 30),
        RepairCode("OV-PCB", 55, 110), RepairCode("OV-FAN", 40, 40))),
    Category("tv", "TV", True, (1.15, 0.95, 0.9, 0.85, 0.9, 1.05, 1.0, 0.85, 0.9, 1.0, 1.2, 1.4), (
        RepairCode("TV-PANEL", 90, 330), RepairCode("TV-BACKLIGHT", 75, 65), RepairCode("TV-PSU", 45, 72),
        RepairCode("TV-MAINBOARD", 45, 115), RepairCode("TV-SOFTWARE", 30, 0, standard=False))),
    Category("laptop", "LT", False, (1.2, 0.95, 0.9, 0.85, 0.85, 0.85, 0.8, 0.95, 1.4, 1.1, 1.0, 1.15), (
        RepairCode("LT-SCREEN", 45, 145), RepairCode("LT-KEYBOARD", 40, 62), RepairCode("LT-BATTERY", 20, 75),
        RepairCode("LT-MAINBOARD", 60, 310), RepairCode("LT-DIAG", 30, 0, standard=False))),
    Category("vacuum_cleaner", "VC", False, _FLAT, (
        RepairCode("VC-MOTOR", 40, 55), RepairCode("VC-BATTERY", 15, 45), RepairCode("VC-BRUSH-ROLL", 15, 20),
        RepairCode("VC-PCB", 30, 48))),
    Category("coffee_machine", "CM", False, (1.3, 1.15, 1.05, 0.95, 0.85, 0.75, 0.7, 0.75, 0.95, 1.05, 1.15, 1.35), (
        RepairCode("CM-PUMP", 40, 35), RepairCode("CM-GRINDER", 45, 48), RepairCode("CM-DESCALE", 30, 8),
        RepairCode("CM-BOILER", 60, 70), RepairCode("CM-PCB", 35, 65))),
    Category("air_conditioner", "AC", True, (0.35, 0.35, 0.5, 0.75, 1.3, 2.3, 2.9, 2.6, 1.3, 0.6, 0.4, 0.35), (
        RepairCode("AC-COMPRESSOR", 180, 420), RepairCode("AC-GAS-REFILL", 90, 85), RepairCode("AC-FAN", 60, 72),
        RepairCode("AC-PCB", 60, 135), RepairCode("AC-LEAK-DIAG", 50, 0, standard=False))),
)

CATEGORIES_BY_NAME = {c.name: c for c in CATEGORIES}
CATEGORY_INDEX = {c.name: i for i, c in enumerate(CATEGORIES)}

#: Every repair code of the network, in a fixed order (index = code number).
ALL_CODES: tuple[RepairCode, ...] = tuple(rc for c in CATEGORIES for rc in c.codes)
CODE_INDEX = {rc.code: i for i, rc in enumerate(ALL_CODES)}
#: category index of each code
CODE_CATEGORY = np.array([CATEGORY_INDEX[c.name] for c in CATEGORIES for _ in c.codes], dtype=np.int64)

#: Document types the network knows, in bit order (bit i = DOC_TYPES[i]).
DOC_TYPES = ("proof_of_purchase", "technician_report", "photo_before", "photo_after",
             "defective_part_photo", "serial_plate_photo", "customer_signature")
DOC_BIT = {d: 1 << i for i, d in enumerate(DOC_TYPES)}


def season_matrix() -> np.ndarray:
    """``[category, month_of_year]`` relative volume."""
    return np.array([c.season for c in CATEGORIES], dtype=np.float64)


def codes_of(category: str) -> np.ndarray:
    """Indices (into :data:`ALL_CODES`) of a category's repair codes."""
    return np.array([CODE_INDEX[rc.code] for rc in CATEGORIES_BY_NAME[category].codes], dtype=np.int64)
