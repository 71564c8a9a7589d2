"""Demo generator benchmark: generate + import N interventions, with peak memory.

    python -m benchmarks.bench_demo --interventions 200000 [--keep DIR]
    nohup nice python -m benchmarks.bench_demo --interventions 10000000 > bench_demo_10m.log 2>&1 &

Run one size per process, so that the peak memory reported (``ru_maxrss``) is that
size's. Steps, all on the same files in the same run:

* ``generate``: :func:`analytics.demo.export_demo` to Parquet (month-by-month chunks);
  its peak memory is the generator's (nothing else has run yet);
* ``baseline: bare DuckDB load`` — the floor: the same files loaded into plain tables
  with ``CREATE TABLE AS SELECT * FROM read_parquet`` (no validation, no engine), in a
  fresh DuckDB file;
* ``import + engine refresh``: :func:`analytics.demo.load_demo_files` — the real importer
  (every contract check), the demo users, the engine's refresh, atomic publish;
* ``generate + import``: the sum of the two, what ``python -m analytics demo`` costs.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from analytics.contract.tables import TABLE_ORDER
from analytics.demo import export_demo, load_demo_files
from benchmarks.harness import Bench


def bare_load(files: Path, db: Path) -> int:
    """Load every exported table into a fresh DuckDB file, as is; returns the rows loaded."""
    con = duckdb.connect(str(db))
    rows = 0
    for table in TABLE_ORDER:
        # table names come from the contract's fixed list, the path is bound
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet($path)",
                    {"path": str(files / f"{table}.parquet")})
        rows += con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    con.execute("CHECKPOINT")
    con.close()
    return rows


def _log(started: float):
    """Progress lines on stderr with the elapsed time, so a long run shows how far it got."""
    def progress(done: int, total: int, message: str) -> None:
        print(f"[{time.perf_counter() - started:8.1f}s] {message}", file=sys.stderr, flush=True)
    return progress


def _done(step) -> None:
    print(f"  step done: {step.name}: {step.seconds:.1f} s, peak {step.peak_rss_mb:.0f} MiB",
          file=sys.stderr, flush=True)


def run(interventions: int, seed: int, work: Path) -> Bench:
    bench = Bench(f"demo generator: {interventions:,} interventions (seed {seed})")
    files, store_path = work / "files", work / "demo.duckdb"
    progress = _log(time.perf_counter())
    with bench.step("generate (export_demo, parquet)", rows=interventions) as s:
        stats = export_demo(files, interventions=interventions, seed=seed, fmt="parquet", progress=progress)
        s.extra["rows"] = stats["rows"]
    _done(bench.steps[-1])
    with bench.step("baseline: bare DuckDB load of the files", rows=interventions) as s:
        s.extra["all_rows"] = bare_load(files, work / "bare.duckdb")
    _done(bench.steps[-1])
    (work / "bare.duckdb").unlink()
    with bench.step("import + engine refresh (load_demo_files)", rows=interventions,
                    baseline="baseline: bare DuckDB load of the files"):
        load_demo_files(store_path, files, progress=progress)
    _done(bench.steps[-1])
    total = bench.get("generate (export_demo, parquet)").seconds + \
        bench.get("import + engine refresh (load_demo_files)").seconds
    summed = bench.record("generate + import (python -m analytics demo)", total, rows=interventions,
                          baseline="baseline: bare DuckDB load of the files")
    summed.extra["store_mb"] = round(store_path.stat().st_size / 2**20)
    return bench


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interventions", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", type=Path, default=None, help="work in DIR and keep the files and store")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-demo-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    try:
        bench = run(args.interventions, args.seed, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    bench.report()
    print(f"(started {started}, finished {time.strftime('%Y-%m-%d %H:%M:%S')}; "
          f"peak memory of the generator alone: {bench.steps[0].peak_rss_mb:.0f} MiB)")


if __name__ == "__main__":
    main()
