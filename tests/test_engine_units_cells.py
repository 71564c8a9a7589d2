"""The engine's two shortcuts for an incremental refresh, hand-computed on the engine fixture
(tests/engine_fixture.py):

* comebacks find a unit's other interventions by an integer ``unit_key`` (``intervention_units``, a
  hash of manufacturer and serial): two units whose keys collide are still told apart;
* the rollups' month rows are updated by sums (the stored row, plus the changed facts rows' new day
  cells, minus their old ones): a cell whose last intervention leaves has no row any more, and the
  tables equal the full rebuild.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from tests import engine_fixture as fx
from analytics.engine import changes, models

D = dt.date.fromisoformat


def add_intervention(con, iid: str, **values) -> None:
    row = dict(fx.DEFAULTS, intervention_id=iid, serial_number=f"SER-{iid}")
    row.update(values)
    con.execute(fx.INSERT_INTERVENTION.replace("INSERT INTO", "INSERT OR REPLACE INTO", 1),
                [row[c] for c in fx.INTERVENTION_COLUMNS])
    con.execute("INSERT OR REPLACE INTO documents (intervention_id, doc_type, received_on) VALUES (?, 'technician_report', ?)",
                [iid, row["submitted_on"]])
    changes.start(con)
    changes.record(con, "intervention", [iid])
    changes.record(con, "document", [iid])


def tables(con) -> dict[str, list[tuple]]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in models.rebuild_equal_tables()}


def assert_equals_full_rebuild(con) -> None:
    got = tables(con)
    models.refresh(con)
    for table, rows in tables(con).items():
        assert got[table] == rows, table


def test_two_units_whose_keys_collide_are_not_joined():
    con = fx.build()
    # A_LAB15: M01, serial SER-A_LAB15, completed 2024-03-02. K1 is another unit (SER-OTHER), requested
    # 2024-03-20: 18 days later, within the repeat window, but not the same unit.
    add_intervention(con, "K1", serial_number="SER-OTHER", requested_on=D("2024-03-20"),
                     completed_on=D("2024-03-21"), submitted_on=D("2024-03-22"))
    assert models.refresh_pending(con).mode == "incremental"
    # a collision, simulated: K1's unit key is set to A_LAB15's
    con.execute("""UPDATE intervention_units SET unit_key = hash('M01', 'SER-A_LAB15')
                   WHERE iv_key = (SELECT iv_key FROM interventions WHERE intervention_id = 'K1')""")
    # K2 comes back to A_LAB15 (same unit, gap 18 days): the unit's key finds A_LAB15, K1 and K2; only
    # the real unit is paired
    add_intervention(con, "K2", serial_number="SER-A_LAB15", requested_on=D("2024-03-20"),
                     completed_on=D("2024-03-21"), submitted_on=D("2024-03-22"))
    assert models.refresh_pending(con).mode == "incremental"
    assert con.execute("SELECT first_intervention_id, comeback_intervention_id, gap_days FROM comebacks "
                       "WHERE 'K1' IN (first_intervention_id, comeback_intervention_id) "
                       "OR 'K2' IN (first_intervention_id, comeback_intervention_id)").fetchall() == [("A_LAB15", "K2", 18)]
    assert "REPEAT_REPAIR" in [r[0] for r in con.execute("SELECT code FROM findings WHERE intervention_id = 'K2'").fetchall()]
    assert "REPEAT_REPAIR" not in [r[0] for r in con.execute("SELECT code FROM findings WHERE intervention_id = 'K1'").fetchall()]
    comebacks = con.execute("SELECT * FROM comebacks ORDER BY ALL").fetchall()
    models.refresh(con)  # gives K1 its true key back: the same pairs
    assert con.execute("SELECT * FROM comebacks ORDER BY ALL").fetchall() == comebacks


def test_the_unit_key_is_the_hash_of_manufacturer_and_serial():
    con = fx.build()
    assert con.execute("""SELECT count(*) FROM interventions i JOIN intervention_units u USING (iv_key)
                          WHERE u.unit_key IS DISTINCT FROM hash(i.manufacturer_id, i.serial_number)""").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM intervention_units").fetchall() == \
        con.execute("SELECT count(*) FROM interventions").fetchall()


CELL = "manufacturer_id = 'M01' AND station_id = 'S_DE' AND month = ?"


def month_row(con, month: str):
    return con.execute(f"SELECT n, n_ftf, rating_sum, rating_n FROM rollup_intervention_cells WHERE {CELL}", [month]).fetchall()


def tat_hist(con, month: str):
    return con.execute(f"SELECT value, n FROM rollup_day_hist WHERE measure = 'tat_days' AND {CELL} ORDER BY value",
                       [month]).fetchall()


def test_a_month_row_follows_its_interventions_and_goes_when_the_last_leaves():
    con = fx.build()
    assert month_row(con, "2025-07") == [] and month_row(con, "2025-08") == []
    # two interventions in July 2025 (nothing else in that month): tat 2 and 5 days, visits 1 and 2,
    # ratings 4 and none
    add_intervention(con, "K1", requested_on=D("2025-07-10"), completed_on=D("2025-07-12"),
                     submitted_on=D("2025-07-13"), customer_rating=4)
    add_intervention(con, "K2", requested_on=D("2025-07-01"), completed_on=D("2025-07-06"),
                     submitted_on=D("2025-07-07"), visits=2)
    changes.record(con, "intervention", ["K1"])  # both in one change set
    assert models.refresh_pending(con).mode == "incremental"
    assert month_row(con, "2025-07") == [(2, 1, 4, 1)]
    assert tat_hist(con, "2025-07") == [(2, 1), (5, 1)]
    # K2 corrected into August: July keeps K1 only, August gets K2
    add_intervention(con, "K2", requested_on=D("2025-08-01"), completed_on=D("2025-08-06"),
                     submitted_on=D("2025-08-07"), visits=2)
    assert models.refresh_pending(con).mode == "incremental"
    assert month_row(con, "2025-07") == [(1, 1, 4, 1)]
    assert tat_hist(con, "2025-07") == [(2, 1)]
    assert month_row(con, "2025-08") == [(1, 0, 0, 0)]
    assert tat_hist(con, "2025-08") == [(5, 1)]
    # K1 corrected into August too: July has no row left (count 0), August has both
    add_intervention(con, "K1", requested_on=D("2025-08-10"), completed_on=D("2025-08-12"),
                     submitted_on=D("2025-08-13"), customer_rating=4)
    assert models.refresh_pending(con).mode == "incremental"
    assert month_row(con, "2025-07") == []
    assert tat_hist(con, "2025-07") == []
    assert month_row(con, "2025-08") == [(2, 1, 4, 1)]
    assert tat_hist(con, "2025-08") == [(2, 1), (5, 1)]
    assert_equals_full_rebuild(con)


def test_the_fingerprint_names_duckdbs_version(monkeypatch):
    # the derived tables keep hash() values (unit_key, combo_id): another DuckDB version rebuilds them
    now = models.fingerprint()
    monkeypatch.setattr(duckdb, "__version__", "0.0.1")
    models.fingerprint.cache_clear()
    try:
        assert models.fingerprint() != now
    finally:
        monkeypatch.undo()
        models.fingerprint.cache_clear()
    assert models.fingerprint() == now
