"""Excel export of a large list: the verification queue's first 200,000 rows of a store, written
streamed by ``ui.xlsx.write_xlsx`` (XlsxWriter, constant memory), against two baselines measured
in the same run: pandas' CSV of the same frame (the floor) and the earlier openpyxl write-only
writer (one cell object per value, ~100 s at this size).

    python benchmarks/bench_export.py [--db /work/stores/1M.duckdb] [--rows 200000] [--skip-openpyxl]
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.access.scope import Scope  # noqa: E402
from analytics.core import store  # noqa: E402
from analytics.core.filters import Filters  # noqa: E402
from analytics.verification import queue  # noqa: E402
from benchmarks.harness import Bench  # noqa: E402
from ui.xlsx import write_xlsx  # noqa: E402


def openpyxl_write_only(frame) -> bytes:
    """The earlier export: openpyxl's write-only workbook, a WriteOnlyCell per text value."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet("data")
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        out = []
        for v in row:
            if isinstance(v, str):
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(None if v is None or v != v else (float(v) if hasattr(v, "as_tuple") else v))
        ws.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/work/stores/1M.duckdb")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--skip-openpyxl", action="store_true")
    args = parser.parse_args()
    frame = queue.worst_first(store.reader(args.db), Scope.manager(), Filters(), None, "", args.rows)
    n = len(frame)
    bench = Bench(f"export {n:,} rows x {len(frame.columns)} columns")
    with bench.step("pandas to_csv (floor)", rows=n):
        frame.to_csv(index=False).encode("utf-8")
    ticks = []
    with bench.step("xlsx streamed (ui.xlsx)", rows=n, baseline="pandas to_csv (floor)") as step:
        size = len(write_xlsx(frame, progress=lambda done, total: ticks.append(done)))
    step.extra.update(bytes=size, progress_calls=len(ticks))
    if not args.skip_openpyxl:
        with bench.step("xlsx openpyxl write-only (before)", rows=n, baseline="xlsx streamed (ui.xlsx)"):
            openpyxl_write_only(frame)
    bench.report()


if __name__ == "__main__":
    main()
