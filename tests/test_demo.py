"""The demo network generator: deterministic, importable as is, and meaningful.

Most checks read the session's demo store (``demo_store_path``: 20,000 interventions,
seed 7, built once through the importer and the engine). The determinism checks export
small networks twice.
"""
from __future__ import annotations

import hashlib
import io
import tomllib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from analytics.billing.parties import parties_of
from analytics.contract.identifiers import bic_problem, iban_problem, vat_problem
from analytics.demo.legal import ENTITY_MIN_STATIONS, HEADS
from analytics.engine import models
from analytics.core import store
from analytics.catalog import RULES
from analytics.demo import export_demo, network_for, station_profiles
from analytics.demo import timeline as tl
from analytics.demo.interventions import _round_div
from analytics.demo.policies import resolve, to_toml

SMALL = 3_000


def _hashes(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- determinism, files

def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    export_demo(tmp_path / "a", interventions=SMALL, seed=11)
    export_demo(tmp_path / "b", interventions=SMALL, seed=11)
    export_demo(tmp_path / "c", interventions=SMALL, seed=12)
    a, b, c = (_hashes(tmp_path / x) for x in "abc")
    assert a == b
    assert set(a) == set(c)
    assert a["interventions.csv"] != c["interventions.csv"]
    assert a["invoice_lines.csv"] != c["invoice_lines.csv"]
    assert {"policies/M01.toml", "policies/M04.toml", "fx_rates.csv", "disputes.csv"} <= set(a)


def test_parquet_export_holds_the_same_rows_as_csv(tmp_path):
    csv_stats = export_demo(tmp_path / "csv", interventions=SMALL, seed=3)
    pq_stats = export_demo(tmp_path / "pq", interventions=SMALL, seed=3, fmt="parquet")
    assert csv_stats["rows"] == pq_stats["rows"]
    assert csv_stats["rows"]["interventions"] == SMALL
    a = pd.read_csv(tmp_path / "csv" / "invoice_lines.csv", dtype=str)
    b = pd.read_parquet(tmp_path / "pq" / "invoice_lines.parquet").astype(str)
    assert a["amount"].tolist() == b["amount"].tolist()
    assert a["invoice_id"].tolist() == b["invoice_id"].tolist()


def test_too_small_a_size_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least"):
        export_demo(tmp_path, interventions=10, seed=1)


def test_policy_toml_says_what_the_generator_resolves():
    network, policies = network_for(7)
    for mid, policy in policies.items():
        parsed = tomllib.loads(to_toml(policy), parse_float=Decimal)
        assert parsed["manufacturer_id"] == mid
        assert len(parsed["version"]) == len(policy["versions"]) >= 2
        for written, version in zip(parsed["version"], policy["versions"]):
            assert written["valid_from"] == version["valid_from"]
            assert written["base"] == version["base"]
            assert written.get("territory", {}) == version["territory"]
            assert written.get("station", {}) == version["station"]
    # resolution: country then region then station override, tables merged key by key
    m01 = policies["M01"]["versions"][0]
    fr10 = resolve(m01, "FR", "FR10", "S9999")
    assert fr10["labor_rate_per_hour"] == Decimal("52.00")      # country FR
    assert fr10["travel_flat_fee"] == Decimal("25.00")          # region FR10
    assert fr10["currency"] == "EUR" and fr10["vat_rate"] == Decimal("0.20")
    pl = resolve(m01, "PL", "PL21", "S9999")
    assert pl["currency"] == "PLN" and pl["vat_rate"] == Decimal("0.23")
    agreement = resolve(m01, network.station_country[network.station_ids.index(network.agreement_station)],
                        None, network.agreement_station)
    assert agreement["max_travel_km"] == 160
    m02_de = resolve(policies["M02"]["versions"][0], "DE", None, "S9999")
    assert m02_de["required_documents"] == ["technician_report", "customer_signature"]
    assert m02_de["required_documents_by_category"]["tv"] == ["serial_plate_photo"]


def test_network_shape():
    network, policies = network_for(7)
    assert network.n_stations >= 150
    assert len(set(network.station_country)) >= 12
    brands_per_station = np.bincount(network.pair_station)
    assert (brands_per_station >= 2).sum() >= 30
    profiles = station_profiles(7)
    counts = pd.Series(profiles).value_counts()
    assert counts.min() >= 3 and len(counts) == 9
    assert network.station_names[0] == "L'Atelier du Froid & Fils \"Service 24/7\""
    assert policies["M04"]["versions"][0]["valid_from"] > date(2023, 1, 1)   # NO_POLICY months


# ---------------------------------------------------------------- exact arithmetic helpers

def test_rounding_and_calendar_months_by_hand():
    # 15 / 60 * 48.50 = 12.125 -> 12.13 (policy-format.md); 7.5 cents -> 8 cents
    assert _round_div(np.array([15 * 4850]), 60).tolist() == [1213]
    assert _round_div(np.array([15]), 2).tolist() == [8]
    # verification.md: 2023-01-31 + 1 month = 2023-02-28; 2022-08-31 + 18 months = 2024-02-29
    days = np.array([tl.day_number(date(2023, 1, 31)), tl.day_number(date(2022, 8, 31))])
    got = tl.add_months(days, np.array([1, 18]))
    assert got.tolist() == [tl.day_number(date(2023, 2, 28)), tl.day_number(date(2024, 2, 29))]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**7), st.integers(1, 10**4))
