"""A small hand-built store for engine tests: every verification rule and its edges.

``build()`` returns an in-memory, migrated DuckDB connection holding the rows below plus
the policies of M01 and M02 (stored with ``policy_format.store_policy``), refreshed by
``engine.refresh``. Expected values are written next to the rows (and asserted in
``tests/test_engine_verification.py``); reuse it freely, but add rows rather than
changing existing ones (the hand-computed expectations depend on them).

Policies
--------
M01 v2024-01-01 base: EUR, vat 0.20, labour 48.50/h, NFF fee 35, travel flat 18 + 0.40/km beyond
    20 km up to 100 km, parts +10 %, warranty 24 / extended 60 months, deadline 30 d, repeat window
    30 d, labour tolerance 25 %, amount tolerance 2 %; requires technician_report (+ proof_of_purchase
    for warranty/extended, + serial_plate_photo for tv); standard WM-PUMP 60, WM-DRUM 150.
    FR: labour 52, flat 20, standard WM-PUMP 45 (WM-DRUM stays 150: tables merge).
    FR/FR10: flat 25.  PL: PLN, vat 0.23, labour 190, flat 70.
    station S_MTN: max 160 km, required_documents = [] (lists replace).
M01 v2025-07-01: same but base labour 50, FR labour 55, repeat window 45.
M02 v2024-01-01: EUR, vat 0.2, labour 60/h, warranty 18 / extended 30 months, nothing required.
M03, M04: no policy (NO_POLICY).

Stations: S_FR (FR, FR10), S_FR2 (FR, FR30), S_DE (DE, no region), S_DEX (DE, region 'FR10':
a region override needs the country too), S_PL (PL, PL91), S_MTN (FR, FR10, own agreement).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import duckdb

from analytics.engine import models
from analytics.contract import policy_format
from analytics.core import store
from analytics.engine import changes, publishing

D = dt.date.fromisoformat

M01_BASE_SCALARS = """\
currency = "EUR"
vat_rate = 0.20
labor_rate_per_hour = 48.50
no_fault_found_fee = 35.00
travel_flat_fee = 18.00
travel_free_km = 20
travel_rate_per_km = 0.40
max_travel_km = 100
parts_markup = 0.10
warranty_months = 24
extended_months = 60
submission_deadline_days = 30
repeat_window_days = 30
labor_tolerance = 0.25
amount_tolerance = 0.02
"""

M01_V2_SCALARS = (M01_BASE_SCALARS.replace("labor_rate_per_hour = 48.50", "labor_rate_per_hour = 50.00")
                  .replace("repeat_window_days = 30", "repeat_window_days = 45"))

M01_TOML = f"""\
manufacturer_id = "M01"

[[version]]
valid_from = 2024-01-01

[version.base]
{M01_BASE_SCALARS}required_documents = ["technician_report"]

[version.base.required_documents_by_coverage]
warranty = ["proof_of_purchase"]
extended = ["proof_of_purchase"]

[version.base.required_documents_by_category]
tv = ["serial_plate_photo"]

[version.base.standard_minutes]
"WM-PUMP" = 60
"WM-DRUM" = 150

[version.base.score_weights]
first_time_fix_rate = 0.30
repeat_rate = 0.30
tat_days_median = 0.20
doc_complete_rate = 0.10
dispute_rate = 0.10

[[version.base.bonus_tiers]]
min_score = 80
labor_adjustment = 0.03

[[version.base.bonus_tiers]]
min_score = 0
max_score = 40
labor_adjustment = -0.02

[version.territory.FR]
labor_rate_per_hour = 52.00
travel_flat_fee = 20.00

[version.territory.FR.standard_minutes]
"WM-PUMP" = 45

[version.territory.FR.regions.FR10]
travel_flat_fee = 25.00

[version.territory.PL]
currency = "PLN"
vat_rate = 0.23
labor_rate_per_hour = 190.00
travel_flat_fee = 70.00

[version.station.S_MTN]
max_travel_km = 160
required_documents = []

