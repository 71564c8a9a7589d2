"""Statement-by-statement profile of one 1,000-intervention delta: import, then incremental refresh.

    python -m benchmarks.profile_delta STORE WORK [--current-anyway] [--rebuild=MODEL,MODEL] [--top N]

Copies STORE (an engine-refreshed store, never written) to WORK, writes a delta like
``bench_refresh`` (new interventions ``Y…``), imports it and refreshes, timing every statement the
connection runs (a multi-statement script statement by statement); prints those over 1 s as they end,
then the models' seconds and the 30 (``--top N``) slowest statements. ``--current-anyway`` takes the
store's derived tables as current whatever built them (to profile an engine whose tables are the same
as the store's, or that a caller has completed). ``--rebuild=MODEL,MODEL`` first rebuilds those models
in full on the copy (untimed): an engine whose tables differ from the store's in those models only (a
new column) is then profiled on tables of its own shape. From the lead's script of issue 13
(/work/stores/lead/profile_delta.py); the figures are in docs/PERFORMANCE.md "Writes at 10M".
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import duckdb

from analytics.contract.importer import import_into
from analytics.core import sql, store
from analytics.engine import changes, models
from benchmarks.bench_refresh import write_delta


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
    source, work = Path(sys.argv[1]), Path(sys.argv[2])
    if "--current-anyway" in sys.argv:
        models.is_current = lambda con: True
    shutil.copyfile(source, work)
    work.with_name(work.name + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(str(work))
    store.migrate(con)
    rebuild = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--rebuild=")), "")
    for model in filter(None, rebuild.split(",")):
        started = time.perf_counter()
        models.full_scope(con)
        sql.run_script(con, f"engine/{model}")
        sql.run_script(con, "engine/scope/drop")
        print(f"rebuilt {model} in full ({time.perf_counter() - started:.1f} s, untimed)", flush=True)
    folder = work.parent / "delta"
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
    top = 30
    for k, arg in enumerate(sys.argv):
        if arg.startswith("--top="):
            top = int(arg.split("=", 1)[1])
        elif arg == "--top":
            top = int(sys.argv[k + 1])
    for seconds, query in sorted(timed.log, key=lambda x: -x[0])[:top]:
        print(f"{seconds * 1000:8.0f} ms  {first_words(query, 230)}")


if __name__ == "__main__":
    main()
