"""The files of a long list made on the page (``ui.pagekit._prepared_files``): its "Prepare the
download" button reads the list and writes the CSV and the Excel workbook in the page's run (progress
shown), then the same place offers both downloads; a rerun keeps the very same files (same bytes, so
the same download address), another view makes them again. AppTest on the session's demo store
(20,000 interventions)."""
from __future__ import annotations

import csv
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
    """``(signature, (csv, xlsx))`` kept for the button ``key``, or None."""
    return at.session_state[FILES].get(f"{key}_prepared") if FILES in at.session_state else None


def test_the_verification_export_is_made_with_progress_then_kept_across_reruns(demo_store_path, monkeypatch):
    at = run_page("pages/verification.py", MANAGER, demo_store_path, monkeypatch)
    assert _prepared(at, "verification_export") is None  # nothing is read to draw the page
    at.button(key="verification_export_prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    _, (csv_data, data) = _prepared(at, "verification_export")
    want = queue.worst_first(store.reader(demo_store_path), Scope.manager(), Filters())
    sheet = list(load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True))
    assert len(want) == len(sheet) - 1 > 2000  # every row of the queue, not only those shown
    assert [r[0] for r in sheet[1:]] == list(want["intervention_id"])
    rows = list(csv.reader(io.StringIO(csv_data.decode("utf-8"))))
    assert [r[0] for r in rows[1:]] == list(want["intervention_id"])
    at.run()  # a rerun of the page: the same files, not made again, and no button to make them
    assert _prepared(at, "verification_export")[1][1] is data
    assert not any(b.key == "verification_export_prepare" for b in at.button)
    at.radio(key="verification_status").set_value("review").run()  # another view: the files are made anew
    assert any(b.key == "verification_export_prepare" for b in at.button)
