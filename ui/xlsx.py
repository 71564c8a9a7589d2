"""Excel exports written fast: the sheet's XML is built a column at a time — each distinct value of a
column written once (most columns of a list repeat a few codes, days and amounts), the rows then
joined in one pass — and zipped with the few fixed parts an .xlsx needs. A 200,000-row export takes
seconds (benchmarks/bench_export.py), where a cell-by-cell writer took minutes. Text is always written as text (an inline string: ``=HYPERLINK(...)`` never becomes a
formula); numbers as numbers, with a display format by the column's kind (rates as percentages,
amounts to the cent — the values stay exact); dates and times as Excel dates; no value as an empty
cell. Characters XML cannot hold (control characters) are dropped from text."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import Callable

import numpy as np
import pandas as pd

#: ``progress(done, total)`` is told after every this many rows.
CHUNK_ROWS = 20_000
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: A cell with no value: kept as an element, so the cells after it stay in their columns (cells
#: carry no reference, their place is their order).
EMPTY = "<c/>"
#: Cell styles (indexes into styles.xml's cellXfs).
PLAIN, PERCENT, AMOUNT, DAY, STAMP, HEADER = range(6)

_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>
<numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_BOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""


_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: pd.Series) -> pd.Series:
    special = text.str.contains(_NEEDS_ESCAPE, regex=True)
    if not special.any():  # ids, codes, most prose: one pass instead of four
        return text
    fixed = (text[special].str.replace(_BAD_XML, "", regex=True).str.replace("&", "&amp;", regex=False)
             .str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False))
    return text.where(~special, fixed)


def _inline(text: pd.Series) -> pd.Series:
    return '<c t="inlineStr"><is><t xml:space="preserve">' + _escape(text) + "</t></is></c>"


def _style_of(column: str) -> int:
    name = str(column)
    if name.endswith(("_rate", "_share")) or name == "growth":
        return PERCENT
    if name.endswith(("_amount", "_eur", "_sum")) or name == "amount":
        return AMOUNT
    return PLAIN


def _number_cells(values: pd.Series, style: int) -> pd.Series:
    # Nullable columns (Int64, Float64: a league table's rank with no score) hold pd.NA: read them
    # as floats with NaN, which the mask below writes as an empty cell.
    numbers = pd.Series(pd.to_numeric(values, errors="coerce").astype("Float64").to_numpy(
        dtype="float64", na_value=np.nan), index=values.index)
    attr = f' s="{style}"' if style else ""
    if pd.api.types.is_integer_dtype(values):
        text = values.astype("Int64").astype(str)
    else:
        text = numbers.map(repr)  # the shortest text that reads back as the same float
    return ("<c" + attr + "><v>" + text + "</v></c>").where(np.isfinite(numbers), EMPTY)


def _column_cells(values: pd.Series, column: str) -> pd.Series:
    """The XML of one column's cells (:data:`EMPTY` for no value)."""
    if pd.api.types.is_bool_dtype(values):
        return _inline(values.map({True: "TRUE", False: "FALSE"}).fillna("")).where(values.notna(), EMPTY)
    if pd.api.types.is_numeric_dtype(values):
        return _number_cells(values, _style_of(column))
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) is not None else values
        serial = (stamps - _EXCEL_EPOCH) / pd.Timedelta(days=1)
        whole = bool(((stamps.dt.normalize() == stamps) | stamps.isna()).all())
        return _number_cells(serial, DAY if whole else STAMP)
    # object columns: all text (the common case) in one vectorised step, else each value by its type
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in ("string", "empty"):
        return _inline(values.fillna("").astype(str)).where(values.notna(), EMPTY)
    if inferred in ("decimal", "floating", "integer", "mixed-integer-float"):
        return _number_cells(values.map(lambda v: None if v is None else float(v)), _style_of(column))
    if inferred == "date":
        return _column_cells(pd.to_datetime(values), column)
    present = values.notna() & values.map(lambda v: v is not pd.NaT)
    out = pd.Series(EMPTY, index=values.index, dtype=object)
    kinds = values.map(lambda v: "date" if isinstance(v, (dt.date, pd.Timestamp)) else
                       "number" if isinstance(v, (int, float, Decimal, np.number)) and not isinstance(v, bool)
                       else "text")
    dates = present & (kinds == "date")
    if dates.any():
        out[dates] = _column_cells(pd.to_datetime(values[dates].map(pd.Timestamp)), column)
    numbers = present & (kinds == "number")
    if numbers.any():
        out[numbers] = _number_cells(values[numbers].map(float), _style_of(column))
    texts = present & (kinds == "text")
    if texts.any():
        shown = values[texts].map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else
                                  ("TRUE" if v else "FALSE") if isinstance(v, bool) else str(v))
        out[texts] = _inline(shown.astype(str))
    return out


