"""The Overview funnel (:func:`analytics.page_data.overview.funnel`): each stage counted within the
interventions of the stage before, and the interventions invoiced while blocked.

Data: ``tests/engine_fixture.py`` with INV_1 paid and two disputes added here. Hand-computed for
station S_DE, brand M01 (fixture comments): invoiced interventions DUP_SAME (DUPLICATE_CLAIM,
blocked), DUP_DIFF (ready; on INV_1 and the unpaid INV_2), M_EQ (ready; INV_1), M_OVER and M_UNDER
(AMOUNT_MISMATCH, review), VAT_OK (ready; INV_1), VAT_BAD (VAT_MISMATCH, review). So, of the ready
ones, invoiced: DUP_DIFF, M_EQ, VAT_OK = 3; paid (every invoice paid): M_EQ, VAT_OK = 2; disputed:
M_EQ (open) and VAT_OK (resolved) = 2, resolved 1; invoiced while blocked: DUP_SAME = 1 (and N_1231,
M02, blocked by its duplicate labour on INV_N and INV_N2, for the whole network).
"""
from __future__ import annotations

import pytest

from analytics.access.scope import Scope
from analytics.core import store
from analytics.core.filters import Filters
from analytics.engine import publishing
from analytics.page_data import overview
from tests import engine_fixture


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("funnel") / "store.duckdb"
    engine_fixture.build_file(path)
    with publishing.writer(path) as w:
        w.execute("UPDATE invoices SET paid_on = DATE '2024-05-02', paid_amount = 100 WHERE invoice_id = 'INV_1'")
        w.execute("INSERT INTO disputes VALUES ('DSP_EQ', 'INV_1', 'M_EQ', DATE '2024-05-10', 'manufacturer', "
                  "'AMOUNT_MISMATCH', 5.00, NULL, NULL, NULL)")
        w.execute("INSERT INTO disputes VALUES ('DSP_OK', 'INV_1', 'VAT_OK', DATE '2024-05-10', 'manufacturer', "
                  "'OTHER', 5.00, DATE '2024-05-20', 'station', NULL)")
    store.close_readers()
    return store.reader(path)


def test_each_stage_is_counted_within_the_stage_before(con):
    got = overview.funnel(con, Scope.station("S_DE"), Filters(manufacturer_ids=("M01",)))
    reported, ready = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE s.status = 'ready') FROM interventions i "
        "JOIN intervention_status s USING (intervention_id) WHERE i.station_id = 'S_DE' AND i.manufacturer_id = 'M01'"
    ).fetchall()[0]
    assert got == {"reported": reported, "ready": ready, "invoiced": 3, "paid": 2, "disputed": 2, "resolved": 1,
                   "invoiced_blocked": 1}
    assert got["reported"] >= got["ready"] >= got["invoiced"] >= got["paid"]


def test_invoiced_while_blocked_within_scope(con):
    assert overview.funnel(con, Scope.manager(), Filters())["invoiced_blocked"] == 2
    assert overview.funnel(con, Scope.manufacturer("M02"), Filters())["invoiced_blocked"] == 1
    assert overview.funnel(con, Scope.station("S_FR"), Filters())["invoiced_blocked"] == 0


# ---------------------------------------------------------------- incomplete months of a trend

@pytest.mark.parametrize("last_day, period, expected", [
    ("2026-01-11", (None, None), {"2026-01"}),                 # the data stops on the 11th
    ("2026-01-31", (None, None), set()),                       # a whole last month
    ("2026-01-31", ("2025-03-15", "2025-06-30"), {"2025-03"}),  # the period starts mid-month
    ("2026-01-11", ("2025-03-01", "2025-06-10"), {"2025-06"}),  # the period ends mid-month
    ("2024-02-29", (None, None), set()),                       # leap day ends February
    (None, (None, None), set()),
])
def test_incomplete_months(last_day, period, expected):
    import datetime as dt

    day = lambda text: dt.date.fromisoformat(text) if text else None  # noqa: E731
    filters = Filters(date_from=day(period[0]), date_to=day(period[1]))
    assert overview.incomplete_months(day(last_day), filters) == expected
