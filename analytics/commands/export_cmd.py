"""``python -m analytics export DIR`` — the store back as contract files.

Writes ``DIR/<table>.csv`` for every contract table (and ``finding_entries.csv``) and
``DIR/policies/<manufacturer_id>.toml``; ``import DIR`` into an empty store gives the
same store. Exit 0 when written, 1 when the store is missing or cannot be exported.
"""
from __future__ import annotations

import sys
from pathlib import Path

from analytics.contract.export import export

NAME = "export"
HELP = "write the store as contract CSV files plus the policy TOML files (re-importable)"


def configure(parser) -> None:
    parser.add_argument("directory", type=Path, metavar="DIR", help="folder to write (created when missing)")


def run(args) -> int:
    if args.directory.exists() and not args.directory.is_dir():
        print(f"usage error: {args.directory} exists and is not a folder", file=sys.stderr)
        return 2
    written = export(args.db, args.directory)
    print(f"exported to {args.directory}:")
    for name, n in written.items():
        unit = "file" if name == "policies" else "row"
        print(f"  {name}: {n} {unit}{'s' if n != 1 else ''}")
    return 0