[[version]]
valid_from = 2025-07-01

[version.base]
{M01_V2_SCALARS}required_documents = ["technician_report"]

[version.territory.FR]
labor_rate_per_hour = 55.00
"""

M02_TOML = """\
manufacturer_id = "M02"

[[version]]
valid_from = 2024-01-01

[version.base]
currency = "EUR"
vat_rate = 0.2
labor_rate_per_hour = 60
no_fault_found_fee = 30
travel_flat_fee = 10
travel_free_km = 0
travel_rate_per_km = 0.5
max_travel_km = 50
parts_markup = 0
warranty_months = 18
extended_months = 30
submission_deadline_days = 10
repeat_window_days = 30
labor_tolerance = 0.5
amount_tolerance = 0
"""

MANUFACTURERS = [("M01", "Brand One"), ("M02", "Brand Two"), ("M03", "Brand Three"), ("M04", "Brand Four")]

STATIONS = [
    ("S_FR", "Paris Repair", "FR", "FR10", "Paris"),
    ("S_FR2", "Lyon Repair", "FR", "FR30", "Lyon"),
    ("S_DE", "Berlin Repair", "DE", None, "Berlin"),
    ("S_DEX", "Odd Region", "DE", "FR10", None),
    ("S_PL", "Warsaw Repair", "PL", "PL91", "Warsaw"),
    ("S_MTN", "Mountain Repair", "FR", "FR10", "Chamonix"),
]

INTERVENTION_COLUMNS = (
    "intervention_id", "manufacturer_id", "station_id", "product_category", "product_model", "serial_number",
    "purchase_date", "coverage", "repair_code", "requested_on", "completed_on", "submitted_on", "visits",
    "labor_minutes", "travel_km", "parts_cost", "outcome", "customer_rating",
)
#: An insert of one contract row of `interventions` (its columns named: the store adds the engine's
#: iv_key, migration 007, given by the engine to rows written without the importer).
INSERT_INTERVENTION = (f"INSERT INTO interventions ({', '.join(INTERVENTION_COLUMNS)}) "
                       f"VALUES ({', '.join('?' * len(INTERVENTION_COLUMNS))})")

DEFAULTS = dict(
    manufacturer_id="M01", station_id="S_DE", product_category="washing_machine", product_model=None,
    purchase_date=D("2023-06-01"), coverage="goodwill", repair_code="WM-OTHER",
    requested_on=D("2024-03-01"), completed_on=D("2024-03-02"), submitted_on=D("2024-03-05"), visits=1,
    labor_minutes=60, travel_km=Decimal("0"), parts_cost=Decimal("0"), outcome="repaired", customer_rating=None,
)

#: (intervention_id, overrides, documents) — documents default to a technician_report received on
#: the submission day; expected calculated amounts and findings are in the comment.
CASES: list[tuple[str, dict, list[str] | None]] = [
    # --- amounts (S_DE: base policy only; goodwill; technician_report present) -----------------
    ("A_LAB15", dict(labor_minutes=15), None),                      # 15/60*48.50 = 12.125 -> 12.13
    ("A_TRAV150", dict(travel_km=Decimal("150")), None),            # labour 48.50; travel 18+(100-20)*0.4 = 50.00; TRAVEL_OVER_CAP
    ("A_TRAV100", dict(travel_km=Decimal("100")), None),            # 48.50 + 50.00 = 98.50
    ("A_TRAV10", dict(travel_km=Decimal("10")), None),              # 48.50 + 18.00
    ("A_TRAV205", dict(travel_km=Decimal("20.5")), None),           # 48.50 + 18.20
    ("A_PARTS", dict(parts_cost=Decimal("12.35")), None),           # 48.50 + 13.585 -> 13.59
    ("A_NULLS", dict(travel_km=None, parts_cost=None), None),       # empty = 0: 48.50
    ("A_NFF", dict(outcome="no_fault_found", labor_minutes=90), None),  # labour = fee 35.00
    # --- territory resolution (travel 30 km) ------------------------------------------------
    ("T_FR10", dict(station_id="S_FR", travel_km=Decimal("30")), None),   # labour 52; 25 + 4 = 29.00 (region beats country)
    ("T_FR30", dict(station_id="S_FR2", travel_km=Decimal("30")), None),  # 52; 20 + 4 = 24.00 (country)
    ("T_DEX", dict(station_id="S_DEX", travel_km=Decimal("30")), None),   # 48.50; 18 + 4 = 22.00 (region needs FR)
    ("T_MTN", dict(station_id="S_MTN", travel_km=Decimal("150")), []),    # 52; 25 + 130*0.4 = 77.00; no cap, no doc needed
    ("T_PL", dict(station_id="S_PL"), None),                             # 190.00 PLN
    # --- standard minutes and LABOR_OVER_STANDARD (S_FR: WM-PUMP 45 from FR, WM-DRUM 150 from base)
    ("L_PUMP60", dict(station_id="S_FR", repair_code="WM-PUMP", labor_minutes=60), None),  # 60 > 56.25: fires; labour 45/60*52 = 39.00
    ("L_PUMP56", dict(station_id="S_FR", repair_code="WM-PUMP", labor_minutes=56), None),  # 56 <= 56.25: no; 39.00
    ("L_DRUM187", dict(station_id="S_FR", repair_code="WM-DRUM", labor_minutes=187), None),  # 187 <= 187.5: no; 130.00
    ("L_DRUM188", dict(station_id="S_FR", repair_code="WM-DRUM", labor_minutes=188), None),  # fires; 130.00
    # --- version boundary (S_FR, 60 min): v2024 until 2025-06-30, v2025 from 2025-07-01 ----------
    ("V_0630", dict(station_id="S_FR", requested_on=D("2025-06-30"), completed_on=D("2025-06-30"),
                    submitted_on=D("2025-06-30")), None),                                  # 52.00
    ("V_0701", dict(station_id="S_FR", requested_on=D("2025-06-30"), completed_on=D("2025-07-01"),
                    submitted_on=D("2025-07-01")), None),                                  # 55.00
    # --- deadline (completed 2024-03-02) ---------------------------------------------------
    ("D_30", dict(submitted_on=D("2024-04-01")), None),     # 30 days: on time
    ("D_31", dict(submitted_on=D("2024-04-02")), None),     # 31 days: LATE_SUBMISSION
    # --- repeats (serial shared, another station for the second) -----------------------------
    ("R1_A", dict(serial_number="SER-R1", requested_on=D("2024-01-10"), completed_on=D("2024-01-15"),
                  submitted_on=D("2024-01-16")), None),
    ("R1_B", dict(serial_number="SER-R1", station_id="S_FR2", requested_on=D("2024-02-14"),
                  completed_on=D("2024-02-15"), submitted_on=D("2024-02-16")), None),   # gap 30: REPEAT_REPAIR, labour 0
    ("R2_A", dict(serial_number="SER-R2", requested_on=D("2024-01-10"), completed_on=D("2024-01-15"),
                  submitted_on=D("2024-01-16")), None),
    ("R2_B", dict(serial_number="SER-R2", requested_on=D("2024-02-15"), completed_on=D("2024-02-15"),
                  submitted_on=D("2024-02-16")), None),   # gap 31: not a repeat, 48.50
    ("SD_2", dict(serial_number="SER-SD", requested_on=D("2024-05-01"), completed_on=D("2024-05-01"),
                  submitted_on=D("2024-05-02")), None),   # same day: SD_1 < SD_2, so SD_2 is the comeback
    ("SD_1", dict(serial_number="SER-SD", requested_on=D("2024-05-01"), completed_on=D("2024-05-01"),
                  submitted_on=D("2024-05-02")), None),
    ("X_M02", dict(manufacturer_id="M02", serial_number="SER-R1", requested_on=D("2024-02-01"),
                   completed_on=D("2024-02-01"), submitted_on=D("2024-02-01")), None),  # other brand: no comeback
    # --- warranty (M02: 18 / 30 months, nothing required; 60/h) -----------------------------
    ("W_0229", dict(manufacturer_id="M02", coverage="warranty", purchase_date=D("2022-08-31"),
                    requested_on=D("2024-02-29"), completed_on=D("2024-03-01"), submitted_on=D("2024-03-01")), None),
    ("W_0301", dict(manufacturer_id="M02", coverage="warranty", purchase_date=D("2022-08-31"),
                    requested_on=D("2024-03-01"), completed_on=D("2024-03-01"), submitted_on=D("2024-03-01")), None),
    ("E_0301", dict(manufacturer_id="M02", coverage="extended", purchase_date=D("2021-08-31"),
                    requested_on=D("2024-03-01"), completed_on=D("2024-03-01"), submitted_on=D("2024-03-01")), None),
    ("G_OLD", dict(manufacturer_id="M02", coverage="goodwill", purchase_date=D("2010-01-01"),
                   requested_on=D("2024-03-01"), completed_on=D("2024-03-01"), submitted_on=D("2024-03-01")), None),
    ("P_MISS", dict(manufacturer_id="M02", coverage="warranty", purchase_date=None,
                    requested_on=D("2024-03-01"), completed_on=D("2024-03-01"), submitted_on=D("2024-03-01")), None),
    # --- policy boundary and NO_POLICY ------------------------------------------------------
    ("N_1231", dict(manufacturer_id="M02", coverage="warranty", purchase_date=None, requested_on=D("2023-12-01"),
                    completed_on=D("2023-12-31"), submitted_on=D("2024-03-01"), travel_km=Decimal("500")), None),
    ("N_0101", dict(manufacturer_id="M02", requested_on=D("2023-12-01"), completed_on=D("2024-01-01"),
                    submitted_on=D("2024-01-02")), None),   # policy in force from that day: 60.00
    ("N_M03", dict(manufacturer_id="M03"), None),
    # --- documents (S_FR, tv, warranty: 3 required) ----------------------------------------
    ("DOC_NONE", dict(station_id="S_FR", product_category="tv", coverage="warranty"), []),
    ("DOC_LATE", dict(station_id="S_FR", product_category="tv", coverage="warranty"),
     ["technician_report", "proof_of_purchase", "serial_plate_photo@2024-06-01"]),  # late still counts
    # --- invoices: duplicates, amount tolerance, VAT --------------------------------------------
    ("DUP_SAME", dict(), None),      # labour on INV_1 and INV_2: DUPLICATE_CLAIM
    ("DUP_DIFF", dict(), None),      # labour on INV_1, travel on INV_2: no duplicate
    ("M_EQ", dict(labor_minutes=0, parts_cost=Decimal("50")), None),    # calc 55.00; asks 56.11: gap 1.11 = tol
    ("M_OVER", dict(labor_minutes=0, parts_cost=Decimal("50")), None),  # asks 56.12: AMOUNT_MISMATCH
    ("M_UNDER", dict(labor_minutes=0, parts_cost=Decimal("50")), None),  # asks 53.88: AMOUNT_MISMATCH
    ("VAT_OK", dict(), None),        # line vat 0.2 vs policy 0.20: no mismatch
    ("VAT_BAD", dict(), None),       # a line at 0.19: VAT_MISMATCH
    ("VAT_PL", dict(station_id="S_PL"), None),  # 0.20 where PL's policy says 0.23: VAT_MISMATCH
]

# --- outliers: M04 (no policy), repair code OUT-20 has 20 interventions, OUT-19 has 19 ----------
for _n in range(1, 21):
    CASES.append((f"O20_{_n:02d}", dict(manufacturer_id="M04", repair_code="OUT-20", labor_minutes=100 if _n == 20 else _n,
                                        parts_cost=Decimal("7.00") if _n == 20 else None), []))
for _n in range(1, 20):
    CASES.append((f"O19_{_n:02d}", dict(manufacturer_id="M04", repair_code="OUT-19", labor_minutes=1000 if _n == 19 else _n,
                                        parts_cost=Decimal("7.00") if _n == 19 else None), []))

INVOICES = [
    # invoice_id, manufacturer, station, issued_on, currency
    ("INV_1", "M01", "S_DE", D("2024-04-01"), "EUR"),
    ("INV_2", "M01", "S_DE", D("2024-04-15"), "EUR"),
    ("INV_PL", "M01", "S_PL", D("2024-04-01"), "PLN"),
    ("INV_N", "M02", "S_DE", D("2024-03-10"), "EUR"),
    ("INV_N2", "M02", "S_DE", D("2024-03-20"), "EUR"),
]
LINES = [
    # invoice_id, line_no, intervention_id, kind, amount, vat_rate
    ("INV_1", 1, "DUP_SAME", "labor", Decimal("48.50"), Decimal("0.20")),
    ("INV_2", 1, "DUP_SAME", "labor", Decimal("48.50"), Decimal("0.20")),
    ("INV_1", 2, "DUP_DIFF", "labor", Decimal("48.50"), Decimal("0.20")),
    ("INV_2", 2, "DUP_DIFF", "travel", Decimal("0.00"), Decimal("0.20")),
    ("INV_1", 3, "M_EQ", "parts", Decimal("56.11"), Decimal("0.20")),
    ("INV_1", 4, "M_OVER", "parts", Decimal("56.12"), Decimal("0.20")),
    ("INV_1", 5, "M_UNDER", "parts", Decimal("53.88"), Decimal("0.20")),
    ("INV_1", 6, "VAT_OK", "labor", Decimal("48.50"), Decimal("0.2")),
    ("INV_1", 7, "VAT_BAD", "labor", Decimal("40.00"), Decimal("0.20")),
    ("INV_1", 8, "VAT_BAD", "parts", Decimal("8.50"), Decimal("0.19")),
    ("INV_PL", 1, "VAT_PL", "labor", Decimal("190.00"), Decimal("0.20")),
    ("INV_N", 1, "N_1231", "labor", Decimal("60.00"), Decimal("0.20")),
    ("INV_N2", 1, "N_1231", "labor", Decimal("60.00"), Decimal("0.20")),
]


def intervention_rows() -> list[tuple]:
    rows = []
    for iid, overrides, _docs in CASES:
        values = dict(DEFAULTS, serial_number=f"SER-{iid}", intervention_id=iid)
        values.update(overrides)
        rows.append(tuple(values[c] for c in INTERVENTION_COLUMNS))
    return rows


def document_rows() -> list[tuple]:
    by_id = {r[0]: dict(zip(INTERVENTION_COLUMNS, r)) for r in intervention_rows()}
    rows = []
    for iid, _overrides, docs in CASES:
        submitted = by_id[iid]["submitted_on"]
        for doc in (["technician_report"] if docs is None else docs):
            doc_type, _, when = doc.partition("@")
            rows.append((iid, doc_type, D(when) if when else submitted))
    return rows


def load(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the fixture's rows and policies into a migrated connection (no refresh)."""
    con.executemany("INSERT INTO manufacturers VALUES (?, ?)", MANUFACTURERS)
    con.executemany("INSERT INTO stations VALUES (?, ?, ?, ?, ?)", STATIONS)
    con.executemany(INSERT_INTERVENTION,
                    intervention_rows())
    con.executemany("INSERT INTO documents (intervention_id, doc_type, received_on) VALUES (?, ?, ?)", document_rows())
    con.executemany("INSERT INTO invoices VALUES (?, ?, ?, ?, ?, NULL, NULL)", INVOICES)
    con.executemany("INSERT INTO invoice_lines (invoice_id, line_no, intervention_id, kind, amount, vat_rate) VALUES (?, ?, ?, ?, ?, ?)", LINES)
    for name, text in (("M01.toml", M01_TOML), ("M02.toml", M02_TOML)):
        parsed = policy_format.parse(name, text)
        assert parsed.ok, parsed.problems
        policy_format.store_policy(con, parsed)


