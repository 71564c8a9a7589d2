"""``python -m analytics entry`` — write one entry under a finding, as a given user.

For station software and scripts answering findings: the same function as the dashboard
(:func:`analytics.conversation.threads.add_entry`), with that user's scope and rights (a station
justifies or sends a document on its own interventions, a manufacturer waives or confirms on its
brand's, anyone in scope comments). Exit 0 with the entry's id and the intervention's status,
1 with the reason when the entry is refused (unknown user, out of scope, no such finding, a kind
the role may not write, bad date), 2 on a usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from analytics.access import users
from analytics.access.scope import ScopeError
from analytics.access.viewer import Viewer
from analytics.conversation import threads
from analytics.core import store

NAME = "entry"
HELP = "write an entry under a finding (justification, document sent, waiver, confirmation, comment) as a user"


def _date(text: str) -> str:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None
    return text


def configure(parser) -> None:
    parser.add_argument("--user", required=True, metavar="USERNAME", help="the user who writes (their scope and rights apply)")
    parser.add_argument("--intervention", required=True, metavar="ID", help="the intervention of the finding")
    parser.add_argument("--code", required=True, metavar="CODE", help="the finding's code (DOC_MISSING, LATE_SUBMISSION…)")
    parser.add_argument("--doc-type", default="", metavar="TYPE", help="the missing document's type (DOC_MISSING only)")
    parser.add_argument("--kind", required=True, choices=threads.KINDS, help="what the entry is")
    parser.add_argument("--received-on", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="document_sent: the date the document was sent")
    parser.add_argument("--body", required=True, metavar="TEXT", help="the text (a reason for waive/confirm)")


def run(args) -> int:
    if store.version_of(args.db) is None:
        raise store.StoreMissing(f"no store at {args.db}")
    user = users.get_user(args.db, args.user)
    if user is None:
        print(f"error: no user {args.user!r} in the store {args.db}", file=sys.stderr)
        return 1
    viewer = Viewer(user.username, user.scope, user.is_admin)
    try:
        written = threads.add_entry(
            args.db, viewer, args.intervention, args.code, args.kind, args.body, doc_type=args.doc_type,
            sent_doc_received_on=args.received_on)
    except (ScopeError, threads.ConversationError) as exc:
        print(f"error: refused: {exc}", file=sys.stderr)
        return 1
    except users.UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    status = threads.status_of(store.reader(args.db), user.scope, args.intervention) if written.applied else None
    print(f"entry {written.entry.entry_id} written by {user.username} on {args.intervention} {args.code}"
          + (f" ({args.doc_type})" if args.doc_type else "") + f": {args.kind}")
    if status is not None:
        print(f"status of {args.intervention}: {status['status']}"
              + (f" (still counting: {status['finding_codes']})" if status["finding_codes"] else ""))
    else:
        print("pending: another write holds the store; the entry is kept and counts once it is published")
    return 0
