"""The dashboard people work in (issue 15), in a real browser, one story per test: the view
follows the user from page to page, a shared link opened before login lands on its page in its
language, each work-queue counter opens a list of exactly that many rows, a click on a chart
filters the page, a French user sees no English word. (Every page of every role at 1366 px and
1920 px is drawn and kept as a screenshot by tests/browser/test_pages_browser.py.)"""
from __future__ import annotations

import re

import pytest
from analytics.access.users import DEMO_PASSWORD

from tests.browser.conftest import DEMO_USERS, PAGE_TIMEOUT_MS, login_as, nav_links, open_page, page_slug, wait_for_app

pytestmark = pytest.mark.browser


def _sidebar_multiselect(page, label: str):
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text=label)


def _choose(page, label: str, value: str) -> None:
    """Pick ``value`` in the sidebar's multiselect ``label`` and wait for the run it starts."""
    box = _sidebar_multiselect(page, label)
    box.locator("input").click()  # the list opens; typing narrows it to the option, Enter picks it
    page.keyboard.type(value)
    page.get_by_role("option", name=value, exact=True).wait_for(state="visible")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    box.locator(f'[data-tag][aria-label="{value}"]').wait_for(state="attached")
    wait_for_app(page)


def _chosen(page, label: str) -> list[str]:
    tags = _sidebar_multiselect(page, label).locator("[data-tag]")
    return [tags.nth(i).get_attribute("aria-label") for i in range(tags.count())]


def _grid_rows(page, key: str, other_than: int | None = None) -> int:
    """Rows of the data grid of ``st.dataframe(key=key)`` (its aria-rowcount counts the header);
    with ``other_than``, once the grid has been redrawn with another count."""
    selector = f'.st-key-{key} [role="grid"]'
    page.locator(selector).wait_for(state="attached")
    if other_than is not None:
        page.wait_for_function(
            "([sel, n]) => { const g = document.querySelector(sel); "
            "return g && Number(g.getAttribute('aria-rowcount')) - 1 !== n; }", arg=[selector, other_than])
    return int(page.locator(selector).get_attribute("aria-rowcount")) - 1


