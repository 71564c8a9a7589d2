"""Every CSV a person downloads is safe to open in a spreadsheet, and reads back as the same text.

Property (hypothesis): any text, the dangerous first characters (``= + - @``, tab, carriage return)
and quotes included, put in any cell of a table comes out of every person-facing CSV — the
pages' download (``ui.pagekit``: ``frame_to_csv``, the same bytes the CSV button serves) and the
pre-invoice CSV — either unchanged or with one ``'`` in front, never as a cell a spreadsheet
would run; :func:`restore` gives the text back; numbers (negative ones included) stay numbers.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from analytics.billing import preinvoice as pi
from analytics.core.csv_safety import (ESCAPE, FORMULA_PREFIXES, frame_to_csv, needs_escape, neutralise,
                                        restore, rows_to_csv)

DANGEROUS = st.sampled_from(FORMULA_PREFIXES + (ESCAPE, ESCAPE + "=", "-1", "=1+1"))
#: any text, often starting with a dangerous character (csv cannot hold NUL; everything else goes)
TEXT = st.one_of(
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=20),
    st.builds(lambda a, b: a + b, DANGEROUS, st.text(st.characters(blacklist_characters="\x00",
                                                                   blacklist_categories=("Cs",)), max_size=12)),
)


def runs_in_a_spreadsheet(cell: str) -> bool:
    """What a spreadsheet runs: a cell starting with one of the formula characters that is not a
    plain number (the reference, written independently of the module)."""
    if not cell or cell[0] not in "=+-@\t\r":
        return False
    try:
        float(cell)
        return cell[0] == "+" and False
    except ValueError:
        return True


def check_cell(cell: str, text: str) -> None:
    assert cell in (text, ESCAPE + text), (cell, text)
    assert not runs_in_a_spreadsheet(cell), cell
    assert restore(cell) == text


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False)),
                min_size=1, max_size=8), TEXT)
def test_page_download_csv_is_safe_and_reads_back(rows, header_text):
    frame = pd.DataFrame(rows, columns=["name", header_text or "x", "count", "amount"])
    frame["note"] = pd.Series([r[0] for r in rows], dtype="string")  # pandas' own text type too
    frame["mixed"] = pd.Series([r[1] if i % 2 else -i - 1 for i, r in enumerate(rows)] + [None], dtype=object)[:-1]
    got = read_csv(frame_to_csv(frame))
    check_cell(got[0][1], header_text or "x")
    assert len(got) == len(rows) + 1
    for i, ((name, other, count, amount), line) in enumerate(zip(rows, got[1:])):
        check_cell(line[0], name)
        check_cell(line[1], other)
        check_cell(line[4], name)
        assert int(line[2]) == count          # a negative number stays a number, unquoted
        assert float(line[3]) == pytest.approx(amount)
        if i % 2:                             # text and numbers in one column
            check_cell(line[5], other)
        else:
            assert line[5] == str(-i - 1)


@settings(max_examples=100, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_preinvoice_csv_is_safe_and_reads_back(station_name, note, reason):
    line = pi.Line("I1", dt.date(2024, 3, 1), "R1", "tv", Decimal("10.00"), Decimal("0"), Decimal("0"),
                   Decimal("-10.00"), Decimal("0.2"), Decimal("-2.00"), Decimal("-12.00"), "EUR", note=note)
    left = pi.LeftOut("I2", dt.date(2024, 3, 2), "review", reason, (reason,))
    doc = pi.PreInvoice("S1", station_name, "M1", "Brand", "2024-03", (line,), (),
                        (pi.Total("EUR", Decimal("-10.00"), Decimal("-2.00"), Decimal("-12.00")),), (left,), "PI-1")
    rows = list(csv.DictReader(io.StringIO(pi.to_csv(doc).decode("utf-8"), newline="")))
    header, line_row, total_row, left_row = rows
    assert restore(header["detail"]).endswith(f"{station_name}; manufacturer M1 Brand")
    assert not runs_in_a_spreadsheet(header["detail"])
    check_cell(line_row["detail"], note)
    assert line_row["net"] == "-10.00" and Decimal(total_row["gross"]) == Decimal("-12.00")
    check_cell(left_row["finding_codes"], reason)
    check_cell(left_row["detail"], reason)


def test_owasp_examples_by_hand():
    assert neutralise('=HYPERLINK("http://evil","Berlin")') == '\'=HYPERLINK("http://evil","Berlin")'
    assert neutralise("+33 1 23") == "'+33 1 23"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx"
    assert neutralise("-12.5") == "-12.5" and neutralise("-") == "'-"
    assert neutralise("Berlin") == "Berlin" and neutralise("") == ""
    assert neutralise("'=x") == "''=x" and restore("''=x") == "'=x"  # never ambiguous
    assert not needs_escape("'plain")
    assert rows_to_csv(["a", "=b"], [["=1", -3, Decimal("-1.50")]]) == b"a,'=b\r\n'=1,-3,-1.50\r\n"


def test_station_name_formula_never_reaches_the_stations_csv_live():
    """The attack of the issue: a station named ``=HYPERLINK(...)`` in the table a page downloads."""
    frame = pd.DataFrame({"station_id": ["S1"], "name": ['=HYPERLINK("http://evil","Berlin")'],
                          "rank": pd.array([pd.NA], dtype="Int64"), "delta": [-3.5]})
    text = frame_to_csv(frame).decode()
    assert text == 'station_id,name,rank,delta\r\nS1,"\'=HYPERLINK(""http://evil"",""Berlin"")",,-3.5\r\n'


def test_frame_to_csv_keeps_the_callers_frame():
    frame = pd.DataFrame({"name": ["=x"]})
    frame_to_csv(frame)
    assert frame.loc[0, "name"] == "=x"


def test_xlsx_download_with_missing_values():
    """The Stations page's Excel download failed on a missing rank ("Cannot convert <NA> to Excel")."""
    import openpyxl

    from ui.pagekit import to_xlsx

    frame = pd.DataFrame({"station": ["=A1", "B"], "rank": pd.array([1, pd.NA], dtype="Int64"),
                          "score": pd.array([pd.NA, 2.5], dtype="Float64"), "when": [pd.NaT, pd.Timestamp("2024-01-02")]})
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame)))
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert values[0] == ["station", "rank", "score", "when"]
    assert values[1][:3] == ["=A1", 1, None] and values[2][:3] == ["B", None, 2.5]
    assert book.active["A2"].data_type == "s"  # text, not a formula