def test_round_div_matches_decimal_half_up(num, den):
    expected = (Decimal(num) / Decimal(den)).quantize(Decimal(1), ROUND_HALF_UP)
    assert int(_round_div(np.array([num], dtype=np.int64), den)[0]) == int(expected)


# ---------------------------------------------------------------- the demo store

@pytest.fixture(scope="module")
def con(demo_store_path):
    return store.reader(demo_store_path)


@pytest.fixture
def fcon(con):
    """The demo store, for checks that read the engine's ``findings`` (skipped while it has none)."""
    if "findings" not in models.MODELS:
        pytest.skip("the engine has no findings model yet")
    return con


def _profiles_frame() -> pd.DataFrame:
    return pd.DataFrame(sorted(station_profiles(7).items()), columns=["station_id", "profile"])


def test_the_export_imports_with_zero_problems(demo_stats, con):
    assert demo_stats["warnings"] == []
    rows = demo_stats["rows"]
    assert rows["interventions"] == 20_000
    for table, n in rows.items():
        assert con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] == n, table  # noqa: S608 (fixed names)


def test_volumes_seasons_growth_currencies(con):
    q = lambda s: con.execute(s).fetchall()  # noqa: E731
    assert q("SELECT count(DISTINCT product_category) FROM interventions")[0][0] >= 7
    assert q("SELECT count(DISTINCT currency) FROM invoices")[0][0] >= 3
    by_year = dict(q("SELECT year(completed_on), count(*) FROM interventions GROUP BY 1"))
    assert by_year[2025] > 1.2 * by_year[2023]
    ac = dict(q("SELECT month(requested_on), count(*) FROM interventions "
                "WHERE product_category = 'air_conditioner' GROUP BY 1"))
    assert ac[7] > 3 * ac[1]
    # every non-euro currency has a rate for every month with an intervention
    missing = q("""SELECT count(*) FROM (SELECT DISTINCT currency, strftime(i.completed_on, '%Y-%m') AS month
                   FROM invoice_lines l JOIN invoices v USING (invoice_id) JOIN interventions i USING (intervention_id)
                   WHERE currency <> 'EUR') need ANTI JOIN fx_rates USING (currency, month)""")
    assert missing[0][0] == 0
    assert q("SELECT count(*) FROM invoices WHERE paid_on IS NULL")[0][0] > 0
    outcomes = {r[0] for r in q("SELECT DISTINCT outcome FROM disputes")}
    assert outcomes == {None, "station", "manufacturer", "split", "withdrawn"}   # None: still open
    # serial numbers repeat: units come back
    assert q("SELECT count(*) FROM (SELECT serial_number FROM interventions GROUP BY ALL "
             "HAVING count(*) > 1)")[0][0] > 200


