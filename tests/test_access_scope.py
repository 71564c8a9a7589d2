"""Access control, enforced: every scoped function of ``analytics/`` shows each role only its own.

Discovery: every public function of every ``analytics`` module with a parameter named
``scope`` is called (:func:`scoped_functions`), so a function added later is covered
without touching this file — as long as its other parameters have a value provider in
:data:`PROVIDERS` (the test fails naming the parameter otherwise).

For each role (manager, a manufacturer, a station serving two brands, a station whose
comparison group is under 5, a station whose id holds SQL), on two stores:

* the **access store** built here — small, hand-shaped: two brands with policies (one with
  a station agreement and bonus tiers), one without, a station serving both brands, a
  station alone in its country, a station id ``S1'); DROP TABLE stations; --``, names
  with ``<script>`` and ``=HYPERLINK(``;
* the **demo store** (``demo_store_path`` fixture of ``tests/conftest.py``) when present;

the checks are:

1. **nothing outside the scope appears** — no other station's id or name, no other
   brand's id or name, no intervention or invoice id of another station/brand, in any
   cell, column name or nested value of the result;
2. **no figure is computed over rows outside the scope** — the out-of-scope rows of the
   access store are perturbed (visits, ratings, travel, line amounts, disputes, payments;
   for a brand scope also labour and parts) and every result must stay identical, except
   the documented anonymous peer aggregates (:data:`PEER_AGGREGATE_COLUMNS`);
3. **requests naming another station or brand are refused** (``ScopeError``) or answered
   with nothing outside the scope: crafted filter values, ids passed as arguments, a
   station id with SQL in it, and tampered URL parameters on the pages (AppTest).
"""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import itertools
import pkgutil
import random
import re
import shutil
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analytics
from analytics.core import store
from analytics.engine import publishing
from analytics.core.filters import Filters
from analytics.access.scope import Scope, ScopeError
from tests import engine_fixture

D = dt.date.fromisoformat
SQL_STATION = "S1'); DROP TABLE stations; --"

# ---------------------------------------------------------------------------------------------
# The access store
# ---------------------------------------------------------------------------------------------

#: Brand one: the engine fixture's policy (base, FR/FR10 and PL overrides, two versions, score
#: weights, bonus tiers), its station agreement given to S03.
M01_TOML = engine_fixture.M01_TOML.replace("S_MTN", "S03")
#: Brand two: the engine fixture's simple EUR policy (nothing required, 60/h).
M02_TOML = engine_fixture.M02_TOML

MANUFACTURERS = [("M01", "Brand One"), ("M02", "Brand Two"), ("M03", "Brand Three")]
#: station_id, name, country, region, city, brands served
STATIONS = [
    ("S01", "Both Brands Repair", "FR", "FR10", "Paris", ("M01", "M02")),
    ("S02", "Lyon Repair", "FR", "FR71", "Lyon", ("M01", "M03")),
    ("S03", "Mountain Repair", "FR", "FR71", "Chamonix", ("M01",)),
    ("S04", "Lille Repair", "FR", "FRE1", "Lille", ("M01",)),
    ("S05", "Nantes Repair", "FR", "FRG0", "Nantes", ("M01",)),
    ("S06", "Bordeaux Repair", "FR", "FRI1", "Bordeaux", ("M01",)),
    ("S07", "Atelier <script>alert(1)</script>", "FR", "FR10", "Paris", ("M02",)),
    ("S08", "Marseille Repair", "FR", "FRL0", "Marseille", ("M02",)),
    ("S09", "Toulouse Repair", "FR", "FRJ2", "Toulouse", ("M02",)),
    ("S10", "Nice Repair", "FR", "FRL0", "Nice", ("M02",)),
    ("S11", "=HYPERLINK(\"http://evil.example\",\"x\")", "DE", None, "Berlin", ("M01", "M03")),
    (SQL_STATION, "'); DROP TABLE interventions; --", "DE", "DE30", "Berlin", ("M01",)),
]
PER_PAIR = 22  # interventions per (station, brand): >= 20, so every station is scored
MONTHS = [D("2024-01-01"), D("2024-02-01"), D("2024-03-01"), D("2024-04-01"), D("2024-05-01")]


