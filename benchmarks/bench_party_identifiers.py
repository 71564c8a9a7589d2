"""Party identifiers benchmark: importing ``station_legal`` with and without identifiers.

    python -m benchmarks.bench_party_identifiers [--rows 20000]

Writes N stations and their ``station_legal`` rows (valid VAT identifiers, IBANs and BICs of
the demo's countries, from analytics.demo.legal) under ``benchmarks/.work/parties-<N>/``,
imports the stations into a base store, then, in the same run, imports into copies of it:

1. baseline: ``station_legal`` with the identifier columns empty (the other column rules only);
2. identifiers: the same rows with ``vat_id``, ``iban``, ``bic`` filled, checked by the
   Python function ``contract_identifier_problem`` called from the column rules.

The engine's refresh is skipped (nothing to refresh: no interventions).
"""
from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

import numpy as np

from analytics.contract.importer import import_paths
from analytics.contract.tables import TABLES_BY_NAME
from analytics.demo.geography import COUNTRIES
from analytics.demo.legal import Draw, bank_account, vat_id
from analytics.engine import models
from benchmarks.harness import WORK_DIR, Bench


def _write(folder: Path, rows: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    draw = Draw(np.random.default_rng(1))
    codes = [c.code for c in COUNTRIES]
    legal_columns = TABLES_BY_NAME["station_legal"].column_names
    (folder / "full").mkdir(exist_ok=True)
    (folder / "blank").mkdir(exist_ok=True)
    with open(folder / "stations.csv", "w", newline="", encoding="utf-8") as st, \
            open(folder / "full" / "station_legal.csv", "w", newline="", encoding="utf-8") as full, \
            open(folder / "blank" / "station_legal.csv", "w", newline="", encoding="utf-8") as blank:
        stations, filled, empty = csv.writer(st), csv.writer(full), csv.writer(blank)
        stations.writerow(["station_id", "name", "country", "region", "city"])
        filled.writerow(legal_columns)
        empty.writerow(legal_columns)
        for i in range(rows):
            country = codes[i % len(codes)]
            iban, bic = bank_account(country, draw)
            row = [f"S{i:06d}", f"Station {i} Ltd", "1 Main Street", "City", "1000", country,
                   vat_id(country, draw), f"REG {i}", iban, bic]
            stations.writerow([row[0], f"Station {i}", country, "", "City"])
            filled.writerow(row)
            empty.writerow(row[:6] + ["", row[7], "", ""])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args(argv)
    folder = WORK_DIR / f"parties-{args.rows}"
    if folder.exists():
        shutil.rmtree(folder)
    _write(folder, args.rows)
    models.refresh_before_publish = lambda con, path: None
    base = folder / "base.duckdb"
    assert import_paths(base, [folder / "stations.csv"]).ok
    bench = Bench(f"station_legal import, {args.rows:,} rows")
    for name, files, baseline in (("identifiers empty", "blank", None),
                                  ("identifiers checked", "full", "identifiers empty")):
        db = folder / f"{files}.duckdb"
        shutil.copyfile(base, db)
        with bench.step(name, rows=args.rows, baseline=baseline):
            result = import_paths(db, [folder / files / "station_legal.csv"])
        assert result.ok, result.problems[:3]
    bench.report()


if __name__ == "__main__":
    main()
