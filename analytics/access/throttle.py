"""Throttling of failed logins that strangers cannot turn against the users.

State lives in the operational database (:mod:`analytics.core.ops`, ``<store>.ops.sqlite``):
shared by every server process, kept across restarts, listed and lifted by an administrator
(``python -m analytics users locks list|lift``).

Three brakes, none of which a stranger can use to keep a real user out:

* **per username**: after :data:`USERNAME_FAILURES` failures for one username (known or not, so
  the lock reveals nothing), that username is locked for 30 s, doubling with each further failure
  up to 15 min; forgotten after an hour without failure;
* **per client address**: after :data:`ADDRESS_FAILURES` failures from one address (someone
  trying many usernames), that address is locked the same way;
* **server-wide**: beyond :data:`BRAKE_FREE_FAILURES` failures within :data:`BRAKE_WINDOW`
  seconds (password spraying from many addresses), every login from an unknown device is
  *delayed* — never refused — by 0.5 s, doubling per further 100 failures, at most
  :data:`BRAKE_MAX_DELAY` s.

A **known device** — a browser that logged in successfully as this username before and holds
the HttpOnly device cookie set then (:mod:`analytics.access.sessions`) — passes all three: a
stranger's failures never delay or lock it. Its own failures count: after
:data:`DEVICE_FAILURES` failed logins from it, the device is forgotten (a stolen cookie buys
a few guesses, not an exemption).
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from analytics.access import users as users_mod
from analytics.core import ops

#: Failures for one username before it is locked.
USERNAME_FAILURES = 5
#: Failures from one client address before it is locked (an address may hold several people).
ADDRESS_FAILURES = 20
#: First lock, doubled at each further failure, up to the longest lock.
BASE_LOCK = 30.0
MAX_LOCK = 900.0
#: A username's or address's failures are forgotten after this long without a new one.
FORGET_AFTER = 3600.0
#: The server-wide brake: failures within the window before logins from unknown devices are delayed.
BRAKE_WINDOW = 300.0
BRAKE_FREE_FAILURES = 100
BRAKE_FIRST_DELAY = 0.5
BRAKE_DOUBLING_FAILURES = 100
BRAKE_MAX_DELAY = 10.0
#: Failed logins from a known device before it is forgotten; a device unused this long is forgotten.
DEVICE_FAILURES = 5
DEVICE_MAX_AGE = 90 * 86400.0


def token_hash(token: str) -> str:
    """What the server keeps of a browser's token (device or session): its SHA-256."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _username_key(username: str) -> str:
    return users_mod.normalise_username(username)[:128]


def lock_delay(failures: int, threshold: int) -> float:
    """Seconds a subject with ``failures`` failures is locked after the last one (0: not locked)."""
    if failures < threshold:
        return 0.0
    return min(BASE_LOCK * 2 ** min(failures - threshold, 30), MAX_LOCK)


def brake_delay(recent_failures: int) -> float:
    """The server-wide brake's delay for a login from an unknown device, given the failures within
    :data:`BRAKE_WINDOW` (0 below :data:`BRAKE_FREE_FAILURES`)."""
    if recent_failures < BRAKE_FREE_FAILURES:
        return 0.0
    steps = (recent_failures - BRAKE_FREE_FAILURES) / BRAKE_DOUBLING_FAILURES
    return min(BRAKE_FIRST_DELAY * 2 ** min(steps, 30), BRAKE_MAX_DELAY)


@dataclass(frozen=True)
class Verdict:
    """What the throttle says about a login attempt before the password is checked."""
    #: seconds before this attempt may be tried at all (a locked username or address); 0: go ahead
    retry_after: float = 0.0
    #: seconds to wait before checking the password (the server-wide brake); the attempt goes ahead
    delay: float = 0.0
    #: the attempt comes from a known device of this username
    known_device: bool = False


@dataclass(frozen=True)
class Lock:
    kind: str          # "username" | "address"
    subject: str
    failures: int
    last_failure: float
    locked_until: float


