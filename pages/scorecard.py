"""Scorecard of one station for one brand (a station user sees only its own): the score with
every term ("why my score is 72"), its rank, the bonus/malus tier, each metric vs the median and
quartiles of comparable stations (same brand, same country; anonymous, withheld under 5 stations),
the monthly trend, requested vs calculated vs paid amounts, what to fix now (open findings and
disputes) and which improvement would raise the score most.
Data: :mod:`analytics.page_data.scorecard` (the score, the months, the station's own figures, what to
fix), :func:`analytics.metrics.table.peer_comparison` (scope applied in SQL). The station and brand are in the URL
(``?station=S0001&manufacturer=M01``); a value outside the viewer's scope is refused."""
from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from analytics.page_data import overview, scorecard
from analytics.metrics.table import peer_comparison
from ui.figures import incomplete_caption, style_trend
from ui.i18n import (NO_VALUE, choose, column_config, fmt_amount, fmt_month, fmt_number, fmt_percent, fmt_value,
                     header_config, header_label, metric_definition, metric_label, number_column, plot_separators,
                     rule_label, status_label, t)
from ui.pagekit import cached, current_filters, plain, present, show_table, start_page



def metric_rows(frame: pd.DataFrame, file_stem: str, key: str) -> None:
    """A table with one row per metric: its label, and each metric-valued column (value, median,
    quartiles) shown by the metric's kind (%, days, €); other numbers to one decimal. Downloads keep
    the values as they are."""
    shown = frame.copy()
    shown.insert(1, "label", shown["metric"].map(metric_label))
    for col in ("value", "median", "q1", "q3"):
        if col in shown.columns:
            shown[col] = [fmt_value(m, v) for m, v in zip(shown["metric"], shown[col])]
    decimals = {c: 1 for c in ("percentile_rank", "contribution", "score", "score_if", "gain") if c in shown.columns}
    decimals.update({c: 2 for c in ("weight",) if c in shown.columns})
    numbers = {c: number_column(header_label(c), f"%.{n}f") for c, n in decimals.items()}
    st.dataframe(present(shown, decimals), hide_index=True, placeholder=NO_VALUE, key=key,
                 column_config={**header_config(shown.columns), **numbers, "metric": None})  # its label shown
    show_table(frame, file_stem, key=f"{key}_dl", table=False)


viewer, con = start_page(t("Scorecard"))
filters = current_filters(viewer)

choices = cached(scorecard.station_choices, viewer.scope, filters)
if choices.empty:
    st.info(t("No station in your selection."))
    st.stop()
stations = choices.drop_duplicates("station_id")
names = dict(zip(stations["station_id"], stations["name"]))
wanted_station, wanted_brand = st.query_params.get("station"), st.query_params.get("manufacturer")
if (wanted_station and wanted_station not in names) or (
        wanted_brand and wanted_brand not in set(choices["manufacturer_id"])):
    st.warning(t("The station or brand of the link is outside your view or your filters: it was ignored."))
station_ids = list(stations["station_id"])
left, right = st.columns(2)
station = left.selectbox(t("Station"), station_ids,
                         index=station_ids.index(wanted_station) if wanted_station in names else 0,
                         format_func=lambda s: f"{s} — {names[s]}", key="scorecard_station")
brands = list(choices.loc[choices["station_id"] == station, "manufacturer_id"])
manufacturer = right.selectbox(t("Manufacturer"), brands,
                               index=brands.index(wanted_brand) if wanted_brand in brands else 0,
                               key="scorecard_manufacturer")
st.query_params["station"], st.query_params["manufacturer"] = station, manufacturer
country = stations.loc[stations["station_id"] == station, "country"].iloc[0]
# the station filter chose the stations on offer; the station is then compared with all its peers
filters = filters.with_(station_ids=())
own = filters.with_(station_ids=(station,), manufacturer_ids=(manufacturer,))
# score, rank, terms, gains and the peers (same brand, same country) from one scoring of the period
# (analytics.page_data.scorecard.score_summary)
summary = cached(scorecard.score_summary, viewer.scope, filters, station, manufacturer, country)
peers = summary["peers"]
# said up front for every brand of the station, not only once the brand is switched to
withheld_brands = [b for b in brands
                   if (lambda p: len(p) > 0 and bool(p["withheld"].all()))(
                       peers if b == manufacturer else
                       cached(peer_comparison, viewer.scope, filters.with_(countries=(country,)), station, b))]
