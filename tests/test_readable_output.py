"""Readable output in both languages (issue 15, items 6 and 7).

* Every page's tables, run in English and in French (AppTest, a network manager, the session's
  demo store): no header is a column's snake_case name, a French header is not the English one
  (but for the few words both languages share), and hand-checked headers of each page read as
  written here.
* The one formatting map (``ui.i18n``): table cells, months, widget options across a language
  switch, the labelled columns of the downloads, the findings' explanations in French.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import pytest

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from tests.apptest import run_page

MANAGER = Viewer("admin", Scope.manager(), is_admin=True)
#: Headers French writes as English does.
SAME_IN_BOTH = {"Interventions", "Intervention", "Station", "Stations", "Score", "Code", "Contribution", "Document",
                "Gain", "Version", "Total", "Message", "Table"}
#: page (and URL query) -> {column: (English header, French header)}, written by hand.
EXPECTED = {
    ("overview", ()): {"month": ("Month", "Mois"), "first_time_fix_rate": ("First-time fix rate",
                                                                          "Réparé à la première visite"),
                       "requested_amount_eur": ("Requested amount (€)", "Montant demandé (€)"),
                       "stage": ("Stage", "Étape")},
    ("stations", ()): {"station_id": ("Station", "Station"), "name": ("Name", "Nom"), "country": ("Country", "Pays")},
    ("scorecard", ()): {"percentile_rank": ("Percentile rank", "Rang centile"), "weight": ("Weight", "Poids"),
                        "q1": ("1st quartile", "1er quartile"), "withheld": ("Withheld", "Masqué")},
    ("verification", ()): {"intervention_id": ("Intervention", "Intervention"), "status": ("Status", "Statut"),
                           "completed_on": ("Completed on", "Terminé le"), "explanations": ("Explanations",
                                                                                              "Explications"),
                           "field": ("Field", "Champ"), "component": ("Component", "Composante"),
                           "key": ("Parameter", "Paramètre"), "level": ("Level", "Niveau")},
    ("disputes", ()): {"reason_label": ("Reason", "Motif (libellé)"), "disputes_before": ("Disputes before",
                                                                                         "Litiges avant"),
                       "opened_on": ("Opened on", "Ouvert le"), "disputed_amount": ("Disputed amount",
                                                                                   "Montant contesté")},
    ("queues", (("queue", "answer"),)): {"waiting_since": ("Waiting since", "En attente depuis"),
                                         "days_waiting": ("Days waiting", "Jours d'attente"),
                                         "severity": ("Severity", "Gravité")},
    ("queues", (("queue", "disputes"),)): {"days_open": ("Days open", "Jours ouvert"),
                                           "dispute_id": ("Dispute", "Litige")},
    ("policies", ()): {"valid_from": ("Valid from", "Début"), "base value": ("Base value", "Valeur de base"),
                       "from": ("From (level)", "Origine"), "tier_no": ("Tier", "Palier")},
    ("territories", ()): {"labor_rate_per_hour": ("Labour rate per hour", "Taux horaire main-d'œuvre"),
                          "region": ("Region", "Région")},
    ("preinvoices", ()): {"left out": ("Left out", "Écartées"), "completed_on": ("Completed on", "Terminé le")},
    ("definitions", ()): {"definition": ("Definition", "Définition"), "better": ("Better", "Meilleur si")},
}


def _headers(at) -> dict:
    """column -> the header its table shows (its column_config label, else its name); hidden columns left out."""
    shown = {}
    for table in at.dataframe:
        config = json.loads(table.proto.columns) if table.proto.columns else {}
        for column in table.value.columns:
            settings = config.get(str(column), {})
            if not settings.get("hidden"):
                shown.setdefault(column, settings.get("label") or str(column))
    return shown


@pytest.fixture(scope="module")
def page_headers(demo_store_path):
    mp = pytest.MonkeyPatch()
    try:
        out = {}
        for page, query in EXPECTED:
            for lang in ("en", "fr"):
                params = {**dict(query), **({"lang": "fr"} if lang == "fr" else {})}
                out[(page, query, lang)] = _headers(run_page(f"pages/{page}.py", MANAGER, demo_store_path, mp, params))
        return out
    finally:
        mp.undo()


@pytest.mark.parametrize("page,query", list(EXPECTED))
def test_table_headers_read_as_words_in_each_language(page, query, page_headers):
    english, french = page_headers[(page, query, "en")], page_headers[(page, query, "fr")]
    assert english and french, f"{page}: no table drawn"
    for lang, headers in (("en", english), ("fr", french)):
        snake = sorted(h for h in headers.values() if "_" in h or h[:1].islower())
        assert not snake, f"{page} ({lang}): headers that are column names: {snake}"
    untranslated = sorted(h for c, h in french.items() if english.get(c) == h and h not in SAME_IN_BOTH)
    assert not untranslated, f"{page}: French headers left in English: {untranslated}"
    for column, (en, fr) in EXPECTED[(page, query)].items():
        assert (english.get(column), french.get(column)) == (en, fr), (page, column)


# ---------------------------------------------------------------- the formatting map

@pytest.fixture
def lang(monkeypatch):
    """Set the session's language for ``ui.i18n`` (outside a script run)."""
    import streamlit as st

    state = {}
    monkeypatch.setattr(st, "session_state", state)
    monkeypatch.setattr(st, "query_params", {})

    def set_lang(code: str) -> None:
        state["clairvoie_lang"] = code
    return set_lang