def build(refresh: bool = True) -> duckdb.DuckDBPyConnection:
    """A migrated in-memory store holding the fixture, refreshed by the engine."""
    con = duckdb.connect(":memory:")
    store.migrate(con)
    load(con)
    if refresh:
        models.refresh(con)
    return con


def build_file(path) -> None:
    """The fixture as a published store file (for CLI tests)."""
    with publishing.writer(path) as con:
        load(con)


def assert_bands_count_their_values(con) -> None:
    """Each outlier band (analytics/engine/outlier_bands.py) counts exactly its pair's values below, within
    and above it, and every (group, measure) pair of outlier_values has one."""
    values: dict[tuple, list[float]] = {}
    for key, labor, parts in con.execute("SELECT group_key, labor, parts FROM outlier_values").fetchall():
        values.setdefault((key, 0), []).append(labor)
        values.setdefault((key, 1), []).append(parts)
    bands = {(k, m): (lo, hi, below, above)
             for k, m, lo, hi, below, above in con.execute("SELECT * FROM outlier_bands").fetchall()}
    assert bands.keys() == values.keys()
    members: dict[tuple, Counter] = {}
    for k, m, v, n in con.execute("SELECT * FROM outlier_band_values").fetchall():
        assert n > 0
        members.setdefault((k, m), Counter())[v] = n
    for pair, (lo, hi, below, above) in bands.items():
        held = values[pair]
        assert below == sum(v < lo for v in held), pair
        assert above == sum(v > hi for v in held), pair
        assert members.get(pair, Counter()) == Counter(v for v in held if lo <= v <= hi), pair


