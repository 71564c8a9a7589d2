"""The verification queue as the page reads it: counted, ordered, searched and cut in SQL.

:func:`analytics.verification.status_counts` and :func:`analytics.verification.worst_first` are
checked against a simple reference — the whole queue (:func:`verification_queue`, the ``verify``
command's rows) counted, filtered and sorted with pandas — on the session's demo store (20,000
interventions), for every role and random filters, statuses, searches and limits (hypothesis).
The page test checks it shows those rows and never reads the whole queue to draw itself.
"""
from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from analytics.core import store
from analytics.verification import queue as verification
from analytics.catalog import STATUSES
from analytics.core.filters import Filters
from analytics.access.scope import Scope, ScopeError
from analytics.access.viewer import Viewer

OWN_STATION = "S0001"  # the demo network's first station; its brand is read from the store
ROLES = ["manager", "manufacturer", "station"]


@pytest.fixture(scope="module")
def con(demo_store_path):
    return store.reader(demo_store_path)


@pytest.fixture(scope="module")
def scopes(con) -> dict:
    """Each role's scope on the demo store, and ``other_brand``: a brand the station does not serve."""
    brand = con.execute("SELECT min(manufacturer_id) FROM interventions WHERE station_id = $s",
                        {"s": OWN_STATION}).fetchall()[0][0]
    assert brand is not None
    other = con.execute("SELECT min(manufacturer_id) FROM manufacturers WHERE manufacturer_id <> $m",
                        {"m": brand}).fetchall()[0][0]
    return {"manager": Scope.manager(), "manufacturer": Scope.manufacturer(brand),
            "station": Scope.station(OWN_STATION), "other_brand": other}


@pytest.fixture(scope="module")
def whole_queues(con, scopes):
    """The whole queue of each role, unfiltered (the reference's input)."""
    return {role: verification.verification_queue(con, scopes[role]) for role in ROLES}


def reference(queue: pd.DataFrame, filters: Filters, status: str | None, search: str | None,
              limit: int | None) -> pd.DataFrame:
    """Worst status first, then the most recent, then by id — in pandas, on the whole queue."""
    rows = queue
    if filters.date_from:
        rows = rows[rows["completed_on"] >= filters.date_from]
    if filters.date_to:
        rows = rows[rows["completed_on"] <= filters.date_to]
    if filters.countries:
        rows = rows[rows["country"].isin(filters.countries)]
    if filters.product_categories:
        rows = rows[rows["product_category"].isin(filters.product_categories)]
    if status:
        rows = rows[rows["status"] == status]
    if search:
        rows = rows[rows["intervention_id"].str.contains(search, regex=False)]
    rank = rows["status"].map({s: i for i, s in enumerate(STATUSES)})
    # completed_on descending: sort by the negated day number, the other keys ascending
    days = rows["completed_on"].map(lambda d: -d.toordinal())
    rows = rows.assign(_rank=rank, _days=days).sort_values(["_rank", "_days", "intervention_id"])
    rows = rows.drop(columns=["_rank", "_days"])
    return (rows if limit is None else rows.head(limit)).reset_index(drop=True)


def test_worst_first_by_hand(con, whole_queues, scopes):
    """The first rows: every blocked one before any review one, the most recent first among equals."""
    page = verification.worst_first(con, scopes["manager"], limit=50)
    assert len(page) == 50
    assert list(page.columns) == list(verification.QUEUE_FRAME_COLUMNS)
    queue = whole_queues["manager"]
    blocked = queue[queue["status"] == "blocked"]
    assert len(blocked) >= 50 and set(page["status"]) == {"blocked"}
    assert page["completed_on"].iloc[0] == blocked["completed_on"].max()
    assert list(page["completed_on"]) == sorted(page["completed_on"], reverse=True)
    # amounts stay exact decimals, as in the verify command's queue
    first = page.iloc[0]
    same = queue.set_index("intervention_id").loc[first["intervention_id"]]
    assert first["calculated_amount"] == same["calculated_amount"] and first["explanations"] == same["explanations"]


@pytest.mark.parametrize("role", ROLES)
def test_status_counts_are_the_queue_counted(con, whole_queues, role, scopes):
    queue = whole_queues[role]
    counts = verification.status_counts(con, scopes[role])
    assert counts == {s: int((queue["status"] == s).sum()) for s in STATUSES}
    assert sum(counts.values()) == len(queue) > 0
    searched = verification.status_counts(con, scopes[role], search="7")
    hits = queue[queue["intervention_id"].str.contains("7", regex=False)]
    assert searched == {s: int((hits["status"] == s).sum()) for s in STATUSES}


