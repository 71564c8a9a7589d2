"""Build ``demo_regions.geojson`` (committed): schematic shapes of the demo network's regions.

Real NUTS-2 borders are not available offline (Eurostat's GISCO files are downloads), so the shapes
are **schematic, not borders**: each demo region (``analytics/demo/geography.py``) is the part of its
country — the polygons of ``europe_countries.geojson`` — nearer to the region's centre than to the
centre of any other demo region of the same country (a Voronoi cell clipped to the country, distances
on an equirectangular plane at the country's mean latitude). The demo lists only some regions of each
country, so together its regions cover the whole country. The centres below are the approximate middle
of each NUTS 2021 level-2 region (degrees, by hand from the regions' main cities). Run once, by hand,
when the demo's regions change (the app only reads the GeoJSON)::

    python data/geo/build_regions.py

Feature ``id`` is the region code ``stations.region`` holds; ``properties`` name the region and its
country. Coordinates are rounded to 0.01°, like the country shapes.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: region code -> (latitude, longitude) of its approximate middle.
CENTRES: dict[str, tuple[float, float]] = {
    # France
    "FR10": (48.71, 2.50), "FRK2": (45.55, 5.60), "FRL0": (43.95, 6.05), "FRI1": (44.40, -0.45),
    "FRE1": (50.48, 2.75), "FRH0": (48.15, -2.85), "FRC1": (47.25, 4.20),
    # Germany
    "DE30": (52.50, 13.40), "DE21": (48.00, 11.70), "DE60": (53.55, 10.00), "DEA2": (50.85, 6.90),
    "DE71": (50.00, 8.70), "DE11": (48.90, 9.30), "DED2": (51.10, 14.20), "DE80": (53.80, 12.50),
    # Italy
    "ITC4": (45.60, 9.80), "ITI4": (41.90, 12.80), "ITF3": (40.85, 14.80), "ITC1": (45.05, 7.90),
    "ITH5": (44.50, 11.00), "ITG1": (37.55, 14.15),
    # Spain
    "ES30": (40.45, -3.70), "ES51": (41.80, 1.50), "ES52": (39.40, -0.55), "ES61": (37.45, -4.60),
    "ES21": (43.05, -2.60), "ES41": (41.75, -4.80),
    # Poland
    "PL91": (52.25, 21.00), "PL21": (49.85, 20.25), "PL51": (51.05, 16.40), "PL22": (50.40, 19.00),
    "PL41": (52.35, 17.25), "PL63": (54.20, 18.00), "PL84": (53.30, 22.90),
    # Sweden
    "SE11": (59.40, 18.20), "SE23": (58.00, 12.50), "SE22": (56.00, 13.80), "SE33": (66.50, 19.50),
    # Czechia
    "CZ01": (50.08, 14.45), "CZ06": (49.30, 16.30), "CZ08": (49.80, 18.10), "CZ03": (49.30, 13.80),
    # Netherlands
    "NL32": (52.55, 4.85), "NL33": (51.95, 4.50), "NL31": (52.08, 5.20), "NL41": (51.55, 5.20),
    # Belgium
    "BE10": (50.84, 4.37), "BE21": (51.20, 4.70), "BE23": (51.00, 3.80), "BE33": (50.50, 5.70),
    "BE34": (49.95, 5.45),
    # Austria
    "AT13": (48.20, 16.37), "AT22": (47.25, 15.00), "AT31": (48.15, 14.00), "AT33": (47.20, 11.30),
    # Portugal
    "PT17": (38.70, -9.10), "PT11": (41.55, -8.00), "PT16": (40.10, -8.00),
    # Denmark
    "DK01": (55.75, 12.35), "DK04": (56.25, 9.20), "DK05": (57.05, 10.00),
    # Ireland
    "IE06": (53.40, -6.90), "IE05": (52.20, -8.40), "IE04": (53.80, -8.90),
    # Hungary
    "HU11": (47.50, 19.05), "HU22": (47.20, 17.00), "HU32": (47.60, 21.40),
}


def clip_half_plane(ring: list[tuple[float, float]], a: float, b: float, c: float) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: the part of polygon ``ring`` (open, x/y pairs) where ``a·x + b·y <= c``."""
    out = []
    for i, cur in enumerate(ring):
        prev = ring[i - 1]
        cur_in, prev_in = a * cur[0] + b * cur[1] <= c, a * prev[0] + b * prev[1] <= c
        if cur_in != prev_in:
            dp, dc = a * prev[0] + b * prev[1] - c, a * cur[0] + b * cur[1] - c
            t = dp / (dp - dc)
            out.append((prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])))
        if cur_in:
            out.append(cur)
    return out


def region_cells(polygons: list[list[list[float]]], centres: dict[str, tuple[float, float]]) -> dict[str, list]:
    """``{region: [ring, ...]}``: each polygon's outer ring cut to the part nearest each centre."""
    scale = math.cos(math.radians(sum(lat for lat, _ in centres.values()) / len(centres)))
    sites = {code: (lon * scale, lat) for code, (lat, lon) in centres.items()}
    cells: dict[str, list] = {code: [] for code in centres}
    for outer in polygons:
        ring = [(lon * scale, lat) for lon, lat in outer[:-1]]
        for code, (px, py) in sites.items():
            part = ring
            for other, (qx, qy) in sites.items():
                if other == code or not part:
                    continue
                # nearer to p than to q:  2 (q - p) · x <= |q|² - |p|²
                part = clip_half_plane(part, 2 * (qx - px), 2 * (qy - py), qx * qx + qy * qy - px * px - py * py)
            rounded = []
            for x, y in part:
                point = [round(x / scale, 2), round(y, 2)]
                if not rounded or rounded[-1] != point:
                    rounded.append(point)
            if len(rounded) >= 3:
                cells[code].append(rounded + [rounded[0]])
    return cells


def build() -> dict:
    sys.path.insert(0, str(ROOT))
    from analytics.demo.geography import COUNTRIES

    countries = json.loads((Path(__file__).with_name("europe_countries.geojson")).read_text(encoding="utf-8"))
    shapes = {f["id"]: f["geometry"]["coordinates"] for f in countries["features"]}
    features = []
    for country in COUNTRIES:
        missing = [r.code for r in country.regions if r.code not in CENTRES]
        if missing:
            raise SystemExit(f"no centre for the demo regions {', '.join(missing)}: add them to CENTRES")
        polygons = [polygon[0] for polygon in shapes[country.code]]
        cells = region_cells(polygons, {r.code: CENTRES[r.code] for r in country.regions})
        for region in country.regions:
            if not cells[region.code]:
                raise SystemExit(f"the centre of {region.code} leaves it no land in {country.code}")
            features.append({"type": "Feature", "id": region.code,
                             "properties": {"name": region.name, "country": country.code},
                             "geometry": {"type": "MultiPolygon",
                                          "coordinates": [[ring] for ring in cells[region.code]]}})
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    out = Path(__file__).with_name("demo_regions.geojson")
    out.write_text(json.dumps(build(), separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size} bytes)")
