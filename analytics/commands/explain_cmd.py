"""``python -m analytics explain INTERVENTION_ID`` — why an intervention has its status and amount.

Prints the report, the policy applied (version, overrides, each value and the level it came
from), the documents, the calculated amount line by line with its formula, the invoice lines
and the findings with their evidence. Exit 1 with a message for an unknown id.
"""
from __future__ import annotations

import sys

from analytics.core import store
from analytics.verification import queue as verification
from analytics.access.scope import Scope

NAME = "explain"
HELP = "explain one intervention: report, policy applied, calculated amount line by line, findings"


def configure(parser) -> None:
    parser.add_argument("intervention_id", metavar="INTERVENTION_ID", help="the intervention to explain")


def run(args) -> int:
    con = store.reader(args.db)
    detail = verification.intervention_detail(con, Scope.manager(), args.intervention_id)
    if detail is None:
        print(f"error: no intervention {args.intervention_id!r} in the store {args.db}", file=sys.stderr)
        return 1
    sys.stdout.write(verification.format_detail(detail))
    return 0
