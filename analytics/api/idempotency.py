"""``Idempotency-Key``: a retried write lands once and gets the first answer again.

The key is claimed in the operational database (``api_idempotency``, per user) before the
write runs, with the SHA-256 of the request (method, path, query, content type, body); the answer
is kept once given. A retry with the same key and request gets that answer again (header
``Idempotent-Replayed: true``), without running the write; the same key with another request is
refused with ``422``; a retry while the first request is still being answered gets ``409`` with
``Retry-After``. An answer that is not final (``5xx``, ``429``) is not kept: the key is given back
and a retry runs again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response

from analytics.api import problems
from analytics.api.problems import ApiProblem
from analytics.api.security import Caller
from analytics.core import ops

HEADER = "Idempotency-Key"
KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")


def request_digest(request: Request, body: bytes) -> str:
    h = hashlib.sha256()
    for part in (request.method, request.url.path, request.url.query, request.headers.get("content-type", "")):
        h.update(part.encode("utf-8") + b"\0")
    h.update(body)
    return h.hexdigest()


async def once(request: Request, caller: Caller, body: bytes, answer: Callable[[], Awaitable[Response]]) -> Response:
    """``answer()``, or the kept answer of an earlier request with the same ``Idempotency-Key``."""
    key = request.headers.get(HEADER)
    if key is None:
        return await answer()
    if not KEY_RE.match(key):
        raise ApiProblem(400, f"{HEADER} must be 1 to 255 visible ASCII characters")
    store_path = request.app.state.settings.store_path
    ident = {"username": caller.viewer.username, "idem_key": key, "request_sha256": request_digest(request, body)}
    with ops.connect(store_path) as con:
        claimed = ops.execute(con, "api/idempotency/reserve", {
            **ident, "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}).rowcount
        if not claimed:
            kept = ops.fetch_all(con, "api/idempotency/get", ident)
            if kept:
                digest, status, content_type, content = kept[0]
                if digest != ident["request_sha256"]:
                    raise ApiProblem(422, f"this {HEADER} was already used for another request: "
                                          "use a new key for a new request")
                if status is None:
                    raise ApiProblem(409, f"the first request with this {HEADER} is still being answered: "
                                          "retry later", headers={"Retry-After": "1"})
                return Response(content, status_code=status, media_type=content_type,
                                headers={"Idempotent-Replayed": "true"})
    try:
        try:
            result = await answer()
        except ApiProblem as refused:  # a refusal is an answer too: the retry gets it again
            result = problems.response(refused.status, refused.detail, refused.problems, refused.headers)
    except BaseException:
        _release(store_path, ident)
        raise
    if result.status_code >= 500 or result.status_code == 429:
        _release(store_path, ident)
        return result
    with ops.connect(store_path) as con:
        ops.execute(con, "api/idempotency/complete", {
            **ident, "status": result.status_code, "content_type": result.media_type, "body": bytes(result.body)})
    return result


def _release(store_path, ident: dict) -> None:
    with ops.connect(store_path) as con:
        ops.execute(con, "api/idempotency/release", ident)
