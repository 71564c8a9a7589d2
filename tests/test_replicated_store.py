"""The replicated store (analytics/core/store.py): a write lands in place on the replica nobody
reads, the other replays the logged change; kill -9 at any point; readers in other processes;
writers in several processes at once; export → import equals a store built by small writes.

Every subprocess is waited on through an observable state (a marker file it writes, a line it
prints), never a sleep.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from analytics.__main__ import main
from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.contract.importer import import_paths
from analytics.conversation import threads
from analytics.core import ops, store
from analytics.core.config import PROJECT_ROOT
from analytics.engine import journal, publishing

#: Tables whose rows hold the time they were written (differs by replica: each writes its own).
TIMESTAMPED = {"schema_version": "*", "import_log": "*", "users": "created_at", "store_replica": "*"}


@pytest.fixture(autouse=True)
def replicated(monkeypatch):
    monkeypatch.setenv(store.LAYOUT_ENV, "replicas")
    yield
    store.close_readers()


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory) -> Path:
    """A small demo network as contract files (the demo generator)."""
    folder = tmp_path_factory.mktemp("demo") / "files"
    assert main(["demo", "--interventions", "1000", "--seed", "5", "--export", str(folder),
                 "--db", str(folder.parent / "unused.duckdb")]) == 0
    return folder


def split(files: Path, into: Path) -> list[Path]:
    """The network as several small imports: brands, stations, rates and policies; the
    interventions in three parts, each with its documents; then invoices, lines and disputes."""
    base = into / "base"
    shutil.copytree(files, base, ignore=shutil.ignore_patterns(
        "interventions.csv", "documents.csv", "invoices.csv", "invoice_lines.csv", "disputes.csv"))
    interventions = _rows(files / "interventions.csv")
    documents = _rows(files / "documents.csv")
    parts = [base]
    for k in range(3):
        part = into / f"part{k}"
        chosen = [interventions[0]] + interventions[1:][k::3]
        ids = {row[0] for row in chosen[1:]}
        _write(part / "interventions.csv", chosen)
        _write(part / "documents.csv", [documents[0]] + [r for r in documents[1:] if r[0] in ids])
        parts.append(part)
    billing = into / "billing"
    for name in ("invoices.csv", "invoice_lines.csv", "disputes.csv"):
        _write(billing / name, _rows(files / name))
    return parts + [billing]


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def dump(path: Path) -> dict[str, list[str]]:
    """Every table's rows (sorted), leaving out the columns that record when a replica wrote."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall():
            if TIMESTAMPED.get(table) == "*":
                continue
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $t ORDER BY ordinal_position",
                {"t": table}).fetchall() if c != TIMESTAMPED.get(table)]
            select = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(map(repr, con.execute(f'SELECT {select} FROM "{table}"').fetchall()))
        return out
    finally:
        con.close()


def replicas_agree(db: Path) -> None:
    """Bring the idle replica up to date and check both replicas hold the same rows."""
    store.close_readers()
    store.catch_up(db)
    first, second = store.replica_paths(db)
    a, b = dump(first), dump(second)
    assert a.keys() == b.keys()
    assert [t for t in a if a[t] != b[t]] == []


def open_findings(db: Path, n: int, **where) -> list[tuple[str, str, str, str, str]]:
    """``n`` findings nobody has settled: (intervention, code, doc_type, manufacturer, station)."""
    return [(r[0], r[1], r[2] or "", r[3], r[4]) for r in store.reader(db).execute(
        """SELECT d.intervention_id, d.code, d.doc_type, i.manufacturer_id, i.station_id
           FROM finding_decisions d JOIN interventions i USING (intervention_id)
           WHERE d.finding_exists AND NOT d.settled AND d.code <> 'DOC_MISSING'
           ORDER BY d.intervention_id, d.code LIMIT $n""", {"n": n}).fetchall()]


