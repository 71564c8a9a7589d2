"""Language (EN/FR) of the Overview, Stations, Scorecard and Definitions pages, and numbers
formatted for it (``€1,234.56`` in English, ``1 234,56 €`` in French).

* :func:`language_switch` — the sidebar's EN/FR choice, kept in the URL (``?lang=fr``);
* :func:`t` — a page label in the current language (English is the key; a missing French text
  falls back to English);
* :func:`metric_label` / :func:`metric_definition` / :func:`rule_label` — the catalog's words
  (``analytics.catalog.FR`` for French);
* :func:`fmt_value` — a metric value by its kind (rate %, days, amount with currency, count),
  "—" for no value (never 0).
"""
from __future__ import annotations

import math

import streamlit as st

from analytics.catalog import FR as CATALOG_FR
from analytics.catalog import METRICS_BY_NAME, RULES_BY_CODE, SCORE_DEFINITION

LANG_KEY = "clairvoie_lang"
LANGUAGES = {"en": "English", "fr": "Français"}
NO_VALUE = "—"

#: French page labels, keyed by the English text.
FR: dict[str, str] = {
    "Overview": "Vue d'ensemble",
    "Stations": "Stations",
    "Scorecard": "Fiche station",
    "Definitions": "Définitions",
    "Language": "Langue",
    "Headline figures": "Chiffres clés",
    "Monthly trends": "Tendances mensuelles",
    "Pipeline": "Parcours",
    "Metric": "Indicateur",
    "Interventions reaching each stage": "Interventions à chaque étape",
    "Change vs the previous period of the same length.": "Évolution par rapport à la période précédente de même durée.",
    "Choose a period (From and To) to compare with the previous one.":
        "Choisissez une période (début et fin) pour la comparer à la précédente.",
    "League table": "Classement",
    "Search a station (id, name, country)": "Chercher une station (code, nom, pays)",
    "Manufacturer": "Fabricant",
    "Station": "Station",
    "First-time fix vs repeat rate": "Réparé à la première visite / taux de retour",
    "Select a row or a point to open its scorecard.": "Sélectionnez une ligne ou un point pour ouvrir sa fiche.",
    "Open the scorecard": "Ouvrir la fiche",
    "Score": "Score",
    "Rank": "Rang",
    "Bonus/malus tier": "Palier bonus/malus",
    "Why this score": "Pourquoi ce score",
    "Compared with comparable stations": "Comparaison avec les stations comparables",
    "Trend": "Tendance",
    "Amounts": "Montants",
    "What to fix now": "À corriger maintenant",
    "Open findings": "Constats ouverts",
    "Open disputes": "Litiges ouverts",
    "Which improvement would raise the score most": "Quelle amélioration ferait le plus monter le score",
    "Not enough data for a score (fewer than 20 interventions).":
        "Pas assez de données pour un score (moins de 20 interventions).",
    "Withheld: fewer than 5 comparable stations.": "Masqué : moins de 5 stations comparables.",
    "No station in your selection.": "Aucune station dans votre sélection.",
    "Nothing open.": "Rien en cours.",
    "Metrics": "Indicateurs",
    "Verification rules": "Règles de vérification",
    "Paid": "Payé",
    "No value": "Pas de valeur",
}


def language() -> str:
    """The current language code (``en`` or ``fr``)."""
    lang = st.session_state.get(LANG_KEY) or st.query_params.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


#: Short alias of :func:`language`.
lang = language


def language_switch() -> str:
    """The EN/FR choice in the sidebar (kept in the URL as ``lang``); returns the language code."""
    current = language()
    choice = st.sidebar.radio("Language / Langue", list(LANGUAGES), index=list(LANGUAGES).index(current),
                              format_func=LANGUAGES.get, horizontal=True, key="i18n_lang_radio")
    st.session_state[LANG_KEY] = choice
    if choice == "en":
        if "lang" in st.query_params:
            del st.query_params["lang"]
    else:
        st.query_params["lang"] = choice
    return choice


def t(text: str) -> str:
    """``text`` (an English page label) in the current language."""
    return FR.get(text, text) if language() == "fr" else text


def _catalog(key: str, english: str, lang_code: str | None = None) -> str:
    return CATALOG_FR.get(key, english) if (lang_code or language()) == "fr" else english


def metric_label(name: str, lang_code: str | None = None) -> str:
    """The catalog's label of metric ``name`` (or "Score") in ``lang_code`` (default: the current language)."""
    if name == "score":
        return FR["Score"] if (lang_code or language()) == "fr" else "Score"
    m = METRICS_BY_NAME.get(name)
    return _catalog(f"metric.{name}.label", m.label, lang_code) if m else name


