"""Import benchmark: Clairvoie's import against a bare DuckDB ``read_csv`` of the same files.

    python -m benchmarks.bench_import [--interventions 1000000] [--keep]

Generates (vectorised, in DuckDB) a contract folder under ``benchmarks/.work/import-<N>/``:
manufacturers, stations, N interventions, ~2 documents each, one invoice per station and
month, ~1.5 invoice lines per intervention, some disputes, fx rates, and one policy file per
manufacturer. Then, in the same run:

1. bare: ``CREATE TABLE <t> AS SELECT * FROM read_csv('<t>.csv')`` for every file, into
   an empty DuckDB file (type detection, no checks);
   bare keyed: ``INSERT INTO <t> SELECT * FROM read_csv(...)`` into the store's own tables
   (migration 001: primary keys and checks), to show what the keys alone cost;
2. clairvoie import: ``import_paths`` into an empty store, engine refresh skipped
   (discover, read, stage, validate, load, publish);
3. clairvoie import + engine: the same with the engine's refresh, as ``python -m analytics
   import`` does it.

Prints rows/s and the ratio to the bare read (aim: the import at least 1/3 of bare speed).
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb

from analytics.core import store
from analytics.engine import models
from analytics.contract.importer import import_paths
from benchmarks.harness import WORK_DIR, Bench

TABLES = ("manufacturers", "stations", "interventions", "documents", "invoices", "invoice_lines",
          "disputes", "fx_rates")

#: The policy of the importer's test fixture (base in EUR, a PLN override for Poland), one copy
#: per manufacturer.
POLICY = (Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import" / "good" / "policies"
          / "M01.toml").read_text(encoding="utf-8")


def generate(folder: Path, n: int, manufacturers: int = 20, stations: int = 2000) -> dict[str, int]:
    """Write the contract files for ``n`` interventions; returns rows per table."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "policies").mkdir(parents=True)
    con = duckdb.connect()
    f = {t: str(folder / f"{t}.csv") for t in TABLES}
    con.execute(f"COPY (SELECT 'M' || lpad(CAST(i AS VARCHAR), 2, '0') AS manufacturer_id, 'Brand ' || i AS name "
                f"FROM range({manufacturers}) t(i)) TO '{f['manufacturers']}' (HEADER)")
    con.execute(f"""COPY (SELECT 'S' || lpad(CAST(i AS VARCHAR), 5, '0') AS station_id, 'Station ' || i AS name,
                                 ['FR', 'DE', 'PL', 'IT'][1 + i % 4] AS country,
                                 ['FR', 'DE', 'PL', 'IT'][1 + i % 4] || (10 + i % 5) AS region, 'City ' || (i % 97) AS city
                          FROM range({stations}) t(i)) TO '{f['stations']}' (HEADER)""")
    # Intervention i: manufacturer i % M, station (i * 7) % S, completed on a day of 2024-2025.
    con.execute(f"""CREATE TABLE itv AS
        SELECT i, 'I' || lpad(CAST(i AS VARCHAR), 8, '0') AS intervention_id,
               'M' || lpad(CAST(i % {manufacturers} AS VARCHAR), 2, '0') AS manufacturer_id,
               (i * 7) % {stations} AS s,
               DATE '2024-01-01' + CAST(i % 700 AS INTEGER) AS completed_on
        FROM range({n}) t(i)""")
    con.execute(f"""COPY (SELECT intervention_id, manufacturer_id, 'S' || lpad(CAST(s AS VARCHAR), 5, '0') AS station_id,
                                 ['washing_machine', 'refrigerator', 'tv'][1 + i % 3] AS product_category,
                                 'MODEL-' || (i % 50) AS product_model, 'SN' || (i % ({n} // 2 + 1)) AS serial_number,
                                 strftime(completed_on - 200, '%Y-%m-%d') AS purchase_date,
                                 ['warranty', 'extended', 'goodwill'][1 + i % 3] AS coverage, 'RC-' || (i % 4) AS repair_code,
                                 strftime(completed_on - 3, '%Y-%m-%d') AS requested_on,
                                 strftime(completed_on, '%Y-%m-%d') AS completed_on,
                                 strftime(completed_on + 2, '%Y-%m-%d') AS submitted_on,
                                 1 + i % 2 AS visits, 30 + i % 90 AS labor_minutes,
                                 CASE WHEN i % 3 = 0 THEN '' ELSE CAST(i % 60 AS VARCHAR) || '.5' END AS travel_km,
                                 CAST(i % 200 AS VARCHAR) || '.25' AS parts_cost,
                                 ['repaired', 'replaced', 'no_fault_found', 'not_repairable'][1 + i % 4] AS outcome,
                                 CASE WHEN i % 5 = 0 THEN '' ELSE CAST(1 + i % 5 AS VARCHAR) END AS customer_rating
                          FROM itv ORDER BY i) TO '{f['interventions']}' (HEADER)""")
    con.execute(f"""COPY (SELECT intervention_id, doc_type, strftime(completed_on + 1, '%Y-%m-%d') AS received_on
                          FROM itv, (VALUES ('technician_report'), ('proof_of_purchase')) d(doc_type)
                          WHERE doc_type = 'technician_report' OR i % 5 <> 0
                          ORDER BY i, doc_type) TO '{f['documents']}' (HEADER)""")
    # One invoice per manufacturer, station and month; currency PLN for Polish stations.
    con.execute(f"""CREATE TABLE inv AS
        SELECT row_number() OVER (ORDER BY manufacturer_id, s, month) AS k, manufacturer_id, s, month
        FROM (SELECT DISTINCT manufacturer_id, s, date_trunc('month', completed_on) AS month FROM itv)""")
    con.execute(f"""COPY (SELECT 'F' || lpad(CAST(k AS VARCHAR), 8, '0') AS invoice_id, manufacturer_id,
                                 'S' || lpad(CAST(s AS VARCHAR), 5, '0') AS station_id,
                                 strftime(month + INTERVAL 40 DAY, '%Y-%m-%d') AS issued_on,
                                 CASE WHEN s % 4 = 2 THEN 'PLN' ELSE 'EUR' END AS currency,
                                 CASE WHEN k % 2 = 0 THEN strftime(month + INTERVAL 70 DAY, '%Y-%m-%d') ELSE '' END AS paid_on,
                                 CASE WHEN k % 2 = 0 THEN '100.00' ELSE '' END AS paid_amount
                          FROM inv ORDER BY k) TO '{f['invoices']}' (HEADER)""")
    con.execute(f"""CREATE TABLE lines AS
        SELECT 'F' || lpad(CAST(v.k AS VARCHAR), 8, '0') AS invoice_id, x.intervention_id, x.i, kinds.kind,
               row_number() OVER (PARTITION BY v.k ORDER BY x.i, kinds.kind) AS line_no
        FROM itv x JOIN inv v ON v.manufacturer_id = x.manufacturer_id AND v.s = x.s
                              AND v.month = date_trunc('month', x.completed_on)
        JOIN (VALUES ('labor'), ('parts')) kinds(kind) ON kinds.kind = 'labor' OR x.i % 2 = 0""")
    con.execute(f"""COPY (SELECT invoice_id, line_no, intervention_id, kind,
                                 CAST((i % 300) AS VARCHAR) || '.50' AS amount, '0.2' AS vat_rate
                          FROM lines ORDER BY invoice_id, line_no) TO '{f['invoice_lines']}' (HEADER)""")
    con.execute(f"""COPY (SELECT 'D' || lpad(CAST(i AS VARCHAR), 8, '0') AS dispute_id, invoice_id, intervention_id,
                                 '2026-01-01' AS opened_on, 'manufacturer' AS opened_by, 'LABOR_OVER_STANDARD' AS reason,
                                 '10.00' AS disputed_amount, '' AS resolved_on, '' AS outcome, '' AS settled_amount
                          FROM lines WHERE kind = 'labor' AND i % 50 = 0 ORDER BY i) TO '{f['disputes']}' (HEADER)""")
    con.execute(f"""COPY (SELECT 'PLN' AS currency, strftime(DATE '2024-01-01' + INTERVAL (m) MONTH, '%Y-%m') AS month,
                                 '0.23' AS eur_per_unit FROM range(24) t(m)) TO '{f['fx_rates']}' (HEADER)""")
    counts = {t: con.execute(f"SELECT count(*) FROM read_csv('{f[t]}')").fetchall()[0][0] for t in TABLES}
    con.close()
    for m in range(manufacturers):
        mid = f"M{m:02d}"
        (folder / "policies" / f"{mid}.toml").write_text(POLICY.replace('"M01"', f'"{mid}"'), encoding="utf-8")
    return counts


