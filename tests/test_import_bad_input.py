"""One test per kind of bad input the data contract names: the problem names file, row,
column and rule, and the store file is byte-identical afterwards (all or nothing)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_support import GOOD, base_store, db, no_engine, restore_engine, write  # noqa: F401

from analytics.contract.importer import import_paths

INTERVENTION_HEADER = ("intervention_id,manufacturer_id,station_id,product_category,product_model,serial_number,"
                       "purchase_date,coverage,repair_code,requested_on,completed_on,submitted_on,visits,"
                       "labor_minutes,travel_km,parts_cost,outcome,customer_rating\n")


def itv(iid="I100", station="S01", coverage="warranty", requested="2024-04-01", completed="2024-04-02",
        submitted="2024-04-03", visits="1", labor="30", km="", parts="", outcome="repaired", rating="",
        manufacturer="M01", serial="SN100"):
    return (f"{iid},{manufacturer},{station},washing_machine,,{serial},2023-01-01,{coverage},WM-PUMP,{requested},"
            f"{completed},{submitted},{visits},{labor},{km},{parts},{outcome},{rating}\n")


LINES = "invoice_id,line_no,intervention_id,kind,amount,vat_rate\n"
INVOICES = "invoice_id,manufacturer_id,station_id,issued_on,currency,paid_on,paid_amount\n"
DISPUTES = ("dispute_id,invoice_id,intervention_id,opened_on,opened_by,reason,disputed_amount,resolved_on,"
            "outcome,settled_amount\n")
POLICY = (GOOD / "policies" / "M01.toml").read_text(encoding="utf-8")


def rejected(db: Path, paths, file, row, column, rule, contains=()):
    before = db.read_bytes()
    result = import_paths(db, paths)
    assert not result.ok
    matching = [p for p in result.problems
                if p.file == file and p.row == row and p.column == column and p.rule == rule]
    assert matching, f"no problem ({file}, {row}, {column}, {rule}) in {[str(p) + ' / ' + p.rule for p in result.problems]}"
    for text in contains:
        assert text in matching[0].message, matching[0].message
    assert db.read_bytes() == before, "a rejected import changed the store"
    return result


# ---------------------------------------------------------------- per-column rules

def test_missing_column(db, tmp_path):
    text = INTERVENTION_HEADER.replace("serial_number,", "") + itv().replace(",SN100", "")
    write(tmp_path / "in", "interventions.csv", text)
    rejected(db, [tmp_path / "in"], "interventions.csv", None, "serial_number", "missing column")


def test_bad_date(db, tmp_path):
    write(tmp_path / "in", "interventions.csv",
          INTERVENTION_HEADER + itv() + itv("I101", completed="2024-02-30", submitted="2024-04-03"))
    rejected(db, [tmp_path / "in"], "interventions.csv", 2, "completed_on", "date", ["2024-02-30"])


def test_bad_enum(db, tmp_path):
    write(tmp_path / "in", "interventions.csv", INTERVENTION_HEADER + itv(coverage="lifetime"))
    r = rejected(db, [tmp_path / "in"], "interventions.csv", 1, "coverage", "allowed values", ["lifetime", "warranty"])
    assert r.problems[0].value == "lifetime"


def test_negative_amount(db, tmp_path):
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,9,I001,parts,-5.00,0.20\n")
    rejected(db, [tmp_path / "in"], "invoice_lines.csv", 1, "amount", "minimum", ["-5.00"])


def test_too_many_decimals(db, tmp_path):
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,9,I001,parts,10.125,0.20\n")
    rejected(db, [tmp_path / "in"], "invoice_lines.csv", 1, "amount", "decimals", ["10.125"])


def test_trailing_zeros_are_not_extra_decimals(db, tmp_path):
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,9,I001,parts,10.1200,0.200000\n")
    assert import_paths(db, [tmp_path / "in"]).ok


def test_vat_rate_must_be_below_one(db, tmp_path):
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,9,I001,parts,10,20\n")
    rejected(db, [tmp_path / "in"], "invoice_lines.csv", 1, "vat_rate", "maximum")


def test_bad_whole_number_and_range(db, tmp_path):
    write(tmp_path / "in", "interventions.csv",
          INTERVENTION_HEADER + itv(visits="two") + itv("I101", visits="0") + itv("I102", rating="6"))
    rejected(db, [tmp_path / "in"], "interventions.csv", 1, "visits", "whole number")
    rejected(db, [tmp_path / "in"], "interventions.csv", 2, "visits", "minimum")
    rejected(db, [tmp_path / "in"], "interventions.csv", 3, "customer_rating", "maximum")


def test_required_value_empty(db, tmp_path):
    write(tmp_path / "in", "stations.csv", "station_id,name,country\nS09,   ,FR\n")
    rejected(db, [tmp_path / "in"], "stations.csv", 1, "name", "required")


def test_text_over_1000_characters(db, tmp_path):
    long_name = "x" * 1001
    write(tmp_path / "in", "stations.csv", f"station_id,name,country\nS09,{long_name},FR\nS10,  {'y' * 1000}  ,FR\n")
    r = rejected(db, [tmp_path / "in"], "stations.csv", 1, "name", "text length", ["1001"])
    assert [p.row for p in r.problems] == [1]  # 1,000 characters after trimming is fine


def test_country_and_currency_codes(db, tmp_path):
    write(tmp_path / "in", "stations.csv", "station_id,name,country\nS09,A,France\n")
    write(tmp_path / "in", "fx_rates.csv", "currency,month,eur_per_unit\npln,2024-13,0\n")
    rejected(db, [tmp_path / "in"], "stations.csv", 1, "country", "country code")
    rejected(db, [tmp_path / "in"], "fx_rates.csv", 1, "currency", "currency code")
    rejected(db, [tmp_path / "in"], "fx_rates.csv", 1, "month", "month")
    rejected(db, [tmp_path / "in"], "fx_rates.csv", 1, "eur_per_unit", "minimum")


# ---------------------------------------------------------------- row rules

def test_completed_before_requested(db, tmp_path):
    write(tmp_path / "in", "interventions.csv",
          INTERVENTION_HEADER + itv(requested="2024-04-05", completed="2024-04-02", submitted="2024-04-06"))
    rejected(db, [tmp_path / "in"], "interventions.csv", 1, "completed_on", "date order")


def test_outcome_required_when_resolved_and_reason_format(db, tmp_path):
    write(tmp_path / "in", "disputes.csv", DISPUTES
          + "D010,F001,I001,2024-03-01,station,OTHER,10,2024-03-05,,\n"
          + "D011,F001,I001,2024-03-01,station,labour too low,10,,,\n")
    rejected(db, [tmp_path / "in"], "disputes.csv", 1, "outcome", "required when resolved")
    rejected(db, [tmp_path / "in"], "disputes.csv", 2, "reason", "reason code")


def test_dispute_opened_before_invoice_issued(db, tmp_path):
    write(tmp_path / "in", "disputes.csv", DISPUTES + "D010,F001,I001,2024-02-01,station,OTHER,10,,,\n")
    rejected(db, [tmp_path / "in"], "disputes.csv", 1, "opened_on", "date order", ["F001", "2024-02-28"])


# ---------------------------------------------------------------- keys and references

def test_duplicate_key_names_both_rows(db, tmp_path):
    write(tmp_path / "in", "interventions.csv", INTERVENTION_HEADER + itv() + itv("I101") + itv("I100"))
    r = rejected(db, [tmp_path / "in"], "interventions.csv", 1, "intervention_id", "unique key",
                 ["interventions.csv row 1", "interventions.csv row 3"])
    assert sorted(p.row for p in r.problems if p.rule == "unique key") == [1, 3]


def test_duplicate_composite_key_across_line_numbers_written_differently(db, tmp_path):
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,7,I001,parts,1,0.2\nF001,07,I001,parts,2,0.2\n")
    rejected(db, [tmp_path / "in"], "invoice_lines.csv", 2, "invoice_id", "unique key", ["line_no = '7'"])


def test_unknown_reference(db, tmp_path):
    write(tmp_path / "in", "interventions.csv", INTERVENTION_HEADER + itv(station="S99"))
    rejected(db, [tmp_path / "in"], "interventions.csv", 1, "station_id", "unknown reference", ["S99"])


def test_reference_to_a_row_of_the_same_import_is_fine(db, tmp_path):
    write(tmp_path / "in", "stations.csv", "station_id,name,country\nS99,New,FR\n")
    write(tmp_path / "in", "interventions.csv", INTERVENTION_HEADER + itv(station="S99"))
    assert import_paths(db, [tmp_path / "in"]).ok


def test_line_of_an_intervention_of_another_station(db, tmp_path):
    # F001 is from S01; I003 was done by S02.
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,9,I003,labor,10,0.2\n")
    rejected(db, [tmp_path / "in"], "invoice_lines.csv", 1, "intervention_id", "same station", ["S02", "S01", "F001"])


def test_invoice_currency_not_the_policy_currency(db, tmp_path):
    # I003 (M01, station S02 in PL, completed 2024-03-04): M01's policy is in PLN for PL.
    write(tmp_path / "in", "invoices.csv", INVOICES + "F010,M01,S02,2024-03-10,EUR,,\n")
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F010,1,I003,fee,35,0.23\n")
    rejected(db, [tmp_path / "in"], "invoices.csv", 1, "currency", "policy currency",
             ["F010", "line 1", "I003", "PLN", "EUR"])


def test_invoice_currency_checked_against_a_policy_of_the_same_import(db, tmp_path):
    # The import changes the policy: PL now invoices in EUR, so the existing PLN invoice F002's line is wrong
    # only if F002 is re-imported; a new EUR invoice for S02 is right.
    write(tmp_path / "in", "policies/M01.toml", POLICY.replace('currency = "PLN"', 'currency = "EUR"'))
    write(tmp_path / "in", "invoices.csv", INVOICES + "F010,M01,S02,2024-03-10,EUR,,\n")
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F010,1,I003,fee,35,0.23\n")
    assert import_paths(db, [tmp_path / "in"]).ok


def test_invoice_reimported_in_another_currency_is_checked_against_its_stored_lines(db, tmp_path):
    # F002 (S02, PL) is re-imported in EUR without its lines: its stored line bills I003, whose policy
    # in force invoices PL in PLN. The problem points at the invoice row and names the stored line.
    write(tmp_path / "in", "invoices.csv", INVOICES + "F002,M01,S02,2024-03-10,EUR,,\n")
    rejected(db, [tmp_path / "in"], "invoices.csv", 1, "currency", "policy currency",
             ["F002", "line 1", "I003", "PLN", "EUR"])


def test_dispute_on_a_stored_invoice_line_or_on_a_line_of_the_same_import(db, tmp_path):
    # F001 line 3 (stored) bills I002; a new line 4 of F001 in the same import bills I001.
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,4,I001,fee,5,0.2\n")
    write(tmp_path / "in", "disputes.csv", DISPUTES + "D010,F001,I002,2024-03-01,station,OTHER,10,,,\n"
                                                     "D011,F001,I001,2024-03-01,station,OTHER,5,,,\n")
    assert import_paths(db, [tmp_path / "in"]).ok


def test_dispute_on_a_stored_line_the_import_replaces(db, tmp_path):
    # F001 line 3 (stored) bills I002; the import replaces that line to bill I001, so after it no line
    # of F001 bills I002: a dispute of the same import on (F001, I002) is rejected.
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,3,I001,labor,115.00,0.20\n")
    write(tmp_path / "in", "disputes.csv", DISPUTES + "D010,F001,I002,2024-03-01,station,OTHER,10,,,\n")
    rejected(db, [tmp_path / "in"], "disputes.csv", 1, "intervention_id", "on the invoice", ["I002", "F001"])


def test_dispute_on_a_stored_line_the_import_brings_again(db, tmp_path):
    # the same line re-imported as it is still bills I002
    write(tmp_path / "in", "invoice_lines.csv", LINES + "F001,3,I002,labor,115.00,0.20\n")
    write(tmp_path / "in", "disputes.csv", DISPUTES + "D010,F001,I002,2024-03-01,station,OTHER,10,,,\n")
    assert import_paths(db, [tmp_path / "in"]).ok


def test_dispute_not_on_its_invoice(db, tmp_path):
    write(tmp_path / "in", "disputes.csv", DISPUTES + "D010,F001,I004,2024-03-01,station,OTHER,10,,,\n")
    rejected(db, [tmp_path / "in"], "disputes.csv", 1, "intervention_id", "on the invoice", ["I004", "F001"])


# ---------------------------------------------------------------- files

def test_non_utf8_file(db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "stations.csv").write_bytes(
        "station_id,name,country\nS09,Ok,FR\n".encode() + "S10,Caf\u00e9,FR\n".encode("latin-1"))
    rejected(db, [folder], "stations.csv", 2, "", "UTF-8", ["0xE9"])


def test_zero_byte_file(db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "documents.csv").write_bytes(b"")
    rejected(db, [folder], "documents.csv", None, "", "empty file")


def test_header_only_file_is_an_empty_table(db, tmp_path):
    write(tmp_path / "in", "documents.csv", "intervention_id,doc_type,received_on\n")
    result = import_paths(db, [tmp_path / "in"])
    assert result.ok and result.rows_by_table["documents"] == 0


def test_malformed_csv_row(db, tmp_path):
    write(tmp_path / "in", "fx_rates.csv", "currency,month,eur_per_unit\nPLN,2024-04,0.23\nSEK,2024-04,0.08,extra\n")
    rejected(db, [tmp_path / "in"], "fx_rates.csv", 2, "", "CSV format")


def test_unknown_column_is_a_warning(db, tmp_path):
    write(tmp_path / "in", "stations.csv", "station_id,name,country,colour\nS09,A,FR,blue\n")
    result = import_paths(db, [tmp_path / "in"])
    assert result.ok
    assert [(w.file, w.column, w.rule) for w in result.warnings] == [("stations.csv", "colour", "unknown column")]


def test_all_problems_of_a_file_in_one_pass(db, tmp_path):
    write(tmp_path / "in", "interventions.csv", INTERVENTION_HEADER
          + itv("I100", coverage="x") + itv("I101") + itv("I102", completed="nope") + itv("I103", labor="-1"))
    write(tmp_path / "in", "stations.csv", "station_id,name,country\nS09,A,fr\n")
    result = rejected(db, [tmp_path / "in"], "interventions.csv", 4, "labor_minutes", "minimum")
    assert [(p.file, p.row) for p in result.problems] == [
        ("interventions.csv", 1), ("interventions.csv", 3), ("interventions.csv", 4), ("stations.csv", 1)]


# ---------------------------------------------------------------- policies

def test_bad_toml(db, tmp_path):
    write(tmp_path / "in", "M01.toml", 'manufacturer_id = "M01"\n[[version]\n')
    rejected(db, [tmp_path / "in"], "M01.toml", 2, "", "invalid TOML")


def test_unknown_policy_key(db, tmp_path):
    write(tmp_path / "in", "policies/M01.toml", POLICY.replace("parts_markup = 0.10", "parts_markup = 0.10\nparts_bonus = 3"))
    rejected(db, [tmp_path / "in"], "policies/M01.toml", POLICY.splitlines().index("parts_markup = 0.10") + 2,
             "version[1].base.parts_bonus", "unknown key")


def test_negative_rate(db, tmp_path):
    write(tmp_path / "in", "policies/M01.toml", POLICY.replace("labor_rate_per_hour = 46.00", "labor_rate_per_hour = -46.00"))
    r = rejected(db, [tmp_path / "in"], "policies/M01.toml", POLICY.splitlines().index("labor_rate_per_hour = 46.00") + 1,
                 "version[1].base.labor_rate_per_hour", "negative")
    assert r.problems[0].value == "-46.00"


def test_policy_of_an_unknown_manufacturer(db, tmp_path):
    write(tmp_path / "in", "M09.toml", POLICY.replace('"M01"', '"M09"'))
    rejected(db, [tmp_path / "in"], "M09.toml", None, "manufacturer_id", "unknown reference", ["M09"])


def test_duplicate_key_into_an_empty_store(tmp_path):
    """Into an empty table the check is left to the primary key: the problems are the same."""
    no_engine()
    try:
        db = tmp_path / "empty.duckdb"
        write(tmp_path / "in", "manufacturers.csv", "manufacturer_id,name\nM1,A\nM2,B\nM1,C\n")
        result = import_paths(db, [tmp_path / "in"])
        assert not result.ok
        assert [(p.file, p.row, p.column, p.rule) for p in result.problems] == [
            ("manufacturers.csv", 1, "manufacturer_id", "unique key"),
            ("manufacturers.csv", 3, "manufacturer_id", "unique key")]
        assert "manufacturers.csv row 1, manufacturers.csv row 3" in result.problems[0].message
        assert not db.exists()
        # With another problem in the import, duplicates are listed in the same pass.
        write(tmp_path / "in", "stations.csv", "station_id,name,country\nS1,,FR\n")
        result = import_paths(db, [tmp_path / "in"])
        assert [(p.file, p.row, p.rule) for p in result.problems] == [
            ("manufacturers.csv", 1, "unique key"), ("manufacturers.csv", 3, "unique key"),
            ("stations.csv", 1, "required")]
        assert not db.exists()
    finally:
        restore_engine()
