"""Disputes: rate and amounts by reason, territory, station, product category and month; a Pareto
of reasons; resolution times and outcomes; the list with a drill-down to one dispute and the
findings that predicted it; the share verification would have prevented.
Data: :mod:`analytics.metrics` and :mod:`analytics.disputes` (scope applied in SQL)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import disputes, metrics
from analytics.catalog import METRICS_BY_NAME, RULES_BY_CODE
from ui.auth import require_viewer
from ui.pagekit import cached, current_filters, open_store, show_table

viewer = require_viewer()
st.title("Disputes")
con = open_store()
if con is None:
    st.stop()
filters = current_filters()


def _fmt(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "rate":
        return f"{float(value) * 100:.1f} %"
    if kind == "days":
        return f"{float(value):.1f} d"
    if kind == "amount":
        return f"{float(value):,.0f} EUR" if abs(float(value)) >= 10_000 else f"{float(value):,.2f} EUR"
    return f"{value:,}"


# ---------------------------------------------------------------- headline
overall = cached(metrics.metric_table, viewer.scope, filters)
prevention = cached(disputes.dispute_prevention, viewer.scope, filters)
row = overall.iloc[0] if not overall.empty else pd.Series(dtype=object)
prevented_share = prevention["prevented_share"].iloc[0] if not prevention.empty else None
cols = st.columns(5)
for col, name, column in (
    (cols[0], "dispute_rate", "dispute_rate"),
    (cols[1], "disputed_amount", "disputed_amount_eur"),
    (cols[2], "dispute_resolution_days_median", "dispute_resolution_days_median"),
    (cols[3], "station_upheld_rate", "station_upheld_rate"),
):
    metric = METRICS_BY_NAME[name]
    col.metric(metric.label, _fmt(row.get(column), metric.kind), help=metric.definition)
cols[4].metric("Preventable by verification", _fmt(prevented_share, "rate"),
               help="Share of disputes whose intervention carries a finding with the same code as the dispute's "
                    "reason: verification before invoicing would have flagged it.")

# ---------------------------------------------------------------- Pareto of reasons
by_reason = cached(disputes.dispute_prevention, viewer.scope, filters, by="reason")
st.subheader("Reasons (Pareto)")
if by_reason.empty or by_reason["disputes"].sum() == 0:
    st.write("No dispute in this selection.")
else:
    pareto = by_reason.sort_values(["disputes", "reason"], ascending=[False, True]).reset_index(drop=True)
    pareto["cumulative_share"] = pareto["disputes"].cumsum() / pareto["disputes"].sum() * 100
    fig = go.Figure()
    fig.add_bar(x=pareto["reason"], y=pareto["disputes"], name="Disputes", marker_color="#4263eb")
    fig.add_scatter(x=pareto["reason"], y=pareto["cumulative_share"], name="Cumulative %", yaxis="y2",
                    mode="lines+markers", line_color="#e8590c")
    fig.update_layout(yaxis={"title": "Disputes"},
                      yaxis2={"title": "Cumulative %", "overlaying": "y", "side": "right", "range": [0, 105],
                              "dtick": 25, "showgrid": False},
                      xaxis={"tickangle": -35}, height=380, margin={"t": 30, "b": 10},
                      legend={"orientation": "h", "y": 1.12, "x": 0})
    st.plotly_chart(fig, key="disputes_pareto")
    labels = {code: rule.label for code, rule in RULES_BY_CODE.items()}
    table = pareto.assign(label=[labels.get(r, "Other reason") for r in pareto["reason"]])
    show_table(table, "disputes_by_reason", key="disputes_by_reason")

# ---------------------------------------------------------------- breakdowns
st.subheader("Breakdown")
keys = ["country", "region", "product_category", "month"]
if viewer.scope.sees_other_stations:
    keys.insert(2, "station")
key = st.radio("By", keys, horizontal=True, key="disputes_by",
               format_func=lambda k: k.replace("_", " ").capitalize())
column = metrics.KEY_COLUMNS[key]
table = cached(metrics.metric_table, viewer.scope, filters, by=[key])
shown = ["interventions", "dispute_rate", "disputed_amount_eur", "dispute_resolution_days_median",
         "station_upheld_rate"]
breakdown = table[[column, *[c for c in shown if c in table.columns]]]
if not breakdown.empty:
    chart = go.Figure(go.Bar(x=breakdown[column].astype(str),
                             y=[None if pd.isna(v) else float(v) * 100 for v in breakdown["dispute_rate"]],
                             marker_color="#4263eb", name="Dispute rate (%)"))
    chart.update_layout(yaxis_title="Dispute rate (%)", height=320, margin={"t": 10, "b": 10})
    st.plotly_chart(chart, key="disputes_breakdown_chart")
show_table(breakdown, f"disputes_by_{key}", key="disputes_breakdown")

# ---------------------------------------------------------------- resolution and outcomes over time
st.subheader("Resolution times and outcomes")
monthly = cached(metrics.metric_table, viewer.scope, filters, by=["month"])
if not monthly.empty:
    trend = go.Figure()
    trend.add_scatter(x=monthly["month"], y=monthly["dispute_resolution_days_median"], name="Median days to resolve",
                      mode="lines+markers", line_color="#364fc7")
    trend.add_scatter(x=monthly["month"], y=monthly["station_upheld_rate"] * 100, name="Station upheld (%)",
                      mode="lines+markers", yaxis="y2", line_color="#2b8a3e")
    trend.update_layout(yaxis={"title": "Days"}, yaxis2={"title": "%", "overlaying": "y", "side": "right"},
                        height=320, margin={"t": 10, "b": 10}, legend={"orientation": "h"})
    st.plotly_chart(trend, key="disputes_resolution")

# ---------------------------------------------------------------- the list, drill-down
st.subheader("Disputes")
details = cached(disputes.dispute_details, viewer.scope, filters)
if details.empty:
    st.write("No dispute in this selection.")
else:
    event = st.dataframe(details, hide_index=True, key="disputes_list", on_select="rerun",
                         selection_mode="single-row")
    chosen = event.selection.rows if event and event.selection else []
    if chosen:
        one = details.iloc[chosen[0]]
        st.markdown(f"**Dispute {one['dispute_id']}** on intervention {one['intervention_id']} "
                    f"(invoice {one['invoice_id']})")
        st.write(f"Reason: {one['reason']} — prevented by verification: {'yes' if one['prevented'] else 'no'}")
        codes = [c for c in str(one.get("finding_codes") or "").split(";") if c]
        if codes:
            st.write("Findings on this intervention (the ones that could have predicted the dispute):")
            st.dataframe(pd.DataFrame({
                "code": codes,
                "rule": [RULES_BY_CODE[c].label if c in RULES_BY_CODE else c for c in codes],
                "matches the reason": [c == one["reason"] for c in codes],
            }), hide_index=True, key="disputes_findings")
        else:
            st.write("No finding on this intervention: verification would not have flagged it.")
    else:
        st.caption("Select a dispute in the list to see it and the findings that predicted it.")
