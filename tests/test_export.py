"""Export: contract files that an import accepts; export then import into an empty store
reproduces the same store (every contract table, the policies, the finding threads)."""
from __future__ import annotations

import csv
import datetime as dt

import duckdb
import pytest

from tests.import_support import engine_off, GOOD, snapshot, table_rows, write  # noqa: F401

from analytics.billing.parties import parties_of
from analytics.core import store
from analytics.engine import publishing
from analytics.__main__ import main
from analytics.contract.tables import TABLES_BY_NAME
from analytics.contract.export import export
from analytics.contract.importer import import_paths

TRICKY = ['=HYPERLINK("http://x","y")', "'); DROP TABLE stations; --", "<script>alert(1)</script>",
          "line\nbreak and, comma", "Łódź — ünïcode"]

@pytest.fixture
def full_store(tmp_path):
    db = tmp_path / "a.duckdb"
    assert import_paths(db, [GOOD]).ok
    folder = tmp_path / "extra"
    with open(write(folder, "stations.csv", ""), "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["station_id", "name", "country", "region", "city"])
        for i, text in enumerate(TRICKY):
            out.writerow([f"X{i}", text, "FR", "", f"  {text}  "])
    party = "legal_name,street,city,postcode,address_country,vat_id,registration_id,iban,bic"
    write(folder, "station_legal.csv",
          f"station_id,{party}\n"
          "S01,Atelier Dupont SARL,12 rue de la Paix,Paris,75002,FR,FR40303265045,RCS 303265045,"
          "FR1420041010050500013M02606,PSSTFRPPXXX\n"
          f'X1,"{TRICKY[1]}",,,,FR,,,,\n')
    write(folder, "manufacturer_legal.csv",
          f"manufacturer_id,{party}\nM01,\"Lumière, SA\",\"1 place Bellecour\nbâtiment B\",Lyon,69002,FR,,,,\n")
    write(folder, "billing_entities.csv",
          f"manufacturer_id,country,{party}\n"
          "M01,PL,Lumière Polska sp. z o.o.,,Kraków,30-001,PL,PL8567346215,KRS 0000123456,PL61109010140000071219812874,\n"
          "M01,DE,Lumière Deutschland GmbH,,,,DE,DE136695976,,DE89370400440532013000,COBADEFFXXX\n")
    result = import_paths(db, [folder])
    assert result.ok, result.problems
    with publishing.writer(db) as con:
        con.executemany(
            "INSERT INTO finding_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(1, "I003", "DOC_MISSING", "proof_of_purchase", "comment", "anna", "manufacturer",
              dt.datetime(2024, 3, 9, 10, 15, 30, 123456), "Please send <b>the</b> receipt; =1+1", None, None),
             (2, "I003", "DOC_MISSING", "proof_of_purchase", "document_sent", "piotr", "station",
              dt.datetime(2024, 3, 10, 8, 0), "sent", "proof_of_purchase", dt.date(2024, 3, 10)),
             (3, "I001", "AMOUNT_MISMATCH", "", "waive", "anna", "manufacturer",
              dt.datetime(2024, 3, 11, 9, 0), "", None, None),
             (4, "I002", "AMOUNT_MISMATCH", "", "comment", "anna", "manufacturer",
              dt.datetime(2024, 3, 11, 9, 5), "  indented, and trailing spaces kept  ", None, None)],
        )
    return db


def test_export_then_import_reproduces_the_store(full_store, tmp_path):
    out = tmp_path / "out"
    written = export(full_store, out)
    assert written["interventions"] == 4 and written["finding_entries"] == 4 and written["policies"] == 1
    assert (out / "policies" / "M01.toml").read_text(encoding="utf-8") == (GOOD / "policies" / "M01.toml").read_text(encoding="utf-8")
    fresh = tmp_path / "b.duckdb"
    result = import_paths(fresh, [out])
    assert result.ok, result.problems
    before, after = snapshot(full_store), snapshot(fresh)
    for table in before:
        assert after[table] == before[table], table
    assert len(before["finding_entries"]) == 4 and len(before["policy_values"]) > 10
    # the invoice parties come back too, identifiers and multi-line addresses exactly
    assert [len(before[t]) for t in ("station_legal", "manufacturer_legal", "billing_entities")] == [2, 1, 2]
    assert written["station_legal"] == 2 and written["billing_entities"] == 2
    assert ("M01", "DE", "Lumière Deutschland GmbH", None, None, None, "DE", "DE136695976", None,
            "DE89370400440532013000", "COBADEFFXXX") in after["billing_entities"]
    assert after["manufacturer_legal"][0][2] == "1 place Bellecour\nbâtiment B"
    # a finding thread is a journal: its text comes back exactly, spaces included
    assert ("  indented, and trailing spaces kept  " in {r[8] for r in after["finding_entries"]})