def access_rows(seed: int = 6) -> dict[str, list[tuple]]:
    """The access store's contract rows (deterministic)."""
    rng = random.Random(seed)
    interventions, documents, invoices, lines, disputes = [], [], [], [], []
    serial_pool: dict[str, list[str]] = {}
    n = 0
    for sid, _name, _country, _region, _city, brands in STATIONS:
        for brand in brands:
            by_month: dict[dt.date, list[str]] = {}
            for k in range(PER_PAIR):
                n += 1
                iid = f"I{n:04d}"
                month = MONTHS[k % len(MONTHS)]
                requested = month + dt.timedelta(days=rng.randrange(0, 20))
                completed = requested + dt.timedelta(days=rng.randrange(0, 6))
                submitted = completed + dt.timedelta(days=rng.choice([1, 2, 3, 12, 40]))
                pool = serial_pool.setdefault(brand, [])
                # a few units come back, sometimes to another station (a comeback across stations)
                serial = rng.choice(pool) if pool and rng.random() < 0.12 else f"SN-{brand}-{n}"
                pool.append(serial)
                coverage = rng.choice(["warranty", "extended", "goodwill", "goodwill"])
                purchase = None if rng.random() < 0.05 else requested - dt.timedelta(days=rng.randrange(30, 900))
                code = rng.choice(["WM-PUMP", "WM-DRUM", "TV-BOARD"])
                interventions.append((
                    iid, brand, sid, rng.choice(["washing_machine", "tv", "refrigerator"]), None, serial,
                    purchase, coverage, code, requested, completed, submitted, rng.choice([1, 1, 1, 2, 3]),
                    rng.randrange(20, 200), Decimal(rng.randrange(0, 140)), Decimal(rng.randrange(0, 9000)) / 100,
                    rng.choice(["repaired", "repaired", "replaced", "no_fault_found", "not_repairable"]),
                    rng.choice([None, 1, 2, 3, 4, 5]),
                ))
                if rng.random() < 0.9:
                    documents.append((iid, "technician_report", submitted - dt.timedelta(days=rng.choice([0, 0, -3]))))
                if coverage == "warranty" and rng.random() < 0.7:
                    documents.append((iid, "proof_of_purchase", submitted))
                if rng.random() < 0.8:
                    by_month.setdefault(month, []).append(iid)
            for month, ids in sorted(by_month.items()):
                inv = f"INV-{sid}-{brand}-{month:%Y%m}"
                issued = month + dt.timedelta(days=40)
                paid = issued + dt.timedelta(days=rng.randrange(5, 60)) if rng.random() < 0.7 else None
                invoices.append((inv, brand, sid, issued, "EUR", paid,
                                 Decimal(rng.randrange(1000, 50000)) / 100 if paid else None))
                for line_no, iid in enumerate(ids, start=1):
                    lines.append((inv, line_no, iid, "labor", Decimal(rng.randrange(2000, 20000)) / 100,
                                  Decimal("0.20") if rng.random() < 0.95 else Decimal("0.19")))
                    if rng.random() < 0.15:
                        opened = issued + dt.timedelta(days=rng.randrange(1, 20))
                        resolved = opened + dt.timedelta(days=rng.randrange(1, 40)) if rng.random() < 0.6 else None
                        outcome = rng.choice(["station", "manufacturer", "split", "withdrawn"]) if resolved else None
                        disputes.append((f"DSP-{inv}-{line_no}", inv, iid, opened,
                                         rng.choice(["manufacturer", "station"]),
                                         rng.choice(["DOC_MISSING", "LABOR_OVER_STANDARD", "OTHER", "PRICE"]),
                                         Decimal(rng.randrange(100, 9000)) / 100, resolved, outcome,
                                         Decimal(rng.randrange(0, 100)) / 100 if resolved else None))
    return {
        "manufacturers": MANUFACTURERS,
        "stations": [s[:5] for s in STATIONS],
        "interventions": interventions,
        "documents": documents,
        "invoices": invoices,
        "invoice_lines": lines,
        "disputes": disputes,
    }


def load_access_store(con) -> None:
    from analytics.contract import policy_format
    from analytics.contract.importer.tables import IMPORT_TABLES

    for table, rows in access_rows().items():
        # the contract's columns named: the store adds internal ones (the engine's iv_key, migration 007)
        columns = IMPORT_TABLES[table].column_names[:len(rows[0])]
        con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
    for name, text in (("M01.toml", M01_TOML), ("M02.toml", M02_TOML)):
        parsed = policy_format.parse(name, text)
        assert parsed.ok, parsed.problems
        policy_format.store_policy(con, parsed)


def perturb_outside(con, scope: Scope) -> None:
    """Change the figures of every row outside ``scope`` (never keys, serials or dates of requests).

    For a station scope, labour minutes and parts costs are left alone: the LABOR_OUTLIER /
    PARTS_OUTLIER findings compare an intervention with the percentile of *all* interventions
    of its brand and repair code (verification.md) — a network aggregate by definition.
    """
    if scope.station_id is not None:
        outside = "station_id <> $key"
        key = scope.station_id
        labour = ""
    else:
        outside = "manufacturer_id <> $key"
        key = scope.manufacturer_id
        labour = ", labor_minutes = labor_minutes * 3 + 7, parts_cost = coalesce(parts_cost, 0) * 2 + 1"
    ids = f"SELECT intervention_id FROM interventions WHERE {outside}"
    statements = [
        f"UPDATE interventions SET visits = visits % 3 + 1, customer_rating = 6 - coalesce(customer_rating, 3),"
        f" travel_km = coalesce(travel_km, 0) + 33 {labour} WHERE {outside}",
        f"UPDATE invoice_lines SET amount = amount * 2 + 3 WHERE intervention_id IN ({ids})",
        f"UPDATE disputes SET disputed_amount = disputed_amount + 11,"
        f" resolved_on = coalesce(resolved_on, opened_on + 3), outcome = coalesce(outcome, 'split')"
        f" WHERE intervention_id IN ({ids})",
        f"UPDATE invoices SET paid_on = CASE WHEN paid_on IS NULL THEN issued_on + 9 ELSE NULL END,"
        f" paid_amount = CASE WHEN paid_on IS NULL THEN 1 ELSE NULL END WHERE {outside}",
        f"DELETE FROM documents WHERE doc_type = 'technician_report' AND intervention_id IN ({ids})",
    ]
    for statement in statements:
        con.execute(statement, {"key": key})


