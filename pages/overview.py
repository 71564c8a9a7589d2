"""Overview: headline metrics with their change vs the previous period (no arrow when nothing
changed), monthly trends (an incomplete month shaded) and the funnel reported → ready → invoiced →
paid, each stage within the one before, with the disputes beside it and the interventions invoiced
while blocked marked.
Data: :func:`analytics.page_data.overview.headline`, :func:`analytics.page_data.overview.funnel`,
:func:`analytics.metrics.table.metric_table` (scope applied in SQL)."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analytics.page_data import overview
from analytics.catalog import METRICS_BY_NAME
from analytics.metrics.table import metric_table
from ui.figures import incomplete_caption, metric_delta, style_trend
from ui.i18n import (NO_VALUE, choose, column_config, fmt_number, fmt_value, metric_definition, metric_label,
                     plot_separators, t)
from ui.pagekit import cached, current_filters, kept_params, page_link, present, show_table, start_page

#: The headline figures, in order (metric names of analytics.catalog).
HEADLINE = ("interventions", "first_time_fix_rate", "repeat_rate", "tat_days_median", "doc_complete_rate",
            "ready_rate", "dispute_rate", "requested_amount", "cost_per_intervention", "customer_rating_avg")


def column_of(name: str) -> str:
    """The metric_table column of a metric (amounts in euros)."""
    return METRICS_BY_NAME[name].value_column


viewer, con = start_page(t("Overview"))
filters = current_filters(viewer)

now, before = cached(overview.headline, viewer.scope, filters)
last_day = cached(overview.data_last_day, viewer.scope)
incomplete = overview.incomplete_months(last_day, filters)
st.subheader(t("Headline figures"))
st.caption(t("Change vs the previous period of the same length.") if before is not None
           else t("Choose a period (From and To) to compare with the previous one."))
PER_ROW = 4  # wide enough for the longest label at 1366 px ("Turnaround (median days)")
for start in range(0, len(HEADLINE), PER_ROW):
    for col, name in zip(st.columns(PER_ROW), HEADLINE[start:start + PER_ROW]):
        change = metric_delta(name, now[column_of(name)], before[column_of(name)]) if before is not None else {}
        col.metric(metric_label(name), fmt_value(name, now[column_of(name)], compact=True), **change,
                   help=metric_definition(name), border=True)

st.subheader(t("Monthly trends"))
monthly = cached(metric_table, viewer.scope, filters, ("month",))
trendable = [n for n in METRICS_BY_NAME if column_of(n) in monthly.columns]
chosen = choose(st.selectbox, t("Metric"), trendable, metric_label, index=trendable.index("first_time_fix_rate"),
                key="overview_trend_metric")
st.caption(metric_definition(chosen))
if len(monthly):
    fig = px.line(monthly, x="month", y=column_of(chosen), markers=True,
                  labels={"month": "", column_of(chosen): metric_label(chosen)})
    style_trend(fig, rate=METRICS_BY_NAME[chosen].kind == "rate", incomplete=incomplete, months=monthly["month"])
    fig.update_layout(separators=plot_separators(), height=300, margin=dict(l=10, r=10, t=10, b=10))
    st.plotly_chart(fig, key="overview_trend_chart")
    note = incomplete_caption(incomplete & set(monthly["month"]), last_day)
    if note:
        st.caption(note)
else:
    st.info(t("No intervention in this selection: no trend to draw."))
st.dataframe(present(monthly), hide_index=True, placeholder=NO_VALUE, key="overview_monthly", column_config=column_config(monthly.columns))
show_table(monthly, "monthly_metrics", key="overview_monthly_dl", table=False)

st.subheader(t("Pipeline"))
counts = cached(overview.funnel, viewer.scope, filters)
STAGE_LABELS = {"reported": t("Reported"), "ready": t("Ready"), "invoiced": t("Ready and invoiced"),
                "paid": t("Ready, invoiced and paid"), "disputed": t("Disputed"), "resolved": t("Dispute resolved"),
                "invoiced_blocked": t("Invoiced while blocked")}
st.caption(t("Each stage counts the interventions of the stage before that went on: of the interventions "
             "reported, those ready; of those, the invoiced; of those, the paid."))
left, right = st.columns([3, 1])
stages = list(overview.FUNNEL_STAGES)
fig = go.Figure(go.Funnel(y=[STAGE_LABELS[s] for s in stages], x=[counts[s] for s in stages],
                          texttemplate="%{value:,d}<br>%{percentPrevious:.0%}", marker_color="#4263eb",
                          hovertemplate="%{y}: %{value:,d}<extra></extra>"))
fig.update_layout(separators=plot_separators(), height=300, margin=dict(l=10, r=10, t=10, b=10))
left.plotly_chart(fig, key="overview_pipeline_chart")
right.metric(STAGE_LABELS["disputed"], fmt_number(counts["disputed"]), border=True,
             help=t("Of the ready and invoiced interventions, those with at least one dispute."))
right.metric(STAGE_LABELS["resolved"], fmt_number(counts["resolved"]), border=True,
             help=t("Of the disputed ones, those whose every dispute is resolved."))
right.metric(":material/warning: " + STAGE_LABELS["invoiced_blocked"], fmt_number(counts["invoiced_blocked"]),
             border=True, help=t("Interventions invoiced although verification blocks them: outside the funnel, "
                                 "to be checked first. The verification page lists them (status blocked)."))
if counts["invoiced_blocked"]:
    page_link("verification", t("See the blocked interventions"), icon=":material/block:",
              query={**kept_params(), "status": "blocked"}, where=right)
    page_link("disputes", t("See their disputes"), icon=":material/gavel:",
              query={**kept_params(), "invoiced_blocked": "yes"}, where=right)
table = pd.DataFrame({"stage": [*stages, *overview.BESIDE_FUNNEL],
                      "interventions": [counts[s] for s in (*stages, *overview.BESIDE_FUNNEL)]})
show_table(table, "pipeline", key="overview_pipeline", labels={"stage": lambda s: STAGE_LABELS.get(s, s)})
