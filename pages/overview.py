"""Overview: headline metrics with their change vs the previous period, monthly trends and the
pipeline reported → ready → invoiced → disputed → resolved → paid.
Data: :func:`analytics.page_data.overview.headline`, :func:`analytics.page_data.overview.pipeline`,
:func:`analytics.metrics.table.metric_table` (scope applied in SQL)."""
from __future__ import annotations

import plotly.express as px
import streamlit as st

from analytics.page_data import overview
from analytics.catalog import METRICS_BY_NAME
from analytics.metrics.table import metric_table
from ui.i18n import column_config, fmt_delta, fmt_value, labels_of, metric_definition, metric_label, plot_separators, t
from ui.pagekit import cached, current_filters, show_table, start_page

#: The headline figures, in order (metric names of analytics.catalog).
HEADLINE = ("interventions", "first_time_fix_rate", "repeat_rate", "tat_days_median", "doc_complete_rate",
            "ready_rate", "dispute_rate", "requested_amount", "cost_per_intervention", "customer_rating_avg")


def column_of(name: str) -> str:
    """The metric_table column of a metric (amounts in euros)."""
    return METRICS_BY_NAME[name].value_column


viewer, con = start_page(t("Overview"))
filters = current_filters(viewer)

now, before = cached(overview.headline, viewer.scope, filters)
st.subheader(t("Headline figures"))
st.caption(t("Change vs the previous period of the same length.") if before is not None
           else t("Choose a period (From and To) to compare with the previous one."))
for start in range(0, len(HEADLINE), 5):
    for col, name in zip(st.columns(5), HEADLINE[start:start + 5]):
        better = METRICS_BY_NAME[name].better
        col.metric(metric_label(name), fmt_value(name, now[column_of(name)], compact=True),
                   delta=fmt_delta(name, now[column_of(name)], before[column_of(name)]) if before is not None else None,
                   delta_color="inverse" if better == "lower" else ("normal" if better else "off"),
                   help=metric_definition(name), border=True)

st.subheader(t("Monthly trends"))
monthly = cached(metric_table, viewer.scope, filters, ("month",))
trendable = [n for n in METRICS_BY_NAME if column_of(n) in monthly.columns]
chosen = st.selectbox(t("Metric"), trendable, index=trendable.index("first_time_fix_rate"),
                      format_func=labels_of(trendable, metric_label), key="overview_trend_metric")
st.caption(metric_definition(chosen))
if len(monthly):
    fig = px.line(monthly, x="month", y=column_of(chosen), markers=True,
                  labels={"month": "", column_of(chosen): metric_label(chosen)})
    if METRICS_BY_NAME[chosen].kind == "rate":
        fig.update_yaxes(tickformat=".0%")
    fig.update_layout(separators=plot_separators(), height=300, margin=dict(l=10, r=10, t=10, b=10))
    st.plotly_chart(fig, key="overview_trend_chart")
st.dataframe(monthly, hide_index=True, key="overview_monthly", column_config=column_config(monthly.columns))
show_table(monthly, "monthly_metrics", key="overview_monthly_dl", table=False)

st.subheader(t("Pipeline"))
stages = cached(overview.pipeline, viewer.scope, filters)
STAGE_LABELS = {"reported": t("Reported"), "ready": t("Ready"), "invoiced": t("Invoiced"), "disputed": t("Disputed"),
                "resolved": t("Dispute resolved"), "paid": t("Paid")}
fig = px.funnel(stages.assign(stage=stages["stage"].map(lambda s: STAGE_LABELS.get(s, s))), x="interventions", y="stage",
                labels={"stage": "", "interventions": t("Interventions reaching each stage")})
fig.update_layout(separators=plot_separators(), height=320, margin=dict(l=10, r=10, t=10, b=10))
st.plotly_chart(fig, key="overview_pipeline_chart")
show_table(stages, "pipeline", key="overview_pipeline", labels={"stage": lambda s: STAGE_LABELS.get(s, s)})
