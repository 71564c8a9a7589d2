"""Logging in through the real login page as each demo user, and what each one sees.

The demo store comes with one demo-only user per role (README "Roles and users"). For each:
log in with the form of ``ui/auth.py``, check the navigation offers exactly the pages of the
role (a station has no league table and no import; only a manager imports), open every page
it offers and check that no other station's name or id shows for a station user, then log out.
"""
from __future__ import annotations

import re

import pytest

from analytics.core import store
from analytics.access.users import DEMO_PASSWORD

from tests.browser.conftest import login, nav_links, open_page, page_slug, screenshot, wait_for_app, wait_for_one_login_form

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_users(demo_store) -> dict:
    con = store.reader(demo_store)
    try:
        users = {r[0]: r[1:] for r in con.execute(
            "SELECT username, role, manufacturer_id, station_id FROM users").fetchall()}
        stations = dict(con.execute("SELECT station_id, name FROM stations").fetchall())
    finally:
        con.close()
    return {"users": users, "stations": stations}


def _body(page) -> str:
    return page.locator('[data-testid="stApp"]').inner_text()


def _logged_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    wait_for_one_login_form(page)


def _refused(page, username: str, password: str) -> str:
    """Submit the login form with wrong credentials; the error text shown."""
    page.context.clear_cookies()
    page.goto(page.base_url)
    wait_for_one_login_form(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password", exact=True).fill(password)
    form.get_by_role("button", name="Log in").click()
    error = page.locator('[data-testid="stAlert"]').filter(has_text="Login failed")
    error.wait_for(state="visible")
    return error.inner_text()


def test_wrong_password_gets_no_hint_then_login_works(page, demo_users):
    if "station" not in demo_users["users"]:
        pytest.skip("the demo store has no demo users")
    wrong_password = _refused(page, "station", "not the password")
    unknown_user = _refused(page, "nobody-at-all", DEMO_PASSWORD)
    assert wrong_password == unknown_user
    assert "the username or the password is not right" in wrong_password
    assert login(page, "station", DEMO_PASSWORD)
    _logged_out(page)


@pytest.mark.parametrize("username", ["admin", "manufacturer", "station", "station2"])
def test_each_demo_user_sees_its_pages_only(page, demo_users, username):
    info = demo_users["users"].get(username)
    if info is None:
        pytest.skip(f"the demo store has no user {username!r}")
    role, _manufacturer_id, station_id = info
    assert login(page, username, DEMO_PASSWORD), f"could not log in as {username}"
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert username in sidebar  # who is logged in
    links = nav_links(page)
    slugs = {page_slug(href) for href in links.values()}
    assert slugs, "the navigation offers no page"
    has_import = any("import" in s for s in slugs)
    has_league = any(re.fullmatch(r"stations?", s) for s in slugs)
    assert has_import == (role == "manager"), f"{username} ({role}) navigation: {sorted(slugs)}"
    if role == "station":
        assert not has_league, f"a station has no league table: {sorted(slugs)}"
    screenshot(page, f"login_{username}_home", full_page=False)

    if role == "station":
        own_name = demo_users["stations"].get(station_id)
        # a name the station shares with others (demo names repeat per city) is its own too
        others = {sid: name for sid, name in demo_users["stations"].items() if sid != station_id}
        others_names = {n for n in others.values() if n != own_name and len(n) >= 6}
        pattern = re.compile("|".join(
            [re.escape(n) for n in sorted(others_names, key=len, reverse=True)]
            + [rf"(?<![\w-]){re.escape(s)}(?![\w-])" for s in others]))
        for slug in sorted(slugs):
            open_page(page, slug)
            text = _body(page)
            found = pattern.search(text)
            assert found is None, f"{username} sees {found.group(0)!r} on page {slug!r}"
            exceptions = page.locator('[data-testid="stException"]')
            assert exceptions.count() == 0, f"exception on {slug}: {exceptions.first.inner_text()[:300]}"
    # waits until the page shows exactly one login form and no "Log out" button, and still does once
    # settled (the page opened last may rerun once more under load, its old elements shown meanwhile)
    _logged_out(page)
    assert page.get_by_role("button", name="Log out").count() == 0
    assert page.locator('[data-testid="stForm"]').first.get_by_label("Username").count() == 1
