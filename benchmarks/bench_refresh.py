"""Engine refresh benchmark: the full rebuild against the incremental refresh of a change.

    python -m benchmarks.bench_refresh --store PATH [--delta 1000] [--keep] [--no-full]

Works on a copy of the store at PATH (``benchmarks/.work/refresh-<name>.duckdb``; the store itself
is never written), on one direct connection (the store's writer and its publishing are measured by
the write benchmarks). In one run:

1. full refresh: ``models.refresh`` (every model over every key, history included), then CHECKPOINT;
2. a delta of ``--delta`` new interventions, written as contract CSV files (not timed): each copies a
   random stored intervention (same manufacturer, station, serial: comebacks happen) one year after
   the newest completion, with its documents, one new invoice per station and manufacturer carrying
   one labour line per intervention, and a dispute for 2 % of them;
3. baseline: a bare DuckDB append of those files into the store's tables
   (``INSERT INTO t SELECT * FROM read_csv(...)``), the floor of any import, on a copy of the store:
   rolled back (timed), then committed with its ``CHECKPOINT`` (timed, and the bytes it writes counted);
4. import of the delta (``import_into``: every check, load, changes recorded), then the incremental
   refresh it triggers (``models.refresh_pending``), each timed, then ``CHECKPOINT``; the bytes the three
   write are counted the same way as the baseline's (:func:`bytes_written`: what this process hands to
   ``write`` calls, i.e. the store file and its WAL);
5. one finding entry (a waiver, recorded as the journal fold records it), then its incremental refresh;
6. the full refresh again on the same data, for comparison.
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import time
from pathlib import Path

import duckdb

from analytics.contract.importer import import_into
from analytics.core import sql, store
from analytics.engine import changes, models
from benchmarks.harness import WORK_DIR, Bench, copy_store

DELTA_TABLES = ("interventions", "documents", "invoices", "invoice_lines", "disputes")


def write_delta(con: duckdb.DuckDBPyConnection, folder: Path, n: int, seed: int = 7, prefix: str = "X") -> dict[str, int]:
    """Contract CSV files of ``n`` new interventions modelled on stored ones (see the module doc)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    con.execute("SELECT setseed(?)", [seed / 100])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE bench_delta AS
        WITH last AS (SELECT max(completed_on) AS day FROM interventions)
        SELECT ? || lpad(CAST(row_number() OVER () AS VARCHAR), 7, '0') AS new_id, i.*,
               (SELECT day FROM last) + 1 + CAST(random() * 20 AS INTEGER) AS new_requested
        FROM (SELECT * FROM interventions USING SAMPLE {int(n)} ROWS) i""", [prefix])
    files = {t: str(folder / f"{t}.csv") for t in DELTA_TABLES}
    con.execute(f"""COPY (
        SELECT new_id AS intervention_id, manufacturer_id, station_id, product_category, product_model,
               serial_number, purchase_date, coverage, repair_code,
               new_requested AS requested_on, new_requested + CAST(completed_on - requested_on AS INTEGER) AS completed_on,
               new_requested + CAST(submitted_on - requested_on AS INTEGER) AS submitted_on, visits, labor_minutes, travel_km,
               parts_cost, outcome, customer_rating
        FROM bench_delta) TO '{files['interventions']}' (HEADER)""")
    con.execute(f"""COPY (
        SELECT b.new_id AS intervention_id, d.doc_type,
               b.new_requested + CAST(d.received_on - b.requested_on AS INTEGER) AS received_on
        FROM bench_delta b JOIN documents d USING (intervention_id)) TO '{files['documents']}' (HEADER)""")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE bench_invoice AS
        SELECT ? || 'INV-' || station_id || '-' || manufacturer_id AS invoice_id, manufacturer_id, station_id,
               max(new_requested) + 30 AS issued_on
        FROM bench_delta GROUP BY ALL""", [prefix])
    con.execute(f"""COPY (
        SELECT v.invoice_id, v.manufacturer_id, v.station_id, v.issued_on,
               coalesce((SELECT min(currency) FROM invoices o WHERE o.station_id = v.station_id
                         AND o.manufacturer_id = v.manufacturer_id), 'EUR') AS currency,
               NULL AS paid_on, NULL AS paid_amount
        FROM bench_invoice v) TO '{files['invoices']}' (HEADER)""")
    con.execute(f"""COPY (
        SELECT v.invoice_id, row_number() OVER (PARTITION BY v.invoice_id ORDER BY b.new_id) AS line_no,
               b.new_id AS intervention_id, 'labor' AS kind,
               round(b.labor_minutes * 0.8, 2) AS amount,
               coalesce((SELECT min(vat_rate) FROM invoice_lines l JOIN invoices o USING (invoice_id)
                         WHERE o.station_id = v.station_id AND o.manufacturer_id = v.manufacturer_id), 0.2) AS vat_rate
        FROM bench_delta b JOIN bench_invoice v USING (manufacturer_id, station_id)) TO '{files['invoice_lines']}' (HEADER)""")
    con.execute(f"""COPY (
        SELECT 'D' || b.new_id AS dispute_id, v.invoice_id, b.new_id AS intervention_id, v.issued_on + 5 AS opened_on,
               'manufacturer' AS opened_by, 'AMOUNT_MISMATCH' AS reason, 10.00 AS disputed_amount,
               NULL AS resolved_on, NULL AS outcome, NULL AS settled_amount
        FROM bench_delta b JOIN bench_invoice v USING (manufacturer_id, station_id)
        WHERE hash(b.new_id) % 50 = 0) TO '{files['disputes']}' (HEADER)""")
    counts = {t: con.execute(f"SELECT count(*) FROM read_csv('{files[t]}')").fetchall()[0][0] for t in DELTA_TABLES}
    con.execute("DROP TABLE bench_delta; DROP TABLE bench_invoice")
    return counts


