"""Lists and figures: the verification queue (cursor paging), metrics, disputes, pre-invoices.

Each answer is the result of the function the page and the command line call, with the caller's
scope; filters naming another brand or station are refused (``403``) by that function.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from analytics.access.scope import ScopeError
from analytics.api import encode
from analytics.api.problems import ApiProblem, documented
from analytics.api.security import Caller, caller
from analytics.billing import preinvoice
from analytics.catalog import STATUSES
from analytics.commands import metrics_cmd
from analytics.core import store
from analytics.core.filters import Filters
from analytics.metrics import disputes as disputes_mod
from analytics.metrics import table as metrics
from analytics.verification import queue as verification

router = APIRouter()

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
ID_LIST = dict(max_length=50)


class Me(BaseModel):
    username: str
    role: str
    manufacturer_id: str | None
    station_id: str | None


class QueueRow(BaseModel):
    intervention_id: str
    manufacturer_id: str
    station_id: str
    status: str
    findings: str
    currency: str | None
    requested_amount: str | None = Field(description="exact decimal, as text")
    calculated_amount: str | None
    completed_on: str
    submitted_on: str | None
    product_category: str
    repair_code: str
    coverage: str
    country: str
    region: str
    policy_valid_from: str | None
    applied_overrides: str | None
    explanations: str


class QueuePage(BaseModel):
    items: list[QueueRow]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")


class MetricsAnswer(BaseModel):
    by: list[str]
    rows: list[dict[str, Any]] = Field(description="the rows of `python -m analytics metrics --format json`")


class DisputesAnswer(BaseModel):
    items: list[dict[str, Any]]


class PreInvoiceOffer(BaseModel):
    month: str
    station_id: str
    manufacturer_id: str
    interventions: int
    ready: int
    left_out: int


class PreInvoiceDocument(BaseModel):
    reference: str
    station_id: str
    station_name: str
    manufacturer_id: str
    manufacturer_name: str
    month: str
    lines: list[dict[str, Any]]
    adjustments: list[dict[str, Any]]
    totals: list[dict[str, Any]]
    left_out: list[dict[str, Any]]


def _filters(date_from, date_to, manufacturer=(), station=(), country=(), region=(), product_category=()) -> Filters:
    try:
        return Filters(date_from=date_from, date_to=date_to, manufacturer_ids=tuple(manufacturer or ()),
                       station_ids=tuple(station or ()), countries=tuple(country or ()),
                       regions=tuple(region or ()), product_categories=tuple(product_category or ()))
    except ValueError as exc:
        raise ApiProblem(422, f"from/to: {exc}") from None


def _month(month: str | None) -> str | None:
    """``month`` after checking it is a real month (the pattern lets year 0000 through)."""
    if month is not None:
        try:
            preinvoice.month_bounds(month)
        except ValueError:
            raise ApiProblem(422, f"month: {month!r} is not a month written YYYY-MM (years 0001 to 9998)") from None
    return month


def _reader(who: Caller):
    return store.reader(who.store_path)


@router.get("/me", response_model=Me, tags=["access"], responses=documented(401, 429),
            summary="Who the token acts for, and its scope")
def me(who: Caller = Depends(caller)) -> dict:
    return {"username": who.viewer.username, "role": who.scope.role,
            "manufacturer_id": who.scope.manufacturer_id, "station_id": who.scope.station_id}


# ---------------------------------------------------------------- verification queue

def _cursor_digest(filters: Filters, status: str | None, search: str | None) -> str:
    text = json.dumps([repr(filters), status, search])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def encode_cursor(row: dict, digest: str) -> str:
    raw = json.dumps([row["status"], encode.day(row["completed_on"]), row["intervention_id"], digest])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, digest: str) -> tuple[str, dt.date, str]:
    try:
        status, day, intervention_id, made_for = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = (str(status), dt.date.fromisoformat(day), str(intervention_id))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiProblem(400, "cursor: not a cursor given by this API (pass next_cursor as it was received)") from None
    if made_for != digest or after[0] not in STATUSES:
        raise ApiProblem(400, "cursor: it was given for other filters; start again without a cursor")
    return after


@router.get("/verification-queue", response_model=QueuePage, tags=["verification"],
            responses=documented(400, 401, 403, 422, 429), summary="The verification queue, worst first, by pages")
def verification_queue(
    who: Caller = Depends(caller),
    status: Literal["blocked", "review", "ready"] | None = Query(None),
    manufacturer: list[str] = Query([], **ID_LIST), station: list[str] = Query([], **ID_LIST),
    country: list[str] = Query([], **ID_LIST), region: list[str] = Query([], **ID_LIST),
    product_category: list[str] = Query([], **ID_LIST),
    date_from: dt.date | None = Query(None, alias="from", description="first completed_on day"),
    date_to: dt.date | None = Query(None, alias="to", description="last completed_on day"),
    search: str | None = Query(None, max_length=100, description="only ids containing this text"),
    limit: int = Query(100, ge=1, le=1000),
    cursor: str | None = Query(None, max_length=2000),
) -> dict:
    """Worst status first, then the most recently completed, then by id (a total order: pages are
    stable, neither overlapping nor skipping a row while the data does not change)."""
    filters = _filters(date_from, date_to, manufacturer, station, country, region, product_category)
    digest = _cursor_digest(filters, status, search)
    after = decode_cursor(cursor, digest) if cursor else None
    con = _reader(who)
    try:
        df = verification.worst_first(con, who.scope, filters, status=status, search=search, limit=limit + 1,
                                      after=after)
    finally:
        con.close()
    rows = encode.records(df, verification.QUEUE_FRAME_COLUMNS)
    for r in rows:
        r["completed_on"] = encode.day(r["completed_on"])
        r["submitted_on"] = encode.day(r["submitted_on"])
        r["policy_valid_from"] = encode.day(r["policy_valid_from"])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode_cursor(rows[-1], digest) if more else None}


# ---------------------------------------------------------------- metrics and disputes

@router.get("/metrics", response_model=MetricsAnswer, tags=["metrics"], responses=documented(401, 403, 422, 429),
            summary="Every metric, grouped by the keys asked (as `python -m analytics metrics`)")
def metrics_table(
    who: Caller = Depends(caller),
    by: str = Query("", max_length=200, description=f"comma list among {', '.join(metrics.GROUP_KEYS)}"),
    manufacturer: str | None = Query(None, max_length=1000), station: str | None = Query(None, max_length=1000),
    date_from: dt.date | None = Query(None, alias="from"), date_to: dt.date | None = Query(None, alias="to"),
) -> dict:
    try:
        keys = metrics.check_keys(by)
    except metrics.UnknownKey as exc:
        raise ApiProblem(422, f"by: {exc}") from None
    filters = _filters(date_from, date_to, [manufacturer] if manufacturer else (), [station] if station else ())
    con = _reader(who)
    try:
        df = metrics_cmd.table(con, filters, keys, who.scope)
    finally:
        con.close()
    return {"by": list(keys), "rows": metrics_cmd.records(df)}


@router.get("/disputes", response_model=DisputesAnswer, tags=["metrics"], responses=documented(401, 403, 422, 429),
            summary="Disputes, newest first")
def disputes(
    who: Caller = Depends(caller),
    manufacturer: list[str] = Query([], **ID_LIST), station: list[str] = Query([], **ID_LIST),
    country: list[str] = Query([], **ID_LIST), region: list[str] = Query([], **ID_LIST),
    product_category: list[str] = Query([], **ID_LIST),
    date_from: dt.date | None = Query(None, alias="from"), date_to: dt.date | None = Query(None, alias="to"),
    limit: int = Query(100, ge=1, le=2000),
) -> dict:
    filters = _filters(date_from, date_to, manufacturer, station, country, region, product_category)
    con = _reader(who)
    try:
        df = disputes_mod.dispute_details(con, who.scope, filters, limit=limit)
    finally:
        con.close()
    items = encode.records(df)
    for r in items:
        r["opened_on"], r["resolved_on"] = encode.day(r["opened_on"]), encode.day(r["resolved_on"])
    return {"items": items}


# ---------------------------------------------------------------- pre-invoices
# The e-invoices, once they exist, are served beside the pre-invoices (a router of their own added
# to analytics.api.app.ROUTERS), from the billing functions that make them, with the same caller.

@router.get("/preinvoices", response_model=list[PreInvoiceOffer], tags=["billing"],
            responses=documented(401, 429), summary="The pre-invoices the caller may open")
def preinvoices(who: Caller = Depends(caller),
                month: str | None = Query(None, pattern=MONTH_PATTERN, description="YYYY-MM")) -> list[dict]:
    month = _month(month)
    con = _reader(who)
    try:
        return encode.records(preinvoice.available(con, who.scope, month))
    finally:
        con.close()


@router.get("/preinvoices/{station_id}/{manufacturer_id}/{month}", tags=["billing"],
            response_model=PreInvoiceDocument,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}},
                                         "application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                             "description": "the pre-invoice: JSON, or the same document as CSV or PDF"},
                       **documented(401, 404, 422, 429)},
            summary="A station's monthly pre-invoice for a manufacturer (JSON, CSV or PDF)")
def preinvoice_document(
    who: Caller = Depends(caller),
    station_id: str = Path(min_length=1, max_length=1000),
    manufacturer_id: str = Path(min_length=1, max_length=1000),
    month: str = Path(pattern=MONTH_PATTERN),
    format: Literal["json", "csv", "pdf"] = Query("json"),
):
    """The same bytes as the app's download and ``python -m analytics preinvoice`` (its reference
    is the SHA-256 of its content)."""
    _month(month)
    con = _reader(who)
    try:
        doc = preinvoice.build(con, who.scope, station_id, manufacturer_id, month)
    except (ScopeError, preinvoice.PreInvoiceError):  # outside the scope reads like unknown
        raise ApiProblem(404, f"no pre-invoice of station {station_id!r} for manufacturer {manufacturer_id!r} "
                              f"in {month} in your scope") from None
    finally:
        con.close()
    if format == "json":
        return {"reference": doc.reference, **doc.canonical()}
    media = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}[format]
    return Response(preinvoice.render(doc, format), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{preinvoice.file_name(doc, format)}"'})
