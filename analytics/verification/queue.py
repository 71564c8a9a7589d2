"""Pre-invoice verification as the viewer may see it (``shared/spec/verification.md``).

The findings, statuses and calculated amounts are computed once by the engine
(``queries/engine/{policy_in_force,required_documents,comebacks,amounts,findings,status}.sql``);
this module only reads them, always through the viewer's :class:`~analytics.access.scope.Scope`
applied in SQL with bound parameters (``queries/verification/*.sql``).

Out of scope and unknown look the same: :func:`intervention_detail` returns ``None`` and
:func:`findings_of` an empty table for an intervention the viewer may not see, so the
existence of another station's intervention is not revealed.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.core import sql
from analytics.catalog import RULES_BY_CODE, STATUSES
from analytics.core.filters import Filters
from analytics.access.scope import Scope, ScopeError
from analytics.engine import live

QUEUE_COLUMNS = ("intervention_id", "manufacturer_id", "station_id", "status", "findings", "currency",
                 "requested_amount", "calculated_amount")
#: Every column of a queue frame (:func:`verification_queue`, :func:`worst_first`).
QUEUE_FRAME_COLUMNS = (*QUEUE_COLUMNS, "completed_on", "submitted_on", "product_category", "repair_code", "coverage",
                       "country", "region", "policy_valid_from", "applied_overrides", "explanations")
CENT = Decimal("0.01")


def _records(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> list[dict[str, Any]]:
    cur = sql.execute(con, name, params)
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row)) for row in cur.fetchall()]


def verification_queue(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters | None = None,
                       status: str | None = None, path: Path | str | None = None) -> pd.DataFrame:
    """One row per intervention in the scope and filters (optionally of one status).

    Columns: those of the ``verify`` command (:data:`QUEUE_COLUMNS`; amounts as exact ``Decimal``,
    ``None`` when absent), then completed_on, submitted_on, product_category, repair_code, coverage,
    country, region, policy_valid_from, applied_overrides and ``explanations`` (one line per finding,
    ``CODE: explanation``). With ``path``, finding entries not yet published count in the status
    (:mod:`analytics.engine.live`).
    """
    params = _queue_params(scope, filters, status, None)
    params.pop("search")

    def read(c: duckdb.DuckDBPyConnection, limit: int | None = None) -> pd.DataFrame:
        # Built from records (not .df()) so that amounts stay exact Decimals.
        return pd.DataFrame.from_records(_records(c, "verification/queue", params), columns=QUEUE_FRAME_COLUMNS)
    return live.rows(con, path, read, None, ["intervention_id"])


def _queue_params(scope: Scope, filters: Filters | None, status: str | None, search: str | None) -> dict:
    """Bound parameters of the queue queries; refuses a filter outside the scope or an unknown status."""
    filters = filters or Filters()
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    scope.check_filter(manufacturer_ids=filters.manufacturer_ids, station_ids=filters.station_ids)
    return {**scope.params(), **filters.params(), "status": status, "search": search or None}


def status_counts(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters | None = None,
                  search: str | None = None) -> dict[str, int]:
    """``{status: interventions}`` of the queue in the scope and filters (every status, 0 when
    none), optionally only the ids containing ``search`` — counted in SQL, never by reading the queue."""
    params = _queue_params(scope, filters, None, search)
    params.pop("status")
    if params["search"] is None:  # from the rollup: no intervention read
        months = _status_months(con, params)
        return {status: sum(counts[status] for _, counts in months) for status in STATUSES}
    counts = dict(sql.fetch_all(con, "verification/status_counts", params))
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def _status_months(con: duckdb.DuckDBPyConnection, params: dict) -> list[tuple[str, dict[str, int]]]:
    """``[(month, {status: interventions})]`` of the selection, newest month first, from the
    engine's rollup cells (``queries/verification/status_months.sql``)."""
    rows = sql.fetch_all(con, "verification/status_months", params)
    return [(month, dict(zip(STATUSES, map(int, counts)))) for month, *counts in rows]