def test_a_shared_link_opened_before_login_lands_on_its_page_in_its_language(browser, app_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.goto(f"{app_server}/territories?lang=fr&country=DE")
        wait_for_app(page)
        assert page.locator('[role="dialog"]').count() == 0  # no "Page not found" box
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no page names before login
        form = page.locator('[data-testid="stForm"]')
        form.get_by_label("Identifiant").fill(DEMO_USERS["manager"][0])
        form.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
        form.get_by_role("button", name="Connexion").click()
        page.get_by_role("button", name="Se déconnecter").wait_for(state="visible")
        wait_for_app(page)
        assert re.search(r"/territories\?", page.url) and "lang=fr" in page.url and "country=DE" in page.url
        assert page.locator("h1").first.inner_text().strip() == "Territoires"
        assert _chosen(page, "Pays") == ["DE"]
    finally:
        context.close()


def test_a_filter_set_on_one_page_is_kept_on_the_next(page):
    login_as(page, "manager")
    open_page(page, "home")  # the Overview, the default page
    _choose(page, "Country", "DE")
    assert "country=DE" in page.url
    for slug in ("disputes", "territories", "queues"):
        open_page(page, slug)
        assert "country=DE" in page.url, slug
        assert _chosen(page, "Country") == ["DE"], slug
    # removing it is kept too
    _sidebar_multiselect(page, "Country").get_by_role("button", name="Remove DE").click()
    wait_for_app(page)
    open_page(page, "home")  # the Overview, the default page
    assert "country=" not in page.url and _chosen(page, "Country") == []


def test_each_counter_opens_a_list_of_exactly_that_many_rows(page):
    login_as(page, "station")
    open_page(page, "queues")
    for queue in ("answer", "decision", "disputes"):
        button = page.locator(f".st-key-queues_open_{queue} button").first
        count = int(re.sub(r"\D", "", button.inner_text().rsplit("·", 1)[1]))
        button.click()
        page.wait_for_url(re.compile(f"queue={queue}"))
        wait_for_app(page)
        if count == 0:
            assert page.get_by_text("Nothing waits here").count() == 1
        else:
            assert _grid_rows(page, f"queues_list_{queue}") == count, queue


def _click_at(page, box: dict, x: float, y: float) -> None:
    page.mouse.click(box["x"] + x, box["y"] + y)
    wait_for_app(page)


def _click_bar(page, bar) -> None:
    """A real click in the middle of a plotly bar (plotly's drag layer lies over the bars, so the
    mouse clicks the point rather than the element)."""
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    _click_at(page, {"x": 0, "y": 0}, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_a_click_on_a_pareto_bar_filters_the_list_and_can_be_removed(page):
    login_as(page, "manager")
    open_page(page, "disputes")
    total = _grid_rows(page, "disputes_list")
    bar = page.locator(".st-key-disputes_pareto .bars path").nth(0)  # the biggest reason
    label = page.locator(".st-key-disputes_pareto .xtick text").nth(0).text_content()
    _click_bar(page, bar)
    assert "reason=" in page.url
    chip = page.locator(".st-key-disputes_reason_clear button").first
    assert label in chip.inner_text()
    shown = _grid_rows(page, "disputes_list", other_than=total)
    assert 0 < shown < total
    # the reason is combined with a territory filter, and kept when the page changes
    open_page(page, "territories")
    assert "reason=" in page.url
    open_page(page, "disputes")
    assert _grid_rows(page, "disputes_list") == shown
    chip.click()
    wait_for_app(page)
    assert "reason=" not in page.url and _grid_rows(page, "disputes_list", other_than=shown) == total


def test_a_click_on_a_country_shows_its_regions(page):
    login_as(page, "manager")
    open_page(page, "territories")
    assert page.get_by_text("Regions of Germany").count() == 0
    plot = page.locator(".st-key-territories_map .js-plotly-plot")
    plot.scroll_into_view_if_needed()
    # where Germany's middle is drawn (plotly's map projection), then a real click there
    point = plot.evaluate("gd => gd._fullLayout.map._subplot.map.project([10.4, 51.1])")
    frame = page.locator(".st-key-territories_map .js-plotly-plot .mapboxgl-canvas, "
                         ".st-key-territories_map .js-plotly-plot .maplibregl-canvas").first.bounding_box()
    _click_at(page, frame, point["x"], point["y"])
    assert "country=DE" in page.url
    page.get_by_role("heading", name="Regions of Germany").wait_for(state="visible")
    bars = page.locator(".st-key-territories_regions_chart .bars path")
    assert bars.count() > 0
    _click_bar(page, bars.nth(0))
    assert "region=" in page.url
    page.get_by_role("heading", name=re.compile("^Stations of ")).wait_for(state="visible")
    # the path back: Europe removes the country and the region
    page.locator(".st-key-territories_path_Europe button").first.click()
    wait_for_app(page)
    assert "country=" not in page.url and "region=" not in page.url


_WORD = re.compile(r"[A-Za-zÀ-ÿ]{5,}")


def _words(page) -> set[str]:
    """The words (5 letters or more) the app shows: text, tables' accessible cells, charts' axes and legends."""
    # icons are ligatures ("download", "block"; in a label's markdown, a span role="img" named "… icon"):
    # glyph names, not words a reader sees; a data grid's
    # accessible table holds column ids, not the headers drawn on its canvas (those are checked by
    # tests/test_i18n_pages.py): both hidden while the text is read (innerText skips what is not
    # displayed and separates blocks)
    text = page.evaluate("""() => {
        const style = document.createElement('style');
        style.textContent = '[data-testid="stIconMaterial"], [role="img"][aria-label$=" icon"], '
            + '[data-testid="stDataFrame"] table '
            + '{ display: none !important; }';
        document.head.appendChild(style);
        const text = document.querySelector('[data-testid="stApp"]').innerText;
        style.remove();
        return text;
    }""")
    # charts' axis and legend texts as drawn (plotly keeps unused text nodes, hidden, in its SVG)
    text += " " + " ".join(page.locator(".main-svg .xtick text, .main-svg .ytick text, .main-svg .g-xtitle text, "
                                        ".main-svg .g-ytitle text, .main-svg .legendtext").all_text_contents())
    return {w.lower() for w in _WORD.findall(text)}


def _french_vocabulary() -> set[str]:
    """Every word of the app's French texts (pages, column headers, catalog)."""
    from analytics.catalog import FR as CATALOG_FR
    from ui.i18n import COLUMN_FR, FR, OUTCOME_FR, STATUS_FR

    texts = [*FR.values(), *COLUMN_FR.values(), *CATALOG_FR.values(), *STATUS_FR.values(), *OUTCOME_FR.values()]
    return {w.lower() for text in texts for w in _WORD.findall(str(text))}


def _switch_language(page, label: str) -> None:
    """Switch the language and wait for the page drawn in it (its navigation's Overview link)."""
    page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True).click()
    overview = {"English": "Overview", "Français": "Vue d'ensemble"}[label]
    page.locator('[data-testid="stSidebarNav"]').get_by_text(overview, exact=True).wait_for(state="visible")
    wait_for_app(page)


def test_a_french_user_sees_no_english_word_on_any_page(page):
    """English words are collected from the English pages as the words that go away when the page
    is switched to French (data — names, ids — stays in both and cancels out); then no French page
    may show any of them (a word translated on one page but left in English on another)."""
    login_as(page, "manager")
    slugs = [page_slug(h) for h in nav_links(page).values()]
    _switch_language(page, "English")
    english, french = set(), {}
    language = "English"
    for slug in slugs:
        # each page is opened in the language the previous one was left in, read, switched and read
        # again: two runs per page, and the switch is tried both ways (English to French, back)
        open_page(page, slug)
        first = _words(page)
        language = "Français" if language == "English" else "English"
        _switch_language(page, language)
        second = _words(page)
        # a switch must not break the page (a widget's label sent back in the other language)
        assert page.locator('[data-testid="stException"]').count() == 0, (slug, language)
        en, fr = (first, second) if language == "Français" else (second, first)
        english |= en - fr
        french[slug] = fr
    _switch_language(page, "English")
    english -= _french_vocabulary()  # "interventions", "document", "table" are French words too
    left = {slug: sorted(english & words) for slug, words in french.items() if english & words}
    assert not left, "English words on French pages: " + repr(left)
