"""Downloads in a real browser: the Stations page's Excel file (it did nothing: "Cannot convert
<NA> to Excel", a missing rank in the league table) and its CSV, both made with the page."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.browser.conftest import login_as, open_page

pytestmark = pytest.mark.browser


def _download(page, key: str, label: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f".st-key-{key}").get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_the_stations_league_table_downloads_as_excel_and_csv(page):
    login_as(page, "manager")
    open_page(page, "stations")
    book = openpyxl.load_workbook(io.BytesIO(_download(page, "stations_download_xlsx", "Excel")))
    rows = list(book.active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "rank" in header or "score_rank" in header, header
    assert body, "the league table is empty"
    rank = header.index("rank") if "rank" in header else header.index("score_rank")
    assert all(r[rank] is None or isinstance(r[rank], int) for r in body)  # a missing rank is an empty cell
    text = _download(page, "stations_download_csv", "CSV").decode("utf-8")
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[0] == [str(h) for h in header] and len(lines) == len(rows)
