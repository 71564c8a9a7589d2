"""Policy files: every rejection names the file, the exact key and the reason; storing; merge rules."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from analytics.contract import policy_format as pf
from analytics.core import store

from tests import engine_fixture as fx

BASE = fx.M01_BASE_SCALARS   # the 15 required base keys


def policy(extra_base: str = "", after: str = "", *, mid: str = "M01", valid_from: str = "2024-01-01",
           base: str = BASE) -> str:
    return (f'manufacturer_id = "{mid}"\n\n[[version]]\nvalid_from = {valid_from}\n\n[version.base]\n'
            f"{base}{extra_base}\n{after}")


def errors(text: str, name: str = "M01.toml"):
    parsed = pf.parse(name, text)
    return [p for p in parsed.problems if p.severity == "error"]


def only(text: str, name: str = "M01.toml"):
    errs = errors(text, name)
    assert len(errs) == 1, [str(e) for e in errs]
    e = errs[0]
    assert e.file == name
    return e


def test_valid_file_parses_into_levels():
    parsed = pf.parse("M01.toml", fx.M01_TOML)
    assert parsed.ok and parsed.problems == []
    assert parsed.manufacturer_id == "M01"
    assert [v.valid_from for v in parsed.versions] == [dt.date(2024, 1, 1), dt.date(2025, 7, 1)]
    v1 = parsed.versions[0]
    assert v1.base.scalars["labor_rate_per_hour"] == Decimal("48.50")
    assert v1.base.scalars["warranty_months"] == 24 and isinstance(v1.base.scalars["warranty_months"], int)
    assert [(lv.level, lv.country, lv.region, lv.station_id) for lv in v1.levels] == [
        ("base", "", "", ""), ("country", "FR", "", ""), ("region", "FR", "FR10", ""), ("country", "PL", "", ""),
        ("station", "", "", "S_MTN")]
    assert v1.score_weights["repeat_rate"] == Decimal("0.30")
    assert [(t.min_score, t.max_score, t.labor_adjustment) for t in v1.bonus_tiers] == [
        (Decimal(80), None, Decimal("0.03")), (Decimal(0), Decimal(40), Decimal("-0.02"))]


def test_invalid_toml_names_the_line():
    e = only(policy() + "oops = \n")
    assert e.rule == "invalid TOML"
    assert e.row == policy().count("\n") + 1
    assert "not valid TOML" in e.message and "line" in e.message


def test_missing_required_base_key():
    e = only(policy(base=BASE.replace("parts_markup = 0.10\n", "")))
    assert (e.column, e.rule) == ("version[1].base.parts_markup", "required")
    assert "parts_markup" in e.message and "missing" in e.message


def test_every_required_key_is_required():
    for key in pf.REQUIRED_BASE_KEYS:
        lines = [ln for ln in BASE.splitlines(keepends=True) if not ln.startswith(key + " ")]
        e = only(policy(base="".join(lines)))
        assert e.column == f"version[1].base.{key}" and e.rule == "required"


def test_negative_number_rejected_with_key_and_line():
    text = policy(after="[version.territory.FR]\nvat_rate = -0.2\n")
    e = only(text)
    assert (e.column, e.rule, e.value) == ("version[1].territory.FR.vat_rate", "negative", "-0.2")
    assert e.row == text.splitlines().index("vat_rate = -0.2") + 1
    assert "negative" in e.message


def test_negative_standard_minutes_and_score_rejected_but_labor_adjustment_allowed():
    text = policy(after='[version.base.standard_minutes]\n"WM-PUMP" = -5\n'
                        "[[version.base.bonus_tiers]]\nmin_score = 0\nlabor_adjustment = -0.05\n"
                        "[[version.base.bonus_tiers]]\nmin_score = -1\nlabor_adjustment = 0.01\n")
    errs = errors(text)
    assert sorted((e.column, e.rule) for e in errs) == [
        ("version[1].base.bonus_tiers[2].min_score", "negative"),
        ("version[1].base.standard_minutes.WM-PUMP", "negative"),
    ]


@pytest.mark.parametrize("after, column", [
    ("[version.base.extra]\nx = 1\n", "version[1].base.extra"),
    ("[version.territory.FR]\nlabour_rate = 1\n", "version[1].territory.FR.labour_rate"),
    ("[version.territory.FR.regions.FR10]\ncolour = 'red'\n", "version[1].territory.FR.regions.FR10.colour"),
    ("[version.station.S1]\nspeed = 3\n", "version[1].station.S1.speed"),
    ("[version.other]\nx = 1\n", "version[1].other"),
    ("[[version.base.bonus_tiers]]\nmin_score = 1\nlabor_adjustment = 0.1\nbonus = 2\n",
     "version[1].base.bonus_tiers[1].bonus"),
    ("[version.base.required_documents_by_coverage]\nlifetime = ['x']\n",
     "version[1].base.required_documents_by_coverage.lifetime"),
])
def test_unknown_key_at_any_level(after, column):
    e = only(policy(after=after))
    assert (e.column, e.rule) == (column, "unknown key")
    assert "unknown" in e.message


def test_unknown_top_level_key():
    e = only('author = "me"\n' + policy())
    assert (e.column, e.rule, e.row) == ("author", "unknown key", 1)


@pytest.mark.parametrize("after, column, word", [
    ("[version.territory.FR.score_weights]\nrepeat_rate = 1\n", "version[1].territory.FR.score_weights", "base"),
    ("[[version.station.S1.bonus_tiers]]\nmin_score = 1\nlabor_adjustment = 0.1\n",
     "version[1].station.S1.bonus_tiers", "base"),
    ("[version.territory.FR.regions.FR10]\ncurrency = 'CHF'\n", "version[1].territory.FR.regions.FR10.currency",
     "per country"),
    ("[version.station.S1]\ncurrency = 'CHF'\n", "version[1].station.S1.currency", "per country"),
])
def test_key_not_allowed_in_its_place(after, column, word):
    e = only(policy(after=after))
    assert (e.column, e.rule) == (column, "key not allowed here")
    assert word in e.message


def test_currency_allowed_per_country():
    assert errors(policy(after="[version.territory.PL]\ncurrency = 'PLN'\n")) == []


def test_duplicate_valid_from():
    text = policy() + "\n[[version]]\nvalid_from = 2024-01-01\n[version.base]\n" + BASE
    e = only(text)
    assert (e.column, e.rule) == ("version[2].valid_from", "duplicate valid_from")
    assert "version[1]" in e.message
    assert e.row == text.splitlines().index("valid_from = 2024-01-01", 6) + 1


@pytest.mark.parametrize("metric", ["interventions", "requested_amount", "station_upheld_rate", "speed"])
def test_score_weights_must_name_a_scorable_metric(metric):
    e = only(policy(after=f"[version.base.score_weights]\n{metric} = 0.5\n"))
    assert (e.column, e.rule) == (f"version[1].base.score_weights.{metric}", "unknown key")
    assert "better direction" in e.message


@pytest.mark.parametrize("line, column, rule", [
    ('labor_rate_per_hour = "46"\n', "labor_rate_per_hour", "type"),
    ("labor_rate_per_hour = true\n", "labor_rate_per_hour", "type"),
    ("warranty_months = 24.5\n", "warranty_months", "type"),
    ("currency = 978\n", "currency", "type"),
    ("currency = 'euro'\n", "currency", "currency"),
    ("vat_rate = 20\n", "vat_rate", "range"),
    ("required_documents = 'technician_report'\n", "required_documents", "type"),
    ("labor_tolerance = 0.1234567\n", "labor_tolerance", "precision"),
])
def test_wrong_types(line, column, rule):
    key = line.split(" ")[0]
    base = "".join(ln for ln in BASE.splitlines(keepends=True) if not ln.startswith(key + " "))
    e = only(policy(base=base + line))
    assert (e.column, e.rule) == (f"version[1].base.{column}", rule)


def test_valid_from_must_be_a_date():
    e = only(policy(valid_from='"2024-01-01"'))
    assert (e.column, e.rule) == ("version[1].valid_from", "type")
    assert "YYYY-MM-DD" in e.message


def test_file_name_must_match_manufacturer():
    e = only(policy(mid="M02"), name="M01.toml")
    assert (e.column, e.rule, e.value) == ("manufacturer_id", "file name", "M02")
    assert "M02.toml" in e.message
    assert errors(policy(), name="import.zip:policies/M01.toml") == []


def test_file_without_versions_or_manufacturer():
    errs = errors("")
    assert sorted((e.column, e.rule) for e in errs) == [("manufacturer_id", "required"), ("version", "required")]


def test_every_problem_listed_in_one_pass():
    text = policy(base=BASE.replace("vat_rate = 0.20", "vat_rate = -1"),
                  after="[version.territory.fr]\nx = 1\n[version.station.S1]\ncurrency = 'X'\n")
    assert sorted(e.rule for e in errors(text)) == ["country code", "key not allowed here", "negative"]


# ------------------------------------------------------------------ store

@pytest.fixture()
def con():
    c = duckdb.connect()
    store.migrate(c)
    yield c
    c.close()


def test_store_policy_replaces_and_keeps_text_verbatim(con):
    first = pf.parse("M01.toml", fx.M01_TOML)
    pf.store_policy(con, first)
    pf.store_policy(con, first)   # idempotent
    n_values = con.execute("SELECT count(*) FROM policy_values").fetchall()[0][0]
    assert con.execute("SELECT toml_text, file_name FROM policy_files").fetchall() == [(fx.M01_TOML, "M01.toml")]
    assert con.execute("SELECT count(*) FROM policy_versions").fetchall() == [(2,)]
    assert con.execute("SELECT count(*) FROM policy_bonus_tiers").fetchall() == [(2,)]
    # by hand: v2024 base 15 scalars + 1 list + 2 by_coverage + 1 by_category + 2 standard + 5 weights = 26,
    # FR 3, FR10 1, PL 4, S_MTN 2 -> 36; v2025 base 16 + FR 1 -> 17; total 53
    assert n_values == 53
    got = con.execute("SELECT level, country, region, station_id, num_value, text_value, list_value FROM policy_values "
                      "WHERE valid_from = DATE '2024-01-01' AND key IN ('travel_flat_fee', 'required_documents') "
                      "ORDER BY key, level, country").fetchall()
    assert got == [
        ("base", "", "", "", None, None, ["technician_report"]),
        ("station", "", "", "S_MTN", None, None, []),
        ("base", "", "", "", Decimal("18"), None, None),
        ("country", "FR", "", "", Decimal("20"), None, None),
        ("country", "PL", "", "", Decimal("70"), None, None),
        ("region", "FR", "FR10", "", Decimal("25"), None, None),
    ]
    smaller = pf.parse("M01.toml", policy())
    pf.store_policy(con, smaller)
    assert con.execute("SELECT count(*) FROM policy_versions").fetchall() == [(1,)]
    assert con.execute("SELECT count(*) FROM policy_bonus_tiers").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM policy_values").fetchall() == [(15,)]


def test_store_policy_refuses_a_file_with_errors(con):
    bad = pf.parse("M01.toml", policy(base=BASE.replace("vat_rate = 0.20", "vat_rate = -1")))
    with pytest.raises(pf.PolicyRejected, match="negative"):
        pf.store_policy(con, bad)
    assert con.execute("SELECT count(*) FROM policy_values").fetchall() == [(0,)]


def test_store_policy_text_is_data(con):
    evil = "'); DROP TABLE interventions; --"
    text = policy(after=f'[version.station."{evil}"]\nmax_travel_km = 1\n')
    parsed = pf.parse("M01.toml", text)
    assert parsed.ok
    pf.store_policy(con, parsed)
    assert con.execute("SELECT station_id FROM policy_values WHERE level = 'station'").fetchall() == [(evil,)]
    assert con.execute("SELECT count(*) FROM interventions").fetchall() == [(0,)]


def test_unknown_station_is_a_warning(con):
    con.execute("INSERT INTO stations VALUES ('S1', 'n', 'FR', NULL, NULL)")
    parsed = pf.parse("M01.toml", policy(after="[version.station.S1]\nmax_travel_km = 1\n"
                                                 "[version.station.S9]\nmax_travel_km = 2\n"))
    assert parsed.ok
    warnings = pf.unknown_station_warnings(con, parsed)
    assert [(w.column, w.rule, w.severity) for w in warnings] == [
        ("version[1].station.S9", "unknown station", "warning")]
    assert "kept" in warnings[0].message
    assert pf.unknown_station_warnings(con, parsed, extra_station_ids=["S9"]) == []


# ------------------------------------------------------------------ merge rules (resolved by the engine)

def test_merge_rules_in_the_engine():
    c = fx.build()
    rows = c.execute("SELECT station_id, key, item, level, num_value, list_value FROM policy_resolved "
                     "WHERE valid_from = DATE '2024-01-01' AND station_id IN ('S_FR', 'S_MTN', 'S_FR2') "
                     "AND key IN ('travel_flat_fee', 'standard_minutes', 'required_documents', 'max_travel_km') "
                     "ORDER BY 1, 2, 3").fetchall()
    got = {(r[0], r[1], r[2]): (r[3], r[4], r[5]) for r in rows}
    # region beats country beats base (scalar)
    assert got[("S_FR", "travel_flat_fee", "")] == ("region", Decimal("25"), None)
    assert got[("S_FR2", "travel_flat_fee", "")] == ("country", Decimal("20"), None)
    # tables merge item by item: WM-PUMP from FR, WM-DRUM from base
    assert got[("S_FR", "standard_minutes", "WM-PUMP")] == ("country", Decimal("45"), None)
    assert got[("S_FR", "standard_minutes", "WM-DRUM")] == ("base", Decimal("150"), None)
    # lists replace (an empty list too); the station's own agreement wins
    assert got[("S_MTN", "required_documents", "")] == ("station", None, [])
    assert got[("S_MTN", "max_travel_km", "")] == ("station", Decimal("160"), None)
    assert got[("S_FR", "max_travel_km", "")] == ("base", Decimal("100"), None)
    c.close()
