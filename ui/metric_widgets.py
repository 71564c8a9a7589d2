"""A metric as a figure: its value, its definition on hover (from analytics.catalog), and its change
vs the previous period coloured by the metric's better direction."""
from __future__ import annotations

import streamlit as st

from analytics.catalog import METRICS_BY_NAME
from ui import format as fmt
from ui.i18n import lang, metric_definition, metric_label


def metric_card(name: str, value, change=None, *, container=None, currency: str | None = "EUR",
                previous_label: str | None = None) -> None:
    """``st.metric`` of metric ``name``: label, value for the locale, change, definition as help."""
    metric = METRICS_BY_NAME[name]
    language = lang()
    target = container or st
    delta_color = {"higher": "normal", "lower": "inverse"}.get(metric.better, "off")
    help_text = metric_definition(name, language) + (f" ({previous_label})" if previous_label else "")
    target.metric(metric_label(name, language), fmt.metric_value(metric.kind, value, language, currency),
                  delta=fmt.metric_change(metric.kind, change, language), delta_color=delta_color,
                  help=help_text, border=True)
