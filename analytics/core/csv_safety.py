"""CSV files made for people: no cell a spreadsheet would run as a formula.

A spreadsheet opening a CSV file runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK("http://evil", "Berlin")``), and some also after a leading tab or carriage
return. Following OWASP ("CSV Injection"), such a text cell is written with a single quote in
front (``'=HYPERLINK(...)``): the spreadsheet shows the text, runs nothing, and a reader removing
that one quote gets the text back exactly (:func:`restore`; a text that already starts with quotes
before such a character gets one more, so the reading is never ambiguous).

Numbers stay numbers: only text is changed, and a text that is a plain number (``-12.5``, which
a spreadsheet reads as a number, never as a formula) is written as it is.

Every CSV a person downloads goes through here (the pages' downloads, the pre-invoice CSV).
``export`` does not: it writes the store verbatim for machines and round trips (README).
"""
from __future__ import annotations

import csv
import io
import re
from typing import Any, Iterable

#: The first characters that make a spreadsheet run a cell (OWASP: ``= + - @``, tab, carriage return).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: What is put in front of such a cell.
ESCAPE = "'"
#: Rows end with CR LF (RFC 4180): Python's csv module then quotes a cell holding a lone carriage
#: return too, which it leaves bare with a "\n" line end (the file would gain a row).
LINE_END = "\r\n"
#: A text a spreadsheet reads as a plain number (kept as it is: a negative number stays a number).
_PLAIN_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def needs_escape(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` (or, after quotes already in front, what follows them:
    ``'=x`` is escaped too, so that :func:`restore` is exact)."""
    rest = text.lstrip(ESCAPE)
    return bool(rest) and rest[0] in FORMULA_PREFIXES and not _PLAIN_NUMBER.fullmatch(rest)


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet must show it: prefixed with ``'`` when it would run as a formula."""
    return ESCAPE + text if needs_escape(text) else text


def restore(cell: str) -> str:
    """The text of a cell written by :func:`neutralise` (its one added quote taken away)."""
    return cell[1:] if cell.startswith(ESCAPE) and needs_escape(cell[1:]) else cell


def safe_cell(value: Any) -> Any:
    """A value ready for a person's CSV: text neutralised, anything else (numbers, dates) unchanged."""
    return neutralise(value) if isinstance(value, str) else value


def safe_rows(rows: Iterable[Iterable[Any]]) -> Iterable[list[Any]]:
    for row in rows:
        yield [safe_cell(v) for v in row]


#: The same two rules as :func:`needs_escape`, for Arrow's vectorised regular expressions (RE2).
_RISKY_RE2 = r"^'*[=+\-@\t\r]"
_NUMBER_RE2 = r"^'*-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$"


def _neutralise_column(column):
    """A text column neutralised: vectorised (Arrow) when every value is text, else cell by cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        values = pa.array(column, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed values (text and numbers): one by one
        return column.map(safe_cell, na_action="ignore")
    risky = pc.and_(pc.match_substring_regex(values, _RISKY_RE2),
                    pc.invert(pc.match_substring_regex(values, _NUMBER_RE2)))
    if not pc.any(risky).as_py():
        return column
    escaped = pc.if_else(risky, pc.binary_join_element_wise(ESCAPE, values, ""), values)
    return escaped.to_pandas().set_axis(column.index).astype(column.dtype)


def frame_to_csv(frame) -> bytes:
    """A DataFrame as UTF-8 CSV for a person: headers and text cells neutralised, numbers as numbers,
    missing values empty."""
    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for i in range(safe.shape[1]):
        column = safe.iloc[:, i]
        if column.dtype == object or str(column.dtype) in ("string", "str"):
            safe.isetitem(i, _neutralise_column(column))
    return safe.to_csv(index=False, lineterminator=LINE_END).encode("utf-8")


def rows_to_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows (lists of values) as UTF-8 CSV for a person, every text cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow([neutralise(str(h)) for h in header])
    writer.writerows(safe_rows(rows))
    return out.getvalue().encode("utf-8")


__all__ = ["ESCAPE", "FORMULA_PREFIXES", "frame_to_csv", "needs_escape", "neutralise", "restore",
           "rows_to_csv", "safe_cell", "safe_rows"]
