"""Named SQL (``analytics/sql.py``): fragments said once and included by name, bound parameters only."""
from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest

from analytics.core import sql
from analytics.core.config import QUERIES_DIR

QUERIES = sorted(str(p.relative_to(QUERIES_DIR).with_suffix("")) for p in QUERIES_DIR.rglob("*.sql")
                 if p.parent.name != "fragments")
FRAGMENTS = sorted(p.stem for p in (QUERIES_DIR / "fragments").glob("*.sql"))


def test_includes_are_replaced_by_the_fragment():
    text = sql.load("metrics/dispute_outcomes")
    assert not re.search(r"^\s*-- include:", text, re.MULTILINE)
    assert sql.load("fragments/selection").strip() in text
    # the fragment's parameters are the query's parameters
    assert {"scope_station", "date_from", "product_categories"} <= sql.parameters("metrics/dispute_outcomes")


def test_every_query_is_whole_and_every_fragment_is_used():
    used = set()
    for name in QUERIES:
        raw = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
        used |= set(re.findall(r"^\s*-- include: fragments/([a-z0-9_]+)\s*$", raw, re.MULTILINE))
        assert not re.search(r"^\s*-- include:", sql.load(name), re.MULTILINE), name
    assert used == set(FRAGMENTS)


def test_a_selection_fragment_filters_as_written():
    """The selection fragment on a hand-made table: each filter and the scope, values as data."""
    con = duckdb.connect()
    con.execute("CREATE TABLE r AS SELECT * FROM (VALUES "
                "('M1', 'S1', DATE '2025-01-05', 'FR', 'FR10', 'oven'), "
                "('M1', 'S2', DATE '2025-02-05', 'PL', '', 'tv'), "
                "('M2', 'S1', DATE '2025-03-05', 'FR', 'FR10', 'oven')) "
                "t(manufacturer_id, station_id, completed_on, country, region, product_category)")
    where = sql.load("fragments/selection")
    none = dict.fromkeys(sql.parameters("fragments/selection"))

    def count(**given):
        return con.execute(f"SELECT count(*) FROM r WHERE {where}", {**none, **given}).fetchall()[0][0]

    assert count() == 3
    assert count(scope_manufacturer="M1") == 2 and count(scope_station="S1") == 2
    assert count(date_from=dt.date(2025, 2, 1)) == 2 and count(date_to=dt.date(2025, 1, 5)) == 1
    assert count(countries=["PL"]) == 1 and count(regions=[""]) == 1 and count(product_categories=["oven"]) == 2
    assert count(station_ids=["S1' OR '1'='1"]) == 0 and count(scope_manufacturer="M1' OR '1'='1") == 0


@pytest.mark.parametrize("name", ["../engine/findings", "fragments/../x", "Fragments/selection"])
def test_names_outside_the_queries_are_refused(name):
    with pytest.raises(ValueError):
        sql.load(name)
