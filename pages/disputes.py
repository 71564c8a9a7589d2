"""Disputes: rate and amounts by reason, territory, station, product category and month; a Pareto
of reasons; resolution times and outcomes; the list with a drill-down to one dispute and the
findings that predicted it; the share verification would have prevented.
Data: :mod:`analytics.metrics` and :mod:`analytics.disputes` (scope applied in SQL)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import disputes, metrics, verification
from analytics.catalog import METRICS_BY_NAME, RULES_BY_CODE
from ui.pagekit import cached, current_filters, plain, show_table, start_page

viewer, con = start_page("Disputes")
filters = current_filters(viewer)


def _fmt(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "rate":
        return f"{float(value) * 100:.1f} %"
    if kind == "days":
        return f"{float(value):.1f} d"
    if kind == "amount":  # short enough for a headline: 12.8 k EUR
        return f"{float(value) / 1000:,.1f} k EUR" if abs(float(value)) >= 10_000 else f"{float(value):,.2f} EUR"
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
    pareto["cumulative_share"] = pareto["disputes"].cumsum() / pareto["disputes"].sum()
    fig = go.Figure()
    fig.add_bar(x=pareto["reason"], y=pareto["disputes"], name="Disputes", marker_color="#4263eb")
    fig.add_scatter(x=pareto["reason"], y=pareto["cumulative_share"] * 100, name="Cumulative %", yaxis="y2",
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

# ---------------------------------------------------------------- resolution times and outcomes
details = cached(disputes.dispute_details, viewer.scope, filters)
st.subheader("Resolution times and outcomes")
if details.empty:
    st.write("No dispute in this selection.")
else:
    left, right = st.columns(2)
    resolved = details[details["resolved_on"].notna()]
    days = (pd.to_datetime(resolved["resolved_on"]) - pd.to_datetime(resolved["opened_on"])).dt.days
    hist = go.Figure(go.Histogram(x=days, nbinsx=30, marker_color="#364fc7", name="Disputes"))
    hist.update_layout(xaxis_title="Days from opening to resolution", yaxis_title="Resolved disputes",
                       height=300, margin={"t": 10, "b": 10})
    left.plotly_chart(hist, key="disputes_resolution_days")
    outcomes = details["outcome"].fillna("open").value_counts()
    order = [o for o in ("station", "manufacturer", "split", "withdrawn", "open") if o in outcomes.index]
    colours = {"station": "#2b8a3e", "manufacturer": "#c92a2a", "split": "#e8590c", "withdrawn": "#868e96",
               "open": "#4263eb"}
    bars = go.Figure(go.Bar(x=order, y=[int(outcomes[o]) for o in order],
                            marker_color=[colours[o] for o in order]))
    bars.update_layout(xaxis_title="Outcome", yaxis_title="Disputes", height=300, margin={"t": 10, "b": 10})
    right.plotly_chart(bars, key="disputes_outcomes")
    st.caption("Outcome “station”: the station's claim stands; “manufacturer”: the claim is cut; "
               "“open”: not resolved yet.")

# ---------------------------------------------------------------- the list, drill-down
st.subheader("Disputes")
if not details.empty:
    event = st.dataframe(details, hide_index=True, key="disputes_list", on_select="rerun",
                         selection_mode="single-row")
    chosen = event.selection.rows if event and event.selection else []
    if chosen:
        one = details.iloc[chosen[0]]
        with st.container(border=True):
            st.markdown(plain(f"Dispute {one['dispute_id']} on intervention {one['intervention_id']} "
                              f"(invoice {one['invoice_id']})"))
            resolved_on = "open" if pd.isna(one["resolved_on"]) else \
                f"resolved {pd.Timestamp(one['resolved_on']).date()} — outcome {one['outcome']}"
            st.markdown(plain(f"Reason {one['reason_given']} · opened {pd.Timestamp(one['opened_on']).date()} · "
                              f"{resolved_on} · disputed {float(one['disputed_amount']):,.2f} {one['currency'] or ''}"))
            findings = verification.findings_of(con, viewer.scope, one["intervention_id"])
            if findings.empty:
                st.write("No finding on this intervention: verification would not have flagged it.")
            else:
                st.write("Verification " + ("flagged this reason before invoicing." if one["prevented"]
                                            else "did not flag this reason.") + " Findings on the intervention:")
                findings = findings.assign(matches_reason=findings["code"] == one["reason"])
                st.dataframe(findings[["code", "label", "severity", "matches_reason", "explanation"]],
                             hide_index=True, key="disputes_findings")
    else:
        st.caption("Select a dispute in the list to see it and the findings that predicted it.")
    show_table(details, "disputes", key="disputes_export", table=False)
