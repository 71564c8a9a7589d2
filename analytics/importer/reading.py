"""Reading sources into staging tables, every value as text.

Each table gets one staging table ``stg_<table>`` (``_file``, ``_row``, then every
column of the table as VARCHAR, trimmed, empty -> NULL). Readers first load a file
into ``raw`` (``_row`` + positional columns ``c0..cN``) and report its header; the
common :func:`stage` step maps header names to contract columns (missing column =
error, unknown column = warning) and appends to the staging table.

* CSV: our own UTF-8 check (first bad byte reported with its row), header read with
  the :mod:`csv` module, data read by DuckDB ``read_csv`` with all columns VARCHAR;
  the row number is the position in the file (``rowid`` of a table created from the
  scan, which keeps insertion order).
* Parquet: DuckDB ``read_parquet``, every contract column cast to VARCHAR.
* xlsx: openpyxl in read-only mode, streamed into ``raw`` by chunks; the row number is
  the sheet row minus the header row (fully empty rows are skipped).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from .. import sql
from ..problems import ERROR, WARNING, Problem
from .sources import Source
from .tables import EMPTY_AS_BLANK, IMPORT_TABLES, ident

_CHUNK = 1 << 22
_CSV_LINE_RE = re.compile(r"CSV Error on Line: (\d+)")


def staging_name(table: str) -> str:
    """Identifier of a table's staging table (table names come from the whitelist)."""
    ident(table)
    return f"stg_{table}"


def create_staging(con: duckdb.DuckDBPyConnection) -> None:
    for name, table in IMPORT_TABLES.items():
        cols = ", ".join(f"{ident(c)} VARCHAR" for c in table.column_names)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {staging_name(name)} (_file VARCHAR, _row BIGINT, {cols})")


def drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    for name in IMPORT_TABLES:
        con.execute(f"DROP TABLE IF EXISTS temp.{staging_name(name)}")
    con.execute("DROP TABLE IF EXISTS temp.raw")


# ---------------------------------------------------------------- UTF-8 and header

