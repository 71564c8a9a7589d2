"""The conversation on findings: permissions, append-only threads, decisions in the
engine (status, ready_rate, dispute prevention), the journal write path, re-import and export.

Data: ``tests/engine_fixture.py`` (hand-built store; expected findings in its comments), plus one
dispute added here. Relevant rows: DOC_NONE (S_FR, M01: three DOC_MISSING, blocked), D_31
(S_DE, M01: LATE_SUBMISSION only, review), DUP_SAME (S_DE, M01: DUPLICATE_CLAIM blocked +
AMOUNT_MISMATCH review). Station S_DE has 17 M01 interventions completed in 2024-03, 11 ready.
"""
from __future__ import annotations

import datetime as dt
import inspect
import re
import shutil
from pathlib import Path

import pytest

from analytics.engine import journal
from analytics.conversation import threads as cv
from analytics.metrics import disputes, table as metrics
from analytics.contract import export
from analytics.core import store
from analytics.engine import publishing
from analytics.core.filters import Filters
from analytics.access.scope import Scope, ScopeError
from analytics.access.viewer import Viewer
from tests import engine_fixture
from tests.apptest import run_page

ROOT = Path(__file__).resolve().parents[1]
STATION_FR = Viewer("paris", Scope.station("S_FR"))
STATION_DE = Viewer("berlin", Scope.station("S_DE"))
BRAND = Viewer("brand1", Scope.manufacturer("M01"))
OTHER_BRAND = Viewer("brand2", Scope.manufacturer("M02"))
MANAGER = Viewer("boss", Scope.manager())
NOW = dt.datetime(2024, 4, 10, 9, 30)


@pytest.fixture(scope="session")
def base_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("conv") / "base.duckdb"
    engine_fixture.build_file(path)
    with publishing.writer(path) as con:  # a dispute on D_31 for LATE_SUBMISSION (prevented by its finding)
        con.execute("INSERT INTO invoices VALUES ('INV_D31', 'M01', 'S_DE', DATE '2024-04-05', 'EUR', NULL, NULL)")
        con.execute("INSERT INTO invoice_lines (invoice_id, line_no, intervention_id, kind, amount, vat_rate) VALUES ('INV_D31', 1, 'D_31', 'labor', 48.50, 0.20)")
        con.execute("INSERT INTO disputes VALUES ('DSP1', 'INV_D31', 'D_31', DATE '2024-04-20', 'manufacturer', "
                    "'LATE_SUBMISSION', 10.00, NULL, NULL, NULL)")
    store.close_readers()
    return path


