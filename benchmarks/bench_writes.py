"""Write benchmark: what a finding entry and a daily import cost on a big store, against bare DuckDB.

    python -m benchmarks.bench_writes --store benchmarks/.work/s13/1M.duckdb [--entries 50]
                                      [--writers 20] [--seconds 60] [--layout replicas|copy]

Works on a copy of ``--store`` (never writes it) under ``benchmarks/.work/writes/``. In one run:

1. **bare baselines** on another copy of the store, plain DuckDB: the delta's rows appended to
   their tables (``INSERT … BY NAME SELECT * FROM read_csv``: the engine's key stays empty) then ``CHECKPOINT``; one finding entry
   inserted then ``CHECKPOINT`` (p50 of 20). Time and bytes written (``/proc/self/io``).
2. **layout**: the copy is converted to the replicated layout (one-time: two copies).
3. **import** of a 1,000-intervention delta (made with the demo generator, ids re-keyed so that
   they are new; its stations and brands are the store's own) through ``import_paths``: time
   until readers see it, time of the call (which then replays it on the other replica), and
   bytes written by both, against the bare append.
4. **layer**: an empty change applied, logged, published and replayed (the layer's own cost).
5. **entries**: ``--entries`` waivers (``conversation.threads.waive``, ``background``: the
   dashboard's and the API's way) by a manufacturer user, one every ``--entry-interval`` seconds,
   each timed from the call to the moment *another process* sees the finding settled through a
   live read (what a page shows; it reads once the call has returned, as a page view would), and
   to the moment the published store holds it (the background fold, watched every 50 ms);
   p50 / p95, and the call's own time.
6. **concurrency**: ``--writers`` processes writing comments for ``--seconds`` while one more
   process imports a second delta; entries/s, p50 / p95 of the call, and lost = acknowledged
   entries missing from the store at the end (must be 0).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from analytics.core import store
from analytics.core.config import PROJECT_ROOT
from benchmarks.harness import WORK_DIR, Bench, copy_store

DELTA_TABLES = ("interventions", "documents", "invoices", "invoice_lines", "disputes")
BENCH_USER = "bench-brand"
BENCH_PASSWORD = "bench-password-not-secret"


def write_bytes() -> int:
    """Bytes this process has caused to be written to storage so far (Linux ``/proc/self/io``)."""
    with open("/proc/self/io") as fh:
        for line in fh:
            if line.startswith("write_bytes"):
                return int(line.split()[1])
    return 0


def make_delta(folder: Path, prefix: str, *, interventions: int = 1000, seed: int = 3) -> dict[str, int]:
    """A daily delta: the demo generator's ``interventions`` interventions with their documents,
    invoices, lines and disputes, every id prefixed with ``prefix`` (new rows for the store);
    stations, brands, fx rates and policies are left out (the store's own are used)."""
    raw = folder.with_name(folder.name + "-raw")
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "analytics", "demo", "--interventions", str(interventions),
                    "--seed", str(seed), "--export", str(raw)], cwd=PROJECT_ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder.mkdir(parents=True)
    keyed = {"intervention_id", "invoice_id", "dispute_id"}
    counts = {}
    for table in DELTA_TABLES:
        with open(raw / f"{table}.csv", newline="", encoding="utf-8") as src, \
                open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as dst:
            reader = csv.DictReader(src)
            writer = csv.DictWriter(dst, fieldnames=reader.fieldnames)
            writer.writeheader()
            n = 0
            for row in reader:
                for column in keyed & row.keys():
                    if row[column]:
                        row[column] = prefix + row[column]
                writer.writerow(row)
                n += 1
            counts[table] = n
    shutil.rmtree(raw)
    return counts


def bare_baselines(bench: Bench, source: Path, delta: Path, work: Path) -> dict:
    """Plain DuckDB on a copy of the store: the delta appended + CHECKPOINT, and one entry + CHECKPOINT."""
    bare = work / "bare.duckdb"
    copy_store(source, bare)
    con = duckdb.connect(str(bare))
    before, start = write_bytes(), time.perf_counter()
    for table in DELTA_TABLES:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_csv($f, header = true)",  # fixed table list
                    {"f": str(delta / f"{table}.csv")})
    con.execute("CHECKPOINT")
    out = {"append_seconds": time.perf_counter() - start, "append_bytes": write_bytes() - before}
    bench.record("bare DuckDB append of the delta + CHECKPOINT", out["append_seconds"])
    times = []
    before = write_bytes()
    for i in range(20):
        start = time.perf_counter()
        con.execute("INSERT INTO finding_entries VALUES ($id, 'I1', 'AMOUNT_MISMATCH', '', 'comment', 'u', "
                    "'station', now()::TIMESTAMP, 'bare', NULL, NULL)", {"id": 10**15 + i})
        con.execute("CHECKPOINT")
        times.append(time.perf_counter() - start)
    out["entry_seconds"] = statistics.median(times)
    out["entry_bytes"] = (write_bytes() - before) // 20
    bench.record("bare DuckDB insert of one entry + CHECKPOINT (p50)", out["entry_seconds"])
    con.close()
    bare.unlink()
    return out


