"""The e-invoice block of the pre-invoices page (AppTest): the issuing side issues, both sides
see the invoice and its check; the other side gets no issue button; an upload is checked.
Store: ``tests/engine_fixture.py`` with complete parties (see ``tests/test_einvoice.py``)."""
from __future__ import annotations

import shutil

import pytest

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.billing.einvoice import inbox, issuing, ubl
from tests import engine_fixture
from tests.apptest import run_page
from tests.test_einvoice import BUYERS, SELLERS

QUERY = {"month": "2024-03", "station": "S_DE", "manufacturer": "M01"}
STATION = Viewer("st", Scope.station("S_DE"))
BRAND = Viewer("brand", Scope.manufacturer("M01"))


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("einvoice-page") / "base.duckdb"
    engine_fixture.build_file(path)
    return path


@pytest.fixture()
def db(base_store, tmp_path, monkeypatch):
    path = tmp_path / "store.duckdb"
    shutil.copyfile(base_store, path)
    monkeypatch.setattr(issuing, "parties_of", lambda con, s, m, country=None: (SELLERS["DE"], BUYERS["DE"]))
    return path


def _texts(at) -> str:
    """Every markdown and caption of the page, markdown escapes removed."""
    return "\n".join(m.value for m in [*at.markdown, *at.caption, *at.success]).replace("\\", "")


def _button(at, label):
    found = [b for b in at.button if b.label == label]
    return found[0] if found else None


def test_the_station_issues_and_both_sides_see_it_matched(db, monkeypatch):
    at = run_page("pages/preinvoices.py", BRAND, db, monkeypatch, QUERY)
    assert _button(at, "Issue the invoice") is None  # the station issues (the policy's default)
    assert "the station issues this invoice" in _texts(at)

    at = run_page("pages/preinvoices.py", STATION, db, monkeypatch, QUERY)
    _button(at, "Issue the invoice").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Issued: S_DE-000001." in _texts(at) and _button(at, "Issue the invoice") is None

    at = run_page("pages/preinvoices.py", BRAND, db, monkeypatch, QUERY)
    text = _texts(at)
    assert "Invoices received (1)" in text and "**matched**" in text and "S_DE-000001 (invoice" in text
    assert not at.table  # no difference, no findings table


def test_a_tampered_upload_shows_its_findings_to_both_sides(db, monkeypatch):
    docs, _ = inbox.issue_and_deliver(db, STATION.scope, "S_DE", "M01", "2024-03", issued_by="st")
    tampered = docs.ubl_xml.replace(docs.invoice.preinvoice_reference.encode(), b"PF-S_DE-M01-202403-00000000")
    inbox.check(db, STATION.scope, tampered, "tampered.xml", received_by="st")
    for viewer in (STATION, BRAND):
        at = run_page("pages/preinvoices.py", viewer, db, monkeypatch, QUERY)
        text = _texts(at)
        assert "**unknown reference**" in text and "tampered.xml" in text
        (table,) = at.table
        frame = table.value
        assert list(frame["kind"]) == ["reference"] and list(frame["invoiced"]) == ["PF-S_DE-M01-202403-00000000"]
    at = run_page("pages/preinvoices.py", Viewer("fr", Scope.station("S_FR")), db, monkeypatch,
                  {"month": "2024-03", "station": "S_FR", "manufacturer": "M01"})
    assert "tampered.xml" not in _texts(at)
    assert ubl.to_xml(docs.invoice) == docs.ubl_xml


def test_after_a_change_the_station_issues_a_credit_note_and_a_new_invoice(db, monkeypatch):
    from analytics.conversation import threads as cv

    inbox.issue_and_deliver(db, STATION.scope, "S_DE", "M01", "2024-03", issued_by="st")
    cv.waive(db, BRAND, "D_31", "LATE_SUBMISSION", "accepted")  # the pre-invoice changes after issue
    at = run_page("pages/preinvoices.py", STATION, db, monkeypatch, QUERY)
    assert "An issued invoice is never edited" in "".join(w.value for w in at.warning)
    _button(at, "Issue the correction (credit note and new invoice)").click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = _texts(at)
    assert "Issued: S_DE-000002, S_DE-000003." in text
    assert "S_DE-000001 — invoice" in text and "(credited by S_DE-000002)" in text
    assert "S_DE-000002 — credit note" in text and "cancels S_DE-000001" in text
    assert "S_DE-000003 — invoice" in text and "(current)" in text
    at = run_page("pages/preinvoices.py", BRAND, db, monkeypatch, QUERY)
    text = _texts(at)
    assert "Invoices received (3)" in text and text.count("**matched**") == 3
