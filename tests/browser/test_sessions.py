"""Sessions that survive a reload, and a logout that really ends them (a real browser on serve.py).

After logging in, the browser holds an HttpOnly, SameSite=Strict session cookie (never in the URL,
never readable by the page's script); reloading the page keeps the login. Logging out revokes the
session on the server: a reload shows the login page, and the old cookie, replayed by another
browser, opens nothing. The app's own exposures are checked on the way: ``/_stcore/metrics`` is
closed, and logging out drops the URL's ``?intervention=…``.
"""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from analytics.access.sessions import DEVICE_COOKIE, SESSION_COOKIE
from analytics.access.users import DEMO_PASSWORD

from tests.browser.conftest import PAGE_TIMEOUT_MS, login, new_page, wait_for_app, wait_for_one_login_form

pytestmark = pytest.mark.browser


def _session_cookie(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> dict:
    """The session cookie, once the browser has exchanged its login ticket for it."""
    page.wait_for_function("() => true")  # a tick of the page's own loop
    deadline = timeout_ms
    while deadline > 0:
        for cookie in page.context.cookies():
            if cookie["name"] == SESSION_COOKIE:
                return cookie
        page.wait_for_timeout(100)  # polling the browser's cookie jar for a state, not a fixed sleep
        deadline -= 100
    raise AssertionError("the browser never received its session cookie")


def _logged_in(page) -> bool:
    return page.get_by_role("button", name="Log out").count() == 1


def test_reload_keeps_the_login_and_logout_ends_it(page, browser):
    assert login(page, "manufacturer", DEMO_PASSWORD, at="verification?intervention=NOPE")
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["value"] not in page.url
    assert page.evaluate("() => document.cookie").find(cookie["value"]) == -1  # no script can read it
    names = {c["name"] for c in page.context.cookies()}
    assert DEVICE_COOKIE in names

    page.reload()
    wait_for_app(page)
    page.get_by_role("button", name="Log out").wait_for(state="visible")
    assert "manufacturer" in page.locator('[data-testid="stSidebar"]').inner_text()

    page.get_by_role("button", name="Log out").click()
    wait_for_one_login_form(page)
    assert "intervention=" not in page.url
    page.reload()
    wait_for_one_login_form(page)
    assert not _logged_in(page)

    # the old cookie, replayed by another browser, opens nothing: the session was revoked server-side
    other = new_page(browser, page.base_url)
    try:
        other.context.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
        other.goto(page.base_url)
        wait_for_one_login_form(other)
        assert not _logged_in(other)
    finally:
        other.context.close()


def test_metrics_are_closed(app_server):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{app_server}/_stcore/metrics", timeout=10)
    assert refused.value.code == 404
    with urllib.request.urlopen(f"{app_server}/_stcore/health", timeout=10) as ok:
        assert ok.status == 200
        assert ok.headers["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("origin", [None, "http://evil.example", "same"])
def test_a_made_up_or_foreign_ticket_gets_no_cookie(app_server, origin):
    headers = {} if origin is None else {"Origin": app_server if origin == "same" else origin}
    request = urllib.request.Request(f"{app_server}/_clairvoie/session", data=b"made-up", method="POST",
                                     headers=headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403 and "set-cookie" not in {k.lower() for k in refused.value.headers}


def test_a_station_receives_neither_the_server_path_nor_pages_it_may_not_open(browser, demo_store, tmp_path):
    """Every message the server sends to a station's browser, parsed: no absolute path of the
    app, and no page of the league table or the import (not even in the session's first message).

    The station's session is the first of a freshly started server: the first script run of a
    process is the one Streamlit would wrap in its ``pages/`` folder navigation (serve.py's
    ``no_pages_folder_discovery``), so the check does not depend on which test ran before."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from tests.browser.conftest import ROOT, serve_app

    frames: list[bytes] = []
    with serve_app(demo_store, tmp_path / "server.log") as base:
        pg = new_page(browser, base)
        pg.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
            payload if isinstance(payload, bytes) else payload.encode())))
        try:
            assert login(pg, "station", DEMO_PASSWORD)
            wait_for_app(pg)
            pg.get_by_role("button", name="Log out").wait_for(state="visible")
        finally:
            pg.context.close()
    assert frames
    assert not [f for f in frames if str(ROOT).encode() in f]
    navigations: list[set[str]] = []
    for frame in frames:
        msg = ForwardMsg()
        msg.ParseFromString(frame)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            assert "/" not in msg.new_session.main_script_path
            assert not msg.new_session.app_pages
        elif kind == "navigation":
            navigations.append({p.url_pathname for p in msg.navigation.app_pages})
    # the login page's own navigation first (its one page), then the station's pages
    assert navigations and navigations[0] <= {"", "log_in"}, navigations
    seen = set().union(*navigations)
    assert "queues" in seen and not seen & {"stations", "import_data", "app"}, navigations