@pytest.fixture(scope="module")
def access_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("access") / "access.duckdb"
    with publishing.writer(path) as con:
        load_access_store(con)
    return path


# ---------------------------------------------------------------------------------------------
# Stores and roles
# ---------------------------------------------------------------------------------------------

class Universe:
    """Who owns what in a store, to tell in-scope values from out-of-scope ones."""

    def __init__(self, con):
        q = lambda text: con.execute(text).fetchall()  # noqa: E731
        self.stations = dict(q("SELECT station_id, name FROM stations"))
        self.manufacturers = dict(q("SELECT manufacturer_id, name FROM manufacturers"))
        self.interventions = {r[0]: (r[1], r[2]) for r in q(
            "SELECT intervention_id, manufacturer_id, station_id FROM interventions")}
        self.invoices = {r[0]: (r[1], r[2]) for r in q("SELECT invoice_id, manufacturer_id, station_id FROM invoices")}
        self.disputes = {r[0]: self.interventions.get(r[1]) for r in q(
            "SELECT dispute_id, intervention_id FROM disputes")}
        served = q("SELECT DISTINCT station_id, manufacturer_id FROM interventions"
                   " UNION SELECT DISTINCT station_id, manufacturer_id FROM invoices")
        self.brands_of = {}
        self.stations_of = {}
        for s, m in served:
            self.brands_of.setdefault(s, set()).add(m)
            self.stations_of.setdefault(m, set()).add(s)
        # stations named by a brand's own policy (its agreements) are that brand's business
        for m, s in q("SELECT DISTINCT manufacturer_id, station_id FROM policy_values WHERE station_id <> ''"):
            self.stations_of.setdefault(m, set()).add(s)
        self.policy_brands = {r[0] for r in q("SELECT DISTINCT manufacturer_id FROM policy_versions")}

    def forbidden(self, scope: Scope) -> dict[str, str]:
        """value -> why it must not appear, for this scope."""
        out: dict[str, str] = {}
        if scope.role == "manager":
            return out
        if scope.manufacturer_id is not None:
            m = scope.manufacturer_id
            ok_stations = self.stations_of.get(m, set())
            ok_brands = {m}
            owns = lambda pair: pair is not None and pair[0] == m  # noqa: E731
        else:
            s = scope.station_id
            ok_stations = {s}
            ok_brands = self.brands_of.get(s, set())
            owns = lambda pair: pair is not None and pair[1] == s  # noqa: E731
        for sid, name in self.stations.items():
            if sid not in ok_stations:
                out[sid] = f"station id {sid!r}"
                out[name] = f"name of station {sid!r}"
        for mid, name in self.manufacturers.items():
            if mid not in ok_brands:
                out[mid] = f"manufacturer id {mid!r}"
                out[name] = f"name of manufacturer {mid!r}"
        for table in ("interventions", "invoices", "disputes"):
            for key, pair in getattr(self, table).items():
                if not owns(pair):
                    out[key] = f"{table[:-1]} {key!r} of another " + ("brand" if scope.manufacturer_id else "station")
        # a value that is also in scope (e.g. a name shared by two stations) is not evidence
        for sid in ok_stations:
            out.pop(sid, None)
            out.pop(self.stations.get(sid), None)
        for mid in ok_brands:
            out.pop(mid, None)
            out.pop(self.manufacturers.get(mid), None)
        return out


# ---------------------------------------------------------------------------------------------
# Discovery and argument providers
# ---------------------------------------------------------------------------------------------

def scoped_functions() -> list[tuple[str, object]]:
    """Every public function of ``analytics`` (sub)modules with a ``scope`` and a ``con`` parameter.

    A function without a connection (e.g. ``metrics.query_params``, which only turns a scope
    and filters into bound parameters) cannot read the store, so it cannot leak it.
    """
    found = {}
    for info in pkgutil.walk_packages(analytics.__path__, "analytics."):
        if info.name.startswith(("analytics.commands", "analytics.demo", "analytics.__main__")):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            params = inspect.signature(fn).parameters
            if "scope" in params and "con" in params:
                found[f"{fn.__module__}.{name}"] = fn
    return sorted(found.items())


SCOPED = scoped_functions()


