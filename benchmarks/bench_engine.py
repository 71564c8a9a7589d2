"""Engine benchmark: refresh time after an import, and a typical metrics query.

    python -m benchmarks.bench_engine --n 1000000 [--n 10000000] [--keep DIR [--reuse]]

For each N it generates a store directly in SQL (10 manufacturers with a policy each, one
station per 1,000 interventions up to 5,000, each serving 3 manufacturers; 3 years of
interventions, ~80 % invoiced, documents, ~3 % disputed, PLN rates with one month missing),
then measures:

* ``engine.refresh`` (every model: verification, then metric facts and rollups, in one
  transaction as the writer runs it), next to a straightforward pandas computation of the same
  figures for every (manufacturer, station, month), reading the raw and verification rows of one
  manufacturer at a time (memory stays bounded at 10M);
* the typical page query, ``metric_table`` for one manufacturer, one year, by station, on a
  read-only reader (median of 5), next to the same figures computed by pandas from the raw
  frames already in memory.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analytics.metrics import score
from analytics.engine import models
from analytics.metrics import table as metrics
from analytics.contract import policy_format
from analytics.core import sql, store
from analytics.core.filters import Filters
from analytics.access.scope import Scope
from benchmarks.harness import Bench
from tests.engine_fixture import M01_BASE_SCALARS

# The policy of policy-format.md's example (the engine tests' base values), for every brand.
POLICY = """\
manufacturer_id = "{m}"

[[version]]
valid_from = 2022-01-01

[version.base]
""" + M01_BASE_SCALARS.replace("{", "{{").replace("}", "}}") + """\
required_documents = ["technician_report"]

[version.base.standard_minutes]
"RC-1" = 60
"RC-2" = 90

[[version.base.bonus_tiers]]
min_score = 80
labor_adjustment = 0.03

[version.territory.PL]
currency = "PLN"
vat_rate = 0.23
labor_rate_per_hour = 190.00
travel_flat_fee = 70.00
"""

GENERATE = """
CREATE TEMP MACRO h(a, b) AS CAST(hash(a, b) % 2147483647 AS BIGINT);
INSERT INTO manufacturers SELECT 'M' || lpad(i::VARCHAR, 2, '0'), 'Maker ' || i FROM range(1, 11) t(i);
INSERT INTO stations
SELECT 'S' || lpad(i::VARCHAR, 5, '0'), 'Station ' || i,
       CASE i % 10 WHEN 0 THEN 'PL' WHEN 1 THEN 'DE' WHEN 2 THEN 'DE' ELSE 'FR' END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'R' || (i % 7) END, NULL
FROM range(1, $stations + 1) t(i);
CREATE TEMP TABLE gen AS
SELECT i,
       1 + h(i, 2) % $stations AS st,
       DATE '2023-01-01' + CAST(h(i, 4) % 1095 AS INTEGER) AS req,
       CAST(h(i, 5) % 12 AS INTEGER) AS tat,
       CAST(h(i, 6) % 40 AS INTEGER) AS subdelay
FROM range($n) t(i);
INSERT INTO interventions
SELECT 'I' || lpad(i::VARCHAR, 9, '0'),
       'M' || lpad((1 + (st * 7 + h(i, 1) % 3) % 10)::VARCHAR, 2, '0'),
       'S' || lpad(st::VARCHAR, 5, '0'),
       ['washing_machine', 'refrigerator', 'tv', 'oven'][1 + h(i, 3) % 4],
       NULL,
       'SN' || (h(i, 7) % CAST($n * 0.8 AS BIGINT)),
       req - CAST(h(i, 8) % 700 AS INTEGER),
       ['warranty', 'warranty', 'extended', 'goodwill'][1 + h(i, 9) % 4],
       ['RC-1', 'RC-2', 'RC-3'][1 + h(i, 10) % 3],
       req, req + tat, req + tat + subdelay,
       CASE WHEN h(i, 11) % 10 = 0 THEN 2 ELSE 1 END,
       30 + h(i, 12) % 120,
       CAST(h(i, 13) % 80 AS DECIMAL(18, 6)),
       CAST(h(i, 14) % 20000 AS DECIMAL(18, 2)) / 100,
       ['repaired', 'repaired', 'replaced', 'no_fault_found'][1 + h(i, 15) % 4],
       CASE WHEN h(i, 16) % 3 = 0 THEN NULL ELSE 1 + h(i, 17) % 5 END
