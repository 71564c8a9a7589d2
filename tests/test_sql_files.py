"""Named SQL (``analytics/sql.py``): fragments said once and included by name, bound parameters only."""
from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest

from analytics.core import sql
from analytics.access.scope import Scope
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
                "('I1', 'M1', 'S1', DATE '2025-01-05', 'FR', 'FR10', 'oven'), "
                "('I2', 'M1', 'S2', DATE '2025-02-05', 'PL', '', 'tv'), "
                "('I3', 'M2', 'S1', DATE '2025-03-05', 'FR', 'FR10', 'oven')) "
                "t(intervention_id, manufacturer_id, station_id, completed_on, country, region, product_category)")
    # the engine's per-intervention facts the invoiced-while-blocked filter reads: only I2 is both
    con.execute("CREATE TABLE intervention_facts AS SELECT * FROM (VALUES "
                "('I1', true, 'ready'), ('I2', true, 'blocked'), ('I3', false, 'blocked')) t(intervention_id, invoiced, status)")
    where = sql.load("fragments/selection")
    none = dict.fromkeys(sql.parameters("fragments/selection"))

    def count(**given):
        return con.execute(f"SELECT count(*) FROM r WHERE {where}", {**none, **given}).fetchall()[0][0]

    assert count() == 3
    assert count(scope_manufacturer="M1") == 2 and count(scope_station="S1") == 2
    assert count(date_from=dt.date(2025, 2, 1)) == 2 and count(date_to=dt.date(2025, 1, 5)) == 1
    assert count(countries=["PL"]) == 1 and count(regions=[""]) == 1 and count(product_categories=["oven"]) == 2
    assert count(station_ids=["S1' OR '1'='1"]) == 0 and count(scope_manufacturer="M1' OR '1'='1") == 0
    assert count(invoiced_blocked=True) == 1 and count(invoiced_blocked=False) == 2
    assert count(invoiced_blocked=True, countries=["FR"]) == 0


@pytest.mark.parametrize("name", ["../engine/findings", "fragments/../x", "Fragments/selection"])
def test_names_outside_the_queries_are_refused(name):
    with pytest.raises(ValueError):
        sql.load(name)


#: The scope's bound parameters (analytics/access/scope.py Scope.params), said only in fragments.
SCOPE_PARAMETERS = sorted(Scope.manager().params())


def test_the_scope_is_written_only_in_the_fragments():
    """Every query filters the viewer's scope through queries/fragments/ (scope, selection,
    scope_brands…), never with a condition of its own: a query file outside the fragments that
    names a scope parameter fails here, naming the file and the parameter."""
    assert SCOPE_PARAMETERS == ["scope_manufacturer", "scope_station"]
    typed = []
    for path in sorted(QUERIES_DIR.rglob("*.sql")):
        if path.parent == QUERIES_DIR / "fragments":
            continue
        text = path.read_text(encoding="utf-8")
        typed += [f"{path.relative_to(QUERIES_DIR)}: ${p}" for p in SCOPE_PARAMETERS
                  if re.search(rf"\${p}\b", text)]
    assert typed == []


def test_a_scope_fragment_filters_as_written():
    """fragments/scope and fragments/scope_brands on hand-made rows: each role sees its own."""
    con = duckdb.connect()
    con.execute("CREATE TABLE interventions AS SELECT * FROM (VALUES ('M1', 'S1'), ('M2', 'S1'), ('M1', 'S2'), "
                "('M3', 'S3')) t(manufacturer_id, station_id)")
    con.execute("CREATE TABLE r AS SELECT * FROM (VALUES ('M1', 'S1'), ('M1', 'S2'), ('M2', 'S1'), "
                "('M3', 'S3'), ('M4', NULL)) t(manufacturer_id, station_id)")

    def rows(fragment, **scope):
        where = sql.load(f"fragments/{fragment}")
        return sorted(map(tuple, con.execute(f"SELECT * FROM r WHERE {where}",
                                             {"scope_manufacturer": None, "scope_station": None, **scope}).fetchall()),
                      key=str)

    assert len(rows("scope")) == 5
    assert rows("scope", scope_manufacturer="M1") == [("M1", "S1"), ("M1", "S2")]
    assert rows("scope", scope_station="S1") == [("M1", "S1"), ("M2", "S1")]
    assert rows("scope", scope_station="S1' OR '1'='1") == []
    # the brands a station served, every row of them (policies belong to a brand)
    assert rows("scope_brands", scope_station="S2") == [("M1", "S1"), ("M1", "S2")]
    assert rows("scope_brands", scope_manufacturer="M4") == [("M4", None)]
