"""Hand-built stores for the metrics tests.

:class:`World` collects rows of the contract tables *and* of the verification
engineer's derived tables (``intervention_policy``, ``intervention_required_documents``,
``comebacks``, ``intervention_amounts``, ``finding_rows`` (the stored findings), ``intervention_status``, columns as
``/work/briefs/engine_tables.md`` fixes them), so the metric models are tested on
inputs we choose, independently of the verification rules. :meth:`World.connect`
loads them into an in-memory DuckDB and runs only the metric models.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import duckdb
import pandas as pd

from analytics.core import sql, store
from analytics.engine import models as engine_models
from analytics.metrics.table import MODELS
from tests.reference import comebacks

VERIFICATION_DDL = """
CREATE TABLE IF NOT EXISTS intervention_policy (
    intervention_id VARCHAR, manufacturer_id VARCHAR, station_id VARCHAR, has_policy BOOLEAN,
    policy_valid_from DATE, applied_overrides VARCHAR, currency VARCHAR, vat_rate DECIMAL(18,6),
    labor_rate_per_hour DECIMAL(18,6), no_fault_found_fee DECIMAL(18,6), travel_flat_fee DECIMAL(18,6),
    travel_free_km DECIMAL(18,6), travel_rate_per_km DECIMAL(18,6), max_travel_km DECIMAL(18,6),
    parts_markup DECIMAL(18,6), warranty_months DECIMAL(18,6), extended_months DECIMAL(18,6),
    submission_deadline_days DECIMAL(18,6), repeat_window_days DECIMAL(18,6),
    labor_tolerance DECIMAL(18,6), amount_tolerance DECIMAL(18,6), standard_minutes DECIMAL(18,6), iv_key BIGINT);
CREATE TABLE IF NOT EXISTS intervention_required_documents (
    intervention_id VARCHAR, doc_type VARCHAR, received_on DATE, iv_key BIGINT);
CREATE TABLE IF NOT EXISTS comebacks (
    first_intervention_id VARCHAR, comeback_intervention_id VARCHAR, gap_days BIGINT, first_iv_key BIGINT,
    comeback_iv_key BIGINT);
CREATE TABLE IF NOT EXISTS intervention_amounts (
    intervention_id VARCHAR, currency VARCHAR, labor_amount DECIMAL(18,2), travel_amount DECIMAL(18,2),
    parts_amount DECIMAL(18,2), calculated_amount DECIMAL(18,2), requested_amount DECIMAL(18,2),
    line_count BIGINT, invoiced BOOLEAN, first_issued_on DATE, paid BOOLEAN, iv_key BIGINT);
CREATE TABLE IF NOT EXISTS finding_rows (
    intervention_id VARCHAR, code VARCHAR, severity VARCHAR, doc_type VARCHAR, explanation VARCHAR,
    manufacturer_id VARCHAR, repair_code VARCHAR, iv_key BIGINT);
CREATE TABLE IF NOT EXISTS intervention_status (
    intervention_id VARCHAR, status VARCHAR, finding_codes VARCHAR, iv_key BIGINT);
CREATE TABLE IF NOT EXISTS finding_decisions (
    intervention_id VARCHAR, code VARCHAR, doc_type VARCHAR, settled BOOLEAN, iv_key BIGINT);
