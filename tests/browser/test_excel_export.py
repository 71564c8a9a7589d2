"""The Excel file of a long list in a real browser: "Prepare the download" makes the whole queue's
files in the page's run, then the same place offers their downloads; after a rerun of the page (a row selected)
the download still answers with the same file."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from analytics.access.scope import Scope
from analytics.core import store
from analytics.verification import queue as verification
from tests.browser.conftest import login_as, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _download(page, key: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f".st-key-{key}").get_by_role("button", name="Excel").click()
    return Path(info.value.path()).read_bytes()


def test_the_excel_file_of_the_queue_is_prepared_then_downloaded_even_after_a_rerun(page, demo_store):
    want = verification.worst_first(store.reader(demo_store), Scope.manager())
    login_as(page, "manager")
    open_page(page, "verification")
    page.locator(".st-key-verification_export_prepare").get_by_role("button", name="Prepare the download").click()
    page.locator(".st-key-verification_export_xlsx").get_by_role("button", name="Excel").wait_for(state="visible")
    wait_for_app(page)
    screenshot(page, "verification_excel_ready", full_page=False)
    first = _download(page, "verification_export_xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(first), read_only=True).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == list(want["intervention_id"])  # the whole queue, worst first
    # a rerun of the page (a row of the queue selected): the download answers with the same file
    page.locator(".st-key-verification_queue [data-testid='stDataFrameResizable']").first.wait_for()
    page.get_by_role("textbox", name="Intervention id").fill(str(want["intervention_id"].iloc[0]))
    page.get_by_role("textbox", name="Intervention id").press("Enter")
    wait_for_app(page)
    assert _download(page, "verification_export_xlsx") == first