@pytest.fixture(scope="module")
def built(demo_files, tmp_path_factory) -> Path:
    """A replicated store built by many small imports and entries (module-wide, never written by tests)."""
    work = tmp_path_factory.mktemp("built")
    db = work / "store.duckdb"
    os.environ[store.LAYOUT_ENV] = "replicas"
    try:
        for part in split(demo_files, work / "parts"):
            result = import_paths(db, [part])
            assert result.ok, result.problems[:3]
        assert db.is_symlink()
        for iid, code, doc, brand, station in open_findings(db, 6):
            threads.justify(db, Viewer("st", Scope.station(station)), iid, code, "as agreed", doc_type=doc)
            threads.waive(db, Viewer("br", Scope.manufacturer(brand)), iid, code, "accepted", doc_type=doc)
        iid, code, doc, brand, station = open_findings(db, 1)[0]
        threads.confirm(db, Viewer("br", Scope.manufacturer(brand)), iid, code, "stays", doc_type=doc)
    finally:
        del os.environ[store.LAYOUT_ENV]
        store.close_readers()
    return db


def test_each_change_is_replayed_to_the_same_rows_on_the_other_replica(built, tmp_path):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    assert db.is_symlink() and os.readlink(db) in {p.name for p in store.replica_paths(db)}
    replicas_agree(db)
    with ops.connect(db) as oc:  # the log keeps only what the idle replica may still lack: the last change
        assert len(ops.fetch_all(oc, "core/store_changes/since", {"epoch": store._epoch(db), "seq": 0})) <= 1


def test_the_replay_gives_the_other_replica_the_same_intervention_keys(built, tmp_path):
    """The engine's key (interventions.iv_key) is given at each import as max + 1, 2, … in file order:
    replayed on the other replica it gives the same keys, numbered 1..n without a gap."""
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    store.close_readers()
    store.catch_up(db)
    got = []
    for replica in store.replica_paths(db):
        con = duckdb.connect(str(replica), read_only=True)
        try:
            got.append(dict(con.execute("SELECT intervention_id, iv_key FROM interventions").fetchall()))
        finally:
            con.close()
    assert got[0] == got[1]
    assert sorted(got[0].values()) == list(range(1, len(got[0]) + 1))


def test_an_arbitrary_writer_body_makes_the_other_replica_a_copy(built, tmp_path):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    with publishing.writer(db) as con:
        con.execute("INSERT INTO manufacturers VALUES ('MZZ', 'Written by hand')")
    assert store.reader(db).execute("SELECT name FROM manufacturers WHERE manufacturer_id = 'MZZ'").fetchall() \
        == [("Written by hand",)]
    replicas_agree(db)


def test_a_reading_process_opens_the_newly_published_replica_before_a_page_asks(built, tmp_path):
    """A process that reads the store has the published version open again after a writer publishes,
    without a read asking for it (its watcher opens it): the first page view after a publish does not pay
    the open (tens of milliseconds on a large store)."""
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    key = os.path.abspath(db)
    store.reader(db).close()
    before = store._readers[key].version
    with publishing.writer(db) as con:
        con.execute("INSERT INTO manufacturers VALUES ('MZY', 'Published meanwhile')")
    published = store.version_of(key)
    assert published != before
    deadline = time.monotonic() + 60  # what is waited for: the watcher's next rounds (every 0.2 s)
    while time.monotonic() < deadline and getattr(store._readers.get(key), "version", None) != published:
        time.sleep(0.05)
    assert store._readers[key].version == published


def test_a_rejected_import_changes_nothing_and_logs_nothing(built, tmp_path):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    before = dump(store.published_replica(db))
    bad = tmp_path / "bad"
    _write(bad / "stations.csv", [["station_id", "name", "country", "region", "city"], ["SX", "", "FR", "", "y"]])
    result = import_paths(db, [bad])
    assert not result.ok and (result.problems[0].row, result.problems[0].column) == (1, "name")  # first data row
    assert dump(store.published_replica(db)) == before
    assert not list((db.parent / (db.name + ".changes")).glob("*"))  # its copied sources are gone
    replicas_agree(db)


