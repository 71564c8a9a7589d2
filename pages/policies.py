"""Policies: the policy in force per territory, base values and overrides told apart,
and the timeline of versions. Data: :mod:`analytics.policies` (scope applied in SQL)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.express as px
import streamlit as st

from analytics.policy import in_force as policies
from ui.i18n import choose, date_input_format, decimal_text, fmt_date, plot_separators, t
from ui.figures import style_date_axis
from ui.pagekit import cached, show_table, start_page

viewer, con = start_page(t("Policies"),
                         t("Each manufacturer defines one European base policy, then overrides what differs per "
                           "country, per region and, by agreement, per station. Each version applies to "
                           "interventions completed on or after its start day."))

on = st.date_input(t("In force on"), value=dt.date.today(), key="policies_on",
                   format=date_input_format())
timeline = cached(policies.versions, viewer.scope, on)
if timeline.empty:
    st.info(t("No policy is visible to you yet: policies arrive with an import (one TOML file per manufacturer)."))
    st.stop()

# ---------------------------------------------------------------- timeline of versions
st.subheader(t("Versions"))
bars = timeline.copy()
horizon = max(pd.Timestamp(on), pd.to_datetime(bars["valid_from"]).max()) + pd.Timedelta(days=180)
bars["start"] = pd.to_datetime(bars["valid_from"])
bars["end"] = pd.to_datetime(bars["valid_to"]).fillna(horizon) + pd.Timedelta(days=1)
bars["version"] = [fmt_date(v) for v in bars["valid_from"]]
IN_FORCE, NOT_IN_FORCE = t("in force"), t("not in force")
bars["status"] = bars["in_force"].map({True: IN_FORCE, False: NOT_IN_FORCE})
fig = px.timeline(bars, x_start="start", x_end="end", y="manufacturer_id", color="status", text="version",
                  color_discrete_map={IN_FORCE: "#2b8a3e", NOT_IN_FORCE: "#adb5bd"},
                  hover_data={"version": True, "start": False, "end": False},
                  labels={"version": t("Version"), "manufacturer_id": t("Manufacturer"), "status": t("Status")})
fig.add_vline(x=pd.Timestamp(on).timestamp() * 1000, line_dash="dot", line_color="#495057")
fig.update_layout(separators=plot_separators(), height=120 + 40 * bars["manufacturer_id"].nunique(), margin={"t": 10, "b": 10},
                  yaxis_title=None, xaxis_title=None, legend_title_text=None)
style_date_axis(fig)
st.plotly_chart(fig, key="policies_timeline")
show_table(timeline, "policy_versions", key="policies_versions")

# ---------------------------------------------------------------- one version
manufacturers = list(dict.fromkeys(timeline["manufacturer_id"]))
names = dict(zip(timeline["manufacturer_id"], timeline["manufacturer_name"]))
col_m, col_v = st.columns(2)
manufacturer_id = col_m.selectbox(t("Manufacturer"), manufacturers, key="policies_manufacturer",
                                  format_func=lambda m: f"{m} — {names.get(m) or m}")
mine = timeline[timeline["manufacturer_id"] == manufacturer_id]
version_days = [pd.Timestamp(v).date() for v in mine["valid_from"]]
in_force = [pd.Timestamp(v).date() for v in mine.loc[mine["in_force"], "valid_from"]]
valid_from = choose(col_v.selectbox, t("Version (start day)"), version_days,
                    lambda d: fmt_date(d) + (" — " + t("in force") if d in in_force else ""), key="policies_version",
                    index=version_days.index(in_force[0]) if in_force else len(version_days) - 1)

#: The override levels (data values: raw in the downloads), shown in the page's language.
LEVEL_LABELS = {"base": t("base"), "country": t("country"), "region": t("region"), "station": t("station")}
settings = cached(policies.settings_of_version, viewer.scope, manufacturer_id, valid_from)
base = settings[settings["level"] == "base"]
overrides = settings[settings["level"] != "base"]

st.subheader(t("Base values (European policy)"))
show_table(base[["key", "item", "value_text"]].rename(columns={"value_text": "value"}),
           f"policy_{manufacturer_id}_{valid_from}_base", key="policies_base", texts={"value": decimal_text})

st.subheader(t("Overrides"))
if overrides.empty:
    st.write(t("This version has no override you can see: the base applies everywhere."))
else:
    base_values = dict(zip(zip(base["key"], base["item"]), base["value_text"]))
    shown = overrides[["level", "territory", "key", "item", "value_text"]].rename(columns={"value_text": "value"})
    shown.insert(len(shown.columns), "base value",
                 [base_values.get((k, i)) for k, i in zip(overrides["key"], overrides["item"])])
    show_table(shown, f"policy_{manufacturer_id}_{valid_from}_overrides", key="policies_overrides",
               labels={"level": lambda v: LEVEL_LABELS.get(v, v)},
               texts={"value": decimal_text, "base value": decimal_text})

# ---------------------------------------------------------------- in force for a territory
st.subheader(t("Policy in force for a territory"))
territories = [("", "", "")]
for row in overrides.itertuples(index=False):
    if row.level == "country":
        territories.append((row.country, "", ""))
    elif row.level == "region":
        territories.append((row.country, row.region, ""))
    elif row.level == "station":
        territories.append(("", "", row.station_id))
territories = list(dict.fromkeys(territories))


def _territory_name(where: tuple[str, str, str]) -> str:
    country, region, station_id = where
    if station_id:
        return t("station {station}").format(station=station_id)
    if region:
        return f"{country} / {region}"
    return country or t("base (no override)")


territory = choose(st.selectbox, t("Territory"), territories, _territory_name, key="policies_territory")
resolved = policies.resolve(settings, *territory)
show_table(resolved[["key", "item", "value_text", "level", "territory"]].rename(
    columns={"value_text": "value", "territory": "from"}),
    f"policy_{manufacturer_id}_{valid_from}_resolved", key="policies_resolved",
    labels={"level": lambda v: LEVEL_LABELS.get(v, v)}, texts={"value": decimal_text})
st.caption(t("“from” names where each value comes from: the base, or the override that replaces it. "
             "A station override applies on top of the station's country and region overrides."))

tiers = cached(policies.bonus_tiers, viewer.scope)
tiers = tiers[(tiers["manufacturer_id"] == manufacturer_id)
              & (pd.to_datetime(tiers["valid_from"]) == pd.Timestamp(valid_from))]
if not tiers.empty:
    st.subheader(t("Performance bonus and malus"))
    show_table(tiers[["tier_no", "min_score", "max_score", "labor_adjustment"]],
               f"policy_{manufacturer_id}_{valid_from}_tiers", key="policies_tiers")

st.subheader(t("What each version changed"))
show_table(cached(policies.version_changes, viewer.scope, manufacturer_id),
           f"policy_{manufacturer_id}_changes", key="policies_changes")
