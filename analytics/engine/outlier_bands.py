"""Outlier thresholds kept exact under changes without reading whole groups (docs/ENGINE.md "Outlier bands").

A group's 95th percentile (``quantile_cont``) interpolates two of its values: those at the ranks
``floor`` and ``ceil`` of ``(n - 1) * 0.95``. A delta changes a group by a few members, so those ranks
move by a few places. Each (group, measure) pair therefore keeps a *band*: its distinct values within
:data:`HALF_WIDTH` distinct values on each side of the percentile, with their counts, and how many
values lie below and above the band (``outlier_bands``, ``outlier_band_values``, cut by the full
refresh). An incremental refresh moves the changed rows' values in and out of the counts, reads the
two values from the band, and has ``quantile_cont`` itself interpolate them with the group's fraction:
the same operation, to the last bit, as over the whole group. A band that no longer holds both ranks
(or an unbounded one grown wider than 4 × :data:`HALF_WIDTH` distinct values) is cut again from its
group's values.
"""
from __future__ import annotations

import duckdb

from analytics.core import sql

#: Distinct values a band keeps on each side of its percentile. A delta of 1,000 interventions moves a
#: group's ranks by a few places; a band is cut again only when they leave it.
HALF_WIDTH = 128


def set_width(con: duckdb.DuckDBPyConnection) -> None:
    """Give the refresh's scripts the band width (a temporary table, like the refresh's time)."""
    sql.execute(con, "engine/scope/outlier_band_width", {"half_width": HALF_WIDTH})


def refresh_incremental(con: duckdb.DuckDBPyConnection) -> None:
    """The incremental refresh of ``outlier_values``, the bands and ``outlier_groups`` for the groups of
    ``eng_group`` (the changed rows' old and new groups)."""
    sql.run_script(con, "engine/incremental/outlier_groups")
    if sql.fetch_all(con, "engine/outlier_bands/cut_count")[0][0]:
        sql.run_script(con, "engine/outlier_bands/recut")
    sql.run_script(con, "engine/outlier_bands/pairs")
    # quantile_cont takes its fraction as a constant: one statement per distinct fraction (at most one
    # per group size among the changed groups)
    for (fraction,) in sql.fetch_all(con, "engine/outlier_bands/fractions"):
        sql.execute(con, "engine/outlier_bands/interpolate", {"fraction": fraction})
    sql.run_script(con, "engine/outlier_bands/groups")
