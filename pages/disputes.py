"""Disputes: rate and amounts by reason, territory, station, product category and month; a Pareto
of reasons; resolution times and outcomes; the list with a drill-down to one dispute and the
findings that predicted it; the share verification would have prevented.
Data: :mod:`analytics.metrics` and :mod:`analytics.disputes` (scope applied in SQL)."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.metrics import disputes, table as metrics
from analytics.page_data import disputes as disputes_page
from analytics.verification import queue as verification
from analytics.catalog import METRICS_BY_NAME
from ui.i18n import (NO_VALUE, choose, fmt_amount, fmt_date, fmt_month, fmt_number, fmt_percent, header_config, header_label,
                     labelled, language, metric_definition, metric_label, number_column, outcome_label, plot_separators,
                     reason_label, rule_label, status_label, t, with_label_columns)
from ui.explanations import explanation
from ui.maps import country_names
from ui.pagekit import (cached, chart_pick, current_filters, download_buttons, open_store, plain, present, set_view_param,
                        show_table, start_page)

#: The list shows the newest disputes, this many at most (the export always holds them all, read on click).
#: Each shown row is formatted in the page's language cell by cell: 2,000 rows cost about 0.45 s more
#: than 500 at every first view (docs/PERFORMANCE.md), and 500 already scroll well beyond a screen.
SHOWN_ROWS = 500

viewer, con = start_page(t("Disputes"))
filters = current_filters(viewer)


def _fmt(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "rate":  # "12.5 %" / "12,5 %"
        return fmt_percent(value, 1)
    if kind == "days":
        return fmt_number(value, 1) + " " + t("d")
    if kind == "amount":  # short enough for a headline: 12.8 k EUR / 12,8 k EUR
        if abs(float(value)) >= 10_000:
            return fmt_number(float(value) / 1000, 1) + "\u00a0k EUR"
        return fmt_number(value, 2) + " EUR"
    return fmt_number(value, 0)


# ---------------------------------------------------------------- headline
overall = cached(metrics.metric_table, viewer.scope, filters)
prevention = cached(disputes.dispute_prevention, viewer.scope, filters)
row = overall.iloc[0] if not overall.empty else pd.Series(dtype=object)
prevented_share = prevention["prevented_share"].iloc[0] if not prevention.empty else None
cols = [*st.columns(3), *st.columns(3)]  # two rows: the labels are read whole at 1366 px
for col, name, column in (
    (cols[0], "dispute_rate", "dispute_rate"),
    (cols[1], "disputed_amount", "disputed_amount_eur"),
    (cols[2], "dispute_resolution_days_median", "dispute_resolution_days_median"),
    (cols[3], "station_upheld_rate", "station_upheld_rate"),
):
    metric = METRICS_BY_NAME[name]
    col.metric(metric_label(name), _fmt(row.get(column), metric.kind), help=metric_definition(name))
cols[4].metric(t("Preventable by verification"), _fmt(prevented_share, "rate"),
               help=t("Share of disputes whose intervention carries a finding with the same code as the dispute's "
                      "reason: verification before invoicing would have flagged it."))
if not filters.applies_to_cells:
    st.caption(t("The first four figures count the disputes of every intervention of the other filters; the "
                 "“invoiced while blocked” filter applies to the share preventable and to everything below."))

# ---------------------------------------------------------------- Pareto of reasons
reason = st.query_params.get("reason") or None
by_reason = cached(disputes.dispute_prevention, viewer.scope, filters, by="reason")
st.subheader(t("Reasons (Pareto)"))
if by_reason.empty or by_reason["disputes"].sum() == 0:
    st.info(t("No dispute in this selection: no invoiced intervention of these filters was disputed."))
else:
    pareto = by_reason.sort_values(["disputes", "reason"], ascending=[False, True]).reset_index(drop=True)
    pareto["cumulative_share"] = pareto["disputes"].cumsum() / pareto["disputes"].sum()
    labels = [reason_label(r) for r in pareto["reason"]]
    fig = go.Figure()
    fig.add_bar(x=labels, y=pareto["disputes"], name=t("Disputes"), customdata=pareto["reason"],
                marker_color=["#1c3faa" if r == reason else "#4263eb" for r in pareto["reason"]],
                hovertemplate="%{x}: %{y}<extra></extra>")
    fig.add_scatter(x=labels, y=pareto["cumulative_share"] * 100, name=t("Cumulative %"), yaxis="y2",
                    mode="lines+markers", line_color="#e8590c", hoverinfo="skip")
    fig.update_layout(separators=plot_separators(), yaxis={"title": t("Disputes")},
                      yaxis2={"title": t("Cumulative %"), "overlaying": "y", "side": "right", "range": [0, 105],
                              "dtick": 25, "showgrid": False},
                      xaxis={"tickangle": -35}, height=400, margin={"t": 30, "b": 10},
                      legend={"orientation": "h", "y": 1.12, "x": 0})
    st.caption(t("Click a bar to see that reason's disputes by territory, station and month, and its list."))
    clicked = st.plotly_chart(fig, key="disputes_pareto", on_select="rerun", selection_mode="points")
    picked = chart_pick(clicked)
    if picked and picked != reason:
        set_view_param("reason", picked)
        st.rerun()
    table = pareto.assign(label=labels)
    table = table[["label", *[c for c in table.columns if c != "label"]]]
    show_table(table, "disputes_by_reason", key="disputes_by_reason", codes=("reason",))

if reason:
    left, _ = st.columns([2, 3])
    if left.button(t("Reason: {reason}").format(reason=reason_label(reason)) + "  ✕", key="disputes_reason_clear",
                   help=t("Remove this filter"), icon=":material/filter_alt_off:"):
        set_view_param("reason", None)
        st.rerun()

# ---------------------------------------------------------------- reasons growing fastest
growth = cached(disputes_page.reason_growth, viewer.scope, filters)
st.subheader(t("Reasons growing fastest"))
if growth.empty:
    st.info(t("No dispute in this selection: no growth to measure."))
else:
    (now_from, now_to), (before_from, before_to) = growth.attrs["period"], growth.attrs["before"]
    st.caption(t("Disputes by reason from {start} to {end} against the {days} days before ({before_start} to "
                 "{before_end}). Select a row to see the territories behind a reason.").format(
        start=fmt_date(now_from), end=fmt_date(now_to), days=fmt_number((now_to - now_from).days + 1),
        before_start=fmt_date(before_from), before_end=fmt_date(before_to)))
    shown_growth = growth.assign(label=[reason_label(r) for r in growth["reason"]])[
        ["label", "disputes", "disputes_before", "change", "growth", "reason"]]
    shown_growth.attrs = {}  # the periods (dates) are for the caption, not for the table's metadata
    event = st.dataframe(present(shown_growth), hide_index=True, placeholder=NO_VALUE, key="disputes_growth", on_select="rerun",
                         selection_mode="single-row",
                         column_config={**header_config(shown_growth.columns), "reason": None,
                                        "growth": number_column(header_label("growth"), "percent")})
    rows = event.selection.rows if event is not None and getattr(event, "selection", None) else []
    if rows and growth["reason"].iloc[rows[0]] != reason:
        set_view_param("reason", growth["reason"].iloc[rows[0]])
        st.rerun()

# ---------------------------------------------------------------- breakdowns
st.subheader(t("Breakdown") + (f" — {reason_label(reason)}" if reason else ""))
keys = ["country", "region", "product_category", "month"]
if viewer.scope.sees_other_stations:
    keys.insert(2, "station")
BY_NAMES = {"country": "Country", "region": "Region", "station": "Station", "product_category": "Product category",
            "month": "Month"}
BY_LABELS = {k: t(name) for k, name in BY_NAMES.items()}
#: A click on a bar of key -> the view parameter it sets (a month sets the period).
CLICK_FILTER = {"country": "country", "region": "region", "station": "stations", "product_category": "category"}
key = choose(st.radio, t("By"), keys, lambda k: t(BY_NAMES[k]), horizontal=True, key="disputes_by")
counted = cached(disputes_page.breakdown, viewer.scope, filters, key, reason)
if counted.empty:
    st.info(t("No dispute in this selection."))
else:
    ordered = counted.sort_values("key") if key == "month" else counted  # months in order, others by value
    countries = country_names(language())
    names = [f"{n} ({k})" if key == "station" and isinstance(n, str) else
             countries.get(k, k) if key == "country" else fmt_month(k) if key == "month" else str(k) if k else
             t("no region")
             for k, n in zip(ordered["key"], ordered["name"] if "name" in ordered else [None] * len(ordered))]
    top = ordered.head(30)
    bars = go.Figure(go.Bar(x=top["disputes"], y=names[:len(top)], orientation="h", customdata=top["key"],
                            marker_color="#4263eb", hovertemplate="%{y}: %{x}<extra></extra>"))
    bars.update_layout(separators=plot_separators(), xaxis_title=t("Disputes"),
                       yaxis={"autorange": "reversed", "automargin": True},
                       height=max(240, 26 * len(top) + 80), margin={"t": 10, "b": 10})
    st.caption(t("Most disputes first. Click a bar to filter the page by it.") if key != "month" else
               t("Click a bar to set the period to that month."))
    clicked = st.plotly_chart(bars, key=f"disputes_breakdown_chart_{key}", on_select="rerun", selection_mode="points")
    picked = chart_pick(clicked)
    if picked:
        if key == "month":
            first = dt.date.fromisoformat(picked + "-01")
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            set_view_param("from", first.isoformat())
            set_view_param("to", last.isoformat())
        else:
            set_view_param(CLICK_FILTER[key], picked)
        st.rerun()
    show_table(counted.rename(columns={"key": metrics.KEY_COLUMNS[key]}), f"disputes_by_{key}",
               key="disputes_breakdown_counts")
if not reason:
    column = metrics.KEY_COLUMNS[key]
    table = cached(metrics.metric_table, viewer.scope, filters, by=[key])
    shown = ["interventions", "dispute_rate", "disputed_amount_eur", "dispute_resolution_days_median",
             "station_upheld_rate"]
    st.markdown("**" + t("Dispute rate and resolution by {key}").format(key=BY_LABELS.get(key, key).lower()) + "**")
    show_table(table[[column, *[c for c in shown if c in table.columns]]], f"dispute_rates_by_{key}",
               key="disputes_breakdown")

# ---------------------------------------------------------------- invoiced while blocked
st.subheader(t("Disputes on interventions invoiced while blocked"))
blocked = cached(disputes_page.breakdown, viewer.scope, filters, "reason")
if blocked.empty:
    st.info(t("No dispute in this selection."))
else:
    on_blocked, all_disputes = int(blocked["invoiced_blocked_disputes"].sum()), int(blocked["disputes"].sum())
    left, right = st.columns([1, 3])
    left.metric(t("Share of disputes"), _fmt(on_blocked / all_disputes, "rate"),
                help=t("Disputes on interventions invoiced although verification blocks them, of all the disputes "
                       "of the selection: invoicing only what verification lets through would have avoided them."))
    left.caption(t("{on_blocked} of {disputes} disputes").format(on_blocked=fmt_number(on_blocked),
                                                                  disputes=fmt_number(all_disputes)))
    if filters.invoiced_blocked is None and on_blocked:
        if left.button(t("Only these disputes"), key="disputes_blocked_only", icon=":material/filter_alt:"):
            set_view_param("invoiced_blocked", "yes")
            st.rerun()
    shares = blocked.sort_values(["invoiced_blocked_share", "disputes"], ascending=False)
    share_bars = go.Figure(go.Bar(x=shares["invoiced_blocked_share"] * 100, y=[reason_label(r) for r in shares["key"]],
                                  orientation="h", customdata=shares["key"], marker_color="#c92a2a",
                                  text=[f"{fmt_number(n)} / {fmt_number(d)}" for n, d in
                                        zip(shares["invoiced_blocked_disputes"], shares["disputes"])],
                                  hovertemplate="%{y}: %{x:.1f} % (%{text})<extra></extra>"))
    share_bars.update_layout(separators=plot_separators(), xaxis={"title": t("Share of disputes (%)"),
                                                                  "range": [0, 100]},
                             yaxis={"autorange": "reversed", "automargin": True},
                             height=max(200, 26 * len(shares) + 80), margin={"t": 10, "b": 10})
    with right:
        st.caption(t("By reason: the share of each reason's disputes that are on interventions invoiced while "
                     "blocked. Click a bar to filter the page by that reason; the breakdown above gives the same "
                     "share by territory, station and month."))
        picked = chart_pick(st.plotly_chart(share_bars, key="disputes_blocked_chart", on_select="rerun",
                                            selection_mode="points"))
    if picked and picked != reason:
        set_view_param("reason", picked)
        st.rerun()
    shown_blocked = blocked.assign(label=[reason_label(r) for r in blocked["key"]]).rename(columns={"key": "reason"})
    show_table(shown_blocked[["label", "reason", "disputes", "invoiced_blocked_disputes", "invoiced_blocked_share"]],
               "disputes_invoiced_blocked_by_reason", key="disputes_blocked_by_reason", codes=("reason",))

# ---------------------------------------------------------------- resolution times and outcomes
# Counted in SQL (outcomes, days to resolution) and the list cut to its newest rows: the page
# never reads every dispute (hundreds of thousands at 10M interventions); the export does, on click.
outcomes = pd.Series(cached(disputes.outcome_counts, viewer.scope, filters), dtype="int64")
n_disputes = int(outcomes.sum())
st.subheader(t("Resolution times and outcomes"))
if n_disputes == 0:
    st.write(t("No dispute in this selection."))
else:
    left, right = st.columns(2)
    days = cached(disputes.resolution_days, viewer.scope, filters)
    hist = go.Figure(go.Histogram(x=days["days"], y=days["disputes"], histfunc="sum", nbinsx=30,
                                  marker_color="#364fc7", name=t("Disputes")))
    hist.update_layout(separators=plot_separators(), xaxis_title=t("Days from opening to resolution"),
                       yaxis_title=t("Resolved disputes"),
                       height=300, margin={"t": 10, "b": 10})
    left.plotly_chart(hist, key="disputes_resolution_days")
    order = [o for o in ("station", "manufacturer", "split", "withdrawn", "open") if o in outcomes.index]
    colours = {"station": "#2b8a3e", "manufacturer": "#c92a2a", "split": "#e8590c", "withdrawn": "#868e96",
               "open": "#4263eb"}
    bars = go.Figure(go.Bar(x=[outcome_label(o) for o in order], y=[int(outcomes[o]) for o in order],
                            marker_color=[colours[o] for o in order]))
    bars.update_layout(separators=plot_separators(), xaxis_title=t("Outcome"), yaxis_title=t("Disputes"), height=300,
                       margin={"t": 10, "b": 10})
    right.plotly_chart(bars, key="disputes_outcomes")
    st.caption(t("Outcome “station”: the station's claim stands; “manufacturer”: the claim is cut; "
                 "“open”: not resolved yet."))

# ---------------------------------------------------------------- the list, drill-down
st.subheader(t("Disputes"))
if n_disputes:
    if reason:  # the reason chosen on the Pareto: its disputes only
        n_disputes = int(by_reason.loc[by_reason["reason"] == reason, "disputes"].sum())
    details = cached(disputes.dispute_details, viewer.scope, filters, SHOWN_ROWS, reason)
    details = details.assign(reason_label=labelled(details["reason"], reason_label))
    event = st.dataframe(present(details.assign(outcome=labelled(details["outcome"], outcome_label))),
                         hide_index=True, placeholder=NO_VALUE, key="disputes_list", on_select="rerun", selection_mode="single-row",
                         # the reason's label on screen; its code (and the reason as given) in the export
                         column_config={**header_config(details.columns), "reason": None, "reason_given": None})
    chosen = event.selection.rows if event and event.selection else []
    if chosen:
        one = details.iloc[chosen[0]]
        with st.container(border=True):
            # ids, the reason as given and the currency are data: verbatim (plain), the words around them translated
            st.markdown(plain(t("Dispute {dispute} on intervention {intervention} (invoice {invoice})").format(
                dispute=one["dispute_id"], intervention=one["intervention_id"], invoice=one["invoice_id"])))
            resolved_on = t("open") if pd.isna(one["resolved_on"]) else t("resolved {day} — outcome {outcome}").format(
                day=fmt_date(pd.Timestamp(one["resolved_on"]).date()), outcome=outcome_label(one["outcome"]))
            st.markdown(plain(t("Reason {reason} · opened {day} · {resolution} · disputed {amount}").format(
                reason=one["reason_given"], day=fmt_date(pd.Timestamp(one["opened_on"]).date()), resolution=resolved_on,
                amount=fmt_amount(one["disputed_amount"], one["currency"] or ""))))
            findings = verification.findings_of(con, viewer.scope, one["intervention_id"])
            if findings.empty:
                st.write(t("No finding on this intervention: verification would not have flagged it."))
            else:
                st.write(t("Verification flagged this reason before invoicing. Findings on the intervention:")
                         if one["prevented"] else
                         t("Verification did not flag this reason. Findings on the intervention:"))
                findings = findings.assign(matches_reason=findings["code"] == one["reason"],
                                           label=findings["code"].map(rule_label),
                                           severity=findings["severity"].map(status_label),
                                           explanation=labelled(findings["explanation"], explanation))
                shown_cols = ["code", "label", "severity", "matches_reason", "explanation"]
                st.dataframe(present(findings[shown_cols]), hide_index=True, placeholder=NO_VALUE, key="disputes_findings",
                             column_config=header_config(shown_cols))
    else:
        st.caption(t("Select a dispute in the list to see it and the findings that predicted it."))
    if n_disputes > SHOWN_ROWS:
        st.caption(t("The newest {shown} are shown; the export holds all {total}.").format(
            shown=fmt_number(SHOWN_ROWS), total=fmt_number(n_disputes)))
    scope = viewer.scope
    download_buttons(with_label_columns(lambda: disputes.dispute_details(open_store(), scope, filters, reason=reason),
                                        {"reason": reason_label, "outcome": outcome_label}), "disputes",
                     key="disputes_export", inputs=(scope, filters, reason))
