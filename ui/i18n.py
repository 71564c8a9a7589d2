"""FR/EN: the language switch, page labels, and the catalog's texts in the chosen language.

Labels and definitions of metrics and rules come from :mod:`analytics.catalog` (English) and its
``FR`` dict (French, keyed ``metric.<name>.label`` …); a missing French text falls back to English.
"""
from __future__ import annotations

import streamlit as st

from analytics.catalog import FR, METRICS_BY_NAME, RULES_BY_CODE

LANG_KEY = "clairvoie_lang"
LANGUAGES = {"en": "English", "fr": "Français"}

#: Page texts: key -> (English, French).
TEXTS: dict[str, tuple[str, str]] = {
    "overview": ("Overview", "Vue d'ensemble"),
    "stations": ("Stations", "Stations"),
    "scorecard": ("Scorecard", "Fiche station"),
    "definitions": ("Definitions", "Définitions"),
    "headline": ("Headline figures", "Chiffres clés"),
    "vs_previous": ("vs previous period", "vs période précédente"),
    "trends": ("Monthly trends", "Tendances mensuelles"),
    "pipeline": ("Pipeline", "Parcours"),
    "stage.reported": ("Reported", "Déclarées"),
    "stage.ready": ("Ready", "Prêtes"),
    "stage.invoiced": ("Invoiced", "Facturées"),
    "stage.disputed": ("Disputed", "En litige"),
    "stage.resolved": ("Resolved", "Résolues"),
    "stage.paid": ("Paid", "Payées"),
    "league": ("League table", "Classement"),
    "search": ("Search a station (id, name, country)", "Chercher une station (id, nom, pays)"),
    "manufacturer": ("Manufacturer", "Fabricant"),
    "station": ("Station", "Station"),
    "score": ("Score", "Score"),
    "metrics": ("Metrics", "Indicateurs"),
    "rules": ("Verification rules", "Règles de vérification"),
    "statuses": ("Statuses", "Statuts"),
    "no_data": ("No intervention in this selection.", "Aucune intervention dans cette sélection."),
    "language": ("Language", "Langue"),
}


def lang() -> str:
    """The chosen language, ``en`` or ``fr`` (kept in the session, ``?lang=fr`` in a link)."""
    value = st.session_state.get(LANG_KEY) or st.query_params.get("lang") or "en"
    return value if value in LANGUAGES else "en"


def language_switch() -> str:
    """The FR/EN switch in the sidebar; returns the chosen language."""
    current = lang()
    chosen = st.sidebar.radio(t("language"), list(LANGUAGES), index=list(LANGUAGES).index(current),
                              format_func=LANGUAGES.get, horizontal=True, key="clairvoie_lang_radio")
    st.session_state[LANG_KEY] = chosen
    if chosen == "fr":
        st.query_params["lang"] = "fr"
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    return chosen


def t(key: str, language: str | None = None) -> str:
    """The page text ``key`` in the language (the key itself when unknown)."""
    en, fr = TEXTS.get(key, (key, key))
    return fr if (language or lang()) == "fr" else en


def metric_label(name: str, language: str | None = None) -> str:
    metric = METRICS_BY_NAME[name]
    return FR.get(f"metric.{name}.label", metric.label) if (language or lang()) == "fr" else metric.label


def metric_definition(name: str, language: str | None = None) -> str:
    metric = METRICS_BY_NAME[name]
    return FR.get(f"metric.{name}.definition", metric.definition) if (language or lang()) == "fr" else metric.definition


def rule_label(code: str, language: str | None = None) -> str:
    rule = RULES_BY_CODE[code]
    return FR.get(f"rule.{code}.label", rule.label) if (language or lang()) == "fr" else rule.label


def rule_definition(code: str, language: str | None = None) -> str:
    rule = RULES_BY_CODE[code]
    return FR.get(f"rule.{code}.definition", rule.definition) if (language or lang()) == "fr" else rule.definition
