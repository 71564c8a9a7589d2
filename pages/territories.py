"""Territories: a map of Europe coloured by a chosen metric (darker is worse on every metric with
a better side); a click on a country shows its regions (shapes on the map, and bars worst first), a
click on a region its stations (worst first, named), a click on a station opens its scorecard — each step a filter kept in the URL and
removable from the path above the charts. Then the country and region tables and the policy
parameters of each territory side by side. Data: :mod:`analytics.page_data.territories`."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from analytics.page_data import territories
from analytics.catalog import METRICS_BY_NAME

from ui.i18n import choose, language, metric_definition, metric_label, plot_separators, t
from ui.maps import country_names, europe_choropleth, good_to_bad, region_choropleth, region_shapes
from ui.pagekit import cached, chart_pick, current_filters, kept_params, set_view_param, show_table, start_page

viewer, con = start_page(t("Territories"))
filters = current_filters(viewer)

metric = choose(st.selectbox, t("Colour the map by"), territories.MAP_METRICS, metric_label, key="territories_metric",
                index=territories.MAP_METRICS.index("dispute_rate"))
definition = METRICS_BY_NAME[metric]
st.caption(metric_definition(metric) + (" " + t("Amounts in euros.") if definition.kind == "amount" else ""))

countries = cached(territories.territory_table, viewer.scope, filters, "country")
column = territories.map_column(metric)
is_rate = definition.kind == "rate"
scale = 100 if is_rate else 1
unit = " (%)" if is_rate else " (EUR)" if definition.kind == "amount" else ""
better_note = {"lower": t("lower is better"), "higher": t("higher is better")}.get(definition.better)
label = metric_label(metric) + unit
focus = filters.countries[0] if len(filters.countries) == 1 else None
region = filters.regions[0] if focus and len(filters.regions) == 1 else None
hover_format = ".1f" if definition.kind in ("rate", "days", "rating") else ",.0f"
if focus and region_shapes(focus)["features"]:
    # a country chosen: its regions as shapes (every region of it, the chosen one outlined)
    of_country = cached(territories.territory_table, viewer.scope, filters.with_(regions=()), "region")
    of_country = of_country[of_country["country"] == focus]
    st.caption(t("Darker is worse ({better}). Click a region to see its stations, another country to go there.")
               .format(better=better_note) if better_note else
               t("Darker is more. Click a region to see its stations, another country to go there."))
    clicked = st.plotly_chart(region_choropleth(of_country[["region"]].assign(value=of_country[column] * scale),
                                                focus, value_column="value", label=label, better=definition.better,
                                                hover_format=hover_format, lang=language(), selected=region),
                              key="territories_region_map", on_select="rerun", selection_mode="points")
    st.caption(t("Region shapes are schematic (each region drawn as the part of its country nearest its centre), "
                 "not official borders."))
    kind, _, code = (chart_pick(clicked) or "").partition(":")
    if kind == "region" and code != region:
        set_view_param("region", code)
        st.rerun()
    if kind == "country" and code != focus:
        set_view_param("country", code)
        set_view_param("region", None)
        st.rerun()
else:
    # the map keeps every country (another one stays a click away); the chosen one is zoomed to
    everywhere = cached(territories.territory_table, viewer.scope, filters.with_(countries=(), regions=()), "country")
    values = everywhere[["country"]].assign(value=everywhere[column] * scale)
    st.caption(t("Darker is worse ({better}). Click a country to see its regions.").format(better=better_note)
               if better_note else t("Darker is more. Click a country to see its regions."))
    clicked = st.plotly_chart(europe_choropleth(values, value_column="value", label=label, better=definition.better,
                                                hover_format=hover_format, lang=language(), focus=focus),
                              key="territories_map", on_select="rerun", selection_mode="points")
    picked = chart_pick(clicked)
    if picked and picked != focus:
        set_view_param("country", picked)
        set_view_param("region", None)
        st.rerun()
    if values["value"].isna().all():
        st.info(t("No country has a value for “{metric}” in this selection: the map stays grey.").format(
            metric=metric_label(metric)))
unknown = sorted(set(countries["country"]) - set(country_names()))
if unknown:
    st.caption(t("Not on the map (no shape for these codes):") + " " + ", ".join(unknown))

names = country_names(language())
path = [(t("Europe"), ("country", "region"))]
if focus:
    path.append((names.get(focus, focus), ("region",)))
if region:
    path.append((region, ()))
if len(path) > 1:  # where the drill-down is, each step a button back to it
    for col, (name, clears) in zip(st.columns(len(path) + 3), path):
        if col.button(name, key=f"territories_path_{name}", disabled=not clears, icon=":material/chevron_right:"):
            for param in clears:
                set_view_param(param, None)
            st.rerun()


def ranked_bars(table, key_column: str, names_of, chart_key: str, caption: str):
    """Horizontal bars of ``metric`` per ``key_column``, worst first, labelled with names; a click
    returns the clicked key."""
    data = table.dropna(subset=[column])
    if data.empty:
        st.info(t("No value of “{metric}” here in this selection.").format(metric=metric_label(metric)))
        return None
    worst_first = data.sort_values(column, ascending=definition.better == "higher", kind="stable").head(40)
    shown = [names_of(k) for k in worst_first[key_column]]
    bars = go.Figure(go.Bar(x=worst_first[column] * scale, y=shown, orientation="h",
                            customdata=list(worst_first[key_column]),
                            marker={"color": list(worst_first[column] * scale), "colorscale": good_to_bad(
                                definition.better)[0], "reversescale": good_to_bad(definition.better)[1]},
                            hovertemplate="%{y}: %{x:.1f}<extra></extra>" if definition.kind != "count"
                            else "%{y}: %{x:,.0f}<extra></extra>"))
    bars.update_layout(separators=plot_separators(), xaxis_title=label, height=max(220, 24 * len(shown) + 80),
                       yaxis={"autorange": "reversed", "automargin": True}, margin={"t": 10, "b": 10})
    st.caption(caption)
    return chart_pick(st.plotly_chart(bars, key=chart_key, on_select="rerun", selection_mode="points"))


regions = cached(territories.territory_table, viewer.scope, filters, "region")
if focus and not region:
    st.subheader(t("Regions of {country}").format(country=names.get(focus, focus)))
    region_names = {f["id"]: f["properties"]["name"] for f in region_shapes(focus)["features"]}
    picked = ranked_bars(regions[regions["region"] != ""], "region",
                         lambda r: f"{region_names[r]} ({r})" if r in region_names else str(r), "territories_regions_chart",
                         t("Worst first. Click a region to see its stations."))
    if picked:
        set_view_param("region", picked)
        st.rerun()
if region:
    st.subheader(t("Stations of {region}").format(region=region))
    stations = cached(territories.territory_table, viewer.scope, filters, "station")
    station_names = dict(zip(stations["station_id"], stations["name"]))
    picked = ranked_bars(stations, "station_id", lambda s: f"{station_names.get(s) or ''} ({s})",
                         "territories_stations_chart", t("Worst first. Click a station to open its scorecard."))
    show_table(stations, f"territories_stations_{region}", key="territories_stations")
    if picked:
        st.switch_page("pages/scorecard.py", query_params={**kept_params(), "station": picked})

st.subheader(t("Countries"))
show_table(countries, "territories_countries", key="territories_countries")
st.subheader(t("Regions"))
show_table(regions, "territories_regions", key="territories_regions")

st.subheader(t("Policy parameters by territory"))
st.caption(t("The values of the policy version in force today for each territory: base values, replaced by "
             "the country's and then the region's overrides where they exist (“overridden” names them)."))
show_table(cached(territories.policy_parameters, viewer.scope), "territories_policy_parameters",
           key="territories_policy")
