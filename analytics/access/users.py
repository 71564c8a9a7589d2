"""Users who may log in, kept in the store's ``users`` table (migration 002).

Passwords are stored only as argon2id hashes (``argon2-cffi``); a password is never
stored, logged or echoed. Writes are one change "users" each (:func:`analytics.core.store.apply`,
no engine refresh: users change no derived table): atomic, serialised with every other write, and
in the replicated layout applied in place and replayed statement by statement on the other replica
(the statements are logged with the password's hash, never the password).

Roles (:data:`analytics.scope.ROLES`):

* ``manager`` — the network manager: everything, imports; with ``is_admin`` also users;
* ``manufacturer`` — one brand (``manufacturer_id``): all its stations, only its data;
* ``station`` — one station (``station_id``): its own interventions across its brands.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analytics.core import sql
from analytics.access.scope import ROLES, Scope
from analytics.core import store
from analytics.core.store import StoreError, reader

#: argon2id with the library's defaults (RFC 9106 low-memory profile: t=3, m=64 MiB, p=4).
HASHER = PasswordHasher()

MIN_PASSWORD_LENGTH = 10
#: An upper bound so a huge "password" cannot be used to make hashing expensive.
MAX_PASSWORD_LENGTH = 1024
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: DEMO ONLY — the password of every demo user created by :func:`ensure_demo_users`
#: (documented in the README). Never use the demo store's users for real data.
DEMO_PASSWORD = "clairvoie-demo"
DEMO_USERNAMES = ("admin", "manufacturer", "station", "station2")


class UserError(StoreError):
    """A user request that was refused (message is user-facing, never contains a password)."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    manufacturer_id: str | None = None
    station_id: str | None = None
    is_admin: bool = False
    email: str | None = None
    created_at: dt.datetime | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.role, manufacturer_id=self.manufacturer_id, station_id=self.station_id)

    def as_dict(self) -> dict:
        return {
            "username": self.username,
            "role": self.role,
            "manufacturer_id": self.manufacturer_id,
            "station_id": self.station_id,
            "is_admin": self.is_admin,
            "email": self.email,
            "created_at": self.created_at,
        }


# ---------------------------------------------------------------- passwords

def hash_password(password: str) -> str:
    """The argon2id hash (``$argon2id$...``) of a password."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (False for a malformed hash)."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def validate_password(password: str) -> None:
    if not isinstance(password, str):
        raise UserError("the password must be text")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")


def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: stored and looked up lower-case, trimmed."""
    return str(username or "").strip().lower()


def validate_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise UserError(
            "a username has 1 to 64 characters: letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or a digit"
        )
    return name


# ---------------------------------------------------------------- connections

