"""Prototype measure: the incremental refresh's heaviest statements with their scope found by the text
key ``intervention_id`` against the same statements with it found by a BIGINT surrogate ``iv_key``.

    python -m benchmarks.bench_iv_key --store COPY --queries OLD/queries [--scope 1450] [--repeat 2]

``COPY`` is written (tables of a schema ``k`` are added): pass a copy of a store refreshed by the
engine, never a demo store. Schema ``k`` holds the interventions and the derived tables the measured
statements read, each with an ``iv_key`` (the intervention's rowid order + 1) and in its stored row
order; the "new" statements run with ``search_path = k,main`` and their scope filters rewritten from
``intervention_id IN (SELECT intervention_id FROM eng_x)`` to ``iv_key IN (SELECT iv_key FROM eng_x)``.
The scope: ``--scope`` random interventions (both keys), every scope table the same. Old and new run
alternately, ``--repeat`` times each; the best of each is printed (a shared machine: compare the two
columns of one run only). Results must be equal (checked by count and a hash of the rows).
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import duckdb


KEYED = {  # table -> the column(s) holding the intervention's key, and the iv_key columns to add
    "interventions": [("intervention_id", "iv_key")],
    "intervention_policy": [("intervention_id", "iv_key")],
    "intervention_amounts": [("intervention_id", "iv_key")],
    "intervention_status": [("intervention_id", "iv_key")],
    "intervention_required_documents": [("intervention_id", "iv_key")],
    "intervention_facts": [("intervention_id", "iv_key")],
    "finding_rows": [("intervention_id", "iv_key")],
    "comebacks": [("first_intervention_id", "first_iv_key")],
}

_SCOPE_FILTER = re.compile(r"\b(\w+\.)?intervention_id IN \(SELECT intervention_id FROM (eng_\w+)\)")
_FIRST_FILTER = re.compile(r"\bfirst_intervention_id IN \(SELECT intervention_id FROM (eng_\w+)\)")


_CONTRACT = re.compile(r"\b(disputes|invoice_lines|finding_entries|documents)\b")


def to_key(text: str) -> str:
    """The scope filters on the keyed tables read by ``iv_key`` (contract tables keep the text key)."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if _CONTRACT.search("\n".join(lines[max(0, n - 2):n + 1])):
            continue
        line = _SCOPE_FILTER.sub(r"\1iv_key IN (SELECT iv_key FROM \2)", line)
        lines[n] = _FIRST_FILTER.sub(r"first_iv_key IN (SELECT iv_key FROM \1)", line)
    return "\n".join(lines)


def statements(queries: Path) -> dict[str, str]:
    """Name -> the SELECT part of the measured statements (as SELECTs: nothing is written), from the
    engine's SQL in ``queries`` as it was before the key (each scope filter by the text key)."""
    def load(name: str) -> str:
        return (queries / f"{name}.sql").read_text()
    facts = load("engine/facts_interventions")
    facts = facts[facts.index("CREATE OR REPLACE TABLE intervention_facts AS") + len("CREATE OR REPLACE TABLE intervention_facts AS"):]
    facts = facts[:facts.index("ORDER BY i.manufacturer_id")]
    findings = load("engine/findings")
    start = findings.index("SELECT i.intervention_id, i.manufacturer_id")
    vf_iv = findings[start:findings.index(";", start)]
    history = load("engine/history")
    start = history.index("SELECT intervention_id, code, doc_type")
    now = history[start:history.index(";", start)]
    return {
        "facts_interventions (INSERT's query)": facts,
        "vf_iv (findings' inputs)": vf_iv,
        "eng_finding_now (history)": now,
        "status rows of the scope (DELETE's filter)":
            "SELECT * FROM intervention_status WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)",
        "required documents of the scope (DELETE's filter)":
            "SELECT * FROM intervention_required_documents WHERE intervention_id IN (SELECT intervention_id FROM eng_iv)",
        "facts rows of the scope (eng_iv_facts_old)":
            "SELECT * FROM intervention_facts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)",
    }


def build_k(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS k")
    if con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'k'").fetchall()[0][0] == len(KEYED):
        return
    t = time.perf_counter()
    con.execute("CREATE OR REPLACE TABLE k.iv_keys AS SELECT intervention_id, CAST(rowid + 1 AS BIGINT) AS iv_key "
                "FROM main.interventions")
    for table, cols in KEYED.items():
        joins = " ".join(f"LEFT JOIN k.iv_keys k{n} ON k{n}.intervention_id = t.{c}" for n, (c, _) in enumerate(cols))
        keys = ", ".join(f"k{n}.iv_key AS {name}" for n, (_, name) in enumerate(cols))
        con.execute(f"CREATE OR REPLACE TABLE k.{table} AS SELECT t.*, {keys} FROM main.{table} t {joins} ORDER BY t.rowid")
        print(f"  k.{table} built ({time.perf_counter() - t:.0f} s)", flush=True)
    con.execute("DROP TABLE k.iv_keys")
    con.execute("CHECKPOINT")


def scope(con: duckdb.DuckDBPyConnection, n: int) -> None:
    con.execute("SELECT setseed(0.13)")
    con.execute(f"CREATE OR REPLACE TEMP TABLE eng_pick AS SELECT intervention_id, iv_key FROM k.interventions "
                f"USING SAMPLE {int(n)} ROWS")
    for name in ("eng_iv", "eng_iv_status", "eng_outlier_iv", "eng_iv_row"):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM eng_pick")


def run(con: duckdb.DuckDBPyConnection, query: str, search_path: str) -> tuple[float, tuple]:
    con.execute(f"SET search_path = '{search_path}'")
    started = time.perf_counter()
    con.execute(f"CREATE OR REPLACE TEMP TABLE bench_out AS {query}")
    seconds = time.perf_counter() - started
    con.execute("SET search_path = 'main'")
    cols = [r[0] for r in con.execute("DESCRIBE bench_out").fetchall() if r[0] not in ("iv_key", "first_iv_key")]
    check = con.execute(f"SELECT count(*), sum(hash({', '.join(cols)})) FROM bench_out").fetchall()[0]
    return seconds, check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a COPY of an engine-refreshed store (written)")
    parser.add_argument("--scope", type=int, default=1450)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--queries", type=Path, required=True,
                        help="the queries/ folder of a checkout before the key (git worktree or archive of main)")
    args = parser.parse_args()
    con = duckdb.connect(str(args.store))
    build_k(con)
    scope(con, args.scope)
    n = con.execute("SELECT count(*) FROM main.interventions").fetchall()[0][0]
    print(f"{n:,} interventions, scope {args.scope:,}: best of {args.repeat}, text key vs iv_key")
    total_old = total_new = 0.0
    for name, query in statements(args.queries).items():
        old, new = [], []
        for _ in range(args.repeat):
            s, c_old = run(con, query, "main")
            old.append(s)
            s, c_new = run(con, to_key(query), "k,main")
            new.append(s)
        assert c_old == c_new, (name, c_old, c_new)
        total_old += min(old)
        total_new += min(new)
        print(f"  {name:50s} {min(old) * 1000:7.0f} ms  {min(new) * 1000:7.0f} ms  "
              f"({min(old) / max(min(new), 1e-9):.1f}x)  rows {c_old[0]}", flush=True)
    print(f"  {'total':50s} {total_old * 1000:7.0f} ms  {total_new * 1000:7.0f} ms  ({total_old / total_new:.1f}x)")


if __name__ == "__main__":
    main()
