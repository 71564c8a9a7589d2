"""The manufacturers' billing policies (``policy-format.md``): built, written as TOML, resolved.

Each manufacturer gets a European base, country overrides (VAT everywhere it
differs, currency and every money amount where the brand pays in the local
currency, labour rates), a few region overrides, dated versions that change rates,
standard times and required documents, score weights and bonus tiers where the
brand uses them. M01 also has an agreement with one remote station. M04's first
version starts months after its first interventions, so those are ``NO_POLICY``.

The generator never re-reads the TOML: it resolves this structure with
:func:`resolve`, which follows the format's resolution rules, and the tests parse
the written TOML back to check that it says the same thing.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from analytics.demo.geography import COUNTRIES, COUNTRIES_BY_CODE
from analytics.demo.network import MANUFACTURERS, Network
from analytics.demo.products import (
    ALL_CODES,
    CATEGORIES,
    CATEGORY_INDEX,
    CATEGORIES_BY_NAME,
    CODE_INDEX,
    DOC_BIT,
)

#: Local currency units for one euro, to write money amounts of local-currency overrides.
PER_EUR = {"PLN": Decimal("4.30"), "SEK": Decimal("11.40"), "CZK": Decimal("24.70"), "DKK": Decimal("7.46")}
MONEY_KEYS = ("labor_rate_per_hour", "no_fault_found_fee", "travel_flat_fee", "travel_rate_per_km")
TABLE_KEYS = ("standard_minutes", "required_documents_by_coverage", "required_documents_by_category")
BASE_ONLY = ("score_weights", "bonus_tiers")
COVERAGE_INDEX = {"warranty": 0, "extended": 1, "goodwill": 2}


def D(text: str | float | int) -> Decimal:
    return Decimal(str(text))


def _local(amount: Decimal, currency: str, per_km: bool = False) -> Decimal:
    value = amount * PER_EUR[currency]
    if per_km:
        return value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    step = Decimal("0.50") if value < 100 else Decimal("1")
    return ((value / step).quantize(Decimal("1"), ROUND_HALF_UP) * step).quantize(Decimal("0.01"))


# One line per manufacturer: the knobs that make their policies differ.
_SPECS = {
    "M01": dict(
        versions=(date(2023, 1, 1), date(2024, 7, 1)), labor="46.00", nff="35.00", flat="18.00", free_km=20,
        per_km="0.40", max_km=100, markup="0.10", warranty=24, extended=60, deadline=30, repeat=30,
        labor_tol="0.25", amount_tol="0.02", minutes_factor=1.0, local=("PL", "SE", "CZ", "DK"),
        labor_by_country={"FR": "52.00", "DE": "54.00", "IT": "42.00", "PT": "36.00", "HU": "31.00", "IE": "50.00"},
        regions={"FR10": {"travel_flat_fee": "25.00"}, "SE33": {"max_travel_km": 250, "travel_free_km": 40},
                 "AT33": {"max_travel_km": 140}, "ITI4": {"travel_free_km": 15}},
        docs=dict(required=["technician_report"],
                  by_coverage={"warranty": ["proof_of_purchase"], "extended": ["proof_of_purchase"]},
                  by_category={"dryer": ["serial_plate_photo"]}),
        v2_docs={"refrigerator": ["defective_part_photo"]},
        weights={"first_time_fix_rate": "0.30", "repeat_rate": "0.30", "tat_days_median": "0.20",
                 "doc_complete_rate": "0.10", "dispute_rate": "0.10"},
        tiers=[dict(min_score=80, labor_adjustment="0.03"), dict(min_score=0, max_score=40, labor_adjustment="-0.02")],
        growth="1.04",
    ),
    "M02": dict(
        versions=(date(2023, 1, 1), date(2024, 1, 1), date(2025, 4, 1)), labor="52.00", nff="30.00",
        flat="22.00", free_km=15, per_km="0.45", max_km=80, markup="0.08", warranty=24, extended=48,
        deadline=21, repeat=45, labor_tol="0.20", amount_tol="0.01", minutes_factor=0.9,
        local=("PL", "SE", "CZ", "DK"),
        labor_by_country={"DE": "58.00", "NL": "56.00", "IT": "47.00", "ES": "45.00", "PT": "40.00", "HU": "34.00"},
        regions={"DE21": {"travel_flat_fee": "26.00"}, "PL91": {"labor_rate_per_hour": "240.00"}},
        docs=dict(required=["technician_report"],
                  by_coverage={"warranty": ["proof_of_purchase"], "extended": ["proof_of_purchase"]},
                  by_category={"tv": ["serial_plate_photo"], "laptop": ["serial_plate_photo"]}),
        country_docs={"DE": ["technician_report", "customer_signature"]},
        v2_docs={"tv": ["serial_plate_photo", "photo_before"]},
        weights={"tat_days_median": "0.30", "first_time_fix_rate": "0.25", "doc_complete_rate": "0.15",
                 "customer_rating_avg": "0.15", "dispute_rate": "0.15"},
        tiers=[dict(min_score=85, labor_adjustment="0.05"), dict(min_score=60, labor_adjustment="0.02"),
               dict(min_score=0, max_score=30, labor_adjustment="-0.03")],
        growth="1.03",
    ),
    "M03": dict(
        versions=(date(2023, 1, 1), date(2025, 1, 1)), labor="44.00", nff="28.00", flat="15.00", free_km=25,
        per_km="0.35", max_km=90, markup="0.12", warranty=24, extended=36, deadline=45, repeat=30,
        labor_tol="0.30", amount_tol="0.03", minutes_factor=1.1, local=("PL",),
        labor_by_country={"FR": "48.00", "DE": "50.00", "NL": "50.00", "PT": "35.00", "HU": "30.00", "CZ": "34.00"},
        regions={"ITG1": {"travel_flat_fee": "20.00", "max_travel_km": 130}},
        docs=dict(required=["technician_report"],
                  by_coverage={"warranty": ["proof_of_purchase"]},
                  by_category={"coffee_machine": ["photo_before"]}),
        v2_docs={"oven": ["photo_after"]},
        weights=None, tiers=None, growth="1.05",
    ),
    "M04": dict(
        versions=(date(2023, 9, 1), date(2025, 3, 1)), labor="55.00", nff="40.00", flat="25.00", free_km=30,
        per_km="0.50", max_km=150, markup="0.10", warranty=36, extended=60, deadline=30, repeat=60,
        labor_tol="0.25", amount_tol="0.02", minutes_factor=1.0, local=("PL",),
        labor_by_country={"FR": "58.00", "AT": "60.00", "PT": "42.00", "HU": "36.00"},
        regions={"ES61": {"max_travel_km": 200}, "FRL0": {"travel_flat_fee": "28.00"}},
        docs=dict(required=["technician_report", "photo_after"],
                  by_coverage={"warranty": ["proof_of_purchase"], "extended": ["proof_of_purchase"]},
                  by_category={"air_conditioner": ["serial_plate_photo"]}),
        v2_docs={"refrigerator": ["defective_part_photo"]},
        weights={"first_time_fix_rate": "0.40", "repeat_rate": "0.40", "on_time_submission_rate": "0.20"},
        tiers=[dict(min_score=75, labor_adjustment="0.04")],
        growth="1.06",
    ),
}


def build_policies(rng: np.random.Generator, network: Network) -> dict[str, dict]:
    """``{manufacturer_id: {"manufacturer_id": ..., "versions": [version dict, ...]}}``."""
    policies = {}
    for mi, m in enumerate(MANUFACTURERS):
        spec = _SPECS[m.manufacturer_id]
        countries = m.countries or tuple(c.code for c in COUNTRIES)
        codes = [rc for cat in m.categories for rc in CATEGORIES_BY_NAME[cat].codes if rc.standard]
        minutes = {rc.code: int(5 * round(rc.minutes * spec["minutes_factor"] * rng.uniform(0.85, 1.15) / 5))
                   for rc in codes}
        versions = []
        for vi, valid_from in enumerate(spec["versions"]):
            growth = D(spec["growth"]) ** vi
            base = {
                "currency": "EUR",
                "vat_rate": D("0.20"),
                "labor_rate_per_hour": (D(spec["labor"]) * growth).quantize(Decimal("0.01"), ROUND_HALF_UP),
                "no_fault_found_fee": D(spec["nff"]),
                "travel_flat_fee": D(spec["flat"]),
                "travel_free_km": spec["free_km"],
                "travel_rate_per_km": D(spec["per_km"]),
                "max_travel_km": spec["max_km"],
                "parts_markup": D(spec["markup"]),
                "warranty_months": spec["warranty"],
                "extended_months": spec["extended"],
                "submission_deadline_days": spec["deadline"],
                "repeat_window_days": spec["repeat"],
                "labor_tolerance": D(spec["labor_tol"]),
                "amount_tolerance": D(spec["amount_tol"]),
                "required_documents": list(spec["docs"]["required"]),
                "required_documents_by_coverage": {k: list(v) for k, v in spec["docs"]["by_coverage"].items()},
                "required_documents_by_category": {k: list(v) for k, v in spec["docs"]["by_category"].items()},
            }
            if vi > 0:
                base["required_documents_by_category"].update(spec["v2_docs"])
                # each later version revises some standard times
                for code in sorted(minutes):
                    if rng.random() < 0.3:
                        minutes[code] = int(5 * round(minutes[code] * rng.uniform(0.85, 1.2) / 5))
            base["standard_minutes"] = dict(sorted(minutes.items()))
            if spec["weights"]:
                base["score_weights"] = {k: D(v) for k, v in spec["weights"].items()}
            if spec["tiers"]:
                base["bonus_tiers"] = [
                    {k: (D(v) if k == "labor_adjustment" else v) for k, v in t.items()} for t in spec["tiers"]
                ]
            territory = {}
            for code in countries:
                country = COUNTRIES_BY_CODE[code]
                over = {}
                labor = spec["labor_by_country"].get(code)
                if code in spec["local"]:
                    over["currency"] = country.currency
                    for key in MONEY_KEYS:
                        eur = D(labor) * growth if key == "labor_rate_per_hour" and labor else base[key]
                        over[key] = _local(eur, country.currency, per_km=key == "travel_rate_per_km")
                elif labor:
                    over["labor_rate_per_hour"] = (D(labor) * growth).quantize(Decimal("0.01"), ROUND_HALF_UP)
                if D(country.vat_rate) != base["vat_rate"]:
                    over["vat_rate"] = D(country.vat_rate)
                if code in spec.get("country_docs", {}):
                    over["required_documents"] = list(spec["country_docs"][code])
                regions = {}
                for r in country.regions:
                    if r.code in spec["regions"]:
                        # money in a region override is in the country's currency
                        regions[r.code] = {k: (D(v) if isinstance(v, str) else v)
                                           for k, v in spec["regions"][r.code].items()}
                if regions:
                    over["regions"] = regions
                if over:
                    territory[code] = over
            station = {}
            if mi == 0:
                station[network.agreement_station] = {"max_travel_km": 160}
            versions.append({"valid_from": valid_from, "base": base, "territory": territory, "station": station})
        policies[m.manufacturer_id] = {"manufacturer_id": m.manufacturer_id, "versions": versions}
    return policies


# ---------------------------------------------------------------- resolution

def resolve(version: dict, country: str, region: str | None, station_id: str) -> dict:
    """The policy of one version for one station: base, then country, region, station overrides."""
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in version["base"].items()}
    levels = []
    terr = version["territory"].get(country)
    if terr:
        levels.append({k: v for k, v in terr.items() if k != "regions"})
        if region is not None and region in terr.get("regions", {}):
            levels.append(terr["regions"][region])
    if station_id in version["station"]:
        levels.append(version["station"][station_id])
    for level in levels:
        for key, value in level.items():
            if key in TABLE_KEYS:
                out[key] = {**out.get(key, {}), **value}
            else:
                out[key] = value
    return out


def required_documents(resolved: dict, coverage: str, category: str) -> set[str]:
    docs = set(resolved.get("required_documents", []))
    docs |= set(resolved.get("required_documents_by_coverage", {}).get(coverage, []))
    docs |= set(resolved.get("required_documents_by_category", {}).get(category, []))
    return docs


# ---------------------------------------------------------------- TOML

_BARE_KEY = re.compile(r"^[A-Za-z0-9_]+$")


def _key(k: str) -> str:
    return k if _BARE_KEY.match(k) else json.dumps(k)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Decimal)):
        return str(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {v!r} as TOML")


def _table(lines: list[str], header: str, table: dict) -> None:
    """Write ``[header]`` with its scalars, then its sub-tables (recursively)."""
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict) and not (
        isinstance(v, list) and v and isinstance(v[0], dict))}
    if scalars or not table:  # a table holding only sub-tables needs no header of its own
        lines.append("")
        lines.append(f"[{header}]")
    for k, v in scalars.items():
        lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in table.items():
        if isinstance(v, dict):
            _table(lines, f"{header}.{_key(k)}", v)
    for k, v in table.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            for item in v:
                lines.append("")
                lines.append(f"[[{header}.{_key(k)}]]")
                for ik, iv in item.items():
                    lines.append(f"{_key(ik)} = {_value(iv)}")


def to_toml(policy: dict) -> str:
    m = MANUFACTURERS[[x.manufacturer_id for x in MANUFACTURERS].index(policy["manufacturer_id"])]
    lines = [f"# Billing policy of {m.name} (Clairvoie demo network, generated)",
             f"manufacturer_id = {_value(policy['manufacturer_id'])}"]
    for version in policy["versions"]:
        lines.append("")
        lines.append("[[version]]")
        lines.append(f"valid_from = {_value(version['valid_from'])}")
        _table(lines, "version.base", version["base"])
        for country, over in version["territory"].items():
            _table(lines, f"version.territory.{_key(country)}", over)
        for station, over in version["station"].items():
            _table(lines, f"version.station.{_key(station)}", over)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- arrays for the generator

@dataclass
class PolicyArrays:
    """Resolved policy values per (pair, version), as integers for exact arithmetic.

    Money in cents, km in tenths, shares in basis points (1/10,000), VAT in millionths.
    ``valid_from[m, v]`` is the day number of version ``v`` of manufacturer ``m``
    (a huge number for padding); ``std[p, v, code]`` is -1 without a standard time.
    """

    valid_from: np.ndarray
    currency: np.ndarray        # per pair: index into currencies
    currencies: list[str]
    labor_cents: np.ndarray
    nff_cents: np.ndarray
    flat_cents: np.ndarray
    per_km_cents: np.ndarray
    free_km10: np.ndarray
    max_km10: np.ndarray
    markup_bp: np.ndarray
    warranty_months: np.ndarray
    extended_months: np.ndarray
    deadline_days: np.ndarray
    repeat_days: np.ndarray
    labor_tol_bp: np.ndarray
    amount_tol_bp: np.ndarray
    vat_micro: np.ndarray
    std: np.ndarray
    doc_base: np.ndarray        # [p, v] bit mask
    doc_cov: np.ndarray         # [p, v, coverage]
    doc_cat: np.ndarray         # [p, v, category]


def _exact(value, scale: int) -> int:
    scaled = Decimal(value) * scale
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more decimals than the generator handles")
    return int(scaled)


def _mask(docs) -> int:
    out = 0
    for d in docs:
        out |= DOC_BIT[d]
    return out


def policy_arrays(policies: dict[str, dict], network: Network) -> PolicyArrays:
    n_pairs = network.n_pairs
    n_versions = max(len(p["versions"]) for p in policies.values())
    shape = (n_pairs, n_versions)
    valid_from = np.full((len(MANUFACTURERS), n_versions), 10**9, dtype=np.int64)
    ints = {name: np.zeros(shape, dtype=np.int64) for name in (
        "labor_cents", "nff_cents", "flat_cents", "per_km_cents", "free_km10", "max_km10", "markup_bp",
        "warranty_months", "extended_months", "deadline_days", "repeat_days", "labor_tol_bp", "amount_tol_bp",
        "vat_micro", "doc_base")}
    std = np.full((n_pairs, n_versions, len(ALL_CODES)), -1, dtype=np.int64)
    doc_cov = np.zeros((n_pairs, n_versions, len(COVERAGE_INDEX)), dtype=np.int64)
    doc_cat = np.zeros((n_pairs, n_versions, len(CATEGORIES)), dtype=np.int64)
    currencies = ["EUR"] + sorted(PER_EUR)
    currency = np.zeros(n_pairs, dtype=np.int64)
    for mi, m in enumerate(MANUFACTURERS):
        for vi, v in enumerate(policies[m.manufacturer_id]["versions"]):
            valid_from[mi, vi] = (v["valid_from"] - date(1970, 1, 1)).days
    for p in range(n_pairs):
        s, mi = network.pair_station[p], network.pair_manu[p]
        versions = policies[MANUFACTURERS[mi].manufacturer_id]["versions"]
        seen_currency = set()
        for vi in range(n_versions):
            # padding versions repeat the last one (never in force: valid_from is huge)
            r = resolve(versions[min(vi, len(versions) - 1)], network.station_country[s],
                        network.station_region[s], network.station_ids[s])
            seen_currency.add(r["currency"])
            ints["labor_cents"][p, vi] = _exact(r["labor_rate_per_hour"], 100)
            ints["nff_cents"][p, vi] = _exact(r["no_fault_found_fee"], 100)
            ints["flat_cents"][p, vi] = _exact(r["travel_flat_fee"], 100)
            ints["per_km_cents"][p, vi] = _exact(r["travel_rate_per_km"], 100)
            ints["free_km10"][p, vi] = _exact(r["travel_free_km"], 10)
            ints["max_km10"][p, vi] = _exact(r["max_travel_km"], 10)
            ints["markup_bp"][p, vi] = _exact(r["parts_markup"], 10000)
            ints["warranty_months"][p, vi] = r["warranty_months"]
            ints["extended_months"][p, vi] = r["extended_months"]
            ints["deadline_days"][p, vi] = r["submission_deadline_days"]
            ints["repeat_days"][p, vi] = r["repeat_window_days"]
            ints["labor_tol_bp"][p, vi] = _exact(r["labor_tolerance"], 10000)
            ints["amount_tol_bp"][p, vi] = _exact(r["amount_tolerance"], 10000)
            ints["vat_micro"][p, vi] = _exact(r["vat_rate"], 10**6)
            ints["doc_base"][p, vi] = _mask(r.get("required_documents", []))
            for code, minutes in r.get("standard_minutes", {}).items():
                std[p, vi, CODE_INDEX[code]] = minutes
            for cov, docs in r.get("required_documents_by_coverage", {}).items():
                doc_cov[p, vi, COVERAGE_INDEX[cov]] = _mask(docs)
            for cat, docs in r.get("required_documents_by_category", {}).items():
                doc_cat[p, vi, CATEGORY_INDEX[cat]] = _mask(docs)
        # The importer refuses an invoice in another currency than the policy's; the
        # generator invoices per (station, manufacturer), so the currency must not
        # change between versions.
        assert len(seen_currency) == 1, (p, seen_currency)
        currency[p] = currencies.index(seen_currency.pop())
    return PolicyArrays(valid_from=valid_from, currency=currency, currencies=currencies, std=std,
                        doc_cov=doc_cov, doc_cat=doc_cat, **ints)
