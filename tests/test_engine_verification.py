"""Verification engine: policy in force, amounts, findings and status on the hand-built fixture.

Every expected value below is computed by hand from ``tests/engine_fixture.py``'s rows and
policies (the comments there show the arithmetic).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from analytics.core import sql
from analytics.core.config import QUERIES_DIR

from analytics.engine import models as engine_models
from tests import engine_fixture as fx

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
    rows = con.execute("SELECT first_intervention_id, comeback_intervention_id, gap_days FROM comebacks ORDER BY 1, 2").fetchall()
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
        # R1_A was done by another station (S_DE): its id is not named (access control)
        "Same unit (serial SER-R1) was repaired at another station, completed 2024-01-15; this request came "
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
    c.executemany(fx.INSERT_INTERVENTION, rows)
    from analytics.engine import models
    models.refresh(c)
    got = c.execute("SELECT intervention_id FROM findings WHERE code = 'PARTS_OUTLIER'").fetchall()
    assert got == [("Q20",)]


# ------------------------------------------------------------------ every SQL file runs

def test_every_engine_sql_file_runs_on_the_fixture(con):
    """Run every queries/engine/*.sql file (any engineer's) against the refreshed fixture, in MODELS order
    first and then any file not listed, so a broken or orphan model shows up here."""
    from analytics.engine.models import MODELS
    files = sorted(p.stem for p in (QUERIES_DIR / "engine").glob("*.sql"))
    order = [m for m in MODELS if m in files] + [f for f in files if f not in MODELS]
    c = fx.build()
    engine_models.full_scope(c)  # the models read their scope (every key here)
    for name in order:
        sql.run_script(c, f"engine/{name}")
    assert c.execute("SELECT count(*) FROM intervention_status").fetchall()[0][0] == len(fx.CASES)
    c.close()


# ------------------------------------------------------------------ property test vs a plain-Python reference

import calendar  # noqa: E402
from decimal import ROUND_HALF_UP  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from analytics.contract import policy_format  # noqa: E402
from analytics.core import store
from analytics.engine.models import MODELS  # noqa: E402

VERIFICATION_MODELS = ["comebacks", "policy_in_force", "required_documents", "amounts", "findings", "status"]  # comebacks reads no policy
REF_STATIONS = {"S1": ("FR", "FR10"), "S2": ("FR", "FR20"), "S3": ("DE", None)}
PROPERTY_CODES = {"NO_POLICY", "REPEAT_REPAIR", "LATE_SUBMISSION", "TRAVEL_OVER_CAP", "LABOR_OVER_STANDARD",
                  "AMOUNT_MISMATCH", "OUT_OF_WARRANTY", "VAT_MISMATCH", "PURCHASE_DATE_MISSING"}

money = st.decimals(min_value=0, max_value=200, places=2)
share = st.decimals(min_value=0, max_value=Decimal("0.5"), places=2)


@st.composite
def policies(draw):
    def base():
        return {
            "currency": "EUR", "vat_rate": draw(st.sampled_from([Decimal("0.2"), Decimal("0.19")])),
            "labor_rate_per_hour": draw(money), "no_fault_found_fee": draw(money),
            "travel_flat_fee": draw(money), "travel_free_km": draw(st.integers(0, 30)),
            "travel_rate_per_km": draw(st.decimals(min_value=0, max_value=2, places=3)),
            "max_travel_km": draw(st.integers(0, 200)), "parts_markup": draw(share),
            "warranty_months": draw(st.integers(1, 30)), "extended_months": draw(st.integers(1, 40)),
            "submission_deadline_days": draw(st.integers(0, 30)), "repeat_window_days": draw(st.integers(0, 60)),
            "labor_tolerance": draw(share), "amount_tolerance": draw(st.decimals(min_value=0, max_value=Decimal("0.1"), places=3)),
        }
    versions = []
    for valid_from in ("2024-01-01", "2024-07-01")[: draw(st.integers(1, 2))]:
        versions.append({
            "valid_from": valid_from, "base": base(),
            "standard": draw(st.dictionaries(st.sampled_from(["A", "B"]), st.integers(1, 200))),
            "FR": draw(st.dictionaries(st.sampled_from(["labor_rate_per_hour", "travel_flat_fee", "max_travel_km"]),
                                       st.integers(0, 150))),
            "FR_standard": draw(st.dictionaries(st.sampled_from(["A", "C"]), st.integers(1, 200))),
            "FR10": draw(st.dictionaries(st.sampled_from(["travel_flat_fee", "labor_tolerance"]), st.integers(0, 50))),
            "S2": draw(st.dictionaries(st.sampled_from(["max_travel_km", "repeat_window_days"]), st.integers(0, 90))),
        })
    return versions


def _toml(versions) -> str:
    def kv(d):
        return "".join(f'"{k}" = {v!r}\n' if not isinstance(v, (Decimal, int)) else f'"{k}" = {v}\n'
                       for k, v in d.items()).replace("'", '"')
    out = ['manufacturer_id = "M1"\n']
    for v in versions:
        out.append(f"[[version]]\nvalid_from = {v['valid_from']}\n[version.base]\n{kv(v['base'])}")
        out.append(f"[version.base.standard_minutes]\n{kv(v['standard'])}")
        out.append(f"[version.territory.FR]\n{kv(v['FR'])}[version.territory.FR.standard_minutes]\n{kv(v['FR_standard'])}")
        out.append(f"[version.territory.FR.regions.FR10]\n{kv(v['FR10'])}")
        out.append(f"[version.station.S2]\n{kv(v['S2'])}")
    return "\n".join(out)


def _resolve(versions, station, completed_on):
    in_force = [v for v in versions if D(v["valid_from"]) <= completed_on]
    if not in_force:
        return None
    v = max(in_force, key=lambda x: x["valid_from"])
    country, region = REF_STATIONS[station]
    p = dict(v["base"])
    std = dict(v["standard"])
    if country == "FR":
        p.update(v["FR"])
        std.update(v["FR_standard"])
        if region == "FR10":
            p.update(v["FR10"])
    if station == "S2":
        p.update(v["S2"])
    return {k: Decimal(x) if not isinstance(x, str) else x for k, x in p.items()}, std


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _cent(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def reference(versions, ivs, lines):
    """Plain-Python amounts and findings (the property-tested codes only)."""
    amounts, codes = {}, set()
    pol = {i["id"]: _resolve(versions, i["station"], i["completed"]) for i in ivs}
    gaps = {}
    for i in ivs:
        for k in ivs:
            if k is i or k["serial"] != i["serial"] or k["requested"] < i["completed"]:
                continue
            if i["requested"] < k["requested"] or (i["requested"] == k["requested"] and i["id"] < k["id"]):
                g = (k["requested"] - i["completed"]).days
                gaps[k["id"]] = min(g, gaps.get(k["id"], g))
    requested = {}
    for ln in lines:
        requested[ln["id"]] = requested.get(ln["id"], Decimal(0)) + ln["amount"]
    for i in ivs:
        iid = i["id"]
        if i["coverage"] != "goodwill" and i["purchase"] is None:
            codes.add((iid, "PURCHASE_DATE_MISSING"))
        if pol[iid] is None:
            codes.add((iid, "NO_POLICY"))
            continue
        p, std = pol[iid]
        repeat = iid in gaps and gaps[iid] <= p["repeat_window_days"]
        if repeat:
            codes.add((iid, "REPEAT_REPAIR"))
        m = Decimal(std[i["code"]]) if i["code"] in std else Decimal(i["labor"])
        if repeat:
            labour = Decimal(0)
        elif i["outcome"] == "no_fault_found":
            labour = _cent(p["no_fault_found_fee"])
        else:
            # m * rate / 60 is exact whenever it is a tie (a finite decimal), so Decimal's precision suffices
            labour = _cent(m * p["labor_rate_per_hour"] / 60)
        km = i["km"] or Decimal(0)
        travel = Decimal(0) if km == 0 else _cent(
            p["travel_flat_fee"] + max(Decimal(0), min(km, p["max_travel_km"]) - p["travel_free_km"]) * p["travel_rate_per_km"])
        parts = _cent((i["parts"] or Decimal(0)) * (1 + p["parts_markup"]))
        total = labour + travel + parts
        amounts[iid] = (labour, travel, parts, total)
        if (i["submitted"] - i["completed"]).days > p["submission_deadline_days"]:
            codes.add((iid, "LATE_SUBMISSION"))
        if km > p["max_travel_km"]:
            codes.add((iid, "TRAVEL_OVER_CAP"))
        if i["code"] in std and i["labor"] > Decimal(std[i["code"]]) * (1 + p["labor_tolerance"]):
            codes.add((iid, "LABOR_OVER_STANDARD"))
        if iid in requested and abs(requested[iid] - total) > p["amount_tolerance"] * total + Decimal("0.01"):
            codes.add((iid, "AMOUNT_MISMATCH"))
        if any(ln["id"] == iid and ln["vat"] != p["vat_rate"] for ln in lines):
            codes.add((iid, "VAT_MISMATCH"))
        months = {"warranty": p["warranty_months"], "extended": p["extended_months"]}.get(i["coverage"])
        if months is not None and i["purchase"] is not None and i["requested"] > _add_months(i["purchase"], int(months)):
            codes.add((iid, "OUT_OF_WARRANTY"))
    return amounts, codes


@st.composite
def interventions(draw):
    n = draw(st.integers(1, 10))
    ivs = []
    for k in range(n):
        requested = D("2023-12-01") + dt.timedelta(days=draw(st.integers(0, 400)))
        completed = requested + dt.timedelta(days=draw(st.integers(0, 4)))
        ivs.append({
            "id": f"I{k:02d}", "station": draw(st.sampled_from(sorted(REF_STATIONS))),
            "serial": draw(st.sampled_from(["a", "b", "c"])),
            "requested": requested, "completed": completed,
            "submitted": completed + dt.timedelta(days=draw(st.integers(0, 40))),
            "labor": draw(st.integers(0, 300)), "code": draw(st.sampled_from(["A", "B", "C"])),
            "km": draw(st.none() | st.decimals(min_value=0, max_value=250, places=1)),
            "parts": draw(st.none() | st.decimals(min_value=0, max_value=500, places=2)),
            "outcome": draw(st.sampled_from(["repaired", "replaced", "no_fault_found", "not_repairable"])),
            "coverage": draw(st.sampled_from(["warranty", "extended", "goodwill"])),
            "purchase": draw(st.none() | st.dates(D("2021-01-01"), D("2024-01-31"))),
        })
    lines = [{"id": i["id"], "amount": draw(money), "vat": draw(st.sampled_from([Decimal("0.2"), Decimal("0.19")]))}
             for i in ivs if draw(st.booleans())]
    return ivs, lines


@pytest.fixture(scope="module")
def prop_con():
    c = duckdb.connect()
    store.migrate(c)
    yield c
    c.close()


PROPERTY_TABLES = ("manufacturers", "stations", "interventions", "documents", "invoices", "invoice_lines")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(versions=policies(), data=interventions())
def test_property_amounts_and_rules_match_reference(prop_con, versions, data):
    ivs, lines = data
    parsed = policy_format.parse("M1.toml", _toml(versions))
    assert parsed.ok, [str(p) for p in parsed.problems]
    c = prop_con
    for table in PROPERTY_TABLES:   # fixed whitelist of table names
        c.execute(f"DELETE FROM {table}")
    if True:
        c.execute("INSERT INTO manufacturers VALUES ('M1', 'm')")
        c.executemany("INSERT INTO stations VALUES (?, 'n', ?, ?, NULL)",
                      [(s, country, region) for s, (country, region) in REF_STATIONS.items()])
        c.executemany(fx.INSERT_INTERVENTION, [
            (i["id"], "M1", i["station"], "tv", None, i["serial"], i["purchase"], i["coverage"], i["code"],
             i["requested"], i["completed"], i["submitted"], 1, i["labor"], i["km"], i["parts"], i["outcome"], None)
            for i in ivs])
        if lines:
            c.execute("INSERT INTO invoices VALUES ('V', 'M1', 'S1', DATE '2025-01-01', 'EUR', NULL, NULL)")
            c.executemany("INSERT INTO invoice_lines (invoice_id, line_no, intervention_id, kind, amount, vat_rate) VALUES ('V', ?, ?, 'labor', ?, ?)",
                          [(n, ln["id"], ln["amount"], ln["vat"]) for n, ln in enumerate(lines, start=1)])
        policy_format.store_policy(c, parsed)
        engine_models.full_scope(c)
        for model in MODELS[: MODELS.index("status") + 1]:   # ours, and whatever status now reads
            sql.run_script(c, f"engine/{model}")
        want_amounts, want_codes = reference(versions, ivs, lines)
        got_amounts = {r[0]: tuple(r[1:]) for r in c.execute(
            "SELECT intervention_id, labor_amount, travel_amount, parts_amount, calculated_amount "
            "FROM intervention_amounts WHERE calculated_amount IS NOT NULL").fetchall()}
        assert got_amounts == want_amounts
        got_codes = {(r[0], r[1]) for r in c.execute("SELECT intervention_id, code FROM findings").fetchall()
                     if r[1] in PROPERTY_CODES}
        assert got_codes == want_codes


def test_verification_models_are_registered_in_order():
    positions = [MODELS.index(m) for m in VERIFICATION_MODELS]
    assert positions == sorted(positions)


@pytest.mark.parametrize("m, rate", [("15", "48.50"), ("1", "0.30"), ("100000", "99999.99"), ("999999.5", "3000"),
                                     ("7.5", "0.000001"), ("0", "12")])
def test_labour_cents_both_paths_match_decimal(m, rate):
    """The BIGINT fast path and the DECIMAL(38) fallback both round m / 60 * rate half up, exactly."""
    c = duckdb.connect()
    c.execute(sql.load("engine/amounts").split("CREATE OR REPLACE TABLE intervention_amounts")[0])
    got = c.execute("SELECT vf_from_cents(vf_labour_cents(CAST($m AS DECIMAL(18,6)), CAST($r AS DECIMAL(18,6))))",
                    {"m": m, "r": rate}).fetchall()[0][0]
    assert got == (E(m) * E(rate) / 60).quantize(E("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("flat, km, rate_km, parts, markup", [
    ("18", "80", "0.4", "12.35", "0.1"), ("18", "5000000", "0.000001", "999999999.99", "0.123456"),
    ("999999", "999", "999.999999", "0.01", "0.5"), ("0", "0.5", "0.01", "0.05", "0.1")])
def test_travel_and_parts_cents_both_paths_match_decimal(flat, km, rate_km, parts, markup):
    c = duckdb.connect()
    c.execute(sql.load("engine/amounts").split("CREATE OR REPLACE TABLE intervention_amounts")[0])
    got = c.execute("SELECT vf_from_cents(vf_travel_cents(CAST($f AS DECIMAL(18,6)), CAST($k AS DECIMAL(18,6)), "
                    "CAST($r AS DECIMAL(18,6)))), vf_from_cents(vf_parts_cents(CAST($p AS DECIMAL(18,2)), "
                    "CAST($mk AS DECIMAL(18,6))))",
                    {"f": flat, "k": km, "r": rate_km, "p": parts, "mk": markup}).fetchall()[0]
    cent = E("0.01")
    assert got == ((E(flat) + E(km) * E(rate_km)).quantize(cent, rounding=ROUND_HALF_UP),
                   (E(parts) * (1 + E(markup))).quantize(cent, rounding=ROUND_HALF_UP))
