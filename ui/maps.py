"""The map of Europe: a plotly ``choropleth_map`` over a local GeoJSON, nothing from a CDN.

Shapes come from ``data/geo/europe_countries.geojson`` (Natural Earth 1:110m, public
domain; see ``data/geo/build_europe.py``) and, for a country's regions,
``data/geo/demo_regions.geojson`` (schematic cells, see ``data/geo/build_regions.py``). ``map_style="white-bg"`` draws no tiles, so
the map renders with no internet. Every country of the file is drawn in light grey
under the data, so a country with no value reads as "no value", never as 0.
"""
from __future__ import annotations

import functools
import json
import math

import pandas as pd
import plotly.graph_objects as go

from analytics.core.config import DATA_DIR
from ui.i18n import number_marks

GEOJSON_PATH = DATA_DIR / "geo" / "europe_countries.geojson"
#: Schematic shapes of the demo's regions (nearest-centre cells clipped to the country, not real
#: borders; see ``data/geo/build_regions.py``), feature ``id`` = region code.
REGIONS_GEOJSON_PATH = DATA_DIR / "geo" / "demo_regions.geojson"
NO_VALUE_COLOUR = "#e6e6e6"
BORDER_COLOUR = "#ffffff"
#: The one good-to-bad scale of every chart (:func:`good_to_bad`): pale for the good end, dark red
#: for the bad end (a darker colour always reads as "worse"); it starts away from the "no value"
#: grey and from white, so the best value still reads as a value.
GOOD_TO_BAD = [[0.0, "#fde0c5"], [0.5, "#f16913"], [1.0, "#7f2704"]]
#: Metrics with no better side (a count of interventions): pale = fewer, dark = more.
NEUTRAL = [[0.0, "#c6dbef"], [0.5, "#4292c6"], [1.0, "#08306b"]]


def good_to_bad(better: str | None) -> tuple[list, bool]:
    """``(colorscale, reversescale)`` for a metric whose ``better`` side is "higher", "lower" or
    None: the bad end is always the dark one."""
    if better is None:
        return NEUTRAL, False
    return GOOD_TO_BAD, better == "higher"  # higher is better: low values are the bad, dark end
EUROPE_CENTER = {"lat": 53.0, "lon": 12.0}


@functools.cache
def europe_geojson() -> dict:
    """The country shapes (feature ``id`` = ISO 3166-1 alpha-2)."""
    return json.loads(GEOJSON_PATH.read_text(encoding="utf-8"))


def known_countries() -> frozenset[str]:
    return frozenset(f["id"] for f in europe_geojson()["features"])


#: French names of the countries of the shape file (shown in the map's hover in French).
COUNTRY_NAMES_FR = {
    "AL": "Albanie", "AM": "Arménie", "AT": "Autriche", "AZ": "Azerbaïdjan", "BA": "Bosnie-Herzégovine",
    "BE": "Belgique", "BG": "Bulgarie", "BY": "Biélorussie", "CH": "Suisse", "CY": "Chypre", "CZ": "Tchéquie",
    "DE": "Allemagne", "DK": "Danemark", "DZ": "Algérie", "EE": "Estonie", "ES": "Espagne", "FI": "Finlande",
    "FR": "France", "GB": "Royaume-Uni", "GE": "Géorgie", "GR": "Grèce", "HR": "Croatie", "HU": "Hongrie",
    "IE": "Irlande", "IS": "Islande", "IT": "Italie", "LT": "Lituanie", "LU": "Luxembourg", "LV": "Lettonie",
    "MA": "Maroc", "MD": "Moldavie", "ME": "Monténégro", "MK": "Macédoine du Nord", "NL": "Pays-Bas",
    "NO": "Norvège", "PL": "Pologne", "PT": "Portugal", "RO": "Roumanie", "RS": "Serbie", "RU": "Russie",
    "SE": "Suède", "SI": "Slovénie", "SK": "Slovaquie", "TN": "Tunisie", "TR": "Turquie", "UA": "Ukraine",
    "XK": "Kosovo",
}


