"""A store built by an older engine is rebuilt once, and only when the engine changed."""
from analytics.engine import models
from analytics.core import store
from analytics.engine import publishing


def test_store_built_by_an_older_engine_is_rebuilt(tmp_path):
    path = tmp_path / "s.duckdb"
    publishing.ensure_store(path)
    assert models.is_current(store.reader(path))
    assert publishing.ensure_current(path) is False  # nothing to do: same engine
    with store.writer(path) as con:  # as if an older release had built it
        con.execute("UPDATE engine_state SET fingerprint = 'older'")
    assert not models.is_current(store.reader(path))
    assert publishing.ensure_current(path) is True
    assert models.is_current(store.reader(path))
    tables = {r[0] for r in store.reader(path).execute("SHOW TABLES").fetchall()}
    assert {"intervention_status", "findings", "intervention_facts"} <= tables
