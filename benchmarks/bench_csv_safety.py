"""Person-facing CSV: the cost of neutralising formula cells (analytics.core.csv_safety).

    python -m benchmarks.bench_csv_safety [--rows 500000]

A queue-like table (an id, three text columns of which a third of the cells start with ``=`` or
``-``, a float and an integer column), written in the same run as pandas' plain ``to_csv``
(the baseline: what the download did before) and as :func:`frame_to_csv` (text columns checked
with Arrow's vectorised regular expressions, risky cells prefixed).
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from analytics.core.csv_safety import LINE_END, frame_to_csv
from benchmarks.harness import Bench


def table(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({
        "intervention_id": [f"I{i:08d}" for i in range(rows)],
        "station_id": rng.choice(["S0001", "S0002", "=HYPERLINK(\"x\")"], rows),
        "status": rng.choice(["ready", "review", "blocked"], rows),
        "reasons": rng.choice(["a; b", "-x", "c"], rows),
        "amount": rng.normal(size=rows),
        "count": rng.integers(-5, 5, rows),
    })


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    rows = parser.parse_args().rows
    frame = table(rows)
    bench = Bench(f"person-facing CSV, {rows:,} rows")
    bench.timed("pandas to_csv (verbatim)", lambda: frame.to_csv(index=False, lineterminator=LINE_END).encode(),
                repeat=3, rows=rows)
    bench.timed("frame_to_csv (neutralised)", lambda: frame_to_csv(frame), repeat=3, rows=rows,
                baseline="pandas to_csv (verbatim)")
    bench.report()


if __name__ == "__main__":
    main()
