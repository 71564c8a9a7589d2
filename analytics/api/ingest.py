"""Ingest: batches of contract rows, through the importer itself.

A batch is written as the contract's CSV files into a private temporary folder and imported by
:func:`analytics.contract.importer.import_paths` with the caller's scope: the same checks, the
same all-or-nothing guarantee and the same row-level problems as ``python -m analytics import``
(plus rule ``scope``: a station sends only its own rows, a brand only its brand's). Bodies:

* ``POST /ingest/{table}`` with ``application/json``: a list of rows, each an object of the
  contract's columns with every value as text exactly as in the CSV (or null for empty); or with
  ``text/csv``: the contract's CSV file itself;
* ``POST /ingest`` with ``application/json``: ``{"<table>": [rows], ...}`` — several tables at once,
  all or nothing together (a day's interventions and their documents).

Row numbers in problems are those of the CSV: the n-th row of a JSON list is row n.
"""
from __future__ import annotations

import csv
import json
import re
import tempfile
from pathlib import Path as FilePath
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from analytics.api import idempotency, problems
from analytics.api.problems import ApiProblem, documented
from analytics.api.security import Caller, caller
from analytics.contract.importer import UsageError, import_paths
from analytics.contract.importer.scope_check import SENDER_TABLES
from analytics.contract.tables import TABLES_BY_NAME
from analytics.core.problems import Problem

router = APIRouter(tags=["ingest"])

#: The tables a batch may hold (what stations and brands send; the network's reference data,
#: policies and rates are imported by the manager with ``python -m analytics import``).
TABLES = SENDER_TABLES
COLUMN_RE = re.compile(r"^[A-Za-z0-9_]{1,100}$")
ROWS_SCHEMA = {"type": "array", "minItems": 1, "items": {
    "type": "object", "propertyNames": {"pattern": COLUMN_RE.pattern},
    "additionalProperties": {"type": ["string", "null"]}}}


class Landed(BaseModel):
    landed: bool
    rows_by_table: dict[str, int]
    warnings: list[problems.ProblemRow]


def _rows_problems(table: str, rows: Any) -> list[Problem]:
    """Shape problems of a JSON batch (before any file is written): a list of objects of text."""
    name = f"{table}.csv"
    if not isinstance(rows, list) or not rows:
        return [Problem(name, None, "", "", "json shape", f"{table}: expected a non-empty list of rows (objects)")]
    found = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            found.append(Problem(name, n, "", "", "json shape", f"row {n} is not an object of column: value"))
            continue
        for column, value in row.items():
            if not COLUMN_RE.match(column):
                found.append(Problem(name, n, column[:100], "", "column name",
                                     f"{column[:100]!r} is not a column name (letters, digits and _)"))
            elif value is not None and not isinstance(value, str):
                found.append(Problem(name, n, str(column), json.dumps(value)[:200], "text",
                                     f"{column}: every value is text as in the contract's CSV "
                                     f"(write \"{value}\" as a string) or null for an empty cell"))
    return found


def _write_csv(folder: FilePath, table: str, rows: list[dict]) -> None:
    """The rows as ``<table>.csv``: the contract's columns that any row has (contract order), then
    the others (the importer warns of an unknown column); a missing cell is empty."""
    known = TABLES_BY_NAME[table].column_names
    present = {c for row in rows for c in row}
    columns = [c for c in known if c in present] + sorted(present - set(known))
    with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in columns])


def _import(who: Caller, write) -> Response:
    """Write the batch's files with ``write(folder)`` and import them with the caller's scope."""
    with tempfile.TemporaryDirectory(prefix="clairvoie-ingest-") as tmp:
        folder = FilePath(tmp)
        write(folder)
        try:
            result = import_paths(who.store_path, [folder], scope=who.scope)
        except UsageError as exc:
            raise ApiProblem(400, str(exc).replace(str(folder) + "/", "")) from None
    if not result.ok:
        return problems.response(422, f"the batch was refused: {len(result.problems)} problem(s); nothing was stored",
                                 result.problems)
    warnings = [problems.ProblemRow(**w.as_dict()).model_dump() for w in result.warnings]
    return JSONResponse({"landed": True, "rows_by_table": result.rows_by_table, "warnings": warnings})


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiProblem(400, f"the body is not valid JSON: {exc}") from None


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


@router.post("/ingest/{table}", response_model=Landed,
             responses=documented(400, 401, 409, 413, 415, 422, 429),
             summary="Send a batch of one table: JSON rows or the contract's CSV",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": ROWS_SCHEMA},
                 "text/csv": {"schema": {"type": "string"}}}}})
async def ingest_table(request: Request, table: str = Path(pattern="^(" + "|".join(TABLES) + ")$"),
                       who: Caller = Depends(caller)) -> Response:
    raw = await request.body()
    media = _media(request)
    if media not in ("application/json", "text/csv"):
        raise ApiProblem(415, "send the batch as application/json (a list of rows) or text/csv (the contract's file)")

    async def answer() -> Response:
        if media == "text/csv":
            return await run_in_threadpool(_import, who, lambda folder: (folder / f"{table}.csv").write_bytes(raw))
        rows = _json(raw)
        shape = _rows_problems(table, rows)
        if shape:
            raise ApiProblem(422, "the batch is not a list of rows of text; nothing was stored", problems=shape)
        return await run_in_threadpool(_import, who, lambda folder: _write_csv(folder, table, rows))

    return await idempotency.once(request, who, raw, answer)


@router.post("/ingest", response_model=Landed, responses=documented(400, 401, 409, 413, 415, 422, 429),
             summary="Send several tables at once, all or nothing together",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                 "type": "object", "minProperties": 1, "additionalProperties": False,
                 "properties": {t: ROWS_SCHEMA for t in TABLES}}}}}})
async def ingest_batch(request: Request, who: Caller = Depends(caller)) -> Response:
    raw = await request.body()
    if _media(request) != "application/json":
        raise ApiProblem(415, "send the batch as application/json: {\"<table>\": [rows], ...}")

    async def answer() -> Response:
        batch = _json(raw)
        if not isinstance(batch, dict) or not batch:
            raise ApiProblem(422, "expected an object {\"<table>\": [rows], ...} with at least one table")
        unknown = [t for t in batch if t not in TABLES]
        if unknown:
            raise ApiProblem(422, f"unknown table {unknown[0]!r}: a batch holds {', '.join(TABLES)}")
        shape = [p for t, rows in batch.items() for p in _rows_problems(t, rows)]
        if shape:
            raise ApiProblem(422, "the batch is not lists of rows of text; nothing was stored", problems=shape)

        def write(folder: FilePath) -> None:
            for t, rows in batch.items():
                _write_csv(folder, t, rows)

        return await run_in_threadpool(_import, who, write)

    return await idempotency.once(request, who, raw, answer)
