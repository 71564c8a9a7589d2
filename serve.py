"""Clairvoie served through Streamlit's ASGI mode (``streamlit run serve.py``): ``app.py`` plus
what a Streamlit page cannot do itself.

* ``POST /_clairvoie/session`` turns the one-time ticket a login hands to the browser into the
  session and device cookies, ``HttpOnly; SameSite=Strict; Path=/`` (``Secure`` over HTTPS), which
  a page's script can neither read nor send elsewhere; ``DELETE`` drops the session cookie after a
  logout (the session itself is already revoked server-side). See
  :mod:`analytics.access.sessions` and docs/SECURITY.md "Sessions".
* Streamlit's ``/_stcore/metrics`` (session counts, cache statistics) answers without login:
  it is closed here (404) unless ``CLAIRVOIE_METRICS=1`` (a deployment that scrapes it from
  inside its network).
* Every response says ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` and
  ``X-Frame-Options: SAMEORIGIN`` (no framing by another site: clickjacking).

``streamlit run app.py`` still works (no reload-proof sessions, metrics open); ``scripts/start.sh``
serves this file.
"""
from __future__ import annotations

import os

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from analytics.access.auth import ABSOLUTE_TIMEOUT
from analytics.access.sessions import DEVICE_COOKIE, DEVICE_COOKIE_SECONDS, SESSION_COOKIE, Sessions
from analytics.core.config import default_db_path

SESSION_ROUTE = "/_clairvoie/session"
CLOSED_PATHS = ("/_stcore/metrics",)
SECURITY_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"SAMEORIGIN"))


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


async def session_cookie(request: Request) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    if request.method == "DELETE":
        response.delete_cookie(SESSION_COOKIE, path="/", secure=_secure(request), httponly=True, samesite="strict")
        return response
    ticket = (await request.body())[:256].decode("ascii", "replace").strip()
    exchange = await run_in_threadpool(Sessions(default_db_path()).exchange_ticket, ticket)
    if exchange is None:
        return Response(status_code=403, headers={"Cache-Control": "no-store"})
    for name, value, max_age in ((SESSION_COOKIE, exchange.session_token, ABSOLUTE_TIMEOUT),
                                 (DEVICE_COOKIE, exchange.device_token, DEVICE_COOKIE_SECONDS)):
        response.set_cookie(name, value, max_age=int(max_age), path="/", secure=_secure(request),
                            httponly=True, samesite="strict")
    return response


class Hardening:
    """ASGI middleware: closes :data:`CLOSED_PATHS` and adds :data:`SECURITY_HEADERS`."""

    def __init__(self, app):
        self.app = app
        self.metrics_open = os.environ.get("CLAIRVOIE_METRICS") == "1"

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if not self.metrics_open and scope.get("path", "").rstrip("/").endswith(CLOSED_PATHS):
            return await Response(status_code=404)(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + list(SECURITY_HEADERS)}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def _middleware():
    from starlette.middleware import Middleware

    return [Middleware(Hardening)]


app = st.App("app.py", routes=[Route(SESSION_ROUTE, session_cookie, methods=["POST", "DELETE"])],
             middleware=_middleware())
