"""Idempotence, replacement by key, verbatim text, and the xlsx / parquet / zip inputs."""
from __future__ import annotations

import csv
import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from tests.import_support import engine_off, GOOD, copy_good, no_engine, restore_engine, snapshot, table_rows, write  # noqa: F401

from analytics.contract.importer import UsageError, import_paths

@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The store the CSV fixture gives (what every other format must reproduce)."""
    no_engine()
    try:
        db = tmp_path_factory.mktemp("ref") / "store.duckdb"
        assert import_paths(db, [GOOD]).ok
        return snapshot(db)
    finally:
        restore_engine()


def _contract_part(snap):
    return {k: v for k, v in snap.items() if k not in ("policy_files",)}


def test_landed_values_are_typed_and_trimmed(tmp_path):
    db = tmp_path / "s.duckdb"
    result = import_paths(db, [GOOD])
    assert result.ok
    assert result.rows_by_table == {"manufacturers": 2, "stations": 3, "interventions": 4, "documents": 4,
                                    "invoices": 3, "invoice_lines": 5, "disputes": 2, "fx_rates": 2, "policies": 1}
    assert ("S01", "Atelier Dupont", "FR", "FR10", "Paris") in table_rows(db, "stations")
    rows = {r[0]: r for r in table_rows(db, "interventions")}
    assert rows["I001"][14] == Decimal("12.500000") and rows["I001"][15] == Decimal("40.00")
    assert rows["I003"][6] is None and rows["I003"][17] is None  # empty optional -> NULL
    assert rows["I002"][10] == dt.date(2024, 2, 12)
    log = table_rows(db, "import_log")
    assert len(log) == 1 and '"interventions": 4' in log[0][3]


def test_import_twice_is_import_once(tmp_path, reference):
    db = tmp_path / "s.duckdb"
    assert import_paths(db, [GOOD]).ok
    assert import_paths(db, [GOOD]).ok
    assert snapshot(db) == reference
    assert len(table_rows(db, "import_log")) == 2


def test_a_changed_row_replaces_the_old_one(tmp_path):
    db = tmp_path / "s.duckdb"
    assert import_paths(db, [GOOD]).ok
    write(tmp_path / "upd", "disputes.csv",
          "dispute_id,invoice_id,intervention_id,opened_on,opened_by,reason,disputed_amount,resolved_on,outcome,settled_amount\n"
          "D002,F002,I003,2024-03-12,station,OTHER,20.00,2024-04-01,station,20.00\n")
    assert import_paths(db, [tmp_path / "upd"]).ok
    disputes = {r[0]: r for r in table_rows(db, "disputes")}
    assert len(disputes) == 2
    assert disputes["D002"][7] == dt.date(2024, 4, 1) and disputes["D002"][8] == "station"
    assert disputes["D001"][8] == "split"  # untouched


TRICKY = ['=HYPERLINK("http://x","y")', "'); DROP TABLE stations; --", "<script>alert(1)</script>",
          "inner  spaces\tkept", 'a "quoted", comma']


def test_text_is_stored_verbatim_and_trimmed_at_the_edges(tmp_path):
    db = tmp_path / "s.duckdb"
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "manufacturers.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["manufacturer_id", "name"])
        for i, text in enumerate(TRICKY):
            out.writerow([f"  M{i}  ", f"   {text}  "])
    assert import_paths(db, [folder]).ok
    assert table_rows(db, "manufacturers") == sorted([(f"M{i}", t) for i, t in enumerate(TRICKY)], key=repr)
    assert table_rows(db, "stations") == []  # the table is still there


def _write_xlsx(path: Path, folder: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table_file in sorted(folder.glob("*.csv")):
        sheet = book.create_sheet(table_file.stem)
        with open(table_file, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.reader(fh)):
                cells = []
                for value in row:
                    # Typed cells as a spreadsheet would hold them: numbers and dates.
                    if i and value and all(c.isdigit() for c in value):
                        cells.append(int(value))
                    elif i and len(value) == 10 and value[4] == "-" and value[7] == "-":
                        cells.append(dt.datetime.strptime(value, "%Y-%m-%d"))
                    else:
                        cells.append(value or None)
                sheet.append(cells)
        sheet.append([None] * 3)  # a trailing blank row, as spreadsheets often have
    book.create_sheet("notes").append(["not a table"])
    book.save(path)


def test_xlsx_workbook(tmp_path, reference):
    db = tmp_path / "s.duckdb"
    _write_xlsx(tmp_path / "data.xlsx", GOOD)
    result = import_paths(db, [tmp_path / "data.xlsx", GOOD / "policies" / "M01.toml"])
    assert result.ok, result.problems
    assert [w.rule for w in result.warnings] == ["unknown sheet"]
    assert _contract_part(snapshot(db)) == _contract_part(reference)


def test_xlsx_problem_names_the_sheet_and_row(tmp_path):
    db = tmp_path / "s.duckdb"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "stations"
    sheet.append(["station_id", "name", "country"])
    sheet.append(["S1", "A", "FR"])
    sheet.append(["S2", "B", "Germany"])
    book.save(tmp_path / "st.xlsx")
    result = import_paths(db, [tmp_path / "st.xlsx"])
    assert not result.ok
    assert [(p.file, p.row, p.column, p.rule) for p in result.problems] == [
        ("st.xlsx:stations", 2, "country", "country code")]
    assert not db.exists()


def test_parquet_files(tmp_path, reference):
    db = tmp_path / "s.duckdb"
    folder = tmp_path / "pq"
    folder.mkdir()
    con = duckdb.connect()
    for table_file in GOOD.glob("*.csv"):
        # Typed parquet (dates, numbers), as a warehouse would write it.
        con.execute(f"COPY (SELECT * FROM read_csv('{table_file}')) TO '{folder / (table_file.stem + '.parquet')}'")
    con.close()
    (folder / "policies").mkdir()
    (folder / "policies" / "M01.toml").write_text((GOOD / "policies" / "M01.toml").read_text())
    result = import_paths(db, [folder])
    assert result.ok, result.problems
    assert snapshot(db) == reference


def test_zip_of_a_folder(tmp_path, reference):
    db = tmp_path / "s.duckdb"
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in GOOD.rglob("*"):
            if path.is_file():
                zf.write(path, "export/" + str(path.relative_to(GOOD)))
    result = import_paths(db, [archive])
    assert result.ok, result.problems
    assert snapshot(db) == reference
    # Problems inside an archive name the archive and the member.
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("stations.csv", "station_id,name,country\nS9,,FR\n")
    result = import_paths(db, [bad])
    assert [(p.file, p.row, p.column, p.rule) for p in result.problems] == [("bad.zip:stations.csv", 1, "name", "required")]


def test_single_files_and_usage_errors(tmp_path):
    db = tmp_path / "s.duckdb"
    folder = copy_good(tmp_path / "g")
    assert import_paths(db, [folder / "manufacturers.csv", folder / "stations.csv"]).ok
    with pytest.raises(UsageError, match="no such file"):
        import_paths(db, [tmp_path / "missing"])
    write(tmp_path, "data.json", "{}")
    with pytest.raises(UsageError, match="unsupported"):
        import_paths(db, [tmp_path / "data.json"])
    write(tmp_path, "clients.csv", "a\n")
    with pytest.raises(UsageError, match="named after a table"):
        import_paths(db, [tmp_path / "clients.csv"])
