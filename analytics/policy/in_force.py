"""Policies as the viewer may see them: versions, base values, overrides, what is in force.

Reads the normalised policy tables (``policy_versions``, ``policy_values``,
``policy_bonus_tiers``, migration 001) through ``queries/policies/*.sql``, with the
viewer's :class:`~analytics.access.scope.Scope` applied in SQL:

* a manager sees every policy;
* a manufacturer sees only its own;
* a station sees the policies of the manufacturers it has done interventions for,
  and of those only the base and the overrides that apply to it (its country, its
  region inside that country, its own agreement) — never another station's agreement
  nor another territory's override.

Resolution follows ``policy-format.md``: base, then the country override, then the
region override (same country, region equal to the key exactly), then the station's
own; scalars and lists replace, tables merge key by key — which is the same as taking,
for each ``(key, item)``, the most specific level that sets it.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics.core import sql
from analytics.access.scope import Scope

LEVELS = ("base", "country", "region", "station")
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

#: The parameters shown side by side per territory (labour rate, currency, travel, VAT).
TERRITORY_KEYS = (
    "currency", "vat_rate", "labor_rate_per_hour", "no_fault_found_fee",
    "travel_flat_fee", "travel_free_km", "travel_rate_per_km", "max_travel_km",
)

_SETTING_COLUMNS = ["key", "item", "value_text", "num_value", "text_value", "list_value"]


def territory_label(level: str, country: str = "", region: str = "", station_id: str = "") -> str:
    """A short name for where a setting applies: ``base``, ``FR``, ``FR / FR10``, ``station S0042``."""
    if level == "base":
        return "base"
    if level == "country":
        return country
    if level == "region":
        return f"{country} / {region}"
    return f"station {station_id}"


def versions(con: duckdb.DuckDBPyConnection, scope: Scope, on: dt.date | None = None) -> pd.DataFrame:
    """Timeline of policy versions: ``manufacturer_id, manufacturer_name, valid_from, valid_to,
    in_force`` (on ``on``, default today), plus the number of overrides of each level the viewer
    may see (``country_overrides``, ``region_overrides``, ``station_overrides``)."""
    frame = sql.fetch_df(con, "policy/versions", {**scope.params(), "on": on})
    for column in ("valid_from", "valid_to"):  # days, not timestamps
        frame[column] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in frame[column]]
    settings = values(con, scope)
    for level in ("country", "region", "station"):
        sub = settings[settings["level"] == level]
        counts = (sub.drop_duplicates(["manufacturer_id", "valid_from", "country", "region", "station_id"])
                  .groupby(["manufacturer_id", "valid_from"]).size())
        counts.index = [(m, pd.Timestamp(v)) for m, v in counts.index]
        keys = [(m, pd.Timestamp(v)) for m, v in zip(frame["manufacturer_id"], frame["valid_from"])]
        frame[f"{level}_overrides"] = [int(counts.get(k, 0)) for k in keys]
    return frame


def values(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Every setting of every version the viewer may see (see ``queries/policies/values.sql``),
    with a ``territory`` label column."""
    frame = sql.fetch_df(con, "policy/values", scope.params())
    frame["territory"] = [
        territory_label(lv, c, r, s)
        for lv, c, r, s in zip(frame["level"], frame["country"], frame["region"], frame["station_id"])
    ]
    return frame


def version_in_force(con: duckdb.DuckDBPyConnection, scope: Scope, manufacturer_id: str,
                     on: dt.date | None = None) -> dt.date | None:
    """``valid_from`` of the manufacturer's version in force on ``on`` (default today), or None."""
    timeline = versions(con, scope, on)
    row = timeline[(timeline["manufacturer_id"] == manufacturer_id) & timeline["in_force"]]
    return None if row.empty else pd.Timestamp(row["valid_from"].iloc[0]).date()


def settings_of_version(con: duckdb.DuckDBPyConnection, scope: Scope, manufacturer_id: str,
                        valid_from: dt.date) -> pd.DataFrame:
    """The settings of one version the viewer may see, base first then overrides by level."""
    frame = values(con, scope)
    return _one_version(frame, manufacturer_id, valid_from)


def _one_version(frame: pd.DataFrame, manufacturer_id: str, valid_from) -> pd.DataFrame:
    day = pd.Timestamp(valid_from)
    mask = (frame["manufacturer_id"] == manufacturer_id) & (pd.to_datetime(frame["valid_from"]) == day)
    return frame[mask].reset_index(drop=True)


def resolve(settings: pd.DataFrame, country: str = "", region: str = "", station_id: str = "") -> pd.DataFrame:
    """The values in force for one territory, from the settings of one version.

    Returns one row per ``(key, item)``: the value and ``level`` / ``territory`` naming where it
    comes from (``base`` when no override applies).
    """
    applies = (
        (settings["level"] == "base")
        | ((settings["level"] == "country") & (settings["country"] == country))
        | ((settings["level"] == "region") & (settings["country"] == country)
           & (settings["region"] == (region or "")) & bool(region))
        | ((settings["level"] == "station") & (settings["station_id"] == (station_id or "")) & bool(station_id))
    )
    candidates = settings[applies].copy()
    candidates["_rank"] = candidates["level"].map(_LEVEL_RANK)
    resolved = (candidates.sort_values(["key", "item", "_rank"])
                .drop_duplicates(["key", "item"], keep="last")
                .drop(columns="_rank"))
    return resolved[[*_SETTING_COLUMNS, "level", "territory"]].reset_index(drop=True)


