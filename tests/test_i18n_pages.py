"""Every page in French: the language switch changes every label.

Each page runs twice on the session's small demo store (``demo_store_path``) as a network manager
(AppTest): in English and with ``?lang=fr``. The French run must show the page's French headings
and labels, and none of the English run's headings, captions or metric labels may remain — except
a short allow-list of words that are the same in both languages or are data (ids, names).

Also: every ``t("…")`` literal of ``pages/`` and ``ui/`` (and of ``app.py``) has a French text,
with the same ``{fields}``; the French number/date formatters; the language kept in the URL
through the filters; and the switch drawn once per run.
"""
from __future__ import annotations

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pytest

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from tests.apptest import run_page

ROOT = Path(__file__).resolve().parents[1]
MANAGER = Viewer("admin", Scope.manager(), is_admin=True)

#: Texts that may read the same in both languages: words French shares with English, and data.
SAME_IN_BOTH = {"Stations", "Score", "Interventions", "Performance", "Total", "Version", "Versions",
                "Clairvoie", "Action", "Station", "Documents", "Language / Langue"}
#: Data shown as a heading: a pre-invoice's reference (``PF-S0002-M01-202601-…``).
DATA = re.compile(r"^PF-[\w-]+$")


def _run(page: str, lang: str, db: Path, monkeypatch, viewer: Viewer | None = MANAGER, query: dict | None = None):
    return run_page(page, viewer, db, monkeypatch, {**({"lang": lang} if lang != "en" else {}), **(query or {})})


def _labels(at) -> set[str]:
    """The page's own words: title, headings, captions, metric labels, messages, widget labels."""
    out = set()
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "error", "success"):
        out |= {str(e.value) for e in getattr(at, kind)}
    out |= {m.label for m in at.metric}
    for kind in ("selectbox", "multiselect", "radio", "date_input", "text_input", "text_area", "button"):
        out |= {w.label for w in getattr(at, kind)}
    out |= {e.proto.label for e in at.get("file_uploader")}
    out |= {str(m.value).strip("*# ") for m in at.markdown if str(m.value).startswith(("**", "#"))}
    return {text for text in out if text and not DATA.match(text)}


@pytest.fixture(scope="module")
def pages_en_fr(demo_store_path):
    """Each page run in English and in French, once for the module."""
    mp = pytest.MonkeyPatch()
    try:
        return {page: (_run(f"pages/{page}.py", "en", demo_store_path, mp),
                       _run(f"pages/{page}.py", "fr", demo_store_path, mp))
                for page in PAGES}
    finally:
        mp.undo()


