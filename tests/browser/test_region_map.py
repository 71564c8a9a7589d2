"""The Territories map drills down in a real browser: a click on a country draws its regions as shapes
(plotly ``choropleth_map`` over the local ``data/geo/demo_regions.geojson``, no tiles, nothing fetched),
a click on a region shows its stations."""
from __future__ import annotations

import importlib.util
import io
import re

import numpy as np
import pytest
from PIL import Image

from analytics.access.scope import Scope
from analytics.core import store
from analytics.core.filters import Filters
from analytics.page_data import territories
from tests.browser.conftest import ROOT, login_as, open_page, screenshot, wait_for_app

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("build_regions", ROOT / "data" / "geo" / "build_regions.py")
build_regions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_regions)

MAP_JS = "gd => gd._fullLayout.map._subplot.map"


def _canvas(page, key: str):
    return page.locator(f".st-key-{key} .js-plotly-plot .maplibregl-canvas, "
                        f".st-key-{key} .js-plotly-plot .mapboxgl-canvas").first


def _click_lon_lat(page, key: str, lon: float, lat: float) -> None:
    """A real mouse click where the map of ``key`` draws (lon, lat) (plotly's map projection)."""
    plot = page.locator(f".st-key-{key} .js-plotly-plot")
    plot.scroll_into_view_if_needed()
    page.wait_for_function(f"() => {{ const gd = document.querySelector('.st-key-{key} .js-plotly-plot');"
                           f" return gd && gd._fullLayout && gd._fullLayout.map && ({MAP_JS})(gd).loaded(); }}")
    point = plot.evaluate(f"gd => ({MAP_JS})(gd).project([{lon}, {lat}])")
    box = _canvas(page, key).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    wait_for_app(page)


def _coloured_share(png: bytes) -> float:
    """The share of a screenshot's pixels drawn in colour (not white, grey or black)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    return float(((pixels.max(axis=2) - pixels.min(axis=2)) > 40).mean())


def test_a_country_shows_its_region_shapes_and_a_region_its_stations(page, demo_store):
    regions = territories.territory_table(store.reader(demo_store), Scope.manager(), Filters(countries=("DE",)),
                                          "region")
    busiest = regions[regions["region"] != ""].sort_values("interventions", ascending=False)["region"].iloc[0]
    login_as(page, "manager")
    open_page(page, "territories")
    _click_lon_lat(page, "territories_map", 10.4, 51.1)  # the middle of Germany on the map of Europe
    assert "country=DE" in page.url
    page.get_by_role("heading", name="Regions of Germany").wait_for(state="visible")
    # the regions are drawn as shapes: the map has rendered region features, and its canvas is coloured
    _canvas(page, "territories_region_map").wait_for(state="visible")
    page.wait_for_function(
        "() => { const gd = document.querySelector('.st-key-territories_region_map .js-plotly-plot');"
        f" if (!gd || !gd._fullLayout || !gd._fullLayout.map) return false; const map = ({MAP_JS})(gd);"
        " return map.loaded() && map.queryRenderedFeatures().length >= 8; }")
    rendered = page.locator(".st-key-territories_region_map .js-plotly-plot").evaluate(
        f"gd => ({MAP_JS})(gd).queryRenderedFeatures().length")
    assert rendered >= 8  # Germany's 8 demo regions (and the countries around)
    share = _coloured_share(_canvas(page, "territories_region_map").screenshot())
    assert share > 0.05, f"the regions map is blank ({share:.1%} coloured pixels)"
    screenshot(page, "territories_regions_DE")
    # a click on the busiest region (at its centre) shows its stations
    lat, lon = build_regions.CENTRES[busiest]
    _click_lon_lat(page, "territories_region_map", lon, lat)
    assert f"region={busiest}" in page.url
    page.get_by_role("heading", name=f"Stations of {busiest}").wait_for(state="visible")
    assert page.locator(".st-key-territories_stations_chart .bars path").count() > 0
    screenshot(page, f"territories_stations_{busiest}")
    assert not [u for u in page.external_requests if not re.match(r"^(data|blob):", u)], page.external_requests
