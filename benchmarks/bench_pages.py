"""Server-side render time of every page (AppTest run), per store size.

    python -m benchmarks.bench_pages --db data/clairvoie.duckdb [--db other.duckdb ...] [--runs 3]

For each store and page, as a manager: the first run (cold ``st.cache_data``, as after an
import) and the median of warm re-runs. The baseline, measured in the same run, is the
Definitions page (no data read): what Streamlit itself costs per page. Build stores with
``python -m analytics demo --interventions N --db PATH``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from benchmarks.harness import Bench

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("definitions", "overview", "stations", "scorecard", "verification", "preinvoices",
         "disputes", "territories", "policies", "import_data")


def render_seconds(page: str, runs: int) -> tuple[float, float]:
    """(first run, median of the warm re-runs) of ``pages/<page>.py`` as a network manager."""
    from streamlit.testing.v1 import AppTest

    from analytics.scope import Scope
    from analytics.viewer import Viewer
    from ui.auth import VIEWER_KEY

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=600)
    at.session_state[VIEWER_KEY] = Viewer("admin", Scope.manager(), is_admin=True)
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    return times[0], statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True, type=Path, help="a store (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="warm re-runs per page")
    args = parser.parse_args()
    import duckdb

    for db in args.db:
        with duckdb.connect(str(db), read_only=True) as con:
            n = con.execute("SELECT count(*) FROM interventions").fetchall()[0][0]
        os.environ["CLAIRVOIE_DB"] = str(db)
        bench = Bench(f"pages on {db.name} ({n:,} interventions)")
        for page in PAGES:
            first, warm = render_seconds(page, args.runs)
            baseline = None if page == "definitions" else "definitions (first run)"
            bench.record(f"{page} (first run)", first, baseline=baseline)
            bench.record(f"{page} (warm)", warm)
        bench.report()


if __name__ == "__main__":
    main()
