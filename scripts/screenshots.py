"""Refresh the README's screenshot: the scorecard page at 1366×768.

    python scripts/screenshots.py [--db STORE] [--out docs/screenshots/scorecard.png]

With no ``--db`` a small demo store is generated in a temporary folder. The app is
served and driven exactly as the browser tests do (``tests/browser/conftest.py``:
Debian chromium, same login helper), so the picture is what a manager sees.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import conftest as harness  # noqa: E402  (the browser tests' harness: one way to drive the app)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="store to show (default: a fresh small demo store)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "scorecard.png")
    parser.add_argument("--page", default="scorecard", help="url path of the page (default: scorecard)")
    parser.add_argument("--app", default="app.py", help="entry point to serve (default: app.py)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or harness.build_demo_store(Path(tmp) / "demo.duckdb", interventions=20_000)
        with harness.serve_app(db, Path(tmp) / "server.log", app=args.app) as base, \
                harness.launch_browser() as chromium:
            page = harness.new_page(chromium, base)
            harness.login_as_manager(page)
            harness.open_page(page, args.page)  # through the sidebar: the login lives in the session
            page.wait_for_timeout(1500)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=False)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
