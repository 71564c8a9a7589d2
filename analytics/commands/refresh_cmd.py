"""``python -m analytics refresh --full`` — rebuild every derived table of the store from its data.

Every write refreshes only what its changes can touch (docs/ENGINE.md "Incremental refresh");
this rebuilds everything from scratch, as a new engine does on its first start
(``publishing.ensure_current``). It goes through the store's writer: readers keep serving the
published store meanwhile, and a refresh killed at any instant leaves it as it was.
Exit codes: 0 done, 1 no store (or another writer holds it and ``--no-wait`` was given).
"""
from __future__ import annotations

import sys
import time

from analytics.core import store
from analytics.engine import models

NAME = "refresh"
HELP = "rebuild every derived table of the store from scratch (--full)"


def configure(parser) -> None:
    parser.add_argument("--full", action="store_true", required=True,
                        help="rebuild every derived table (the only mode: writes refresh incrementally)")
    parser.add_argument("--no-wait", action="store_true",
                        help="refuse (exit 1) instead of waiting when another writer holds the store")


def run(args) -> int:
    started = time.perf_counter()
    with store.writer(args.db, create=False, wait=not args.no_wait,
                      before_publish=models.rebuild_before_publish,
                      on_wait=lambda message: print(message, file=sys.stderr)):
        pass
    print(f"refreshed every derived table of {args.db} in {time.perf_counter() - started:.1f} s")
    return 0