@pytest.fixture()
def db(base_store, tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copyfile(base_store, path)
    return path


def status_of(path, iid):
    con = store.reader(path)
    return con.execute("SELECT status, finding_codes, waived_codes, waived_note FROM intervention_status "
                       "WHERE intervention_id = $i", {"i": iid}).fetchall()[0]


def stored_entries(path):
    return store.reader(path).execute("SELECT * FROM finding_entries ORDER BY entry_id").fetchall()


# ---------------------------------------------------------------- permissions

ALLOWED_CASES = [
    (STATION_FR, "justification", "DOC_MISSING", "proof_of_purchase"),
    (STATION_FR, "document_sent", "DOC_MISSING", "proof_of_purchase"),
    (STATION_FR, "comment", "DOC_MISSING", "proof_of_purchase"),
    (BRAND, "waive", "DOC_MISSING", "proof_of_purchase"),
    (BRAND, "confirm", "DOC_MISSING", "proof_of_purchase"),
    (BRAND, "comment", "DOC_MISSING", "proof_of_purchase"),
    (MANAGER, "comment", "DOC_MISSING", "proof_of_purchase"),
]
REFUSED_CASES = [
    (STATION_FR, "waive"), (STATION_FR, "confirm"),              # a station does not decide
    (BRAND, "justification"), (BRAND, "document_sent"),          # a manufacturer does not answer
    (MANAGER, "waive"), (MANAGER, "confirm"), (MANAGER, "justification"), (MANAGER, "document_sent"),
    (STATION_DE, "justification"), (STATION_DE, "comment"),      # not its station's intervention
    (OTHER_BRAND, "waive"), (OTHER_BRAND, "comment"),            # not its brand's intervention
]


def _write(path, viewer, kind, code="DOC_MISSING", doc_type="proof_of_purchase", iid="DOC_NONE", **kw):
    extra = {}
    if kind == "document_sent":
        extra = dict(sent_doc_type=doc_type, sent_doc_received_on=dt.date(2024, 4, 1))
    return cv.add_entry(path, viewer, iid, code, kind, "a reason", doc_type=doc_type, now=NOW, **extra, **kw)


@pytest.mark.parametrize("viewer,kind,code,doc_type", ALLOWED_CASES)
def test_each_role_may_write_what_it_is_allowed(db, viewer, kind, code, doc_type):
    written = _write(db, viewer, kind, code, doc_type, publish=False)
    assert written.applied is False  # not published: waits in the journal
    pending = journal.pending_entries(db)
    assert [(e.kind, e.author, e.author_role) for e in pending] == [(kind, viewer.username, viewer.role)]
    assert pending[0].written_at == NOW


@pytest.mark.parametrize("viewer,kind", REFUSED_CASES)
def test_each_role_is_refused_what_it_may_not_write(db, viewer, kind):
    with pytest.raises(ScopeError):
        _write(db, viewer, kind, publish=False)
    assert journal.pending_entries(db) == [] and stored_entries(db) == []


def test_allowed_kinds_per_role():
    assert cv.allowed_kinds("station") == ("justification", "document_sent", "comment")
    assert cv.allowed_kinds("manufacturer") == ("waive", "confirm", "comment")
    assert cv.allowed_kinds("manager") == ("comment",)


@pytest.mark.parametrize("call,message", [
    (lambda p: cv.waive(p, BRAND, "D_31", "LATE_SUBMISSION", "   "), "body: required"),
    (lambda p: cv.justify(p, STATION_DE, "D_31", "LATE_SUBMISSION", ""), "body: required"),
    (lambda p: cv.add_entry(p, STATION_DE, "D_31", "LATE_SUBMISSION", "document_sent", "x",
                            sent_doc_received_on="2024-04-01"), "DOC_MISSING"),
    (lambda p: cv.send_document(p, STATION_FR, "DOC_NONE", "proof_of_purchase", "2024-02-30"), "not a date"),
    (lambda p: cv.send_document(p, STATION_FR, "DOC_NONE", "proof_of_purchase", "2024-05-01", now=NOW), "future"),
    (lambda p: cv.send_document(p, STATION_FR, "DOC_NONE", "proof_of_purchase", None), "required"),
    (lambda p: cv.justify(p, STATION_DE, "D_31", "VAT_MISMATCH", "why"), "no current VAT_MISMATCH"),
    (lambda p: cv.justify(p, STATION_FR, "DOC_NONE", "DOC_MISSING", "why"), "doc_type"),
    (lambda p: cv.justify(p, STATION_DE, "D_31", "LATE_SUBMISSION", "why", doc_type="x"), "doc_type"),
    (lambda p: cv.add_entry(p, STATION_DE, "D_31", "LATE_SUBMISSION", "edit", "x"), "kind"),
    (lambda p: cv.comment(p, MANAGER, "NOPE", "LATE_SUBMISSION", "x"), "no intervention"),
    (lambda p: cv.comment(p, MANAGER, "D_31", "LATE_SUBMISSION", "x" * (cv.MAX_BODY + 1)), "at most"),
])
def test_bad_input_is_refused_with_the_field_and_rule(db, call, message):
    with pytest.raises(cv.ConversationError, match=re.escape(message)):
        call(db)
    assert journal.pending_entries(db) == []


def test_a_station_cannot_probe_other_stations_interventions(db):
    with pytest.raises(ScopeError) as unknown:
        cv.comment(db, STATION_DE, "NOPE", "LATE_SUBMISSION", "x")
    with pytest.raises(ScopeError) as foreign:
        cv.comment(db, STATION_DE, "DOC_NONE", "DOC_MISSING", "x", doc_type="proof_of_purchase")
    assert "not one of station S_DE" in str(unknown.value) and "not one of station S_DE" in str(foreign.value)


# ---------------------------------------------------------------- status follows decisions

def _ready_rate(path, scope=Scope.manager()):
    f = Filters(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31), station_ids=("S_DE",),
                manufacturer_ids=("M01",))
    return float(metrics.metric_table(store.reader(path), scope, f)["ready_rate"].iloc[0])


