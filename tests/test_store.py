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