class Context:
    """What the providers draw from: the store, the scope, and in/out-of-scope ids."""

    def __init__(self, con, universe: Universe, scope: Scope):
        self.con, self.u, self.scope = con, universe, scope
        q = lambda text, p=None: con.execute(text, p or {}).fetchall()  # noqa: E731
        sp = scope.params()
        flt = ("($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)"
               " AND ($scope_station IS NULL OR station_id = $scope_station)")
        self.own_brands = sorted(r[0] for r in q(f"SELECT DISTINCT manufacturer_id FROM interventions WHERE {flt}", sp))
        self.own_stations = sorted(r[0] for r in q(f"SELECT DISTINCT station_id FROM interventions WHERE {flt}", sp))
        self.own_interventions = [r[0] for r in q(
            f"SELECT intervention_id FROM interventions WHERE {flt} ORDER BY intervention_id LIMIT 3", sp)]
        self.months = [r[0] for r in q(
            f"SELECT DISTINCT strftime(completed_on, '%Y-%m') AS m FROM interventions WHERE {flt} ORDER BY m", sp)]
        self.valid_from = {r[0]: r[1] for r in q(
            "SELECT manufacturer_id, min(valid_from) FROM policy_versions GROUP BY ALL")}
        self.countries = sorted(r[0] for r in q("SELECT DISTINCT country FROM stations WHERE station_id IN"
                                                f" (SELECT station_id FROM interventions WHERE {flt})", sp))
        forbidden = universe.forbidden(scope)
        # one of each is enough per call site: the SQL filter is the same for every value
        self.other_stations = sorted(s for s in universe.stations if s in forbidden)[:1]
        self.other_brands = sorted(m for m in universe.manufacturers if m in forbidden)[:1]
        self.other_interventions = sorted(i for i in universe.interventions if i in forbidden)[:1]


def _brand(ctx: Context, own: bool = True):
    if own:
        return ctx.own_brands[:2] or [next(iter(ctx.u.manufacturers))]
    return ctx.other_brands + ["M'); DROP TABLE manufacturers; --"]


#: parameter name -> (in-scope values, out-of-scope values). The first in-scope value is the
#: one used when other parameters vary. An out-of-scope value must be refused (ScopeError)
#: or give an answer with nothing outside the scope.
PROVIDERS = {
    "filters": (
        lambda c: [Filters(), Filters(date_from=D("2024-02-01"), date_to=D("2024-04-30"),
                                      countries=tuple(c.countries[:1]))],
        lambda c: [Filters(station_ids=(s,)) for s in c.other_stations + [SQL_STATION + "x"]]
        + [Filters(manufacturer_ids=(m,)) for m in c.other_brands],
    ),
    "manufacturer_id": (lambda c: _brand(c), lambda c: _brand(c, own=False)),
    "station_id": (
        lambda c: c.own_stations[:2] or ["S-none"],
        lambda c: c.other_stations + [SQL_STATION + "x"],
    ),
    "intervention_id": (lambda c: c.own_interventions[:2] or ["I-none"],
                        lambda c: c.other_interventions + ["I' OR 1=1 --"]),
    "by": (lambda c: [("station", "month"), ("manufacturer", "country", "region", "product_category")],
           lambda c: []),
    "by_month": (lambda c: [False, True], lambda c: []),
    "month": (lambda c: [None] + c.months[-1:], lambda c: []),
    "on": (lambda c: [None, D("2024-03-15")], lambda c: []),
    # a moment after every refresh: the history's current state, which must respect the scope as well
    "moment": (lambda c: [dt.datetime(2100, 1, 1)], lambda c: []),
    "valid_from": (lambda c: [c.valid_from.get((c.own_brands or ["?"])[0], D("2024-01-01"))], lambda c: []),
    "metric": (lambda c: ["first_time_fix_rate", "requested_amount"], lambda c: []),
    "level": (lambda c: ["country", "region"], lambda c: []),
    "status": (lambda c: [None, "blocked"], lambda c: []),
    # the work queues: whose turn it is to act on a finding
    "turn": (lambda c: ["answer", "decision"], lambda c: []),
    # the disputes' breakdown key (by station: a station viewer is refused)
    "key": (lambda c: ["country", "station", "month"], lambda c: []),
    # a search naming another station's intervention must find nothing of it
    "search": (lambda c: [None, "0", "%"], lambda c: c.other_interventions + ["' OR 1=1 --"]),
    "limit": (lambda c: [None, 5], lambda c: []),
    "country": (lambda c: ["", *c.countries[:1]], lambda c: []),
    "region": (lambda c: [""], lambda c: []),
    "keys": (lambda c: [None], lambda c: []),
    # every role may comment (which other kinds a role may write is tests/test_conversation.py's business)
    "kind": (lambda c: ["comment"], lambda c: []),
    "code": (lambda c: ["DOC_MISSING", "REPEAT_REPAIR"], lambda c: []),
    "doc_type": (lambda c: [""], lambda c: []),
}


def _calls(fn, ctx: Context):
    """(kwargs, adversarial) for each call to make: the base call, each in-scope variant of one
    parameter at a time, then each out-of-scope value of one parameter at a time."""
    sig = inspect.signature(fn)
    base, variants, attacks = {}, [], []
    for name, p in sig.parameters.items():
        if name == "con":
            base[name] = ctx.con
            continue
        if name == "scope":
            base[name] = ctx.scope
            continue
        if name not in PROVIDERS:
            if p.default is not inspect.Parameter.empty:
                continue
            pytest.fail(f"{fn.__module__}.{fn.__name__}: no value provider for parameter {name!r} "
                        f"— add one to PROVIDERS in tests/test_access_scope.py")
        good, bad = PROVIDERS[name]
        values = good(ctx)
        if p.default is inspect.Parameter.empty:
            # a required parameter gets a real value first; None stays a variant
            values = [v for v in values if v is not None] + [v for v in values if v is None]
        if p.default is inspect.Parameter.empty or values[0] is not None:
            base[name] = values[0]
        for v in values[1:]:
            if v is None and p.default is inspect.Parameter.empty:
                continue
            variants.append((name, v))
        for v in bad(ctx):
            attacks.append((name, v))
    yield dict(base), False
    for name, v in variants:
        yield {**base, name: v}, False
    for name, v in attacks:
        yield {**base, name: v}, True


