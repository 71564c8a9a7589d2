"""Excel export of a large list: the verification queue's first 200,000 rows of a store, read as the
page's export reads them (``queue.worst_first``) and written by ``ui.xlsx.write_xlsx`` (each distinct
value of a column written once, rows joined in one pass), against baselines measured in the same
run: pandas' CSV of the same frame (the floor), the previous ``ui.xlsx`` row building (a string
concatenation per column over every row) and optionally the first openpyxl write-only writer (one
cell object per value).

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
from ui import xlsx  # noqa: E402
from ui.xlsx import write_xlsx  # noqa: E402


def previous_rows_xml(frame) -> int:
    """The sheet rows as the previous ``ui.xlsx`` built them (every cell of a column written, the row
    strings grown by one concatenation per column); returns the characters made."""
    import pandas as pd

    size = 0
    for start in range(0, len(frame), xlsx.CHUNK_ROWS):
        chunk = frame.iloc[start:start + xlsx.CHUNK_ROWS].reset_index(drop=True)
        rows = pd.Series("", index=chunk.index, dtype=object)
        for column in chunk.columns:
            rows = rows + xlsx._column_cells(chunk[column], column)
        numbers = pd.Series(range(start + 2, start + 2 + len(chunk)), index=chunk.index).astype(str)
        size += len("".join('<row r="' + numbers + '">' + rows + "</row>"))
    return size


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
    con = store.reader(args.db)
    bench = Bench(f"export of the verification queue's first {args.rows:,} rows")
    with bench.step("read the rows (queue.worst_first)", rows=args.rows):
        frame = queue.worst_first(con, Scope.manager(), Filters(), None, "", args.rows)
    n = len(frame)
    with bench.step("pandas to_csv (floor)", rows=n):
        frame.to_csv(index=False).encode("utf-8")
    with bench.step("sheet rows as before (a concatenation per column)", rows=n,
                    baseline="pandas to_csv (floor)"):
        previous_rows_xml(frame)
    ticks = []
    with bench.step("xlsx (ui.xlsx, distinct values once)", rows=n, baseline="pandas to_csv (floor)") as step:
        size = len(write_xlsx(frame, progress=lambda done, total: ticks.append(done)))
    step.extra.update(bytes=size, progress_calls=len(ticks))
    read, written = bench.get("read the rows (queue.worst_first)"), bench.get("xlsx (ui.xlsx, distinct values once)")
    bench.record("the page's export: read + xlsx", read.seconds + written.seconds, rows=n)
    if not args.skip_openpyxl:
        with bench.step("xlsx openpyxl write-only (first writer)", rows=n,
                        baseline="xlsx (ui.xlsx, distinct values once)"):
            openpyxl_write_only(frame)
    bench.report()


if __name__ == "__main__":
    main()
