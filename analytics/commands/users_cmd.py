"""``python -m analytics users add|list|remove|reset-password|token`` — who may log in.

Passwords are read from a hidden prompt (typed twice), or from the first line of
standard input with ``--password-stdin`` (for scripts). They are never accepted as a
command-line argument, which would land in the shell history and in ``ps``.

``users token create|list|revoke USERNAME`` manages the user's API tokens
(:mod:`analytics.access.tokens`): a new token is printed once, on standard output alone.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from analytics.access import tokens, users

NAME = "users"
HELP = "manage the users who may log in (add, list, remove, reset-password)"


def configure(parser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=("manager", "manufacturer", "station"))
    add.add_argument("--manufacturer", dest="manufacturer_id", help="manufacturer id (role manufacturer)")
    add.add_argument("--station", dest="station_id", help="station id (role station)")
    add.add_argument("--admin", action="store_true", help="may manage users (managers only)")
    add.add_argument("--email", help="e-mail used by the company login (OpenID Connect)")
    _password_source(add)

    sub.add_parser("list", help="list the users (never their passwords)")

    rm = sub.add_parser("remove", help="remove a user")
    rm.add_argument("username")

    reset = sub.add_parser("reset-password", help="give a user a new password")
    reset.add_argument("username")
    _password_source(reset)

    token = sub.add_parser("token", help="manage a user's API tokens (create, list, revoke)")
    token_sub = token.add_subparsers(dest="token_action", metavar="TOKEN_ACTION", required=True)
    create = token_sub.add_parser("create", help="make an API token for the user (shown once)")
    create.add_argument("username")
    create.add_argument("--expires-in-days", type=int, default=None,
                        help=f"the token stops working after this many days (1 to {tokens.MAX_DAYS}; default: never)")
    listing = token_sub.add_parser("list", help="list the user's tokens (never their secrets)")
    listing.add_argument("username")
    revoke = token_sub.add_parser("revoke", help="revoke the user's tokens (or one of them)")
    revoke.add_argument("username")
    revoke.add_argument("--token-id", help="only this token (as shown by `users token list`)")

    # `--db` is added to `users` by the framework; accept it after the action too
    # (`users add NAME --db PATH`), without overriding it when given before.
    for action in (add, sub.choices["list"], rm, reset, create, listing, revoke):
        action.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="store file")


def _password_source(parser) -> None:
    parser.add_argument(
        "--password-stdin", action="store_true",
        help="read the password from the first line of standard input instead of a prompt",
    )


def _read_password(args) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Password again: ")
    if first != second:
        raise users.UserError("the two passwords differ; nothing was changed")
    return first


def _run_token(args) -> int:
    if args.token_action == "create":
        secret, info = tokens.create_token(args.db, args.username, expires_in_days=args.expires_in_days)
        print(f"token {info.token_id} for {info.username!r} ({info.role}, "
              f"{info.manufacturer_id or info.station_id or 'whole network'}), "
              f"{'expires ' + info.expires_at if info.expires_at else 'does not expire'}; "
              "it is shown only now, keep it secret:", file=sys.stderr)
        print(secret)
        return 0
    if args.token_action == "list":
        if users.get_user(args.db, args.username) is None:
            raise users.UserError(f"no user {users.normalise_username(args.username)!r}")
        rows = tokens.list_tokens(args.db, args.username)
        if not rows:
            print("no tokens")
            return 0
        header = ("token_id", "state", "created", "expires", "last used", "revoked because")
        table = [header] + [(t.token_id, t.state(), t.created_at, t.expires_at or "never", t.last_used_at or "",
                             t.revoked_why or "") for t in rows]
        widths = [max(len(str(r[i])) for r in table) for i in range(len(header))]
        for r in table:
            print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip())
        return 0
    count = tokens.revoke_tokens(args.db, args.username, args.token_id)
    print(f"revoked {count} token(s) of {users.normalise_username(args.username)!r}")
    return 0


def run(args) -> int:
    if args.action == "token":
        return _run_token(args)
    if args.action == "list":
        rows = users.list_users(args.db)
        if not rows:
            print("no users")
            return 0
        header = ("username", "role", "manufacturer", "station", "admin", "email")
        table = [header] + [
            (u.username, u.role, u.manufacturer_id or "", u.station_id or "",
             "yes" if u.is_admin else "", u.email or "")
            for u in rows
        ]
        widths = [max(len(str(r[i])) for r in table) for i in range(len(header))]
        for r in table:
            print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip())
        return 0

    if args.action == "remove":
        users.remove_user(args.db, args.username)
        revoked = tokens.revoke_tokens(args.db, args.username, why="its user was removed")
        print(f"removed user {users.normalise_username(args.username)!r}"
              + (f" and revoked its {revoked} API token(s)" if revoked else ""))
        return 0

    password = _read_password(args)
    if args.action == "add":
        user = users.add_user(
            args.db, args.username, password, args.role,
            manufacturer_id=args.manufacturer_id, station_id=args.station_id,
            is_admin=args.admin, email=args.email,
        )
        what = user.manufacturer_id or user.station_id or "whole network"
        print(f"added user {user.username!r} ({user.role}, {what}{', admin' if user.is_admin else ''})")
        return 0

    if args.action == "reset-password":
        users.reset_password(args.db, args.username, password)
        print(f"new password set for {users.normalise_username(args.username)!r}")
        return 0
    return 2