# ---------------------------------------------------------------------------------------------
# Looking for leaks in a result
# ---------------------------------------------------------------------------------------------

def _atoms(value, path="result"):
    """Every scalar in a result, with where it was found (frames: columns, index and cells)."""
    if isinstance(value, pd.DataFrame):
        for col in value.columns:
            yield f"{path} column name", col
        for col in value.columns:
            for i, cell in enumerate(value[col].tolist()):
                yield from _atoms(cell, f"{path}[{col!r}][{i}]")
        if not isinstance(value.index, pd.RangeIndex):
            for i, idx in enumerate(value.index.tolist()):
                yield from _atoms(idx, f"{path}.index[{i}]")
    elif isinstance(value, pd.Series):
        yield from _atoms(value.to_frame(), path)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield f"{path} key", k
            yield from _atoms(v, f"{path}[{k!r}]")
    elif isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        for i, v in enumerate(value):
            yield from _atoms(v, f"{path}[{i}]")
    elif hasattr(value, "__dataclass_fields__"):
        for k in value.__dataclass_fields__:
            yield from _atoms(getattr(value, k), f"{path}.{k}")
    else:
        yield path, value


_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")


def leaks(result, forbidden: dict[str, str]) -> list[str]:
    """Where a forbidden value shows: as a whole cell, or inside a longer text.

    Id-like values (letters, digits, ``_``, ``-``) are found as whole tokens of a text; other
    values (names with spaces, ids with quotes or SQL) as substrings. Each distinct string is
    examined once.
    """
    if not forbidden:
        return []
    plain = {v for v in forbidden if len(v) >= 3 and _TOKEN.fullmatch(v)}
    odd = sorted((v for v in forbidden if len(v) >= 3 and v not in plain), key=len, reverse=True)
    odd_re = re.compile("|".join(re.escape(v) for v in odd)) if odd else None
    seen: dict[str, str | None] = {}

    def first_hit(text: str) -> str | None:
        if text in forbidden:
            return text
        for token in _TOKEN.findall(text):
            if token in plain:
                return token
        m = odd_re.search(text) if odd_re is not None else None
        return m.group(0) if m else None

    found = []
    for where, atom in _atoms(result):
        if not isinstance(atom, str):
            continue
        if atom not in seen:
            seen[atom] = first_hit(atom)
        hit = seen[atom]
        if hit is not None:
            how = "=" if hit == atom else "contains"
            found.append(f"{where} {how} {hit!r} ({forbidden[hit]})")
    return found


#: How a function may refuse a request: outside the scope, or not a valid request at all
#: (an unknown id, a malformed value). Any other exception is a bug.
REFUSALS = (ScopeError, ValueError, LookupError)


def _call(fn, kwargs, adversarial: bool):
    try:
        return fn(**kwargs), None
    except ScopeError as exc:
        return None, exc
    except REFUSALS as exc:
        if adversarial:
            return None, exc
        raise


def _label(fn, kwargs) -> str:
    shown = {k: v for k, v in kwargs.items() if k not in ("con",)}
    return f"{fn.__module__}.{fn.__name__}({shown})"


# ---------------------------------------------------------------------------------------------
# Tests on the access store
# ---------------------------------------------------------------------------------------------

ACCESS_SCOPES = {
    "manager": Scope.manager(),
    "manufacturer": Scope.manufacturer("M01"),
    "station_two_brands": Scope.station("S01"),
    "station_small_group": Scope.station("S11"),       # the only M01/M03 station in DE but one
    "station_sql_id": Scope.station(SQL_STATION),
}


def test_discovery_finds_the_scoped_functions():
    names = {n for n, _ in SCOPED}
    assert "analytics.metrics.table.metric_table" in names
    assert all(inspect.signature(fn).parameters["scope"] for _, fn in SCOPED)


@pytest.fixture(scope="module")
def access_con(access_store):
    con = store.reader(access_store)
    yield con
    con.close()


@pytest.mark.parametrize("role", list(ACCESS_SCOPES))
def test_nothing_outside_the_scope_appears(access_con, role):
    """Every scoped function, every in-scope and out-of-scope argument, on the access store."""
    scope = ACCESS_SCOPES[role]
    universe = Universe(access_con)
    forbidden = universe.forbidden(scope)
    ctx = Context(access_con, universe, scope)
    problems = []
    for _name, fn in SCOPED:
        calls = _calls(fn, ctx)
        if role == "manager":  # nothing is outside its scope: one call each, to show every function runs
            calls = itertools.islice(calls, 1)
        for kwargs, adversarial in calls:
            result, refused = _call(fn, kwargs, adversarial)
            if refused is not None:  # a refusal shows nothing (a role may be refused a whole view)
                continue
            for leak in leaks(result, forbidden):
                problems.append(f"{_label(fn, kwargs)}: {leak}")
    assert problems == [], "\n".join(problems[:40])


