"""The HTTP API under a sustained load: requests per second and p50/p95/p99 latency.

    python -m benchmarks.bench_api [--store /work/stores/1M.duckdb] [--clients 50] [--seconds 20]

Copies the store into ``benchmarks/.work/api/`` (the source is never written), makes API tokens,
serves it with ``python -m analytics api`` (one uvicorn process, throttle opened wide) and runs a
local load generator (httpx + asyncio, ``--clients`` concurrent connections, each sending its next
request as soon as the previous one is answered) for ``--seconds`` per scenario:

* ``GET /me`` — the baseline: token check and HTTP, no query of the store;
* ``GET /interventions/{id}`` — one intervention's status (ids drawn at random from the store);
* ``GET /metrics?by=month&manufacturer=…`` — a metrics query (as the CLI's);
* ``POST /interventions/{id}/findings/{code}/entries`` — a comment on a finding (journal append,
  then a publish when the store is free: most answers are "kept, counts after the running publish").

The load generator shares the machine's cores with the server, so figures are a floor.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from analytics.access import tokens
from analytics.access.scope import Scope
from analytics.conversation import threads
from analytics.core import store
from benchmarks.harness import WORK_DIR, Bench

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def _load(base: str, token: str, make_request, clients: int, seconds: float) -> tuple[list[float], dict]:
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}  # HTTP status, or the transport error that cut a request
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"},
                                 limits=limits, timeout=300) as http:
        async def worker(n: int):
            rng = random.Random(n)
            while time.perf_counter() < deadline:
                method, url, kw = make_request(rng)
                start = time.perf_counter()
                try:
                    answer = await http.request(method, url, **kw)
                except httpx.TransportError as exc:  # counted, not retried: a cut request is a failure
                    key = type(exc).__name__
                    statuses[key] = statuses.get(key, 0) + 1
                    continue
                latencies.append(time.perf_counter() - start)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

        await asyncio.gather(*(worker(n) for n in range(clients)))
    return latencies, statuses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("/work/stores/1M.duckdb"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)

    work = WORK_DIR / "api"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "store.duckdb"
    shutil.copyfile(args.store, db)
    manager_token = tokens.create_token(db, "admin")[0]
    station_token = tokens.create_token(db, "station")[0]
    con = store.reader(db)
    station = con.execute("SELECT station_id FROM users WHERE username = 'station'").fetchone()[0]
    brand = con.execute("SELECT manufacturer_id FROM users WHERE username = 'manufacturer'").fetchone()[0]
    ids = [r[0] for r in con.execute("SELECT intervention_id FROM interventions USING SAMPLE 5000 ROWS").fetchall()]
    findings = con.execute("SELECT intervention_id, code, doc_type FROM findings JOIN interventions "
                           "USING (intervention_id) WHERE station_id = $s LIMIT 500", {"s": station}).fetchall()
    interventions = con.execute("SELECT count(*) FROM interventions").fetchone()[0]

    bench = Bench(f"HTTP API, {interventions:,} interventions, {args.clients} clients, {args.seconds:g} s each")
    # the functions alone, in this process (what the API adds is HTTP, auth and JSON)
    sample = ids[:200]
    bench.timed("function: threads.status_of x200", lambda: [threads.status_of(con, Scope.manager(), i) for i in sample],
                repeat=3, rows=len(sample))
    con.close()

    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open(work / "api.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "analytics", "api", "--db", str(db), "--port", str(port),
                               "--rate", "1000000", "--burst", "1000000"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{base}/api/v1/openapi.json", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                if server.poll() is not None:
                    raise SystemExit((work / "api.log").read_text())
                time.sleep(0.2)

        def entry(rng):
            iid, code, doc_type = rng.choice(findings)
            return "POST", f"/interventions/{iid}/findings/{code}/entries", {
                "json": {"kind": "comment", "body": "load test comment", "doc_type": doc_type or ""}}

        def status(rng):
            return "GET", f"/interventions/{rng.choice(ids)}", {}

        n = args.clients
        scenarios = [
            (f"GET /me (baseline), {n} clients", n, manager_token, lambda rng: ("GET", "/me", {}), None),
            (f"GET /interventions/{{id}} (status), {n} clients", n, manager_token, status,
             f"GET /me (baseline), {n} clients"),
            ("GET /interventions/{id} (status), 1 client", 1, manager_token, status, None),
            (f"GET /metrics?by=month&manufacturer, {n} clients", n, manager_token,
             lambda rng: ("GET", "/metrics", {"params": {"by": "month", "manufacturer": brand}}),
             f"GET /me (baseline), {n} clients"),
            (f"POST .../entries (comment), {n} clients", n, station_token, entry, f"GET /me (baseline), {n} clients"),
        ]
        table = []
        for name, clients, token, make, baseline in scenarios:
            print(f"running {name} …", file=sys.stderr, flush=True)
            latencies, statuses = asyncio.run(_load(base, token, make, clients, args.seconds))
            if server.poll() is not None:
                raise SystemExit(f"the API stopped during {name} (exit code {server.returncode}): "
                                 f"{(work / 'api.log').read_text()[-2000:]}")
            step = bench.record(name, args.seconds, rows=len(latencies), baseline=baseline)
            step.extra = {"statuses": statuses, "p50_ms": _percentile(latencies, 50) * 1000,
                          "p95_ms": _percentile(latencies, 95) * 1000, "p99_ms": _percentile(latencies, 99) * 1000,
                          "mean_ms": statistics.fmean(latencies) * 1000}
            table.append((name, len(latencies) / args.seconds, step.extra, statuses))
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    bench.report()
    print(f"\n{'scenario':52} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  answers")
    for name, rps, x, statuses in table:
        print(f"{name:52} {rps:8.1f} {x['p50_ms']:8.1f} {x['p95_ms']:8.1f} {x['p99_ms']:8.1f}  {statuses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
