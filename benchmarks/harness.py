"""The shared benchmark harness: time a step, record peak memory, print a table.

Every benchmark measures its baseline in the same run and prints the ratio, so
figures from a shared, noisy machine stay comparable. Usage::

    bench = Bench("import")
    with bench.step("bare read_csv", rows=n) as s: ...
    with bench.step("clairvoie import", rows=n, baseline="bare read_csv"): ...
    bench.report()          # prints a table, appends JSON to benchmarks/.work/results.jsonl
"""
from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

WORK_DIR = Path(__file__).resolve().parent / ".work"


@dataclass
class Step:
    name: str
    seconds: float = 0.0
    rows: int | None = None
    baseline: str | None = None
    peak_rss_mb: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.seconds if self.rows and self.seconds else None


def copy_store(source: Path, target: Path) -> None:
    """Copy a store file for a benchmark to write, and wait until the copy is on disk: a 7 GB copy
    left to the kernel's writeback would flush during the timed steps after it and charge them for
    the benchmark's own copy (a CHECKPOINT's fsync queues behind it)."""
    shutil.copyfile(source, target)
    os.sync()


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


class Bench:
    def __init__(self, title: str):
        self.title = title
        self.steps: list[Step] = []

    @contextlib.contextmanager
    def step(self, name: str, *, rows: int | None = None, baseline: str | None = None, repeat: int = 1):
        """Time the body; with ``repeat`` > 1 use :meth:`timed` instead."""
        s = Step(name, rows=rows, baseline=baseline)
        start = time.perf_counter()
        yield s
        s.seconds = time.perf_counter() - start
        s.peak_rss_mb = peak_rss_mb()
        self.steps.append(s)

    def timed(self, name: str, fn, *, repeat: int = 5, rows: int | None = None, baseline: str | None = None):
        """Run ``fn`` ``repeat`` times and record the median time; returns the last result."""
        times, result = [], None
        for _ in range(repeat):
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        s = Step(name, seconds=statistics.median(times), rows=rows, baseline=baseline,
                 peak_rss_mb=peak_rss_mb(), extra={"runs": repeat, "min_s": min(times)})
        self.steps.append(s)
        return result

    def record(self, name: str, seconds: float, *, rows: int | None = None, baseline: str | None = None) -> Step:
        """Record a step timed elsewhere (e.g. inside another framework's run)."""
        s = Step(name, seconds=seconds, rows=rows, baseline=baseline, peak_rss_mb=peak_rss_mb())
        self.steps.append(s)
        return s

    def get(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    def report(self, out=sys.stdout) -> None:
        print(f"\n## {self.title}", file=out)
        print(f"{'step':48} {'seconds':>9} {'rows/s':>12} {'peak MiB':>9}  vs baseline", file=out)
        for s in self.steps:
            rps = f"{s.rows_per_second:,.0f}" if s.rows_per_second else ""
            ratio = ""
            if s.baseline:
                base = self.get(s.baseline)
                ratio = f"{s.seconds / base.seconds:.2f}x the time of '{base.name}'"
            print(f"{s.name:48} {s.seconds:9.3f} {rps:>12} {s.peak_rss_mb:9.0f}  {ratio}", file=out)
        WORK_DIR.mkdir(exist_ok=True)
        with open(WORK_DIR / "results.jsonl", "a") as fh:
            fh.write(json.dumps({"title": self.title, "at": time.strftime("%Y-%m-%d %H:%M:%S"),
                                 "steps": [asdict(s) for s in self.steps]}) + "\n")