def _cells(frame: pd.DataFrame, decimals=None) -> dict:
    from ui.i18n import cell_formats

    formats = cell_formats(frame, decimals)
    return {c: formats[c](frame[c].iloc[0]) if c in formats else frame[c].iloc[0] for c in frame.columns}


TABLE = pd.DataFrame({"dispute_rate": [0.125], "requested_amount_eur": [1234.5], "interventions": [1234],
                      "completed_on": [dt.date(2026, 11, 29)], "month": ["2026-11"], "weight": [0.25],
                      "disputed_amount": [Decimal("80.000000")], "station_id": ["S0001"], "prevented": [True],
                      "tat_days_median": [None]})


@pytest.mark.parametrize("code,expected", [
    ("en", {"dispute_rate": "12.5%", "requested_amount_eur": "1,234.50", "interventions": "1,234",
            "completed_on": "2026-11-29", "month": "2026-11", "weight": "0.25", "disputed_amount": "80.00"}),
    ("fr", {"dispute_rate": "12,5\u202f%", "requested_amount_eur": "1\u202f234,50", "interventions": "1\u202f234",
            "completed_on": "29/11/2026", "month": "11/2026", "weight": "0,25", "disputed_amount": "80,00"}),
])
def test_table_cells_in_the_page_language(lang, code, expected):
    lang(code)
    # ids and booleans are left to the table; no value is "—" in both languages
    assert _cells(TABLE, {"weight": 2}) == {**expected, "station_id": "S0001", "prevented": True,
                                            "tat_days_median": "—"}


def test_one_number_and_date_format_per_language(lang):
    from ui.i18n import date_input_format, decimal_text, fmt_date, fmt_month, fmt_number, plot_separators

    lang("fr")
    assert (fmt_number(1234567.891, 2), plot_separators(), fmt_date("2026-01-05"), fmt_month("2026-01"),
            date_input_format(), decimal_text("47.84"), decimal_text("EUR")) == (
        "1\u202f234\u202f567,89", ",\u202f", "05/01/2026", "01/2026", "DD/MM/YYYY", "47,84", "EUR")
    lang("en")
    assert (fmt_number(1234567.891, 2), plot_separators(), fmt_date("2026-01-05"), fmt_month("2026-01"),
            date_input_format(), decimal_text("47.84")) == (
        "1,234,567.89", ".,", "2026-01-05", "2026-01", "YYYY-MM-DD", "47.84")


def test_number_columns_leave_french_numbers_to_the_styler(lang):
    from ui.i18n import column_config

    lang("en")
    assert column_config(["dispute_rate"])["dispute_rate"]["type_config"]["format"] == "percent"
    lang("fr")
    assert column_config(["dispute_rate"])["dispute_rate"]["type_config"]["format"] is None


def test_a_choice_sent_back_as_a_label_of_either_language_is_its_option(lang):
    """After a language switch the browser may send the choice as its label, in the old or the new
    language: it is read back as the option and shown with this language's label."""
    from ui.i18n import labels_of, metric_label

    lang("fr")
    labels = labels_of(["first_time_fix_rate", "repeat_rate"], metric_label)
    assert labels("repeat_rate") == "Taux de retour"
    for sent in ("repeat_rate", "Repeat rate", "Taux de retour"):
        assert labels.option(sent) == "repeat_rate"
        assert labels(sent) == "Taux de retour"
    assert labels.option("something else") == "something else"  # not an option: left as it is


