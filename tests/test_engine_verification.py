"""Verification engine: policy in force, amounts, findings and status on the hand-built fixture.

Every expected value below is computed by hand from ``tests/engine_fixture.py``'s rows and
policies (the comments there show the arithmetic).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from analytics import sql
from analytics.config import QUERIES_DIR

import engine_fixture as fx

D = dt.date.fromisoformat
E = Decimal


@pytest.fixture(scope="module")
def con():
    c = fx.build()
    yield c
    c.close()


def _one(con, query, params=None):
    rows = con.execute(query, params or {}).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


# ------------------------------------------------------------------ calendar months (DuckDB)

def test_calendar_months_clamp_to_month_end():
    c = duckdb.connect()
    got = c.execute("SELECT CAST(DATE '2023-01-31' + to_months(1) AS DATE), "
                    "CAST(DATE '2022-08-31' + to_months(18) AS DATE), "
                    "CAST(DATE '2020-02-29' + to_months(12) AS DATE)").fetchall()[0]
    assert got == (D("2023-02-28"), D("2024-02-29"), D("2021-02-28"))


def test_exact_decimal_division_keeps_the_cent():
    # DuckDB turns DECIMAL / INTEGER into DOUBLE: the engine divides on integers instead.
    c = duckdb.connect()
    assert c.execute("SELECT typeof(CAST(15 AS DECIMAL(18,6)) / 60)").fetchall()[0][0] == "DOUBLE"


# ------------------------------------------------------------------ calculated amount

AMOUNTS = {
    # id: (labour, travel, parts, total)
    "A_LAB15": ("12.13", "0.00", "0.00", "12.13"),      # 15/60*48.50 = 12.125 -> 12.13
    "A_TRAV150": ("48.50", "50.00", "0.00", "98.50"),   # 18 + (100-20)*0.40
    "A_TRAV100": ("48.50", "50.00", "0.00", "98.50"),
    "A_TRAV10": ("48.50", "18.00", "0.00", "66.50"),    # within free km: flat fee only
    "A_TRAV205": ("48.50", "18.20", "0.00", "66.70"),   # 0.5 km * 0.40
    "A_PARTS": ("48.50", "0.00", "13.59", "62.09"),     # 12.35 * 1.10 = 13.585 -> 13.59
    "A_NULLS": ("48.50", "0.00", "0.00", "48.50"),
    "A_NFF": ("35.00", "0.00", "0.00", "35.00"),        # no_fault_found_fee, not 90 min
    "T_FR10": ("52.00", "29.00", "0.00", "81.00"),      # FR labour, FR10 flat 25 + 10*0.4
    "T_FR30": ("52.00", "24.00", "0.00", "76.00"),      # FR flat 20
    "T_DEX": ("48.50", "22.00", "0.00", "70.50"),       # DE/'FR10': region needs country FR -> base 18
    "T_MTN": ("52.00", "77.00", "0.00", "129.00"),      # station cap 160: 25 + 130*0.4
    "T_PL": ("190.00", "0.00", "0.00", "190.00"),
    "L_PUMP60": ("39.00", "0.00", "0.00", "39.00"),     # standard 45 (FR) /60*52
    "L_DRUM188": ("130.00", "0.00", "0.00", "130.00"),  # standard 150 (base, merged) /60*52
    "V_0630": ("52.00", "0.00", "0.00", "52.00"),       # v2024 FR
    "V_0701": ("55.00", "0.00", "0.00", "55.00"),       # v2025 FR, boundary day
    "R1_B": ("0.00", "0.00", "0.00", "0.00"),           # repeat: labour not paid
    "R2_B": ("48.50", "0.00", "0.00", "48.50"),
    "SD_1": ("48.50", "0.00", "0.00", "48.50"),
    "SD_2": ("0.00", "0.00", "0.00", "0.00"),
    "M_EQ": ("0.00", "0.00", "55.00", "55.00"),
    "N_0101": ("60.00", "0.00", "0.00", "60.00"),       # M02 from its first day
}


@pytest.mark.parametrize("iid", sorted(AMOUNTS))
def test_calculated_amount(con, iid):
    got = _one(con, "SELECT labor_amount, travel_amount, parts_amount, calculated_amount "
                    "FROM intervention_amounts WHERE intervention_id = $id", {"id": iid})
    assert got == tuple(E(x) for x in AMOUNTS[iid])
    assert all(isinstance(v, Decimal) for v in got)


def test_amount_columns_without_policy(con):
    # N_1231: no M02 policy on 2023-12-31 -> amounts NULL, currency of its invoices, requested summed
    assert _one(con, "SELECT currency, calculated_amount, requested_amount, line_count, invoiced, first_issued_on "
                     "FROM intervention_amounts WHERE intervention_id = 'N_1231'") == \
        ("EUR", None, E("120.00"), 2, True, D("2024-03-10"))
    assert _one(con, "SELECT currency, calculated_amount, requested_amount, line_count, invoiced "
                     "FROM intervention_amounts WHERE intervention_id = 'N_M03'") == (None, None, None, 0, False)
    assert _one(con, "SELECT currency FROM intervention_amounts WHERE intervention_id = 'T_PL'") == ("PLN",)


# ------------------------------------------------------------------ policy in force

def test_policy_in_force_levels(con):
    rows = dict(con.execute("SELECT intervention_id, applied_overrides FROM intervention_policy").fetchall())
    assert rows["T_FR10"] == "base; country FR; region FR10"
    assert rows["T_FR30"] == "base; country FR"
    assert rows["T_DEX"] == "base"
    assert rows["T_MTN"] == "base; country FR; region FR10; station S_MTN"
    assert rows["T_PL"] == "base; country PL"
    assert rows["V_0701"] == "base; country FR"
    assert rows["N_1231"] is None


def test_policy_in_force_values(con):
    got = _one(con, "SELECT has_policy, policy_valid_from, currency, vat_rate, labor_rate_per_hour, travel_flat_fee, "
                    "max_travel_km, repeat_window_days, standard_minutes FROM intervention_policy "
                    "WHERE intervention_id = 'L_PUMP60'")
    assert got == (True, D("2024-01-01"), "EUR", E("0.2"), E("52"), E("25"), E("100"), 30, E("45"))
    got = _one(con, "SELECT policy_valid_from, labor_rate_per_hour, repeat_window_days FROM intervention_policy "
                    "WHERE intervention_id = 'V_0630'")
    assert got == (D("2024-01-01"), E("52"), 30)
    got = _one(con, "SELECT policy_valid_from, labor_rate_per_hour, repeat_window_days, standard_minutes "
                    "FROM intervention_policy WHERE intervention_id = 'V_0701'")
    assert got == (D("2025-07-01"), E("55"), 45, None)
    got = _one(con, "SELECT currency, vat_rate, labor_rate_per_hour FROM intervention_policy WHERE intervention_id = 'T_PL'")
    assert got == ("PLN", E("0.23"), E("190"))
    got = _one(con, "SELECT has_policy, policy_valid_from, currency, standard_minutes FROM intervention_policy "
                    "WHERE intervention_id = 'N_1231'")
    assert got == (False, None, None, None)


def test_required_documents(con):
    rows = con.execute("SELECT intervention_id, doc_type, received_on FROM intervention_required_documents "
                       "WHERE intervention_id IN ('DOC_NONE', 'DOC_LATE', 'T_MTN', 'W_0229', 'A_LAB15') "
                       "ORDER BY 1, 2").fetchall()
    assert rows == [
        ("A_LAB15", "technician_report", D("2024-03-05")),
        ("DOC_LATE", "proof_of_purchase", D("2024-03-05")),
        ("DOC_LATE", "serial_plate_photo", D("2024-06-01")),
        ("DOC_LATE", "technician_report", D("2024-03-05")),
        ("DOC_NONE", "proof_of_purchase", None),
        ("DOC_NONE", "serial_plate_photo", None),
        ("DOC_NONE", "technician_report", None),
    ]   # T_MTN: station list [] replaces base; W_0229 (M02) requires nothing
    assert con.execute("SELECT count(*) FROM intervention_required_documents WHERE intervention_id = 'N_1231'"
                       ).fetchall() == [(0,)]


def test_comebacks(con):
    rows = con.execute("SELECT * FROM comebacks ORDER BY 1, 2").fetchall()
    assert rows == [("R1_A", "R1_B", 30), ("R2_A", "R2_B", 31), ("SD_1", "SD_2", 0)]


# ------------------------------------------------------------------ findings and status

#: Every intervention of the fixture that has a finding: its sorted codes and status.
EXPECTED = {
    "A_NFF": ("LABOR_OUTLIER", "ready"),   # 90 > p95 60 of M01 WM-OTHER (33 interventions), info only
    "A_TRAV150": ("TRAVEL_OVER_CAP", "review"),
    "DOC_NONE": ("DOC_MISSING", "blocked"),
    "DUP_SAME": ("AMOUNT_MISMATCH;DUPLICATE_CLAIM", "blocked"),  # requested 97.00 vs 48.50
    "D_31": ("LATE_SUBMISSION", "review"),
    "E_0301": ("OUT_OF_WARRANTY", "blocked"),   # 2021-08-31 + 30 months = 2024-02-29 < 2024-03-01
    "L_DRUM188": ("LABOR_OVER_STANDARD", "review"),
    "L_PUMP60": ("LABOR_OVER_STANDARD", "review"),
    "M_OVER": ("AMOUNT_MISMATCH", "review"),
    "M_UNDER": ("AMOUNT_MISMATCH", "review"),
    "N_1231": ("DUPLICATE_CLAIM;NO_POLICY;PURCHASE_DATE_MISSING", "blocked"),  # late, 500 km: not checked
    "N_M03": ("NO_POLICY", "blocked"),
    "O20_20": ("LABOR_OUTLIER;NO_POLICY;PARTS_OUTLIER", "blocked"),
    "P_MISS": ("PURCHASE_DATE_MISSING", "blocked"),
    "R1_B": ("REPEAT_REPAIR", "review"),
    "SD_2": ("REPEAT_REPAIR", "review"),
    "VAT_BAD": ("VAT_MISMATCH", "review"),
    "VAT_PL": ("VAT_MISMATCH", "review"),
    "W_0301": ("OUT_OF_WARRANTY", "blocked"),   # 2022-08-31 + 18 months = 2024-02-29 < 2024-03-01
}
EXPECTED.update({f"O20_{n:02d}": ("NO_POLICY", "blocked") for n in range(1, 20)})
EXPECTED.update({f"O19_{n:02d}": ("NO_POLICY", "blocked") for n in range(1, 20)})  # 19: no outlier


def test_status_and_codes_of_every_intervention(con):
    got = {r[0]: (r[1], r[2]) for r in con.execute("SELECT intervention_id, finding_codes, status FROM intervention_status").fetchall()}
    ids = [c[0] for c in fx.CASES]
    assert sorted(got) == sorted(ids)
    expected = {iid: EXPECTED.get(iid, ("", "ready")) for iid in ids}
    assert got == expected


def test_doc_missing_one_row_per_type(con):
    rows = con.execute("SELECT doc_type, severity FROM findings WHERE intervention_id = 'DOC_NONE' "
                       "AND code = 'DOC_MISSING' ORDER BY 1").fetchall()
    assert rows == [("proof_of_purchase", "blocked"), ("serial_plate_photo", "blocked"), ("technician_report", "blocked")]
    # one row per (intervention, code, doc_type): the key of finding threads
    assert con.execute("SELECT count(*) FROM (SELECT intervention_id, code, coalesce(doc_type, '') "
                       "FROM findings GROUP BY ALL HAVING count(*) > 1)").fetchall() == [(0,)]


def test_severities_match_catalog(con):
    from analytics.catalog import RULES_BY_CODE
    for code, severity in con.execute("SELECT DISTINCT code, severity FROM findings").fetchall():
        assert RULES_BY_CODE[code].severity == severity


def _explanation(con, iid, code):
    return _one(con, "SELECT explanation FROM findings WHERE intervention_id = $i AND code = $c",
                {"i": iid, "c": code})[0]


def test_explanations_name_the_evidence(con):
    assert _explanation(con, "L_PUMP60", "LABOR_OVER_STANDARD") == (
        "Labour 60 min > standard 45 min + 25 % tolerance = 56.25 min for repair code WM-PUMP "
        "(policy M01 2024-01-01, FR FR10).")
    assert _explanation(con, "D_31", "LATE_SUBMISSION") == (
        "Submitted 2024-04-02, 31 days after completion on 2024-03-02 > deadline of 30 days (policy M01 2024-01-01, DE).")
    assert _explanation(con, "W_0301", "OUT_OF_WARRANTY") == (
        "Requested on 2024-03-01, after the end of the warranty period: purchase 2022-08-31 + 18 months = "
        "2024-02-29 (policy M02 2024-01-01, DE).")
    assert _explanation(con, "R1_B", "REPEAT_REPAIR").startswith(
        "Same unit (serial SER-R1) was repaired in intervention R1_A completed 2024-01-15; this request came "
        "2024-02-14, 30 days later, within the repeat window of 30 days")
    assert _explanation(con, "M_OVER", "AMOUNT_MISMATCH") == (
        "Requested 56.12 EUR vs calculated 55.00 EUR: gap 1.12 > tolerance 2 % of 55.00 + 0.01 = 1.11 "
        "(policy M01 2024-01-01, DE).")
    assert "invoice INV_1 line 8 has VAT 0.19" in _explanation(con, "VAT_BAD", "VAT_MISMATCH")
    assert "line 7" not in _explanation(con, "VAT_BAD", "VAT_MISMATCH")
    assert "TRAVEL" not in _explanation(con, "A_TRAV150", "TRAVEL_OVER_CAP")
    assert _explanation(con, "A_TRAV150", "TRAVEL_OVER_CAP").startswith("Travel 150 km > cap of 100 km")
    assert _explanation(con, "N_1231", "NO_POLICY") == (
        "No policy of manufacturer M02 is in force on the completion day 2023-12-31: its first version starts 2024-01-01.")
    assert "is in the store" in _explanation(con, "N_M03", "NO_POLICY")
    assert _explanation(con, "N_1231", "DUPLICATE_CLAIM") == "Billed more than once: labor lines on 2 invoices (INV_N, INV_N2)."
    assert "23.05" in _explanation(con, "O20_20", "LABOR_OUTLIER")   # 19 + 0.05 * (100 - 19)
    assert "0.35" in _explanation(con, "O20_20", "PARTS_OUTLIER")    # 0 + 0.05 * 7


def test_outlier_percentile_is_not_rounded_to_the_column_scale():
    """quantile_cont over DECIMAL(18,2) would round 10.005 to 10.01 and miss 10.01 > 10.005."""
    c = fx.build(refresh=False)
    c.execute("DELETE FROM interventions WHERE manufacturer_id = 'M04'")
    rows = [(f"Q{n:02d}", "M04", "S_DE", "tv", None, f"SQ{n}", None, "goodwill", "Q", D("2024-01-01"),
             D("2024-01-01"), D("2024-01-01"), 1, 10, None, E("10.00"), "repaired", None) for n in range(1, 21)]
    # 20 values: 18 x 10.00, 10.00, 10.01 -> p95 at index 18.05 = 10.00 + 0.05 * 0.01 = 10.0005
    rows[-1] = rows[-1][:15] + (E("10.01"),) + rows[-1][16:]
    c.executemany(f"INSERT INTO interventions VALUES ({', '.join('?' * 18)})", rows)
    from analytics import engine
    engine.refresh(c)
    got = c.execute("SELECT intervention_id FROM findings WHERE code = 'PARTS_OUTLIER'").fetchall()
    assert got == [("Q20",)]


# ------------------------------------------------------------------ every SQL file runs

def test_every_engine_sql_file_runs_on_the_fixture(con):
    """Run every queries/engine/*.sql file (any engineer's) against the refreshed fixture, in MODELS order
    first and then any file not listed, so a broken or orphan model shows up here."""
    from analytics.engine import MODELS
    files = sorted(p.stem for p in (QUERIES_DIR / "engine").glob("*.sql"))
    order = [m for m in MODELS if m in files] + [f for f in files if f not in MODELS]
    c = fx.build()
    for name in order:
        sql.run_script(c, f"engine/{name}")
    assert c.execute("SELECT count(*) FROM intervention_status").fetchall()[0][0] == len(fx.CASES)
    c.close()
