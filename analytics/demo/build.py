"""Export the demo network as contract files, and build a demo store through the real importer.

:func:`export_demo` writes ``<table>.csv`` (or ``.parquet``) for every contract table
(the invoice parties of :mod:`analytics.demo.legal` included) plus
``policies/<manufacturer_id>.toml``, generating one month of requests at a time (memory
stays bounded whatever the size: a month is at most a few hundred thousand rows;
invoices are accumulated as small per-slot counters).
:func:`build_demo_store` exports to a temporary folder next to the store, imports it
with :func:`analytics.importer.import_into` inside one :func:`analytics.store.writer`
(so the demo also proves the contract), adds the demo users, and replaces the store.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics.access import users
from analytics.contract.importer import import_into
from analytics.core import store
from analytics.engine import publishing
from analytics.contract.tables import COVERAGES, DISPUTE_OUTCOMES, LINE_KINDS, OUTCOMES, TABLE_ORDER, TABLES_BY_NAME
from analytics.demo import documents, timeline as tl
from analytics.demo.billing import REASONS, Billing
from analytics.demo.geography import FX_START
from analytics.demo.files import Sinks, dates, decimal, ints, joined, labels, numbered
from analytics.demo.legal import legal_entities
from analytics.demo.interventions import BLOCKING, FINDING_CODES, InterventionGenerator
from analytics.demo.network import MANUFACTURERS, MODELS_PER_CATEGORY, Network, build_network
from analytics.demo.policies import build_policies, policy_arrays, to_toml
from analytics.demo.products import ALL_CODES, CATEGORIES, DOC_TYPES

Progress = Callable[[int, int, str], None]
DEFAULT_INTERVENTIONS = 200_000
DEFAULT_SEED = 42
#: the smallest size that still gives every station some work and every rule some cases
MIN_INTERVENTIONS = 1_000
#: serial numbers look random but are a bijection of the unit number (no accidental repeats)
_SERIAL_MULTIPLIER, _SERIAL_MODULUS = 2_654_435_761, 10**10


def _quiet(done: int, total: int, message: str) -> None:
    pass


def network_for(seed: int) -> tuple[Network, dict]:
    """The network and the policies of a seed (what the export's small tables hold)."""
    rng = np.random.default_rng([seed, 0])
    network = build_network(rng)
    return network, build_policies(rng, network)


def station_profiles(seed: int = DEFAULT_SEED) -> dict[str, str]:
    """``{station_id: profile name}`` of a seed's network (for docs, tests and curious managers)."""
    network, _ = network_for(seed)
    return {sid: network.profile_name(i) for i, sid in enumerate(network.station_ids)}


def export_demo(directory: Path | str, *, interventions: int = DEFAULT_INTERVENTIONS, seed: int = DEFAULT_SEED,
                progress: Progress | None = None, fmt: str = "csv") -> dict:
    """Write the demo network's contract files and policies into ``directory``.

    Same ``(interventions, seed, fmt)``, same bytes. Returns statistics: rows per table,
    the findings and statuses the generator planted (the engine computes the real ones;
    outlier findings are not planted, they follow from the data), seconds.
    """
    if interventions < MIN_INTERVENTIONS:
        raise ValueError(f"the demo needs at least {MIN_INTERVENTIONS:,} interventions (asked: {interventions:,})")
    progress = progress or _quiet
    started = time.perf_counter()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    network, policies = network_for(seed)
    pol = policy_arrays(policies, network)
    (directory / "policies").mkdir(exist_ok=True)
    for mid, policy in policies.items():
        (directory / "policies" / f"{mid}.toml").write_text(to_toml(policy), encoding="utf-8")

    gen = InterventionGenerator(network, pol, interventions, seed)
    billing = Billing(gen)
    planted = np.zeros(len(FINDING_CODES), dtype=np.int64)
    status = {"blocked": 0, "review": 0, "ready": 0}
    ctx = _Context(network, pol)
    with Sinks(directory, fmt, TABLE_ORDER) as sinks:
        sinks.write("manufacturers", {
            "manufacturer_id": pa.array([m.manufacturer_id for m in MANUFACTURERS]),
            "name": pa.array([m.name for m in MANUFACTURERS])})
        sinks.write("stations", {
            "station_id": pa.array(network.station_ids), "name": pa.array(network.station_names),
            "country": pa.array(network.station_country), "region": pa.array(network.station_region, pa.string()),
            "city": pa.array(network.station_city)})
        for table, rows in legal_entities(network, seed).items():
            sinks.write(table, {c: pa.array([r[c] for r in rows], pa.string())
                                for c in TABLES_BY_NAME[table].column_names})
        done = 0
        for m in range(tl.REQUEST_MONTHS):
            rows, d = gen.month(m)
            rng = np.random.default_rng([seed, 4, m])
            doc_rows = documents.generate(gen, rows, d, rng)
            lines = billing.lines(rows, d, rng)
            disputes = billing.disputes(rows, d, rng)
            sinks.write("interventions", ctx.interventions(rows, d))
            sinks.write("documents", ctx.documents(rows, *doc_rows))
            sinks.write("invoice_lines", ctx.invoice_lines(rows, lines))
            sinks.write("disputes", ctx.disputes(rows, disputes))
            for i in range(len(FINDING_CODES)):
                planted[i] += int(np.count_nonzero(d["flags"] & (1 << i)))
            blocked = (d["flags"] & BLOCKING) != 0
            status["blocked"] += int(blocked.sum())
            status["review"] += int((~blocked & (d["flags"] != 0)).sum())
            status["ready"] += int((d["flags"] == 0).sum())
            done += len(rows.pair)
            progress(done, interventions, f"generated {tl.month_label(m)} ({done:,} interventions)")
        sinks.write("invoices", ctx.invoices(billing.invoices(seed)))
        sinks.write("fx_rates", ctx.fx_rates(seed))
        rows_by_table = sinks.rows()
    return {
        "interventions": rows_by_table["interventions"],
        "seed": seed,
        "format": fmt,
        "rows": rows_by_table,
        "stations": network.n_stations,
        "countries": len(set(network.station_country)),
        "manufacturers": len(MANUFACTURERS),
        "planted_findings": {c: int(n) for c, n in zip(FINDING_CODES, planted)},
        "planted_status": status,
        "seconds": round(time.perf_counter() - started, 3),
    }


class _Context:
    """Turns the generator's integer columns into contract columns (Arrow arrays)."""

    def __init__(self, network: Network, pol):
        self.net, self.pol = network, pol
        self.station_ids = network.station_ids
        self.manu_ids = [m.manufacturer_id for m in MANUFACTURERS]
        self.pair_station = network.pair_station
        self.pair_manu = network.pair_manu
        self.models = [x for x in network.models.reshape(-1)]
        self.serial_prefix = [m.serial_prefix for m in MANUFACTURERS]

    def _ids(self, numbers):
        return numbered("I", numbers + 1, 8)

    def interventions(self, rows, d) -> dict:
        pair = rows.pair
        manu = self.pair_manu[pair]
        model_idx = (manu * len(CATEGORIES) + rows.cat) * MODELS_PER_CATEGORY + rows.model.clip(0)
        scrambled = ((rows.unit + 1_000_003) * _SERIAL_MULTIPLIER) % _SERIAL_MODULUS
        serial = joined(labels(manu, self.serial_prefix), pc.utf8_lpad(
            pc.cast(pa.array(scrambled), pa.string()), 10, "0"))
        return {
            "intervention_id": self._ids(rows.number),
            "manufacturer_id": labels(manu, self.manu_ids),
            "station_id": labels(self.pair_station[pair], self.station_ids),
            "product_category": labels(rows.cat, [c.name for c in CATEGORIES]),
            "product_model": labels(model_idx, self.models, mask=rows.model < 0),
            "serial_number": serial,
            "purchase_date": dates(rows.purchase, mask=~rows.has_purchase),
            "coverage": labels(rows.coverage, COVERAGES),
            "repair_code": labels(rows.code, [rc.code for rc in ALL_CODES]),
            "requested_on": dates(rows.requested),
            "completed_on": dates(d["completed"]),
            "submitted_on": dates(d["submitted"]),
            "visits": ints(d["visits"]),
            "labor_minutes": ints(d["labor"]),
            "travel_km": decimal(d["km10"], 1),
            "parts_cost": decimal(d["parts"], 2),
            "outcome": labels(d["outcome"], OUTCOMES),
            "customer_rating": ints(d["rating"], mask=~d["rated"]),
        }

    def documents(self, rows, r, t, day) -> dict:
        return {"intervention_id": self._ids(rows.number[r]), "doc_type": labels(t, DOC_TYPES),
                "received_on": dates(day)}

    def _invoice_ids(self, slot) -> pa.Array:
        pair, month = slot // tl.BILL_MONTHS, slot % tl.BILL_MONTHS
        yyyymm = [tl.month_label(i).replace("-", "") for i in range(tl.BILL_MONTHS)]
        left = joined(pa.array(["INV-"] * len(slot), pa.string()), labels(month, yyyymm))
        who = joined(labels(self.pair_station[pair], self.station_ids), labels(self.pair_manu[pair], self.manu_ids),
                     "-")
        return joined(left, who, "-")

    def invoice_lines(self, rows, lines) -> dict:
        return {
            "invoice_id": self._invoice_ids(lines["slot"]),
            "line_no": ints(lines["line_no"]),
            "intervention_id": self._ids(rows.number[lines["row"]]),
            "kind": labels(lines["kind"], LINE_KINDS),
            "amount": decimal(lines["amount"], 2),
            "vat_rate": decimal(lines["vat"], 2),
        }

    def disputes(self, rows, x) -> dict:
        return {
            "dispute_id": numbered("D", x["number"] + 1, 8),
            "invoice_id": self._invoice_ids(x["slot"]),
            "intervention_id": self._ids(rows.number[x["row"]]),
            "opened_on": dates(x["opened"]),
            "opened_by": labels(x["by_station"].astype(np.int64), ("manufacturer", "station")),
            "reason": labels(x["reason"], REASONS),
            "disputed_amount": decimal(x["amount"], 2),
            "resolved_on": dates(x["resolved"], mask=x["is_open"]),
            "outcome": labels(x["outcome"], DISPUTE_OUTCOMES, mask=x["is_open"]),
            "settled_amount": decimal(x["settled"], 2, mask=x["no_settlement"]),
        }

    def invoices(self, inv) -> dict:
        pair = inv["pair"]
        return {
            "invoice_id": self._invoice_ids(inv["slot"]),
            "manufacturer_id": labels(self.pair_manu[pair], self.manu_ids),
            "station_id": labels(self.pair_station[pair], self.station_ids),
            "issued_on": dates(inv["issued"]),
            "currency": labels(self.pol.currency[pair], self.pol.currencies),
            "paid_on": dates(inv["paid"], mask=inv["unpaid"]),
            "paid_amount": decimal(inv["amount"], 2, mask=inv["unpaid"]),
        }

    def fx_rates(self, seed: int) -> dict:
        rng = np.random.default_rng([seed, 5])
        currency, month, micro = [], [], []
        for code in sorted(FX_START):
            walk = FX_START[code] * np.exp(np.cumsum(rng.normal(0, 0.012, tl.BILL_MONTHS)))
            currency += [code] * tl.BILL_MONTHS
            month += [tl.month_label(i) for i in range(tl.BILL_MONTHS)]
            micro.append(np.round(walk * 1e6).astype(np.int64))
        return {"currency": pa.array(currency), "month": pa.array(month),
                "eur_per_unit": decimal(np.concatenate(micro), 6)}


# ---------------------------------------------------------------- the demo store

#: Share of the progress scale each phase takes (measured: generating is ~10 % of a build,
#: the importer ~60 %, the engine refresh the rest).
_SCALE, _GENERATED, _IMPORTED = 1000, 100, 700


def build_demo_store(db_path: Path | str, *, interventions: int = DEFAULT_INTERVENTIONS, seed: int = DEFAULT_SEED,
                     progress: Progress | None = None) -> dict:
    """Generate the demo network and load it, through the importer, into a new store at ``db_path``.

    The store is replaced as a whole (atomically: readers see the old store or the new
    one). ``progress(done, total, message)`` runs from 0 to 1,000 (generation, import,
    engine refresh). Returns the export's statistics plus ``import_seconds``,
    ``total_seconds`` and ``warnings`` (the importer's). Raises
    :class:`analytics.store.StoreError` if the import is rejected (a bug: the demo must
    satisfy its own contract).
    """
    progress = progress or _quiet
    db_path = Path(os.path.abspath(db_path))  # not resolved: a replicated store's path is a link
    db_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".demo-", dir=db_path.parent) as tmp:
        files = Path(tmp) / "files"
        stats = export_demo(files, interventions=interventions, seed=seed, fmt="parquet",
                            progress=lambda d, t, msg: progress(_GENERATED * d // max(t, 1), _SCALE, msg))
        stats.update(load_demo_files(db_path, files, progress=progress))
    stats["total_seconds"] = round(time.perf_counter() - started, 3)
    progress(_SCALE, _SCALE, f"demo store ready: {db_path}")
    return stats


def load_demo_files(db_path: Path | str, files: Path | str, *, progress: Progress | None = None) -> dict:
    """Import exported demo files into a new store that replaces ``db_path`` (importer, users, engine).

    Returns ``import_seconds`` (import, demo users, engine refresh, publish) and ``warnings``.
    """
    progress = progress or _quiet
    db_path = Path(os.path.abspath(db_path))  # not resolved: a replicated store's path is a link
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".demo-store-", dir=db_path.parent) as tmp:
        new_store = Path(tmp) / db_path.name
        progress(_GENERATED, _SCALE, "importing through the importer")
        with publishing.writer(new_store, layout="copy") as con:  # a plain file, installed below
            result = import_into(con, [files], progress=lambda d, t, msg: progress(
                _GENERATED + (_IMPORTED - _GENERATED) * d // max(t, 1), _SCALE, f"import: {msg}"))
            if not result.ok:
                head = "; ".join(str(p) for p in result.problems[:5])
                raise store.StoreError(f"the demo export was rejected by the importer "
                                       f"({len(result.problems)} problems): {head}")
            _demo_users(con)
            progress(_IMPORTED, _SCALE, "refreshing the derived tables (verification, metrics)")
        store.install(db_path, new_store)  # renamed into place (a replica of a new epoch), never copied
    return {"import_seconds": round(time.perf_counter() - started, 3),
            "warnings": [str(w) for w in result.warnings]}


def _demo_users(con) -> None:
    """The demo logins (one user per role)."""
    users.ensure_demo_users(con)