"""

#: The engine's key (iv_key, migration 007) of the hand-written verification rows, from their interventions
#: (which the engine numbers when the scope is filled).
VERIFICATION_KEYS = """
UPDATE intervention_policy t SET iv_key = i.iv_key FROM interventions i WHERE i.intervention_id = t.intervention_id;
UPDATE intervention_required_documents t SET iv_key = i.iv_key FROM interventions i WHERE i.intervention_id = t.intervention_id;
UPDATE intervention_amounts t SET iv_key = i.iv_key FROM interventions i WHERE i.intervention_id = t.intervention_id;
UPDATE finding_rows t SET iv_key = i.iv_key FROM interventions i WHERE i.intervention_id = t.intervention_id;
UPDATE intervention_status t SET iv_key = i.iv_key FROM interventions i WHERE i.intervention_id = t.intervention_id;
UPDATE finding_decisions t SET iv_key = i.iv_key FROM interventions i WHERE i.intervention_id = t.intervention_id;
UPDATE comebacks t SET first_iv_key = i.iv_key FROM interventions i WHERE i.intervention_id = t.first_intervention_id;
UPDATE comebacks t SET comeback_iv_key = i.iv_key FROM interventions i WHERE i.intervention_id = t.comeback_intervention_id;
"""


def d(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


class World:
    """Rows of every table the metric models read, built with a few helpers."""

    def __init__(self):
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self._policy: dict[str, dict] = {}

    # -- contract tables ---------------------------------------------------
    def manufacturer(self, mid):
        self.rows["manufacturers"].append({"manufacturer_id": mid, "name": mid})

    def station(self, sid, country="FR", region=None):
        self.rows["stations"].append({"station_id": sid, "name": sid, "country": country, "region": region})

    def intervention(self, iid, m, s, requested_on, completed_on, submitted_on=None, *,
                     category="washing_machine", serial=None, visits=1, rating=None,
                     policy=True, deadline=30, currency="EUR", status="ready",
                     docs=(), calculated="0", labor="0"):
        """``docs``: ``(doc_type, received_on or None)`` of the required documents."""
        requested_on, completed_on = d(requested_on), d(completed_on)
        submitted_on = d(submitted_on) if submitted_on else completed_on
        self.rows["interventions"].append({
            "intervention_id": iid, "manufacturer_id": m, "station_id": s, "product_category": category,
            "serial_number": serial or f"SN-{iid}", "coverage": "goodwill", "repair_code": "R1",
            "requested_on": requested_on, "completed_on": completed_on, "submitted_on": submitted_on,
            "visits": visits, "labor_minutes": 30, "outcome": "repaired", "customer_rating": rating,
        })
        self._policy[iid] = {"has_policy": policy, "currency": currency if policy else None,
                             "calculated": Decimal(calculated) if policy else None,
                             "labor": Decimal(labor) if policy else None}
        self.rows["intervention_policy"].append({
            "intervention_id": iid, "manufacturer_id": m, "station_id": s, "has_policy": policy,
            "currency": currency if policy else None,
            "submission_deadline_days": deadline if policy else None,
        })
        if policy:
            for doc_type, received in docs:
                self.rows["intervention_required_documents"].append(
                    {"intervention_id": iid, "doc_type": doc_type, "received_on": d(received) if received else None})
        self.rows["intervention_status"].append({"intervention_id": iid, "status": status, "finding_codes": ""})

    def invoice(self, inv, m, s, issued_on, lines, *, paid_on=None, currency="EUR"):
        """``lines``: ``(intervention_id, amount)``."""
        self.rows["invoices"].append({"invoice_id": inv, "manufacturer_id": m, "station_id": s,
                                      "issued_on": d(issued_on), "currency": currency,
                                      "paid_on": d(paid_on) if paid_on else None})
        for no, (iid, amount) in enumerate(lines, 1):
            self.rows["invoice_lines"].append({"invoice_id": inv, "line_no": no, "intervention_id": iid,
                                               "kind": "labor", "amount": Decimal(amount),
                                               "vat_rate": Decimal("0.2")})

    def dispute(self, did, inv, iid, opened_on, reason, amount, *, resolved_on=None, outcome=None):
        self.rows["disputes"].append({"dispute_id": did, "invoice_id": inv, "intervention_id": iid,
                                      "opened_on": d(opened_on), "opened_by": "manufacturer", "reason": reason,
                                      "disputed_amount": Decimal(amount),
                                      "resolved_on": d(resolved_on) if resolved_on else None, "outcome": outcome})

    def fx(self, currency, month, rate):
        self.rows["fx_rates"].append({"currency": currency, "month": month, "eur_per_unit": Decimal(rate)})

    def finding(self, iid, code, severity="review"):
        self.rows["finding_rows"].append({"intervention_id": iid, "code": code, "severity": severity})

    def policy(self, m, valid_from, weights=None, tiers=()):
        """A policy version (for score weights and bonus tiers); ``tiers``: (min, max|None, adj)."""
        self.rows["policy_versions"].append({"manufacturer_id": m, "valid_from": d(valid_from)})
        for metric, w in (weights or {}).items():
            self.rows["policy_values"].append({"manufacturer_id": m, "valid_from": d(valid_from), "level": "base",
                                               "key": "score_weights", "item": metric,
                                               "num_value": Decimal(str(w))})
        for no, (lo, hi, adj) in enumerate(tiers, 1):
            self.rows["policy_bonus_tiers"].append({
                "manufacturer_id": m, "valid_from": d(valid_from), "tier_no": no, "min_score": Decimal(str(lo)),
                "max_score": None if hi is None else Decimal(str(hi)), "labor_adjustment": Decimal(str(adj))})

    # -- derived inputs ----------------------------------------------------
    def _derive(self) -> dict[str, list[dict]]:
        rows = {k: list(v) for k, v in self.rows.items()}
        lines: dict[str, list] = defaultdict(list)
        issued = {r["invoice_id"]: r for r in rows.get("invoices", [])}
        for line in rows.get("invoice_lines", []):
            lines[line["intervention_id"]].append(line)
        rows["intervention_amounts"] = []
        for i in rows.get("interventions", []):
            p = self._policy[i["intervention_id"]]
            ls = lines.get(i["intervention_id"], [])
            currency = p["currency"] or (issued[ls[0]["invoice_id"]]["currency"] if ls else None)
            rows["intervention_amounts"].append({
                "intervention_id": i["intervention_id"], "currency": currency,
                "labor_amount": p["labor"], "calculated_amount": p["calculated"],
                "requested_amount": sum((x["amount"] for x in ls), Decimal(0)) if ls else None,
                "line_count": len(ls), "invoiced": bool(ls),
                "first_issued_on": min(issued[x["invoice_id"]]["issued_on"] for x in ls) if ls else None,
                "paid": bool(ls) and all(issued[x["invoice_id"]].get("paid_on") is not None for x in ls),
            })
        rows["comebacks"] = comebacks(rows.get("interventions", []))
        return rows

    def tables(self) -> dict[str, list[dict]]:
        """Every table's rows, derived inputs included (what the reference reads)."""
        return self._derive()

    def connect(self, path=None) -> duckdb.DuckDBPyConnection:
        return load(self.tables(), path)


def load(tables: dict[str, list[dict]], path=None) -> duckdb.DuckDBPyConnection:
    """A store (in memory, or the file ``path``; schema migrated) holding ``tables``, metric models built."""
    con = duckdb.connect(str(path) if path else ":memory:")
    store.migrate(con)
    con.execute(VERIFICATION_DDL)
    for name, rows in tables.items():
        if not rows:
            continue
        cols = sorted({c for r in rows for c in r})
        # table names come from this module's fixed set, never from test data
        frame = pd.DataFrame([[r.get(c) for c in cols] for r in rows], columns=cols, dtype=object)
        con.register("incoming", frame)
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    engine_models.full_scope(con)
    con.execute(VERIFICATION_KEYS)
    for model in MODELS:
        sql.run_script(con, f"engine/{model}")
    return con
