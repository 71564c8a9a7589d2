"""Statement-by-statement profile of one 1,000-intervention delta: import, then incremental refresh.

    python -m benchmarks.profile_delta STORE WORK [--current-anyway] [--rebuild MODEL,MODEL] [--top N]

Copies STORE (an engine-refreshed store, never written) to WORK, writes a delta like
``bench_refresh`` (new interventions ``Y…``), imports it and refreshes, timing every statement the
connection runs (a multi-statement script statement by statement); prints those over 1 s as they end,
then the models' seconds and the 30 (``--top N``) slowest statements. ``--current-anyway`` takes the
store's derived tables as current whatever built them (to profile an engine whose tables are the same
as the store's, or that a caller has completed). ``--rebuild MODEL,MODEL`` first rebuilds those models
in full on the copy (untimed): an engine whose tables differ from the store's in those models only (a
new column) is then profiled on tables of its own shape. The figures are in docs/PERFORMANCE.md
"Writes at 10M" and after.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from analytics.contract.importer import import_into
from analytics.core import sql, store
from analytics.engine import changes, models
from benchmarks.bench_refresh import write_delta
from benchmarks.harness import copy_store


class Timed:
    """A connection whose ``execute`` calls are timed (and printed when over 1 s)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self.log: list[tuple[float, str]] = []

    def execute(self, query, *args, **kwargs):
        # A parameterless script (a model, a pre-step) is timed statement by statement: its first
        # statement's words would otherwise name the whole script's time.
        statements = self._con.extract_statements(query) if isinstance(query, str) and not args and not kwargs else []
        if len(statements) > 1:
            for statement in statements:
                result = self._timed(statement.query)
            return result
        return self._timed(query, *args, **kwargs)

    def _timed(self, query, *args, **kwargs):
        started = time.perf_counter()
        result = self._con.execute(query, *args, **kwargs)
        seconds = time.perf_counter() - started
        self.log.append((seconds, query))
        if seconds > 1:
            print(f"{seconds:.1f} s", first_words(query, 160), flush=True)
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def first_words(query: str, width: int) -> str:
    return " ".join(line for line in query.strip().splitlines() if not line.strip().startswith("--"))[:width]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="an engine-refreshed store (copied, never written)")
    parser.add_argument("work", type=Path, help="where the copy is made and written")
    parser.add_argument("--current-anyway", action="store_true",
                        help="take the store's derived tables as current whatever built them")
    parser.add_argument("--rebuild", default="", help="models rebuilt in full on the copy first (comma-separated)")
    parser.add_argument("--top", type=int, default=30, help="how many of the slowest statements to print")
    args = parser.parse_args()
    if args.current_anyway:
        models.is_current = lambda con: True
    copy_store(args.store, args.work)
    args.work.with_name(args.work.name + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(str(args.work))
    store.migrate(con)
    rebuild = [model for model in args.rebuild.split(",") if model]
    if rebuild:
        models.full_scope(con)
        for model in rebuild:
            started = time.perf_counter()
            sql.run_script(con, f"engine/{model}")
            print(f"rebuilt {model} in full ({time.perf_counter() - started:.1f} s, untimed)", flush=True)
        sql.run_script(con, "engine/scope/drop")
    folder = args.work.parent / "delta"
    write_delta(con, folder, 1000, prefix="Y")
    con.execute("CHECKPOINT")
    timed = Timed(con)
    started = time.perf_counter()
    changes.start(timed)
    result = import_into(timed, [folder])
    assert result.ok, result.problems[:3]
    imported = time.perf_counter()
    done = models.refresh_pending(timed)
    refreshed = time.perf_counter()
    print(f"import {imported - started:.2f} s, refresh {refreshed - imported:.2f} s", done)
    print(", ".join(f"{n} {s:.2f}" for n, s in sorted(done.seconds, key=lambda x: -x[1])))
    for seconds, query in sorted(timed.log, key=lambda x: -x[0])[:args.top]:
        print(f"{seconds * 1000:8.0f} ms  {first_words(query, 230)}")

if __name__ == "__main__":
    main()