FROM gen;
INSERT INTO documents
SELECT intervention_id, 'technician_report', submitted_on - CAST(h(intervention_id, 18) % 3 AS INTEGER)
FROM interventions WHERE h(intervention_id, 19) % 20 <> 0;
INSERT INTO documents
SELECT intervention_id, 'proof_of_purchase', submitted_on
FROM interventions WHERE coverage <> 'goodwill' AND h(intervention_id, 20) % 10 <> 0;
CREATE TEMP TABLE billed AS
SELECT i.*, 'V' || station_id || manufacturer_id || strftime(completed_on, '%Y%m') AS invoice_id
FROM interventions i WHERE h(intervention_id, 21) % 5 <> 0;
INSERT INTO invoices
SELECT invoice_id, any_value(manufacturer_id), any_value(station_id),
       last_day(max(completed_on)) + 3,
       CASE WHEN any_value(s.country) = 'PL' THEN 'PLN' ELSE 'EUR' END,
       CASE WHEN h(invoice_id, 1) % 10 = 0 THEN NULL ELSE last_day(max(completed_on)) + 3 + CAST(h(invoice_id, 2) % 60 AS INTEGER) END,
       NULL
FROM billed b JOIN stations s USING (station_id) GROUP BY invoice_id;
INSERT INTO invoice_lines
SELECT invoice_id, row_number() OVER (PARTITION BY invoice_id ORDER BY intervention_id), intervention_id, 'labor',
       CAST(labor_minutes * 0.80 AS DECIMAL(18, 2)), 0.20
FROM billed;
INSERT INTO disputes
SELECT 'D' || intervention_id, invoice_id, intervention_id, completed_on + 40, 'manufacturer',
       ['AMOUNT_MISMATCH', 'LABOR_OVER_STANDARD', 'LATE_SUBMISSION', 'OTHER'][1 + h(intervention_id, 22) % 4],
       CAST(h(intervention_id, 23) % 5000 AS DECIMAL(18, 2)) / 100,
       CASE WHEN h(intervention_id, 24) % 3 = 0 THEN NULL ELSE completed_on + 40 + CAST(h(intervention_id, 25) % 50 AS INTEGER) END,
       CASE WHEN h(intervention_id, 24) % 3 = 0 THEN NULL ELSE ['station', 'manufacturer', 'split', 'withdrawn'][1 + h(intervention_id, 26) % 4] END,
       NULL
