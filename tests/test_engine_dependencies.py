"""The incremental refresh's dependency rules, with hand-computed expectations on the engine fixture
(tests/engine_fixture.py): a comeback re-flags the first intervention, a moved outlier threshold
re-flags its group, a policy change recomputes that brand only, a finding entry only its intervention.
Plus the command line: ``refresh --full`` and ``explain ID --as-of``."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests import engine_fixture as fx
from analytics.contract import policy_format
from analytics.contract.importer import import_into
from analytics.core import sql
from analytics.engine import changes, models

D = dt.date.fromisoformat
ROOT = Path(__file__).resolve().parent.parent


def add_intervention(con, iid: str, **values) -> None:
    row = dict(fx.DEFAULTS, intervention_id=iid, serial_number=f"SER-{iid}")
    row.update(values)
    con.execute(fx.INSERT_INTERVENTION.replace("INSERT INTO", "INSERT OR REPLACE INTO", 1),
                [row[c] for c in fx.INTERVENTION_COLUMNS])
    con.execute("INSERT OR REPLACE INTO documents (intervention_id, doc_type, received_on) VALUES (?, 'technician_report', ?)", [iid, row["submitted_on"]])
    changes.record(con, "intervention", [iid])
    changes.record(con, "document", [iid])


def codes(con, iid: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT code FROM findings WHERE intervention_id = ? ORDER BY code", [iid]).fetchall()]


def test_a_comeback_reflags_the_first_intervention():
    con = fx.build()
    cell = ("SELECT n_comeback FROM rollup_intervention_cells "
            "WHERE manufacturer_id = 'M01' AND month = '2024-03' AND station_id = 'S_DE'")
    comebacks_before = con.execute(cell).fetchall()[0][0]
    assert con.execute("SELECT comeback_90 FROM intervention_facts WHERE intervention_id = 'A_LAB15'").fetchall() == [(False,)]
    # A_LAB15: M01, serial SER-A_LAB15, completed 2024-03-02. K1 comes back for the same unit on 2024-03-20:
    # gap 18 days <= M01's repeat window (30): REPEAT_REPAIR on K1, labour 0; A_LAB15 gets comeback_90.
    add_intervention(con, "K1", serial_number="SER-A_LAB15", requested_on=D("2024-03-20"),
                     completed_on=D("2024-03-21"), submitted_on=D("2024-03-22"))
    done = models.refresh_pending(con)
    assert done.mode == "incremental"
    # K1's findings and amounts are recomputed; of the intervention it comes back to, only the facts
    # (comeback_90: its findings look further back only)
    assert (done.interventions, done.statuses) == (1, 2)
    assert con.execute("SELECT first_intervention_id, comeback_intervention_id, gap_days FROM comebacks WHERE comeback_intervention_id = 'K1'").fetchall() == [("A_LAB15", "K1", 18)]
    assert "REPEAT_REPAIR" in codes(con, "K1")
    assert con.execute("SELECT labor_amount FROM intervention_amounts WHERE intervention_id = 'K1'").fetchall()[0][0] == 0
    assert con.execute("SELECT comeback_90 FROM intervention_facts WHERE intervention_id = 'A_LAB15'").fetchall() == [(True,)]
    assert con.execute(cell).fetchall()[0][0] == comebacks_before + 1
    # corrected to another unit: both flags go
    changes.start(con)
    add_intervention(con, "K1", serial_number="SER-ELSE", requested_on=D("2024-03-20"),
                     completed_on=D("2024-03-21"), submitted_on=D("2024-03-22"))
    done = models.refresh_pending(con)
    assert (done.interventions, done.statuses) == (1, 2)
    assert "REPEAT_REPAIR" not in codes(con, "K1")
    assert con.execute("SELECT comeback_90 FROM intervention_facts WHERE intervention_id = 'A_LAB15'").fetchall() == [(False,)]
    assert con.execute(cell).fetchall()[0][0] == comebacks_before


def test_an_earlier_repair_arriving_late_reflags_the_later_one():
    con = fx.build()
    assert "REPEAT_REPAIR" not in codes(con, "A_LAB15")
    # E1 repaired A_LAB15's unit before it: completed 2024-02-12, A_LAB15 requested 2024-03-01: gap 18
    # days <= M01's repeat window (30): A_LAB15 becomes a repeat (labour 0) and E1 gets comeback_90.
    add_intervention(con, "E1", serial_number="SER-A_LAB15", requested_on=D("2024-02-10"),
                     completed_on=D("2024-02-12"), submitted_on=D("2024-02-13"))
    done = models.refresh_pending(con)
    assert (done.mode, done.interventions, done.statuses) == ("incremental", 2, 2)
    assert "REPEAT_REPAIR" in codes(con, "A_LAB15")
    assert con.execute("SELECT labor_amount FROM intervention_amounts WHERE intervention_id = 'A_LAB15'").fetchall()[0][0] == 0
    assert con.execute("SELECT comeback_90 FROM intervention_facts WHERE intervention_id = 'E1'").fetchall() == [(True,)]
    assert_equals_full_rebuild(con)


def test_a_comeback_after_90_days_leaves_the_first_intervention_alone():
    con = fx.build()
    # K2 comes back to A_LAB15's unit 200 days after it (a pair: <= 366) but after 90 days: A_LAB15's
    # findings, amounts and facts stay as they are, so the refresh does not touch it
    add_intervention(con, "K2", serial_number="SER-A_LAB15", requested_on=D("2024-09-18"),
                     completed_on=D("2024-09-19"), submitted_on=D("2024-09-20"))
    done = models.refresh_pending(con)
    assert (done.mode, done.interventions, done.statuses) == ("incremental", 1, 1)
    assert con.execute("SELECT first_intervention_id, gap_days FROM comebacks WHERE comeback_intervention_id = 'K2'"
                       ).fetchall() == [("A_LAB15", 200)]
    assert con.execute("SELECT comeback_90 FROM intervention_facts WHERE intervention_id = 'A_LAB15'").fetchall() == [(False,)]
    assert_equals_full_rebuild(con)


def assert_equals_full_rebuild(con) -> None:
    got = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in models.rebuild_equal_tables()}
    models.refresh(con)
    for table, rows in got.items():
        assert rows == con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall(), table


def test_a_moved_threshold_reflags_its_group():
    con = fx.build()
    # M04 / OUT-20: labour 1..19 and 100 (O20_20). p95 over 20 values: position 19 * 0.95 = 18.05 between
    # 19 and 100 -> 23.05, so O20_20 is a LABOR_OUTLIER. Parts: 19 x 0 and 7.00 -> p95 0.35, O20_20 is a
    # PARTS_OUTLIER.
    assert codes(con, "O20_20") == ["LABOR_OUTLIER", "NO_POLICY", "PARTS_OUTLIER"]
    # A 21st intervention at 200 min: position 20 * 0.95 = 19 -> exactly the 20th value, 100; 100 > 100 is
    # false, so O20_20 is no longer a labour outlier and N21 is. Parts: 20 x 0 and 7.00 -> p95 = 0.
    add_intervention(con, "N21", manufacturer_id="M04", repair_code="OUT-20", labor_minutes=200, parts_cost=None)
    done = models.refresh_pending(con)
    # the group's threshold moved: its outliers under the old (O20_20) or new thresholds (N21, O20_20 for
    # its parts) get their outlier findings recomputed; the statuses of the two whose codes changed
    assert (done.mode, done.interventions, done.outlier_interventions, done.statuses) == ("incremental", 1, 2, 2)
    assert codes(con, "O20_20") == ["NO_POLICY", "PARTS_OUTLIER"]
    assert codes(con, "N21") == ["LABOR_OUTLIER", "NO_POLICY"]
    assert con.execute("SELECT explanation FROM findings WHERE intervention_id = 'N21' AND code = 'LABOR_OUTLIER'"
                       ).fetchall()[0][0] == ("Labour 200 min is above the 95th percentile (100 min) of the 21 "
                                              "interventions of M04 with repair code OUT-20.")
    assert con.execute("SELECT explanation FROM findings WHERE intervention_id = 'O20_20' AND code = 'PARTS_OUTLIER'"
                       ).fetchall()[0][0] == ("Parts cost 7.00 is above the 95th percentile (0.00) of the 21 "
                                              "interventions of M04 with repair code OUT-20.")
    assert con.execute("SELECT finding_codes FROM intervention_status WHERE intervention_id = 'O20_20'"
                       ).fetchall() == [("NO_POLICY;PARTS_OUTLIER",)]
    # the other group (OUT-19, 19 interventions: no threshold) was not touched
    assert con.execute("SELECT count(*) FROM outlier_groups WHERE repair_code = 'OUT-19'").fetchall() == [(0,)]


def test_a_new_member_rewrites_no_finding_whose_flag_stays(monkeypatch):
    """The group's threshold moves but O20_20 stays an outlier: its stored finding and its history row
    are kept; the explanation read now names the new threshold and size, the one read as of the day
    before names those of that day."""
    from analytics.access.scope import Scope
    from analytics.verification import history
    con = fx.build()
    day1, day2 = dt.datetime(2030, 1, 1, 12), dt.datetime(2030, 1, 2, 12)
    monkeypatch.setattr(models, "_now", lambda: day1)
    models.refresh(con)
    before = con.execute("SELECT * FROM finding_rows WHERE intervention_id = 'O20_20' ORDER BY code").fetchall()
    history_before = con.execute("SELECT * FROM finding_history WHERE intervention_id = 'O20_20' ORDER BY ALL").fetchall()
    # M04 / OUT-20 was labour 1..19 and 100 (p95 23.05, see above). A 21st at 30 min: position 20 * 0.95 = 19
    # -> the 20th value, 30: O20_20 (100) stays a labour outlier, N21 (30 > 30 false) is none. Parts: 20 x 0
    # and 7.00 -> p95 0 (was 0.35): O20_20 stays a parts outlier.
    monkeypatch.setattr(models, "_now", lambda: day2)
    add_intervention(con, "N21", manufacturer_id="M04", repair_code="OUT-20", labor_minutes=30, parts_cost=None)
    done = models.refresh_pending(con)
    assert (done.interventions, done.outlier_interventions, done.statuses) == (1, 1, 1)
    assert con.execute("SELECT * FROM finding_rows WHERE intervention_id = 'O20_20' ORDER BY code").fetchall() == before
    assert con.execute("SELECT explanation FROM findings WHERE intervention_id = 'O20_20' AND code = 'LABOR_OUTLIER'"
                       ).fetchall()[0][0] == ("Labour 100 min is above the 95th percentile (30 min) of the 21 "
                                              "interventions of M04 with repair code OUT-20.")
    assert con.execute("SELECT * FROM finding_history WHERE intervention_id = 'O20_20' ORDER BY ALL"
                       ).fetchall() == history_before  # not closed, not reopened

    def shown(moment):
        found = history.as_of(con, Scope.manager(), "O20_20", moment)["findings"]
        return {f["code"]: f["explanation"] for f in found if f["code"].endswith("_OUTLIER")}
    assert shown(history.end_of_day(day1.date())) == {
        "LABOR_OUTLIER": "Labour 100 min is above the 95th percentile (23.05 min) of the 20 interventions of M04 "
                         "with repair code OUT-20.",
        "PARTS_OUTLIER": "Parts cost 7.00 is above the 95th percentile (0.35) of the 20 interventions of M04 "
                         "with repair code OUT-20."}
    assert shown(history.end_of_day(day2.date())) == {
        "LABOR_OUTLIER": "Labour 100 min is above the 95th percentile (30 min) of the 21 interventions of M04 "
                         "with repair code OUT-20.",
        "PARTS_OUTLIER": "Parts cost 7.00 is above the 95th percentile (0.00) of the 21 interventions of M04 "
                         "with repair code OUT-20."}


def test_a_policy_change_recomputes_that_brand_only():
    con = fx.build()
    m02 = [iid for iid, values, _ in fx.CASES if values.get("manufacturer_id") == "M02"]
    assert len(m02) == 8
    history_before = con.execute("SELECT count(*) FROM status_history").fetchall()[0][0]
    parsed = policy_format.parse("M02.toml", fx.M02_TOML.replace("labor_rate_per_hour = 60", "labor_rate_per_hour = 75"))
    policy_format.store_policy(con, parsed)
    changes.record(con, "policy", ["M02"])
    done = models.refresh_pending(con)
    assert (done.mode, done.interventions, done.statuses) == ("incremental", 8, 8)
    # W_0301: 60 min at 75/h = 75.00 (was 60.00)
    assert con.execute("SELECT labor_amount FROM intervention_amounts WHERE intervention_id = 'W_0301'"
                       ).fetchall()[0][0] == 75
    # M01's combos are untouched, M02's rebuilt with the new rate
    assert con.execute("SELECT DISTINCT labor_rate_per_hour FROM policy_combo WHERE manufacturer_id = 'M02'"
                       ).fetchall() == [(75,)]
    # no status changed (labour is no rule's input here): the history opened nothing
    assert con.execute("SELECT count(*) FROM status_history").fetchall()[0][0] == history_before


def test_a_combo_goes_with_its_last_intervention_and_comes_back_with_it():
    con = fx.build()
    combos = ("SELECT station_id, interventions FROM policy_combo "
              "WHERE manufacturer_id = 'M01' AND valid_from = DATE '2024-01-01' AND station_id IN ('S_DE', 'S_MTN') "
              "ORDER BY ALL")
    # M01's 2024 version: 22 interventions at S_DE, T_MTN alone at S_MTN
    assert con.execute(combos).fetchall() == [("S_DE", 22), ("S_MTN", 1)]

    def move(station: str) -> None:
        changes.start(con)
        con.execute("UPDATE interventions SET station_id = ? WHERE intervention_id = 'T_MTN'", [station])
        changes.record(con, "intervention", ["T_MTN"])
        assert models.refresh_pending(con).mode == "incremental"

    move("S_DE")  # S_MTN's combo has no user left: it goes, with its resolved values
    assert con.execute(combos).fetchall() == [("S_DE", 23)]
    assert con.execute("SELECT count(*) FROM policy_resolved WHERE station_id = 'S_MTN'").fetchall() == [(0,)]
    move("S_MTN")  # built again
    assert con.execute(combos).fetchall() == [("S_DE", 22), ("S_MTN", 1)]
    incremental = con.execute("SELECT * FROM policy_combo ORDER BY ALL").fetchall()
    models.refresh(con)
    assert con.execute("SELECT * FROM policy_combo ORDER BY ALL").fetchall() == incremental


def test_an_entry_refreshes_its_intervention_only():
    con = fx.build()
    assert con.execute("SELECT status FROM intervention_status WHERE intervention_id = 'A_TRAV150'").fetchall() == [("review",)]
    sql.execute(con, "conversation/insert_entry", dict(
        entry_id=1, intervention_id="A_TRAV150", code="TRAVEL_OVER_CAP", doc_type="", kind="waive", author="ann",
        author_role="manufacturer", written_at=dt.datetime(2025, 1, 1), body="agreed", sent_doc_type=None,
        sent_doc_received_on=None))
    changes.record(con, "entry", ["A_TRAV150"])
    done = models.refresh_pending(con)
    assert (done.mode, done.interventions, done.statuses, done.cells) == ("incremental", 0, 1, 1)
    assert con.execute("SELECT status, waived_codes FROM intervention_status WHERE intervention_id = 'A_TRAV150'"
                       ).fetchall() == [("ready", "TRAVEL_OVER_CAP")]
    # the history keeps both: review until this refresh, ready since
    rows = con.execute("SELECT status, valid_to IS NULL FROM status_history WHERE intervention_id = 'A_TRAV150' "
                       "ORDER BY valid_from").fetchall()
    assert rows == [("review", False), ("ready", True)]


def test_a_dispute_moved_to_another_intervention_follows_it():
    con = fx.build()
    facts = ("SELECT dispute_id, intervention_id, reason, finding_codes, prevented, prevented_waived "
             "FROM dispute_facts ORDER BY ALL")
    counted = ("SELECT intervention_id, disputes FROM intervention_facts "
               "WHERE intervention_id IN ('M_OVER', 'VAT_OK') ORDER BY ALL")
    upsert = ("INSERT OR REPLACE INTO disputes (dispute_id, invoice_id, intervention_id, opened_on, opened_by, "
              "reason, disputed_amount) VALUES ('DX', 'INV_1', ?, DATE '2024-06-01', 'manufacturer', "
              "'AMOUNT_MISMATCH', 12.50)")
    # INV_1 line 4 bills M_OVER, whose only finding is AMOUNT_MISMATCH: the dispute's reason was caught
    changes.start(con)
    con.execute(upsert, ["M_OVER"])
    changes.record(con, "dispute", ["DX"])
    assert models.refresh_pending(con).mode == "incremental"
    assert con.execute(facts).fetchall() == [("DX", "M_OVER", "AMOUNT_MISMATCH", "AMOUNT_MISMATCH", True, False)]
    assert con.execute(counted).fetchall() == [("M_OVER", 1), ("VAT_OK", 0)]
    # moved to line 6's VAT_OK (no finding): the one row follows it, not prevented; M_OVER counts none
    changes.start(con)
    con.execute(upsert, ["VAT_OK"])
    changes.record(con, "dispute", ["DX"])
    assert models.refresh_pending(con).mode == "incremental"
    assert con.execute(facts).fetchall() == [("DX", "VAT_OK", "AMOUNT_MISMATCH", "", False, False)]
    assert con.execute(counted).fetchall() == [("M_OVER", 0), ("VAT_OK", 1)]
    # the row carries VAT_OK's engine key and attribution, as the full rebuild gives it
    incremental = con.execute("SELECT * FROM dispute_facts").fetchall()
    assert con.execute("SELECT d.iv_key = i.iv_key FROM dispute_facts d JOIN interventions i USING (intervention_id)"
                       ).fetchall() == [(True,)]
    models.refresh(con)
    assert con.execute("SELECT * FROM dispute_facts").fetchall() == incremental


def test_nothing_recorded_means_a_full_refresh():
    con = fx.build()
    assert models.refresh_pending(con).mode == "full"
    changes.start(con)  # recording, nothing changed: nothing to do
    done = models.refresh_pending(con)
    assert (done.mode, done.interventions, done.statuses, done.cells) == ("incremental", 0, 0, 0)


# ------------------------------------------------------------------ command line

def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)


@pytest.fixture(scope="module")
def store_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store.duckdb"
    fx.build_file(path)
    return path


def test_refresh_full_rebuilds_every_table(store_file):
    con = __import__("duckdb").connect(str(store_file))
    con.execute("DELETE FROM finding_rows")  # a derived table out of step with the data
    con.close()
    done = run_cli("refresh", "--full", "--db", str(store_file))
    assert done.returncode == 0, done.stderr
    assert "refreshed every derived table" in done.stdout
    con = __import__("duckdb").connect(str(store_file), read_only=True)
    assert con.execute("SELECT code FROM findings WHERE intervention_id = 'A_TRAV150'").fetchall() == [("TRAVEL_OVER_CAP",)]
    con.close()
    assert run_cli("refresh", "--db", str(store_file)).returncode == 2  # --full is the only mode
    assert run_cli("refresh", "--full", "--db", str(store_file.with_name("none.duckdb"))).returncode == 1


def test_explain_as_of(store_file):
    now = run_cli("explain", "A_TRAV150", "--as-of", "2100-01-01", "--db", str(store_file))
    assert now.returncode == 0, now.stderr
    assert "as of 2100-01-01 23:59:59 UTC — status REVIEW (TRAVEL_OVER_CAP)" in now.stdout
    assert "Travel 150 km > cap of 100 km" in now.stdout
    before = run_cli("explain", "A_TRAV150", "--as-of", "2000-01-01", "--db", str(store_file))
    assert before.returncode == 0 and "not in the store yet at 2000-01-01 23:59:59 UTC" in before.stdout
    unknown = run_cli("explain", "NOPE", "--as-of", "2100-01-01", "--db", str(store_file))
    assert unknown.returncode == 1 and "no intervention 'NOPE'" in unknown.stderr
    assert run_cli("explain", "A_TRAV150", "--as-of", "2024-02-30", "--db", str(store_file)).returncode == 2


def test_an_import_records_what_it_replaces(tmp_path):
    """Through the real importer: a corrected intervention, an invoice line moved to another
    intervention and a new document; the incremental refresh equals the full rebuild."""
    con = fx.build()
    cols = ",".join(fx.INTERVENTION_COLUMNS)
    row = dict(fx.DEFAULTS, intervention_id="A_LAB15", serial_number="SER-A_LAB15", labor_minutes=30)
    (tmp_path / "interventions.csv").write_text(
        cols + "\n" + ",".join("" if row[c] is None else str(row[c]) for c in fx.INTERVENTION_COLUMNS) + "\n")
    # INV_1 line 3 billed M_EQ; it now bills M_OVER, which has then two parts lines on INV_1
    (tmp_path / "invoice_lines.csv").write_text(
        "invoice_id,line_no,intervention_id,kind,amount,vat_rate\nINV_1,3,M_OVER,parts,56.11,0.20\n")
    (tmp_path / "documents.csv").write_text("intervention_id,doc_type,received_on\nA_LAB15,photo,2024-03-04\n")
    result = import_into(con, [tmp_path])
    assert result.ok, result.problems
    recorded = set(con.execute("SELECT kind, key FROM engine_changes").fetchall())
    assert recorded == {("intervention", "A_LAB15"), ("line", "M_OVER"), ("line", "M_EQ"), ("document", "A_LAB15")}
    assert models.refresh_pending(con).mode == "incremental"
    # 30 min at 48.50/h = 24.25; M_EQ no longer invoiced; M_OVER asks 56.12 + 56.11 = 112.23
    assert con.execute("SELECT labor_amount FROM intervention_amounts WHERE intervention_id = 'A_LAB15'"
                       ).fetchall()[0][0] == Decimal("24.25")
    assert con.execute("SELECT invoiced FROM intervention_amounts WHERE intervention_id = 'M_EQ'").fetchall() == [(False,)]
    assert con.execute("SELECT requested_amount FROM intervention_amounts WHERE intervention_id = 'M_OVER'"
                       ).fetchall()[0][0] == Decimal("112.23")
    assert_equals_full_rebuild(con)