def worst_first(con: duckdb.DuckDBPyConnection, scope: Scope, filters: Filters | None = None,
                status: str | None = None, search: str | None = None, limit: int | None = None,
                after: tuple[str, dt.date, str] | None = None) -> pd.DataFrame:
    """The queue as a clerk reads it: worst status first (:data:`~analytics.catalog.STATUSES`
    order), then the most recently completed, then by id; optionally one ``status`` and only the
    ids containing ``search`` (verbatim, case-sensitive); the first ``limit`` rows (None: all);
    with ``after`` = ``(status, completed_on, intervention_id)`` of a row, only the rows after it in
    that order (cursor paging: the order is total, so pages neither overlap nor skip a row).

    Same columns as :func:`verification_queue`; the ordering and the limit are done in SQL
    (``queries/verification/worst_first.sql``), so a page reads only the rows it shows.
    """
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    if after is not None and after[0] not in STATUSES:
        raise ValueError(f"unknown status {after[0]!r}: use one of {', '.join(STATUSES)}")
    after_status, after_day, after_id = after if after is not None else (None, None, None)
    params = {**_queue_params(scope, filters, status, search), "statuses": list(STATUSES), "limit": limit,
              "after_status": after_status, "after_day": after_day, "after_id": after_id}
    # the bounds hold for the first rows of the queue, not for a page further on
    params.update(_first_rows_bounds(con, params, None if after is not None else limit))
    rows = _records(con, "verification/worst_first", params)
    return pd.DataFrame.from_records(rows, columns=QUEUE_FRAME_COLUMNS)


def _first_rows_bounds(con: duckdb.DuckDBPyConnection, params: dict, limit: int | None) -> dict:
    """``since`` / ``max_rank`` for worst_first.sql: bounds every one of the first ``limit`` rows
    is within, found from the queue's counts per month and status (the rollup, no intervention
    read), so the scan skips the older row groups. ``since`` is the first day of the month the
    cut falls in. None: no bound (all rows wanted, a search — ids must be read anyway — or fewer
    rows than ``limit``)."""
    none = {"since": None, "max_rank": None}
    if limit is None or params["search"] is not None:
        return none
    months = _status_months(con, params)
    wanted = [params["status"]] if params["status"] else list(STATUSES)
    seen = 0
    for status in wanted:
        worse_statuses_rows = seen
        for month, counts in months:
            seen += counts[status]
            if counts[status] and seen >= limit:
                # rows of a worse status than the cut are all in, whatever their day: a day bound
                # only holds when no worse status has rows
                since = dt.date.fromisoformat(month + "-01") if worse_statuses_rows == 0 else None
                return {"since": since, "max_rank": STATUSES.index(status) + 1}
    return none


def findings_of(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str) -> pd.DataFrame:
    """The findings of one intervention (code, severity, doc_type, explanation, label), worst first.

    Empty for an intervention outside the scope (or unknown).
    """
    rows = _records(con, "verification/findings_of", {**scope.params(), "intervention_id": intervention_id})
    for r in rows:
        r["label"] = RULES_BY_CODE[r["code"]].label if r["code"] in RULES_BY_CODE else r["code"]
    return pd.DataFrame.from_records(rows, columns=["code", "severity", "doc_type", "explanation", "label"])