def assert_thresholds_are_quantile_cont(con) -> None:
    """Every group's size and 95th percentiles equal quantile_cont over the whole group, bit for bit, and
    the outlier findings of every intervention are exactly its values strictly above them."""
    want = con.execute(
        "SELECT manufacturer_id, repair_code, count(*), quantile_cont(CAST(labor_minutes AS DOUBLE), 0.95), "
        "quantile_cont(CAST(coalesce(parts_cost, 0) AS DOUBLE), 0.95) FROM interventions "
        "GROUP BY ALL HAVING count(*) >= 20 ORDER BY ALL").fetchall()
    got = con.execute("SELECT manufacturer_id, repair_code, n, p95_labor, p95_parts FROM outlier_groups "
                      "ORDER BY ALL").fetchall()
    assert got == want
    flagged = con.execute(
        "SELECT i.intervention_id, 'LABOR_OUTLIER' FROM interventions i JOIN outlier_groups g "
        "USING (manufacturer_id, repair_code) WHERE CAST(i.labor_minutes AS DOUBLE) > g.p95_labor "
        "UNION ALL SELECT i.intervention_id, 'PARTS_OUTLIER' FROM interventions i JOIN outlier_groups g "
        "USING (manufacturer_id, repair_code) WHERE CAST(coalesce(i.parts_cost, 0) AS DOUBLE) > g.p95_parts "
        "ORDER BY ALL").fetchall()
    assert con.execute("SELECT intervention_id, code FROM finding_rows WHERE code LIKE '%_OUTLIER' "
                       "ORDER BY ALL").fetchall() == flagged


def write_m04_interventions(con, rows: list[tuple[str, str, int, Decimal]]) -> None:
    """Insert or replace interventions (id, repair code, labour minutes, parts cost) of M04 and record them."""
    values = [dict(DEFAULTS, intervention_id=iid, serial_number=f"SER-{iid}", manufacturer_id="M04",
                   repair_code=group, labor_minutes=labor, parts_cost=parts) for iid, group, labor, parts in rows]
    con.executemany(INSERT_INTERVENTION.replace("INSERT INTO", "INSERT OR REPLACE INTO", 1),
                    [[v[c] for c in INTERVENTION_COLUMNS] for v in values])
    changes.record(con, "intervention", [r[0] for r in rows])