def bare_append(con: duckdb.DuckDBPyConnection, folder: Path, *, commit: bool = False) -> None:
    """The floor: append the delta files to the store's tables as they are, then roll back (or
    commit and CHECKPOINT)."""
    con.execute("BEGIN TRANSACTION")
    for t in DELTA_TABLES:
        con.execute(f"INSERT INTO {t} BY NAME SELECT * FROM read_csv('{folder / f'{t}.csv'}', header = true)")
    con.execute("COMMIT" if commit else "ROLLBACK")
    if commit:
        con.execute("CHECKPOINT")


def cpu_seconds() -> float:
    """CPU time this process has used so far, user + system, every thread."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bytes_written() -> int:
    """Bytes this process has handed to ``write`` calls so far (Linux ``/proc/self/io`` ``wchar``): the
    store file and its WAL. (``write_bytes``, what reached the disk, is attributed late or not at all
    to the process on this machine's file system, so it is not used here.)"""
    with open("/proc/self/io") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("wchar"))


def add_entry(con: duckdb.DuckDBPyConnection) -> str:
    """Waive one blocking finding, as the journal fold inserts and records an entry."""
    iid, code, doc_type = con.execute(
        "SELECT intervention_id, code, coalesce(doc_type, '') FROM findings WHERE severity = 'blocked' "
        "ORDER BY intervention_id LIMIT 1").fetchall()[0]
    entry_id = int(con.execute("SELECT coalesce(max(entry_id), 0) + 1 FROM finding_entries").fetchall()[0][0])
    sql.execute(con, "conversation/insert_entry", dict(
        entry_id=entry_id, intervention_id=iid, code=code, doc_type=doc_type, kind="waive", author="bench",
        author_role="manufacturer", written_at=dt.datetime(2026, 1, 1), body="benchmark",
        sent_doc_type=None, sent_doc_received_on=None))
    changes.record(con, "entry", [iid])
    return iid


