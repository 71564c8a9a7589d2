"""Reading sources into staging, every value as text.

Each source read becomes one temp table ``raw_<k>`` holding, for the table's columns
found in its header, the trimmed text (empty -> NULL), in file order. Each table then
gets a view ``stg_<table>`` (``_file``, ``_row``, every column of the table as VARCHAR;
NULL for a column the file lacks) over its sources (:meth:`Staging.finish`), so the
file is materialised once. Header names are mapped to contract columns first (missing
column = error, unknown column = warning).

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

from analytics.core.problems import WARNING, Problem
from analytics.contract.importer.sources import Source
from analytics.contract.importer.tables import EMPTY_AS_BLANK, IMPORT_TABLES, VERBATIM_TEXT, ident

_CHUNK = 1 << 22
_CSV_LINE_RE = re.compile(r"CSV Error on Line: (\d+)")


def staging_name(table: str) -> str:
    """Identifier of a table's staging view (table names come from the whitelist)."""
    ident(table)
    return f"stg_{table}"


def _blank_expr(table_name: str, column: str, expr: str) -> str:
    verbatim = table_name in VERBATIM_TEXT and IMPORT_TABLES[table_name].column(column).type == "text"
    if (table_name, column) in EMPTY_AS_BLANK:
        return f"coalesce({expr}, '')" if verbatim else f"coalesce(nullif(trim({expr}), ''), '')"
    if verbatim:
        return f"nullif({expr}, '')"
    # trim() removes spaces (fast); see docs/DECISIONS.md "Importer" on other blanks.
    return f"nullif(trim({expr}), '')"