#: page -> French texts its run must show (headings, labels, metric labels, messages).
PAGES = {
    "overview": {"Vue d'ensemble", "Chiffres clés", "Tendances mensuelles", "Parcours", "Filtres"},
    "stations": {"Stations", "Classement", "Fabricant", "Réparé à la première visite / taux de retour"},
    "scorecard": {"Fiche station", "Pourquoi ce score", "Rang", "Montants", "À corriger maintenant",
                  "Comparaison avec les stations comparables"},
    "definitions": {"Définitions", "Indicateurs", "Règles de vérification"},
    "disputes": {"Litiges", "Motifs (Pareto)", "Répartition", "Délais de résolution et issues", "Par",
                 "Évitables par la vérification", "Taux de litige", "Montant contesté"},
    "territories": {"Territoires", "Colorer la carte selon", "Pays", "Régions",
                    "Paramètres de politique par territoire"},
    "policies": {"Politiques", "En vigueur le", "Versions", "Valeurs de base (politique européenne)", "Dérogations",
                 "Politique en vigueur pour un territoire", "Territoire", "Ce que chaque version a changé"},
    "import_data": {"Importer des données", "Fichiers", "Importer"},
    "verification": {"Vérification avant facturation", "Statut", "Chercher une intervention (le code contient)",
                     "Détail de l'intervention", "Code de l'intervention", "Constats", "Rapport", "Documents",
                     "Montant calculé", "Politique appliquée", "Calculé", "Demandé"},
    "preinvoices": {"Pré-factures", "Mois", "Station · marque", "En attente de la réponse de la station",
                    "En attente de la décision du fabricant", "Réglés dans l'échange", "Confirmés"},
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_in_french(page, pages_en_fr):
    english, french = pages_en_fr[page]
    shown_fr = _labels(french)
    missing = {text for text in PAGES[page] if text not in shown_fr}
    assert not missing, f"{page}: French texts not shown: {missing}"
    # no English heading, caption, metric or widget label of the page is left in the French run
    left = (_labels(english) & shown_fr) - SAME_IN_BOTH
    assert not left, f"{page}: still in English in the French run: {left}"
    # the sidebar's switch is there, once, showing French
    switch = [r for r in french.radio if r.key == "i18n_lang_radio"]
    assert len(switch) == 1 and switch[0].value == "fr"
    assert french.query_params["lang"] == ["fr"] or french.query_params["lang"] == "fr"


def test_french_numbers_on_the_disputes_page(pages_en_fr, demo_store_path):
    from analytics.metrics import table as metrics
    from analytics.core import store
    from analytics.core.filters import Filters

    english, french = pages_en_fr["disputes"]
    rate = metrics.metric_table(store.reader(demo_store_path), MANAGER.scope, Filters()).iloc[0]["dispute_rate"]
    shown_en = {m.label: m.value for m in english.metric}
    shown_fr = {m.label: m.value for m in french.metric}
    assert shown_en["Dispute rate"] == f"{100 * rate:.1f} %"
    assert shown_fr["Taux de litige"] == f"{100 * rate:.1f}".replace(".", ",") + "\u202f%"
    # the outcome axis in French; raw outcomes stay in the dispute list's data
    assert "Issue" in french.get("plotly_chart")[-1].proto.spec  # the outcomes chart's axis title


def test_french_login_page(demo_store_path, monkeypatch):
    at = _run("app.py", "fr", demo_store_path, monkeypatch, viewer=None)
    assert [s.value for s in at.subheader] == ["Connexion"]
    assert {t.label for t in at.text_input} == {"Identifiant", "Mot de passe"}
    english = _run("app.py", "en", demo_store_path, monkeypatch, viewer=None)
    assert {t.label for t in english.text_input} == {"Username", "Password"}


def test_french_login_failure(demo_store_path, monkeypatch):
    at = _run("app.py", "fr", demo_store_path, monkeypatch, viewer=None)
    at.text_input(key="clairvoie_login_username").input("nobody")
    at.text_input(key="clairvoie_login_password").input("wrong")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Échec de la connexion : l'identifiant ou le mot de passe est incorrect."]


def test_app_switch_drawn_once_and_language_kept_through_the_filters(demo_store_path, monkeypatch):
    """app.py draws the switch before the navigation; the page's own call is then a no-op (a second
    radio with the same key would raise). Choosing a filter keeps ``lang`` in the URL."""
    at = _run("app.py", "fr", demo_store_path, monkeypatch)
    assert len([r for r in at.radio if r.key == "i18n_lang_radio"]) == 1
    assert at.title[0].value == "Vue d'ensemble"
    box = at.multiselect(key="pk_filter_country")
    box.select(box.options[0]).run()
    assert not at.exception
    assert at.query_params["lang"] in ("fr", ["fr"]) and at.query_params["country"]
    assert at.title[0].value == "Vue d'ensemble"
    # back to English: the parameter leaves the URL, the filter stays
    at.radio(key="i18n_lang_radio").set_value("en").run()
    assert at.title[0].value == "Overview" and "lang" not in at.query_params and at.query_params["country"]


def test_switch_click_changes_the_title_in_the_same_run(demo_store_path, monkeypatch):
    """A page run alone computes its title before drawing the switch: the switch's value is read first."""
    at = _run("pages/territories.py", "en", demo_store_path, monkeypatch)
    assert at.title[0].value == "Territories"
    at.radio(key="i18n_lang_radio").set_value("fr").run()
    assert at.title[0].value == "Territoires" and at.query_params["lang"] in ("fr", ["fr"])


# ---------------------------------------------------------------- every t("...") has a French text

def _t_literals():
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                yield file.relative_to(ROOT).as_posix(), node.lineno, node.args[0].value


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_t_literal_has_a_french_text():
    from ui.i18n import FR

    literals = list(_t_literals())
    assert len(literals) > 150  # the pages really go through t()
    missing = [(f, line, text) for f, line, text in literals if text not in FR]
    assert not missing, missing
    # the French text keeps the English one's {fields}, and is a real translation (accents, words)
    for _, _, text in literals:
        assert _fields(FR[text]) == _fields(text), text


def _source_value(path: Path, name: str):
    """A module-level constant read from the source (``app.py`` runs the app when imported)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", None) == name for t in targets):
                return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not in {path}")


def test_texts_passed_through_t_by_name_have_a_french_text():
    """Labels shown through ``t(variable)``: page titles and sections, filter and role labels, the
    login notices, conversation states, actions and entry kinds, the catalog's kinds and directions."""
    from analytics.access import auth as auth_mod
    from analytics.conversation import threads as cv
    from analytics.catalog import METRICS
    from ui import auth, pagekit, threads
    from ui.i18n import FR

    texts = {text for _, title, _, section in _source_value(ROOT / "app.py", "PAGES") for text in (title, section)}
    texts |= set(pagekit._FILTER_LABELS.values()) | set(auth.ROLE_LABELS.values()) | set(auth._ENDED.values())
    texts |= {auth_mod.FAILED_MESSAGE} | set(threads.STATE_LABELS.values()) | set(threads.ACTION_LABELS.values())
    texts |= set(cv.KIND_LABELS.values()) | {m.kind for m in METRICS} | {m.better for m in METRICS if m.better}
    texts -= {"Stations", "Station"}  # the same word in French (FR has them anyway)
    missing = sorted(t for t in texts if t not in FR)
    assert not missing, missing


# ---------------------------------------------------------------- formatters

@pytest.fixture
def french(monkeypatch):
    import streamlit as st

    monkeypatch.setattr(st, "session_state", {"clairvoie_lang": "fr"})
    yield


def test_french_formatters(french):
    from ui.i18n import fmt_amount, fmt_date, fmt_percent, outcome_label, status_label

    assert fmt_amount(1234.5) == "1\u202f234,50 €"
    assert fmt_percent(0.125) == "12,5\u202f%"
    assert fmt_percent(None) == "—"
    assert fmt_date(dt.date(2026, 11, 29)) == "29/11/2026"
    assert fmt_date("2026-01-05") == "05/01/2026"
    assert status_label("blocked") == "bloqué" and status_label("review") == "à vérifier"
    assert status_label("something else") == "something else"  # data stays verbatim
    assert outcome_label("manufacturer") == "fabricant"


def test_english_formatters(monkeypatch):
    import streamlit as st

    from ui.i18n import fmt_date, fmt_percent, outcome_label, status_label

    monkeypatch.setattr(st, "session_state", {"clairvoie_lang": "en"})
    assert fmt_percent(0.125) == "12.5 %"
    assert fmt_date(dt.date(2026, 11, 29)) == "2026-11-29"
    assert status_label("blocked") == "blocked" and outcome_label("manufacturer") == "manufacturer"


# ---------------------------------------------------------------- the conversation under a finding

def _thread_script():
    import streamlit as st

    from ui.pagekit import current_viewer, open_store
    from ui.threads import render_counters, render_thread

    viewer = current_viewer()
    render_counters(open_store(), viewer)
    render_thread(st.session_state["finding"], None, viewer)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_thread_in_french(lang, demo_store_path, monkeypatch):
    """A station's view of a DOC_MISSING finding (read only: nothing is submitted)."""
    from streamlit.testing.v1 import AppTest

    from analytics.core import store
    from ui.auth import VIEWER_KEY

    rows = store.reader(demo_store_path).execute(
        "SELECT f.intervention_id, f.doc_type, i.station_id FROM findings f JOIN interventions i USING "
        "(intervention_id) WHERE f.code = 'DOC_MISSING' ORDER BY f.intervention_id LIMIT 1").fetchall()
    iid, doc_type, station = rows[0]
    monkeypatch.setenv("CLAIRVOIE_DB", str(demo_store_path))
    at = AppTest.from_function(_thread_script, default_timeout=60)
    at.session_state[VIEWER_KEY] = Viewer("s", Scope("station", station_id=station))
    at.session_state["finding"] = {"intervention_id": iid, "code": "DOC_MISSING", "doc_type": doc_type}
    if lang == "fr":
        at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    action = next(r for r in at.radio if r.key != "i18n_lang_radio")
    if lang == "fr":
        assert action.label == "Action" and action.options == ["justifier", "document envoyé", "commentaire"]
        assert [a.label for a in at.text_area] == ["Motif ou message"]
        assert [d.label for d in at.date_input] == ["Date d'envoi du document (pour « document envoyé »)"]
        assert {m.label for m in at.metric} == {"En attente de la réponse de la station", "Confirmés",
                                                "En attente de la décision du fabricant", "Réglés dans l'échange"}
    else:
        assert action.options == ["justify", "document sent", "comment"]
        assert [a.label for a in at.text_area] == ["Reason or message"]


def test_preinvoice_prose_in_french(pages_en_fr):
    """The statement's lines around the data: station and brand, totals, the performance adjustment."""
    english, french = pages_en_fr["preinvoices"]
    prose = "\n".join(str(m.value).replace("\\", "") for m in french.markdown)
    assert "Station S" in prose and "Fabricant M" in prose
    assert "Ajustement de performance" in prose and "Performance adjustment" not in prose
    english_prose = "\n".join(str(m.value).replace("\\", "") for m in english.markdown)
    assert "Performance adjustment" in english_prose
    # the totals: the same figures, written the French way (1 234,56)
    totals_en = [m.value for m in english.metric if m.label.startswith("Total")]
    totals_fr = [m.value for m in french.metric if m.label.startswith("Total")]
    assert totals_fr == [v.replace(",", "\u202f").replace(".", ",") for v in totals_en]
