"""Login sessions that survive a reload, kept server-side in the operational database.

Streamlit's script cannot set an HTTP response header, so a cookie cannot be set from the page
that logs a person in. The design (docs/SECURITY.md "Sessions"):

1. at login, the page creates a session row (:func:`open_session`) with a **one-time ticket**
   (random, valid :data:`TICKET_SECONDS`), and hands the ticket to the browser inside the page
   (never in the URL);
2. the browser posts the ticket to ``/_clairvoie/session`` (a route of ``serve.py``, Streamlit's
   ASGI mode); :func:`exchange_ticket` burns the ticket and returns a fresh random **session
   token** and **device token**, which the route sets as ``HttpOnly; SameSite=Strict`` cookies
   (``Secure`` over HTTPS) — script in the page can neither read nor replay them;
3. on a reload, the new Streamlit session reads the cookie (``st.context.cookies``) and
   :func:`resume` finds the session by the token's SHA-256 (the server never stores a token
   itself), checking expiry (idle / absolute, as :mod:`analytics.access.auth`) and revocation;
4. logout revokes the row (:func:`revoke`): the cookie is worthless from then on, in every tab;
   so does any change of the user (``refresh_viewer`` failing: removed, role or scope changed,
   password reset), and :func:`revoke_user` ends all of a user's sessions at once.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from analytics.access import auth
from analytics.access.throttle import Throttle, token_hash
from analytics.core import ops

#: Name of the cookie holding the session token, and of the one holding the device token.
SESSION_COOKIE = "clairvoie_session"
DEVICE_COOKIE = "clairvoie_device"
#: How long the browser has to exchange the ticket handed over at login.
TICKET_SECONDS = 60.0
#: The device cookie's lifetime (a device unused that long is forgotten by the throttle too).
DEVICE_COOKIE_SECONDS = 90 * 86400
#: last_seen is written at most this often (a page view does not always cost a write).
SEEN_EVERY = 60.0


def new_token() -> str:
    """A random token: 256 bits, URL-safe text."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Exchange:
    """What the browser gets for a valid ticket: the cookies' values."""
    session_token: str
    device_token: str


@dataclass(frozen=True)
class Resumed:
    session_id: int
    username: str
    via: str
    credential_tag: str | None
    created_at: float


class Sessions:
    """The sessions of the store at ``store_path``; ``clock`` in epoch seconds (injectable for tests)."""

    def __init__(self, store_path: Path | str, clock: Callable[[], float] = time.time):
        self.store_path = Path(store_path)
        self.clock = clock

    def open_session(self, username: str, via: str, credential_tag: str | None) -> tuple[int, str]:
        """A new session for a person who just logged in: (its id, the one-time ticket)."""
        ticket = new_token()
        now = self.clock()
        with ops.connect(self.store_path) as con, ops.transaction(con):
            ops.execute(con, "access/ops/session_forget", {"now": now, "max_age": auth.ABSOLUTE_TIMEOUT})
            (session_id,) = ops.fetch_all(con, "access/ops/session_create", {
                "username": username, "via": via, "credential_tag": credential_tag,
                "ticket_hash": token_hash(ticket), "ticket_expires": now + TICKET_SECONDS, "now": now})[0]
        return session_id, ticket

    def exchange_ticket(self, ticket: str) -> Exchange | None:
        """Burn a ticket: the session's new token and a device token, or None (unknown, used,
        expired or revoked). The device becomes a known device of the session's user."""
        if not ticket or len(ticket) > 128:
            return None
        now = self.clock()
        session_token, device_token = new_token(), new_token()
        with ops.connect(self.store_path) as con, ops.transaction(con):
            row = ops.fetch_all(con, "access/ops/session_by_ticket", {"ticket_hash": token_hash(ticket), "now": now})
            if not row:
                return None
            session_id, username = row[0]
            ops.execute(con, "access/ops/session_set_token", {"id": session_id, "token_hash": token_hash(session_token)})
        Throttle(self.store_path, self.clock).remember_device(username, device_token)
        return Exchange(session_token, device_token)

    def is_exchanged(self, session_id: int) -> bool:
        """Whether the browser has exchanged the session's ticket (its cookie is set)."""
        with ops.connect(self.store_path) as con:
            row = ops.fetch_all(con, "access/ops/session_get", {"id": session_id})
        return bool(row) and bool(row[0][2])

    def resume(self, session_token: str | None) -> Resumed | None:
        """The live session of a session cookie, or None (unknown, revoked, idle or expired: an
        ended session is revoked on the way)."""
        if not session_token or len(session_token) > 128:
            return None
        now = self.clock()
        with ops.connect(self.store_path) as con:
            row = ops.fetch_all(con, "access/ops/session_by_token", {"token_hash": token_hash(session_token)})
            if not row:
                return None
            session_id, username, via, tag, created_at, last_seen = row[0]
            if auth.session_problem(created_at, last_seen, now) is not None:
                ops.execute(con, "access/ops/session_revoke", {"id": session_id, "now": now})
                return None
            ops.execute(con, "access/ops/session_seen", {"id": session_id, "now": now})
        return Resumed(session_id, username, via, tag, created_at)

    def still_open(self, session_id: int, last_written: float | None = None) -> tuple[bool, float | None]:
        """Whether a session is still open (not revoked elsewhere: another tab's logout), and the
        time last_seen was written (written again when older than :data:`SEEN_EVERY`)."""
        now = self.clock()
        with ops.connect(self.store_path) as con:
            row = ops.fetch_all(con, "access/ops/session_get", {"id": session_id})
            if not row or row[0][1] is not None:
                return False, last_written
            if last_written is None or now - last_written >= SEEN_EVERY:
                ops.execute(con, "access/ops/session_seen", {"id": session_id, "now": now})
                last_written = now
        return True, last_written

    def revoke(self, session_id: int) -> None:
        with ops.connect(self.store_path) as con:
            ops.execute(con, "access/ops/session_revoke", {"id": session_id, "now": self.clock()})

    def revoke_user(self, username: str) -> None:
        """End every session of ``username`` (removed, changed, password reset)."""
        with ops.connect(self.store_path) as con:
            ops.execute(con, "access/ops/session_revoke_user", {"username": username, "now": self.clock()})


__all__ = ["DEVICE_COOKIE", "DEVICE_COOKIE_SECONDS", "Exchange", "Resumed", "SESSION_COOKIE", "Sessions",
           "TICKET_SECONDS", "new_token"]
