"""The Excel writer (:mod:`ui.xlsx`), read back with openpyxl: each value in its column and type,
text never a formula, empty cells keeping the cells after them in place, formats by column kind."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pandas as pd
from hypothesis import given, settings, strategies as st
from openpyxl import load_workbook

from ui.xlsx import write_xlsx


def read_back(frame: pd.DataFrame):
    return load_workbook(io.BytesIO(write_xlsx(frame))).active


def test_values_types_and_formats():
    frame = pd.DataFrame({
        "name": ['=HYPERLINK("http://x","y")', "a<b&c\x01 d"], "amount": [Decimal("12.50"), None],
        "dispute_rate": [0.125, float("nan")], "day": [dt.date(2024, 3, 2), None],
        "written_at": pd.to_datetime(["2024-04-10 09:30", None]), "n": [3, 4], "prevented": [True, False],
        "codes": [["A", "B"], None]})
    ws = read_back(frame)
    rows = list(ws.iter_rows(values_only=True))
    assert rows == [
        ("name", "amount", "dispute_rate", "day", "written_at", "n", "prevented", "codes"),
        ('=HYPERLINK("http://x","y")', 12.5, 0.125, dt.datetime(2024, 3, 2), dt.datetime(2024, 4, 10, 9, 30), 3,
         "TRUE", "A, B"),
        ("a<b&c d", None, None, None, None, 4, "FALSE", None),
    ]
    assert ws["A2"].data_type == "s"  # text, not a formula
    assert (ws["B2"].number_format, ws["C2"].number_format, ws["D2"].number_format) == ("#,##0.00", "0.0%",
                                                                                          "yyyy-mm-dd")


def test_progress_is_told_per_chunk_and_at_the_end():
    frame = pd.DataFrame({"n": range(45_000)})
    told = []
    write_xlsx(frame, progress=lambda done, total: told.append((done, total)))
    assert told == [(20_000, 45_000), (40_000, 45_000), (45_000, 45_000)]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=20)),
                          st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, width=32))),
                min_size=1, max_size=20))
def test_any_text_and_numbers_read_back(rows):
    frame = pd.DataFrame(rows, columns=["text", "value"], dtype=object)
    got = list(read_back(frame).iter_rows(min_row=2, values_only=True))
    clean = lambda s: None if s is None else ("".join(c for c in s if c >= " " or c in "\t\n\r")  # noqa: E731
                                              .replace("\r", "\n") or None)
    for (text, value), (got_text, got_value) in zip(rows, got):
        assert (got_text or None) in (clean(text), (clean(text) or "").replace("\r\n", "\n") or None)
        assert got_value == (None if value is None else float(value))


def test_missing_values_in_nullable_columns_are_empty_cells():
    """A league table's rank is missing for a station without a score (pd.NA in an Int64 column)."""
    import openpyxl

    frame = pd.DataFrame({"rank": pd.array([1, None, 3], dtype="Int64"),
                          "score": pd.array([91.5, None, 80.25], dtype="Float64")})
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(frame)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows == [["rank", "score"], [1, 91.5], [None, None], [3, 80.25]]


def test_a_column_with_no_value_at_all_is_empty_cells():
    frame = pd.DataFrame({"rate_share": [float("nan")] * 3, "note": [None] * 3, "n": [1, 2, 3]})
    assert list(read_back(frame).iter_rows(min_row=2, values_only=True)) == [(None, None, 1), (None, None, 2),
                                                                               (None, None, 3)]