def test_waiver_makes_the_intervention_ready_and_moves_ready_rate(db):
    assert status_of(db, "D_31") == ("review", "LATE_SUBMISSION", "", None)
    assert _ready_rate(db) == pytest.approx(11 / 17)
    cv.justify(db, STATION_DE, "D_31", "LATE_SUBMISSION", "customer was abroad", now=NOW)
    assert status_of(db, "D_31")[0] == "review"  # an answer alone changes nothing
    w = cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "accepted: customer abroad", now=NOW)
    assert w.applied
    status, codes, waived, note = status_of(db, "D_31")
    assert (status, codes, waived) == ("ready", "", "LATE_SUBMISSION")
    assert note == "LATE_SUBMISSION: waived by brand1 on 2024-04-10: accepted: customer abroad"
    assert _ready_rate(db) == pytest.approx(12 / 17)
    assert _ready_rate(db, Scope.station("S_DE")) == pytest.approx(12 / 17)
    note = cv.waiver_note(store.reader(db), Scope.manager())
    assert note["settled_findings"] == 1 and note["interventions_with_settled"] == 1
    assert "ready_rate" in note["note"] and "dispute prevention" in note["note"]


def test_a_later_decision_supersedes_an_earlier_one(db):
    cv.confirm(db, BRAND, "D_31", "LATE_SUBMISSION", "late is late", now=NOW)
    assert status_of(db, "D_31")[0] == "review"
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "on second thought, fine", now=NOW)
    assert status_of(db, "D_31")[0] == "ready"
    cv.confirm(db, BRAND, "D_31", "LATE_SUBMISSION", "no, policy is policy", now=NOW)
    assert status_of(db, "D_31") == ("review", "LATE_SUBMISSION", "", None)
    assert [r[4] for r in stored_entries(db)] == ["confirm", "waive", "confirm"]


def test_confirmed_blocking_finding_stays_blocking(db):
    cv.justify(db, STATION_DE, "DUP_SAME", "DUPLICATE_CLAIM", "second invoice was a correction", now=NOW)
    cv.confirm(db, BRAND, "DUP_SAME", "DUPLICATE_CLAIM", "labour billed twice", now=NOW)
    assert status_of(db, "DUP_SAME")[:2] == ("blocked", "AMOUNT_MISMATCH;DUPLICATE_CLAIM")
    row = cv.findings(store.reader(db), Scope.station("S_DE"), "DUP_SAME")
    dup = row[row["code"] == "DUPLICATE_CLAIM"].iloc[0]
    assert dup["state"] == "confirmed" and dup["decided_by"] == "brand1" and not dup["settled"]
    # waiving only the review finding leaves it blocked
    cv.waive(db, BRAND, "DUP_SAME", "AMOUNT_MISMATCH", "gap explained", now=NOW)
    assert status_of(db, "DUP_SAME")[:3] == ("blocked", "DUPLICATE_CLAIM", "AMOUNT_MISMATCH")


def test_document_sent_clears_doc_missing_for_that_type_only(db):
    assert status_of(db, "DOC_NONE")[0] == "blocked"
    cv.send_document(db, STATION_FR, "DOC_NONE", "technician_report", "2024-04-02", "by mail", now=NOW,
                     publish=False)
    cv.send_document(db, STATION_FR, "DOC_NONE", "proof_of_purchase", dt.date(2024, 4, 3), now=NOW)
    status, codes, waived, note = status_of(db, "DOC_NONE")
    assert (status, codes, waived) == ("blocked", "DOC_MISSING", "DOC_MISSING")  # serial_plate_photo still missing
    assert "proof_of_purchase): document sent by paris, received 2024-04-03" in note
    cv.send_document(db, STATION_FR, "DOC_NONE", "serial_plate_photo", "2024-04-04", now=NOW)
    assert status_of(db, "DOC_NONE")[:2] == ("ready", "")
    # the manufacturer accepts one, rejects another (a confirm after the document: blocking again)
    cv.waive(db, BRAND, "DOC_NONE", "DOC_MISSING", "report received", doc_type="technician_report", now=NOW,
             publish=False)
    cv.confirm(db, BRAND, "DOC_NONE", "DOC_MISSING", "photo unreadable", doc_type="serial_plate_photo", now=NOW)
    assert status_of(db, "DOC_NONE")[:2] == ("blocked", "DOC_MISSING")
    states = cv.findings(store.reader(db), Scope.manufacturer("M01"), "DOC_NONE").set_index("doc_type")["state"]
    assert states.to_dict() == {"proof_of_purchase": "document_sent", "serial_plate_photo": "confirmed",
                                "technician_report": "waived"}


