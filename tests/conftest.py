"""Fixtures shared by the whole suite.

* ``demo_store_path`` — a small demo store (20,000 interventions, seed 7), built once per
  test session (shared by the xdist workers) through the real importer and engine.
* ``demo_stats`` — what the generator reported for that store (rows per table, planted
  findings and statuses, timings).
* ``_main_module_kept`` (every test) — ``sys.modules["__main__"]`` kept the test process's own.
* ``_components_scanned_once`` (session) — AppTest's scan of the installed packages done once per
  worker, as a served app does it once at start (``ui/apptest.py``).

Add a fixture here only when several test files need it; keep each one documented.
"""
from __future__ import annotations

import fcntl
import json
import os
import sys
from pathlib import Path

import pytest

DEMO_INTERVENTIONS = 20_000
DEMO_SEED = 7


def _session_root(tmp_path_factory) -> Path:
    """A folder shared by every worker of this test session (xdist gives each its own basetemp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory) -> Path:
    """Path of a demo store: 20,000 interventions, seed 7, 180 stations in 14 countries, 4 brands.

    Built once per test session with :func:`analytics.demo.build_demo_store` (contract files
    -> importer -> engine refresh -> demo users), whichever worker asks first; the others wait
    for it. **Read-only**: open it with :func:`analytics.store.reader` (or copy it to a
    ``tmp_path`` before changing anything) — every test of the session shares it. Its station
    profiles are :func:`analytics.demo.station_profiles` ``(7)``; demo logins are those of
    ``analytics.users.ensure_demo_users``.
    """
    from analytics.demo import build_demo_store

    root = _session_root(tmp_path_factory) / "demo-store"
    root.mkdir(exist_ok=True)
    path = root / "demo.duckdb"
    with open(root / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not path.exists():
            stats = build_demo_store(path, interventions=DEMO_INTERVENTIONS, seed=DEMO_SEED)
            (root / "stats.json").write_text(json.dumps(stats, indent=1))
    return path


@pytest.fixture(scope="session")
def demo_stats(demo_store_path) -> dict:
    """The statistics :func:`analytics.demo.build_demo_store` returned for ``demo_store_path``."""
    return json.loads((demo_store_path.parent / "stats.json").read_text())


#: The ``__main__`` module of the test process (pytest's), as it was when the suite started.
_MAIN_MODULE = sys.modules.get("__main__")


@pytest.fixture(autouse=True)
def _main_module_kept():
    """Put ``sys.modules["__main__"]`` back to the test process's own, before and after each test.
    Streamlit's AppTest runs a page as the ``__main__`` module and leaves it there (in a test or in
    a module-scoped fixture); a later test that starts processes with ``spawn`` (they re-import
    ``__main__``) would then run that page's script and die."""
    sys.modules["__main__"] = _MAIN_MODULE
    yield
    sys.modules["__main__"] = _MAIN_MODULE


@pytest.fixture(autouse=True, scope="session")
def _components_scanned_once():
    """Every AppTest of the worker reuses one scan of the installed packages (``ui/apptest.py``):
    without it each new AppTest pays ~0.75 s that a served app pays once."""
    from ui.apptest import scan_components_once

    scan_components_once()


#: Modules whose tests share an expensive module-scoped fixture (a served app and its logins, a
#: store built through the importer and engine). ``scripts/test.sh`` runs with ``--dist loadgroup``:
#: each of these modules goes whole to one xdist worker, so its fixture is built once instead of
#: once per worker; every other test is dealt to whichever worker is free.
WHOLE_MODULES = (
    "tests/browser/",
    "tests/test_replicated_store.py",
    "tests/test_readable_output.py",
    "tests/test_i18n_pages.py",
    "tests/test_import_bombs.py",
    "tests/test_live_store.py",
    "tests/test_live_reads.py",
    "tests/api/test_api_ingest.py",
)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.nodeid.split("::")[0]
        if module.startswith(WHOLE_MODULES):
            item.add_marker(pytest.mark.xdist_group(module))