class PhaseClock:
    """An importer progress callback that times each phase (from one message to the next)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.phases: list[tuple[str, float]] = []

    def __call__(self, done: int, total: int, message: str) -> None:
        now = time.perf_counter()
        self.phases.append((message, now - self.last))
        self.last = now

    def line(self) -> str:
        """The phases that took 50 ms or more, in order, each named by the message that ended it."""
        return ", ".join(f"{message} {seconds:.2f} s" for message, seconds in self.phases if seconds >= 0.05)


def steps_line(done: models.Refreshed) -> str:
    """The refresh's steps, slowest first, as ``model 1.23 s`` (those over 10 ms)."""
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in sorted(done.seconds, key=lambda x: -x[1])
                     if seconds >= 0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="the store to copy (never written)")
    parser.add_argument("--delta", type=int, default=1000, help="new interventions in the delta")
    parser.add_argument("--keep", action="store_true", help="keep the working copy")
    parser.add_argument("--no-full", action="store_true",
                        help="skip both full refreshes (the store was refreshed by this engine: only the delta and the entry)")
    args = parser.parse_args()
    WORK_DIR.mkdir(exist_ok=True)
    work = WORK_DIR / f"refresh-{args.store.stem}.duckdb"
    work.with_name(work.name + ".wal").unlink(missing_ok=True)  # left by an interrupted run
    copy_store(args.store, work)
    con = duckdb.connect(str(work))
    store.migrate(con)  # as a writer does (the history tables)
    n = con.execute("SELECT count(*) FROM interventions").fetchall()[0][0]
    b = Bench(f"Engine refresh at {n:,} interventions (delta {args.delta:,})")

    def log(message: str) -> None:
        s = b.steps[-1]
        print(f"  {s.name}: {s.seconds:.3f} s  {message}", flush=True)

    if args.no_full and not models.is_current(con):
        parser.error("--no-full needs a store refreshed by this engine (python -m analytics refresh --full)")
    if not args.no_full:
        with b.step("full refresh (every model, every key) + CHECKPOINT", rows=n):
            models.refresh(con)
            con.execute("CHECKPOINT")
        log("")
    folder = WORK_DIR / f"refresh-delta-{args.delta}"
    counts = write_delta(con, folder, args.delta)
    print("delta rows:", counts, flush=True)
    rows = sum(counts.values())
    # The baselines run on a copy of the same store: a rolled-back append left in the measured store
    # makes its later refresh markedly slower (docs/PERFORMANCE.md), which would flatter nothing.
    con.execute("CHECKPOINT")
    bare = work.with_name("refresh-bare.duckdb")
    copy_store(work, bare)
    bare_con = duckdb.connect(str(bare))
    with b.step("bare DuckDB append of the delta files (baseline)", rows=rows):
        bare_append(bare_con, folder)
    log("")
    before = bytes_written()
    with b.step("bare append committed + CHECKPOINT (bytes baseline)", rows=rows):
        bare_append(bare_con, folder, commit=True)
    bare_bytes = bytes_written() - before
    bare_con.close()
    bare.unlink()
    log(f"{bare_bytes / 1e6:.2f} MB written")
    before = bytes_written()
    with b.step("import of the delta: checks + load + changes recorded", rows=rows,
                baseline="bare DuckDB append of the delta files (baseline)"):
        changes.start(con)
        phases = PhaseClock()
        result = import_into(con, [folder], progress=phases)
        assert result.ok, result.problems[:5]
    log("")
    print("    where the import's time went:", phases.line(), flush=True)
    with b.step("incremental refresh after the delta", rows=args.delta,
                baseline="bare DuckDB append of the delta files (baseline)") as s:
        cpu = cpu_seconds()
        done = models.refresh_pending(con)
        s.extra.update(vars(done), cpu_seconds=cpu_seconds() - cpu)
    log(f"{done}, {s.extra['cpu_seconds']:.2f} s of CPU (every thread: steadier than the wall time on a shared machine)")
    print("    where the refresh's time went:", steps_line(done), flush=True)
    with b.step("CHECKPOINT after the delta"):
        con.execute("CHECKPOINT")
    delta_bytes = bytes_written() - before
    log(f"import + refresh + CHECKPOINT wrote {delta_bytes / 1e6:.2f} MB = {delta_bytes / bare_bytes:.2f}x "
        f"the bare append + CHECKPOINT ({bare_bytes / 1e6:.2f} MB)")
    b.steps[-1].extra.update(delta_bytes=delta_bytes, bare_bytes=bare_bytes)
    with b.step("one finding entry: insert + incremental refresh", rows=1,
                baseline="bare DuckDB append of the delta files (baseline)") as s:
        add_entry(con)
        done = models.refresh_pending(con)
        s.extra.update(vars(done))
    log(str(done))
    if not args.no_full:
        with b.step("full refresh again (same data, for comparison)", rows=n):
            models.refresh(con)
        log("")
    b.report()
    con.close()
    if not args.keep:
        work.unlink()


if __name__ == "__main__":
    main()
