"""Downloads that cannot hang on a rerun: every person-facing download button holds its file's
bytes, served under an id made from them, so the id is the same on every run and a click made
while the page reruns finds its file. (A function as ``data``, Streamlit's deferred download,
gets a new id each run and the previous one is dropped when the run ends: such a click spun.)

Tables too large to read to draw the page (work queues, disputes, the verification queue) are read
when "Prepare the download" is clicked, then kept like a table on the page. AppTest on the
session's demo store; the real browser's click during a rerun is
``tests/browser/test_downloads_browser.py``."""
from __future__ import annotations

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from tests.apptest import run_page

MANAGER = Viewer("admin", Scope.manager(), is_admin=True)


def _downloads(at) -> dict[str, str]:
    """``{label: file url}`` of the page's download buttons; fails on a deferred one."""
    found = {}
    for element in at.get("download_button"):
        assert not element.proto.deferred_file_id, element.proto.label
        found[element.proto.label] = element.proto.url
    return found


def _keys(at) -> set[str]:
    return {b.key for b in at.button}


def test_a_work_queue_is_downloaded_once_prepared_under_the_same_file_ids_on_every_run(demo_store_path, monkeypatch):
    at = run_page("pages/queues.py", MANAGER, demo_store_path, monkeypatch, {"queue": "disputes"})
    assert "queues_export_disputes_prepare" in _keys(at) and _downloads(at) == {}
    at.button(key="queues_export_disputes_prepare").click().run()
    assert not at.exception
    files = _downloads(at)
    assert set(files) == {"CSV", "Excel"}
    assert files["CSV"].endswith(".csv") and files["Excel"].endswith(".xlsx")
    at.run()  # a rerun (a selection, a widget): the same files under the same ids, nothing to prepare
    assert _downloads(at) == files
    assert "queues_export_disputes_prepare" not in _keys(at)
    # another queue is another table: prepared on its own
    at.query_params["queue"] = "answer"
    at.run()
    assert "queues_export_answer_prepare" in _keys(at) and _downloads(at) == {}


def test_the_disputes_and_verification_exports_are_prepared_the_same_way(demo_store_path, monkeypatch):
    for page, key in (("pages/disputes.py", "disputes_export"), ("pages/verification.py", "verification_export")):
        at = run_page(page, MANAGER, demo_store_path, monkeypatch)
        at.button(key=f"{key}_prepare").click().run()
        assert not at.exception, page
        files = _downloads(at)
        assert {"CSV", "Excel"} <= set(files), page
        at.run()
        assert {k: v for k, v in _downloads(at).items() if k in ("CSV", "Excel")} == \
            {k: v for k, v in files.items() if k in ("CSV", "Excel")}, page


def test_the_pre_invoice_pdf_is_made_with_the_page(demo_store_path, monkeypatch):
    at = run_page("pages/preinvoices.py", MANAGER, demo_store_path, monkeypatch)
    files = _downloads(at)
    pdf = [url for label, url in files.items() if url.endswith(".pdf")]
    assert pdf, files
    at.run()
    assert _downloads(at) == files