# ---------------------------------------------------------------------------------------------
# No figure computed over rows outside the scope (perturbation)
# ---------------------------------------------------------------------------------------------

#: Results a station may see that are computed over other stations: the anonymous peer
#: aggregates of the issue (median, quartiles, its own rank among N, over >= 5 stations) and
#: what follows from them by the specs — the performance score (percentile ranks among the
#: scored stations, metrics.md), the bonus/malus tier and amount it earns (policy-format.md),
#: and a pre-invoice's adjustment lines, totals and content hash that include that amount.
PEER_AGGREGATE_COLUMNS = frozenset({
    "peers", "median", "q1", "q3", "rank", "withheld",
    "score", "percentile_rank", "ranked_stations", "contribution",
    "tier_no", "min_score", "max_score", "labor_adjustment", "adjustment_amount",
    "adjustments", "totals", "reference",
})
#: Functions whose whole answer is such an aggregate for a station (its rank among N by score;
#: which metric at the peers' median would raise its score most): the leak test still applies.
PEER_AGGREGATE_FUNCTIONS = frozenset({"analytics.page_data.scorecard.score_rank", "analytics.page_data.scorecard.score_gains",
                                      # score_rank + score_gains + the station's own scores/score_terms
                                      # rows (those two are checked on their own)
                                      "analytics.page_data.scorecard.score_summary"})
#: ... and the per-metric terms of a score (``<metric>_rank``, ``<metric>_contribution``).
PEER_AGGREGATE_SUFFIXES = ("_rank", "_contribution")


def is_peer_aggregate(name) -> bool:
    return isinstance(name, str) and (name in PEER_AGGREGATE_COLUMNS or name.endswith(PEER_AGGREGATE_SUFFIXES))


def _normal(value, drop):
    """A comparable form of a result, without the columns/fields ``drop(name)`` is true for; rows sorted."""
    if isinstance(value, pd.DataFrame):
        frame = value.drop(columns=[c for c in value.columns if drop(c)])
        rows = sorted((tuple(_normal(x, drop) for x in row) for row in frame.itertuples(index=False)), key=repr)
        return ("frame", tuple(frame.columns), tuple(rows))
    if isinstance(value, pd.Series):
        return _normal(value.to_frame(), drop)
    if hasattr(value, "__dataclass_fields__"):
        return tuple((k, _normal(getattr(value, k), drop)) for k in value.__dataclass_fields__ if not drop(k))
    if isinstance(value, dict):
        return tuple(sorted(((k, _normal(v, drop)) for k, v in value.items() if not drop(k)), key=repr))
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_normal(v, drop) for v in value)
    if isinstance(value, float):
        return "no value" if np.isnan(value) else round(value, 9)
    if value is None or value is pd.NA or value is pd.NaT:
        return "no value"
    return value


@pytest.fixture(scope="module")
def perturbed_stores(access_store, tmp_path_factory):
    """role -> a copy of the access store whose rows outside that role's scope were changed."""
    made = {}

    def get(role: str) -> Path:
        if role not in made:
            path = tmp_path_factory.mktemp(f"perturbed-{role}") / "store.duckdb"
            shutil.copyfile(access_store, path)
            with publishing.writer(path) as con:  # the engine refreshes every derived table
                perturb_outside(con, ACCESS_SCOPES[role])
            made[role] = path
        return made[role]

    return get


@pytest.mark.slow
@pytest.mark.parametrize("role", ["manufacturer", "station_two_brands"])
def test_no_figure_depends_on_rows_outside_the_scope(access_con, perturbed_stores, role):
    scope = ACCESS_SCOPES[role]
    changed = store.reader(perturbed_stores(role))
    # the perturbation really changed the network's figures (else this test proves nothing)
    from analytics.metrics.table import metric_table

    everyone = Scope.manager()
    assert not metric_table(access_con, everyone, Filters()).equals(metric_table(changed, everyone, Filters()))
    # a brand sees nothing computed over other brands; a station only the peer aggregates
    drop = is_peer_aggregate if scope.station_id is not None else (lambda name: False)
    ctx = Context(access_con, Universe(access_con), scope)
    problems = []
    for name, fn in SCOPED:
        if scope.station_id is not None and name in PEER_AGGREGATE_FUNCTIONS:
            continue
        calls = [kw for kw, adversarial in _calls(fn, ctx) if not adversarial]
        # the base call, and the groupings (the other variants filter the same rows; they ran
        # in the leak test): keeps this test within its time budget
        calls = calls[:1] + [kw for kw in calls[1:]
                             if {k for k in kw if kw[k] is not calls[0].get(k)} <= {"by", "by_month"}]
        for kwargs in calls:
            before, refused = _call(fn, kwargs, False)
            after, refused_after = _call(fn, {**kwargs, "con": changed}, False)
            if refused is not None or refused_after is not None:
                assert type(refused) is type(refused_after), _label(fn, kwargs)
                continue
            if _normal(before, drop) != _normal(after, drop):
                problems.append(f"{_label(fn, kwargs)} changed when rows outside the scope changed")
    changed.close()
    assert problems == [], "\n".join(problems[:30])


