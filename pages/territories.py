"""Territories: a map of Europe coloured by a chosen metric, the country and region table, and the
policy parameters of each territory side by side. Data: :mod:`analytics.territories`."""
from __future__ import annotations

import streamlit as st

from analytics.page_data import territories
from analytics.catalog import METRICS_BY_NAME
from ui.i18n import labels_of, language, metric_definition, metric_label, t
from ui.maps import country_names, europe_choropleth
from ui.pagekit import cached, current_filters, show_table, start_page

viewer, con = start_page(t("Territories"))
filters = current_filters(viewer)

metric = st.selectbox(t("Colour the map by"), territories.MAP_METRICS, key="territories_metric",
                      index=territories.MAP_METRICS.index("dispute_rate"),
                      format_func=labels_of(territories.MAP_METRICS, metric_label))
definition = METRICS_BY_NAME[metric]
st.caption(metric_definition(metric) + (" " + t("Amounts in euros.") if definition.kind == "amount" else ""))

countries = cached(territories.territory_table, viewer.scope, filters, "country")
column = territories.map_column(metric)
is_rate = definition.kind == "rate"
values = countries[["country"]].assign(value=countries[column] * (100 if is_rate else 1))
label = metric_label(metric) + (" (%)" if is_rate else " (EUR)" if definition.kind == "amount" else "")
st.plotly_chart(europe_choropleth(values, value_column="value", label=label, better=definition.better,
                                  hover_format=".1f" if definition.kind in ("rate", "days", "rating") else ",.0f",
                                  lang=language()),
                key="territories_map")
if values["value"].isna().all():
    st.info(t("No country has a value for “{metric}” in this selection: the map stays grey.").format(
        metric=metric_label(metric)))
unknown = sorted(set(countries["country"]) - set(country_names()))
if unknown:
    st.caption(t("Not on the map (no shape for these codes):") + " " + ", ".join(unknown))

st.subheader(t("Countries"))
show_table(countries, "territories_countries", key="territories_countries")
st.subheader(t("Regions"))
show_table(cached(territories.territory_table, viewer.scope, filters, "region"), "territories_regions",
           key="territories_regions")

st.subheader(t("Policy parameters by territory"))
st.caption(t("The values of the policy version in force today for each territory: base values, replaced by "
             "the country's and then the region's overrides where they exist (“overridden” names them)."))
show_table(cached(territories.policy_parameters, viewer.scope), "territories_policy_parameters",
           key="territories_policy")