def test_dispute_prevention_takes_waivers_into_account(db):
    con = store.reader(db)
    before = disputes.dispute_prevention(con, Scope.manager(), Filters())
    assert (int(before["disputes"].iloc[0]), int(before["prevented"].iloc[0])) == (1, 1)
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "ok", now=NOW)
    con = store.reader(db)
    after = disputes.dispute_prevention(con, Scope.manager(), Filters())
    assert (int(after["disputes"].iloc[0]), int(after["prevented"].iloc[0])) == (1, 0)
    assert cv.waiver_note(con, Scope.manufacturer("M01"))["disputes_waived"] == 1
    assert cv.waiver_note(con, Scope.manufacturer("M02"))["disputes_waived"] == 0


def test_counters_for_each_side(db):
    con = store.reader(db)
    scope = Scope.station("S_DE")
    # reference: every current blocked/review finding of S_DE awaits an answer at first
    expected = con.execute(
        "SELECT count(*) FROM findings f JOIN interventions i USING (intervention_id) "
        "WHERE i.station_id = 'S_DE' AND f.severity IN ('blocked', 'review')").fetchall()[0][0]
    assert cv.counters(con, scope) == {"awaiting_answer": expected, "awaiting_decision": 0, "settled": 0,
                                       "confirmed": 0}
    cv.justify(db, STATION_DE, "D_31", "LATE_SUBMISSION", "abroad", now=NOW)
    assert cv.counters(store.reader(db), scope) == {"awaiting_answer": expected - 1, "awaiting_decision": 1,
                                                    "settled": 0, "confirmed": 0}
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "ok", now=NOW)
    assert cv.counters(store.reader(db), scope) == {"awaiting_answer": expected - 1, "awaiting_decision": 0,
                                                    "settled": 1, "confirmed": 0}
    # other station's view is not affected
    assert cv.counters(store.reader(db), Scope.station("S_FR"))["settled"] == 0


# ---------------------------------------------------------------- append-only, verbatim

NASTY = ["'); DROP TABLE finding_entries; --", "<script>alert(1)</script>", '=HYPERLINK("http://x","y")',
         "Łódź — 漢字 — emoji 🙂", "  leading and trailing spaces  \n second line"]


def test_text_is_stored_and_read_back_verbatim(db):
    for text in NASTY:
        cv.comment(db, MANAGER, "D_31", "LATE_SUBMISSION", text, publish=False, now=NOW)
    assert publishing.fold(db)
    df = cv.entries(store.reader(db), Scope.station("S_DE"), "D_31")
    assert list(df["body"]) == NASTY
    assert store.reader(db).execute("SELECT count(*) FROM finding_entries").fetchall()[0][0] == len(NASTY)


def test_no_public_function_updates_or_deletes_an_entry(db):
    cv.justify(db, STATION_DE, "D_31", "LATE_SUBMISSION", "first", now=NOW)
    before = stored_entries(db)
    # every public writing function only appends
    quiet = dict(now=NOW, publish=False)
    cv.comment(db, MANAGER, "D_31", "LATE_SUBMISSION", "c", **quiet)
    cv.justify(db, STATION_DE, "D_31", "LATE_SUBMISSION", "second", **quiet)
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "w", **quiet)
    cv.confirm(db, BRAND, "D_31", "LATE_SUBMISSION", "c", **quiet)
    cv.send_document(db, STATION_FR, "DOC_NONE", "proof_of_purchase", "2024-04-01", **quiet)
    cv.add_entry(db, MANAGER, "D_31", "LATE_SUBMISSION", "comment", "x", **quiet)
    assert publishing.fold(db)
    with publishing.writer(db) as con:  # fold_journal with nothing pending, and a plain refresh
        journal.fold_journal(con, db)
    after = stored_entries(db)
    assert after[:len(before)] == before and len(after) == len(before) + 6
    assert [r[0] for r in after] == sorted(r[0] for r in after)
    # no public name suggests an edit, and no SQL or Python path updates/deletes finding_entries
    names = [n for n, _ in inspect.getmembers(cv, inspect.isfunction) if not n.startswith("_")]
    assert not [n for n in names if re.search(r"update|delete|edit|remove|replace", n)]
    offenders = []
    pattern = re.compile(r"(UPDATE\s+(main\.)?finding_entries|DELETE\s+FROM\s+(main\.)?finding_entries|"
                         r"DROP\s+TABLE\s+(IF\s+EXISTS\s+)?(main\.)?finding_entries|"
                         r"TRUNCATE\s+(main\.)?finding_entries|OR\s+REPLACE\s+INTO\s+(main\.)?finding_entries)",
                         re.IGNORECASE)
    for path in list((ROOT / "queries").rglob("*.sql")) + list((ROOT / "analytics").rglob("*.py")):
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# ---------------------------------------------------------------- write path: journal and imports

