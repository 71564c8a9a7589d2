"""Outlier re-flagging (queries/engine/incremental/findings.sql) against a simple reference: after every
incremental refresh of a random sequence of new, corrected and moved interventions, each group's size
and 95th percentiles equal quantile_cont over the whole group, and the outlier findings of *every*
intervention, changed or not, are exactly the values strictly above them. Values repeat (ties) and
groups start below, at and above the 20 interventions a threshold needs, so thresholds appear, move
both ways and go."""
from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import engine_fixture as fx
from analytics.core import sql
from analytics.engine import changes, models

GROUPS = ("TL-A", "TL-B")
LABOR = st.sampled_from([10, 20, 30, 45, 60, 61, 90, 120, 240])
PARTS = st.sampled_from([Decimal(v) for v in ("0", "12.50", "19.99", "45.00", "89.90", "150.00", "480.25")])

OPS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(GROUPS), LABOR, PARTS, st.integers(1, 6)),
    st.tuples(st.just("change"), st.integers(0, 10_000), LABOR, PARTS),
    st.tuples(st.just("move"), st.integers(0, 10_000), st.sampled_from(GROUPS)),
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.lists(st.tuples(st.sampled_from(GROUPS), LABOR, PARTS), min_size=15, max_size=45),
       ops=st.lists(OPS, min_size=1, max_size=5))
def test_outlier_findings_follow_every_threshold_move(start, ops):
    con = fx.build()
    ids: list[str] = []

    def add(group, labor, parts):
        ids.append(f"T{len(ids):03d}")
        fx.write_m04_interventions(con, [(ids[-1], group, labor, parts)])

    changes.start(con)
    for group, labor, parts in start:
        add(group, labor, parts)
    models.refresh_pending(con)
    groups = dict(con.execute("SELECT intervention_id, repair_code FROM interventions WHERE manufacturer_id = 'M04'"
                              " AND repair_code LIKE 'TL-%'").fetchall())
    for op in ops:
        changes.start(con)
        if op[0] == "add":
            for _ in range(op[4]):
                add(*op[1:4])
                groups[ids[-1]] = op[1]
        elif op[0] == "change":
            iid = ids[op[1] % len(ids)]
            fx.write_m04_interventions(con, [(iid, groups[iid], op[2], op[3])])
        else:
            iid = ids[op[1] % len(ids)]
            labor, parts = con.execute("SELECT labor_minutes, parts_cost FROM interventions WHERE intervention_id = ?",
                                       [iid]).fetchall()[0]
            groups[iid] = op[2]
            fx.write_m04_interventions(con, [(iid, op[2], labor, parts)])
        assert models.refresh_pending(con).mode == "incremental"
        fx.assert_thresholds_are_quantile_cont(con)


def test_two_groups_in_scope_sharing_a_key_are_refused():
    """outlier_values keys a group by a 64-bit hash: two groups of the refresh's scope with the same key
    would merge, so the model refuses them. A real collision cannot be built; the same group listed twice
    is what one looks like to the check (two scope rows, one key)."""
    con = fx.build()
    models.full_scope(con)
    con.execute("INSERT INTO eng_group SELECT * FROM eng_group LIMIT 1")
    with pytest.raises(duckdb.Error, match="two outlier groups share the key"):
        sql.run_script(con, "engine/outlier_groups")
