"""Definitions: every metric and every verification rule of :mod:`analytics.catalog`, and the
score — the same words as the tooltips next to each figure; for each metric, its formula and the
SQL that computes it (the catalog names the queries; shown as they run, fragments included)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.catalog import METRICS, RULES
from analytics.core.sql import load as query_text
from ui.i18n import (metric_definition, metric_formula, metric_label, rule_definition, rule_label, status_label,
                     t)
from ui.pagekit import show_table, start_page

viewer, con = start_page(t("Definitions"))

st.subheader(t("Metrics"))
metrics = pd.DataFrame([{"metric": m.name, "label": metric_label(m.name), "definition": metric_definition(m.name),
                         "better": t(m.better) if m.better else "", "kind": t(m.kind)} for m in METRICS])
show_table(metrics, "metric_definitions", key="definitions_metrics")
st.markdown(f"**{t('Score')}** — {metric_definition('score')}")

st.subheader(t("How each figure is computed"))
st.caption(t("The definition, the formula, and the SQL that computes the figure, as it runs."))
for m in METRICS:
    st.markdown(f"**{metric_label(m.name)}** — {metric_definition(m.name)}")
    st.markdown(f"*{t('Formula')}* — `{metric_formula(m.name)}`")
    with st.expander(f"{t('The SQL that computes it')} — {metric_label(m.name)}", expanded=False):
        for name in m.sql:
            st.markdown(f"`queries/{name}.sql`")  # a file name: the same in every language
            st.code(query_text(name), language="sql")

st.subheader(t("Verification rules"))
rules = pd.DataFrame([{"code": r.code, "label": rule_label(r.code), "severity": r.severity,
                       "definition": rule_definition(r.code)} for r in RULES])
show_table(rules, "rule_definitions", key="definitions_rules", labels={"severity": status_label})
