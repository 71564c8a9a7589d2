"""``python -m analytics demo [--interventions N] [--seed S] [--export DIR [--format csv|parquet]] [--list-profiles]``.

Without ``--export``: generates the demo network and builds the store at ``--db`` from
it, through the importer, replacing any store there (atomically). With ``--export``:
only writes the contract files and ``policies/*.toml`` into DIR (the store is not
touched) — files anyone can read, edit and import with ``python -m analytics import DIR``.
A progress bar goes to stderr. Exit codes: 0 done, 1 refused (explained on stderr),
2 usage error.
"""
from __future__ import annotations

import csv
import sys
import time

from analytics.demo import build_demo_store, export_demo, network_for
from analytics.demo.build import DEFAULT_INTERVENTIONS, DEFAULT_SEED, MIN_INTERVENTIONS
from analytics.demo.files import FORMATS

NAME = "demo"
HELP = "generate the demo repair network and build the store from it (or only export its files)"


def configure(parser) -> None:
    parser.add_argument("--interventions", type=int, default=DEFAULT_INTERVENTIONS, metavar="N",
                        help=f"number of interventions (default {DEFAULT_INTERVENTIONS:,}; "
                             f"at least {MIN_INTERVENTIONS:,})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                        help=f"random seed: the same seed gives the same data (default {DEFAULT_SEED})")
    parser.add_argument("--export", metavar="DIR", default=None,
                        help="only write the contract files and policies into DIR; the store is not touched")
    parser.add_argument("--format", choices=FORMATS, default="csv",
                        help="file format of --export (default csv)")
    parser.add_argument("--list-profiles", action="store_true",
                        help="only print every station's profile for the seed (the answer key), then stop")


class Bar:
    """``[#####-----]  50%  12.3s  message`` redrawn on a terminal; a line per tenth otherwise."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self.shown = -1

    def __call__(self, done: int, total: int, message: str) -> None:
        share = min(1.0, done / total) if total else 1.0
        elapsed = time.monotonic() - self.started
        if self.tty:
            filled = int(30 * share)
            self.stream.write(f"\r[{'#' * filled}{'-' * (30 - filled)}] {share:4.0%} {elapsed:6.1f}s  "
                              f"{message[:60]:<60}")
        elif int(share * 10) != self.shown:
            self.shown = int(share * 10)
            self.stream.write(f"demo: {share:4.0%} {elapsed:6.1f}s  {message}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def run(args) -> int:
    if args.interventions < MIN_INTERVENTIONS:
        print(f"error: --interventions must be at least {MIN_INTERVENTIONS:,}", file=sys.stderr)
        return 2
    if args.list_profiles:
        network, _ = network_for(args.seed)
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["station_id", "country", "region", "profile", "name"])
        for i, sid in enumerate(network.station_ids):
            out.writerow([sid, network.station_country[i], network.station_region[i] or "",
                          network.profile_name(i), network.station_names[i]])
        return 0
    bar = Bar()
    try:
        if args.export:
            stats = export_demo(args.export, interventions=args.interventions, seed=args.seed,
                                progress=bar, fmt=args.format)
        else:
            stats = build_demo_store(args.db, interventions=args.interventions, seed=args.seed, progress=bar)
    finally:
        bar.close()
    where = args.export or args.db
    print(f"demo network (seed {stats['seed']}): {stats['stations']} stations in {stats['countries']} countries, "
          f"{stats['manufacturers']} manufacturers -> {where}")
    for table, n in stats["rows"].items():
        print(f"  {table}: {n:,}")
    took = stats.get("total_seconds", stats["seconds"])
    print(f"  done in {took:.1f} s")
    return 0