def policy_in_force(con: duckdb.DuckDBPyConnection, scope: Scope, manufacturer_id: str, *,
                    country: str = "", region: str = "", station_id: str = "",
                    on: dt.date | None = None) -> pd.DataFrame:
    """The resolved policy of ``manufacturer_id`` for a territory on ``on`` (default today).

    Empty when no version is in force or the policy is outside the viewer's scope. A station
    asking for another territory gets only what applies to it (its scope filters the overrides).
    """
    valid_from = version_in_force(con, scope, manufacturer_id, on)
    if valid_from is None:
        return pd.DataFrame(columns=[*_SETTING_COLUMNS, "level", "territory"])
    return resolve(settings_of_version(con, scope, manufacturer_id, valid_from), country, region, station_id)


def territory_parameters(con: duckdb.DuckDBPyConnection, scope: Scope, on: dt.date | None = None,
                         keys: tuple[str, ...] = TERRITORY_KEYS) -> pd.DataFrame:
    """The main policy parameters of every territory side by side, for the version in force on ``on``.

    One row per ``(manufacturer_id, country, region)`` (region ``''``: the country as a whole;
    see ``queries/territories/policy_territories.sql``), with ``valid_from`` of the version, a
    column per key (numbers as floats, ``currency`` as text) and ``overridden``: the keys whose
    value differs from the base because of an override, each with its level.
    """
    territories = sql.fetch_df(con, "page_data/territories/policy_territories", scope.params())
    timeline = versions(con, scope, on)
    in_force = timeline[timeline["in_force"]]
    settings = values(con, scope)
    rows = []
    for manufacturer_id, valid_from in zip(in_force["manufacturer_id"], in_force["valid_from"]):
        version = _one_version(settings, manufacturer_id, valid_from)
        by_level = _scalars_by_level(version[version["item"] == ""])
        for country, region in territories.loc[territories["manufacturer_id"] == manufacturer_id,
                                               ["country", "region"]].itertuples(index=False):
            # the same order as resolve(): base, then country, then region (scalars replace)
            resolved: dict[str, tuple] = {}
            for level_key in (("base", "", ""), ("country", country, ""), ("region", country, region or None)):
                resolved.update(by_level.get(level_key, {}))
            row = {"manufacturer_id": manufacturer_id, "country": country, "region": region,
                   "valid_from": pd.Timestamp(valid_from).date()}
            for key in keys:
                row[key] = resolved[key][0] if key in resolved else None
            row["overridden"] = "; ".join(f"{key} ({resolved[key][1]})" for key in keys
                                          if key in resolved and resolved[key][1] != "base")
            rows.append(row)
    columns = ["manufacturer_id", "country", "region", "valid_from", *keys, "overridden"]
    return pd.DataFrame(rows, columns=columns)


def _scalars_by_level(scalars: pd.DataFrame) -> dict[tuple, dict[str, tuple]]:
    """``{(level, country, region): {key: (value, level)}}`` of one version's scalar settings, so
    that resolving a territory is three dict look-ups (``resolve`` filters a frame per territory:
    seconds for the two hundred territories of the Territories page). Numbers as floats, other
    values as their text. Base is keyed ``("base", "", "")``, a country override
    ``("country", country, "")``, a region override ``("region", country, region)``; station
    agreements are not territories and are left out."""
    out: dict[tuple, dict[str, tuple]] = {}
    for level, country, region, key, num, text in scalars[
            ["level", "country", "region", "key", "num_value", "value_text"]].itertuples(index=False):
        if level == "station":
            continue
        where = ("base", "", "") if level == "base" else \
            ("country", country, "") if level == "country" else ("region", country, region)
        value = float(num) if num is not None and not pd.isna(num) else text
        out.setdefault(where, {})[key] = (value, level)
    return out


def version_changes(con: duckdb.DuckDBPyConnection, scope: Scope, manufacturer_id: str) -> pd.DataFrame:
    """What each version changed against the one before, setting by setting (as the viewer sees them).

    Columns ``valid_from, territory, key, item, before, after, change`` (``added``, ``changed``,
    ``removed``); the first version lists every setting as ``added``.
    """
    settings = values(con, scope)
    mine = settings[settings["manufacturer_id"] == manufacturer_id]
    ident = ["level", "country", "region", "station_id", "territory", "key", "item"]
    out = []
    previous = pd.DataFrame(columns=[*ident, "value_text"])
    for valid_from in sorted(mine["valid_from"].unique()):
        current = mine[mine["valid_from"] == valid_from][[*ident, "value_text"]]
        merged = previous.merge(current, on=ident, how="outer", suffixes=("_before", "_after"))
        for rec in merged.itertuples(index=False):
            before, after = rec.value_text_before, rec.value_text_after
            before = None if pd.isna(before) else before
            after = None if pd.isna(after) else after
            if before == after:
                continue
            change = "added" if before is None else "removed" if after is None else "changed"
            out.append({"valid_from": pd.Timestamp(valid_from).date(), "level": rec.level,
                        "territory": rec.territory, "key": rec.key, "item": rec.item,
                        "before": before, "after": after, "change": change})
        previous = current
    # object dtype: "before"/"after" keep None for "no value" (pandas would infer NaN)
    frame = pd.DataFrame(out, columns=["valid_from", "level", "territory", "key", "item", "before", "after", "change"],
                         dtype=object)
    if not frame.empty:
        frame["_rank"] = frame["level"].map(_LEVEL_RANK)
        frame = frame.sort_values(["valid_from", "_rank", "territory", "key", "item"]).drop(columns="_rank")
    return frame.reset_index(drop=True)


def bonus_tiers(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """Bonus/malus tiers of every version the viewer may see, in file order."""
    return sql.fetch_df(con, "policy/bonus_tiers", scope.params())
