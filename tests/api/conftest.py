"""The served API on a small demo store, for the API tests.

* ``api_demo_store`` (session): a 3,000-intervention demo store (seed 7), built once per test
  session by the real generator and importer; read-only, copy it before a change.
* ``api_store`` (module): a private copy of it with one API token per demo user
  (``ApiStore.tokens[username]``), so a module's writes never reach another module.
* ``api_url`` (module): ``python -m analytics api`` serving that copy on a free port (throttle
  wide open; :func:`served_api` serves one with other settings).
* :func:`client` an ``httpx.Client`` on a served API with a token.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from analytics.access import tokens
from analytics.core import store

ROOT = Path(__file__).resolve().parents[2]
DEMO_INTERVENTIONS = 3000
DEMO_SEED = 7
DEMO_USERS = ("admin", "manufacturer", "station", "station2")


@dataclass
class ApiStore:
    path: Path
    tokens: dict[str, str] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served_api(db_path: Path, log_path: Path, **options):
    """``python -m analytics api`` on a free port for ``db_path``; yields the base URL once the API
    answers (``options``: ``rate``, ``burst``, ``max_body`` as on the command line)."""
    port = _free_port()
    cmd = [sys.executable, "-m", "analytics", "api", "--db", str(db_path), "--port", str(port)]
    for name, value in options.items():
        cmd += [f"--{name.replace('_', '-')}", str(value)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a failure bound, not a timing assumption
    with open(log_path, "w") as out, subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out,
                                                       stderr=subprocess.STDOUT) as proc:
        try:
            while True:  # until it answers (or has died)
                try:
                    if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the API did not start:\n{Path(log_path).read_text()}")
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.2)
            yield base
        finally:
            proc.terminate()  # uvicorn stops on SIGTERM; leaving the Popen block waits for it


def client(base: str, token: str | None = None, **kw) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=120, **kw)


@pytest.fixture(scope="session")
def api_demo_store(tmp_path_factory) -> Path:
    from analytics.demo import build_demo_store

    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "api-demo-store"
    root.mkdir(exist_ok=True)
    path = root / "demo.duckdb"
    with open(root / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            build_demo_store(path, interventions=DEMO_INTERVENTIONS, seed=DEMO_SEED)
    return path


def private_store(source: Path, folder: Path) -> ApiStore:
    """A copy of ``source`` in ``folder`` with one token per demo user."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "store.duckdb"
    store.copy(source, path)
    made = ApiStore(path)
    for username in DEMO_USERS:
        made.tokens[username] = tokens.create_token(path, username)[0]
    return made


@pytest.fixture(scope="module")
def api_store(api_demo_store, tmp_path_factory) -> ApiStore:
    made = private_store(api_demo_store, tmp_path_factory.mktemp("api-store"))
    yield made
    store.close_readers()


@pytest.fixture(scope="module")
def api_url(api_store, tmp_path_factory) -> str:
    log = tmp_path_factory.mktemp("api-log") / "api.log"
    with served_api(api_store.path, log, rate=10_000, burst=10_000) as base:
        yield base
