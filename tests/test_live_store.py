"""The live store: kill -9 of an importer mid-way, readers during an import, two imports at once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.import_support import engine_off, GOOD, table_rows  # noqa: F401

from analytics.core import store
from analytics.engine import publishing
from analytics.core.config import PROJECT_ROOT
from analytics.contract.importer import import_paths

BIG_ROWS = 200_000
#: An importer subprocess: the real command line, with the engine's refresh skipped (the
#: engine is not under test here, and the kill must land in the importer's own work).
RUNNER = ("import sys; from analytics.engine import models; models.refresh_before_publish = lambda con, path: None; "
          "from analytics.__main__ import main; sys.exit(main(sys.argv[1:]))")

@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    """interventions.csv with BIG_ROWS rows for M01/S01 (a few seconds to import)."""
    folder = tmp_path_factory.mktemp("big")
    con = duckdb.connect()
    con.execute(f"""
        COPY (SELECT 'B' || i AS intervention_id, 'M01' AS manufacturer_id, 'S01' AS station_id,
                     'washing_machine' AS product_category, 'WM-' || (i % 7) AS product_model,
                     'SNB' || i AS serial_number, '2023-01-01' AS purchase_date, 'warranty' AS coverage,
                     'WM-PUMP' AS repair_code, '2024-02-01' AS requested_on, '2024-02-03' AS completed_on,
                     '2024-02-05' AS submitted_on, 1 AS visits, 30 + i % 50 AS labor_minutes,
                     (i % 40) || '.5' AS travel_km, '12.30' AS parts_cost, 'repaired' AS outcome,
                     1 + i % 5 AS customer_rating
              FROM range({BIG_ROWS}) t(i))
        TO '{folder / "interventions.csv"}' (HEADER)
    """)
    con.close()
    return folder

@pytest.fixture
def base(tmp_path):
    db = tmp_path / "store.duckdb"
    assert import_paths(db, [GOOD]).ok
    return db


def _start(db: Path, *paths: Path, extra=()) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, "import", *map(str, paths), "--db", str(db), *extra],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _temp_copies(db: Path) -> list[Path]:
    return list(db.parent.glob(db.name + ".write-*.tmp*"))


def _holds_the_lock(db: Path, pid: int) -> bool:
    """Whether process ``pid`` holds the store's writer lock (the holder writes its pid there)."""
    try:
        return f"pid {pid} " in store.lock_path(db).read_text()
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_kill_9_mid_import_leaves_the_store_unchanged(base, big_folder):
    published = store.published_replica(base) if store.is_replicated(base) else base
    before = base.read_bytes()  # the published file (a replicated store's link is followed)
    proc = _start(base, big_folder)
    try:
        assert _wait_for(lambda: _holds_the_lock(base, proc.pid)), "the importer never started writing"
        time.sleep(0.8)  # well inside the import of 200,000 rows
        assert proc.poll() is None, "the import finished before the kill: make the file bigger"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert (store.published_replica(base) if store.is_replicated(base) else base) == published
    assert base.read_bytes() == before
    assert len(table_rows(base, "interventions")) == 4
    # The next import works (and removes the dead writer's leftovers). A small one: importing the
    # 200,000 rows for real would mostly time the engine's refresh, which is not under test here.
    small = base.parent / "after-kill"
    small.mkdir(exist_ok=True)
    (small / "manufacturers.csv").write_text("manufacturer_id,name\nM09,After the kill\n", encoding="utf-8")
    result = import_paths(base, [small])
    assert result.ok, result.problems[:3]
    assert [r[:2] for r in table_rows(base, "manufacturers") if r[0] == "M09"] == [("M09", "After the kill")]
    assert len(table_rows(base, "interventions")) == 4
    assert _temp_copies(base) == []


def test_reader_keeps_its_snapshot_and_the_next_view_sees_the_import(base, tmp_path):
    old = store.reader(base)
    assert old.execute("SELECT count(*) FROM manufacturers").fetchall() == [(2,)]
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "manufacturers.csv").write_text("manufacturer_id,name\nM03,Third\n", encoding="utf-8")
    assert import_paths(base, [tmp_path / "more"]).ok  # publishes while `old` is open
    assert old.execute("SELECT count(*) FROM manufacturers").fetchall() == [(2,)]
    new = store.reader(base)
    assert new.execute("SELECT count(*) FROM manufacturers").fetchall() == [(3,)]


def test_two_imports_at_once_one_waits_or_is_refused_and_nothing_is_lost(base, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    (small / "manufacturers.csv").write_text("manufacturer_id,name\nM03,Third\n", encoding="utf-8")
    with publishing.writer(base) as con:  # a long import holds the store
        con.execute("INSERT INTO manufacturers VALUES ('M04', 'Fourth')")
        refused = _start(base, small, extra=("--no-wait",))
        out, err = refused.communicate(timeout=120)
        assert refused.returncode == 1
        assert "being updated by another import" in err and "nothing was changed" in err
        waiting = _start(base, small)
        first_line = waiting.stderr.readline()  # printed while it waits for the lock
        assert "waiting for it to finish" in first_line
        assert waiting.poll() is None
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    names = dict(table_rows(base, "manufacturers"))
    assert names["M04"] == "Fourth"   # the first writer's change landed
    assert names["M03"] == "Third"    # and so did the import that waited
