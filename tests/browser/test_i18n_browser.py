"""The language switch in the served app: a link with ``?lang=fr`` opens the login page
in French, the navigation's titles follow the language, and the language survives a page change
through the sidebar and a switch back to English (the parameter then leaves the URL).

AppTest runs one page at a time; only the served app has ``app.py``'s navigation.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DEMO_USERS, PAGE_TIMEOUT_MS, nav_links, open_page, wait_for_app

pytestmark = pytest.mark.browser


def _titles(page) -> set[str]:
    """The navigation's page titles (a link's text also holds its icon's name, on the line before)."""
    return {label.splitlines()[-1].strip() for label in nav_links(page)}


def test_french_link_login_navigation_and_back_to_english(page):
    credentials = DEMO_USERS.get("manager")
    if credentials is None:
        pytest.skip("no demo manager login")
    page.goto(f"{page.base_url}/?lang=fr")
    wait_for_app(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Identifiant").fill(credentials[0])
    form.get_by_label("Mot de passe", exact=True).fill(credentials[1])
    form.get_by_role("button", name="Connexion").click()
    page.get_by_role("button", name="Se déconnecter").wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    wait_for_app(page)

    titles = _titles(page)
    assert {"Vue d'ensemble", "Fiche station", "Litiges", "Territoires", "Politiques", "Définitions"} <= titles
    assert "Overview" not in titles
    page.get_by_role("heading", name="Vue d'ensemble").first.wait_for()

    open_page(page, "territories")  # through the sidebar: the session and the language are kept
    page.get_by_role("heading", name="Territoires").first.wait_for()
    assert "lang=fr" in page.url

    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Territories").first.wait_for()
    wait_for_app(page)
    assert not re.search(r"[?&]lang=", page.url)
    assert "Overview" in _titles(page)
