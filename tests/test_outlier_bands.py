"""The outlier bands (analytics/engine/outlier_bands.py): an incremental refresh reads a group's 95th
percentiles from its band, and must give exactly what quantile_cont gives over the whole group.

* hand-computed: a band cut from 200 distinct values, then 50 values above them all: the percentile's
  ranks leave the band, which is cut again around them;
* hypothesis: groups of up to 600 interventions with mostly distinct parts values (many positions and
  fractions), batches of new, corrected and moved interventions, some far above the rest; bands as
  narrow as one value on each side, so that they are cut again often. After every refresh the thresholds
  equal quantile_cont over the group, bit for bit, the outlier findings of every intervention are the
  values strictly above them (re-flagging by the bands' values, or by the group's scan when a threshold
  moves beyond its band), and every band counts exactly the values below, within and above it.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import engine_fixture as fx
from analytics.engine import changes, models, outlier_bands

GROUPS = ("TL-BAND", "TL-OTHER")


@pytest.fixture
def band_width():
    """Set the bands' half width for one test (the refresh reads it at its start)."""
    kept = outlier_bands.HALF_WIDTH

    def set_to(width: int) -> None:
        outlier_bands.HALF_WIDTH = width

    yield set_to
    outlier_bands.HALF_WIDTH = kept


def band(con, measure: int) -> tuple:
    return con.execute("SELECT lo, hi, below, above FROM outlier_bands b JOIN outlier_values v USING (group_key) "
                       "JOIN interventions i USING (iv_key) WHERE i.repair_code = 'TL-BAND' AND b.measure = ? "
                       "LIMIT 1", [measure]).fetchall()[0]


def test_a_band_left_by_its_ranks_is_cut_again_around_them(band_width):
    band_width(2)
    con = fx.build()
    changes.start(con)
    # parts 1..200: position 199 * 0.95 = 189.05, between the values 190 and 191 (ranks 189 and 190)
    fx.write_m04_interventions(con, [(f"B{i:03d}", "TL-BAND", 60, Decimal(i)) for i in range(1, 201)])
    models.refresh(con)
    n, labor, parts = con.execute("SELECT n, p95_labor, p95_parts FROM outlier_groups WHERE repair_code = 'TL-BAND'"
                                  ).fetchall()[0]
    assert (n, labor) == (200, 60.0)
    assert parts == pytest.approx(190.05)
    # the distinct value 190 is the 190th; two on each side: 188 .. 192, 187 values below, 8 above
    assert band(con, 1) == (188.0, 192.0, 187, 8)
    # labour has one distinct value: the band reaches both ends, unbounded
    assert band(con, 0) == (float("-inf"), float("inf"), 0, 0)

    changes.start(con)
    # 50 values above all: 250 values, position 249 * 0.95 = 236.55, between 1036 and 1037 (ranks 236, 237)
    fx.write_m04_interventions(con, [(f"C{i:03d}", "TL-BAND", 60, Decimal(1000 + i)) for i in range(50)])
    assert models.refresh_pending(con).mode == "incremental"
    n, labor, parts = con.execute("SELECT n, p95_labor, p95_parts FROM outlier_groups WHERE repair_code = 'TL-BAND'"
                                  ).fetchall()[0]
    assert (n, labor) == (250, 60.0)
    assert parts == pytest.approx(1036.55)
    fx.assert_thresholds_are_quantile_cont(con)  # bit for bit
    # cut again: 1036 is the 237th distinct value, the band 1034 .. 1038, 234 values below, 11 above
    assert band(con, 1) == (1034.0, 1038.0, 234, 11)
    fx.assert_bands_count_their_values(con)


LABOR = st.sampled_from([15, 30, 45, 60, 60, 60, 90, 120, 240])
PARTS = st.one_of(st.just(Decimal(0)), st.integers(0, 40_000).map(lambda cents: Decimal(cents) / 100))
HIGH_PARTS = st.integers(50_000, 90_000).map(lambda cents: Decimal(cents) / 100)
BATCH = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(GROUPS), st.lists(st.tuples(LABOR, st.one_of(PARTS, HIGH_PARTS)),
                                                                min_size=1, max_size=120)),
    st.tuples(st.just("change"), st.lists(st.tuples(st.integers(0, 10_000), LABOR, PARTS), min_size=1, max_size=40)),
    st.tuples(st.just("move"), st.sampled_from(GROUPS), st.lists(st.integers(0, 10_000), min_size=1, max_size=40)),
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(width=st.sampled_from([1, 2, 8]),
       start=st.lists(st.tuples(LABOR, PARTS), min_size=15, max_size=600),
       batches=st.lists(BATCH, min_size=1, max_size=5))
def test_thresholds_from_bands_equal_quantile_cont(band_width, width, start, batches):
    band_width(width)
    con = fx.build()
    rows: dict[str, tuple[str, int, Decimal]] = {}

    def put(batch: list[tuple[str, str, int, Decimal]]) -> None:
        for iid, group, labor, parts in batch:
            rows[iid] = (group, labor, parts)
        fx.write_m04_interventions(con, batch)

    changes.start(con)
    put([(f"T{i:04d}", GROUPS[0], labor, parts) for i, (labor, parts) in enumerate(start)])
    models.refresh(con)
    fx.assert_bands_count_their_values(con)
    for kind, *args in batches:
        changes.start(con)
        ids = sorted(rows)
        if kind == "add":
            group, values = args
            put([(f"T{len(rows) + i:04d}", group, labor, parts) for i, (labor, parts) in enumerate(values)])
        elif kind == "change":
            put([(ids[i % len(ids)], rows[ids[i % len(ids)]][0], labor, parts) for i, labor, parts in args[0]])
        else:
            group, picks = args
            put([(ids[i % len(ids)], group, *rows[ids[i % len(ids)]][1:]) for i in picks])
        assert models.refresh_pending(con).mode == "incremental"
        fx.assert_thresholds_are_quantile_cont(con)
        fx.assert_bands_count_their_values(con)