def test_exported_files_follow_the_contract(full_store, tmp_path):
    out = tmp_path / "out"
    export(full_store, out)
    for name, table in TABLES_BY_NAME.items():
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == table.column_names, name
    with open(out / "invoice_lines.csv", encoding="utf-8", newline="") as fh:
        lines = {(r["invoice_id"], r["line_no"]): r for r in csv.DictReader(fh)}
    assert lines[("F001", "2")]["amount"] == "44.00"      # money keeps its two decimals
    assert lines[("F001", "2")]["vat_rate"] == "0.2"      # rates without float noise or padding
    with open(out / "interventions.csv", encoding="utf-8", newline="") as fh:
        itv = {r["intervention_id"]: r for r in csv.DictReader(fh)}
    assert itv["I003"]["purchase_date"] == "" and itv["I003"]["requested_on"] == "2024-03-01"
    assert itv["I001"]["travel_km"] == "12.5"
    with open(out / "stations.csv", encoding="utf-8", newline="") as fh:
        names = {r["station_id"]: r["name"] for r in csv.DictReader(fh)}
    assert [names[f"X{i}"] for i in range(len(TRICKY))] == TRICKY  # text exported verbatim


def test_finding_entries_are_only_appended(full_store, tmp_path):
    out = tmp_path / "out"
    export(full_store, out)
    text = (out / "finding_entries.csv").read_text(encoding="utf-8")
    (out / "finding_entries.csv").write_text(text.replace('"Please send', '"CHANGED send'), encoding="utf-8")
    assert "CHANGED send" in (out / "finding_entries.csv").read_text(encoding="utf-8")
    before = table_rows(full_store, "finding_entries")
    assert import_paths(full_store, [out / "finding_entries.csv"]).ok
    assert table_rows(full_store, "finding_entries") == before  # existing entries never change
    write(tmp_path / "new", "finding_entries.csv",
          "entry_id,intervention_id,code,doc_type,kind,author,author_role,written_at,body,sent_doc_type,sent_doc_received_on\n"
          "5,I002,AMOUNT_MISMATCH,,confirm,anna,manufacturer,2024-03-12 09:00:00,ok,,\n")
    assert import_paths(full_store, [tmp_path / "new"]).ok
    assert len(table_rows(full_store, "finding_entries")) == 5


def test_export_command(full_store, tmp_path, capsys):
    assert main(["export", str(tmp_path / "cli"), "--db", str(full_store)]) == 0
    assert "interventions: 4 rows" in capsys.readouterr().out
    assert (tmp_path / "cli" / "fx_rates.csv").exists()
    assert main(["export", str(tmp_path / "cli2"), "--db", str(tmp_path / "missing.duckdb")]) == 1


def test_a_store_from_before_the_party_tables(tmp_path):
    """A store published before migration 003 (no party tables) exports header-only party
    files; parties_of says the store must be upgraded; the next import upgrades it."""
    db = tmp_path / "old.duckdb"
    assert import_paths(db, [GOOD]).ok
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE station_legal; DROP TABLE manufacturer_legal; DROP TABLE billing_entities; "
                "DELETE FROM schema_version WHERE version >= 3")
    con.close()
    store.close_readers()
    out = tmp_path / "out"
    written = export(db, out)
    assert written["station_legal"] == 0 and written["interventions"] == 4
    assert (out / "billing_entities.csv").read_text(encoding="utf-8").splitlines() == [
        ",".join(TABLES_BY_NAME["billing_entities"].column_names)]
    reader = store.reader(db)
    with pytest.raises(store.StoreError, match="before it could hold the invoice parties"):
        parties_of(reader, "S01", "M01")
    reader.close()
    write(tmp_path / "parties", "station_legal.csv",
          "station_id,legal_name,address_country,vat_id\nS01,Atelier Dupont SARL,FR,FR40303265045\n")
    assert import_paths(db, [tmp_path / "parties"]).ok
    reader = store.reader(db)
    assert parties_of(reader, "S01", "M01")[0].vat_id == "FR40303265045"
    reader.close()
