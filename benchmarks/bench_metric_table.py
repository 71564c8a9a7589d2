"""The typical ``metric_table`` queries on an existing store (read-only): wall and CPU seconds.

    python -m benchmarks.bench_metric_table --db STORE [--repeat 5] [--manufacturer M03]

The queries of ``benchmarks/bench_engine.py`` (one manufacturer's view, one year by station; the
same over a period not on month bounds) and those of the Scorecard (the brand's stations by month
over all the data, as its monthly scores read them; one station by month). Each is run once to warm
the reader, then ``--repeat`` times: the median wall time and the median CPU time of the process
(every DuckDB thread included) are printed. The CPU time is the steadier figure on a shared machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from analytics.access.scope import Scope
from analytics.core import store
from analytics.core.filters import Filters
from analytics.metrics.table import metric_table


def timed(fn, repeat: int) -> tuple[float, float, int]:
    """(median wall s, median CPU s, rows) of ``repeat`` runs of ``fn`` after one warm-up run."""
    rows = len(fn())
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--manufacturer", default="M03")
    args = parser.parse_args()
    con = store.reader(args.db)
    brand = args.manufacturer
    station = con.execute("SELECT station_id FROM rollup_intervention_cells WHERE manufacturer_id = $m "
                          "GROUP BY 1 ORDER BY sum(n) DESC, 1 LIMIT 1", {"m": brand}).fetchall()[0][0]
    year = Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    part = Filters(date_from=dt.date(2024, 1, 15), date_to=dt.date(2024, 12, 20))
    queries = {
        f"{brand}'s view, one year, by station": (Scope.manufacturer(brand), year, ["station"]),
        f"{brand}'s view, period not on month bounds, by station": (Scope.manufacturer(brand), part, ["station"]),
        f"{brand}'s stations by month, all the data (monthly scores)":
            (Scope.manager(), Filters(manufacturer_ids=(brand,)), ["station", "month"]),
        f"{station} and {brand} by month, all the data": (
            Scope.manager(), Filters(station_ids=(station,), manufacturer_ids=(brand,)), ["month"]),
    }
    print(f"{'query':62s} {'wall s':>8s} {'CPU s':>8s} {'rows':>7s}")
    for label, (scope, filters, by) in queries.items():
        wall, cpu, rows = timed(lambda: metric_table(con, scope, filters, by), args.repeat)
        print(f"{label:62s} {wall:8.3f} {cpu:8.3f} {rows:7d}")


if __name__ == "__main__":
    main()