@contextlib.contextmanager
def connection(con_or_path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Use a given connection, or a read-only reader on a store path."""
    if isinstance(con_or_path, (str, Path)):
        cursor = reader(con_or_path)
        try:
            yield cursor
        finally:
            cursor.close()
    else:
        yield con_or_path


def _user_from_row(row: tuple) -> User:
    username, role, manufacturer_id, station_id, is_admin, email, created_at = row[:7]
    return User(username, role, manufacturer_id, station_id, bool(is_admin), email, created_at)


# ---------------------------------------------------------------- reads

def list_users(con_or_path) -> list[User]:
    """Every user (no password hashes), sorted by username."""
    with connection(con_or_path) as con:
        return [_user_from_row(r) for r in sql.fetch_all(con, "access/users/list")]


def user_with_hash(con: duckdb.DuckDBPyConnection, username: str) -> tuple[User, str] | None:
    """The user and its password hash, for login only (never shown)."""
    rows = sql.fetch_all(con, "access/users/by_username", {"username": normalise_username(username)})
    if not rows:
        return None
    return _user_from_row(rows[0]), rows[0][7]


def get_user(con_or_path, username: str) -> User | None:
    with connection(con_or_path) as con:
        found = user_with_hash(con, username)
    return found[0] if found else None


def users_by_email(con_or_path, email: str) -> list[User]:
    """Users whose e-mail matches, case-insensitively (OpenID Connect mapping)."""
    if not email:
        return []
    with connection(con_or_path) as con:
        return [_user_from_row(r) for r in sql.fetch_all(con, "access/users/by_email", {"email": email.strip()})]


# ---------------------------------------------------------------- writes

def _check_scope(con, role: str, manufacturer_id, station_id, is_admin: bool) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    if role == "manager" and (manufacturer_id or station_id):
        raise UserError("a manager sees the whole network: give no manufacturer or station")
    if role == "manufacturer":
        if not manufacturer_id or station_id:
            raise UserError("a manufacturer user needs a manufacturer id (and no station id)")
        if not sql.fetch_all(con, "access/users/manufacturer_exists", {"manufacturer_id": manufacturer_id})[0][0]:
            raise UserError(f"no manufacturer {manufacturer_id!r} in the store")
    if role == "station":
        if not station_id or manufacturer_id:
            raise UserError("a station user needs a station id (and no manufacturer id)")
        if not sql.fetch_all(con, "access/users/station_exists", {"station_id": station_id})[0][0]:
            raise UserError(f"no station {station_id!r} in the store")
    # Reading of the issue: the admin flag ("managing users") only makes sense for a
    # network manager — a brand or station admin could otherwise create a manager.
    if is_admin and role != "manager":
        raise UserError("only a manager can be an admin (admins manage users)")


def _check_email(con, email: str | None, username: str) -> str | None:
    if email is None or not str(email).strip():
        return None
    email = str(email).strip()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise UserError(f"{email!r} is not an e-mail address")
    others = [u for u in users_by_email(con, email) if u.username != username]
    if others:
        raise UserError(f"the e-mail {email!r} already belongs to user {others[0].username!r}")
    return email


def insert_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    role: str,
    manufacturer_id: str | None = None,
    station_id: str | None = None,
    is_admin: bool = False,
    email: str | None = None,
    *,
    replace: bool = False,
    run: "Run | None" = None,
) -> User:
    """Add a user on a writer's connection (validated; the password is hashed here).
    ``run(query, params)`` executes the insert (default: on ``con``)."""
    name = validate_username(username)
    manufacturer_id = manufacturer_id or None
    station_id = station_id or None
    validate_password(password)
    _check_scope(con, role, manufacturer_id, station_id, bool(is_admin))
    if not replace and user_with_hash(con, name) is not None:
        raise UserError(f"user {name!r} already exists (use reset-password to change a password)")
    email = _check_email(con, email, name)
    (run or functools.partial(sql.execute, con))("access/users/insert", {
        "username": name,
        "role": role,
        "manufacturer_id": manufacturer_id,
        "station_id": station_id,
        "is_admin": bool(is_admin),
        "password_hash": hash_password(password),
        "email": email,
    })
    return User(name, role, manufacturer_id, station_id, bool(is_admin), email)


def add_user(
    db_path,
    username: str,
    password: str,
    role: str,
    manufacturer_id: str | None = None,
    station_id: str | None = None,
    is_admin: bool = False,
    email: str | None = None,
) -> User:
    """Add a user to the store at ``db_path`` (created if missing). Raises :class:`UserError`."""
    validate_password(password)  # before taking the lock
    return _write(db_path, lambda con, run: insert_user(
        con, username, password, role, manufacturer_id, station_id, is_admin, email, run=run))


def remove_user(db_path, username: str) -> None:
    """Remove a user. The last admin manager cannot be removed (nobody could manage users)."""
    name = normalise_username(username)

    def action(con, run) -> None:
        found = user_with_hash(con, name)
        if found is None:
            raise UserError(f"no user {name!r}")
        user = found[0]
        if user.role == "manager" and user.is_admin:
            if sql.fetch_all(con, "access/users/admin_count")[0][0] <= 1:
                raise UserError(f"{name!r} is the last admin: add another admin before removing it")
        run("access/users/delete", {"username": name})

    _write(db_path, action, create=False)


def reset_password(db_path, username: str, password: str) -> None:
    """Give a user a new password (its open sessions end at their next page view)."""
    validate_password(password)
    name = normalise_username(username)

    def action(con, run) -> None:
        if user_with_hash(con, name) is None:
            raise UserError(f"no user {name!r}")
        run("access/users/set_password", {"username": name, "password_hash": hash_password(password)})

    _write(db_path, action, create=False)


#: Executes a named statement of a users change and records it for the log.
Run = Callable[[str, dict], None]
#: The statements a users change may log and replay.
_STATEMENTS = ("access/users/insert", "access/users/delete", "access/users/set_password")


def _write(db_path, action: Callable[[duckdb.DuckDBPyConnection, Run], object], *, create: bool = True):
    """Run ``action(con, run)`` as one change "users"."""
    return store.apply(db_path, "users", create=create, action=action)


def _apply_users(con: duckdb.DuckDBPyConnection, payload, path, live: bool, *, action=None) -> tuple[object, list]:
    """The change "users": live, the action's statements (recorded); replayed, the recorded ones."""
    if not live:
        for name, params in payload:
            if name not in _STATEMENTS:
                raise StoreError(f"a logged users change holds an unknown statement {name!r}")
            sql.execute(con, name, params)
        return None, payload
    done: list = []

    def run(name: str, params: dict) -> None:
        sql.execute(con, name, params)
        done.append([name, params])

    return action(con, run), done


store.register_change(store.Change("users", _apply_users))


# ---------------------------------------------------------------- demo users

def ensure_demo_users(con: duckdb.DuckDBPyConnection) -> list[User]:
    """DEMO ONLY: create (or re-create) one user of each role, password :data:`DEMO_PASSWORD`.

    Called by the demo generator inside the demo store's writer, after loading:

    * ``admin`` — network manager, admin;
    * ``manufacturer`` — the brand with the most interventions;
    * ``station`` — the busiest station serving at least two brands, preferably one whose
      comparison groups all have at least 5 stations (its peer comparison is shown);
    * ``station2`` — when one exists, a station with a comparison group under 5 stations
      (its peer comparison is withheld).
    """
    created = [insert_user(con, "admin", DEMO_PASSWORD, "manager", is_admin=True, replace=True)]
    brand = sql.fetch_all(con, "access/users/demo_manufacturer")
    if brand:
        created.append(insert_user(con, "manufacturer", DEMO_PASSWORD, "manufacturer",
                                   manufacturer_id=brand[0][0], replace=True))
    stations = sql.fetch_all(con, "access/users/demo_stations")
    # (station_id, brands, interventions, smallest_group, largest_group)
    multi = [s for s in stations if s[1] >= 2]
    if multi or stations:
        pool = multi or stations
        best = max(pool, key=lambda s: (s[3] >= 5, s[2], s[0]))
        created.append(insert_user(con, "station", DEMO_PASSWORD, "station", station_id=best[0], replace=True))
        small = [s for s in stations if s[3] < 5 and s[0] != best[0]]
        if small:
            pick = max(small, key=lambda s: (s[2], s[0]))
            created.append(insert_user(con, "station2", DEMO_PASSWORD, "station", station_id=pick[0], replace=True))
    return created
