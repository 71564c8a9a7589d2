"""Downloads in a real browser: the Stations page's Excel file (it did nothing: "Cannot convert
<NA> to Excel", a missing rank in the league table) and its CSV, both made with the page; and a
download clicked while the page reruns, which spun forever when the button held a function."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, login_as, new_page, open_page, wait_for_app

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


class HeldServer:
    """The page's websocket to the server, with the messages of the server's script runs held back
    on request: the browser then still shows the previous run's page while the server reruns it,
    for as long as the test needs (a click "during the rerun" without racing the server). Answers
    to the browser's own requests (a deferred download's file) are never held."""

    def __init__(self, page):
        self.holding = False
        self.held: list = []
        self.browser_side = None
        page.route_web_socket(lambda url: url.endswith("/_stcore/stream"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        self.browser_side = ws
        ws.on_message(lambda message: server.send(message))
        server.on_message(self._from_server)

    @staticmethod
    def _parsed(message):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = ForwardMsg()
        msg.ParseFromString(message if isinstance(message, bytes) else message.encode())
        return msg

    def _from_server(self, message) -> None:
        if self.holding and self._parsed(message).WhichOneof("type") != "backend_operation_response":
            self.held.append(message)
        else:
            self.browser_side.send(message)

    def finished_runs(self) -> int:
        """Script runs the server has finished among the held messages."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        return sum(msg.WhichOneof("type") == "script_finished"
                   and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
                   for msg in map(self._parsed, self.held))

    def release(self) -> None:
        self.holding = False
        for message in self.held:
            self.browser_side.send(message)
        self.held.clear()


def _wait(page, condition, what: str) -> None:
    """Let the page's events flow until ``condition()`` holds (the server's messages arrive through
    Playwright's loop), failing after the page timeout."""
    waited = 0
    while not condition():
        if waited > PAGE_TIMEOUT_MS:
            raise AssertionError(f"never: {what}")
        page.wait_for_timeout(50)  # polls a state; the condition, not the time, ends the wait
        waited += 50


def test_a_download_clicked_while_the_page_reruns_gets_its_file(browser, app_server):
    """The manager's open-disputes queue, prepared for download; clicking the queue's button reruns
    the page (st.rerun: a first run stopped before the download button, then a full one). The
    server's messages are held until it has finished rerunning, so the browser still shows the
    previous run's button when it is clicked: the file comes (a function as ``data`` had been
    dropped by then, and the click spun forever)."""
    page = new_page(browser, app_server)
    server = HeldServer(page)
    try:
        login_as(page, "manager")
        open_page(page, "queues")
        page.locator(".st-key-queues_export_disputes_prepare").get_by_role("button").click()
        page.locator(".st-key-queues_export_disputes_csv").get_by_role("button", name="CSV").wait_for()
        wait_for_app(page)
        before = _download(page, "queues_export_disputes_csv", "CSV")

        server.holding = True
        page.locator(".st-key-queues_open_disputes").get_by_role("button").click()
        _wait(page, lambda: server.finished_runs() >= 1, "the server finished rerunning the page")
        during = _download(page, "queues_export_disputes_csv", "CSV")  # the previous run's button
        server.release()
        wait_for_app(page)
        after = _download(page, "queues_export_disputes_csv", "CSV")
    finally:
        page.context.close()
    rows = list(csv.DictReader(io.StringIO(during.decode("utf-8"), newline="")))
    assert rows and "dispute_id" in rows[0]
    assert during == before == after
