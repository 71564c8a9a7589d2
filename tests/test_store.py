"""The store's lifecycle: migrations, readers that follow publishes, atomic writers."""
import duckdb
import pytest

from analytics.core import store


def test_new_store_is_migrated_to_latest(tmp_path):
    path = tmp_path / "s.duckdb"
    store.ensure_store(path)
    con = store.reader(path)
    assert store.schema_version(con) == store.LATEST_SCHEMA_VERSION
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert {"manufacturers", "stations", "interventions", "documents", "invoices",
            "invoice_lines", "disputes", "fx_rates"} <= tables


def test_failed_writer_leaves_store_unchanged(tmp_path):
    path = tmp_path / "s.duckdb"
    with store.writer(path) as con:
        con.execute("INSERT INTO manufacturers VALUES ('M1', 'One')")
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        with store.writer(path) as con:
            con.execute("INSERT INTO manufacturers VALUES ('M2', 'Two')")
            raise RuntimeError("boom")
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp*"))


def test_reader_sees_publish_without_restart(tmp_path):
    path = tmp_path / "s.duckdb"
    store.ensure_store(path)
    first = store.reader(path)
    assert first.execute("SELECT count(*) FROM manufacturers").fetchall() == [(0,)]
    with store.writer(path) as con:
        con.execute("INSERT INTO manufacturers VALUES ('M1', 'One')")
    # the old cursor still reads its own snapshot; the next view sees the new store
    assert first.execute("SELECT count(*) FROM manufacturers").fetchall() == [(0,)]
    assert store.reader(path).execute("SELECT count(*) FROM manufacturers").fetchall() == [(1,)]


def test_second_writer_is_refused_when_not_waiting(tmp_path):
    path = tmp_path / "s.duckdb"
    store.ensure_store(path)
    with store.writer(path):
        with pytest.raises(store.StoreBusy, match="another import"):
            with store.writer(path, wait=False):
                pass


def test_migration_upgrades_older_store_in_place(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    con.close()
    with store.writer(path):
        pass
    assert store.schema_version(store.reader(path)) == store.LATEST_SCHEMA_VERSION


def _names(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT manufacturer_id FROM manufacturers ORDER BY 1").fetchall()]


def _replica_names(path) -> list[list[str]]:
    """The manufacturers each replica holds, read from the files themselves."""
    out = []
    for replica in store.replica_paths(path):
        con = duckdb.connect(str(replica), read_only=True)
        try:
            out.append(_names(con))
        finally:
            con.close()
    return out


@pytest.mark.parametrize("layout", ["replicas", "copy"])
def test_a_new_store_takes_the_layout_wanted_and_writes_keep_it(tmp_path, monkeypatch, layout):
    monkeypatch.setenv(store.LAYOUT_ENV, layout)
    path = tmp_path / "s.duckdb"
    store.ensure_store(path)
    assert store.is_replicated(path) == (layout == "replicas")
    if layout == "replicas":  # made by a rename: one replica; the other is made at the first write
        assert store.published_replica(path).name == "s.duckdb.r0"
        assert not (tmp_path / "s.duckdb.r1").exists()
    with store.writer(path) as con:
        con.execute("INSERT INTO manufacturers VALUES ('M1', 'One')")
    assert store.is_replicated(path) == (layout == "replicas")
    assert _names(store.reader(path)) == ["M1"]
    store.close_readers()
    if layout == "replicas":
        store.catch_up(path)
        assert _replica_names(path) == [["M1"], ["M1"]]


def test_install_replaces_a_replicated_store_whole_by_renames(tmp_path, monkeypatch):
    monkeypatch.setenv(store.LAYOUT_ENV, "replicas")
    path = tmp_path / "s.duckdb"
    with store.writer(path) as con:
        con.execute("INSERT INTO manufacturers VALUES ('OLD', 'Old')")
    with store.writer(path) as con:  # both replicas exist now
        con.execute("INSERT INTO manufacturers VALUES ('OLD2', 'Old too')")
    assert store.is_replicated(path) and all(r.exists() for r in store.replica_paths(path))
    old_reader = store.reader(path)
    built = tmp_path / "built" / "s.duckdb"
    built.parent.mkdir()
    with store.writer(built, layout="copy") as con:
        con.execute("INSERT INTO manufacturers VALUES ('NEW', 'New')")
    assert not store.is_replicated(built)
    built_inode = built.stat().st_ino
    store.install(path, built)
    assert not built.exists() and store.published_replica(path).stat().st_ino == built_inode  # renamed, not copied
    assert [r.exists() for r in store.replica_paths(path)].count(True) == 1  # the old store's replica is gone
    assert _names(old_reader) == ["OLD", "OLD2"]  # a reader of the old store keeps its snapshot
    assert _names(store.reader(path)) == ["NEW"]
    with store.writer(path) as con:  # the next write copies the new store to the other replica
        con.execute("INSERT INTO manufacturers VALUES ('NEW2', 'New too')")
    store.close_readers()
    store.catch_up(path)
    assert _replica_names(path) == [["NEW", "NEW2"], ["NEW", "NEW2"]]


@pytest.mark.parametrize("layout", ["replicas", "copy"])
def test_copy_gives_a_store_of_its_own_with_the_published_data(tmp_path, monkeypatch, layout):
    monkeypatch.setenv(store.LAYOUT_ENV, layout)
    source = tmp_path / "a.duckdb"
    with store.writer(source) as con:
        con.execute("INSERT INTO manufacturers VALUES ('M1', 'One')")
    target = tmp_path / "b.duckdb"
    store.copy(source, target)
    assert store.is_replicated(target) == (layout == "replicas") and _names(store.reader(target)) == ["M1"]
    with store.writer(target) as con:
        con.execute("INSERT INTO manufacturers VALUES ('M2', 'Two')")
    assert _names(store.reader(target)) == ["M1", "M2"] and _names(store.reader(source)) == ["M1"]
    with pytest.raises(store.StoreError, match="already a store"):
        store.copy(source, target)
