"""Build ``europe_countries.geojson`` (committed) from Natural Earth 1:110m countries.

Provenance: Natural Earth "Admin 0 – Countries" 1:110m (public domain,
naturalearthdata.com), as shipped inside the PyPI wheel ``geopandas==0.14.4``
(``geopandas/datasets/naturalearth_lowres``). Run once, by hand, offline::

    pip download --no-deps -d /tmp/geo geopandas==0.14.4 pyshp==3.1.6
    cd /tmp/geo && unzip -q geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' \
        && unzip -q pyshp-3.1.6-py3-none-any.whl -d pyshp
    PYTHONPATH=/tmp/geo/pyshp python data/geo/build_europe.py \
        /tmp/geo/geopandas/datasets/naturalearth_lowres/naturalearth_lowres

The app never runs this script: it only reads the GeoJSON. Every polygon is
clipped to a box around Europe (so Russia, Turkey and France's overseas parts
do not stretch the map) and coordinates are rounded to 0.01°.
Feature ``id`` and ``properties.iso_a2`` are the ISO 3166-1 alpha-2 code
the data contract uses for ``stations.country``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

# ISO alpha-3 (Natural Earth) -> alpha-2 (data contract). Kosovo is "-99" in NE.
ISO2 = {
    "ALB": "AL", "AUT": "AT", "BEL": "BE", "BGR": "BG", "BIH": "BA", "BLR": "BY", "CHE": "CH",
    "CYP": "CY", "CZE": "CZ", "DEU": "DE", "DNK": "DK", "ESP": "ES", "EST": "EE", "FIN": "FI",
    "FRA": "FR", "GBR": "GB", "GRC": "GR", "HRV": "HR", "HUN": "HU", "IRL": "IE", "ISL": "IS",
    "ITA": "IT", "LTU": "LT", "LUX": "LU", "LVA": "LV", "MDA": "MD", "MKD": "MK", "MNE": "ME",
    "NLD": "NL", "NOR": "NO", "POL": "PL", "PRT": "PT", "ROU": "RO", "RUS": "RU", "SRB": "RS",
    "SVK": "SK", "SVN": "SI", "SWE": "SE", "TUR": "TR", "UKR": "UA", "-99:Kosovo": "XK",
    "MAR": "MA", "DZA": "DZ", "TUN": "TN", "GEO": "GE", "ARM": "AM", "AZE": "AZ", "KAZ": "KZ",
}
BOX = (-25.0, 34.0, 45.0, 71.5)  # lon_min, lat_min, lon_max, lat_max


def _clip(ring, edge_inside, intersect):
    out = []
    for i, cur in enumerate(ring):
        prev = ring[i - 1]
        if edge_inside(cur):
            if not edge_inside(prev):
                out.append(intersect(prev, cur))
            out.append(cur)
        elif edge_inside(prev):
            out.append(intersect(prev, cur))
    return out


def clip_ring(ring, box=BOX):
    """Sutherland–Hodgman clipping of a polygon ring to an axis-aligned box."""
    x0, y0, x1, y1 = box

    def at_x(x):
        return lambda p, q: (x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0]))

    def at_y(y):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y)

    pts = [tuple(p) for p in ring]
    for inside, cut in (
        (lambda p: p[0] >= x0, at_x(x0)), (lambda p: p[0] <= x1, at_x(x1)),
        (lambda p: p[1] >= y0, at_y(y0)), (lambda p: p[1] <= y1, at_y(y1)),
    ):
        if not pts:
            break
        pts = _clip(pts, inside, cut)
    rounded = []
    for x, y in pts:
        p = [round(x, 2), round(y, 2)]
        if not rounded or rounded[-1] != p:
            rounded.append(p)
    if len(rounded) < 3:
        return None
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= 4 else None


def build(shp_base: str) -> dict:
    import shapefile  # pyshp, only needed to rebuild

    features = []
    reader = shapefile.Reader(shp_base)
    for shape_rec in reader.iterShapeRecords():
        rec = shape_rec.record
        key = rec["iso_a3"] if rec["iso_a3"] != "-99" else f"-99:{rec['name']}"
        iso2 = ISO2.get(key)
        if iso2 is None:
            continue
        geo = shape_rec.shape.__geo_interface__
        polygons = [geo["coordinates"]] if geo["type"] == "Polygon" else geo["coordinates"]
        clipped = []
        for polygon in polygons:
            outer = clip_ring(polygon[0])
            if outer is None:
                continue
            holes = [h for h in (clip_ring(r) for r in polygon[1:]) if h]
            clipped.append([outer, *holes])
        if not clipped:
            continue
        features.append({
            "type": "Feature",
            "id": iso2,
            "properties": {"iso_a2": iso2, "name": rec["name"]},
            "geometry": {"type": "MultiPolygon", "coordinates": clipped},
        })
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    out = Path(__file__).with_name("europe_countries.geojson")
    out.write_text(json.dumps(build(sys.argv[1]), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size} bytes)")
