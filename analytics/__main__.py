"""``python -m analytics SUBCOMMAND [--db PATH] ...`` — the command line.

Exit codes: 0 success, 1 the input or request was refused (explained on stderr),
2 usage error.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from analytics.commands import COMMANDS
from analytics.core.config import DB_ENV_VAR, default_db_path
from analytics.core.store import StoreError


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="python -m analytics",
        description="Clairvoie: import, verify and measure warranty repair data.",
    )
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)
    modules = {}
    for module_name in COMMANDS:
        module = importlib.import_module(f".commands.{module_name}", __package__)
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        p.add_argument(
            "--db",
            type=Path,
            default=None,
            help=f"store file (default: ${DB_ENV_VAR} or {default_db_path()})",
        )
        module.configure(p)
        modules[module.NAME] = module
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    parser, modules = build_parser()
    args = parser.parse_args(argv)  # exits with 2 on a usage error
    if args.db is None:
        args.db = default_db_path()
    try:
        return int(modules[args.command].run(args) or 0)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the store is unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