def test_a_write_during_an_import_is_kept_and_folded_by_that_import(db):
    with publishing.writer(db) as con:  # an "import" holds the store
        w = cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "ok while importing", now=NOW)
        assert w.applied is False and "import" in w.message
        shown = cv.entries(store.reader(db), Scope.manufacturer("M01"), "D_31", path=db)
        assert list(shown["pending"]) == [True] and list(shown["body"]) == ["ok while importing"]
        assert status_of(db, "D_31")[0] == "review"  # not yet published
        con.execute("UPDATE interventions SET visits = 2 WHERE intervention_id = 'A_LAB15'")
    assert journal.pending_entries(db) == []
    assert status_of(db, "D_31")[0] == "ready"
    assert [r[8] for r in stored_entries(db)] == ["ok while importing"]
    assert publishing.fold(db) and not journal.journal_path(db).exists()  # published lines are pruned


def test_a_failed_import_loses_no_entry(db):
    with pytest.raises(RuntimeError):
        with publishing.writer(db):
            cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "kept", now=NOW)
            raise RuntimeError("import refused")
    assert [e.body for e in journal.pending_entries(db)] == ["kept"]
    assert publishing.fold(db)
    assert status_of(db, "D_31")[0] == "ready"


def test_folding_twice_duplicates_nothing_and_a_torn_line_is_ignored(db):
    cv.comment(db, MANAGER, "D_31", "LATE_SUBMISSION", "once", publish=False, now=NOW)
    with open(journal.journal_path(db), "a", encoding="utf-8") as fh:
        fh.write('{"entry_id": 12, "interv')  # a crash mid-append, never acknowledged
    assert publishing.fold(db)
    with publishing.writer(db) as con:
        assert journal.fold_journal(con, db) == 0
    assert [r[8] for r in stored_entries(db)] == ["once"]


def test_entries_survive_a_reimport_and_a_resolved_finding_keeps_its_thread(db, tmp_path):
    from analytics.contract.importer import import_paths

    cv.justify(db, STATION_FR, "DOC_NONE", "DOC_MISSING", "will send", doc_type="proof_of_purchase", now=NOW,
              publish=False)
    cv.comment(db, MANAGER, "D_31", "LATE_SUBMISSION", "watching", now=NOW)
    before = stored_entries(db)
    folder = tmp_path / "export"
    export.export(db, folder)
    # the new import brings the missing document: the finding is resolved by the data
    with open(folder / "documents.csv", "a", encoding="utf-8") as fh:
        fh.write("DOC_NONE,proof_of_purchase,2024-04-05\n")
    result = import_paths(db, [folder])
    assert result.ok, result.problems
    assert stored_entries(db) == before
    df = cv.findings(store.reader(db), Scope.station("S_FR"), "DOC_NONE")
    resolved = df[df["doc_type"] == "proof_of_purchase"].iloc[0]
    assert not resolved["finding_exists"] and resolved["entries"] == 1
    # only comments may still be added to a resolved finding
    with pytest.raises(cv.ConversationError, match="finding resolved"):
        cv.justify(db, STATION_FR, "DOC_NONE", "DOC_MISSING", "again", doc_type="proof_of_purchase")
    cv.comment(db, STATION_FR, "DOC_NONE", "DOC_MISSING", "thanks", doc_type="proof_of_purchase", now=NOW)
    assert len(stored_entries(db)) == len(before) + 1


def _round_trip(db, tmp_path, texts):
    from analytics.contract.importer import import_paths

    for text in texts:
        cv.comment(db, MANAGER, "D_31", "LATE_SUBMISSION", text, publish=False, now=NOW)
    assert publishing.fold(db)
    folder = tmp_path / "export"
    export.export(db, folder)
    fresh = tmp_path / "fresh.duckdb"
    assert import_paths(fresh, [folder]).ok
    return stored_entries(fresh)


def test_round_trip_keeps_surrounding_spaces(db, tmp_path):
    assert _round_trip(db, tmp_path, ["  spaced  "]) == stored_entries(db)