def test_export_then_import_gives_the_same_verify_and_metrics(built, tmp_path):
    exported = tmp_path / "export"
    assert main(["export", str(exported), "--db", str(built)]) == 0
    again = tmp_path / "again.duckdb"
    assert main(["import", str(exported), "--db", str(again)]) == 0
    for report in (["verify", "--format", "csv"], ["metrics", "--by", "station,month", "--format", "csv"]):
        outputs = []
        for db in (built, again):
            out = tmp_path / f"{report[0]}-{db.stem}.csv"
            assert main([*report, "--output", str(out), "--db", str(db)]) == 0
            outputs.append(out.read_text(encoding="utf-8"))
        assert outputs[0] == outputs[1], report[0]
        assert len(outputs[0].splitlines()) > 10
    # and the settled findings came through the export
    assert store.reader(again).execute("SELECT count(*) FROM finding_decisions WHERE settled").fetchall()[0][0] >= 6


def _copy_store(source: Path, db: Path) -> None:
    """Copy a replicated store (its replicas, link and log) to ``db``."""
    for replica in store.replica_paths(source):
        shutil.copyfile(replica, db.with_name(db.name + replica.name[len(source.name):]))
    with sqlite3.connect(ops.ops_path(source)) as src, sqlite3.connect(ops.ops_path(db)) as dst:
        src.backup(dst)
    os.symlink(db.name + os.readlink(source)[len(source.name):], db)
    changes = source.with_name(source.name + ".changes")
    if changes.exists():
        shutil.copytree(changes, db.with_name(db.name + ".changes"))
        with ops.connect(db) as oc, ops.transaction(oc):  # the log names the source's copied files
            oc.execute("UPDATE store_changes SET payload = replace(payload, ?, ?)",
                       (str(changes), str(db.with_name(db.name + ".changes"))))


# ---------------------------------------------------------------- other processes

#: A subprocess that runs python code against the store, after patching the function named by
#: argv[2] (``module:function``) to write the marker argv[3] and then block: a kill -9 then
#: lands inside that function, for certain.
PAUSING = r"""
import importlib, os, sys, time
module_name, function = sys.argv[2].split(":")
module = importlib.import_module(module_name)
original = getattr(module, function)
def pausing(*args, **kwargs):
    with open(sys.argv[3], "w") as fh:
        fh.write("inside")
    sys.stdin.readline()  # never answered: the test kills us here
    return original(*args, **kwargs)
setattr(module, function, pausing)
exec(sys.argv[1])
"""