def _center_of(country: str) -> dict:
    """The middle of a country's largest shape (the map zooms there when the country is selected;
    the largest shape keeps France on Europe, not between Europe and French Guiana)."""
    for f in europe_geojson()["features"]:
        if f["id"] != country:
            continue
        geometry = f["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        ring = max((p[0] for p in polygons), key=len)
        lons, lats = [c[0] for c in ring], [c[1] for c in ring]
        return {"lat": (min(lats) + max(lats)) / 2, "lon": (min(lons) + max(lons)) / 2}
    return EUROPE_CENTER


def country_names(lang: str = "en") -> dict[str, str]:
    """Country id -> name in ``lang`` (``en``: the shape file's names; ``fr``: :data:`COUNTRY_NAMES_FR`,
    the file's name for a country it lacks)."""
    names = {f["id"]: f["properties"]["name"] for f in europe_geojson()["features"]}
    return {i: COUNTRY_NAMES_FR.get(i, n) for i, n in names.items()} if lang == "fr" else names


def _flat_layer(geojson: dict, ids: list[str], text: list[str], *, colour: str = NO_VALUE_COLOUR,
                line_colour: str = BORDER_COLOUR, line_width: float = 0.6,
                customdata: list[str] | None = None) -> go.Choroplethmap:
    """Shapes in one flat colour: places with no value, or the context around the data."""
    return go.Choroplethmap(
        geojson=geojson, locations=ids, z=[0] * len(ids), customdata=customdata,
        colorscale=[[0, colour], [1, colour]], showscale=False,
        marker_line_color=line_colour, marker_line_width=line_width,
        text=text, hovertemplate="%{text}<extra></extra>", name="",
    )


def _with_value(values: pd.DataFrame, key: str, value_column: str, ids: list[str]) -> pd.DataFrame:
    """The rows of ``values`` whose ``key`` has a shape and whose value is not missing."""
    data = values[[key, value_column]]
    data = data[data[key].isin(set(ids))]
    return data[[v is not None and not (isinstance(v, float) and math.isnan(v)) for v in data[value_column]]]


def europe_choropleth(values: pd.DataFrame, *, value_column: str, label: str,
                      better: str | None = None, hover_format: str = ",.2f",
                      height: int = 520, lang: str = "en", focus: str | None = None) -> go.Figure:
    """A map of Europe with each country of ``values`` (column ``country``) coloured by ``value_column``.

    Rows whose value is missing (no value) and countries absent from ``values`` stay grey.
    ``better`` ("higher"/"lower"/None) orients the colour scale so the dark end is the bad one
    (:func:`good_to_bad`); ``label`` should say which way is better.
    ``lang`` names the countries in the hover (``en`` or ``fr``); ``label`` is given translated.
    """
    geojson = europe_geojson()
    all_ids = [f["id"] for f in geojson["features"]]
    names = country_names(lang)
    fig = go.Figure()
    fig.add_trace(_flat_layer(geojson, all_ids, [names[i] for i in all_ids]))
    data = _with_value(values, "country", value_column, all_ids)
    if not data.empty:
        z = [float(v) for v in data[value_column]]
        scale, reverse = good_to_bad(better)
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, locations=list(data["country"]), z=z, customdata=list(data["country"]),
            colorscale=scale, reversescale=reverse,
            marker_line_color=BORDER_COLOUR, marker_line_width=0.6,
            colorbar={"title": {"text": label, "side": "right"}, "thickness": 12},
            text=[names.get(c, c) for c in data["country"]],
            hovertemplate=f"%{{text}}<br>{label}: %{{z:{hover_format}}}<extra></extra>", name=label,
        ))
    fig.update_layout(
        separators="".join(number_marks(lang)),  # decimal mark, thousands separator
        map_style="white-bg", map_center=_center_of(focus) if focus else EUROPE_CENTER,
        map_zoom=4.2 if focus else 2.4,
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height,
    )
    return fig