def test_downloads_carry_labels_beside_codes_in_the_page_language(lang):
    import streamlit as st

    from ui.i18n import status_label, with_label_columns

    frame = pd.DataFrame({"intervention_id": ["I1", "I2"], "status": ["blocked", "ready"], "findings": [2, 0]})
    lang("fr")
    now = with_label_columns(frame, {"status": status_label})
    later = with_label_columns(lambda: frame, {"status": status_label})
    st.session_state["clairvoie_lang"] = "en"  # the file of a deferred download is made later
    for made in (now, later()):
        assert list(made.columns) == ["intervention_id", "status", "status_label", "findings"]
        assert list(made["status"]) == ["blocked", "ready"] and list(made["status_label"]) == ["bloqué", "prêt"]


def test_findings_explanations_in_french(lang):
    from ui.explanations import explanation, levels_applied, required_by

    doc = ("Document photo_before is required (category coffee_machine) but has not been received "
           "(policy M03 2023-01-01, IT).")
    travel = "Travel 195.8 km > cap of 160 km (policy M01 2023-01-01, IT, station S0067); km beyond the cap are not paid."
    lang("en")
    assert explanation(doc) == doc and required_by("all interventions") == "all interventions"
    lang("fr")
    assert explanation(doc) == ("Le document photo_before est exigé (catégorie coffee_machine) mais n'a pas été reçu "
                                "(politique M03 01/01/2023, IT).")
    assert explanation(travel) == ("Déplacement 195,8 km > plafond de 160 km (politique M01 01/01/2023, IT, station "
                                   "S0067) ; les km au-delà du plafond ne sont pas payés.")
    # the queue's list of them: the rule's label instead of its code, one per line
    assert explanation(f"DOC_MISSING: {doc}\nTRAVEL_OVER_CAP: {travel}").split("\n")[0].startswith(
        "Document manquant : Le document photo_before")
    assert explanation("A sentence no rule writes.") == "A sentence no rule writes."  # kept as written
    assert required_by("coverage warranty") == "couverture garantie"
    assert levels_applied("base; country DE; region Bayern") == "base; pays DE; région Bayern"


def test_amount_formulas_policy_labels_and_left_out_reasons_in_french(lang):
    from ui.explanations import formula, left_out_reason, policy_label
    from ui.i18n import rule_labels

    travel = ("flat fee 108 + max(0, min(6.4, 150 km) − 30 free km) × 2.15 PLN/km = 108 → 108.00")
    labour = "65 min (standard time of AC-FAN) / 60 × 251 PLN/h = 271.9167… → 271.92"
    lang("en")
    assert formula(travel) == travel and rule_labels("DOC_MISSING;REPEAT_REPAIR") == (
        "Document missing; Repeat repair")
    lang("fr")
    assert formula(travel) == "forfait 108 + max(0 ; min(6,4 ; 150 km) − 30 km gratuits) × 2,15 PLN/km = 108 → 108,00"
    assert formula(labour) == "65 min (temps standard de AC-FAN) / 60 × 251 PLN/h = 271,9167… → 271,92"
    assert formula("parts 256.97 × (1 + 0.1 markup) = 282.667 → 282.67") == (
        "pièces 256,97 × (1 + majoration 0,1) = 282,667 → 282,67")
    assert policy_label("policy M04 2025-03-01, PL") == "politique M04 01/03/2025, PL"
    assert left_out_reason("status review") == "statut à vérifier"
    assert left_out_reason("blocked DOC_MISSING (photo_before): Document photo_before is required (all interventions) "
                           "but has not been received (policy M03 2023-01-01, IT).") == (
        "bloqué — Document manquant (photo_before) : Le document photo_before est exigé (toutes les interventions) "
        "mais n'a pas été reçu (politique M03 01/01/2023, IT).")


def test_every_rule_explanation_of_the_demo_store_reads_in_french(lang, demo_store_path):
    """Each sentence the engine writes has its French pattern (none left in English)."""
    from analytics.core import store
    from ui.explanations import explanation

    lang("fr")
    rows = store.reader(demo_store_path).execute("SELECT code, explanation FROM findings").fetchall()
    assert len({code for code, _ in rows}) >= 10
    left = sorted({code for code, text in rows if explanation(text) == text})
    assert not left, left
