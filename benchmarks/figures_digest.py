"""The figures of a store, hashed: to check that a change of the code (not of the data) leaves
every figure the same.

    python -m benchmarks.figures_digest STORE

Computes, through the project's public functions, for three viewers (a manager, the brand M03,
the busiest station of M03): the metric table by month and by station and month over a period
not on month bounds, the scores (period and monthly), the bonus/malus of a month, the
verification queue's counts and its first 200 rows, the policy versions and values, the filter
choices, the pre-invoices on offer, and a station's peer comparison; prints a short SHA-256 of
each result (CSV text) and one of them all. Two runs agree exactly when every figure does.
Stores from ``python -m benchmarks.bench_engine --n N --keep DIR`` carry the manufacturer M03.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys

import pandas as pd

try:
    from analytics.access.scope import Scope
    from analytics.billing import preinvoice
    from analytics.core import store
    from analytics.core.filters import Filters
    from analytics.metrics.score import performance_adjustments, scores
    from analytics.metrics.table import metric_table, peer_comparison
    from analytics.page_data import territories
    from analytics.policy import in_force
    from analytics.verification.queue import status_counts, worst_first
except ImportError:  # the module paths before the layered packages (f985e89): compare across the move
    from analytics import preinvoice, store, territories
    from analytics import policies as in_force
    from analytics.filters import Filters
    from analytics.metrics import metric_table, peer_comparison
    from analytics.scope import Scope
    from analytics.score import performance_adjustments, scores
    from analytics.verification import status_counts, worst_first


def digest(obj) -> str:
    text = obj.to_csv(index=False) if isinstance(obj, pd.DataFrame) else json.dumps(obj, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def figures(path: str) -> dict[str, str]:
    con = store.reader(path)
    station = con.execute("SELECT station_id FROM intervention_facts WHERE manufacturer_id = 'M03' "
                          "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()[0][0]
    year = Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    part = Filters(date_from=dt.date(2024, 1, 15), date_to=dt.date(2024, 12, 20))
    out = {}
    for name, scope in (("manager", Scope.manager()), ("M03", Scope.manufacturer("M03")),
                        ("station", Scope.station(station))):
        out[f"metric_table {name} by month"] = digest(metric_table(con, scope, Filters(), ["month"]))
        out[f"metric_table {name} by station, month, partial months"] = digest(
            metric_table(con, scope, part, ["station", "month"]))
        out[f"scores {name} M03 2024"] = digest(scores(con, scope, year, "M03"))
        out[f"scores {name} M03 2024 by month"] = digest(scores(con, scope, year, "M03", by_month=True))
        out[f"performance_adjustments {name} 2024-06"] = digest(performance_adjustments(con, scope, None, "2024-06"))
        out[f"status_counts {name} 2024"] = digest(status_counts(con, scope, year))
        out[f"worst_first {name} 2024, 200 rows"] = digest(worst_first(con, scope, year, limit=200))
        out[f"policy versions {name}"] = digest(in_force.versions(con, scope, dt.date(2025, 1, 1)))
        out[f"policy values {name}"] = digest(in_force.values(con, scope))
        out[f"filter_choices {name}"] = digest(territories.filter_choices(con, scope))
        out[f"pre-invoices available {name}"] = digest(preinvoice.available(con, scope))
    out["peer_comparison station M03 2024"] = digest(peer_comparison(con, Scope.station(station), year, station, "M03"))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    out = figures(argv[0])
    for name, value in out.items():
        print(f"{value}  {name}")
    print(f"all {len(out)} figures: {hashlib.sha256(''.join(out.values()).encode()).hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