class Staging:
    """The raw tables of one import and the ``stg_<table>`` views over them."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.parts: dict[str, list[tuple[int, str, bool]]] = {name: [] for name in IMPORT_TABLES}
        self.count = 0
        con.execute("CREATE OR REPLACE TEMP TABLE import_sources (id INTEGER, name VARCHAR)")

    def new_raw(self, table_name: str, file_name: str, numbered: bool = False) -> str:
        """Register a source; returns the name of its raw table (``raw_<k>``, generated here)."""
        self.count += 1
        k = self.count
        self.con.execute("INSERT INTO import_sources VALUES ($id, $name)", {"id": k, "name": file_name})
        self.parts[table_name].append((k, f"raw_{k}", numbered))
        return f"raw_{k}"

    def finish(self) -> None:
        """Create the ``stg_<table>`` views (file names come from ``import_sources``, bound data)."""
        for name, table in IMPORT_TABLES.items():
            selects = []
            for k, raw, numbered in self.parts[name]:
                present = {r[0] for r in self.con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = $t", {"t": raw}).fetchall()}
                cols = []
                for column in table.column_names:
                    if column in present:
                        cols.append(ident(column))
                    elif (name, column) in EMPTY_AS_BLANK:
                        cols.append(f"'' AS {ident(column)}")
                    else:
                        cols.append(f"NULL::VARCHAR AS {ident(column)}")
                # The row number is raw's own _row (xlsx) or its position by rowid: raw was created
                # from one scan of the file and DuckDB keeps the insertion order of such a table.
                # Counted from raw's first rowid, since rows created inside a caller's transaction
                # (a replicated store's writer) get transaction-local rowids that do not start at 0.
                row = "_row" if numbered else f"rowid + 1 - (SELECT min(rowid) FROM {raw})"
                selects.append(f"SELECT (SELECT name FROM import_sources WHERE id = {k}) AS _file, "
                               f"{row} AS _row, {', '.join(cols)} FROM {raw}")
            if not selects:
                cols = ", ".join(f"NULL::VARCHAR AS {ident(c)}" for c in table.column_names)
                selects.append(f"SELECT NULL::VARCHAR AS _file, NULL::BIGINT AS _row, {cols} WHERE false")
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {staging_name(name)} AS " + " UNION ALL ".join(selects))

    def drop(self) -> None:
        for name in IMPORT_TABLES:
            self.con.execute(f"DROP VIEW IF EXISTS {staging_name(name)}")
        for k in range(1, self.count + 1):
            self.con.execute(f"DROP TABLE IF EXISTS temp.raw_{k}")
        self.con.execute("DROP TABLE IF EXISTS temp.xlsx_raw")
        self.con.execute("DROP TABLE IF EXISTS temp.import_sources")


def _scrub(message: str, source: Source) -> str:
    """A reader's error text naming the file as the import names it, never by its server path
    (an upload or a zip member lives in a temporary folder of the server)."""
    return (message.replace(str(source.path), source.name)
            .replace(str(source.path.parent) + "/", "").replace(str(source.path.parent), ""))


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


# ---------------------------------------------------------------- header -> columns

def map_header(table_name: str, file_name: str, header: list[str]) -> tuple[dict[str, int], list[Problem], list[Problem]]:
    """(contract column -> position in the file, errors, warnings) of a header."""
    table = IMPORT_TABLES[table_name]
    errors, warnings = [], []
    position: dict[str, int] = {}
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in seen:
            errors.append(Problem(file_name, None, name, name, "duplicate column",
                                  f"the column {name!r} appears twice in the header (columns {seen[name] + 1} and {i + 1})"))
            continue
        seen[name] = i
        if name in table.column_names:
            position[name] = i
        else:
            warnings.append(Problem(file_name, None, name, "", "unknown column",
                                    f"the column {name!r} is not part of table {table_name}; it was ignored", WARNING))
    for column in table.columns:
        if column.name not in position and column.required:
            errors.append(Problem(file_name, None, column.name, "", "missing column",
                                  f"the required column {column.name!r} is missing from the header"))
    return position, errors, warnings


def _select_list(table_name: str, position: dict[str, int], source_expr) -> str:
    """Trimmed contract columns of a raw scan; identifiers from the whitelist, positions generated."""
    return ", ".join(f"{_blank_expr(table_name, c, source_expr(i))} AS {ident(c)}" for c, i in position.items()) or "NULL AS _none"


# ---------------------------------------------------------------- readers

def _read_csv(con, staging: Staging, source: Source) -> tuple[int, list[Problem], list[Problem]]:
    if source.path.stat().st_size == 0:
        return 0, [Problem(source.name, None, "", "", "empty file",
                           "the file is empty (0 bytes); a table with no rows still needs its header line")], []
    bad = _utf8_problem(source)
    if bad is not None:
        return 0, [bad], []
    header = [h.strip() for h in _csv_header(source.path)]
    if not header or all(not h for h in header):
        return 0, [Problem(source.name, None, "", "", "header",
                           "the file has no header line naming its columns")], []
    position, errors, warnings = map_header(source.table, source.name, header)
    if errors:
        return 0, errors, warnings
    raw = staging.new_raw(source.table, source.name)
    # Positional names c0..cN are generated here, never taken from the file.
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {raw} AS SELECT {_select_list(source.table, position, lambda i: f'c{i}')} "
            "FROM read_csv($path, header = true, auto_detect = false, "
            f"columns = {{{columns}}}, delim = ',', quote = '\"', escape = '\"', strict_mode = true)",
            {"path": str(source.path)},
        )
    except duckdb.Error as exc:
        staging.parts[source.table].pop()
        message = str(exc)
        m = _CSV_LINE_RE.search(message)
        row = int(m.group(1)) - 1 if m else None
        first = message.split("\n")
        detail = _scrub(" ".join(line.strip() for line in first[:3] if line.strip()), source)
        return 0, [Problem(source.name, row, "", "", "CSV format",
                           f"the file is not a well-formed CSV file ({detail}); "
                           "every row must have as many fields as the header, separated by ','")], warnings
    return con.execute(f"SELECT count(*) FROM {raw}").fetchall()[0][0], [], warnings


def _read_parquet(con, staging: Staging, source: Source) -> tuple[int, list[Problem], list[Problem]]:
    if source.path.stat().st_size == 0:
        return 0, [Problem(source.name, None, "", "", "empty file", "the file is empty (0 bytes)")], []
    try:
        described = con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(source.path)}).fetchall()
    except duckdb.Error as exc:
        return 0, [_parquet_problem(source, exc)], []
    header = [row[0] for row in described]
    position, errors, warnings = map_header(source.table, source.name, header)
    if errors:
        return 0, errors, warnings
    raw = staging.new_raw(source.table, source.name)
    # Only contract column names (a whitelist) reach the SQL text.
    select = _select_list(source.table, position, lambda i: f"CAST({ident(header[i])} AS VARCHAR)")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {raw} AS SELECT {select} FROM read_parquet($path)",
                    {"path": str(source.path)})
    except duckdb.Error as exc:  # a damaged page or column chunk, found while reading the rows
        staging.parts[source.table].pop()
        return 0, [_parquet_problem(source, exc)], warnings
    return con.execute(f"SELECT count(*) FROM {raw}").fetchall()[0][0], [], warnings


def _parquet_problem(source: Source, exc: Exception) -> Problem:
    detail = _scrub(str(exc).split("\n")[0], source)
    return Problem(source.name, None, "", "", "parquet", f"the file is not a readable Parquet file ({detail})")


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


def _read_sheet(con, staging: Staging, sheet, table_name: str, name: str) -> tuple[int, list[Problem], list[Problem]]:
    rows = sheet.iter_rows(values_only=True)
    header_cells = next(rows, None)
    if header_cells is None:
        return 0, [Problem(name, None, "", "", "header", "the sheet is empty: it needs a header row")], []
    header = [(cell_text(c) or "").strip() for c in header_cells]
    while header and not header[-1]:
        header.pop()
    if not header:
        return 0, [Problem(name, None, "", "", "header", "the sheet has no header row naming its columns")], []
    position, errors, warnings = map_header(table_name, name, header)
    if errors:
        return 0, errors, warnings
    width = len(header)
    names = ["_row"] + [f"c{i}" for i in range(width)]
    con.execute("CREATE OR REPLACE TEMP TABLE xlsx_raw (" + ", ".join(
        ["_row BIGINT"] + [f"c{i} VARCHAR" for i in range(width)]) + ")")
    batch: list[list] = []

    def flush():
        if not batch:
            return
        columns = list(zip(*batch))
        arrow = pa.table({n: pa.array(col, type=pa.int64() if n == "_row" else pa.string())
                          for n, col in zip(names, columns)})
        con.register("xlsx_chunk", arrow)
        con.execute("INSERT INTO xlsx_raw SELECT * FROM xlsx_chunk")
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
    raw = staging.new_raw(table_name, name, numbered=True)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {raw} AS SELECT _row, "
                f"{_select_list(table_name, position, lambda i: f'c{i}')} FROM xlsx_raw ORDER BY _row")
    return con.execute(f"SELECT count(*) FROM {raw}").fetchall()[0][0], [], warnings


def read_source(con, staging: Staging, source: Source) -> tuple[dict[str, int], list[Problem], list[Problem]]:
    """Read one source into raw tables; returns (rows by table, errors, warnings)."""
    if source.kind in ("csv", "parquet"):
        reader = _read_csv if source.kind == "csv" else _read_parquet
        n, errors, warnings = reader(con, staging, source)
        return ({source.table: n} if not errors else {}), errors, warnings
    if source.kind == "xlsx":
        counts: dict[str, int] = {}
        errors: list[Problem] = []
        warnings: list[Problem] = []
        if source.path.stat().st_size == 0:
            return counts, [Problem(source.name, None, "", "", "empty file", "the file is empty (0 bytes)")], []
        try:
            book = xlsx_sheets(source.path)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            return counts, [Problem(source.name, None, "", "", "xlsx",
                                    f"the workbook cannot be read ({_scrub(str(exc), source)})")], []
        try:
            for sheet_name in book.sheetnames:
                name = f"{source.name}:{sheet_name}"
                if sheet_name not in IMPORT_TABLES:
                    warnings.append(Problem(name, None, "", "", "unknown sheet",
                                            f"the sheet {sheet_name!r} is not a table of the data contract; it was ignored",
                                            WARNING))
                    continue
                try:
                    n, e, w = _read_sheet(con, staging, book[sheet_name], sheet_name, name)
                except duckdb.Error:
                    raise
                except Exception as exc:  # noqa: BLE001 - a damaged sheet found while streaming it
                    n, e, w = 0, [Problem(name, None, "", "", "xlsx",
                                          f"the sheet cannot be read ({_scrub(str(exc), source)})")], []
                errors += e
                warnings += w
                if not e:
                    counts[sheet_name] = counts.get(sheet_name, 0) + n
        finally:
            book.close()
        return counts, errors, warnings
    raise ValueError(source.kind)
