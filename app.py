"""Clairvoie: the Streamlit entry point (``streamlit run app.py``).

First start: when no store exists, the demo store is built (with a progress bar). Then the
viewer logs in (:func:`ui.auth.require_viewer`) and ``st.navigation`` lists the pages that
viewer's role may open (:func:`analytics.auth.may_open`: a station has no league table and no
import; only managers import). Every page repeats the check through the same function, so a
hidden page opened by its URL is refused too.

``require_viewer`` is called here only while nobody is logged in (it shows the login page and
stops the run). Once a viewer is in the session, the page asks it (``ui.pagekit.start_page`` /
``current_viewer``, or ``require_viewer`` directly): expiry and revocation are then checked once
per run, and the sidebar's logout button is drawn once — a second ``require_viewer`` in the same
run would draw it twice (``StreamlitDuplicateElementKey``), whichever way the page asks.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics.engine import models
from analytics.core import store
from analytics.engine import publishing
from analytics.access.auth import may_open
from analytics.core.config import default_db_path
from analytics.access.viewer import Viewer
from analytics.demo import build_demo_store
from ui.auth import VIEWER_KEY, asked_page, require_viewer
from ui.i18n import fmt_number, language_switch, t

# An emoji favicon is an inline SVG; a ":material/...:" one is fetched from fonts.gstatic.com,
# which breaks the offline rule (the browser tests catch any request leaving the machine).
st.set_page_config(page_title="Clairvoie", page_icon="🔧", layout="wide")

PAGES_DIR = Path(__file__).resolve().parent / "pages"
#: (file stem, title, icon, section) in menu order; titles and sections are shown through ``t``.
PAGES = (
    ("queues", "Work queues", ":material/inbox:", "Work"),
    ("overview", "Overview", ":material/dashboard:", "Performance"),
    ("stations", "Stations", ":material/leaderboard:", "Performance"),
    ("scorecard", "Scorecard", ":material/assignment_ind:", "Performance"),
    ("verification", "Verification", ":material/fact_check:", "Invoices"),
    ("preinvoices", "Pre-invoices", ":material/receipt_long:", "Invoices"),
    ("disputes", "Disputes", ":material/gavel:", "Invoices"),
    ("territories", "Territories", ":material/map:", "Network"),
    ("policies", "Policies", ":material/policy:", "Network"),
    ("import_data", "Import", ":material/upload_file:", "Data"),
    ("definitions", "Definitions", ":material/menu_book:", "Data"),
)
DEMO_INTERVENTIONS = 200_000


def ensure_demo_store(path: Path) -> None:
    """Build the demo store at ``path`` when there is none, with a visible progress bar."""
    if path.exists():
        return
    st.title("Clairvoie")
    st.info(t("First start: building the demo store ({count} interventions). This takes a few minutes, once.")
            .format(count=fmt_number(DEMO_INTERVENTIONS)))
    bar = st.progress(0.0, text=t("Starting…"))

    def progress(done, total, message=""):
        bar.progress(min(max(done / total if total else 0.0, 0.0), 1.0), text=str(message or t("Building…")))

    build_demo_store(path, interventions=DEMO_INTERVENTIONS, progress=progress)
    bar.progress(1.0, text=t("Done"))
    st.rerun()


WANTED_PAGE_KEY = "clairvoie_wanted_page"


def main() -> None:
    path = default_db_path()
    language_switch()  # drawn before the navigation (its titles follow it); the page's call is then a no-op
    ensure_demo_store(path)
    if not models.is_current(store.reader(path)):  # a store built by an older release
        with st.spinner(t("Updating the store's figures to this version of Clairvoie…")):
            publishing.ensure_current(path)
    viewer = st.session_state.get(VIEWER_KEY)
    if not isinstance(viewer, Viewer):
        # A shared link (/territories?country=AT) passes through the login page, whose one-page
        # navigation would forget the page: remember it, and go there once logged in.
        st.session_state.setdefault(WANTED_PAGE_KEY, asked_page() or "")
        require_viewer(path)  # the login page: stops the run until someone is logged in
        st.rerun()  # logged in (company account): draw the app, the page asks for the viewer
    sections: dict[str, list] = {}
    for stem, title, icon, section in PAGES:
        file = PAGES_DIR / f"{stem}.py"
        if file.exists() and may_open(viewer.role, stem):
            sections.setdefault(t(section), []).append(
                st.Page(str(file), title=t(title), icon=icon, url_path=stem, default=stem == "overview"))
    current = st.navigation(sections)
    wanted = st.session_state.pop(WANTED_PAGE_KEY, "")
    allowed = {p.url_path: p for pages in sections.values() for p in pages}
    if wanted and wanted != current.url_path and wanted in allowed:
        st.switch_page(allowed[wanted], query_params=st.query_params.to_dict())
    current.run()


main()