class Throttle:
    """The throttle of the store at ``store_path`` (its operational database); ``clock`` in epoch seconds."""

    def __init__(self, store_path: Path | str, clock: Callable[[], float] = time.time):
        self.store_path = Path(store_path)
        self.clock = clock

    # ------------------------------------------------------------ reading

    def _known_device(self, con, username: str, device_token: str | None) -> bool:
        if not device_token:
            return False
        row = ops.fetch_all(con, "access/ops/device_get", {"token_hash": token_hash(device_token)})
        return bool(row) and row[0][0] == _username_key(username) and row[0][1] < DEVICE_FAILURES

    def _locked_until(self, con, kind: str, subject: str) -> float:
        row = ops.fetch_all(con, "access/ops/lock_get", {"kind": kind, "subject": subject})
        return row[0][2] if row else 0.0

    def verdict(self, username: str, address: str | None = None, device_token: str | None = None) -> Verdict:
        """Whether (and after how long) a login for ``username`` from ``address`` may be tried."""
        now = self.clock()
        with ops.connect(self.store_path) as con:
            if self._known_device(con, username, device_token):
                return Verdict(known_device=True)
            wait = self._locked_until(con, "username", _username_key(username)) - now
            if address:
                wait = max(wait, self._locked_until(con, "address", address) - now)
            if wait > 0:
                return Verdict(retry_after=wait)
            (recent,) = ops.fetch_all(con, "access/ops/failure_count", {"now": now, "window": BRAKE_WINDOW})[0]
        return Verdict(delay=brake_delay(recent))

    # ------------------------------------------------------------ recording

    def _count_failure(self, con, kind: str, subject: str, threshold: int, now: float) -> None:
        row = ops.fetch_all(con, "access/ops/lock_get", {"kind": kind, "subject": subject})
        failures = 0
        if row and not (row[0][1] <= now - FORGET_AFTER and row[0][2] <= now):
            failures = row[0][0]
        failures += 1
        delay = lock_delay(failures, threshold)
        ops.execute(con, "access/ops/lock_put", {"kind": kind, "subject": subject, "failures": failures,
                                                 "now": now, "locked_until": now + delay if delay else 0.0})

    def record_failure(self, username: str, address: str | None = None, device_token: str | None = None) -> None:
        now = self.clock()
        with ops.connect(self.store_path) as con, ops.transaction(con):
            if self._known_device(con, username, device_token):
                # a known device's own failures count against the device only
                ops.execute(con, "access/ops/device_failed", {"token_hash": token_hash(device_token)})
                ops.execute(con, "access/ops/device_forget", {"max_failures": DEVICE_FAILURES, "now": now,
                                                              "max_age": DEVICE_MAX_AGE})
                return
            self._count_failure(con, "username", _username_key(username), USERNAME_FAILURES, now)
            if address:
                self._count_failure(con, "address", address, ADDRESS_FAILURES, now)
            ops.execute(con, "access/ops/failure_add", {"now": now})
            ops.execute(con, "access/ops/failure_prune", {"now": now, "window": BRAKE_WINDOW})
            ops.execute(con, "access/ops/lock_forget", {"now": now, "forget_after": FORGET_AFTER})

    def record_success(self, username: str, device_token: str | None = None) -> None:
        """A correct login. From an unknown device (possible only while the username is not
        locked) the username's failures are forgotten; from a known device they are kept — the
        strangers guessing it are still at work. An address's failures are never forgotten here
        (a stranger's own account must not clear the lock of the address they guess from)."""
        now = self.clock()
        with ops.connect(self.store_path) as con, ops.transaction(con):
            if self._known_device(con, username, device_token):
                ops.execute(con, "access/ops/device_used", {"token_hash": token_hash(device_token), "now": now})
            else:
                ops.execute(con, "access/ops/lock_delete", {"kind": "username", "subject": _username_key(username)})

    def remember_device(self, username: str, device_token: str) -> None:
        """Make the browser holding ``device_token`` a known device of ``username``."""
        now = self.clock()
        with ops.connect(self.store_path) as con, ops.transaction(con):
            ops.execute(con, "access/ops/device_add", {"token_hash": token_hash(device_token),
                                                       "username": _username_key(username), "now": now})
            ops.execute(con, "access/ops/device_forget", {"max_failures": DEVICE_FAILURES, "now": now,
                                                          "max_age": DEVICE_MAX_AGE})

    def forget_devices(self, username: str) -> None:
        """Forget every known device of ``username`` (a password reset, a removed user)."""
        with ops.connect(self.store_path) as con:
            ops.execute(con, "access/ops/device_forget_user", {"username": _username_key(username)})

    # ------------------------------------------------------------ administration

    def locks(self) -> list[Lock]:
        """Every username and address with failures not yet forgotten, locked ones first."""
        with ops.connect(self.store_path) as con:
            rows = ops.fetch_all(con, "access/ops/lock_list", {"now": self.clock(), "forget_after": FORGET_AFTER})
        return [Lock(*row) for row in rows]

    def lift(self, *, username: str | None = None, address: str | None = None) -> bool:
        """Lift the lock (and forget the failures) of a username or an address; whether there was one."""
        kind, subject = ("username", _username_key(username)) if username is not None else ("address", address)
        with ops.connect(self.store_path) as con:
            return ops.execute(con, "access/ops/lock_delete", {"kind": kind, "subject": subject}).rowcount > 0


__all__ = ["ADDRESS_FAILURES", "BRAKE_FREE_FAILURES", "BRAKE_MAX_DELAY", "BRAKE_WINDOW", "DEVICE_FAILURES",
           "Lock", "Throttle", "USERNAME_FAILURES", "Verdict", "brake_delay", "lock_delay", "token_hash"]
