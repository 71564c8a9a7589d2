"""Browser test harness, modelled on Streamlit's own ``e2e_playwright`` tests.

* ``demo_store`` (session): a small demo store built by the real generator and importer
  (``python -m analytics demo``), shared by every browser test of the worker.
* ``app_server`` (module): ``python -m streamlit run app.py`` on a free port with
  ``CLAIRVOIE_DB`` pointing at that store; one served app per test module.
* ``browser`` (session) / ``page`` (module): Playwright's sync API driving Debian's
  chromium (no browser download), one page reused by the tests of a module.
* :func:`wait_for_app` waits until the script has finished running
  (``[data-testid="stApp"][data-test-script-state="notRunning"]``).
* :func:`login` is the single place a test logs in (filled in by access control); it drops the
  browser's cookies first, so a session cookie from an earlier test does not log it back in.

Screenshots go to ``test-artifacts/screenshots/`` (ignored by git, left in place by CI).
"""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1366, "height": 768}
#: Small on purpose: the browser suite must stay within a few minutes on 2 cores.
DEMO_INTERVENTIONS = int(os.environ.get("CLAIRVOIE_BROWSER_DEMO_SIZE", "3000"))
DEMO_SEED = 7
APP_READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGE_TIMEOUT_MS = 60_000

def _demo_users() -> dict[str, tuple[str, str] | None]:
    """The demo-only users of each role the demo store comes with (README), None if unknown."""
    try:
        from analytics.access.users import DEMO_PASSWORD
    except ImportError:
        return {"manager": None, "manufacturer": None, "station": None}
    return {"manager": ("admin", DEMO_PASSWORD), "manufacturer": ("manufacturer", DEMO_PASSWORD),
            "station": ("station", DEMO_PASSWORD)}