def findings_to_settle(db: Path, count: int) -> tuple[str, list[tuple[str, str, str]]]:
    """The brand with the most open findings, and ``count`` of its findings nobody decided yet."""
    con = store.reader(db)
    brand = con.execute("""SELECT i.manufacturer_id FROM findings f JOIN interventions i USING (intervention_id)
                           GROUP BY ALL ORDER BY count(*) DESC LIMIT 1""").fetchall()[0][0]
    rows = con.execute("""SELECT d.intervention_id, d.code, d.doc_type FROM finding_decisions d
                          JOIN interventions i USING (intervention_id)
                          WHERE i.manufacturer_id = $m AND d.finding_exists AND NOT d.settled
                          ORDER BY d.intervention_id DESC LIMIT $n""", {"m": brand, "n": count}).fetchall()
    return brand, [(r[0], r[1], r[2] or "") for r in rows]


#: The other process, a page view: reads "intervention code doc_type t0" lines, each sent once the
#: entry's call has returned (t0: when the call started); prints the ms from t0 until a live read
#: (the store plus the journal's entries not yet published, analytics/engine/live.py) shows the
#: finding settled, reading again every 5 ms until it does.
OBSERVER = r"""
import sys, time
from analytics.access.scope import Scope
from analytics.conversation import threads
from analytics.core import store
db, brand = sys.argv[1], sys.argv[2]
scope = Scope.manufacturer(brand)

def settled(df, code, doc):
    row = df[(df["code"] == code) & (df["doc_type"] == doc)]
    return len(row) == 1 and bool(row["settled"].iloc[0])

threads.findings(store.reader(db), scope, "warm-up", path=db)  # imports and the first open done
print("ready", flush=True)
for line in sys.stdin:
    iid, code, doc, t0 = line.rstrip("\n").split("\t")
    reads = 0
    while True:
        reads += 1
        if settled(threads.findings(store.reader(db), scope, iid, path=db), code, doc):
            break
        time.sleep(0.005)
    print(round((time.time() - float(t0)) * 1000, 1), reads, flush=True)
"""


def _published_watcher(db: Path, written: dict, seen: dict, done: threading.Event) -> None:
    """Polls the published store every 50 ms: when each written finding is settled there."""
    while not done.is_set() or len(seen) < len(written):
        keys = [k for k in list(written) if k not in seen]
        if keys:
            # found by the intervention ids (zone maps skip most of the table), the rest checked here: a
            # filter on every row's concatenated key scanned the whole table 20 times a second, a load
            # the measured readers then competed with
            rows = store.reader(db).execute(
                "SELECT intervention_id, code, doc_type FROM finding_decisions "
                "WHERE settled AND intervention_id IN (SELECT unnest($ids))",
                {"ids": sorted({k[0] for k in keys})}).fetchall()
            now = time.time()
            for row in rows:
                key = (row[0], row[1], row[2] or "")
                if key in written:
                    seen.setdefault(key, now)
        time.sleep(0.05)