if withheld_brands:
    st.info(t("Comparison with other stations withheld for {brands}: fewer than 5 comparable stations (same brand, "
              "same country).").format(brands=", ".join(withheld_brands)))

# ------------------------------------------------------------ score, rank, tier
row = summary["score"]
score = row["score"].iloc[0] if len(row) else None
rank, ranked = summary["rank"]
# the months of the station from one reading of the brand's figures by station and month
# (analytics.page_data.scorecard.monthly): the monthly scores and figures of the trend, and the tier of
# the last month worked that the data covers whole (scored among all the brand's stations that month)
months = cached(scorecard.monthly, viewer.scope, filters, station, manufacturer)
monthly, tiers = months["scores"], months["tier"]
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("Score"), fmt_value("score", score), help=metric_definition("score"), border=True)
c2.metric(t("Rank"), f"{rank} / {ranked}" if rank else "—", border=True,
          help=t("Rank by score among the scored stations of this brand in the period (1 = best)."))
last = tiers.iloc[-1] if len(tiers) else None
c3.metric(t("Bonus/malus tier") + (f" ({fmt_month(last['month'])})" if last is not None else ""),
          "—" if last is None or pd.isna(last["tier_no"]) else
          f"{int(last['tier_no'])}: {'+' if float(last['labor_adjustment']) >= 0 else '-'}"
          f"{fmt_percent(abs(float(last['labor_adjustment'])), 0)}", border=True,
          help=t("The tier of the policy's bonus_tiers the month's score falls in, and its labour adjustment."))
c4.metric(metric_label("interventions"), fmt_value("interventions", int(row["interventions"].iloc[0]) if len(row) else 0),
          border=True, help=metric_definition("interventions"))
if last is None:
    c3.caption(t("— : this brand's policy has no bonus/malus tiers, or the station has no month in the selection."))
elif pd.isna(last["score"]):
    c3.caption(t("— : no score for {month} alone (fewer than 20 interventions that month); the score beside is "
                 "the whole period's.").format(month=fmt_month(last["month"])))
elif pd.isna(last["tier_no"]):
    c3.caption(t("— : the score of {month} ({score}) falls in none of the policy's tiers.").format(
        month=fmt_month(last["month"]), score=fmt_number(last["score"], 1)))
else:
    c3.caption(t("From the score of {month} alone ({score}).").format(month=fmt_month(last["month"]),
                                                                      score=fmt_number(last["score"], 1)))
if score is None or pd.isna(score):
    st.info(t("Not enough data for a score (fewer than 20 interventions)."))

st.subheader(t("Why this score"))
terms = summary["terms"]
terms = terms[terms["station_id"] == station][["metric", "value", "percentile_rank", "ranked_stations", "weight",
                                                "contribution"]]
metric_rows(terms, f"score_terms_{station}_{manufacturer}", "scorecard_terms")

st.subheader(t("Which improvement would raise the score most"))
gains = summary["gains"]
if len(gains):
    best = gains.iloc[0]
    st.success(t("{metric} at the network median ({median}): +{gain} points").format(
        metric=metric_label(best["metric"]), median=fmt_value(best["metric"], best["median"]),
        gain=fmt_number(best["gain"], 1)))
if len(gains):
    metric_rows(gains, f"score_gains_{station}_{manufacturer}", "scorecard_gains")
elif score is None or pd.isna(score):
    st.info(t("No score, so no improvement to compute: the station needs at least 20 interventions of this brand "
              "in the period."))
else:
    st.info(t("No metric below the network median: bringing any metric to the median would not raise the score."))