def _paused(code: str, where: str, marker: Path) -> subprocess.Popen:
    env = {**os.environ, store.LAYOUT_ENV: "replicas"}
    return subprocess.Popen([sys.executable, "-c", PAUSING, code, where, str(marker)], cwd=PROJECT_ROOT,
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_for_marker(proc: subprocess.Popen, marker: Path) -> None:
    import select
    # Wait on the process's stderr/stdout closing or the marker appearing; the child writes the
    # marker before blocking, so polling the file with a select() timeout is exact, not a guess.
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()[1][-2000:]
        select.select([], [], [], 0.02)


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return  # it ended by itself: the assertion that waited for it says why
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


ENTRY_CODE = """
import datetime as dt
from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.conversation import threads
threads.justify({db!r}, Viewer("st", Scope.station({station!r})), {iid!r}, {code!r}, "killed while publishing",
                doc_type={doc!r})
"""


@pytest.mark.parametrize("where", ["analytics.engine.models:refresh_after_entries", "analytics.core.store:_point"])
def test_kill_9_during_an_entry_loses_nothing_and_the_store_opens(built, tmp_path, where):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    before = dump(store.published_replica(db))
    iid, code, doc, brand, station = open_findings(db, 1)[0]
    marker = tmp_path / "marker"
    proc = _paused(ENTRY_CODE.format(db=str(db), station=station, iid=iid, code=code, doc=doc), where, marker)
    try:
        _wait_for_marker(proc, marker)  # inside the engine's refresh / just before re-pointing the link
    finally:
        _kill(proc)
    # The store opens and is exactly as it was; the entry is durable in the journal.
    assert dump(store.published_replica(db)) == before
    pending = journal.pending_entries(db)
    assert [(e.intervention_id, e.body) for e in pending] == [(iid, "killed while publishing")]
    # The next write publishes it, once.
    assert publishing.fold(db, wait=True)
    rows = store.reader(db).execute("SELECT count(*) FROM finding_entries WHERE body = 'killed while publishing'")
    assert rows.fetchall() == [(1,)]
    replicas_agree(db)


IMPORT_CODE = """
from analytics.contract.importer import import_paths
assert import_paths({db!r}, [{folder!r}]).ok
"""


@pytest.mark.parametrize("where", ["analytics.engine.models:refresh_pending", "analytics.core.ops:execute"])
def test_kill_9_during_an_import_leaves_the_store_readable_and_the_next_import_works(built, tmp_path, where):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    before = dump(store.published_replica(db))
    folder = tmp_path / "more"
    _write(folder / "manufacturers.csv", [["manufacturer_id", "name"], ["MNEW", "New brand"]])
    marker = tmp_path / "marker"
    proc = _paused(IMPORT_CODE.format(db=str(db), folder=str(folder)), where, marker)
    try:
        _wait_for_marker(proc, marker)  # inside the engine's refresh / about to log the change
    finally:
        _kill(proc)
    assert dump(store.published_replica(db)) == before
    assert store.reader(db).execute("SELECT count(*) FROM manufacturers WHERE manufacturer_id = 'MNEW'") \
        .fetchall() == [(0,)]
    assert import_paths(db, [folder]).ok
    assert store.reader(db).execute("SELECT name FROM manufacturers WHERE manufacturer_id = 'MNEW'") \
        .fetchall() == [("New brand",)]
    replicas_agree(db)


ACKING_WRITER = """
import sys
from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.conversation import threads
db, station, keys = sys.argv[1], sys.argv[2], __import__("json").loads(sys.argv[3])
for i in range(int(sys.argv[4])):
    iid, code, doc = keys[i % len(keys)]
    w = threads.comment(db, Viewer("st", Scope.station(station)), iid, code, f"{sys.argv[5]} {i}", doc_type=doc)
    print(w.entry.entry_id, flush=True)  # acknowledged: add_entry returned
"""


def _writer(db: Path, station: str, keys: list, count: int, tag: str) -> subprocess.Popen:
    env = {**os.environ, store.LAYOUT_ENV: "replicas"}
    return subprocess.Popen([sys.executable, "-c", ACKING_WRITER, str(db), station, json.dumps(keys), str(count), tag],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _keys_of(db: Path, station: str) -> list:
    return [list(k[:3]) for k in open_findings(db, 200) if k[4] == station]


def test_kill_9_of_a_writer_loses_no_acknowledged_entry(built, tmp_path):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    station = open_findings(db, 1)[0][4]
    proc = _writer(db, station, _keys_of(db, station), 1000, "acked")
    acked = []
    try:
        while len(acked) < 3:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()[-2000:]
            acked.append(int(line))
    finally:
        _kill(proc)
    acked += [int(x) for x in proc.stdout.read().split() if x.isdigit()]
    publishing.fold(db, wait=True)
    held = {r[0] for r in store.reader(db).execute("SELECT entry_id FROM finding_entries WHERE body LIKE 'acked %'")
            .fetchall()}
    assert set(acked) <= held
    replicas_agree(db)


def test_writers_in_several_processes_and_an_import_at_once(built, tmp_path, demo_files):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    stations = sorted({k[4] for k in open_findings(db, 200)})[:4]
    delta = tmp_path / "delta"
    _write(delta / "manufacturers.csv", [["manufacturer_id", "name"], ["MCON", "Imported meanwhile"]])
    writers = [_writer(db, s, _keys_of(db, s), 4, f"concurrent {s}") for s in stations]
    env = {**os.environ, store.LAYOUT_ENV: "replicas"}
    importer = subprocess.Popen([sys.executable, "-m", "analytics", "import", str(delta), "--db", str(db)],
                                cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acked = []
    for proc in writers:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        acked += [int(x) for x in out.split() if x.isdigit()]
    out, err = importer.communicate(timeout=600)
    assert importer.returncode == 0, err[-2000:]
    assert len(acked) == 4 * len(stations) == len(set(acked))
    publishing.fold(db, wait=True)
    con = store.reader(db)
    assert con.execute("SELECT count(*) FROM finding_entries WHERE body LIKE 'concurrent %'").fetchall() \
        == [(len(acked),)]
    assert con.execute("SELECT name FROM manufacturers WHERE manufacturer_id = 'MCON'").fetchall() \
        == [("Imported meanwhile",)]
    assert journal.pending_entries(db) == []
    replicas_agree(db)


READER = """
import sys, duckdb
con = duckdb.connect(":memory:")
con.execute("ATTACH $p AS s (READ_ONLY)", {"p": sys.argv[1]})
def count():
    return con.execute("SELECT count(*) FROM s.manufacturers").fetchall()[0][0]
print(count(), flush=True)
for line in sys.stdin:  # one query per line received, on the replica it opened
    print(count(), flush=True)
"""


def test_a_reader_in_another_process_never_waits_and_the_writer_waits_for_it(built, tmp_path):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    first = store.published_replica(db)
    start = store.reader(db).execute("SELECT count(*) FROM manufacturers").fetchall()[0][0]
    reader = subprocess.Popen([sys.executable, "-c", READER, str(first)], cwd=PROJECT_ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert int(reader.stdout.readline()) == start
    # A write lands on the other replica while the reader holds this one, and is published.
    with publishing.writer(db) as con:
        con.execute("INSERT INTO manufacturers VALUES ('MR1', 'one')")
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert int(reader.stdout.readline()) == start  # read during the write, at once: the old data
    assert store.published_replica(db) != first
    assert store.reader(db).execute("SELECT count(*) FROM manufacturers").fetchall()[0][0] == start + 1
    # The next write needs the replica the reader still holds: it waits for that reader to leave.
    import threading
    done = threading.Event()

    def second_write():
        with publishing.writer(db) as con:
            con.execute("INSERT INTO manufacturers VALUES ('MR2', 'two')")
        done.set()

    thread = threading.Thread(target=second_write)
    thread.start()
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert int(reader.stdout.readline()) == start  # its snapshot stays whole while the writer waits
    assert not done.is_set()
    reader.stdin.close()
    reader.wait(timeout=60)
    thread.join(timeout=120)
    assert done.is_set()
    assert store.reader(db).execute("SELECT count(*) FROM manufacturers").fetchall()[0][0] == start + 2
    replicas_agree(db)


def test_entry_command_acts_with_the_users_scope_and_rights(built, tmp_path, capsys):
    db = tmp_path / "store.duckdb"
    _copy_store(built, db)
    iid, code, doc, brand, station = open_findings(db, 1)[0]
    from analytics.access import users
    users.add_user(db, "brand-user", "password-12345", "manufacturer", manufacturer_id=brand)
    users.add_user(db, "station-user", "password-12345", "station", station_id=station)
    base = ["entry", "--db", str(db), "--intervention", iid, "--code", code, "--doc-type", doc]
    assert main([*base, "--user", "station-user", "--kind", "justification", "--body", "as agreed"]) == 0
    assert main([*base, "--user", "brand-user", "--kind", "waive", "--body", "accepted"]) == 0
    out = capsys.readouterr().out
    assert f"on {iid} {code}" in out and "waive" in out and "status of" in out
    assert store.reader(db).execute(
        "SELECT settled, state FROM finding_decisions WHERE intervention_id = $i AND code = $c AND doc_type = $d",
        {"i": iid, "c": code, "d": doc}).fetchall() == [(True, "waived")]
    # refused: a station may not waive; an unknown user; another station's intervention
    assert main([*base, "--user", "station-user", "--kind", "waive", "--body", "x"]) == 1
    assert "may not write a 'waive' entry" in capsys.readouterr().err
    assert main([*base, "--user", "nobody", "--kind", "comment", "--body", "x"]) == 1
    assert "no user 'nobody'" in capsys.readouterr().err
    other = next(k for k in open_findings(db, 200) if k[4] != station)
    assert main(["entry", "--db", str(db), "--user", "station-user", "--intervention", other[0], "--code", other[1],
                 "--kind", "comment", "--body", "x"]) == 1
    assert "not one of station" in capsys.readouterr().err
    # usage errors
    with pytest.raises(SystemExit) as exit_info:
        main([*base, "--user", "station-user", "--kind", "bogus", "--body", "x"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main([*base, "--user", "station-user", "--kind", "document_sent", "--received-on", "2024-13-01", "--body", ""])
    assert exit_info.value.code == 2
    assert "is not a date written YYYY-MM-DD" in capsys.readouterr().err
