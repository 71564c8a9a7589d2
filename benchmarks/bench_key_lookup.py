"""What finding a change's rows costs at size: the floor under every incremental refresh statement.

    python -m benchmarks.bench_key_lookup --store PATH [--keys 1450] [--repeats 3]

An incremental refresh reads and deletes the rows of the interventions a change touches (its scope,
≈ 1,450 for a 1,000-intervention delta) with ``WHERE intervention_id IN (SELECT … FROM scope)``, in
about 40 statements. This measures one such lookup, on a private in-memory copy of
``intervention_facts`` (the widest derived table; the store is only read), against its alternatives:

* **baseline**: counting the scope's rows by the text key (a scan of the key column alone);
* the same count by a BIGINT key, and by a 64-bit hash of the text key;
* reading the rows whole (``SELECT *``), by the text key, then in two steps (their rowids by the key
  column, then ``rowid IN (…)``), and by a BIGINT key.

Median of ``--repeats`` runs per query, each printed with its ratio to the baseline of the same run.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from benchmarks.harness import Bench

QUERIES = {
    "count by the text key (baseline)":
        "SELECT count(*) FROM f WHERE intervention_id IN (SELECT intervention_id FROM k)",
    "count by a BIGINT key":
        "SELECT count(*) FROM f WHERE int_key IN (SELECT int_key FROM k)",
    "count by a hash of the text key":
        "SELECT count(*) FROM f WHERE hash_key IN (SELECT hash_key FROM k)",
    "rows whole, by the text key":
        "SELECT * FROM f WHERE intervention_id IN (SELECT intervention_id FROM k)",
    "rows whole, rowids by the text key then rowid IN":
        "SELECT * FROM f WHERE rowid IN (SELECT rowid FROM f WHERE intervention_id IN (SELECT intervention_id FROM k))",
    "rows whole, by a BIGINT key":
        "SELECT * FROM f WHERE int_key IN (SELECT int_key FROM k)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a store (opened read-only)")
    parser.add_argument("--keys", type=int, default=1450, help="interventions in the scope")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("ATTACH ? AS s (READ_ONLY)", [str(args.store)])
    # The table as stored (same order), plus two integer keys a future layout could carry.
    con.execute("""CREATE TABLE f AS
        SELECT *, row_number() OVER () AS int_key, hash(intervention_id) AS hash_key FROM s.intervention_facts""")
    con.execute("DETACH s")
    n = con.execute("SELECT count(*) FROM f").fetchall()[0][0]
    con.execute(f"CREATE TABLE k AS SELECT intervention_id, int_key, hash_key FROM f USING SAMPLE {int(args.keys)} ROWS")
    bench = Bench(f"Key lookups: {args.keys:,} interventions among {n:,} (intervention_facts)")
    baseline = next(iter(QUERIES))
    for label, query in QUERIES.items():
        bench.timed(label, lambda: con.execute(query).fetchall(), repeat=args.repeats, rows=n,
                    baseline=None if label == baseline else baseline)
        print(f"  {label}: {bench.get(label).seconds * 1000:.0f} ms (median of {args.repeats})", flush=True)
    bench.report()


if __name__ == "__main__":
    main()
