"""Server-side render time of every page (AppTest run), per store size.

    python -m benchmarks.bench_pages --db data/clairvoie.duckdb [--db other.duckdb ...] [--runs 3] [--repeats 3]

For each store and page, as a manager: the first run (cold ``st.cache_data``, as after an
import) and the median of warm re-runs. The baseline, measured in the same run, is the
Definitions page (no data read): what Streamlit itself costs per page. Each store is benched in
a fresh process (``--repeats K``: K processes per store, in turn); with several stores a last
table gives each page's median first run per store and the ratio of the last store's to the
first's. Build stores with
``python -m analytics demo --interventions N --db PATH``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import Bench

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("definitions", "overview", "stations", "scorecard", "verification", "preinvoices",
         "disputes", "territories", "policies", "import_data")


def render_seconds(page: str, runs: int) -> tuple[float, float]:
    """(first run, median of the warm re-runs) of ``pages/<page>.py`` as a network manager."""
    from streamlit.testing.v1 import AppTest

    from analytics.access.scope import Scope
    from analytics.access.viewer import Viewer
    from ui.apptest import scan_components_once
    from ui.auth import VIEWER_KEY

    scan_components_once()  # what a server does once at start, not part of a page's view
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


def bench_store(db: Path, runs: int) -> dict[str, float]:
    """Every page on one store (report printed); returns page -> first run (s)."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM interventions").fetchall()[0][0]
    os.environ["CLAIRVOIE_DB"] = str(db)
    bench = Bench(f"pages on {db.name} ({n:,} interventions)")
    first_runs = {}
    for page in PAGES:
        first, warm = render_seconds(page, runs)
        first_runs[page] = first
        baseline = None if page == "definitions" else "definitions (first run)"
        bench.record(f"{page} (first run)", first, baseline=baseline)
        bench.record(f"{page} (warm)", warm)
    bench.report()
    print(RESULT + json.dumps({"interventions": n, "first_runs": first_runs}), flush=True)
    return first_runs


#: The line a store's run ends with, read by the parent run (one process per store).
RESULT = "bench_pages result: "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True, type=Path, help="a store (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="warm re-runs per page")
    parser.add_argument("--repeats", type=int, default=1,
                        help="fresh processes per store (interleaved); the growth table takes the median first run")
    args = parser.parse_args()
    if len(args.db) == 1 and args.repeats == 1:
        bench_store(args.db[0], args.runs)
        return
    # One fresh process per store: a store benched after another would find Python's imports,
    # Streamlit and DuckDB's caches warm, and look faster than it is. Repeats go round the stores
    # in turn, so that a slow minute of the machine does not fall on one store only.
    first_runs: dict[str, dict[str, list[float]]] = {}
    for _ in range(args.repeats):
        for db in args.db:
            done = subprocess.run([sys.executable, "-m", "benchmarks.bench_pages", "--db", str(db),
                                   "--runs", str(args.runs)], cwd=ROOT, capture_output=True, text=True, check=True)
            for line in done.stdout.splitlines():
                if line.startswith(RESULT):
                    result = json.loads(line[len(RESULT):])
                    runs = first_runs.setdefault(f"{result['interventions']:,}", {})
                    for page, seconds in result["first_runs"].items():
                        runs.setdefault(page, []).append(seconds)
                else:
                    print(line)
    print_growth({label: {page: statistics.median(times) for page, times in pages.items()}
                  for label, pages in first_runs.items()}, args.repeats)


def print_growth(first_runs: dict[str, dict[str, float]], repeats: int = 1) -> None:
    """Each page's first run on every store (the median of ``repeats`` fresh processes), and the
    ratio of the last store's to the first's (the issue's aim: at 10M no more than 1.5 times the
    100k time)."""
    labels = list(first_runs)
    print(f"\nfirst run (s, median of {repeats}) by store size; ratio {labels[-1]} / {labels[0]}")
    print("page".ljust(14) + "".join(label.rjust(14) for label in labels) + "ratio".rjust(9))
    for page in PAGES:
        times = [first_runs[label][page] for label in labels]
        print(page.ljust(14) + "".join(f"{x:14.2f}" for x in times) + f"{times[-1] / times[0]:8.2f}×")


if __name__ == "__main__":
    main()
