"""Live reads: an entry counts in statuses, threads and work queues as soon as it is durable,
before any writer has folded it into the store (analytics/engine/live.py).

Data: ``tests/engine_fixture.py``. DOC_NONE (S_FR, M01) has three blocked DOC_MISSING findings
(proof_of_purchase, serial_plate_photo, technician_report) and nothing else; D_31 (S_DE, M01)
one review LATE_SUBMISSION; DUP_SAME (S_DE, M01) a blocked DUPLICATE_CLAIM and a review
AMOUNT_MISMATCH; N_1231 (S_DE, M02) three blocked findings.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.conversation import queues, threads as cv
from analytics.core import store
from analytics.core.filters import Filters
from analytics.engine import journal, publishing
from analytics.verification import queue as verification
from tests import engine_fixture

STATION_FR = Viewer("paris", Scope.station("S_FR"))
STATION_DE = Viewer("berlin", Scope.station("S_DE"))
BRAND1 = Viewer("brand1", Scope.manufacturer("M01"))
BRAND2 = Viewer("brand2", Scope.manufacturer("M02"))
MANAGER = Viewer("boss", Scope.manager())
DOCS = ("proof_of_purchase", "serial_plate_photo", "technician_report")
NOW = dt.datetime(2024, 4, 10, 9, 30)


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("live") / "base.duckdb"
    engine_fixture.build_file(path)
    store.close_readers()
    return path


def _copy(base: Path, folder: Path) -> Path:
    path = folder / "store.duckdb"
    for old in folder.glob("store.duckdb*"):
        old.unlink()
    shutil.copyfile(base, path)
    return path


@pytest.fixture()
def db(base_store, tmp_path) -> Path:
    return _copy(base_store, tmp_path)


def _send(db, doc: str, **kw):
    return cv.send_document(db, STATION_FR, "DOC_NONE", doc, dt.date(2024, 4, 1), now=NOW, publish=False, **kw)


def test_documents_sent_count_in_the_status_before_any_fold(db):
    con = store.reader(db)
    assert cv.status_of(con, BRAND1.scope, "DOC_NONE", path=db)["status"] == "blocked"
    before = cv.counters(con, BRAND1.scope, path=db)

    _send(db, "proof_of_purchase")
    con = store.reader(db)
    live = cv.status_of(con, BRAND1.scope, "DOC_NONE", path=db)
    # two documents still missing: blocked, and the sent one no longer counts
    assert live["status"] == "blocked"
    assert live["finding_codes"] == "DOC_MISSING" and live["waived_codes"] == "DOC_MISSING"
    assert live["waived_note"] == "DOC_MISSING (proof_of_purchase): document sent by paris, received 2024-04-01"
    # the store itself has not moved: nothing was folded
    assert cv.status_of(con, BRAND1.scope, "DOC_NONE")["status"] == "blocked"
    assert cv.status_of(con, BRAND1.scope, "DOC_NONE")["waived_codes"] == ""
    after = cv.counters(con, BRAND1.scope, path=db)
    # the finding left the station's turn, entered the manufacturer's, and counts as settled
    assert after == {**before, "awaiting_answer": before["awaiting_answer"] - 1,
                     "awaiting_decision": before["awaiting_decision"] + 1, "settled": before["settled"] + 1}

    _send(db, "serial_plate_photo")
    _send(db, "technician_report")
    con = store.reader(db)
    assert cv.status_of(con, STATION_FR.scope, "DOC_NONE", path=db)["status"] == "ready"
    decision = queues.finding_queue(con, BRAND1.scope, Filters(), "decision", path=db)
    assert sorted(decision.loc[decision["intervention_id"] == "DOC_NONE", "doc_type"]) == list(DOCS)
    detail = verification.intervention_detail(con, STATION_FR.scope, "DOC_NONE", path=db)
    assert detail["status"] == "ready"

    # and once folded, the store says the same
    assert publishing.fold(db, wait=True)
    con = store.reader(db)
    assert cv.status_of(con, STATION_FR.scope, "DOC_NONE")["status"] == "ready"


def test_a_live_read_outside_the_scope_shows_nothing(db):
    _send(db, "proof_of_purchase")
    con = store.reader(db)
    assert cv.status_of(con, STATION_DE.scope, "DOC_NONE", path=db) is None
    assert cv.status_of(con, BRAND2.scope, "DOC_NONE", path=db) is None
    assert cv.findings(con, BRAND2.scope, "DOC_NONE", path=db).empty
    assert cv.counters(con, BRAND2.scope, path=db) == cv.counters(con, BRAND2.scope)
    assert "DOC_NONE" not in set(queues.finding_queue(con, BRAND2.scope, Filters(), "decision", path=db)
                                 ["intervention_id"])


def test_a_background_write_returns_before_its_fold_and_the_fold_follows(db):
    written = cv.waive(db, BRAND1, "D_31", "LATE_SUBMISSION", "late because of a strike", now=NOW, background=True)
    assert written.publishing and not written.applied and written.message == "Saved."
    # whether or not the thread has published yet, a live read shows the waiver
    con = store.reader(db)
    assert cv.status_of(con, BRAND1.scope, "D_31", path=db)["status"] == "ready"
    publishing.wait_for_background_folds(timeout=120)
    assert journal.pending_entries(db) == []
    assert cv.status_of(store.reader(db), BRAND1.scope, "D_31")["status"] == "ready"


# ---------------------------------------------------------------- property: live == folded

#: (viewer, intervention, code, doc_type, kinds that viewer may write there)
TARGETS = [
    *[(STATION_FR, "DOC_NONE", "DOC_MISSING", d, ("justification", "document_sent", "comment")) for d in DOCS],
    *[(BRAND1, "DOC_NONE", "DOC_MISSING", d, ("waive", "confirm", "comment")) for d in DOCS],
    (STATION_DE, "D_31", "LATE_SUBMISSION", "", ("justification", "comment")),
    (BRAND1, "D_31", "LATE_SUBMISSION", "", ("waive", "confirm")),
    (STATION_DE, "DUP_SAME", "DUPLICATE_CLAIM", "", ("justification",)),
    (BRAND1, "DUP_SAME", "DUPLICATE_CLAIM", "", ("waive", "confirm")),
    (BRAND1, "DUP_SAME", "AMOUNT_MISMATCH", "", ("waive",)),
    (STATION_DE, "N_1231", "NO_POLICY", "", ("justification",)),
    (BRAND2, "N_1231", "NO_POLICY", "", ("waive", "confirm")),
    (BRAND2, "N_1231", "PURCHASE_DATE_MISSING", "", ("waive",)),
    (MANAGER, "N_1231", "DUPLICATE_CLAIM", "", ("comment",)),
]
SCOPES = [STATION_FR.scope, STATION_DE.scope, BRAND1.scope, BRAND2.scope, MANAGER.scope]
IDS = ("DOC_NONE", "D_31", "DUP_SAME", "N_1231")

entry_steps = st.lists(
    st.integers(0, len(TARGETS) - 1).flatmap(
        lambda i: st.tuples(st.just(i), st.sampled_from(TARGETS[i][4]), st.booleans())),
    min_size=1, max_size=8)


def _write(db, step, n):
    index, kind, fold_now = step
    viewer, iid, code, doc, _ = TARGETS[index]
    extra = dict(sent_doc_type=doc, sent_doc_received_on=dt.date(2024, 4, 1)) if kind == "document_sent" else {}
    cv.add_entry(db, viewer, iid, code, kind, f"entry {n}", doc_type=doc, now=NOW + dt.timedelta(minutes=n),
                 publish=fold_now, **extra)


def _reads(con, path) -> dict:
    """Every live read, for every scope (path None: the store as it is)."""
    out = {}
    for scope in SCOPES:
        key = scope.role + ":" + str(scope.manufacturer_id or scope.station_id or "")
        out[key + " counters"] = cv.counters(con, scope, path=path)
        out[key + " queues"] = queues.queue_counts(con, scope, path=path)
        for turn in ("answer", "decision"):
            out[f"{key} {turn}"] = queues.finding_queue(con, scope, Filters(), turn, limit=5, path=path)
        out[key + " findings"] = cv.findings(con, scope, path=path)
        for iid in IDS:
            out[f"{key} {iid} status"] = cv.status_of(con, scope, iid, path=path)
            out[f"{key} {iid} findings"] = cv.findings(con, scope, iid, path=path)
        out[key + " verification"] = verification.verification_queue(con, scope, path=path)
    return out


def _same(a, b, what):
    if isinstance(a, pd.DataFrame):
        def norm(df):
            return df.reset_index(drop=True).astype(object).where(df.reset_index(drop=True).notna(), None)
        pdt.assert_frame_equal(norm(a), norm(b), obj=what)
    else:
        assert a == b, what


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=entry_steps)
def test_live_reads_equal_the_reads_after_the_fold(base_store, tmp_path, steps):
    """Random entries, some folded at once and some left in the journal: every live read equals
    the same read once everything is folded."""
    db = _copy(base_store, tmp_path)
    for n, step in enumerate(steps):
        _write(db, step, n)
    live = _reads(store.reader(db), db)
    assert publishing.fold(db, wait=True)
    store.close_readers()
    folded = _reads(store.reader(db), None)
    for what in live:
        _same(live[what], folded[what], what)
    store.close_readers()


# ---------------------------------------------------------------- the pages

def test_a_stations_answer_is_in_the_manufacturers_queue_at_its_next_view(db, monkeypatch):
    """The station answers on the Verification page; the manufacturer's next view of its decision
    queue lists the answer, with no wait for the answer's publication."""
    from tests.apptest import run_page
    from ui.threads import thread_key

    def decision_rows():
        at = run_page("pages/queues.py", BRAND1, db, monkeypatch, {"queue": "decision"})
        assert not at.exception
        rows = at.dataframe[0].value if at.dataframe else pd.DataFrame(columns=["intervention_id"])
        return at, set(rows["intervention_id"])

    _, before = decision_rows()
    assert "D_31" not in before
    at = run_page("pages/verification.py", STATION_DE, db, monkeypatch, {"intervention": "D_31"})
    at.text_input(key="verification_id").set_value("D_31").run()
    key = thread_key("D_31", "LATE_SUBMISSION")
    at.text_area(key=f"{key}-body").set_value("the customer was abroad")
    next(b for b in at.button if b.label == "Add to the conversation").click().run()
    assert not at.exception and [s.value for s in at.success] == ["Saved."]

    at, after = decision_rows()  # at once: published or not yet
    assert after == before | {"D_31"}
    publishing.wait_for_background_folds(timeout=120)
    assert decision_rows()[1] == after