DEMO_USERS = _demo_users()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_demo_store(path: Path, interventions: int = DEMO_INTERVENTIONS, seed: int = DEMO_SEED) -> Path:
    """A small demo store made by ``python -m analytics demo`` (the real generator and importer)."""
    cmd = [sys.executable, "-m", "analytics", "demo", "--interventions", str(interventions),
           "--seed", str(seed), "--db", str(path)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0 or not Path(path).exists():
        raise RuntimeError(f"could not build the demo store ({' '.join(cmd)}):\n{result.stdout}\n{result.stderr}")
    return Path(path)


@contextlib.contextmanager
def serve_app(db_path: Path, log_path: Path, app: str = "serve.py"):
    """Serve ``app`` (default ``serve.py``: app.py with its session route) on a free port with ``CLAIRVOIE_DB=db_path``; yields the base URL."""
    port = _free_port()
    env = {**os.environ, "CLAIRVOIE_DB": str(db_path), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with open(log_path, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{Path(log_path).read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def launch_browser():
    """Debian's chromium through Playwright's sync API (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def new_page(chromium, base_url: str):
    """A 1366×768 page that records every request leaving the machine in ``page.external_requests``."""
    context = chromium.new_context(viewport=VIEWPORT, locale="en-GB")
    pg = context.new_page()
    pg.set_default_timeout(PAGE_TIMEOUT_MS)
    pg.external_requests = []
    pg.on("request", lambda req: pg.external_requests.append(req.url)
          if not _LOCAL.match(req.url) else None)
    pg.base_url = base_url
    return pg


_LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)[:/]|^(data|blob|about):")


@pytest.fixture(scope="session")
def demo_store(demo_store_path) -> Path:
    """The suite's small demo store (``tests/conftest.py``), served read-only."""
    return demo_store_path


@pytest.fixture(scope="module")
def app_server(request, tmp_path_factory):
    """One served app per test module, on the demo store; yields the base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (bash scripts/test.sh installs it)")
    app = os.environ.get("CLAIRVOIE_BROWSER_APP", "serve.py")  # the served app (app.py: plain mode)
    if not (ROOT / app).exists():
        pytest.skip(f"no {app} to serve yet")
    demo_store = request.getfixturevalue("demo_store")  # only built when there is an app to serve
    with serve_app(demo_store, tmp_path_factory.mktemp("streamlit-log") / "server.log", app=app) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    with launch_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def page(browser, app_server):
    """One page reused by the tests of a module."""
    pg = new_page(browser, app_server)
    yield pg
    pg.context.close()


def wait_for_app(page, settle_ms: int = 300) -> None:
    """Wait until the script run is over and the page has settled (no run restarted)."""
    page.wait_for_selector(APP_READY, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(settle_ms)
    page.wait_for_selector(APP_READY, timeout=PAGE_TIMEOUT_MS)


def wait_for_one_login_form(page, settle_ms: int = 300) -> None:
    """Wait until the script run is over and the page shows exactly one login form and no "Log out"
    button (the page being replaced keeps its elements, a second form or the old sidebar included,
    until a run that is not cut short by another has drawn), and still does once settled: a logout's
    run can be followed by another one that draws its form over the old page's elements (seen under
    load: two forms, or the old sidebar's "Log out" button, right after the script state was idle)."""
    one_form = """(ready) => document.querySelector(ready) !== null
                     && document.querySelectorAll('[data-testid="stForm"]').length === 1
                     && ![...document.querySelectorAll('button')].some(b => b.innerText.trim() === 'Log out')"""
    page.wait_for_function(one_form, arg=APP_READY, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(settle_ms)
    page.wait_for_function(one_form, arg=APP_READY, timeout=PAGE_TIMEOUT_MS)


def goto(page, path: str = "", query: str = "") -> None:
    url = f"{page.base_url}/{path.lstrip('/')}" + (f"?{query.lstrip('?')}" if query else "")
    page.goto(url)
    wait_for_app(page)


def login(page, username: str, password: str, at: str = "") -> bool:
    """Log ``page`` in as ``username`` through the real login page; returns whether it worked.

    Opens the app afresh (a new Streamlit session, so any earlier login is gone), fills
    the form of ``ui/auth.py`` and waits for the app. The login lives in the session:
    navigate afterwards with :func:`open_page` (the sidebar), not by reloading a URL.
    ``at``: the path and query to open (a shared link), default the app's home.
    """
    page.context.clear_cookies()  # a session cookie would log the browser straight back in
    page.goto(at if at.startswith("http") else f"{page.base_url}/{at.lstrip('/')}")
    wait_for_app(page)
    if page.locator('[role="dialog"]').count():  # "page not found" before login: the link's page
        page.keyboard.press("Escape")            # exists only once logged in
        page.locator('[role="dialog"]').first.wait_for(state="hidden")
    form = page.locator('[data-testid="stForm"]')
    if not form.count():
        return False
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password", exact=True).fill(password)
    form.get_by_role("button", name="Log in").click()
    try:  # the form's run, then the app's rerun as the logged-in viewer
        page.get_by_role("button", name="Log out").wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: the login was refused
        return False
    wait_for_app(page)
    return True


def login_as_manager(page) -> None:
    """Log in as the demo network manager."""
    login_as(page, "manager")


def login_as(page, role: str) -> None:
    """Log in as the demo user of ``role`` (nothing to do when ``page`` already is), or fail."""
    if getattr(page, "role", None) == role:
        return
    credentials = DEMO_USERS.get(role)
    if credentials is None:
        pytest.skip(f"no login for the {role} role yet (access control not landed)")
    page.role = None
    if not login(page, *credentials):
        pytest.fail(f"could not log in as the demo {role} user {credentials[0]!r}")
    page.role = role


def nav_links(page) -> dict[str, str]:
    """``{label: href}`` of the pages the sidebar navigation offers to the current viewer."""
    links = page.locator('[data-testid="stSidebarNav"] a')
    found = {}
    for i in range(links.count()):
        link = links.nth(i)
        found[link.inner_text().strip()] = link.get_attribute("href")
    return found


def page_slug(href: str) -> str:
    """The url path of a page link (``home`` for the default page)."""
    path = re.sub(r"^https?://[^/]+/?", "", href or "").split("?")[0].strip("/")
    return path or "home"


def open_page(page, slug: str) -> str:
    """Open a page through the sidebar (keeps the session); returns its href.

    ``slug`` is the page's url path, or its label in lower case with ``_`` for spaces
    (the default page's url path is empty). Skips when the navigation does not offer it.
    """
    links = page.locator('[data-testid="stSidebarNav"] a')
    for i in range(links.count()):
        link = links.nth(i)
        href = link.get_attribute("href")
        label = re.sub(r"\s+", "_", link.inner_text().strip().lower())
        if slug in (page_slug(href), label):
            link.click()
            if page_slug(href) != "home":
                page.wait_for_url(re.compile(re.escape(page_slug(href)) + r"(\?|$)"))
            wait_for_app(page)
            return href
    pytest.skip(f"the navigation offers no '{slug}' page: {sorted(nav_links(page))}")


def open_preinvoice(page, month: str, station_id: str, manufacturer_id: str) -> None:
    """Open the pre-invoices page on ``month`` and the pair ``station_id · manufacturer_id``."""
    open_page(page, "preinvoices")
    for label, value in (("Month", month), ("Station · brand", f"{station_id} · {manufacturer_id}")):
        page.get_by_role("combobox", name=label).click()
        page.keyboard.type(value)  # the list is virtualised: filter it, then take the match
        page.get_by_role("option", name=value, exact=True).click()
        wait_for_app(page)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    if not full_page:
        page.screenshot(path=str(path))
        return path
    # Streamlit scrolls inside its main block, not the document: grow the viewport to the
    # content's height for the picture, then restore it.
    height = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]') || document.body;
        return Math.max(main.scrollHeight, document.body.scrollHeight);
    }""")
    size = page.viewport_size or VIEWPORT
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 12_000))})
    page.wait_for_timeout(400)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
    return path