def metric_definition(name: str, lang_code: str | None = None) -> str:
    """The catalog's definition of metric ``name`` (or of the score), for tooltips."""
    if name == "score":
        return _catalog("score.definition", SCORE_DEFINITION, lang_code)
    m = METRICS_BY_NAME.get(name)
    return _catalog(f"metric.{name}.definition", m.definition, lang_code) if m else ""


def rule_label(code: str, lang_code: str | None = None) -> str:
    r = RULES_BY_CODE.get(code)
    return _catalog(f"rule.{code}.label", r.label, lang_code) if r else code


def rule_definition(code: str, lang_code: str | None = None) -> str:
    r = RULES_BY_CODE.get(code)
    return _catalog(f"rule.{code}.definition", r.definition, lang_code) if r else ""


def _missing(value) -> bool:
    try:
        return value is None or (isinstance(value, float) and math.isnan(value)) or bool(value != value)
    except (TypeError, ValueError):
        return False


def fmt_number(value, decimals: int = 0) -> str:
    """``1,234.56`` (en) or ``1 234,56`` (fr, narrow no-break space as thousands separator)."""
    if _missing(value):
        return NO_VALUE
    text = f"{float(value):,.{decimals}f}"
    if language() == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def fmt_amount(value, currency: str | None = "EUR", compact: bool = False) -> str:
    """``€1,234.56`` (en) or ``1 234,56 €`` (fr); other currencies by their code. ``compact``:
    a million or more as ``€2.67 M`` / ``2,67 M €`` (headline cards)."""
    if _missing(value):
        return NO_VALUE
    if compact and abs(float(value)) >= 1_000_000:
        number = fmt_number(abs(float(value)) / 1_000_000, 2) + "\u00a0M"
    else:
        number = fmt_number(abs(float(value)), 2)
    sign = "-" if float(value) < 0 else ""
    symbol = {"EUR": "€"}.get(currency or "", currency or "")
    if language() == "fr":
        return f"{sign}{number} {symbol}".strip()
    return f"{sign}{symbol}{number}" if symbol == "€" else f"{sign}{number} {symbol}".strip()


def fmt_value(name: str, value, currency: str | None = "EUR", compact: bool = False) -> str:
    """A metric value for display by its kind (rate as %, days and ratings to one decimal, amounts
    with their currency, counts whole); "—" for no value."""
    if _missing(value):
        return NO_VALUE
    if name == "score":
        return fmt_number(value, 1)
    kind = METRICS_BY_NAME[name].kind if name in METRICS_BY_NAME else None
    if kind == "rate":
        return fmt_number(100 * float(value), 1) + ("\u202f%" if language() == "fr" else "%")
    if kind in ("days", "rating"):
        return fmt_number(value, 1)
    if kind == "amount":
        return fmt_amount(value, currency, compact)
    return fmt_number(value, 0)


def fmt_delta(name: str, now, before) -> str | None:
    """The change from ``before`` to ``now`` for ``st.metric`` (points for rates), None if either is missing."""
    if _missing(now) or _missing(before):
        return None
    diff = float(now) - float(before)
    kind = METRICS_BY_NAME[name].kind if name in METRICS_BY_NAME else None
    if kind == "rate":
        return ("+" if diff >= 0 else "") + fmt_number(100 * diff, 1) + " pts"
    text = fmt_value(name, abs(diff))
    return ("+" if diff >= 0 else "-") + text


def column_config(columns) -> dict:
    """``st.dataframe`` column formats for metric columns, by the metric's kind (``<name>_eur`` too):
    rates as %, days and ratings to one decimal, amounts to the cent, counts whole; the score to one
    decimal. Header tooltips carry the catalog's definitions. The values themselves are unchanged."""
    import streamlit as st

    formats = {"rate": "percent", "days": "%.1f", "rating": "%.2f", "amount": "%.2f", "count": "%d"}
    out = {}
    for col in columns:
        name = col[:-4] if str(col).endswith("_eur") else str(col)
        if name == "score":
            out[col] = st.column_config.NumberColumn(metric_label("score"), format="%.1f",
                                                     help=metric_definition("score"))
        elif name in METRICS_BY_NAME:
            label = metric_label(name) + (" (€)" if str(col).endswith("_eur") else "")
            out[col] = st.column_config.NumberColumn(label, format=formats[METRICS_BY_NAME[name].kind],
                                                     help=metric_definition(name))
        elif str(col).endswith(("_share", "_rate")):
            out[col] = st.column_config.NumberColumn(format="percent")
    return out
