"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal is ``{"type", "title", "status", "detail"}`` and, when input rows or fields are at
fault, ``problems``: one ``{file, row, column, value, rule, message}`` each, the same fields as
``import --report`` (:class:`analytics.core.problems.Problem`).
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from analytics.access.scope import ScopeError
from analytics.core.problems import Problem
from analytics.core.store import StoreMissing

MEDIA_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request", 401: "Not authenticated", 403: "Not allowed", 404: "Not found",
    405: "Method not allowed", 406: "Not acceptable", 409: "Conflict", 413: "Body too large",
    415: "Unsupported media type", 422: "Unprocessable content", 429: "Too many requests",
    500: "Internal error", 503: "Unavailable",
}


class ProblemRow(BaseModel):
    file: str
    row: int | None
    column: str
    value: str
    rule: str
    message: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    problems: list[ProblemRow] = []


class ApiProblem(Exception):
    """Raised by a route to answer with problem details."""

    def __init__(self, status: int, detail: str, *, problems: Iterable[Problem] = (),
                 headers: dict[str, str] | None = None, type_: str = "about:blank"):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = list(problems)
        self.headers = headers or {}
        self.type = type_


def body(status: int, detail: str, problems: Iterable[Problem] = (), type_: str = "about:blank") -> dict[str, Any]:
    return {"type": type_, "title": TITLES.get(status, "Error"), "status": status, "detail": detail,
            "problems": [{"file": p.file, "row": p.row, "column": p.column, "value": p.value, "rule": p.rule,
                          "message": p.message} for p in problems]}


def response(status: int, detail: str, problems: Iterable[Problem] = (), headers: dict[str, str] | None = None,
             type_: str = "about:blank") -> Response:
    content = json.dumps(body(status, detail, problems, type_), ensure_ascii=False).encode("utf-8")
    return Response(content, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _validation_problems(exc: RequestValidationError) -> tuple[int, list[Problem]]:
    problems, status = [], 422
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        where = loc[0] if loc else "request"
        if error.get("type") == "json_invalid":
            status = 400
        value = error.get("input")
        value = "" if value is None or isinstance(value, (dict, list)) else str(value)[:200]
        problems.append(Problem(where, None, ".".join(loc[1:]), value, str(error.get("type", "invalid")),
                                str(error.get("msg", "invalid value"))))
    return status, problems


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` with problem details."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem):
        return response(exc.status, exc.detail, exc.problems, exc.headers, exc.type)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        status, problems = _validation_problems(exc)
        detail = "the body is not valid JSON" if status == 400 else "the request does not match the API's schema"
        return response(status, detail, problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(ScopeError)
    async def _scope(request: Request, exc: ScopeError):
        # A refused action (a filter naming another brand or station, an entry kind the role may not
        # write). A record outside the scope is answered 404 by its route, like an unknown one.
        return response(403, str(exc))

    @app.exception_handler(StoreMissing)
    async def _no_store(request: Request, exc: StoreMissing):
        return response(503, str(exc))


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the problem answers a route may give (written as problem+json by
    :func:`analytics.api.app._openapi`)."""
    return {status: {"model": ProblemDetails, "description": TITLES.get(status, "Error")} for status in statuses}
