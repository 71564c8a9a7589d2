"""The work queues' counters: the engine's ``finding_queue`` against joining the waiting findings at each view.

    python -m benchmarks.bench_queue_counts --store PATH [--repeats 3]

The store is only read. Baseline, in the same run: the counters as they were computed before the
engine kept ``finding_queue`` — every waiting finding of ``finding_decisions`` joined with its
intervention's facts at each view (:data:`JOINED`). Then the named query
``conversation/queue_counts`` (what the pages run). A store refreshed by an older engine has no
``finding_queue``: it is then built first from the engine's own model, in memory (timed apart).
Both must give the same counts (checked). Network manager's scope, no filter.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from analytics.access.scope import Scope
from analytics.core import sql
from analytics.core.filters import Filters
from benchmarks.harness import Bench

#: The waiting findings joined at each view: the counters' former source.
JOINED = """
SELECT *
FROM (
    SELECT d.intervention_id, d.code, d.doc_type, d.severity,
           CASE WHEN d.awaiting_answer THEN 'answer' ELSE 'decision' END AS turn,
           f.manufacturer_id, f.station_id, f.country, f.region, f.product_category, f.completed_on
    FROM finding_decisions d
    JOIN intervention_facts f USING (intervention_id)
    WHERE d.awaiting_answer OR d.awaiting_decision
) q
WHERE"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a store (opened read-only)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("ATTACH ? AS s (READ_ONLY)", [str(args.store)])
    con.execute("USE s")
    bench = Bench(f"Work queues' counters at {args.store.name}")
    if not con.execute("SELECT 1 FROM duckdb_tables() WHERE database_name = 's' AND table_name = 'finding_queue'").fetchall():
        con.execute("CREATE TEMP TABLE eng_iv_status AS SELECT intervention_id, iv_key FROM interventions")
        model = sql.load("engine/finding_queue").replace("CREATE OR REPLACE TABLE finding_queue AS",
                                                         "CREATE TEMP TABLE finding_queue AS")
        with bench.step("finding_queue built from the model (store of an older engine)"):
            con.execute(model)
    counts = sql.load("conversation/queue_counts")
    source = "SELECT *\nFROM finding_queue q\nWHERE"  # fragments/finding_queue, as included
    if counts.count(source) != 1:
        raise SystemExit("conversation/queue_counts no longer reads fragments/finding_queue as expected")
    joined = counts.replace(source, JOINED.strip())
    params = {**Scope.manager().params(), **Filters().params()}
    bound = {k: params[k] for k in sql.parameters("conversation/queue_counts")}
    results = {}
    baseline = "waiting findings joined with the facts (before)"
    for label, query in ((baseline, joined), ("conversation/queue_counts over finding_queue", counts)):
        results[label] = bench.timed(label, lambda: con.execute(query, bound).fetchall(), repeat=args.repeats,
                                     baseline=None if label == baseline else baseline)
    if len(set(map(repr, results.values()))) != 1:
        raise SystemExit(f"the counts differ: {results}")
    print("counts (awaiting answer, awaiting decision, open disputes):", next(iter(results.values())))
    bench.report()


if __name__ == "__main__":
    main()