def test_every_verification_rule_fires(fcon):
    fired = dict(fcon.execute("SELECT code, count(DISTINCT intervention_id) FROM findings GROUP BY 1").fetchall())
    for rule in RULES:
        assert fired.get(rule.code, 0) > 0, f"{rule.code} never fires on the demo"
    statuses = dict(fcon.execute("SELECT status, count(*) FROM intervention_status GROUP BY 1").fetchall())
    assert statuses["ready"] > 0.7 * 20_000
    assert 0 < statuses["blocked"] < statuses["review"]


def test_generator_plants_exactly_what_the_engine_finds(fcon, demo_stats):
    """The generator evaluates the rules itself to make disputes follow them: it must agree."""
    fired = dict(fcon.execute("SELECT code, count(DISTINCT intervention_id) FROM findings GROUP BY 1").fetchall())
    for code, planted in demo_stats["planted_findings"].items():
        assert fired.get(code, 0) == planted, code


def test_dispute_reasons_agree_with_findings(fcon):
    rows = fcon.execute("""
        SELECT d.reason,
               EXISTS (SELECT 1 FROM findings f WHERE f.intervention_id = d.intervention_id
                       AND f.code = d.reason) AS matches
        FROM disputes d""").fetchall()
    assert len(rows) > 300
    agree = sum(1 for _, m in rows if m)
    assert agree / len(rows) > 0.75                        # most disputes match a finding
    coded = [m for r, m in rows if r not in ("OTHER", "PARTS_NOT_AUTHORISED")]
    assert sum(coded) == len(coded)                        # a rule reason is always a real finding
    reasons = {r for r, _ in rows}
    assert {"DOC_MISSING", "LABOR_OVER_STANDARD", "REPEAT_REPAIR", "OTHER"} <= reasons


def _per_profile(frame: pd.DataFrame, column: str) -> pd.Series:
    """Mean of a per-station figure over the stations of each profile."""
    merged = frame.merge(_profiles_frame(), on="station_id")
    return merged.groupby("profile")[column].mean()


def test_profiles_show_in_the_metrics(con):
    from analytics.core.filters import Filters
    from analytics.metrics.table import metric_table
    from analytics.access.scope import Scope

    table = metric_table(con, Scope.manager(), Filters(), by=["station"])
    table = table[table["interventions"] >= 30]
    doc = _per_profile(table, "doc_complete_rate")
    assert doc.idxmin() == "careless_docs", doc
    assert _per_profile(table, "on_time_submission_rate").idxmin() == "late_submitter"
    assert _per_profile(table, "first_time_fix_rate").idxmin() == "poor_fix"
    assert _per_profile(table, "repeat_rate").idxmax() == "poor_fix"
    tat = _per_profile(table, "tat_days_median")
    assert tat.idxmax() == "slow" and tat.idxmin() == "fast_reliable", tat
    # the careless stations are the bottom of the document ranking
    bottom = table.nsmallest(8, "doc_complete_rate").merge(_profiles_frame(), on="station_id")
    assert (bottom["profile"] == "careless_docs").sum() >= 6