FROM billed WHERE h(intervention_id, 27) % 33 = 0;
INSERT INTO fx_rates
SELECT 'PLN', strftime(DATE '2023-01-01' + INTERVAL (m) MONTH, '%Y-%m'), 0.23 + m / 1000
FROM range(0, 36) t(m) WHERE m <> 20;
"""


def generate(path: Path, n: int) -> None:
    con = duckdb.connect(str(path))
    store.migrate(con)
    params = {"n": n, "stations": max(50, min(5000, n // 1000))}
    for statement in filter(str.strip, GENERATE.split(";\n")):
        used = {k: v for k, v in params.items() if f"${k}" in statement}
        con.execute(statement, used) if used else con.execute(statement)
    for k in range(1, 11):
        m = f"M{k:02d}"
        parsed = policy_format.parse(f"{m}.toml", POLICY.format(m=m))
        assert not parsed.problems, parsed.problems
        policy_format.store_policy(con, parsed)
    con.execute("CHECKPOINT")
    con.close()


# ---------------------------------------------------------------- the pandas baseline

_OF_M = "intervention_id IN (SELECT intervention_id FROM interventions WHERE manufacturer_id = $m)"
FRAMES = {
    "i": "SELECT i.intervention_id, i.manufacturer_id, i.station_id, s.country, coalesce(s.region, '') AS region, "
         "i.product_category, i.requested_on, i.completed_on, i.submitted_on, i.visits, i.customer_rating "
         "FROM interventions i JOIN stations s USING (station_id) WHERE i.manufacturer_id = $m",
    "p": f"SELECT intervention_id, has_policy, submission_deadline_days FROM intervention_policy WHERE {_OF_M}",
    "a": f"SELECT intervention_id, currency, calculated_amount FROM intervention_amounts WHERE {_OF_M}",
    "st": f"SELECT intervention_id, status FROM intervention_status WHERE {_OF_M}",
    "rd": f"SELECT intervention_id, doc_type, received_on FROM intervention_required_documents WHERE {_OF_M}",
    "cb": "SELECT first_intervention_id, gap_days FROM comebacks WHERE first_intervention_id IN "
          "(SELECT intervention_id FROM interventions WHERE manufacturer_id = $m)",
    "l": f"SELECT intervention_id, amount FROM invoice_lines WHERE {_OF_M}",
    "d": f"SELECT intervention_id, disputed_amount, opened_on, resolved_on, outcome FROM disputes WHERE {_OF_M}",
    "v": "SELECT invoice_id, manufacturer_id, station_id, issued_on, paid_on FROM invoices WHERE manufacturer_id = $m",
    "fx": "SELECT currency, month, eur_per_unit FROM fx_rates",
}


def load_frames(con, manufacturer_id: str) -> dict[str, pd.DataFrame]:
    """The raw and verification rows of one manufacturer, as pandas frames."""
    out = {}
    for k, q in FRAMES.items():
        out[k] = (con.execute(q, {"m": manufacturer_id}) if "$m" in q else con.execute(q)).df()
    return out


def pandas_metrics(f: dict[str, pd.DataFrame], keys: list[str], manufacturer=None, date_from=None,
                   date_to=None) -> pd.DataFrame:
    """The intervention and invoice metrics of metrics.md, straight from the raw frames with pandas
    (floats, no exactness care: a baseline for speed)."""
    i = f["i"]
    sel = pd.Series(True, index=i.index)
    if manufacturer:
        sel &= i["manufacturer_id"] == manufacturer
    if date_from is not None:
        sel &= i["completed_on"] >= pd.Timestamp(date_from)
    if date_to is not None:
        sel &= i["completed_on"] <= pd.Timestamp(date_to)
    x = i[sel].copy()
    x["month"] = x["completed_on"].dt.strftime("%Y-%m")
    x = x.merge(f["p"], on="intervention_id", how="left").merge(f["a"], on="intervention_id", how="left")
    x = x.merge(f["st"], on="intervention_id", how="left")
    x["tat"] = (x["completed_on"] - x["requested_on"]).dt.days
    x["ftf"] = x["visits"] == 1
    x["repeat"] = x["intervention_id"].isin(f["cb"].loc[f["cb"]["gap_days"] <= 90, "first_intervention_id"])
    rd = f["rd"].merge(x[["intervention_id", "submitted_on"]], on="intervention_id")
    late_doc = rd.loc[rd["received_on"].isna() | (rd["received_on"] > rd["submitted_on"]), "intervention_id"]
    x["doc_ok"] = np.where(x["has_policy"], ~x["intervention_id"].isin(late_doc), np.nan)
    x["on_time"] = np.where(x["has_policy"], (x["submitted_on"] - x["completed_on"]).dt.days
                            <= x["submission_deadline_days"].astype(float), np.nan)
    x["ready"] = x["status"] == "ready"
    req = f["l"].groupby("intervention_id")["amount"].sum().astype(float).rename("requested")
    x = x.merge(req, on="intervention_id", how="left")
    x["invoiced"] = x["requested"].notna()
    rate = f["fx"].assign(eur_per_unit=f["fx"]["eur_per_unit"].astype(float))
    x = x.merge(rate, on=["currency", "month"], how="left")
    x.loc[x["currency"] == "EUR", "eur_per_unit"] = 1.0
    x["requested_eur"] = x["requested"] * x["eur_per_unit"]
    x["calculated_eur"] = np.where(x["invoiced"], x["calculated_amount"].astype(float) * x["eur_per_unit"], np.nan)
    d = f["d"].merge(x[["intervention_id", "eur_per_unit"] + keys], on="intervention_id")
    x["disputed"] = x["intervention_id"].isin(d["intervention_id"])
    g = x.groupby(keys)
    out = pd.DataFrame({
        "interventions": g.size(), "tat_days_median": g["tat"].median(), "first_time_fix_rate": g["ftf"].mean(),
        "repeat_rate": g["repeat"].mean(), "doc_complete_rate": g["doc_ok"].mean(),
        "on_time_submission_rate": g["on_time"].mean(), "ready_rate": g["ready"].mean(),
        "requested_amount_eur": g["requested_eur"].sum(), "calculated_amount_eur": g["calculated_eur"].sum(),
        "cost_per_intervention_eur": g["requested_eur"].sum() / g["invoiced"].sum(),
        "dispute_rate": x[x["invoiced"]].groupby(keys)["disputed"].mean(),
        "customer_rating_avg": g["customer_rating"].mean(),
    })
    d["eur"] = d["disputed_amount"].astype(float) * d["eur_per_unit"]
    d["days"] = (d["resolved_on"] - d["opened_on"]).dt.days
    gd = d.groupby(keys)
    out["disputed_amount_eur"] = gd["eur"].sum()
    out["dispute_resolution_days_median"] = gd["days"].median()
    decided = d[d["resolved_on"].notna() & (d["outcome"] != "withdrawn")]
    out["station_upheld_rate"] = (decided["outcome"] == "station").groupby([decided[k] for k in keys]).mean()
    v = f["v"]
    vs = pd.Series(True, index=v.index)
    if manufacturer:
        vs &= v["manufacturer_id"] == manufacturer
    if date_from is not None:
        vs &= v["issued_on"] >= pd.Timestamp(date_from)
    if date_to is not None:
        vs &= v["issued_on"] <= pd.Timestamp(date_to)
    v = v[vs].copy()
    v["month"] = v["issued_on"].dt.strftime("%Y-%m")
    v["days"] = (v["paid_on"] - v["issued_on"]).dt.days
    gv = v.groupby(keys)
    out["days_to_pay_median"] = gv["days"].median()
    out["unpaid_share"] = gv["paid_on"].apply(lambda s: s.isna().mean())
    return out.reset_index()


# ---------------------------------------------------------------- run

def progress(b: Bench) -> None:
    s = b.steps[-1]
    print(f"  [{b.title}] {s.name}: {s.seconds:.3f} s", flush=True)


def bench(n: int, work: Path, reuse: bool = False, pandas_manufacturers: int = 0,
          memory_limit: str | None = None) -> Bench:
    b = Bench(f"Engine at {n:,} interventions")
    path = work / f"engine_{n}.duckdb"
    if path.exists() and not reuse:
        path.unlink()
    if not path.exists():
        with b.step("generate store in SQL (not timed against anything)", rows=n):
            generate(path, n)
        progress(b)
    con = duckdb.connect(str(path), config={"memory_limit": memory_limit} if memory_limit else {})
    timings = {}
    run_script = sql.run_script

    def timed_script(c, name):
        t0 = time.perf_counter()
        run_script(c, name)
        timings[name.split("/")[-1]] = time.perf_counter() - t0

    sql.run_script = timed_script
    try:
        with b.step("engine.refresh (all models, one transaction)", rows=n) as s:
            models.refresh(con)
            con.execute("CHECKPOINT")
            s.extra["per_model_s"] = dict(timings)
    finally:
        sql.run_script = run_script
    progress(b)
    mine = sum(timings[m] for m in metrics.MODELS)
    print("per model (s):", ", ".join(f"{m} {t:.2f}" for m, t in timings.items()))
    print(f"metric models (facts + rollups): {mine:.2f} s of the refresh")
    manufacturers = [r[0] for r in con.execute("SELECT manufacturer_id FROM manufacturers ORDER BY 1").fetchall()]

    def pandas_all():
        # one manufacturer at a time keeps memory bounded (10M rows would not fit as frames at once)
        return [pandas_metrics(load_frames(con, m), ["manufacturer_id", "station_id", "month"])
                for m in manufacturers]

    if pandas_manufacturers and pandas_manufacturers < len(manufacturers):
        manufacturers = manufacturers[:pandas_manufacturers]
        label = f"pandas: read + same figures, {len(manufacturers)} of 10 manufacturers only"
    else:
        label = "pandas: read + same figures by (manufacturer, station, month)"
    b.timed(label, pandas_all, repeat=1, rows=n, baseline="engine.refresh (all models, one transaction)")
    progress(b)
    frames = load_frames(con, "M03")
    rows = con.execute("SELECT (SELECT count(*) FROM rollup_intervention_cells), (SELECT count(*) FROM rollup_day_hist)"
                       ).fetchall()[0]
    print(f"rollup_intervention_cells rows: {rows[0]:,}; rollup_day_hist rows: {rows[1]:,} (month grain)")
    con.close()

    reader = store.reader(path)
    period = Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31))
    scope = Scope.manufacturer("M03")
    b.timed("pandas: one manufacturer, one year, by station (frames in memory)",
            lambda: pandas_metrics(frames, ["station_id"], "M03", period.date_from, period.date_to), repeat=5)
    progress(b)
    result = b.timed("metric_table: one manufacturer, one year, by station",
                     lambda: metrics.metric_table(reader, scope, period, ["station"]), repeat=5,
                     baseline="pandas: one manufacturer, one year, by station (frames in memory)")
    progress(b)
    print(f"typical query: {len(result)} stations")
    partial = Filters(date_from=dt.date(2024, 1, 15), date_to=dt.date(2024, 12, 20))
    b.timed("metric_table: same, period not on month bounds",
            lambda: metrics.metric_table(reader, scope, partial, ["station"]), repeat=5,
            baseline="pandas: one manufacturer, one year, by station (frames in memory)")
    b.timed("scores: one manufacturer, one year",
            lambda: score.scores(reader, scope, period, "M03"), repeat=3,
            baseline="pandas: one manufacturer, one year, by station (frames in memory)")
    check = pandas_metrics(frames, ["station_id"], "M03", period.date_from, period.date_to)
    merged = result.merge(check, on="station_id", suffixes=("", "_pd"))
    for col in ("interventions", "tat_days_median", "first_time_fix_rate", "repeat_rate", "unpaid_share"):
        assert np.allclose(merged[col].astype(float), merged[f"{col}_pd"].astype(float), equal_nan=True), col
    print("pandas and metric_table agree on interventions, medians and rates")
    return b


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, action="append", help="interventions (repeatable); default 1,000,000")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one, removed)")
    ap.add_argument("--reuse", action="store_true", help="with --keep: reuse a store generated before")
    ap.add_argument("--memory-limit", help="DuckDB memory_limit for the refresh (e.g. 6GB) on a shared machine")
    ap.add_argument("--pandas-manufacturers", type=int, default=0,
                    help="run the pandas refresh baseline on the first K manufacturers only (0: all)")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_engine_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.n or [1_000_000]:
            bench(n, work, args.reuse, args.pandas_manufacturers, args.memory_limit).report()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