def entries_benchmark(bench: Bench, db: Path, count: int, interval: float = 1.0) -> dict:
    from analytics.access import users
    from analytics.access.scope import Scope
    from analytics.access.viewer import Viewer
    from analytics.conversation import threads

    brand, keys = findings_to_settle(db, count)
    if users.get_user(db, BENCH_USER) is None:
        users.add_user(db, BENCH_USER, BENCH_PASSWORD, "manufacturer", manufacturer_id=brand)
    viewer = Viewer(BENCH_USER, Scope.manufacturer(brand))
    observer = subprocess.Popen([sys.executable, "-c", OBSERVER, str(db), brand], cwd=PROJECT_ROOT, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    visible, calls, applied, extra_reads = [], [], 0, 0
    written: dict = {}
    seen: dict = {}
    done = threading.Event()
    watcher = threading.Thread(target=_published_watcher, args=(db, written, seen, done), daemon=True)
    watcher.start()
    assert observer.stdout.readline().strip() == "ready"
    before = write_bytes()
    try:
        for iid, code, doc in keys:
            t0 = time.time()
            start = time.perf_counter()
            w = threads.waive(db, viewer, iid, code, "benchmark waiver", doc_type=doc, background=True)
            calls.append(time.perf_counter() - start)
            written[(iid, code, doc)] = t0
            applied += w.applied
            observer.stdin.write(f"{iid}\t{code}\t{doc}\t{t0}\n")
            observer.stdin.flush()
            ms, reads = observer.stdout.readline().split()
            visible.append(float(ms) / 1000)
            extra_reads += int(reads) - 1
            time.sleep(max(0.0, t0 + interval - time.time()))  # one entry every `interval` seconds
    finally:
        observer.stdin.close()
        observer.wait(timeout=60)
        done.set()
        watcher.join(timeout=600)
    published = [seen[k] - t0 for k, t0 in written.items() if k in seen]
    n = len(visible)
    out = {"entries": n, "applied": applied, "bytes_per_entry": (write_bytes() - before) // max(n, 1),
           "visible_p50": statistics.median(visible), "visible_p95": _p95(visible),
           "published": len(published), "interval_seconds": interval, "reads_not_showing_it": extra_reads,
           "published_p50": statistics.median(published), "published_p95": _p95(published),
           "call_p50": statistics.median(calls), "call_p95": _p95(calls)}
    bench.record(f"entry: call to visible elsewhere, p50 ({n})", out["visible_p50"],
                 baseline="bare DuckDB insert of one entry + CHECKPOINT (p50)")
    bench.record(f"entry: call to visible elsewhere, p95 ({n})", out["visible_p95"])
    bench.record("entry: the call itself, p50", out["call_p50"])
    bench.record(f"entry: call to published in the store (background fold), p50 ({n})", out["published_p50"])
    bench.record(f"entry: call to published in the store (background fold), p95 ({n})", out["published_p95"])
    return out


def layer_benchmark(bench: Bench, db: Path, count: int = 10) -> dict:
    """The store layer alone: an empty change (no row, no engine refresh) applied, logged,
    published and replayed on the other replica, ``count`` times: what a write costs beyond its
    own rows and the engine's refresh."""
    store.register_change(store.Change("bench-empty", lambda con, payload, path, live: (None, payload)))
    times, before = [], write_bytes()
    for _ in range(count):
        start = time.perf_counter()
        store.apply(db, "bench-empty", None)
        times.append(time.perf_counter() - start)
    out = {"p50": statistics.median(times), "p95": _p95(times), "bytes": (write_bytes() - before) // count}
    bench.record("store layer alone: empty change, both replicas (p50)", out["p50"])
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


#: One concurrent writer: comments on its share of the findings until the deadline; prints one
#: JSON line per acknowledged entry (id, seconds, applied).
WRITER = r"""
import json, sys, time
from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.conversation import threads
from analytics.engine import publishing
db, brand, deadline, keys = sys.argv[1], sys.argv[2], float(sys.argv[3]), json.loads(sys.argv[4])
viewer = Viewer("bench-brand", Scope.manufacturer(brand))
i = 0
while time.time() < deadline:
    iid, code, doc = keys[i % len(keys)]
    start = time.perf_counter()
    w = threads.comment(db, viewer, iid, code, f"concurrent comment {i}", doc_type=doc, background=True)
    print(json.dumps([w.entry.entry_id, time.perf_counter() - start, w.applied]), flush=True)
    i += 1
publishing.wait_for_background_folds()
"""


def concurrency_benchmark(bench: Bench, db: Path, delta: Path, writers: int, seconds: float) -> dict:
    from analytics.engine import journal, publishing

    brand, keys = findings_to_settle(db, writers * 5)
    deadline = time.time() + seconds
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), brand, str(deadline),
                               json.dumps(keys[w::writers] or keys)],
                              cwd=PROJECT_ROOT, text=True, stdout=subprocess.PIPE)
             for w in range(writers)]
    importer = subprocess.Popen([sys.executable, "-m", "analytics", "import", str(delta), "--db", str(db)],
                                cwd=PROJECT_ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    acked, latencies = [], []
    for proc in procs:
        out, _ = proc.communicate(timeout=seconds + 900)
        for line in out.splitlines():
            if not line.startswith("["):
                continue  # DuckDB's progress bar, drawn on stdout during a long refresh
            entry_id, took, _ = json.loads(line)
            acked.append(entry_id)
            latencies.append(took)
    _, err = importer.communicate(timeout=900)
    publishing.fold(db, wait=True)  # publish what the last writers left pending, if any
    held = {r[0] for r in store.reader(db).execute(
        "SELECT entry_id FROM finding_entries WHERE entry_id IN (SELECT unnest($ids))", {"ids": acked}).fetchall()}
    out = {"writers": writers, "seconds": seconds, "entries": len(acked),
           "entries_per_second": len(acked) / seconds, "call_p50": statistics.median(latencies),
           "call_p95": _p95(latencies), "lost": len(set(acked) - held),
           "pending_after": len(journal.pending_entries(db)), "import_exit": importer.returncode,
           "import_error": err.strip()[-300:] if importer.returncode else ""}
    bench.record(f"{writers} writers x {seconds:.0f}s + one import: call p95", out["call_p95"])
    return out


def say(what: str, value) -> None:
    """One figure, printed at once (a long run shows its progress)."""
    print(f"{what}: {json.dumps(value, default=str)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="the store to copy (never written)")
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--entry-interval", type=float, default=1.0,
                        help="seconds from one entry's start to the next (a person's pace)")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--layout", choices=("replicas", "copy"), default="replicas")
    parser.add_argument("--skip", default="", help="comma-separated steps to skip: import,layer,entries,concurrency")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    work = WORK_DIR / "writes"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "store.duckdb"
    figures: dict = {"store": str(args.store), "layout": args.layout}
    bench = Bench(f"writes on {args.store.name} ({args.layout} layout)")

    delta_a, delta_b = work / "delta-a", work / "delta-b"
    figures["delta_rows"] = make_delta(delta_a, "DA")
    make_delta(delta_b, "DB")
    figures["delta_csv_bytes"] = sum(p.stat().st_size for p in delta_a.iterdir())
    figures["bare"] = bare_baselines(bench, args.store, delta_a, work)
    say("bare", figures["bare"])

    copy_store(args.store, db)
    os.environ[store.LAYOUT_ENV] = args.layout
    if args.layout == "replicas":
        with bench.step("convert to the replicated layout (once)"):
            store.replicate(db)
            store.catch_up(db)
        say("converted", bench.steps[-1].seconds)

    from analytics.contract.importer import import_paths
    if "import" not in skip:
        published = threading.Event()
        seen: dict = {}

        def watch(first=store.version_of(db)) -> None:  # when the import becomes visible to readers
            while not published.is_set():
                if store.version_of(db) != first:
                    seen["visible"] = time.perf_counter()
                    return
                time.sleep(0.005)

        watcher = threading.Thread(target=watch)
        before, start = write_bytes(), time.perf_counter()
        watcher.start()
        result = import_paths(db, [delta_a])
        seconds, written = time.perf_counter() - start, write_bytes() - before
        published.set()
        watcher.join()
        assert result.ok, result.problems[:5]
        bench.record("import of the 1,000-intervention delta (call)", seconds,
                     baseline="bare DuckDB append of the delta + CHECKPOINT")
        figures["import"] = {"seconds": seconds, "bytes": written,
                             "visible_seconds": seen.get("visible", start + seconds) - start}
        bench.record("  of which: until visible to readers", figures["import"]["visible_seconds"])
        before, start = write_bytes(), time.perf_counter()
        store.catch_up(db)
        figures["import"].update(replay_seconds=time.perf_counter() - start, replay_bytes=write_bytes() - before)
        bench.record("replay of that import on the other replica", figures["import"]["replay_seconds"])
        total = figures["import"]["bytes"] + figures["import"]["replay_bytes"]
        figures["import"]["bytes_vs_bare"] = round(total / max(figures["bare"]["append_bytes"], 1), 2)
        say("import", figures["import"])
    if "layer" not in skip:
        figures["layer"] = layer_benchmark(bench, db)
        say("layer", figures["layer"])
    if "entries" not in skip:
        figures["entries"] = entries_benchmark(bench, db, args.entries, args.entry_interval)
        say("entries", figures["entries"])
    if "concurrency" not in skip:
        figures["concurrency"] = concurrency_benchmark(bench, db, delta_b, args.writers, args.seconds)
    bench.report()
    print(json.dumps(figures, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