def test_profiles_show_in_the_findings(fcon):
    per_station = fcon.execute("""
        SELECT i.station_id, count(*) AS n,
               count(*) FILTER (WHERE f.codes LIKE '%LABOR_OVER_STANDARD%') AS labor,
               count(*) FILTER (WHERE f.codes LIKE '%TRAVEL_OVER_CAP%') AS travel,
               count(*) FILTER (WHERE f.codes LIKE '%VAT_MISMATCH%') AS vat,
               count(*) FILTER (WHERE f.codes LIKE '%DOC_MISSING%') AS doc
        FROM interventions i
        LEFT JOIN (SELECT intervention_id, string_agg(code, ';') AS codes FROM findings GROUP BY 1) f
            USING (intervention_id)
        GROUP BY 1 HAVING count(*) >= 30""").df()
    for col in ("labor", "travel", "vat", "doc"):
        per_station[col] = per_station[col] / per_station["n"]
    assert _per_profile(per_station, "labor").idxmax() == "overbilling"
    assert _per_profile(per_station, "travel").idxmax() == "remote_rural"
    assert _per_profile(per_station, "vat").idxmax() == "sloppy_billing"
    assert _per_profile(per_station, "doc").idxmax() == "careless_docs"
    top = per_station.nlargest(5, "labor").merge(_profiles_frame(), on="station_id")
    assert (top["profile"] == "overbilling").sum() >= 4


def test_no_policy_before_the_first_version(fcon):
    rows = fcon.execute("""
        SELECT min(completed_on), max(completed_on), count(*) FROM interventions i
        JOIN findings f USING (intervention_id) WHERE f.code = 'NO_POLICY'""").fetchall()
    first, last, n = rows[0]
    assert n > 0 and first < date(2023, 9, 1) and last < date(2023, 9, 1)


def test_demo_command_exports(tmp_path, capsys):
    from analytics.__main__ import main

    assert main(["demo", "--interventions", "2000", "--seed", "5", "--export", str(tmp_path / "x"),
                 "--db", str(tmp_path / "unused.duckdb")]) == 0
    assert (tmp_path / "x" / "interventions.csv").exists()
    assert not (tmp_path / "unused.duckdb").exists()
    out = capsys.readouterr()
    assert "interventions: 2,000" in out.out
    assert main(["demo", "--interventions", "5", "--export", str(tmp_path / "y")]) == 2
    capsys.readouterr()
    assert main(["demo", "--seed", "7", "--list-profiles"]) == 0
    listed = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert dict(zip(listed["station_id"], listed["profile"])) == station_profiles(7)
    assert listed["name"][0] == "L'Atelier du Froid & Fils \"Service 24/7\""


def test_every_station_and_brand_has_valid_legal_entities(con):
    q = lambda s: con.execute(s).fetchall()  # noqa: E731
    assert q("SELECT count(*) FROM stations ANTI JOIN station_legal USING (station_id)")[0][0] == 0
    assert q("SELECT count(*) FROM manufacturers ANTI JOIN manufacturer_legal USING (manufacturer_id)")[0][0] == 0
    identifiers = q("SELECT vat_id, iban, bic FROM station_legal UNION ALL SELECT vat_id, iban, bic FROM "
                    "manufacturer_legal UNION ALL SELECT vat_id, iban, bic FROM billing_entities")
    assert len(identifiers) > 180
    assert all(vat_problem(v) is None and iban_problem(i) is None and bic_problem(b) is None
               for v, i, b in identifiers)
    # the station's address is in its city and country
    assert q("SELECT count(*) FROM stations JOIN station_legal l USING (station_id) "
             "WHERE l.city <> stations.city OR l.address_country <> stations.country")[0][0] == 0
    # a brand is invoiced through its entity in a big country, through its head office elsewhere
    big, small = q("SELECT min(station_id) FILTER (WHERE country = 'FR'), min(station_id) FILTER (WHERE country = 'IE') "
                   "FROM stations")[0]
    assert q("SELECT count(*) FROM stations WHERE country = 'IE'")[0][0] < ENTITY_MIN_STATIONS
    seller, buyer = parties_of(con, big, "M01")
    assert buyer.source == "billing_entities M01/FR" and buyer.name == "Nordhavn Appliances France SAS"
    assert seller.source == f"station_legal {big}" and seller.vat_id.startswith("FR")
    assert parties_of(con, small, "M01")[1].name == HEADS["M01"].legal_name
