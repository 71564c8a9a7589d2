"""The incremental refresh (analytics/engine/models.py refresh_pending) against the full rebuild.

Property test: random sequences of deltas (new, corrected and re-imported interventions, invoices,
invoice lines, documents, disputes, fx rates, stations, policy versions) and finding entries,
applied to the hand-made network of ``tests/engine_fixture.py`` the way the importer and the
journal apply them (rows staged as text, changes recorded by :mod:`analytics.engine.changes`);
after each step every derived table equals a full rebuild from scratch, table by table (sorted
rows, exact), and the open rows of the history equal the current findings and statuses.
"""
from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import engine_fixture as fx
from analytics.contract import policy_format
from analytics.core import sql
from analytics.contract.importer import KEYED_BY_INTERVENTION
from analytics.engine import changes, models

D = dt.date.fromisoformat
BASE_DAY = D("2024-01-10")

EXISTING = [case[0] for case in fx.CASES]
IDS = EXISTING[:12] + ["O20_01", "O20_05", "O20_20", "O19_01"] + ["N1", "N2", "N3"]
# few units and close days, so that comebacks (same manufacturer and serial) are frequent
SERIALS = ["U1", "U2", "SER-A_LAB15", "SER-O20_03"]
REPAIR_CODES = ["WM-PUMP", "WM-DRUM", "WM-OTHER", "OUT-20", "OUT-19"]
STATIONS = [s[0] for s in fx.STATIONS]
INVOICE_IDS = ["INV_1", "INV_2", "INV_N", "INV_X1", "INV_X2"]
DOC_TYPES = ["technician_report", "proof_of_purchase", "serial_plate_photo"]
REASONS = ["DOC_MISSING", "REPEAT_REPAIR", "AMOUNT_MISMATCH", "LABOR_OUTLIER", "OTHER"]

COLUMNS = {
    "interventions": list(fx.INTERVENTION_COLUMNS),
    "documents": ["intervention_id", "doc_type", "received_on"],
    "invoices": ["invoice_id", "manufacturer_id", "station_id", "issued_on", "currency", "paid_on", "paid_amount"],
    "invoice_lines": ["invoice_id", "line_no", "intervention_id", "kind", "amount", "vat_rate"],
    "disputes": ["dispute_id", "invoice_id", "intervention_id", "opened_on", "opened_by", "reason",
                 "disputed_amount", "resolved_on", "outcome", "settled_amount"],
    "fx_rates": ["currency", "month", "eur_per_unit"],
    "stations": ["station_id", "name", "country", "region", "city"],
}


# ------------------------------------------------------------------ applying a delta as the importer does

