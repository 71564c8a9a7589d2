"""``python -m analytics explain INTERVENTION_ID`` — why an intervention has its status and amount.

Prints the report, the policy applied (version, overrides, each value and the level it came
from), the documents, the calculated amount line by line with its formula, the invoice lines
and the findings with their evidence. Exit 1 with a message for an unknown id.

``--as-of YYYY-MM-DD`` prints instead the status and findings as they stood at the end of that
day (UTC), from the engine's history (``analytics.verification.history``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from analytics.core import store
from analytics.verification import history, queue as verification
from analytics.access.scope import Scope

NAME = "explain"
HELP = "explain one intervention: report, policy applied, calculated amount line by line, findings"


def configure(parser) -> None:
    parser.add_argument("intervention_id", metavar="INTERVENTION_ID", help="the intervention to explain")
    parser.add_argument("--as-of", type=_day, default=None, metavar="YYYY-MM-DD",
                        help="the status and findings as they stood at the end of that day (UTC)")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def run(args) -> int:
    con = store.reader(args.db)
    if args.as_of is not None:
        state = history.as_of(con, Scope.manager(), args.intervention_id, history.end_of_day(args.as_of))
        if state is None:
            print(f"error: no intervention {args.intervention_id!r} in the store {args.db}", file=sys.stderr)
            return 1
        sys.stdout.write(history.format_as_of(state))
        return 0
    detail = verification.intervention_detail(con, Scope.manager(), args.intervention_id)
    if detail is None:
        print(f"error: no intervention {args.intervention_id!r} in the store {args.db}", file=sys.stderr)
        return 1
    sys.stdout.write(verification.format_detail(detail))
    return 0
