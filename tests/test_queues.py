"""The work queues (:mod:`analytics.conversation.queues`, ``pages/queues.py``): each counter counts
exactly the rows of its list, oldest first, within the viewer's scope and filters.

Data: ``tests/engine_fixture.py`` plus one dispute (DSP1 on D_31, S_DE/M01, opened 2024-04-20, open).
Expected rows of the decision and dispute queues are written by hand from the entries the tests
add; the answer queue is compared with a plain reference over the raw ``findings`` and
``interventions`` tables (before any entry, every current blocked/review finding awaits an answer).
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.conversation import queues, threads as cv
from analytics.core import store
from analytics.core.filters import Filters
from tests.apptest import run_page
# the conversation tests' store (engine_fixture plus DSP1, session-scoped), copied per test
from tests.test_conversation import base_store, db  # noqa: F401 - pytest fixtures

STATION_FR = Viewer("paris", Scope.station("S_FR"))
STATION_DE = Viewer("berlin", Scope.station("S_DE"))
BRAND = Viewer("brand1", Scope.manufacturer("M01"))
NOW = dt.datetime(2024, 4, 10, 9, 30)
SCOPES = [Scope.manager(), Scope.manufacturer("M01"), Scope.manufacturer("M02"), Scope.station("S_FR"),
          Scope.station("S_DE")]


def reference_awaiting_answer(con, station: str | None = None, manufacturer: str | None = None) -> list[tuple]:
    """(submitted_on, intervention_id, code, doc_type) of every current blocked/review finding, from
    the raw tables, oldest submission first (valid while no entry was written)."""
    rows = con.execute(
        "SELECT i.submitted_on, f.intervention_id, f.code, coalesce(f.doc_type, '') FROM findings f "
        "JOIN interventions i USING (intervention_id) WHERE f.severity IN ('blocked', 'review') "
        "AND ($s IS NULL OR i.station_id = $s) AND ($m IS NULL OR i.manufacturer_id = $m)",
        {"s": station, "m": manufacturer}).fetchall()
    return sorted(rows)


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: f"{s.role}-{s.manufacturer_id or s.station_id or 'all'}")
def test_each_counter_counts_exactly_the_rows_of_its_list_oldest_first(db, scope):
    con = store.reader(db)
    counts = queues.queue_counts(con, scope)
    for turn in ("answer", "decision"):
        rows = queues.finding_queue(con, scope, Filters(), turn)
        assert len(rows) == counts[turn]
        assert list(rows["waiting_since"]) == sorted(rows["waiting_since"])
    disputes = queues.open_disputes(con, scope, Filters())
    assert len(disputes) == counts["disputes"]
    assert list(disputes["opened_on"]) == sorted(disputes["opened_on"])


def test_the_answer_queue_is_every_unanswered_blocked_or_review_finding(db):
    con = store.reader(db)
    for station in ("S_DE", "S_FR"):
        rows = queues.finding_queue(con, Scope.station(station), Filters(), "answer")
        got = [(r.waiting_since.date(), r.intervention_id, r.code, r.doc_type) for r in rows.itertuples()]
        assert got == reference_awaiting_answer(con, station=station)
    # DOC_NONE (S_FR, tv, warranty, no document): three DOC_MISSING, one per required document
    s_fr = queues.finding_queue(con, Scope.station("S_FR"), Filters(), "answer")
    assert sorted(s_fr.loc[s_fr["intervention_id"] == "DOC_NONE", "doc_type"]) == [
        "proof_of_purchase", "serial_plate_photo", "technician_report"]


def test_answers_move_findings_to_the_manufacturers_queue_and_a_decision_empties_it(db):
    before = queues.queue_counts(store.reader(db), Scope.manufacturer("M01"))
    assert before["decision"] == 0
    cv.justify(db, STATION_DE, "D_31", "LATE_SUBMISSION", "the customer was abroad", now=NOW)
    cv.justify(db, STATION_FR, "DOC_NONE", "DOC_MISSING", "asked the customer", doc_type="proof_of_purchase",
               now=NOW + dt.timedelta(days=1))
    con = store.reader(db)
    after = queues.queue_counts(con, Scope.manufacturer("M01"))
    assert after == {"answer": before["answer"] - 2, "decision": 2, "disputes": before["disputes"]}
    rows = queues.finding_queue(con, Scope.manufacturer("M01"), Filters(), "decision")
    # oldest answer first: D_31 (10 April) before DOC_NONE (11 April)
    assert [(r.intervention_id, r.code, r.doc_type, r.answered_by, r.answer_body, r.waiting_since)
            for r in rows.itertuples()] == [
        ("D_31", "LATE_SUBMISSION", "", "berlin", "the customer was abroad", NOW),
        ("DOC_NONE", "DOC_MISSING", "proof_of_purchase", "paris", "asked the customer", NOW + dt.timedelta(days=1)),
    ]
    # each station sees its own answer only; another brand sees neither
    assert list(queues.finding_queue(con, Scope.station("S_DE"), Filters(), "decision")["intervention_id"]) == ["D_31"]
    assert queues.queue_counts(con, Scope.manufacturer("M02"))["decision"] == 0
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "accepted", now=NOW + dt.timedelta(days=2))
    con = store.reader(db)
    assert list(queues.finding_queue(con, Scope.manufacturer("M01"), Filters(), "decision")["intervention_id"]) == [
        "DOC_NONE"]


def test_the_disputes_queue_holds_the_open_disputes_within_scope_and_period(db):
    con = store.reader(db)
    rows = queues.open_disputes(con, Scope.station("S_DE"), Filters())
    assert [(r.dispute_id, r.intervention_id, r.opened_on.date(), r.reason) for r in rows.itertuples()] == [
        ("DSP1", "D_31", dt.date(2024, 4, 20), "LATE_SUBMISSION")]
    assert queues.queue_counts(con, Scope.station("S_FR"))["disputes"] == 0
    # the period is on the disputed intervention's completion day (D_31: 2024-03-02)
    march = Filters(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31))
    april = Filters(date_from=dt.date(2024, 4, 1), date_to=dt.date(2024, 4, 30))
    assert queues.queue_counts(con, Scope.station("S_DE"), march)["disputes"] == 1
    assert queues.queue_counts(con, Scope.station("S_DE"), april)["disputes"] == 0
    assert queues.open_disputes(con, Scope.station("S_DE"), april).empty


def test_a_turn_that_is_not_a_queue_is_refused(db):
    with pytest.raises(ValueError, match="turn must be"):
        queues.finding_queue(store.reader(db), Scope.manager(), Filters(), "disputes")


# ---------------------------------------------------------------- the page (AppTest, demo store)

SHOWN_ROWS = 2000  # pages/queues.py
DEMO_VIEWERS = [Viewer("demo-manager", Scope.manager(), is_admin=True),
                Viewer("demo-m01", Scope.manufacturer("M01")), Viewer("demo-s0028", Scope.station("S0028"))]


def _count_on(label: str) -> int:
    return int(re.sub(r"\D", "", label.rsplit("·", 1)[1]))


@pytest.mark.parametrize("viewer", DEMO_VIEWERS, ids=lambda v: v.scope.role)
@pytest.mark.parametrize("queue", queues.QUEUES)
def test_each_counter_of_the_page_opens_a_list_of_that_many_rows(demo_store_path, monkeypatch, viewer, queue):
    at = run_page("pages/queues.py", viewer, demo_store_path, monkeypatch, {"queue": queue})
    button = next(b for b in at.button if b.key == f"queues_open_{queue}")
    expected = queues.queue_counts(store.reader(demo_store_path), viewer.scope)[queue]
    assert _count_on(button.label) == expected
    lists = [d.value for d in at.dataframe]
    if expected == 0:
        assert not lists and any("Nothing waits here" in i.value for i in at.info)
    elif expected <= SHOWN_ROWS:
        assert [len(v) for v in lists] == [expected]
    else:  # a long queue shows its oldest rows and says the export holds them all
        assert [len(v) for v in lists] == [SHOWN_ROWS]
        assert any(f"the export holds all {expected:,}" in c.value for c in at.caption)
