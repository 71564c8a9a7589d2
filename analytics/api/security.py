"""Who is calling: the bearer token, checked on every request, and the caller's throttle.

No token, or a malformed, unknown, expired or revoked one (or one whose user was removed or
changed): ``401`` with ``WWW-Authenticate: Bearer``, one message for all (it never says which).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from analytics.access import tokens
from analytics.access.viewer import Viewer
from analytics.api.problems import ApiProblem

BEARER = HTTPBearer(auto_error=False, description="an API token made by `python -m analytics users token create`")
UNAUTHENTICATED = "a valid API token is required: send `Authorization: Bearer <token>`"


@dataclass(frozen=True)
class Caller:
    viewer: Viewer
    token_id: str
    #: the store the API serves
    store_path: Path

    @property
    def scope(self):
        return self.viewer.scope


def caller(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(BEARER)) -> Caller:
    """The authenticated caller (a route dependency); throttled per token."""
    settings = request.app.state.settings
    found = tokens.authenticate(settings.store_path, credentials.credentials if credentials else None)
    if found is None:
        raise ApiProblem(401, UNAUTHENTICATED, headers={"WWW-Authenticate": "Bearer"})
    viewer, token_id = found
    wait = request.app.state.buckets.take(token_id)
    if wait > 0:
        raise ApiProblem(429, f"too many requests for this token: at most {settings.rate:g} a second "
                              f"(bursts of {settings.burst:g}); retry after the delay in Retry-After",
                         headers={"Retry-After": request.app.state.buckets.retry_after(wait)})
    return Caller(viewer, token_id, settings.store_path)
