"""The pre-invoice story in a real browser:

a station answers a ``DOC_MISSING`` finding with the document, the manufacturer accepts, the
intervention becomes ``ready``, and the month's pre-invoice downloaded by each side is the same
file with the intervention on it.

Runs on a private copy of the suite's demo store, served by its own app (the test writes).
The intervention is one of the demo station's for the demo manufacturer whose only blocking or
review finding is one missing document.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pypdfium2
import pytest

from analytics.billing import preinvoice as pi
from analytics.core import store
from analytics.access.scope import Scope
from ui.threads import thread_key
from tests.browser.conftest import (CHROMIUM, DEMO_USERS, ROOT, login, new_page, open_page, open_preinvoice, screenshot,
                                    serve_app, wait_for_app)

pytestmark = pytest.mark.browser

CANDIDATE = """
WITH who AS (
    SELECT (SELECT station_id FROM users WHERE username = 'station') AS station_id,
           (SELECT manufacturer_id FROM users WHERE username = 'manufacturer') AS manufacturer_id
), counting AS (
    SELECT intervention_id,
           count(*) FILTER (WHERE severity IN ('blocked', 'review')) AS counting,
           count(*) FILTER (WHERE code = 'DOC_MISSING') AS missing
    FROM findings GROUP BY intervention_id
)
SELECT i.intervention_id, strftime(i.completed_on, '%Y-%m') AS month, f.doc_type, i.station_id, i.manufacturer_id
FROM interventions i JOIN counting c USING (intervention_id) JOIN who USING (station_id, manufacturer_id)
JOIN findings f ON f.intervention_id = i.intervention_id AND f.code = 'DOC_MISSING'
WHERE c.counting = 1 AND c.missing = 1
ORDER BY i.completed_on DESC, i.intervention_id
LIMIT 1
"""


@pytest.fixture(scope="module")
def story(demo_store, tmp_path_factory, browser):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    app = os.environ.get("CLAIRVOIE_BROWSER_APP", "app.py")
    if not (ROOT / app).exists():
        pytest.skip(f"no {app} to serve yet")
    if DEMO_USERS.get("station") is None or DEMO_USERS.get("manufacturer") is None:
        pytest.skip("no demo logins yet")
    folder = tmp_path_factory.mktemp("story")
    db = folder / "story.duckdb"
    shutil.copyfile(demo_store, db)
    rows = store.reader(db).execute(CANDIDATE).fetchall()
    if not rows:
        pytest.skip("the demo store has no intervention of the demo station and brand blocked by one document only")
    with serve_app(db, folder / "server.log", app=app) as base:
        pg = new_page(browser, base)
        yield {"page": pg, "db": db, "case": dict(zip(("iid", "month", "doc_type", "station", "brand"), rows[0]))}
        pg.context.close()


def _open_intervention(page, iid: str) -> None:
    open_page(page, "verification")
    box = page.get_by_role("textbox", name="Intervention id")
    box.fill(iid)
    box.press("Enter")
    wait_for_app(page)
    page.get_by_role("heading", name=iid).first.wait_for()


def _act(page, iid: str, doc_type: str, action: str, message: str) -> None:
    thread = page.locator(f".st-key-{thread_key(iid, 'DOC_MISSING', doc_type)}")
    thread.get_by_text(action, exact=True).click()
    thread.get_by_role("textbox", name="Reason or message").fill(message)
    thread.get_by_role("button", name="Add to the conversation").click()
    wait_for_app(page)
    page.get_by_text("Saved.").first.wait_for()


def _download_pdf(page, case) -> bytes:
    open_preinvoice(page, case["month"], case["station"], case["brand"])
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PDF").click()
    return Path(info.value.path()).read_bytes()


def test_station_sends_the_document_manufacturer_accepts_both_download_the_same_pre_invoice(story):
    page, db, case = story["page"], story["db"], story["case"]
    iid, doc_type = case["iid"], case["doc_type"]
    station_user, manufacturer_user = DEMO_USERS["station"], DEMO_USERS["manufacturer"]

    # the station answers the DOC_MISSING finding with the document
    assert login(page, *station_user)
    _open_intervention(page, iid)
    _act(page, iid, doc_type, "document sent", "sent by e-mail today")
    screenshot(page, "preinvoice_story_station_sent")

    # the manufacturer accepts
    assert login(page, *manufacturer_user)
    _open_intervention(page, iid)
    thread = page.locator(f".st-key-{thread_key(iid, 'DOC_MISSING', doc_type)}")
    assert thread.get_by_text("sent by e-mail today").count() == 1
    _act(page, iid, doc_type, "accept and waive", "document received, thank you")
    page.get_by_role("heading", name=f"{iid} — ready").first.wait_for()
    status = store.reader(db).execute("SELECT status FROM intervention_status WHERE intervention_id = $i",
                                      {"i": iid}).fetchall()[0][0]
    assert status == "ready"
    screenshot(page, "preinvoice_story_manufacturer_accepted")

    # both sides download the month's pre-invoice: the same bytes, with the intervention on it
    brand_pdf = _download_pdf(page, case)
    assert login(page, *station_user)
    station_pdf = _download_pdf(page, case)
    assert station_pdf == brand_pdf
    expected = pi.build(store.reader(db), Scope.station(case["station"]), case["station"], case["brand"], case["month"])
    assert iid in {ln.intervention_id for ln in expected.lines}
    assert station_pdf == pi.to_pdf(expected)
    pdf = pypdfium2.PdfDocument(station_pdf)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert expected.reference in text and iid in text
