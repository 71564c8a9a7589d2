"""The FastAPI application: settings, the body limit, the routes under ``/api/v1``.

:func:`create_app` builds it for a store; :func:`app_from_environment` is what
``python -m analytics api`` serves (uvicorn's factory, reading ``CLAIRVOIE_DB`` and the
``CLAIRVOIE_API_*`` settings). The OpenAPI document is served at ``/api/v1/openapi.json`` and kept
in the repository as ``docs/openapi.json`` (:func:`openapi_document`; a test checks they agree).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from analytics.api import ingest, interventions, problems, reads
from analytics.api.throttle import TokenBuckets
from analytics.core.config import default_db_path

PREFIX = "/api/v1"
VERSION = "1.0.0"
#: The routers of ``/api/v1``. The e-invoices (built elsewhere) join here as one more router whose
#: routes depend on :func:`analytics.api.security.caller`, like the pre-invoices in :mod:`.reads`.
ROUTERS = (interventions.router, reads.router, ingest.router)


@dataclass(frozen=True)
class Settings:
    store_path: Path
    #: requests a second per token (token bucket refill) and the burst allowed
    rate: float = 20.0
    burst: float = 40.0
    #: the largest request body, in bytes (413 above)
    max_body_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_environment(cls) -> "Settings":
        env = os.environ
        return cls(default_db_path(), float(env.get("CLAIRVOIE_API_RATE", cls.rate)),
                   float(env.get("CLAIRVOIE_API_BURST", cls.burst)),
                   int(env.get("CLAIRVOIE_API_MAX_BODY", cls.max_body_bytes)))


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuse a request body above ``limit`` bytes with ``413``: at once from ``Content-Length``,
    or as soon as a streamed (chunked) body passes it — nothing is stored."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        message = f"the body is larger than {self.limit} bytes: send smaller batches"
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await problems.response(413, message)(scope, receive, send)
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            event = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge()
            return event

        async def tracked_send(event):
            nonlocal started
            if event["type"] == "http.response.start":
                started = True
            await send(event)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _BodyTooLarge:
            if not started:
                await problems.response(413, message)(scope, receive, send)


def _openapi(app: FastAPI):
    """The generated document, with every error answer as problem details: each operation lists
    401 and 429 (``Retry-After``), a write also 413, and every 4xx is ``application/problem+json``
    (FastAPI's own validation-error schema is not what this API answers)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    problem = {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
    for operations in schema["paths"].values():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in (401, 429) + ((413,) if method == "post" else ()):
                responses.setdefault(str(status), {})
            for status, answer in responses.items():
                if status.startswith("4"):
                    answer["description"] = problems.TITLES.get(int(status), "Error")
                    answer["content"] = {problems.MEDIA_TYPE: problem}
            responses["429"]["headers"] = {"Retry-After": {
                "description": "seconds to wait before the token may send again", "schema": {"type": "string"}}}
    for name in ("HTTPValidationError", "ValidationError"):
        schema["components"]["schemas"].pop(name, None)
    app.openapi_schema = schema
    return schema


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="Clairvoie API", version=VERSION,
        description="Warranty repairs: stations send their reports, manufacturers fetch what is ready to pay. "
                    "Every answer comes from the same functions as the dashboard and the command line. "
                    "Authentication: `Authorization: Bearer <token>` (`python -m analytics users token create`). "
                    "Errors are RFC 9457 problem details. See docs/API.md.",
        openapi_url=f"{PREFIX}/openapi.json", docs_url=f"{PREFIX}/docs", redoc_url=None,
    )
    app.state.settings = settings
    app.state.buckets = TokenBuckets(rate=settings.rate, burst=settings.burst)
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.openapi = lambda: _openapi(app)
    return app


def app_from_environment() -> FastAPI:
    """The served application (uvicorn factory): the store of ``CLAIRVOIE_DB``."""
    return create_app(Settings.from_environment())


def openapi_document() -> str:
    """The OpenAPI document as kept in ``docs/openapi.json`` (independent of the store served)."""
    return json.dumps(create_app(Settings(Path("clairvoie.duckdb"))).openapi(), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m analytics.api.app > docs/openapi.json
    import sys

    sys.stdout.write(openapi_document())