#: Object columns whose values are all of one kind: their distinct values can be written once
#: (values that compare equal across kinds, True and 1, would share a cell otherwise).
_ONE_KIND = frozenset({"string", "empty", "decimal", "floating", "integer", "mixed-integer-float", "date",
                       "datetime", "datetime64"})


def _cells(values: pd.Series, column: str) -> np.ndarray:
    """The XML of one column's cells (:data:`EMPTY` for no value), each distinct value written once."""
    if values.dtype == object:
        kind = pd.api.types.infer_dtype(values, skipna=True)
        if kind not in _ONE_KIND:
            return _column_cells(values, column).to_numpy(dtype=object)
        if kind == "decimal":  # exact amounts: as floats in C (a Decimal hashes slowly), the cell is a float anyway
            values = values.astype("float64")
    try:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # values pandas cannot hash (lists): each cell on its own
        return _column_cells(values, column).to_numpy(dtype=object)
    if len(distinct) == 0:  # no value at all
        return np.full(len(values), EMPTY, dtype=object)
    written = _column_cells(pd.Series(distinct, dtype=values.dtype if values.dtype != object else object),
                            column).to_numpy(dtype=object)
    return np.append(written, EMPTY)[codes]  # code -1 (no value) takes the EMPTY appended last


def write_xlsx(frame: pd.DataFrame, sheet: str = "data",
               progress: Callable[[int, int], None] | None = None) -> bytes:
    """The workbook of ``frame`` (one sheet, a bold header row, frozen) as bytes; ``progress(done,
    total)`` is told after every :data:`CHUNK_ROWS` rows."""
    total = len(frame)
    sheet_name = _escape(pd.Series([re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "data"])).iloc[0]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        book.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                      f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
        with book.open("xl/worksheets/sheet1.xml", "w") as xml:
            widths = "".join(f'<col min="{j}" max="{j}" width="{min(max(len(str(c)) + 2, 10), 50)}" customWidth="1"/>'
                             for j, c in enumerate(frame.columns, start=1))
            # every header cell in one call (a call per column cost more than a small table's cells)
            header = "".join(_inline(pd.Series([str(c) for c in frame.columns], dtype=object)).str.replace(
                '<c t="inlineStr">', f'<c t="inlineStr" s="{HEADER}">', regex=False))
            xml.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                       'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                       f'<cols>{widths}</cols><sheetData><row r="1">{header}</row>').encode("utf-8"))
            for start in range(0, total, CHUNK_ROWS):
                chunk = frame.iloc[start:start + CHUNK_ROWS].reset_index(drop=True)
                columns = [_cells(chunk[column], column) for column in chunk.columns]
                starts = [f'<row r="{n}">' for n in range(start + 2, start + 2 + len(chunk))]
                xml.write("".join(["".join(row) + "</row>" for row in zip(starts, *columns)]).encode("utf-8"))
                if progress is not None:
                    progress(min(start + CHUNK_ROWS, total), total)
            xml.write(b"</sheetData></worksheet>")
    if progress is not None and total == 0:
        progress(0, 0)
    return out.getvalue()
