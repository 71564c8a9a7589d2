"""API tokens: a system (a station's software, a manufacturer's ERP) acting as a user of the store.

A token belongs to one user and carries exactly that user's role and scope. It is shown once,
when made, and only its SHA-256 is kept, in the operational database (``access_tokens``,
``queries/core/ops/access_tokens.sql``). Written ``clv_<token_id>_<secret>``: ``token_id`` is
public (it names the token in ``users token list`` and ``revoke``), ``secret`` is 256 random bits.

Why SHA-256 and not argon2 (used for passwords): argon2 is slow on purpose so that guessing a
*human-chosen* password from a stolen hash costs years. A token's secret is 256 bits from the
operating system's random source: no dictionary helps, and trying 2^256 values is out of reach
however fast the hash is. A fast hash lets every API request be checked in microseconds (argon2
would cost ~50 ms and 64 MiB per request), and a lookup by hash is a plain index read.

A token stops working when it expires, when it is revoked, and when its user is removed or its
role or scope changes (:func:`authenticate` re-reads the user from the store at every use and
revokes a token whose user no longer matches it): "revoked with its user".
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from analytics.access import users as users_mod
from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.core import ops, store

PREFIX = "clv_"
TOKEN_RE = re.compile(r"^clv_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
#: ``last_used_at`` is kept to the minute: a busy token does not write on every request.
USED_PRECISION = dt.timedelta(minutes=1)
#: The longest lifetime ``--expires-in-days`` accepts (ten years).
MAX_DAYS = 3650


class TokenError(users_mod.UserError):
    """A token request that was refused (message is user-facing)."""


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed (never its secret)."""

    token_id: str
    username: str
    role: str
    manufacturer_id: str | None
    station_id: str | None
    created_at: str
    expires_at: str | None
    revoked_at: str | None = None
    revoked_why: str | None = None
    last_used_at: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.role, manufacturer_id=self.manufacturer_id, station_id=self.station_id)

    def state(self, now: dt.datetime | None = None) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at:
            return "revoked"
        if self.expires_at and _parse(self.expires_at) <= (now or _now()):
            return "expired"
        return "active"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def digest(token: str) -> str:
    """The hex SHA-256 kept for a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store_path: Path | str, username: str, *, expires_in_days: int | None = None,
                 now: dt.datetime | None = None) -> tuple[str, TokenInfo]:
    """Make a token for ``username`` (which must exist): ``(token, info)``; the token is never
    stored nor shown again. ``expires_in_days`` None: it does not expire."""
    user = users_mod.get_user(store_path, username)
    if user is None:
        raise TokenError(f"no user {users_mod.normalise_username(username)!r}")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        raise TokenError(f"--expires-in-days must be between 1 and {MAX_DAYS}")
    now = now or _now()
    token_id = secrets.token_hex(6)
    token = f"{PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
    info = TokenInfo(token_id, user.username, user.role, user.manufacturer_id, user.station_id, _iso(now),
                     _iso(now + dt.timedelta(days=expires_in_days)) if expires_in_days else None)
    with ops.connect(store_path) as con:
        ops.execute(con, "access/tokens/insert", {
            "token_id": info.token_id, "username": info.username, "secret_sha256": digest(token),
            "role": info.role, "manufacturer_id": info.manufacturer_id, "station_id": info.station_id,
            "created_at": info.created_at, "expires_at": info.expires_at,
        })
    return token, info


def list_tokens(store_path: Path | str, username: str) -> list[TokenInfo]:
    """Every token of ``username`` (active, expired and revoked), newest first."""
    with ops.connect(store_path) as con:
        rows = ops.fetch_all(con, "access/tokens/of_user", {"username": users_mod.normalise_username(username)})
    return [TokenInfo(*row) for row in rows]


def revoke_tokens(store_path: Path | str, username: str, token_id: str | None = None, *,
                  why: str = "revoked by an administrator", now: dt.datetime | None = None) -> int:
    """Revoke the live tokens of ``username`` (only ``token_id`` when given); returns how many."""
    with ops.connect(store_path) as con:
        cursor = ops.execute(con, "access/tokens/revoke", {
            "username": users_mod.normalise_username(username), "token_id": token_id,
            "now": _iso(now or _now()), "why": why})
        return cursor.rowcount


_threads = threading.local()


def _ops(store_path: Path | str):
    """This thread's connection to the operational database, opened once and kept (an API server
    checks a token on every request from a pool of threads)."""
    connections = getattr(_threads, "connections", None)
    if connections is None:
        connections = _threads.connections = {}
    key = str(Path(store_path).resolve())
    if key not in connections:
        stack = contextlib.ExitStack()
        connections[key] = (stack, stack.enter_context(ops.connect(store_path)))
    return connections[key][1]


_users: dict[tuple[str, str], tuple[str, users_mod.User | None]] = {}
_users_lock = threading.Lock()


def _user(store_path: Path | str, username: str) -> users_mod.User | None:
    """The user as the published store has it, read once per published version of the store (users
    change only through a writer, which publishes a new version): a request does not query it."""
    version = store.version_of(store_path)
    key = (str(Path(store_path).resolve()), username)
    with _users_lock:
        cached = _users.get(key)
    if version is not None and cached is not None and cached[0] == version.token:
        return cached[1]
    user = users_mod.get_user(store_path, username)
    if version is not None:
        with _users_lock:
            if len(_users) > 10_000:
                _users.clear()
            _users[key] = (version.token, user)
    return user


def authenticate(store_path: Path | str, token: str | None, *, now: dt.datetime | None = None) -> tuple[Viewer, str] | None:
    """``(viewer, token_id)`` for a valid token, else ``None`` (malformed, unknown, expired or
    revoked, or its user removed or changed — such a token is revoked here)."""
    if not token or not TOKEN_RE.match(token):
        return None
    now = now or _now()
    con = _ops(store_path)
    rows = ops.fetch_all(con, "access/tokens/by_hash", {"secret_sha256": digest(token)})
    if not rows:
        return None
    token_id, username, role, manufacturer_id, station_id, _created, expires_at, revoked_at, _why, used = rows[0]
    if revoked_at or (expires_at and _parse(expires_at) <= now):
        return None
    user = _user(store_path, username)
    if user is None or (user.role, user.manufacturer_id, user.station_id) != (role, manufacturer_id, station_id):
        ops.execute(con, "access/tokens/revoke", {
            "username": username, "token_id": token_id, "now": _iso(now),
            "why": "its user was removed" if user is None else "its user's role or scope changed"})
        return None
    if used is None or _parse(used) <= now - USED_PRECISION:  # one write a minute, not one per request
        ops.execute(con, "access/tokens/mark_used", {"token_id": token_id, "now": _iso(now)})
    return Viewer(username, Scope(role, manufacturer_id=manufacturer_id, station_id=station_id)), token_id


__all__ = ["MAX_DAYS", "TokenError", "TokenInfo", "authenticate", "create_token", "digest", "list_tokens",
           "revoke_tokens"]