def bare_read(folder: Path, target: Path) -> None:
    if target.exists():
        target.unlink()
    con = duckdb.connect(str(target))
    for t in TABLES:
        con.execute(f"CREATE TABLE {t} AS SELECT * FROM read_csv('{folder / (t + '.csv')}')")
    con.execute("CHECKPOINT")
    con.close()


def bare_keyed(folder: Path, target: Path) -> None:
    """read_csv straight into the store's schema (keys and checks of migration 001), no validation."""
    fresh(target)
    con = duckdb.connect(str(target))
    store.migrate(con)
    con.execute("BEGIN TRANSACTION")
    for t in TABLES:
        con.execute(f"INSERT INTO {t} SELECT * FROM read_csv('{folder / (t + '.csv')}')")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    con.close()


def fresh(path: Path) -> Path:
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--interventions", type=int, default=1_000_000)
    parser.add_argument("--no-engine", action="store_true", help="skip the import + engine refresh step")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder and stores")
    args = parser.parse_args(argv)

    work = WORK_DIR / f"import-{args.interventions}"
    WORK_DIR.mkdir(exist_ok=True)
    bench = Bench(f"import of {args.interventions:,} interventions")
    started = time.perf_counter()
    counts = generate(work, args.interventions)
    total = sum(counts.values())
    print(f"generated {total:,} rows in {time.perf_counter() - started:.1f}s: "
          + ", ".join(f"{t} {n:,}" for t, n in counts.items()))

    with bench.step("bare DuckDB read_csv into tables", rows=total):
        bare_read(work, WORK_DIR / "bare.duckdb")

    with bench.step("bare read_csv into the store's keyed tables", rows=total,
                    baseline="bare DuckDB read_csv into tables"):
        bare_keyed(work, WORK_DIR / "bare-keyed.duckdb")

    db = fresh(WORK_DIR / "import.duckdb")
    engine_refresh = models.refresh_before_publish
    models.refresh_before_publish = lambda con, path: None
    try:
        with bench.step("clairvoie import (no engine refresh)", rows=total, baseline="bare DuckDB read_csv into tables"):
            result = import_paths(db, [work])
    finally:
        models.refresh_before_publish = engine_refresh
    assert result.ok, result.problems[:5]

    if not args.no_engine:
        db = fresh(WORK_DIR / "import-engine.duckdb")
        with bench.step("clairvoie import + engine refresh", rows=total, baseline="bare DuckDB read_csv into tables"):
            result = import_paths(db, [work])
        assert result.ok, result.problems[:5]

    bench.report()
    bare = bench.get("bare DuckDB read_csv into tables")
    imp = bench.get("clairvoie import (no engine refresh)")
    keyed = bench.get("bare read_csv into the store's keyed tables")
    print(f"\nimport speed = {bare.seconds / imp.seconds:.2f} x bare read_csv speed (aim >= 0.33); "
          f"{keyed.seconds / imp.seconds:.2f} x the speed of a bare read_csv into the keyed tables")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        for p in WORK_DIR.glob("*.duckdb*"):
            p.unlink()


if __name__ == "__main__":
    main()