def _utf8_problem(source: Source) -> Problem | None:
    """The first invalid UTF-8 byte of a file, with its row, or None when the file is valid."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(source.path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            final = not chunk
            # The decoder may hold back an incomplete sequence from the previous chunk:
            # the decoded input then starts len(held) bytes before this chunk.
            held = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                return _encoding_problem(source, offset - len(held) + exc.start)
            offset += len(chunk)
            if final:
                return None


def _encoding_problem(source: Source, bad_offset: int) -> Problem:
    with open(source.path, "rb") as fh:
        prefix = fh.read(bad_offset + 1)
    bad_byte = prefix[bad_offset:bad_offset + 1]
    good = prefix[:bad_offset]
    # Rows (CSV records, quoted line breaks included) that start before the bad byte.
    text = good.decode("utf-8", "replace")
    records = sum(1 for _ in csv.reader(io.StringIO(text + "x")))
    row = max(records - 1, 0)  # header excluded
    return Problem(
        source.name, row if row >= 1 else None, "", f"0x{bad_byte.hex().upper()}", "UTF-8",
        f"the file is not valid UTF-8: byte 0x{bad_byte.hex().upper()} at byte offset {bad_offset}"
        + (f" (in data row {row})" if row >= 1 else " (in the header)")
        + "; save the file as UTF-8 and import it again",
    )


def _csv_header(path: Path) -> list[str]:
    with open(path, "r", encoding="utf-8-sig", newline="") as fh:
        for record in csv.reader(fh):
            return record
    return []


# ---------------------------------------------------------------- readers into `raw`

def _read_csv(con, source: Source) -> tuple[list[str] | None, list[Problem]]:
    if source.path.stat().st_size == 0:
        return None, [Problem(source.name, None, "", "", "empty file",
                              "the file is empty (0 bytes); a table with no rows still needs its header line")]
    bad = _utf8_problem(source)
    if bad is not None:
        return None, [bad]
    header = _csv_header(source.path)
    if not header or all(not h.strip() for h in header):
        return None, [Problem(source.name, None, "", "", "header",
                              "the file has no header line naming its columns")]
    # Positional names c0..cN are generated here, never taken from the file.
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv($path, header = true, auto_detect = false, "
            f"columns = {{{columns}}}, delim = ',', quote = '\"', escape = '\"', strict_mode = true)",
            {"path": str(source.path)},
        )
    except duckdb.Error as exc:
        message = str(exc)
        m = _CSV_LINE_RE.search(message)
        row = int(m.group(1)) - 1 if m else None
        first = message.split("\n")
        detail = " ".join(line.strip() for line in first[:3] if line.strip())
        return None, [Problem(source.name, row, "", "", "CSV format",
                              f"the file is not a well-formed CSV file ({detail}); "
                              "every row must have as many fields as the header, separated by ','")]
    return [h.strip() for h in header], []


def _read_parquet(con, source: Source) -> tuple[list[str] | None, list[Problem]]:
    if source.path.stat().st_size == 0:
        return None, [Problem(source.name, None, "", "", "empty file", "the file is empty (0 bytes)")]
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(source.path)}).fetchall()
    except duckdb.Error as exc:
        return None, [Problem(source.name, None, "", "", "parquet", f"the file is not a readable Parquet file ({exc})")]
    header = [row[0] for row in described]
    known = set(IMPORT_TABLES[source.table].column_names)
    # Only contract column names (a whitelist) reach the SQL text; other columns are
    # left out (and reported as unknown by stage()).
    select = ", ".join(
        f"CAST({ident(name)} AS VARCHAR) AS c{i}" if name in known else f"NULL::VARCHAR AS c{i}"
        for i, name in enumerate(header)
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE raw AS SELECT {select} FROM read_parquet($path)",
        {"path": str(source.path)},
    )
    return header, []


def cell_text(value) -> str | None:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value)


def xlsx_sheets(path: Path):
    import openpyxl  # local import: only xlsx imports need it

    return openpyxl.load_workbook(path, read_only=True, data_only=True)


def _read_sheet(con, sheet, name: str) -> tuple[list[str] | None, list[Problem]]:
    rows = sheet.iter_rows(values_only=True)
    header_cells = next(rows, None)
    if header_cells is None:
        return None, [Problem(name, None, "", "", "header", "the sheet is empty: it needs a header row")]
    header = [cell_text(c) or "" for c in header_cells]
    while header and not header[-1].strip():
        header.pop()
    if not header:
        return None, [Problem(name, None, "", "", "header", "the sheet has no header row naming its columns")]
    width = len(header)
    names = ["_row"] + [f"c{i}" for i in range(width)]
    con.execute("CREATE OR REPLACE TEMP TABLE raw (" + ", ".join(
        ["_row BIGINT"] + [f"c{i} VARCHAR" for i in range(width)]) + ")")
    batch: list[list] = []

    def flush():
        if not batch:
            return
        columns = list(zip(*batch))
        arrow = pa.table({n: pa.array(col, type=pa.int64() if n == "_row" else pa.string())
                          for n, col in zip(names, columns)})
        con.register("xlsx_chunk", arrow)
        con.execute("INSERT INTO raw SELECT * FROM xlsx_chunk")
        con.unregister("xlsx_chunk")
        batch.clear()

    for number, cells in enumerate(rows, start=1):
        values = [cell_text(c) for c in cells[:width]]
        if all(v is None or v == "" for v in values):
            continue  # a blank row: spreadsheets often end with some
        values += [None] * (width - len(values))
        batch.append([number] + values)
        if len(batch) >= 50_000:
            flush()
    flush()
    return [h.strip() for h in header], []


# ---------------------------------------------------------------- staging

def stage(con, table_name: str, file_name: str, header: list[str], numbered: bool = False) -> tuple[list[Problem], list[Problem]]:
    """Append ``raw`` to the staging table of ``table_name``; (errors, warnings) about its columns.

    ``raw`` holds its own ``_row`` when ``numbered``; otherwise the row number is its
    ``rowid`` + 1: ``raw`` was created from one scan of the file, and DuckDB keeps the
    insertion order of such a table (``preserve_insertion_order``, on by default).
    """
    table = IMPORT_TABLES[table_name]
    errors, warnings = [], []
    position: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in position:
            errors.append(Problem(file_name, None, name, name, "duplicate column",
                                  f"the column {name!r} appears twice in the header (columns {position[name] + 1} and {i + 1})"))
        elif name in table.column_names:
            position[name] = i
        else:
            warnings.append(Problem(file_name, None, name, "", "unknown column",
                                    f"the column {name!r} is not part of table {table_name}; it was ignored", WARNING))
    for column in table.columns:
        if column.name not in position and column.required:
            errors.append(Problem(file_name, None, column.name, "", "missing column",
                                  f"the required column {column.name!r} is missing from the header"))
    select = []
    for column in table.columns:
        if column.name in position:
            # trim() removes spaces (fast); see docs/DECISIONS.md "Importer" on other blanks.
            expr = f"nullif(trim(c{position[column.name]}), '')"
            if (table_name, column.name) in EMPTY_AS_BLANK:
                expr = f"coalesce({expr}, '')"
        else:
            expr = "''" if (table_name, column.name) in EMPTY_AS_BLANK else "NULL"
        select.append(expr)
    con.execute(
        f"INSERT INTO {staging_name(table_name)} SELECT $file, {'_row' if numbered else 'rowid + 1'}, "
        f"{', '.join(select)} FROM raw",
        {"file": file_name},
    )
    return errors, warnings


def read_source(con, source: Source, progress=None) -> tuple[dict[str, int], list[Problem], list[Problem]]:
    """Stage one source; returns (rows staged by table, errors, warnings)."""
    counts: dict[str, int] = {}
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if source.kind in ("csv", "parquet"):
        reader = _read_csv if source.kind == "csv" else _read_parquet
        header, problems = reader(con, source)
        errors += problems
        if header is not None:
            e, w = stage(con, source.table, source.name, header)
            errors += e
            warnings += w
            counts[source.table] = con.execute("SELECT count(*) FROM raw").fetchall()[0][0]
        return counts, errors, warnings
    if source.kind == "xlsx":
        if source.path.stat().st_size == 0:
            return counts, [Problem(source.name, None, "", "", "empty file", "the file is empty (0 bytes)")], []
        try:
            book = xlsx_sheets(source.path)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            return counts, [Problem(source.name, None, "", "", "xlsx", f"the workbook cannot be read ({exc})")], []
        try:
            for sheet_name in book.sheetnames:
                name = f"{source.name}:{sheet_name}"
                if sheet_name not in IMPORT_TABLES:
                    warnings.append(Problem(name, None, "", "", "unknown sheet",
                                            f"the sheet {sheet_name!r} is not a table of the data contract; it was ignored",
                                            WARNING))
                    continue
                header, problems = _read_sheet(con, book[sheet_name], name)
                errors += problems
                if header is not None:
                    e, w = stage(con, sheet_name, name, header, numbered=True)
                    errors += e
                    warnings += w
                    counts[sheet_name] = counts.get(sheet_name, 0) + con.execute("SELECT count(*) FROM raw").fetchall()[0][0]
        finally:
            book.close()
        return counts, errors, warnings
    raise ValueError(source.kind)
