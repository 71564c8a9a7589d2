"""``python -m analytics import PATH [PATH ...] [--report FILE] [--no-wait]``.

Exit codes: 0 the import landed (rows per table and warnings printed), 1 it was
rejected (every problem printed: file, row, column, value, rule, message; the store is
unchanged) or refused because another import holds the store (``--no-wait``), 2 usage
error (a path that does not exist, an unsupported file type).
"""
from __future__ import annotations

import csv
import sys
import time

from analytics.contract.importer import ImportResult, UsageError, import_paths
from analytics.core.problems import REPORT_COLUMNS, Problem

NAME = "import"
HELP = "import data-contract files (folder, .zip, .csv, .parquet, .xlsx) and policy .toml files"


def configure(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a folder, .zip, .xlsx, <table>.csv, <table>.parquet or .toml")
    parser.add_argument("--report", metavar="FILE", help="also write the problems and warnings as CSV "
                                                         "(file, row, column, value, rule, message)")
    parser.add_argument("--no-wait", action="store_true",
                        help="refuse (exit 1) instead of waiting when another import is running")


class Progress:
    """A progress bar on stderr when it is a terminal; otherwise a few plain lines."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.last_plain = -1
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, message: str) -> None:
        share = done / total if total else 1.0
        if self.tty:
            width = 30
            filled = int(width * share)
            bar = "#" * filled + "-" * (width - filled)
            elapsed = time.monotonic() - self.started
            self.stream.write(f"\r[{bar}] {share:4.0%} {elapsed:5.1f}s {message[:50]:<50}")
            self.stream.flush()
        else:
            quarter = int(share * 4)
            if quarter != self.last_plain:
                self.last_plain = quarter
                self.stream.write(f"import: {share:.0%} {message}\n")
                self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def write_report(path, problems: list[Problem]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(REPORT_COLUMNS)
        for p in problems:
            out.writerow(["" if getattr(p, c) is None else getattr(p, c) for c in REPORT_COLUMNS])


def _show(p: Problem) -> str:
    row = "" if p.row is None else p.row
    return f"  {p.file} | row {row} | column {p.column or '-'} | value {p.value!r} | {p.rule} | {p.message}"


def print_result(result: ImportResult, out=None, err=None) -> None:
    out = out or sys.stdout
    err = err or sys.stderr
    if result.ok:
        print("import landed:", file=out)
        for table, n in result.rows_by_table.items():
            print(f"  {table}: {n} row{'s' if n != 1 else ''}" if table != "policies"
                  else f"  policies: {n} file{'s' if n != 1 else ''}", file=out)
    else:
        print(f"import rejected: {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''}; "
              "the store is unchanged", file=err)
        for p in result.problems:
            print(_show(p), file=err)
    if result.warnings:
        print(f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}:", file=err)
        for w in result.warnings:
            print(_show(w), file=err)


def run(args) -> int:
    progress = Progress()
    try:
        result = import_paths(
            args.db, args.paths, progress=progress, wait=not args.no_wait,
            on_wait=lambda message: print(message, file=sys.stderr, flush=True),
        )
    except UsageError as exc:
        progress.close()
        print(f"usage error: {exc}", file=sys.stderr)
        return 2
    progress.close()
    print_result(result)
    if args.report:
        write_report(args.report, result.problems + result.warnings)
    return 0 if result.ok else 1