# ---------------------------------------------------------------------------------------------
# Adversarial cases, one by one
# ---------------------------------------------------------------------------------------------

def test_a_small_comparison_group_is_withheld(access_con):
    from analytics.metrics.table import MIN_PEERS, peer_comparison

    # M03 is served by two stations only (S02, S11): every aggregate withheld, own figures kept
    small = peer_comparison(access_con, Scope.station("S11"), Filters(), "S11", "M03")
    assert small["withheld"].all() and small["peers"].max() < MIN_PEERS
    assert small[["median", "q1", "q3", "rank"]].isna().all().all()
    assert small["value"].notna().any()
    # M01 in Germany: S11 and the SQL-named station only
    de = peer_comparison(access_con, Scope.station("S11"), Filters(countries=("DE",)), "S11", "M01")
    assert de["withheld"].all() and de[["median", "q1", "q3", "rank"]].isna().all().all()
    # M01 everywhere: 8 stations, shown
    wide = peer_comparison(access_con, Scope.station("S11"), Filters(), "S11", "M01")
    assert (~wide["withheld"]).any() and wide["peers"].max() >= MIN_PEERS


@pytest.mark.parametrize("fn_name", ["analytics.metrics.table.metric_table", "analytics.verification.queue.verification_queue",
                                     "analytics.verification.queue.worst_first", "analytics.verification.queue.status_counts",
                                     "analytics.metrics.disputes.dispute_details"])
def test_crafted_filters_are_refused(access_con, fn_name):
    fn = dict(SCOPED).get(fn_name)
    if fn is None:
        pytest.skip(f"{fn_name} does not exist (yet)")
    station = Scope.station("S01")
    for crafted in (Filters(station_ids=("S02",)), Filters(station_ids=("S01", "S02")),
                    Filters(station_ids=(SQL_STATION,)), Filters(station_ids=("S01' OR '1'='1",))):
        with pytest.raises(ScopeError):
            fn(con=access_con, scope=station, filters=crafted)
    with pytest.raises(ScopeError):
        fn(con=access_con, scope=Scope.manufacturer("M01"), filters=Filters(manufacturer_ids=("M02",)))
    # naming oneself is fine
    fn(con=access_con, scope=station, filters=Filters(station_ids=("S01",)))


def test_a_station_id_with_sql_is_only_data(access_store, access_con):
    from analytics.metrics.table import metric_table

    own = metric_table(access_con, Scope.station(SQL_STATION), Filters(), ["station"])
    assert own["station_id"].tolist() == [SQL_STATION]
    assert int(own["interventions"].iloc[0]) == PER_PAIR
    # a made-up id that tries to widen the filter sees nothing
    for crafted in ("S01' OR '1'='1", "%", "' OR 1=1 --", SQL_STATION + "x"):
        assert metric_table(access_con, Scope.station(crafted), Filters(), ["station"]).empty
        assert int(metric_table(access_con, Scope.station(crafted), Filters())["interventions"].iloc[0]) == 0
    con = store.reader(access_store)
    assert con.execute("SELECT count(*) FROM stations").fetchall() == [(len(STATIONS),)]
    assert con.execute("SELECT name FROM stations WHERE station_id = $s", {"s": SQL_STATION}).fetchall() == [
        ("'); DROP TABLE interventions; --",)]


# ---------------------------------------------------------------------------------------------
# The demo store: the demo users' scopes
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_con(request):
    try:
        path = request.getfixturevalue("demo_store_path")
    except pytest.FixtureLookupError:
        pytest.skip("no demo_store_path fixture in tests/conftest.py")
    con = store.reader(path)
    yield con
    con.close()


def _demo_scopes(con) -> dict[str, Scope]:
    from analytics.access.users import list_users

    return {u.username: u.scope for u in list_users(con)}


@pytest.mark.slow
@pytest.mark.parametrize("username", ["manufacturer", "station", "station2"])
def test_demo_users_see_nothing_outside_their_scope(demo_con, username):
    scopes = _demo_scopes(demo_con)
    if username not in scopes:
        pytest.skip(f"the demo store has no user {username!r}")
    scope = scopes[username]
    universe = Universe(demo_con)
    forbidden = universe.forbidden(scope)
    ctx = Context(demo_con, universe, scope)
    problems = []
    for _name, fn in SCOPED:
        # the base call and the adversarial ones (the in-scope variants ran on the access store)
        calls = [(kw, adv) for i, (kw, adv) in enumerate(_calls(fn, ctx)) if i == 0 or adv]
        for kwargs, adversarial in calls:
            result, refused = _call(fn, kwargs, adversarial)
            if refused is None:
                problems += [f"{_label(fn, kwargs)}: {leak}" for leak in leaks(result, forbidden)]
    assert problems == [], "\n".join(problems[:40])


def test_demo_users_cover_the_roles(demo_con):
    scopes = _demo_scopes(demo_con)
    assert scopes["admin"] == Scope.manager()
    assert scopes["manufacturer"].role == "manufacturer"
    station = scopes["station"].station_id
    served = demo_con.execute("SELECT count(DISTINCT manufacturer_id) FROM interventions WHERE station_id = $s",
                              {"s": station}).fetchall()[0][0]
    assert served >= 2, "the demo station user should serve two brands"


