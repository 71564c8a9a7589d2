"""Where a page's first view goes: each page's first run (wall and CPU seconds) and, for the last
page, the time of each data call and of the files of its downloads.

    python -m benchmarks.profile_page --db STORE [PAGE ...]      (default: definitions overview stations scorecard)

Pages run in turn in this one process, by Streamlit's AppTest as a network manager, as
``benchmarks/bench_pages.py`` runs them (the pages before the last one warm Python's imports, as
they do there). CPU is the process's (every DuckDB thread included): the steadier figure on a shared
machine. The last page's ``ui.pagekit.cached`` calls are timed by function (a call served from the
cache counts its look-up only), with the CSV and Excel files its download buttons hold, and the
named SQL it runs. To compare two versions of the code, run this file from each tree in turn
(``cd OTHER_TREE && PYTHONPATH=. python /path/to/benchmarks/profile_page.py ...``).
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from pathlib import Path

DEFAULT_PAGES = ("definitions", "overview", "stations", "scorecard")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("pages", nargs="*", default=list(DEFAULT_PAGES))
    args = parser.parse_args()
    os.environ["CLAIRVOIE_DB"] = args.db
    sys.path.insert(0, os.getcwd())  # the tree this is run from
    from streamlit.testing.v1 import AppTest

    import ui.pagekit as pagekit
    from analytics.access.scope import Scope
    from analytics.access.viewer import Viewer
    from analytics.core import sql
    from ui.apptest import scan_components_once
    from ui.auth import VIEWER_KEY

    scan_components_once()  # what a server does once at start, not part of a page's view

    calls: dict[str, float] = collections.defaultdict(float)
    queries: dict[str, float] = collections.defaultdict(float)

    def timing(table, name, fn):
        def wrapped(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                table[name(*args)] += time.perf_counter() - start
        return wrapped

    pagekit.cached = timing(calls, lambda fn, *a: fn.__qualname__, pagekit.cached)
    pagekit.to_xlsx = timing(calls, lambda *a: "(Excel files)", pagekit.to_xlsx)
    pagekit.frame_to_csv = timing(calls, lambda *a: "(CSV files)", pagekit.frame_to_csv)
    sql.execute = timing(queries, lambda con, name, *a: name, sql.execute)
    first_runs = {}
    for page in args.pages:
        calls.clear()
        queries.clear()
        at = AppTest.from_file(str(Path.cwd() / "pages" / f"{page}.py"), default_timeout=600)
        at.session_state[VIEWER_KEY] = Viewer("admin", Scope.manager(), is_admin=True)
        cpu, wall = time.process_time(), time.perf_counter()
        at.run()
        first_runs[page] = (round(time.perf_counter() - wall, 3), round(time.process_time() - cpu, 3))
        if at.exception:
            raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'page':14s} {'wall s':>8s} {'CPU s':>8s}")
    for page, (wall, cpu) in first_runs.items():
        print(f"{page:14s} {wall:8.3f} {cpu:8.3f}")
    print(f"\n{args.pages[-1]}: data calls and download files {sum(calls.values()):.3f} s")
    for name, seconds in sorted(calls.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:7.3f}  {name}")
    print(f"named SQL {sum(queries.values()):.3f} s (execution; reading the result into a frame not included)")
    for name, seconds in sorted(queries.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {seconds:7.3f}  {name}")
    print("profile_page result: " + json.dumps(first_runs))


if __name__ == "__main__":
    main()
