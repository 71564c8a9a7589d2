"""``python -m analytics api [--host H] [--port P]`` — serve the HTTP API (``/api/v1``) with uvicorn.

The application is :func:`analytics.api.app.app_from_environment`, named to uvicorn by its import
path (the command line sits below the API in the layers, so it does not import it); the store is
``--db`` (passed on as ``CLAIRVOIE_DB``). Throttling and the body limit: ``--rate``, ``--burst``,
``--max-body`` (also ``CLAIRVOIE_API_RATE``, ``CLAIRVOIE_API_BURST``, ``CLAIRVOIE_API_MAX_BODY``).
"""
from __future__ import annotations

import os

from analytics.core.config import DB_ENV_VAR

NAME = "api"
HELP = "serve the HTTP API (/api/v1, OpenAPI at /api/v1/openapi.json) on --host:--port"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8600
APP = "analytics.api.app:app_from_environment"


def configure(parser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--rate", type=float, help="requests a second per token (default 20)")
    parser.add_argument("--burst", type=float, help="burst of requests per token (default 40)")
    parser.add_argument("--max-body", type=int, help="largest request body in bytes (default 10 MiB)")


def run(args) -> int:
    import uvicorn  # noqa: PLC0415 — a third-party import, only needed to serve

    os.environ[DB_ENV_VAR] = str(args.db)
    for name, value in (("CLAIRVOIE_API_RATE", args.rate), ("CLAIRVOIE_API_BURST", args.burst),
                        ("CLAIRVOIE_API_MAX_BODY", args.max_body)):
        if value is not None:
            os.environ[name] = str(value)
    # keep-alive of 30 s (uvicorn's default is 5 s): on a loaded machine a client's next request on a
    # kept connection could otherwise meet the server closing it, and be cut without an answer
    uvicorn.run(APP, factory=True, host=args.host, port=args.port, log_level="warning", timeout_keep_alive=30)
    return 0