# ---------------------------------------------------------------------------------------------
# Pages: tampered URL parameters (AppTest)
# ---------------------------------------------------------------------------------------------

PAGES = sorted((Path(analytics.__file__).resolve().parent.parent / "pages").glob("*.py"))


def _rendered(at) -> list:
    """Everything a page drew: each element's protobuf as text, and each table's frame."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        if type(node).__name__ in ("Dataframe", "Table"):
            try:
                out.append(node.value)
            except Exception:  # noqa: BLE001 - a frame that cannot be decoded is still in the proto text
                pass
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def _tampered(universe: Universe, scope: Scope) -> dict[str, str]:
    forbidden = universe.forbidden(scope)
    station = sorted(s for s in universe.stations if s in forbidden)[0]
    brand = sorted(m for m in universe.manufacturers if m in forbidden)[0]
    intervention = sorted(i for i in universe.interventions if i in forbidden)[0]
    invoice = sorted(i for i in universe.invoices if i in forbidden)[0]
    params = {}
    for key in ("station", "stations", "station_id", "s"):
        params[key] = station
    for key in ("manufacturer", "manufacturers", "manufacturer_id", "brand", "m"):
        params[key] = brand
    for key in ("intervention", "intervention_id", "id"):
        params[key] = intervention
    params["invoice"] = invoice
    params["country"] = "DE"
    return params


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_pages_refuse_tampered_url_parameters(access_store, page, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from analytics.access.viewer import Viewer
    from ui.auth import VIEWER_KEY

    monkeypatch.setenv("CLAIRVOIE_DB", str(access_store))
    universe = Universe(store.reader(access_store))
    problems = []
    for scope in (Scope.station("S01"), Scope.manufacturer("M01")):
        tampered = _tampered(universe, scope)
        # the values typed into the URL may be echoed back (that is not a leak); what they name is
        forbidden = {k: v for k, v in universe.forbidden(scope).items() if k not in set(tampered.values())}
        for params in (tampered, {"station": SQL_STATION, "stations": SQL_STATION, "intervention": "' OR 1=1 --"}):
            at = AppTest.from_file(str(page), default_timeout=120)
            at.session_state[VIEWER_KEY] = Viewer("tester", scope)
            for key, value in params.items():
                at.query_params[key] = value
            at.run()
            for exc in at.exception:
                problems.append(f"{page.stem} as {scope}: exception {exc.value[:200]}")
            problems += [f"{page.stem} as {scope} with {params}: {leak}" for leak in leaks(_rendered(at), forbidden)]
    assert problems == [], "\n".join(problems[:30])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_pages_show_nothing_but_the_login_form_before_login(access_store, page, monkeypatch):
    """Every page asks ui.auth.require_viewer first (a page can be opened by its URL directly)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIRVOIE_DB", str(access_store))
    at = AppTest.from_file(str(page), default_timeout=120).run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Log in"], f"{page.stem} does not stop at the login page"
    assert len(at.dataframe) == 0 and len(at.metric) == 0
    assert leaks(_rendered(at), Universe(store.reader(access_store)).forbidden(Scope.station("S01"))) == []


def test_the_leak_detector_finds_planted_leaks():
    forbidden = {"S02": "station id 'S02'", "Lyon Repair": "name of station 'S02'", "I0042": "intervention",
                 SQL_STATION: "station id (SQL)"}
    frame = pd.DataFrame({"station_id": ["S01", "S02"], "note": ["fine", "see I0042; ok"]})
    found = leaks({"rows": frame, "title": "Compared with Lyon Repair", "other": [f"x {SQL_STATION} y"]}, forbidden)
    assert any("= 'S02'" in f for f in found)
    assert any("contains 'I0042'" in f for f in found)
    assert any("contains 'Lyon Repair'" in f for f in found)
    assert any("station id (SQL)" in f for f in found)
    # whole tokens only: S021 or XS02 are other ids
    assert leaks(pd.DataFrame({"a": ["S021", "XS02", "S01"]}), forbidden) == []
    # column names count too
    assert leaks(pd.DataFrame({"S02": [1]}), forbidden) == ["result column name = 'S02' (station id 'S02')"]


def test_the_perturbation_check_catches_an_unscoped_function(access_con, perturbed_stores):
    """A function that forgets its scope is caught by the perturbation comparison."""
    from analytics.metrics.table import metric_table

    changed = store.reader(perturbed_stores("station_two_brands"))
    scope = ACCESS_SCOPES["station_two_brands"]

    def forgetful(con):  # computes over the whole network, as a bug would
        return metric_table(con, Scope.manager(), Filters(), ["manufacturer"])

    def careful(con):
        return metric_table(con, scope, Filters(), ["manufacturer"])

    assert _normal(forgetful(access_con), is_peer_aggregate) != _normal(forgetful(changed), is_peer_aggregate)
    assert _normal(careful(access_con), is_peer_aggregate) == _normal(careful(changed), is_peer_aggregate)
    changed.close()
