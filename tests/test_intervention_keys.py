"""The engine's integer key per intervention (`interventions.iv_key`, migration 007): given at an
intervention's first import (the store's largest key + 1, 2, … in file order), kept when it is
re-imported, given by the migration to an existing store's interventions in intervention_id order, and
never shown (export, the intervention's report)."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from analytics.contract.export import export
from analytics.contract.importer import import_paths
from analytics.core import sql, store
from analytics.engine import models
from analytics.access.scope import Scope
from analytics.verification import queue
from tests import import_support as support


def keys(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT intervention_id, iv_key FROM interventions").fetchall())
    finally:
        con.close()


def rows_of(folder: Path) -> list[list[str]]:
    with open(folder / "interventions.csv", newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_interventions(folder: Path, header: list[str], rows: list[list[str]]) -> Path:
    folder.mkdir(parents=True)
    with open(folder / "interventions.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    return folder


@pytest.fixture()
def imported(tmp_path) -> Path:
    """The good fixture imported into a new store (its 4 interventions, I001…I004 in file order)."""
    db = tmp_path / "s.duckdb"
    assert import_paths(db, [support.GOOD]).ok
    return db


def test_a_first_import_numbers_the_interventions_in_file_order(imported):
    assert keys(imported) == {"I001": 1, "I002": 2, "I003": 3, "I004": 4}


def test_new_interventions_get_the_next_keys_in_file_order_and_a_reimport_keeps_its_key(imported, tmp_path):
    header, *good = rows_of(support.GOOD)
    i002 = next(r for r in good if r[0] == "I002")
    changed = list(i002)
    changed[header.index("labor_minutes")] = "161"  # I002 re-imported with a correction
    new_b = [("I900" if c == "intervention_id" else "SN900" if c == "serial_number" else v)
             for c, v in zip(header, i002)]
    new_a = [("I100" if c == "intervention_id" else "SN100" if c == "serial_number" else v)
             for c, v in zip(header, i002)]
    # file order I900, I002 (known), I100: the new ones get 5 then 6, whatever their text order
    folder = write_interventions(tmp_path / "delta", header, [new_b, changed, new_a])
    result = import_paths(imported, [folder])
    assert result.ok, result.problems
    assert keys(imported) == {"I001": 1, "I002": 2, "I003": 3, "I004": 4, "I900": 5, "I100": 6}
    con = duckdb.connect(str(imported), read_only=True)
    try:  # the correction landed on the same key, and the engine's rows carry it
        assert con.execute("SELECT labor_minutes, iv_key FROM interventions WHERE intervention_id = 'I002'"
                           ).fetchall() == [(161, 2)]
        assert con.execute("SELECT intervention_id, iv_key FROM intervention_facts ORDER BY iv_key").fetchall() == [
            ("I001", 1), ("I002", 2), ("I003", 3), ("I004", 4), ("I900", 5), ("I100", 6)]
    finally:
        con.close()


def test_two_files_of_one_import_are_numbered_file_by_file(imported, tmp_path):
    header, *good = rows_of(support.GOOD)
    base = good[0]

    def row(iid: str) -> list[str]:
        return [(iid if c == "intervention_id" else "SN" + iid if c == "serial_number" else v)
                for c, v in zip(header, base)]
    # files are read in name order: a/… before b/…; rows in file order
    write_interventions(tmp_path / "delta" / "b", header, [row("I500")])
    write_interventions(tmp_path / "delta" / "a", header, [row("I700"), row("I600")])
    assert import_paths(imported, [tmp_path / "delta" / "b", tmp_path / "delta" / "a"]).ok
    got = keys(imported)
    assert sorted(got[i] for i in ("I500", "I600", "I700")) == [5, 6, 7]
    assert got["I700"] < got["I600"]  # one file's rows keep their order


def test_the_migration_numbers_an_existing_stores_interventions_in_id_order(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    for version, name in store.migrations():
        if version < 7:  # the store as it was before the key
            sql.run_script(con, name)
            con.execute("INSERT INTO schema_version VALUES ($v, now())", {"v": version})
    assert "iv_key" not in [r[0] for r in con.execute("DESCRIBE interventions").fetchall()]
    from tests import engine_fixture as fx
    fx.load(con)  # rows written in the fixture's order, not in id order
    written = [r[0] for r in con.execute("SELECT intervention_id FROM interventions ORDER BY rowid").fetchall()]
    assert written != sorted(written)
    con.execute("INSERT INTO status_history VALUES ('A_LAB15', 'ready', '', '', TIMESTAMP '2025-01-01', NULL)")
    assert 7 in store.migrate(con)
    got = dict(con.execute("SELECT intervention_id, iv_key FROM interventions").fetchall())
    assert got == {iid: n for n, iid in enumerate(sorted(written), start=1)}
    assert con.execute("SELECT iv_key FROM status_history").fetchall() == [(got["A_LAB15"],)]
    # the engine's first refresh after the upgrade is a full one and carries the keys
    assert not models.is_current(con)
    models.refresh(con)
    assert con.execute("SELECT count(*) FROM intervention_facts f JOIN interventions i USING (intervention_id) "
                       "WHERE f.iv_key IS DISTINCT FROM i.iv_key").fetchall() == [(0,)]
    con.close()


def test_rows_written_without_the_importer_get_keys_at_the_next_refresh(tmp_path):
    from tests import engine_fixture as fx
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    store.migrate(con)
    fx.load(con)
    assert con.execute("SELECT count(*) FROM interventions WHERE iv_key IS NOT NULL").fetchall() == [(0,)]
    models.refresh(con)
    ids = sorted(r[0] for r in con.execute("SELECT intervention_id FROM interventions").fetchall())
    assert dict(con.execute("SELECT intervention_id, iv_key FROM interventions").fetchall()) == {
        iid: n for n, iid in enumerate(ids, start=1)}
    con.close()


def test_the_key_is_never_shown(imported, tmp_path):
    out = tmp_path / "export"
    export(imported, out)
    internal = ("iv_key", "unit_key")  # the engine's keys: of the intervention, of its unit (intervention_units)
    for csv_file in out.glob("*.csv"):
        assert not any(key in csv_file.read_text(encoding="utf-8").splitlines()[0] for key in internal)
    con = store.reader(imported)
    try:  # the intervention's report (the verification detail) reads every column of its tables
        shown = sql.fetch_df(con, "verification/intervention", {**Scope.manager().params(), "intervention_id": "I001"})
        assert len(shown) == 1 and not any(key in shown.columns for key in internal)
        report = queue.intervention_detail(con, Scope.manager(), "I001")
        assert not any(key in report["report"] for key in internal)
    finally:
        store.close_readers()


def test_a_document_and_an_invoice_line_carry_their_interventions_key(imported, tmp_path):
    con = duckdb.connect(str(imported), read_only=True)
    try:
        for table in ("documents", "invoice_lines"):
            assert con.execute(f"SELECT count(*) FROM {table} t JOIN interventions i USING (intervention_id) "
                               "WHERE t.iv_key IS DISTINCT FROM i.iv_key").fetchall() == [(0,)]
        invoice_id, line_no, old = con.execute(
            "SELECT invoice_id, line_no, intervention_id FROM invoice_lines ORDER BY ALL LIMIT 1").fetchall()[0]
        other = con.execute("SELECT min(intervention_id) FROM interventions WHERE intervention_id <> ?", [old]
                            ).fetchall()[0][0]
        with open(support.GOOD / "invoice_lines.csv", newline="", encoding="utf-8") as fh:
            header, *lines = list(csv.reader(fh))
    finally:
        con.close()
    # the line is re-imported naming another intervention: it takes that intervention's key
    line = next(r for r in lines if r[0] == invoice_id and r[1] == str(line_no))
    line[header.index("intervention_id")] = other
    folder = tmp_path / "moved"
    folder.mkdir()
    with open(folder / "invoice_lines.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, line])
    result = import_paths(imported, [folder])
    assert result.ok, result.problems
    con = duckdb.connect(str(imported), read_only=True)
    try:
        assert con.execute("SELECT iv_key FROM invoice_lines WHERE invoice_id = ? AND line_no = ?",
                           [invoice_id, line_no]).fetchall() == [(keys(imported)[other],)]
    finally:
        con.close()