def test_entries_round_trip_through_export_and_import(db, tmp_path):
    from analytics.contract.importer import import_paths

    for text in NASTY[:-1]:
        cv.comment(db, MANAGER, "D_31", "LATE_SUBMISSION", text, publish=False, now=NOW)
    cv.send_document(db, STATION_FR, "DOC_NONE", "proof_of_purchase", "2024-04-01", "", publish=False, now=NOW)
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "ok", now=NOW)
    folder = tmp_path / "export"
    export.export(db, folder)
    fresh = tmp_path / "fresh.duckdb"
    result = import_paths(fresh, [folder])
    assert result.ok
    assert stored_entries(fresh) == stored_entries(db)
    assert status_of(fresh, "D_31") == status_of(db, "D_31")
    assert status_of(fresh, "DOC_NONE") == status_of(db, "DOC_NONE")


# ---------------------------------------------------------------- the page (AppTest)

def _page(monkeypatch, db, viewer, name="verification", intervention=None):
    return run_page(f"pages/{name}.py", viewer, db, monkeypatch,
                    {"intervention": intervention} if intervention else None)


def _submit(at):
    """Click the thread's "Add to the conversation" (the page has other buttons: the exports…)."""
    next(b for b in at.button if b.label == "Add to the conversation").click().run()


def test_the_thread_on_the_verification_page_offers_each_role_its_actions(db, monkeypatch):
    from ui.threads import thread_key

    at = _page(monkeypatch, db, STATION_DE, intervention="D_31")
    at.text_input(key="verification_id").set_value("D_31").run()
    key = thread_key("D_31", "LATE_SUBMISSION")
    assert at.radio(key=f"{key}-kind").options == ["justify", "comment"]
    at.text_area(key=f"{key}-body").set_value("<b>customer abroad</b>")
    _submit(at)
    assert not at.exception and [s.value for s in at.success] == ["Saved."]
    publishing.wait_for_background_folds(timeout=120)  # the page's write publishes in the background
    assert [(r[4], r[8]) for r in stored_entries(db)] == [("justification", "<b>customer abroad</b>")]
    assert any("<b>customer abroad</b>" == t.value for t in at.text)  # verbatim, as text

    at = _page(monkeypatch, db, BRAND, intervention="D_31")
    at.text_input(key="verification_id").set_value("D_31").run()
    assert at.radio(key=f"{key}-kind").options == ["accept and waive", "confirm the finding", "comment"]
    at.radio(key=f"{key}-kind").set_value("waive")
    at.text_area(key=f"{key}-body").set_value("accepted")
    _submit(at)
    assert not at.exception
    # the page showed the waiver at once (a live read), whether published yet or not
    assert any("waived by brand1" in i.value and "accepted" in i.value for i in at.info)
    publishing.wait_for_background_folds(timeout=120)
    assert status_of(db, "D_31")[0] == "ready"

    at = _page(monkeypatch, db, MANAGER, name="preinvoices")
    labels = {m.label: m.value for m in at.metric}
    assert labels["Awaiting the manufacturer's decision"] == "0" and labels["Settled in conversation"] == "1"


def test_the_quick_publish_gives_the_same_tables_as_a_full_refresh(db):
    tables = ("finding_decisions", "intervention_status", "intervention_facts", "dispute_facts",
              "rollup_intervention_cells")

    def snapshot():
        con = store.reader(db)
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}  # fixed names

    cv.justify(db, STATION_DE, "D_31", "LATE_SUBMISSION", "abroad", now=NOW, publish=False)
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "ok", now=NOW)  # decisions and later models only
    quick = snapshot()
    with publishing.writer(db):  # every model
        pass
    assert snapshot() == quick
    assert any(r[0] == "D_31" and r[1] == "ready" for r in quick["intervention_status"])


def test_concurrent_writers_lose_nothing(db):
    import threading

    errors = []

    def write(i):
        try:
            cv.comment(db, MANAGER, "D_31", "LATE_SUBMISSION", f"message {i}", now=NOW)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    publishing.fold(db, wait=True)
    assert sorted(r[8] for r in stored_entries(db)) == [f"message {i}" for i in range(4)]
    assert journal.pending_entries(db) == []


def test_status_of_shows_who_waived_and_why_within_scope(db):
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "customer abroad <ok>", now=NOW)
    con = store.reader(db)
    assert cv.status_of(con, Scope.station("S_DE"), "D_31") == {
        "status": "ready", "finding_codes": "", "waived_codes": "LATE_SUBMISSION",
        "waived_note": "LATE_SUBMISSION: waived by brand1 on 2024-04-10: customer abroad <ok>"}
    assert cv.status_of(con, Scope.station("S_FR"), "D_31") is None
    assert cv.status_of(con, Scope.manufacturer("M02"), "D_31") is None