# ------------------------------------------------------------ peers
st.subheader(t("Compared with comparable stations"))
st.caption(t("Same brand ({brand}), same country ({country}): median and quartiles of the stations with a value; "
             "withheld below 5 stations.").format(brand=plain(manufacturer), country=plain(country)))
if len(peers) and peers["withheld"].all():
    st.info(t("Withheld: fewer than 5 comparable stations."))
metric_rows(peers, f"peers_{station}_{manufacturer}", "scorecard_peers")

# ------------------------------------------------------------ trend
st.subheader(t("Trend"))
figures = months["figures"]
has_monthly_score = bool(len(monthly)) and monthly["score"].notna().any()
trend_options = (["score"] if has_monthly_score else []) + [
    m for m in ("first_time_fix_rate", "repeat_rate", "tat_days_median", "doc_complete_rate", "ready_rate",
                "dispute_rate", "customer_rating_avg", "interventions")]
trend_metric = choose(st.selectbox, t("Metric"), trend_options, metric_label, key="scorecard_trend_metric")
if not has_monthly_score:
    st.caption(t("No monthly score: the station has fewer than 20 interventions of this brand in every month."))
trend = monthly if trend_metric == "score" else figures
if len(trend):
    fig = px.line(trend, x="month", y=trend_metric, markers=True,
                  labels={"month": "", trend_metric: metric_label(trend_metric)})
    last_day = cached(overview.data_last_day, viewer.scope)
    incomplete = overview.incomplete_months(last_day, own)
    style_trend(fig, rate=trend_metric.endswith("_rate"), incomplete=incomplete, months=trend["month"])
    fig.update_layout(separators=plot_separators(), height=260, margin=dict(l=10, r=10, t=10, b=10))
    st.plotly_chart(fig, key="scorecard_trend")
    note = incomplete_caption(incomplete & set(trend["month"]), last_day)
    if note:
        st.caption(note)
st.dataframe(present(figures), hide_index=True, placeholder=NO_VALUE, key="scorecard_monthly", column_config=column_config(figures.columns))
show_table(figures, f"monthly_{station}_{manufacturer}", key="scorecard_monthly_dl", table=False)

# ------------------------------------------------------------ amounts
st.subheader(t("Amounts"))
total = summary["total"].iloc[0]
paid = cached(scorecard.paid_amounts, viewer.scope, filters, station, manufacturer)
currency = total["currency"] or "EUR"
native = total["currency"] is not None
a1, a2, a3 = st.columns(3)
a1.metric(metric_label("requested_amount"),
          fmt_amount(total["requested_amount" if native else "requested_amount_eur"], currency if native else "EUR"),
          help=metric_definition("requested_amount"), border=True)
a2.metric(metric_label("calculated_amount"),
          fmt_amount(total["calculated_amount" if native else "calculated_amount_eur"], currency if native else "EUR"),
          help=metric_definition("calculated_amount"), border=True)
a3.metric(t("Paid"), " + ".join(fmt_amount(r.paid_amount, r.currency) for r in paid.itertuples()) or "—",
          help=t("Sum of the paid amounts of the invoices issued in the period."), border=True)

# ------------------------------------------------------------ what to fix now
st.subheader(t("What to fix now"))
open_items = (
    (t("Open findings"), scorecard.open_findings, "findings"),
    (t("Open disputes"), scorecard.open_disputes, "disputes"),
)
for column, (heading, reader, name) in zip(st.columns(2), open_items):
    with column:
        st.markdown(f"**{heading}**")
        items = cached(reader, viewer.scope, filters, station, manufacturer)
        if items.empty:
            st.caption(t("Nothing open."))
            continue
        if "code" in items.columns:
            items.insert(1, "label", items["code"].map(rule_label))
        # the rule's label on screen, its code in the downloads
        show_table(items, f"open_{name}_{station}_{manufacturer}", key=f"scorecard_{name}", codes=("code",),
                   labels={"severity": status_label, "reason": rule_label})
