"""The Excel file of a long list made on the page (``ui.pagekit._prepared_excel``): its button makes
the workbook in the page's run (progress shown), then the same button place offers the download;
a rerun keeps the very same file (same bytes, so the same download address), another view makes it
again. AppTest on the session's demo store (20,000 interventions)."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.core import store
from analytics.core.filters import Filters
from analytics.verification import queue
from tests.apptest import run_page

MANAGER = Viewer("demo-manager", Scope.manager(), is_admin=True)
FILES = "pagekit_download_files"


def _prepared(at, key):
    return at.session_state[FILES].get((key, "xlsx-prepared")) if FILES in at.session_state else None


def test_the_verification_export_is_made_with_progress_then_kept_across_reruns(demo_store_path, monkeypatch):
    at = run_page("pages/verification.py", MANAGER, demo_store_path, monkeypatch)
    assert _prepared(at, "verification_export") is None  # nothing is read to draw the page
    at.button(key="verification_export_xlsx_prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    token, data, rows = _prepared(at, "verification_export")
    want = queue.worst_first(store.reader(demo_store_path), Scope.manager(), Filters())
    sheet = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    assert rows == len(want) == len(sheet) - 1 > 2000  # every row of the queue, not only those shown
    assert [r[0] for r in sheet[1:]] == list(want["intervention_id"])
    assert not any(b.key == "verification_export_xlsx_prepare" for b in at.button)  # the download is offered instead
    at.run()  # a rerun of the page: the same file, not made again
    assert _prepared(at, "verification_export")[1] is data
    assert not any(b.key == "verification_export_xlsx_prepare" for b in at.button)
    at.radio(key="verification_status").set_value("review").run()  # another view: the file is made anew
    assert any(b.key == "verification_export_xlsx_prepare" for b in at.button)
