"""The invoice parties in the import (docs/CONTRACT-ADDITIONS.md): station_legal,
manufacturer_legal, billing_entities. Optional tables; a bad identifier is rejected with
its rule (file, row, column, value) and the store file stays byte-identical."""
from __future__ import annotations

from pathlib import Path

from tests.import_support import GOOD, base_store, db, table_rows, write  # noqa: F401

from analytics.contract.importer import import_paths

PARTY = "legal_name,street,city,postcode,address_country,vat_id,registration_id,iban,bic"
STATION_LEGAL = "station_id," + PARTY + "\n"
MANUFACTURER_LEGAL = "manufacturer_id," + PARTY + "\n"
BILLING_ENTITIES = "manufacturer_id,country," + PARTY + "\n"

S01 = "S01,Atelier Dupont SARL,12 rue de la Paix,Paris,75002,FR,FR40303265045,RCS 303265045,FR1420041010050500013M02606,PSSTFRPPXXX\n"
S02 = "S02,Serwis Kowalski sp. z o.o.,ul. Prosta 1,Warszawa,00-001,PL,PL8567346215,KRS 0000123456,PL61109010140000071219812874,\n"
S03 = "S03,Rhein Reparatur GmbH,,Köln,,DE,DE136695976,,,\n"
M01 = "M01,Lumière Électroménager SA,1 place Bellecour,Lyon,69002,FR,FR40303265045,,,\n"
M01_PL = "M01,PL,Lumière Polska sp. z o.o.,ul. Lipowa 3,Kraków,30-001,PL,PL8567346215,,,\n"


def rejected(db: Path, folder: Path, file, row, column, rule, value):
    before = db.read_bytes()
    result = import_paths(db, [folder])
    assert not result.ok
    found = [p for p in result.problems if (p.file, p.row, p.column, p.rule) == (file, row, column, rule)]
    assert found, [(p.file, p.row, p.column, p.rule, p.message) for p in result.problems]
    assert found[0].value == value and value in found[0].message
    assert db.read_bytes() == before, "a rejected import changed the store"
    return result


def test_an_import_without_the_party_tables_is_accepted(db):
    assert import_paths(db, [GOOD]).ok
    for table in ("station_legal", "manufacturer_legal", "billing_entities"):
        assert table_rows(db, table) == []


def test_parties_land_as_written(db, tmp_path):
    folder = tmp_path / "in"
    write(folder, "station_legal.csv", STATION_LEGAL + S01 + S02 + S03)
    write(folder, "manufacturer_legal.csv", MANUFACTURER_LEGAL + M01)
    write(folder, "billing_entities.csv", BILLING_ENTITIES + M01_PL)
    result = import_paths(db, [folder])
    assert result.ok, result.problems
    assert result.rows_by_table == {"station_legal": 3, "manufacturer_legal": 1, "billing_entities": 1}
    rows = table_rows(db, "station_legal")
    assert rows[2] == ("S03", "Rhein Reparatur GmbH", None, "Köln", None, "DE", "DE136695976", None, None, None)
    assert table_rows(db, "billing_entities")[0][:3] == ("M01", "PL", "Lumière Polska sp. z o.o.")


def test_a_stations_feed_does_not_erase_the_legal_entity(db, tmp_path):
    write(tmp_path / "legal", "station_legal.csv", STATION_LEGAL + S01)
    assert import_paths(db, [tmp_path / "legal"]).ok
    write(tmp_path / "feed", "stations.csv", "station_id,name,country,region,city\nS01,Atelier Dupont,FR,FR10,Paris\n")
    assert import_paths(db, [tmp_path / "feed"]).ok
    assert table_rows(db, "station_legal")[0][1] == "Atelier Dupont SARL"


def test_malformed_vat_identifier(db, tmp_path):
    write(tmp_path / "in", "station_legal.csv", STATION_LEGAL + S01 + S02.replace("PL8567346215", "PL856734621"))
    result = rejected(db, tmp_path / "in", "station_legal.csv", 2, "vat_id", "VAT identifier format", "PL856734621")
    assert "(for example PL8567346215)" in result.problems[0].message


def test_vat_identifier_with_a_wrong_check_digit(db, tmp_path):
    write(tmp_path / "in", "station_legal.csv", STATION_LEGAL + S03.replace("DE136695976", "DE136695977"))
    rejected(db, tmp_path / "in", "station_legal.csv", 1, "vat_id", "VAT check digits", "DE136695977")


def test_bad_iban(db, tmp_path):
    bad = S01.replace("FR1420041010050500013M02606", "FR1420041010050500013M02607")
    write(tmp_path / "in", "station_legal.csv", STATION_LEGAL + bad)
    rejected(db, tmp_path / "in", "station_legal.csv", 1, "iban", "IBAN check digits", "FR1420041010050500013M02607")


def test_iban_of_the_wrong_length_bic_and_country_codes(db, tmp_path):
    write(tmp_path / "in", "billing_entities.csv",
          BILLING_ENTITIES + "M01,PO,Lumière,,,,PL,,,PL6110901014000007121981287,BADBIC\n"
          + "M02,DE,Nordvik Deutschland GmbH,,,,UK,,,,\n")
    result = rejected(db, tmp_path / "in", "billing_entities.csv", 1, "iban", "IBAN length",
                      "PL6110901014000007121981287")
    problems = {(p.row, p.column): (p.rule, p.value) for p in result.problems}
    assert problems == {
        (1, "country"): ("country code", "PO"),
        (1, "iban"): ("IBAN length", "PL6110901014000007121981287"),
        (1, "bic"): ("BIC format", "BADBIC"),
        (2, "address_country"): ("country code", "UK"),
    }


def test_required_fields_keys_and_references(db, tmp_path):
    write(tmp_path / "in", "billing_entities.csv",
          BILLING_ENTITIES + M01_PL + M01_PL + "M09,FR,Nobody SA,,,,FR,,,,\nM02,FR,,,,,,,,,\n")
    result = import_paths(db, [tmp_path / "in"])
    assert not result.ok
    problems = sorted((p.row, p.column, p.rule) for p in result.problems)
    assert problems == [
        (1, "manufacturer_id", "unique key"), (2, "manufacturer_id", "unique key"),
        (3, "manufacturer_id", "unknown reference"),
        (4, "address_country", "required"), (4, "legal_name", "required"),
    ]


def test_a_missing_required_column(db, tmp_path):
    write(tmp_path / "in", "station_legal.csv", "station_id,legal_name\nS01,Atelier Dupont SARL\n")
    result = import_paths(db, [tmp_path / "in"])
    assert [(p.file, p.column, p.rule) for p in result.problems] == [
        ("station_legal.csv", "address_country", "missing column")]


def test_all_bad_identifiers_of_a_file_in_one_pass(db, tmp_path):
    rows = [S01.replace("FR40303265045", "FR40 303 265 045"), S02.replace("PL61", "PL62"),
            S03.replace("DE136695976", "de136695976")]
    write(tmp_path / "in", "station_legal.csv", STATION_LEGAL + "".join(rows))
    result = import_paths(db, [tmp_path / "in"])
    assert sorted((p.row, p.column, p.rule) for p in result.problems) == [
        (1, "vat_id", "VAT identifier format"), (2, "iban", "IBAN check digits"),
        (3, "vat_id", "VAT identifier format")]