FILTERS = hs.builds(
    Filters,
    date_from=hs.sampled_from([None, dt.date(2024, 3, 1), dt.date(2025, 6, 15)]),
    date_to=hs.sampled_from([None, dt.date(2025, 6, 30), dt.date(2025, 9, 30)]),
    countries=hs.sampled_from([(), ("FR",), ("PL", "DE")]),
    product_categories=hs.sampled_from([(), ("washing_machine",), ("oven", "tv")]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(role=hs.sampled_from(ROLES), filters=FILTERS, status=hs.sampled_from([None, *STATUSES]),
       search=hs.sampled_from([None, "", "1", "00", "I0001", "9", "%", "_", "' OR '1'='1"]),
       limit=hs.sampled_from([None, 0, 1, 7, 2000]))
def test_worst_first_matches_the_reference(con, whole_queues, role, filters, status, search, limit, scopes):
    got = verification.worst_first(con, scopes[role], filters, status, search, limit)
    want = reference(whole_queues[role], filters, status, search, limit)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_dtype=False)
    counts = verification.status_counts(con, scopes[role], filters, search)
    assert (counts[status] if status else sum(counts.values())) == len(reference(
        whole_queues[role], filters, status, search, None))


def test_search_is_verbatim_text(con, scopes):
    # LIKE wildcards and quotes are only characters of the searched text
    for text in ("%", "_", "' OR '1'='1", "I0%"):
        assert verification.worst_first(con, scopes["manager"], search=text).empty
        assert sum(verification.status_counts(con, scopes["manager"], search=text).values()) == 0


def test_scope_and_arguments_are_checked(con, scopes):
    station = scopes["station"]
    assert set(verification.worst_first(con, station, limit=None)["station_id"]) == {OWN_STATION}
    for crafted in (Filters(station_ids=("S0002",)), Filters(station_ids=("S0001' OR '1'='1",))):
        with pytest.raises(ScopeError):
            verification.worst_first(con, station, crafted)
        with pytest.raises(ScopeError):
            verification.status_counts(con, station, crafted)
    with pytest.raises(ScopeError):
        verification.worst_first(con, scopes["manufacturer"], Filters(manufacturer_ids=(scopes["other_brand"],)))
    with pytest.raises(ValueError):
        verification.worst_first(con, station, status="nearly")
    with pytest.raises(ValueError):
        verification.worst_first(con, station, limit=-1)


def test_the_page_reads_only_the_rows_it_shows(demo_store_path, con, monkeypatch, scopes):
    """The page draws the first SHOWN_ROWS of the worst-first queue, with counts from SQL, and
    never reads the whole queue to draw itself (the export reads it when clicked)."""
    import streamlit as st

    from tests.apptest import run_page

    calls = []
    real = verification.worst_first

    @functools.wraps(real)  # the page's cache finds functions by module and name
    def spy(*args, **kwargs):
        calls.append(args[5:] + tuple(kwargs.values()))
        return real(*args, **kwargs)

    def refuse(*args, **kwargs):
        raise AssertionError("the page read the whole queue")

    st.cache_data.clear()  # a cached result would hide the calls
    monkeypatch.setattr(verification, "worst_first", spy)
    monkeypatch.setattr(verification, "verification_queue", refuse)
    at = run_page("pages/verification.py", Viewer("demo-manager", scopes["manager"], is_admin=True),
                  demo_store_path, monkeypatch)
    page_module_rows = 2000
    assert calls and all(limit == page_module_rows for (limit,) in calls)
    table = next(f.value for f in at.dataframe if "explanations" in f.value.columns)
    want = real(con, scopes["manager"], limit=page_module_rows)
    assert list(table["intervention_id"]) == list(want["intervention_id"])
    counts = verification.status_counts(con, scopes["manager"])
    assert at.subheader[0].value.endswith(f"{sum(counts.values()):,} interventions")
    # one status and a search: the header counts what matches, the table shows it worst first
    at.radio(key="verification_status").set_value("review")
    at.text_input(key="verification_search").input("12").run()
    assert not at.exception
    table = next(f.value for f in at.dataframe if "explanations" in f.value.columns)
    want = real(con, scopes["manager"], status="review", search="12", limit=page_module_rows)
    assert list(table["intervention_id"]) == list(want["intervention_id"]) and len(want) > 0
    matching = verification.status_counts(con, scopes["manager"], search="12")["review"]
    assert at.subheader[0].value.endswith(f"{matching:,} interventions")
