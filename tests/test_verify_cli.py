"""The ``verify`` and ``explain`` commands on the fixture store (a published store file)."""
from __future__ import annotations

import argparse
import csv
import io
import json

import pytest

from analytics.core import store
from analytics.commands import explain_cmd, verify_cmd
from analytics.access.scope import Scope, ScopeError
from analytics.verification import queue as verification

from tests import engine_fixture as fx


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store.duckdb"
    fx.build_file(path)
    yield path
    store.close_readers()


def run(module, db, argv, capsys):
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    module.configure(parser)
    args = parser.parse_args(["--db", str(db), *argv])
    code = module.run(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_verify_csv_all_rows(db, capsys):
    code, out, _ = run(verify_cmd, db, [], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["intervention_id", "manufacturer_id", "station_id", "status", "findings", "currency",
                             "requested_amount", "calculated_amount"]
    assert len(rows) == len(fx.CASES)
    by_id = {r["intervention_id"]: r for r in rows}
    assert by_id["A_LAB15"] == {"intervention_id": "A_LAB15", "manufacturer_id": "M01", "station_id": "S_DE",
                                "status": "ready", "findings": "", "currency": "EUR", "requested_amount": "",
                                "calculated_amount": "12.13"}
    assert by_id["N_1231"]["findings"] == "DUPLICATE_CLAIM;NO_POLICY;PURCHASE_DATE_MISSING"
    assert (by_id["N_1231"]["requested_amount"], by_id["N_1231"]["calculated_amount"]) == ("120.00", "")
    assert by_id["N_M03"]["currency"] == ""
    assert by_id["M_EQ"]["requested_amount"] == "56.11"
    assert by_id["A_TRAV205"]["calculated_amount"] == "66.70"


def test_verify_filters_and_json(db, capsys, tmp_path):
    out_file = tmp_path / "v.json"
    code, out, _ = run(verify_cmd, db, ["--manufacturer", "M01", "--station", "S_FR", "--status", "review",
                                        "--format", "json", "--output", str(out_file)], capsys)
    assert code == 0 and out == ""
    records = json.loads(out_file.read_text(encoding="utf-8"))
    assert [(r["intervention_id"], r["findings"], r["calculated_amount"]) for r in records] == [
        ("L_DRUM188", "LABOR_OVER_STANDARD", "130.00"), ("L_PUMP60", "LABOR_OVER_STANDARD", "39.00")]
    assert records[0]["requested_amount"] is None


def test_verify_rejects_unknown_status(db, capsys):
    with pytest.raises(SystemExit) as exc:
        run(verify_cmd, db, ["--status", "pending"], capsys)
    assert exc.value.code == 2


def test_explain_prints_policy_amount_and_findings(db, capsys):
    code, out, _ = run(explain_cmd, db, ["L_PUMP60"], capsys)
    assert code == 0
    assert "status REVIEW (LABOR_OVER_STANDARD)" in out
    assert "base; country FR; region FR10" in out
    assert "45 min (standard time of WM-PUMP) / 60 × 52 EUR/h = 39 → 39.00" in out
    assert "standard_minutes[WM-PUMP]" in out and "from country" in out
    assert "Labour 60 min > standard 45 min + 25 % tolerance = 56.25 min" in out


def test_explain_rounding_line(db, capsys):
    code, out, _ = run(explain_cmd, db, ["A_LAB15"], capsys)
    assert code == 0
    assert "15 min (labour minutes reported) / 60 × 48.5 EUR/h = 12.125 → 12.13" in out


def test_explain_unknown_id(db, capsys):
    code, out, err = run(explain_cmd, db, ["NOPE'; DROP TABLE x; --"], capsys)
    assert code == 1 and out == ""
    assert "no intervention" in err and "NOPE'; DROP TABLE x; --" in err


def test_detail_and_queue_respect_the_scope(db):
    con = store.reader(db)
    assert verification.intervention_detail(con, Scope.station("S_FR"), "A_LAB15") is None
    assert verification.intervention_detail(con, Scope.manufacturer("M02"), "A_LAB15") is None
    assert verification.intervention_detail(con, Scope.station("S_DE"), "A_LAB15")["status"] == "ready"
    with pytest.raises(ScopeError):
        verification.require_detail(con, Scope.station("S_FR"), "A_LAB15")
    assert verification.findings_of(con, Scope.station("S_DE"), "L_PUMP60").empty
    q = verification.verification_queue(con, Scope.station("S_PL"))
    assert sorted(q["intervention_id"]) == ["T_PL", "VAT_PL"]
    with pytest.raises(ScopeError):
        from analytics.core.filters import Filters
        verification.verification_queue(con, Scope.station("S_PL"), Filters(station_ids=("S_FR",)))


def test_detail_documents_and_invoice_lines(db):
    con = store.reader(db)
    d = verification.intervention_detail(con, Scope.manager(), "DOC_NONE")
    assert [(x["doc_type"], x["missing"]) for x in d["documents"]] == [
        ("proof_of_purchase", True), ("serial_plate_photo", True), ("technician_report", True)]
    assert [f["doc_type"] for f in d["findings"]] == ["proof_of_purchase", "serial_plate_photo", "technician_report"]
    d = verification.intervention_detail(con, Scope.manager(), "VAT_BAD")
    assert [(ln["invoice_id"], ln["line_no"], str(ln["amount"])) for ln in d["invoice_lines"]] == [
        ("INV_1", 7, "40.00"), ("INV_1", 8, "8.50")]
    assert str(d["amount"]["requested"]) == "48.50" and str(d["amount"]["difference"]) == "0.00"


def test_formula_shows_a_non_terminating_quotient_shortened():
    from decimal import Decimal
    assert verification._exact(Decimal(50) * Decimal(31) / 60) == "25.8333…"
    assert verification._exact(Decimal("12.125")) == "12.125"
