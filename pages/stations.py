"""Stations (network managers and manufacturers): the league table of a brand's stations with
their score and every metric — sortable (click a header), searchable — and the scatter of
first-time fix vs repeat rate (size = volume, colour = country). Selecting a station in the table
or the chart opens its scorecard.
Data: :func:`analytics.scorecard.league_table` (scope applied in SQL)."""
from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from analytics.page_data import disputes as disputes_page, scorecard, territories
from analytics.access.auth import may_open
from ui.i18n import NO_VALUE, column_config, header_config, metric_definition, metric_label, plot_separators, t
from ui.pagekit import cached, chart_pick, current_filters, present, set_view_param, show_table, start_page

viewer, con = start_page(t("Stations"))
if not may_open(viewer.role, "stations"):
    st.error(t("The league table is for network managers and manufacturers: see your own scorecard."))
    st.stop()
filters = current_filters(viewer)

brands = cached(territories.filter_choices, viewer.scope)["manufacturer"]
if filters.manufacturer_ids:
    brands = [b for b in brands if b in filters.manufacturer_ids]
if not brands:
    st.info(t("No station in your selection."))
    st.stop()
wanted = st.query_params.get("manufacturer")
manufacturer = st.selectbox(t("Manufacturer"), brands, index=brands.index(wanted) if wanted in brands else 0,
                            key="stations_manufacturer", help=metric_definition("score"))
table = cached(scorecard.league_table, viewer.scope, filters, manufacturer)

search = st.text_input(t("Search a station (id, name, country)"), key="stations_search").strip().lower()
if search:  # a display filter only: the figures are those of the whole selection
    hay = (table["station_id"] + " " + table["name"].fillna("") + " " + table["country"].fillna("")).str.lower()
    table = table[hay.str.contains(search, regex=False)].reset_index(drop=True)

if table.empty:
    st.info(t("No station matches “{search}” (searched in ids, names and countries): clear the search to see all "
              "the stations.").format(search=search) if search else t("No station in your selection."))
    st.stop()

st.subheader(t("Stations by disputes"))
st.caption(t("Most disputes first, named; click a bar to keep that station in the filters of every page."))
by_disputes = cached(disputes_page.breakdown, viewer.scope, filters.with_(manufacturer_ids=(manufacturer,)), "station")
by_disputes = by_disputes[by_disputes["key"].isin(set(table["station_id"]))].head(25)
if by_disputes.empty:
    st.caption(t("No dispute on these stations in this selection."))
else:
    bars = go.Figure(go.Bar(x=by_disputes["disputes"], y=[f"{n} ({k})" for k, n in zip(by_disputes["key"],
                                                                                         by_disputes["name"])],
                            orientation="h", customdata=list(by_disputes["key"]), marker_color="#4263eb",
                            hovertemplate="%{y}: %{x}<extra></extra>"))
    bars.update_layout(separators=plot_separators(), xaxis_title=t("Disputes"), height=26 * len(by_disputes) + 80,
                       yaxis={"autorange": "reversed", "automargin": True}, margin=dict(l=10, r=10, t=10, b=10))
    picked = chart_pick(st.plotly_chart(bars, key="stations_disputes_chart", on_select="rerun",
                                        selection_mode="points"))
    if picked:
        set_view_param("stations", picked)
        st.rerun()

st.subheader(t("League table"))
st.caption(t("Select a row or a point to open its scorecard."))
picked = st.dataframe(present(table), hide_index=True, placeholder=NO_VALUE, key="stations_table", on_select="rerun", selection_mode="single-row",
                      column_config={**header_config(table.columns), **column_config(table.columns)},
                      height=420)
show_table(table, f"stations_{manufacturer}", key="stations_download", table=False)

st.subheader(t("First-time fix vs repeat rate"))
plotted = table.dropna(subset=["first_time_fix_rate", "repeat_rate"])
fig = px.scatter(plotted, x="first_time_fix_rate", y="repeat_rate", size="interventions", color="country",
                 hover_name="name", custom_data=["station_id"],
                 labels={"first_time_fix_rate": metric_label("first_time_fix_rate"),
                         "repeat_rate": metric_label("repeat_rate"), "country": "",
                         "interventions": metric_label("interventions")})
fig.update_xaxes(tickformat=".0%")
fig.update_yaxes(tickformat=".0%")
fig.update_layout(separators=plot_separators(), height=420, margin=dict(l=10, r=10, t=10, b=10))
clicked = st.plotly_chart(fig, key="stations_scatter", on_select="rerun", selection_mode="points")

selected = None
rows = getattr(getattr(picked, "selection", None), "rows", None) or []
if rows:
    selected = table.iloc[rows[0]]["station_id"]
points = (getattr(clicked, "selection", None) or {}).get("points", []) if clicked else []
if points and points[0].get("customdata"):
    selected = points[0]["customdata"][0]
if selected:
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    query.update(station=selected, manufacturer=manufacturer)
    st.switch_page("pages/scorecard.py", query_params=query)