def upsert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Stage ``rows`` as text, record the change (before loading, as the importer does), load by key."""
    cols = COLUMNS[table]
    con.execute(f"CREATE OR REPLACE TEMP TABLE stg_{table} ({', '.join(c + ' VARCHAR' for c in cols)})")
    con.executemany(f"INSERT INTO stg_{table} VALUES ({', '.join('?' * len(cols))})",
                    [tuple(None if v is None else str(v) for v in r) for r in rows])
    changes.record_staged(con, table, f"stg_{table}")
    if table in KEYED_BY_INTERVENTION:  # as the importer loads them: with their intervention's engine key
        con.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}, iv_key) SELECT s.*, "
                    f"(SELECT k.iv_key FROM interventions k WHERE k.intervention_id = s.intervention_id) FROM stg_{table} s")
    else:
        con.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) SELECT * FROM stg_{table}")
    con.execute(f"DROP TABLE stg_{table}")


def m02_policy(valid_from: str, labour: int, window: int, second: str | None) -> str:
    text = fx.M02_TOML.replace("valid_from = 2024-01-01", f"valid_from = {valid_from}")
    text = text.replace("labor_rate_per_hour = 60", f"labor_rate_per_hour = {labour}")
    text = text.replace("repeat_window_days = 30", f"repeat_window_days = {window}")
    if second:  # a second version, from another day
        body = text.split("[version.base]", 1)[1]
        text += f"\n[[version]]\nvalid_from = {second}\n\n[version.base]{body}"
    return text


def m04_policy() -> str:
    return fx.M02_TOML.replace('manufacturer_id = "M02"', 'manufacturer_id = "M04"')


def apply(con: duckdb.DuckDBPyConnection, op: tuple) -> None:
    kind, args = op[0], op[1:]
    if kind == "intervention":
        (iid, mfr, station, serial, code, start, duration, delay, minutes, parts, coverage, outcome,
         purchase) = args
        requested = BASE_DAY + dt.timedelta(days=start)
        completed = requested + dt.timedelta(days=duration)
        row = dict(fx.DEFAULTS, intervention_id=iid, manufacturer_id=mfr, station_id=station, serial_number=serial,
                   repair_code=code, requested_on=requested, completed_on=completed,
                   submitted_on=completed + dt.timedelta(days=delay), labor_minutes=minutes,
                   parts_cost=None if parts is None else Decimal(parts), coverage=coverage, outcome=outcome,
                   purchase_date=None if purchase is None else requested - dt.timedelta(days=purchase))
        upsert(con, "interventions", [tuple(row[c] for c in fx.INTERVENTION_COLUMNS)])
    elif kind == "reimport":
        rows = con.execute(f"SELECT {', '.join(fx.INTERVENTION_COLUMNS)} FROM interventions WHERE intervention_id = ?",
                           [args[0]]).fetchall()
        upsert(con, "interventions", rows)
    elif kind == "document":
        iid, doc_type, day = args
        if _exists(con, iid):
            upsert(con, "documents", [(iid, doc_type, BASE_DAY + dt.timedelta(days=day))])
    elif kind == "invoice":
        inv, mfr, station, day, currency, paid = args
        issued = BASE_DAY + dt.timedelta(days=day)
        upsert(con, "invoices", [(inv, mfr, station, issued, currency,
                                  None if paid is None else issued + dt.timedelta(days=paid), None)])
    elif kind == "line":
        inv, line_no, iid, line_kind, amount, vat = args
        if not _exists(con, iid):
            return
        if not con.execute("SELECT 1 FROM invoices WHERE invoice_id = ?", [inv]).fetchall():
            upsert(con, "invoices", [(inv, "M01", "S_DE", BASE_DAY + dt.timedelta(days=90), "EUR", None, None)])
        upsert(con, "invoice_lines", [(inv, line_no, iid, line_kind, Decimal(amount), Decimal(vat))])
    elif kind == "dispute":
        dispute, pick, day, reason, resolved, outcome = args
        lines = con.execute("SELECT invoice_id, intervention_id FROM invoice_lines ORDER BY ALL").fetchall()
        inv, iid = lines[pick % len(lines)]
        opened = BASE_DAY + dt.timedelta(days=100 + day)
        upsert(con, "disputes", [(dispute, inv, iid, opened, "manufacturer", reason, Decimal("12.50"),
                                  None if resolved is None else opened + dt.timedelta(days=resolved),
                                  None if resolved is None else outcome, None)])
    elif kind == "fx":
        month, rate = args
        upsert(con, "fx_rates", [("PLN", month, Decimal(rate))])
    elif kind == "station":
        station, country, region = args
        name, city = next((s[1], s[4]) for s in fx.STATIONS if s[0] == station)
        upsert(con, "stations", [(station, name, country, region, city)])
    elif kind == "policy":
        mfr = args[0]
        text = m04_policy() if mfr == "M04" else m02_policy(*args[1:])
        parsed = policy_format.parse(f"{mfr}.toml", text)
        assert parsed.ok, parsed.problems
        policy_format.store_policy(con, parsed)
        changes.record(con, "policy", [mfr])
    elif kind == "entry":
        pick, entry_kind = args
        entry_id = con.execute("SELECT coalesce(max(entry_id), 0) + 1 FROM finding_entries").fetchall()[0][0]
        keys = con.execute("SELECT intervention_id, code, coalesce(doc_type, '') FROM findings ORDER BY ALL").fetchall()
        iid, code, doc_type = keys[pick % len(keys)]
        sql.execute(con, "conversation/insert_entry", dict(
            entry_id=entry_id, intervention_id=iid, code=code, doc_type=doc_type, kind=entry_kind,
            author="someone", author_role="manufacturer", written_at=dt.datetime(2025, 1, 1, 12, 0, entry_id % 60),
            body="because", sent_doc_type=doc_type if entry_kind == "document_sent" else None,
            sent_doc_received_on=D("2025-01-01") if entry_kind == "document_sent" else None))
        changes.record(con, "entry", [iid])
    else:
        raise AssertionError(kind)


def _exists(con, iid: str) -> bool:
    return bool(con.execute("SELECT 1 FROM interventions WHERE intervention_id = ?", [iid]).fetchall())


# ------------------------------------------------------------------ strategies

days = st.integers(0, 400)
interventions = st.tuples(
    st.just("intervention"), st.sampled_from(IDS), st.sampled_from(["M01", "M01", "M02", "M04"]),
    st.sampled_from(STATIONS), st.sampled_from(SERIALS), st.sampled_from(REPAIR_CODES), st.integers(40, 160),
    st.integers(0, 5), st.integers(0, 40), st.sampled_from([0, 15, 30, 60, 100, 1000, 2000]),
    st.sampled_from([None, "0", "7.00", "90.50"]), st.sampled_from(["warranty", "extended", "goodwill"]),
    st.sampled_from(["repaired", "no_fault_found"]), st.sampled_from([None, 100, 800, 2000]))
OPS = st.one_of(
    interventions,
    st.tuples(st.just("reimport"), st.sampled_from(EXISTING[:20])),
    st.tuples(st.just("document"), st.sampled_from(IDS), st.sampled_from(DOC_TYPES), days),
    st.tuples(st.just("invoice"), st.sampled_from(INVOICE_IDS), st.sampled_from(["M01", "M02"]),
              st.sampled_from(["S_DE", "S_FR", "S_PL"]), days, st.sampled_from(["EUR", "PLN"]),
              st.sampled_from([None, 0, 12, 45])),
    st.tuples(st.just("line"), st.sampled_from(INVOICE_IDS), st.integers(1, 4), st.sampled_from(IDS),
              st.sampled_from(["labor", "travel", "parts"]), st.sampled_from(["0.00", "48.50", "56.12"]),
              st.sampled_from(["0.2", "0.19", "0.23"])),
    st.tuples(st.just("dispute"), st.sampled_from(["D1", "D2", "D3"]), st.integers(0, 30), days,
              st.sampled_from(REASONS), st.sampled_from([None, 0, 9]),
              st.sampled_from(["station", "manufacturer", "withdrawn"])),
    st.tuples(st.just("fx"), st.sampled_from(["2024-03", "2024-04", "2024-05"]), st.sampled_from(["0.23", "0.25"])),
    st.tuples(st.just("station"), st.sampled_from(["S_FR", "S_DE", "S_MTN"]), st.sampled_from(["FR", "DE"]),
              st.sampled_from([None, "FR10", "FR30"])),
    st.tuples(st.just("policy"), st.just("M02"), st.sampled_from(["2024-01-01", "2024-03-05"]),
              st.sampled_from([60, 75]), st.sampled_from([10, 30, 90]), st.sampled_from([None, "2024-06-01"])),
    st.tuples(st.just("policy"), st.just("M04")),
    st.tuples(st.just("entry"), st.integers(0, 500), st.sampled_from(["waive", "confirm", "document_sent",
                                                                       "justification", "comment"])),
)


# ------------------------------------------------------------------ comparing with a full rebuild

def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    # every derived table, and the findings as readers see them (the view completing outlier explanations)
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in models.rebuild_equal_tables() + ["findings"]}


def assert_history_is_current(con: duckdb.DuckDBPyConnection) -> None:
    open_findings = con.execute("SELECT intervention_id, code, doc_type, severity, explanation, manufacturer_id, "
                                "repair_code FROM finding_history WHERE valid_to IS NULL ORDER BY ALL").fetchall()
    assert open_findings == con.execute("SELECT intervention_id, code, doc_type, severity, explanation, manufacturer_id, "
                                        "repair_code FROM finding_rows ORDER BY ALL").fetchall()
    open_groups = con.execute("SELECT manufacturer_id, repair_code, n, p95_labor, p95_parts, labor_evidence, "
                              "parts_evidence FROM outlier_group_history WHERE valid_to IS NULL ORDER BY ALL").fetchall()
    assert open_groups == con.execute("SELECT * FROM outlier_groups ORDER BY ALL").fetchall()
    # the explanations as of now, completed from the history as explain --as-of does, are the current ones
    shown_now = con.execute("SELECT r.intervention_id, r.code, r.severity, r.doc_type, "
                            + sql.load("fragments/outlier_explanation") +
                            " FROM finding_history r LEFT JOIN outlier_group_history g ON g.valid_to IS NULL"
                            " AND g.manufacturer_id = r.manufacturer_id AND g.repair_code = r.repair_code"
                            " WHERE r.valid_to IS NULL ORDER BY ALL").fetchall()
    assert shown_now == con.execute("SELECT * FROM findings ORDER BY ALL").fetchall()
    open_status = con.execute("SELECT intervention_id, status, finding_codes, waived_codes FROM status_history "
                              "WHERE valid_to IS NULL ORDER BY ALL").fetchall()
    assert open_status == con.execute("SELECT intervention_id, status, finding_codes, waived_codes "
                                      "FROM intervention_status ORDER BY ALL").fetchall()


def assert_equal_tables(got: dict, want: dict, step: int, op: tuple) -> None:
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], f"step {step} {op}: table {table} differs from the full rebuild"


@pytest.fixture(autouse=True)
def always_incremental(monkeypatch):
    """On a store this small most changes touch a quarter of it: keep them incremental anyway."""
    monkeypatch.setattr(models, "FULL_REFRESH_SHARE", 1.0)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The fixture's store, built and refreshed once; each example works on a copy."""
    path = tmp_path_factory.mktemp("incremental") / "fixture.duckdb"
    fx.build_file(path)
    return path


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=1, max_size=6))
def test_incremental_refresh_equals_full_rebuild(template, tmp_path, ops):
    """After each delta, the incremental refresh's tables are compared with a full rebuild run on the
    store's copy: the store itself goes on from its incremental state, never reset by a rebuild, and
    since each step is proven equal, comparing each step is comparing the whole sequence."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(template, path)
    con = duckdb.connect(str(path))
    try:
        for step, op in enumerate(ops, start=1):
            changes.start(con)
            apply(con, op)
            assert models.refresh_pending(con).mode == "incremental"
            got = snapshot(con)
            assert_history_is_current(con)
            fx.assert_bands_count_their_values(con)
            con.execute("CHECKPOINT")
            rebuilt_path = tmp_path / f"rebuilt-{step}.duckdb"
            rebuilt_path.with_name(rebuilt_path.name + ".wal").unlink(missing_ok=True)
            shutil.copyfile(path, rebuilt_path)
            with duckdb.connect(str(rebuilt_path)) as rebuilt:
                models.refresh(rebuilt)
                assert_equal_tables(got, snapshot(rebuilt), step, op)
    finally:
        con.close()
