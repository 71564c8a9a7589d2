"""Clairvoie served through Streamlit's ASGI mode (``streamlit run serve.py``): ``app.py`` plus
what a Streamlit page cannot do itself.

* ``POST /_clairvoie/session`` turns the one-time ticket a login hands to the browser into the
  session and device cookies, ``HttpOnly; SameSite=Strict; Path=/`` (``Secure`` over HTTPS), which
  a page's script can neither read nor send elsewhere; ``DELETE`` drops the session cookie after a
  logout (the session itself is already revoked server-side). Only from a page of this app
  (``Origin``). See
  :mod:`analytics.access.sessions` and docs/SECURITY.md "Sessions".
* Streamlit's ``/_stcore/metrics`` (session counts, cache statistics) answers without login:
  it is closed here (404) unless ``CLAIRVOIE_METRICS=1`` (a deployment that scrapes it from
  inside its network).
* Streamlit treats a ``pages/`` folder beside the script as a multipage app of the old kind
  until some run calls ``st.navigation``: the first script run of a server process then sends a
  ``navigation`` message listing every file of ``pages/`` (a station would learn the names of
  the league table and the import) before ``app.py`` chooses the viewer's pages. That discovery
  is switched off before any session exists (:func:`no_pages_folder_discovery`): every
  ``navigation`` message is then ``app.py``'s own, with only the pages the viewer may open
  (before login, the login page alone).
* The session's first message (``new_session``) carries the absolute path of ``app.py`` on the
  server and the pages known so far: both are taken out on the way (:func:`scrub_new_session`).
* Every response says ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` and
  ``X-Frame-Options: SAMEORIGIN`` (no framing by another site: clickjacking).

``streamlit run app.py`` still works (no reload-proof sessions, metrics open); ``scripts/start.sh``
serves this file.
"""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.pages_manager import PagesManager
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


def _same_origin(request: Request) -> bool:
    """Whether the request comes from a page of this app (browsers send ``Origin`` with every
    POST and DELETE): another site cannot plant its own ticket's session in a browser (login CSRF)."""
    origin = request.headers.get("origin", "")
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    return bool(origin) and origin.split("://", 1)[-1] == host


async def session_cookie(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403, headers={"Cache-Control": "no-store"})
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


#: Messages larger than this are never a new_session (those hold a config and a theme): not parsed.
_NEW_SESSION_MAX_BYTES = 256 * 1024


def scrub_new_session(payload: bytes) -> bytes:
    """A ``new_session`` message without the server's path of the script and the ``pages/`` list
    (Streamlit's own client uses the path only as a telemetry id); any other message unchanged."""
    if len(payload) > _NEW_SESSION_MAX_BYTES:
        return payload
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # noqa: BLE001 - not a ForwardMsg: pass it on untouched
        return payload
    if msg.WhichOneof("type") != "new_session":
        return payload
    msg.new_session.main_script_path = Path(msg.new_session.main_script_path).name
    del msg.new_session.app_pages[:]
    return msg.SerializeToString()


class Hardening:
    """ASGI middleware: closes :data:`CLOSED_PATHS`, adds :data:`SECURITY_HEADERS`, scrubs the
    session's first message (:func:`scrub_new_session`)."""

    def __init__(self, app):
        self.app = app
        self.metrics_open = os.environ.get("CLAIRVOIE_METRICS") == "1"

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            async def send_scrubbed(message):
                if message["type"] == "websocket.send" and message.get("bytes"):
                    message = {**message, "bytes": scrub_new_session(message["bytes"])}
                await send(message)

            return await self.app(scope, receive, send_scrubbed)
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if not self.metrics_open and scope.get("path", "").rstrip("/").endswith(CLOSED_PATHS):
            return await Response(status_code=404)(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + list(SECURITY_HEADERS)}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def no_pages_folder_discovery() -> None:
    """Make Streamlit run ``app.py`` itself on every run, never its ``pages/`` folder discovery.

    Streamlit decides once per process, when the first session starts, whether the app is a
    ``pages/``-folder app (``PagesManager.uses_pages_directory``: the folder exists) and then
    wraps each run in a navigation of every file of the folder, until a run calls
    ``st.navigation`` (which sets the flag to False). Setting it to False before any session
    exists is what ``st.navigation`` would do, only earlier. Refuses to serve when Streamlit no
    longer has the flag, rather than serve the page list silently."""
    if not hasattr(PagesManager, "uses_pages_directory"):
        raise RuntimeError("this Streamlit version has no PagesManager.uses_pages_directory: check how it "
                           "discovers the pages/ folder before serving (docs/SECURITY.md, \"Who sees what\")")
    PagesManager.uses_pages_directory = False


def _middleware():
    from starlette.middleware import Middleware

    return [Middleware(Hardening)]


no_pages_folder_discovery()
app = st.App("app.py", routes=[Route(SESSION_ROUTE, session_cookie, methods=["POST", "DELETE"])],
             middleware=_middleware())