def _fmt(value: Any) -> str:
    """A number as people write it: 48.500000 -> 48.5, 60.000000 -> 60."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _exact(value: Decimal) -> str:
    """An intermediate value: exact when it has a short decimal form, else 4 decimals and an ellipsis."""
    if -value.normalize().as_tuple().exponent <= 8:
        return _fmt(value)
    return f"{value:.4f}…"


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)   # amounts are >= 0: half up = half away from zero


def _amount_lines(r: dict) -> list[dict]:
    """The calculated amount line by line, with the formula that gives each component."""
    if not r["has_policy"]:
        return []
    cur = r["currency"] or ""
    lines = []
    # labour
    if r["is_repeat"]:
        formula = "0.00: this request is a repeat within the repeat window of " \
                  f"{r['repeat_window_days']} days (REPEAT_REPAIR), labour is not paid"
    elif r["outcome"] == "no_fault_found":
        formula = f"no_fault_found_fee {_money(r['no_fault_found_fee'])} {cur} (outcome no_fault_found)"
    else:
        if r["standard_minutes"] is not None:
            minutes, source = Decimal(r["standard_minutes"]), f"standard time of {r['repair_code']}"
        else:
            minutes, source = Decimal(r["labor_minutes"]), "labour minutes reported"
        exact = minutes * Decimal(r["labor_rate_per_hour"]) / 60
        formula = (f"{_fmt(minutes)} min ({source}) / 60 × {_fmt(r['labor_rate_per_hour'])} {cur}/h = "
                   f"{_exact(exact)} → {_money(_round(exact))}")
    lines.append({"component": "labour", "amount": r["labor_amount"], "formula": formula})
    # travel
    km = Decimal(r["travel_km"] or 0)
    if km == 0:
        formula = "no travel (travel_km = 0)"
    else:
        paid_km = max(Decimal(0), min(km, Decimal(r["max_travel_km"])) - Decimal(r["travel_free_km"]))
        exact = Decimal(r["travel_flat_fee"]) + paid_km * Decimal(r["travel_rate_per_km"])
        formula = (f"flat fee {_fmt(r['travel_flat_fee'])} + max(0, min({_fmt(km)}, {_fmt(r['max_travel_km'])} km) − "
                   f"{_fmt(r['travel_free_km'])} free km) × {_fmt(r['travel_rate_per_km'])} {cur}/km = "
                   f"{_exact(exact)} → {_money(_round(exact))}")
    lines.append({"component": "travel", "amount": r["travel_amount"], "formula": formula})
    # parts
    parts = Decimal(r["parts_cost"] or 0)
    exact = parts * (1 + Decimal(r["parts_markup"]))
    formula = f"parts {_money(parts)} × (1 + {_fmt(r['parts_markup'])} markup) = {_exact(exact)} → {_money(_round(exact))}"
    lines.append({"component": "parts", "amount": r["parts_amount"], "formula": formula})
    return lines


REPORT_FIELDS = ("intervention_id", "manufacturer_id", "manufacturer_name", "station_id", "station_name", "country",
                 "region", "product_category", "product_model", "serial_number", "purchase_date", "coverage",
                 "repair_code", "requested_on", "completed_on", "submitted_on", "visits", "labor_minutes",
                 "travel_km", "parts_cost", "outcome", "customer_rating")
POLICY_FIELDS = ("currency", "vat_rate", "labor_rate_per_hour", "no_fault_found_fee", "travel_flat_fee",
                 "travel_free_km", "travel_rate_per_km", "max_travel_km", "parts_markup", "warranty_months",
                 "extended_months", "submission_deadline_days", "repeat_window_days", "labor_tolerance",
                 "amount_tolerance")


def intervention_detail(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str,
                        path: Path | str | None = None) -> dict | None:
    """Everything needed to explain one intervention's verification, or ``None`` (unknown or outside scope).

    Keys: ``report`` (the intervention as reported, with station and manufacturer names), ``status``,
    ``finding_codes``, ``policy`` (``has_policy``, ``valid_from``, ``applied_overrides``, ``label``,
    ``values``: each applied value with the ``level`` it came from), ``documents`` (required and
    received, ``missing`` flag), ``amount`` (``currency``, ``lines`` labour/travel/parts each with its
    ``formula``, ``calculated``, ``requested``, ``difference``, ``is_repeat``), ``invoice_lines``,
    ``findings`` (code, severity, doc_type, explanation, label). With ``path``, finding entries not
    yet published count in the status (:mod:`analytics.engine.live`).
    """
    return live.one(con, path, intervention_id, lambda c: _detail(c, scope, intervention_id))


def _detail(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str) -> dict | None:
    params = {**scope.params(), "intervention_id": intervention_id}
    rows = _records(con, "verification/intervention", params)
    if not rows:
        return None
    r = rows[0]
    values = []
    for v in _records(con, "verification/policy_values_of", params):
        value = v["text_value"] if v["text_value"] is not None else (
            list(v["list_value"]) if v["list_value"] is not None else v["num_value"])
        values.append({"key": v["key"], "item": v["item"], "value": value, "level": v["level"]})
    documents = _records(con, "verification/documents_of", params)
    for d in documents:
        d["missing"] = bool(d["required"]) and d["received_on"] is None
    calculated, requested = r["calculated_amount"], r["requested_amount"]
    findings = findings_of(con, scope, intervention_id)
    return {
        "report": {k: r.get(k) for k in REPORT_FIELDS},
        "status": r["status"],
        "finding_codes": r["finding_codes"],
        "policy": {
            "has_policy": bool(r["has_policy"]),
            "valid_from": r["policy_valid_from"],
            "applied_overrides": r["applied_overrides"],
            "label": r["policy_label"],
            "settings": {k: r[k] for k in POLICY_FIELDS} if r["has_policy"] else {},
            "standard_minutes": r["standard_minutes"],
            "values": values,
        },
        "documents": documents,
        "amount": {
            "currency": r["amount_currency"],
            "lines": _amount_lines(r),
            "calculated": calculated,
            "requested": requested,
            "difference": None if calculated is None or requested is None else requested - calculated,
            "is_repeat": bool(r["is_repeat"]),
        },
        "invoice_lines": _records(con, "verification/invoice_lines_of", params),
        "findings": findings.to_dict("records"),
    }


def require_detail(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str,
                   path: Path | str | None = None) -> dict:
    """Like :func:`intervention_detail` but raises :class:`ScopeError` when not visible."""
    detail = intervention_detail(con, scope, intervention_id, path)
    if detail is None:
        raise ScopeError(f"no intervention {intervention_id!r} in your scope")
    return detail


def format_detail(detail: dict) -> str:
    """A plain-text report of :func:`intervention_detail` (the ``explain`` command)."""
    rep, pol, amt = detail["report"], detail["policy"], detail["amount"]
    out = [f"Intervention {rep['intervention_id']} — status {detail['status'].upper()}"
           + (f" ({detail['finding_codes']})" if detail["finding_codes"] else ""), ""]
    out.append("Report")
    for key in REPORT_FIELDS[1:]:
        value = rep[key]
        out.append(f"  {key:<18} {'' if value is None else _fmt(value) if isinstance(value, Decimal) else value}")
    out += ["", "Policy applied"]
    if not pol["has_policy"]:
        out.append("  none: no policy version of the manufacturer is in force on the completion day")
    else:
        out.append(f"  {pol['label']} (version valid from {pol['valid_from']}; levels: {pol['applied_overrides']})")
        for v in pol["values"]:
            name = v["key"] + (f"[{v['item']}]" if v["item"] else "")
            value = ", ".join(v["value"]) if isinstance(v["value"], list) else _fmt(v["value"])
            out.append(f"  {name:<44} {value or '(none)':<24} from {v['level']}")
    out += ["", "Documents"]
    if not detail["documents"]:
        out.append("  none required, none received")
    for d in detail["documents"]:
        state = "MISSING" if d["missing"] else f"received {d['received_on']}"
        req = f"required ({d['required_by']})" if d["required"] else "not required"
        out.append(f"  {d['doc_type']:<24} {req:<40} {state}")
    cur = amt["currency"] or ""
    out += ["", f"Calculated amount ({cur})" if cur else "Calculated amount"]
    if not amt["lines"]:
        out.append("  not calculated: no policy in force")
    for line in amt["lines"]:
        out.append(f"  {line['component']:<7} {_money(line['amount']):>12}   {line['formula']}")
    out.append(f"  {'total':<7} {_money(amt['calculated']):>12}")
    out.append(f"  requested {_money(amt['requested'])}" + (
        f", difference {_money(amt['difference'])}" if amt["difference"] is not None else ""))
    out += ["", "Invoice lines"]
    if not detail["invoice_lines"]:
        out.append("  none (not invoiced yet)")
    for ln in detail["invoice_lines"]:
        out.append(f"  {ln['invoice_id']} line {ln['line_no']}: {ln['kind']} {_money(ln['amount'])} {ln['currency']}, "
                   f"VAT {_fmt(ln['vat_rate'])}, issued {ln['issued_on']}")
    out += ["", "Findings"]
    if not detail["findings"]:
        out.append("  none: ready to invoice")
    for f in detail["findings"]:
        out.append(f"  [{f['severity']}] {f['code']}: {f['explanation']}")
    return "\n".join(out) + "\n"

