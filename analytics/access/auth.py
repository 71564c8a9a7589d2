"""Logging in: password check, throttling of repeated failures, session expiry.

* :func:`authenticate` returns a :class:`~analytics.viewer.Viewer` or ``None``; it never
  says whether the username or the password was wrong, and takes the same time either
  way (an unknown username is checked against a dummy argon2 hash).
* every attempt passes :class:`~analytics.access.throttle.Throttle` first (per username, per
  client address, a server-wide delay; a known device is never held back by strangers'
  failures; state in the operational database, shared by every server process and kept
  across restarts).
* :func:`session_problem` tells whether a session has expired: idle for more than
  :data:`IDLE_TIMEOUT` or older than :data:`ABSOLUTE_TIMEOUT`.
"""
from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from analytics.access import users as users_mod
from analytics.access.throttle import Throttle
from analytics.access.viewer import Viewer

#: A session ends after 2 hours without any page view …
IDLE_TIMEOUT = 2 * 3600
#: … and in any case 8 hours (a working day) after logging in.
ABSOLUTE_TIMEOUT = 8 * 3600

#: Which pages (``pages/<name>.py``) each role may open: a station has no league table
#: (``stations``) and no import; only a manager imports. A page not listed here is open to every
#: role (it must still apply the viewer's scope to everything it shows).
HIDDEN_PAGES: dict[str, frozenset[str]] = {
    "manager": frozenset(),
    "manufacturer": frozenset({"import_data"}),
    "station": frozenset({"stations", "import_data"}),
}


def may_open(role: str, page: str) -> bool:
    """Whether a viewer of ``role`` may open the page named ``page`` (its file stem)."""
    return page not in HIDDEN_PAGES.get(role, frozenset({page}))


#: The one message for any failed login: it never says which part was wrong.
FAILED_MESSAGE = "Login failed: the username or the password is not right."

# A valid argon2id hash of a random string, verified when the username is unknown so
# that an unknown username costs the same time as a wrong password.
@functools.cache
def _dummy_hash() -> str:
    return users_mod.hash_password("not-a-password-" + str(time.time_ns()))


@dataclass(frozen=True)
class LoginResult:
    viewer: Viewer | None
    #: seconds to wait when the attempt was refused by the throttle, else 0
    retry_after: float = 0.0
    #: :func:`credential_tag` of the password hash that matched (for :func:`refresh_viewer`)
    tag: str | None = None

    @property
    def message(self) -> str:
        if self.viewer is not None:
            return ""
        if self.retry_after > 0:
            minutes = max(1, round(self.retry_after / 60))
            return (f"Too many failed logins: please wait about {minutes} minute"
                    f"{'s' if minutes > 1 else ''} before trying again.")
        return FAILED_MESSAGE


def viewer_from_user_row(user: users_mod.User, *, now: float | None = None) -> Viewer:
    """The viewer a stored user logs in as (its scope comes from the store, never the URL)."""
    return Viewer(
        user.username,
        user.scope,
        is_admin=bool(user.is_admin),
        logged_in_at=time.time() if now is None else now,
    )


def attempt_login(con_or_path, username: str, password: str, *, throttle: Throttle | None = None,
                  address: str | None = None, device_token: str | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> LoginResult:
    """Check a username and password; the same answer for an unknown user or a wrong password.

    ``address`` is the client's address and ``device_token`` the browser's device cookie, if any
    (:mod:`analytics.access.throttle`): a locked username or address is refused with the time to
    wait, the server-wide brake delays the check (``sleep``), a known device passes both.
    ``throttle`` defaults to the throttle of the store at ``con_or_path`` (a path)."""
    if throttle is None:
        if not isinstance(con_or_path, (str, Path)):
            raise TypeError("attempt_login needs the store's path (or a throttle) to throttle failures")
        throttle = Throttle(con_or_path)
    username = str(username or "")
    password = str(password or "")
    verdict = throttle.verdict(username, address, device_token)
    if verdict.retry_after > 0:
        return LoginResult(None, verdict.retry_after)
    if verdict.delay > 0:
        sleep(verdict.delay)
    with users_mod.connection(con_or_path) as con:
        found = users_mod.user_with_hash(con, username)
    # Always one argon2 verification, against a dummy hash when the user is unknown
    # (an over-long password is cut for the check and then refused anyway).
    stored = found[1] if found else _dummy_hash()
    ok = users_mod.verify_password(stored, password[: users_mod.MAX_PASSWORD_LENGTH])
    ok = ok and found is not None and len(password) <= users_mod.MAX_PASSWORD_LENGTH
    if not ok:
        throttle.record_failure(username, address, device_token)
        return LoginResult(None, 0.0)
    try:
        viewer = viewer_from_user_row(found[0])
    except ValueError:  # a stored row whose scope is inconsistent: refuse, never widen
        throttle.record_failure(username, address, device_token)
        return LoginResult(None, 0.0)
    throttle.record_success(username, device_token)
    return LoginResult(viewer, 0.0, credential_tag(stored))


def authenticate(con_or_path, username: str, password: str, *,
                 throttle: Throttle | None = None) -> Viewer | None:
    """The viewer for a correct username and password, else ``None`` (throttled as above)."""
    return attempt_login(con_or_path, username, password, throttle=throttle).viewer


def viewer_for_email(con_or_path, email: str | None) -> Viewer | None:
    """The viewer of the one user with this e-mail (OpenID Connect login), else ``None``.

    An e-mail shared by several users is ambiguous and refused (``add_user`` prevents it).
    """
    matches = users_mod.users_by_email(con_or_path, email or "")
    if len(matches) != 1:
        return None
    try:
        return viewer_from_user_row(matches[0])
    except ValueError:
        return None


def credential_tag(password_hash: str) -> str:
    """A short fingerprint of a stored hash: a session remembers it, so a password reset ends it."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def refresh_viewer(con_or_path, viewer: Viewer, tag: str | None = None) -> Viewer | None:
    """Re-read a logged-in viewer's user: ``None`` when it was removed, its scope or admin flag
    changed, or (with ``tag``, from :func:`credential_tag` at login) its password was reset.

    Called at every page view, so these changes end the user's open sessions at once.
    """
    with users_mod.connection(con_or_path) as con:
        found = users_mod.user_with_hash(con, viewer.username)
    if found is None:
        return None
    user, password_hash = found
    try:
        current = user.scope
    except ValueError:
        return None
    if current != viewer.scope or bool(user.is_admin) != viewer.is_admin:
        return None
    if tag is not None and credential_tag(password_hash) != tag:
        return None
    return viewer


def session_problem(logged_in_at: float, last_seen: float, now: float | None = None) -> str | None:
    """Why a session has ended (``"idle"`` or ``"expired"``), or ``None`` while it is valid."""
    now = time.time() if now is None else now
    if now - logged_in_at > ABSOLUTE_TIMEOUT:
        return "expired"
    if now - last_seen > IDLE_TIMEOUT:
        return "idle"
    return None


__all__ = [
    "ABSOLUTE_TIMEOUT", "FAILED_MESSAGE", "HIDDEN_PAGES", "IDLE_TIMEOUT", "LoginResult",
    "Throttle", "attempt_login", "authenticate", "credential_tag", "refresh_viewer",
    "may_open", "session_problem", "viewer_for_email", "viewer_from_user_row",
]
