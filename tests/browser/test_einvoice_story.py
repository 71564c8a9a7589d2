"""The e-invoice story in a real browser (issue 14, "done when"):

the station issues the month's invoice from the agreed pre-invoice and downloads the Factur-X PDF
and the UBL; the manufacturer sees it received and matched; a tampered copy uploaded by the station
shows its difference to both sides.

Runs on a private copy of the suite's demo store (its parties: legal names, VAT ids, IBANs), served
by its own app (the test writes the operational database). The month is the demo station's latest
with interventions ready for the demo manufacturer.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
from decimal import Decimal
from pathlib import Path

import facturx
import pytest

from analytics.access.scope import Scope
from analytics.billing import preinvoice as pi
from analytics.billing.einvoice import issuing, reading, ubl, validation
from analytics.core import store
from tests.browser.conftest import CHROMIUM, DEMO_USERS, login, new_page, open_preinvoice, screenshot, serve_app, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def story(demo_store, tmp_path_factory, browser):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    app = os.environ.get("CLAIRVOIE_BROWSER_APP", "app.py")
    if DEMO_USERS.get("station") is None or DEMO_USERS.get("manufacturer") is None:
        pytest.skip("no demo logins yet")
    folder = tmp_path_factory.mktemp("einvoice-story")
    db = folder / "story.duckdb"
    shutil.copyfile(demo_store, db)
    con = store.reader(db)
    station, brand = con.execute("SELECT (SELECT station_id FROM users WHERE username = 'station'),"
                                 " (SELECT manufacturer_id FROM users WHERE username = 'manufacturer')").fetchone()
    available = pi.available(con, Scope.station(station))
    months = available[(available["manufacturer_id"] == brand) & (available["ready"] > 0)]["month"]
    if months.empty:
        pytest.skip("the demo station has no ready intervention for the demo brand")
    month = months.iloc[0]
    _doc, expected = issuing.expected_invoice(con, station, brand, month, require_parties=True)
    with serve_app(db, folder / "server.log", app=app) as base:
        pg = new_page(browser, base)
        yield {"page": pg, "db": db, "station": station, "brand": brand, "month": month, "expected": expected,
               "folder": folder}
        pg.context.close()


def _open_preinvoice(page, case) -> None:
    open_preinvoice(page, case["month"], case["station"], case["brand"])


def _download(page, label: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=label).first.click()
    return Path(info.value.path()).read_bytes()


def _tampered(ubl_xml: bytes) -> tuple[bytes, str, Decimal, Decimal]:
    """The invoice with its first line's amount raised by 10.00 and its totals made consistent
    again (valid EN 16931, different from the pre-invoice)."""
    inv = reading.read(ubl_xml, "x.xml").invoice
    first = inv.lines[0]
    raised = first.net + Decimal("10.00")
    lines = (dataclasses.replace(first, net=raised),) + inv.lines[1:]
    group = next(g for g in inv.vat if (g.category, g.rate) == (first.vat_category, first.vat_rate))
    extra_tax = (Decimal("10.00") * group.rate / 100).quantize(Decimal("0.01"))
    vat = tuple(dataclasses.replace(g, taxable=g.taxable + Decimal("10.00"), tax=g.tax + extra_tax) if g is group else g
                for g in inv.vat)
    t = inv.totals
    totals = dataclasses.replace(t, lines=t.lines + 10, tax_exclusive=t.tax_exclusive + 10, tax=t.tax + extra_tax,
                                 tax_inclusive=t.tax_inclusive + 10 + extra_tax, payable=t.payable + 10 + extra_tax)
    return (ubl.to_xml(dataclasses.replace(inv, lines=lines, vat=vat, totals=totals)), first.line_id, first.net,
            raised)


def test_station_issues_downloads_brand_sees_it_matched_and_a_tampered_copy_shows_its_difference(story):
    page, case = story["page"], story
    station_user, brand_user = DEMO_USERS["station"], DEMO_USERS["manufacturer"]

    # the station issues the month's invoice from the agreed pre-invoice
    assert login(page, *station_user)
    _open_preinvoice(page, case)
    page.get_by_role("button", name="Issue the invoice").click()
    wait_for_app(page)
    page.get_by_text("Issued: ").first.wait_for()
    number = f"{case['station']}-000001"
    screenshot(page, "einvoice_story_station_issued")

    # ... and downloads the Factur-X PDF and the UBL
    pdf = _download(page, "Download Factur-X PDF")
    xml = _download(page, "Download UBL XML")
    issued = issuing.document(story["db"], Scope.station(case["station"]), number)
    assert (pdf, xml) == (issued.facturx_pdf, issued.ubl_xml)
    name, embedded = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    assert name == "factur-x.xml" and validation.validate(embedded, "cii").valid
    assert validation.validate(xml, "ubl").valid
    read = reading.read(xml, "downloaded.xml").invoice
    assert read.totals == case["expected"].totals and read.preinvoice_reference == case["expected"].preinvoice_reference

    # the manufacturer sees it received and matched
    assert login(page, *brand_user)
    _open_preinvoice(page, case)
    received = page.get_by_text(f"{number} (invoice, {number}.xml")
    received.wait_for()
    assert "matched" in received.inner_text()
    assert page.get_by_role("button", name="Issue the invoice").count() == 0
    screenshot(page, "einvoice_story_brand_matched")

    # a tampered copy uploaded by the station shows its difference to both sides
    tampered, line_id, agreed, invoiced = _tampered(xml)
    upload = story["folder"] / "tampered.xml"
    upload.write_bytes(tampered)
    assert login(page, *station_user)
    _open_preinvoice(page, case)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    wait_for_app(page)
    page.get_by_role("button", name="Check the invoice").click()
    wait_for_app(page)
    page.get_by_text("tampered.xml: differences.").first.wait_for()
    for who in ("station", "brand"):
        if who == "brand":
            assert login(page, *brand_user)
            _open_preinvoice(page, case)
        entry = page.get_by_text("tampered.xml, upload")
        entry.wait_for()
        assert "differences" in entry.inner_text()
        row = page.get_by_role("row").filter(has_text=line_id).filter(has_text="line amount")
        row.first.wait_for()
        assert row.count() == 1, page.locator("table").all_inner_texts()
        assert str(agreed) in row.inner_text() and str(invoiced) in row.inner_text()
        screenshot(page, f"einvoice_story_{who}_sees_the_difference")
