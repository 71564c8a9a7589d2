"""Server-side sessions (analytics.access.sessions): the one-time ticket, the token kept only as a
hash, expiry and revocation — the logic behind the browser test tests/browser/test_sessions.py."""
from __future__ import annotations

import sqlite3

from analytics.access import auth
from analytics.access.sessions import TICKET_SECONDS, Sessions
from analytics.access.throttle import Throttle, token_hash
from analytics.core import ops


class FakeClock:
    def __init__(self, t: float = 2_000_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_a_ticket_is_exchanged_once_within_its_time(tmp_path):
    clock = FakeClock()
    sessions = Sessions(tmp_path / "s.duckdb", clock)
    session_id, ticket = sessions.open_session("alice", "password", "tag1")
    assert not sessions.is_exchanged(session_id)
    got = sessions.exchange_ticket(ticket)
    assert got is not None and sessions.is_exchanged(session_id)
    assert sessions.exchange_ticket(ticket) is None  # burnt
    _, late = sessions.open_session("alice", "password", "tag1")
    clock.t += TICKET_SECONDS + 1
    assert sessions.exchange_ticket(late) is None  # expired
    assert sessions.exchange_ticket("") is None and sessions.exchange_ticket("x" * 500) is None
    # the exchange made the browser a known device of alice
    assert Throttle(tmp_path / "s.duckdb", clock).verdict("alice", device_token=got.device_token).known_device


def test_the_server_keeps_hashes_only(tmp_path):
    sessions = Sessions(tmp_path / "s.duckdb", FakeClock())
    _, ticket = sessions.open_session("alice", "password", None)
    got = sessions.exchange_ticket(ticket)
    raw = sqlite3.connect(ops.ops_path(tmp_path / "s.duckdb")).iterdump()
    dump = "\n".join(raw)
    for secret in (ticket, got.session_token, got.device_token):
        assert secret not in dump
    assert token_hash(got.session_token) in dump and token_hash(got.device_token) in dump


def test_resume_until_idle_or_expired_or_revoked(tmp_path):
    clock = FakeClock()
    sessions = Sessions(tmp_path / "s.duckdb", clock)
    session_id, ticket = sessions.open_session("alice", "password", "tag1")
    token = sessions.exchange_ticket(ticket).session_token
    resumed = sessions.resume(token)
    assert (resumed.session_id, resumed.username, resumed.via, resumed.credential_tag) == \
        (session_id, "alice", "password", "tag1")
    assert sessions.resume("not-a-token") is None
    clock.t += auth.IDLE_TIMEOUT - 1
    assert sessions.resume(token) is not None  # seen: the idle time starts again
    clock.t += auth.IDLE_TIMEOUT + 1
    assert sessions.resume(token) is None  # idle: ended, and revoked on the way
    clock.t -= auth.IDLE_TIMEOUT + 1
    assert sessions.resume(token) is None

    # absolute lifetime: active all along, ended 8 h after login
    _, ticket = sessions.open_session("bob", "password", None)
    token = sessions.exchange_ticket(ticket).session_token
    for _ in range(8):  # a page view every hour: never idle, up to 8 h after login
        clock.t += 3600
        assert sessions.resume(token) is not None
    assert auth.ABSOLUTE_TIMEOUT == 8 * 3600
    clock.t += 1
    assert sessions.resume(token) is None


def test_logout_and_user_changes_revoke(tmp_path):
    clock = FakeClock()
    sessions = Sessions(tmp_path / "s.duckdb", clock)
    first, t1 = sessions.open_session("alice", "password", None)
    second, t2 = sessions.open_session("alice", "password", None)
    token1 = sessions.exchange_ticket(t1).session_token
    token2 = sessions.exchange_ticket(t2).session_token
    assert sessions.still_open(first)[0] and sessions.still_open(second)[0]
    sessions.revoke(first)  # logout in one tab
    assert sessions.resume(token1) is None and not sessions.still_open(first)[0]
    assert sessions.resume(token2) is not None
    sessions.revoke_user("alice")  # removed, or a new password
    assert sessions.resume(token2) is None and not sessions.still_open(second)[0]