@functools.cache
def regions_geojson() -> dict:
    """The demo regions' schematic shapes (feature ``id`` = region code, ``properties.country``)."""
    return json.loads(REGIONS_GEOJSON_PATH.read_text(encoding="utf-8"))


def region_shapes(country: str) -> dict:
    """The region shapes of ``country`` as a FeatureCollection (empty when it has none)."""
    return {"type": "FeatureCollection",
            "features": [f for f in regions_geojson()["features"] if f["properties"]["country"] == country]}


def _view_of(features: list[dict], width_px: int = 700, height_px: int = 480) -> tuple[dict, float]:
    """The centre and zoom that fit ``features`` in a map of about ``width_px`` × ``height_px``
    (web Mercator, 512-pixel world at zoom 0)."""
    points = [p for f in features for polygon in f["geometry"]["coordinates"] for p in polygon[0]]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    mercator = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    lon_span = max(max(lons) - min(lons), 0.5)
    y_span = max(mercator(max(lats)) - mercator(min(lats)), 0.01)
    zoom = min(math.log2(width_px * 360 / (512 * lon_span)), math.log2(height_px * 2 * math.pi / (512 * y_span)))
    middle = math.degrees(2 * math.atan(math.exp((mercator(max(lats)) + mercator(min(lats))) / 2)) - math.pi / 2)
    return {"lat": middle, "lon": (min(lons) + max(lons)) / 2}, zoom - 0.3


def region_choropleth(values: pd.DataFrame, country: str, *, value_column: str, label: str,
                      better: str | None = None, hover_format: str = ",.2f", height: int = 520,
                      lang: str = "en", selected: str | None = None) -> go.Figure:
    """The map of ``country``'s regions (:func:`region_shapes`) coloured by ``value_column`` of
    ``values`` (column ``region``), the other countries grey around it. A click picks a point whose
    ``customdata`` is ``"region:<code>"`` on a region, ``"country:<code>"`` on another country.
    Regions without a value stay grey; ``selected`` is outlined."""
    shapes = region_shapes(country)
    europe = europe_geojson()
    names = country_names(lang)
    others = [f["id"] for f in europe["features"] if f["id"] != country]
    fig = go.Figure()
    fig.add_trace(_flat_layer(europe, others, [names[i] for i in others], colour="#f3f3f3", line_colour="#d0d0d0",
                              customdata=[f"country:{c}" for c in others]))
    region_names = {f["id"]: f["properties"]["name"] for f in shapes["features"]}
    all_ids = list(region_names)
    fig.add_trace(_flat_layer(shapes, all_ids, [region_names[r] for r in all_ids], line_width=1.2,
                              customdata=[f"region:{r}" for r in all_ids]))
    data = _with_value(values, "region", value_column, all_ids)
    if not data.empty:
        scale, reverse = good_to_bad(better)
        fig.add_trace(go.Choroplethmap(
            geojson=shapes, locations=list(data["region"]), z=[float(v) for v in data[value_column]],
            customdata=[f"region:{r}" for r in data["region"]], colorscale=scale, reversescale=reverse,
            marker_line_color=["#1c1c1c" if r == selected else BORDER_COLOUR for r in data["region"]],
            marker_line_width=[3 if r == selected else 1.2 for r in data["region"]],
            colorbar={"title": {"text": label, "side": "right"}, "thickness": 12},
            text=[f"{region_names[r]} ({r})" for r in data["region"]],
            hovertemplate=f"%{{text}}<br>{label}: %{{z:{hover_format}}}<extra></extra>", name=label,
        ))
    center, zoom = _view_of(shapes["features"]) if shapes["features"] else (_center_of(country), 4.2)
    fig.update_layout(
        separators=",\u00a0" if lang == "fr" else ".,",
        map_style="white-bg", map_center=center, map_zoom=zoom,
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, height=height,
    )
    return fig
