"""Every page in a real browser (Playwright + Debian chromium) against the served app.

For each role: every page the navigation offers loads with no ``stException``, its charts
are drawn (plotly SVG, the map's coloured countries counted on its canvas), a screenshot at
1366 px (and for the manager, who opens every page, one at 1920 px) is saved under
``test-artifacts/screenshots/`` (kept by CI), and nothing is fetched from outside the machine.
"""
from __future__ import annotations

import io
import re

import pytest

from tests.browser.conftest import VIEWPORT, DEMO_USERS, login, new_page, page_slug, login_as, nav_links, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

ROLES = ("manager", "manufacturer", "station")
#: Whose pages are also pictured 1920 px wide: the manager opens every page (the other roles open the
#: same pages with fewer rows), and each wide picture costs a resize and a full-page screenshot.
WIDE_SCREENSHOT_ROLES = ("manager",)
EXCEPTION = '[data-testid="stException"]'
PLOTLY = ".js-plotly-plot"


def _charts_drawn(page) -> int:
    """Wait for every plotly chart of the page to be drawn; returns how many there are."""
    charts = page.locator(PLOTLY)
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.locator("svg.main-svg").first.wait_for(state="attached")
    return charts.count()


def test_disputes_charts_are_drawn(page):
    login_as(page, "manager")
    open_page(page, "disputes")
    assert not page.locator(EXCEPTION).count()
    assert _charts_drawn(page) >= 2
    # the Pareto's bars are drawn as SVG paths with a size
    bars = page.locator(f"{PLOTLY} g.barlayer g.point path")
    assert bars.count() >= 2
    box = bars.first.bounding_box()
    assert box and box["height"] > 0


def _coloured_regions(png: bytes) -> int:
    """Distinct strongly coloured fills on a map image (grey "no value" and white excluded)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int32).reshape(-1, 3)
    coloured = pixels[pixels.max(axis=1) - pixels.min(axis=1) >= 40]  # white, grey, black: not data colours
    _, counts = np.unique(coloured // 12, axis=0, return_counts=True)
    return int((counts >= 150).sum())


def test_map_has_coloured_regions(page):
    login_as(page, "manager")
    open_page(page, "territories")
    assert not page.locator(EXCEPTION).count()
    the_map = page.locator(PLOTLY).filter(has=page.locator("canvas")).first
    the_map.scroll_into_view_if_needed()
    the_map.locator("canvas").first.wait_for(state="visible")
    page.wait_for_timeout(1500)  # MapLibre paints after the plot is attached
    regions = _coloured_regions(the_map.screenshot())
    assert regions >= 3, f"the map shows {regions} coloured regions"
    screenshot(page, "manager-territories-map", full_page=False)


def test_filtered_url_reproduces_view(page):
    """A filtered view's URL, opened in a fresh page, shows the same figures."""
    login_as(page, "manager")
    open_page(page, "territories")
    countries_select = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text=re.compile("Countr|Pays"))
    if not countries_select.count():
        pytest.skip("no country filter in the sidebar yet")
    box = countries_select.first.get_by_role("combobox")
    box.click()
    box.press("ArrowDown")  # open the list (react-aria combobox) and pick its first option
    box.press("Enter")
    page.keyboard.press("Escape")
    wait_for_app(page, settle_ms=800)
    url = page.url
    assert "?" in url, "the filter did not reach the URL"
    table = page.locator('[data-testid="stDataFrame"]').first.inner_text()
    fresh = new_page(page.context.browser, page.base_url)
    try:
        assert login(fresh, *DEMO_USERS["manager"], at=url)
        assert fresh.url == url
        assert fresh.locator('[data-testid="stDataFrame"]').first.inner_text() == table
    finally:
        fresh.context.close()


def test_readme_screenshot_of_the_scorecard(page):
    """The README's screenshot: the scorecard at 1366×768 (``scripts/screenshots.py`` refreshes
    ``docs/screenshots/scorecard.png`` the same way)."""
    login_as(page, "manager")
    open_page(page, "scorecard")
    assert not page.locator(EXCEPTION).count()
    _charts_drawn(page)
    page.evaluate("""() => {  // Streamlit scrolls its main block, not the window
        window.scrollTo(0, 0);
        const main = document.querySelector('[data-testid="stMain"]');
        if (main) main.scrollTo(0, 0);
    }""")
    page.wait_for_timeout(500)
    target = screenshot(page, "readme-scorecard", full_page=False)  # scripts/screenshots.py copies it to docs/
    assert target.stat().st_size > 10_000


# Last: the manager tests above share one login; each role then logs in once.
@pytest.mark.parametrize("role", ROLES)
def test_every_page_loads_for_role(page, role):
    login_as(page, role)
    links = nav_links(page)
    assert links, "the sidebar navigation lists no page"
    problems = []
    for label, href in links.items():
        slug = page_slug(href)
        open_page(page, slug if slug != "home" else re.sub(r"\s+", "_", label.lower()))
        if page.locator(EXCEPTION).count():
            problems.append(f"{slug}: {page.locator(EXCEPTION).first.inner_text()[:500]}")
            continue
        _charts_drawn(page)
        page.wait_for_timeout(300)
        screenshot(page, f"1366_{role}_{slug}")
        if role not in WIDE_SCREENSHOT_ROLES:
            continue
        # the same page on a wide screen (a resize lays the page out again, no rerun): kept for a
        # person to check that no value or button is cut at either width
        page.set_viewport_size({"width": 1920, "height": 900})
        _charts_drawn(page)
        page.wait_for_timeout(300)
        screenshot(page, f"1920_{role}_{slug}")
        page.set_viewport_size(VIEWPORT)
    assert not problems, "\n".join(problems)
    assert not page.external_requests, f"requests left the machine: {page.external_requests}"
