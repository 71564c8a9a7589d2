"""The verification queue's export in a real browser: the page shows the first rows only, and the
CSV prepared when "Prepare the download" is clicked holds the whole queue, worst first, and follows
the page's status and search — what only a served app and a browser show."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analytics.core import store
from analytics.verification import queue as verification
from analytics.access.scope import Scope

from tests.browser.conftest import login_as, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _download_csv(page, key: str) -> list[dict]:
    page.locator(f".st-key-{key}_prepare").get_by_role("button").click()  # read for these filters
    page.locator(f".st-key-{key}_csv").get_by_role("button", name="CSV").wait_for()
    wait_for_app(page)
    with page.expect_download() as info:
        page.locator(f".st-key-{key}_csv").get_by_role("button", name="CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_holds_the_whole_queue(page, demo_store):
    con = store.reader(demo_store)
    counts = verification.status_counts(con, Scope.manager())
    total = sum(counts.values())
    assert total > 2000, "the demo store must have more interventions than the page shows"
    login_as(page, "manager")
    open_page(page, "verification")
    page.get_by_text("The first 2,000 are shown").first.wait_for()
    rows = _download_csv(page, "verification_export")
    assert len(rows) == total
    want = verification.worst_first(con, Scope.manager(), limit=None)
    assert [r["intervention_id"] for r in rows] == list(want["intervention_id"])
    # one status and a search: the export follows what the page shows
    page.get_by_text("review", exact=True).first.click()
    wait_for_app(page)
    box = page.get_by_role("textbox", name="Find an intervention (id contains)")
    box.fill("12")
    box.press("Enter")
    wait_for_app(page)
    rows = _download_csv(page, "verification_export")
    want = verification.worst_first(con, Scope.manager(), status="review", search="12")
    assert [r["intervention_id"] for r in rows] == list(want["intervention_id"]) and len(rows) > 0
    assert {r["status"] for r in rows} == {"review"}
    screenshot(page, "verification_export_review_12")
