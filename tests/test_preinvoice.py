"""The monthly pre-invoice: lines, totals, left-out list, reference, CSV, PDF, CLI.

Data: ``tests/engine_fixture.py``. Station S_DE, brand M01, 2024-03: 17 interventions, 11 ready,
whose calculated amounts are hand-computed in the fixture's comments (base policy, 48.50/h,
VAT 0.20): A_LAB15 12.13, A_NFF 35.00, A_NULLS 48.50, A_PARTS 48.50 + 13.59, A_TRAV10 48.50 +
18.00, A_TRAV100 48.50 + 50.00, A_TRAV205 48.50 + 18.20, DUP_DIFF 48.50, D_30 48.50, M_EQ 55.00,
VAT_OK 48.50 -> net 589.92; VAT per line (half up) 2.43 + 7.00 + 9.70 + 12.42 + 13.30 + 19.70 +
13.34 + 9.70 + 9.70 + 11.00 + 9.70 = 117.99; gross 707.91. Left out: A_TRAV150 (review), DUP_SAME
(blocked), D_31 (review), M_OVER, M_UNDER, VAT_BAD (review).
"""
from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pypdfium2
import pytest

from analytics.conversation import threads as cv
from analytics.billing import preinvoice as pi
from analytics.metrics import score
from analytics.core import store
from analytics.engine import publishing
from analytics.__main__ import main as cli
from analytics.access.scope import Scope, ScopeError
from analytics.access.viewer import Viewer
from tests import engine_fixture

MANAGER = Scope.manager()
EXPECTED_NETS = {
    "A_LAB15": "12.13", "A_NFF": "35.00", "A_NULLS": "48.50", "A_PARTS": "62.09", "A_TRAV10": "66.50",
    "A_TRAV100": "98.50", "A_TRAV205": "66.70", "DUP_DIFF": "48.50", "D_30": "48.50", "M_EQ": "55.00",
    "VAT_OK": "48.50",
}
EXPECTED_LEFT_OUT = {"A_TRAV150": "review", "DUP_SAME": "blocked", "D_31": "review", "M_OVER": "review",
                     "M_UNDER": "review", "VAT_BAD": "review"}


@pytest.fixture(scope="session")
def base_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pre") / "base.duckdb"
    engine_fixture.build_file(path)
    return path


@pytest.fixture(scope="session")
def con(base_store):
    return store.reader(base_store)


@pytest.fixture(scope="session")
def doc(con):
    return pi.build(con, MANAGER, "S_DE", "M01", "2024-03")


@pytest.fixture()
def db(base_store, tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copyfile(base_store, path)
    return path


def test_lines_are_the_ready_interventions_with_their_calculated_amounts(doc, con):
    assert {ln.intervention_id: str(ln.net) for ln in doc.lines} == EXPECTED_NETS
    engine = dict(con.execute("SELECT intervention_id, calculated_amount FROM intervention_amounts").fetchall())
    for ln in doc.lines:
        assert ln.net == engine[ln.intervention_id]
        assert ln.labor + ln.travel + ln.parts == ln.net
        assert ln.vat == (ln.net * Decimal("0.2")).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        assert ln.gross == ln.net + ln.vat and ln.currency == "EUR"
    assert {x.intervention_id: x.status for x in doc.left_out} == EXPECTED_LEFT_OUT


def test_totals_are_hand_computed_and_the_sum_of_the_lines(doc):
    (total,) = doc.totals
    assert (total.currency, str(total.net), str(total.vat), str(total.gross)) == ("EUR", "589.92", "117.99", "707.91")
    assert total.net == sum(ln.net for ln in doc.lines)
    assert total.vat == sum(ln.vat for ln in doc.lines)
    assert total.gross == sum(ln.gross for ln in doc.lines)
    # no score (fewer than 20 interventions): an adjustment row with nothing to pay
    assert [a.amount for a in doc.adjustments] == [None]


def test_left_out_says_why(doc):
    why = {x.intervention_id: x for x in doc.left_out}
    assert why["DUP_SAME"].finding_codes == "AMOUNT_MISMATCH;DUPLICATE_CLAIM"
    assert why["DUP_SAME"].reasons[0].startswith("blocked DUPLICATE_CLAIM: Billed more than once")
    assert why["D_31"].reasons == (
        "review LATE_SUBMISSION: Submitted 2024-04-02, 31 days after completion on 2024-03-02 > deadline of "
        "30 days (policy M01 2024-01-01, DE).",)


def test_performance_adjustment_is_a_line_of_its_own(con, monkeypatch):
    # the bonus/malus itself is tested with the metrics; here: how the pre-invoice adds it up
    # (3 % of 629.13 = 18.8739 -> 18.87; VAT 20 % -> 3.77)
    fake = pd.DataFrame([{"manufacturer_id": "M01", "station_id": "S_DE", "month": "2024-03", "score": 85.0,
                          "tier_no": 1, "min_score": 80.0, "max_score": None, "labor_adjustment": Decimal("0.03"),
                          "currency": "EUR", "labor_amount": Decimal("629.13"),
                          "adjustment_amount": Decimal("18.87")}])
    monkeypatch.setattr(score, "performance_adjustments", lambda *a, **k: fake)
    doc = pi.build(con, MANAGER, "S_DE", "M01", "2024-03")
    (adj,) = doc.adjustments
    assert (adj.amount, adj.vat, adj.gross) == (Decimal("18.87"), Decimal("3.77"), Decimal("22.64"))
    (total,) = doc.totals
    assert (str(total.net), str(total.vat), str(total.gross)) == ("608.79", "121.76", "730.55")
    assert "tier 1: +3 % of the month's calculated labour 629.13 EUR" in adj.description


def test_reference_is_stable_and_content_sensitive(con, doc):
    assert doc.reference.startswith("PF-S_DE-M01-202403-") and len(doc.reference.rsplit("-", 1)[1]) == 8
    again = pi.build(con, Scope.station("S_DE"), "S_DE", "M01", "2024-03")
    assert again.reference == doc.reference and again == doc
    assert pi.build(con, MANAGER, "S_DE", "M01", "2024-01").reference != doc.reference
    # any change of content: one cent on one line
    changed = pi.PreInvoice(**{**{k: getattr(doc, k) for k in doc.__dataclass_fields__},
                               "lines": (doc.lines[0].__class__(**{**doc.lines[0].__dict__,
                                                                   "net": doc.lines[0].net + Decimal("0.01")}),)
                               + doc.lines[1:]})
    assert pi.reference_of(changed) != doc.reference


def test_a_waiver_moves_the_intervention_onto_the_pre_invoice(db, doc):
    cv.waive(db, Viewer("brand1", Scope.manufacturer("M01")), "D_31", "LATE_SUBMISSION", "accepted")
    after = pi.build(store.reader(db), MANAGER, "S_DE", "M01", "2024-03")
    line = next(ln for ln in after.lines if ln.intervention_id == "D_31")
    assert line.net == Decimal("48.50") and "waived by brand1" in line.note
    assert "D_31" not in {x.intervention_id for x in after.left_out}
    assert after.totals[0].net == doc.totals[0].net + Decimal("48.50")
    assert after.reference != doc.reference


def test_access_is_limited_to_the_station_and_the_brand(con):
    with pytest.raises(ScopeError):
        pi.build(con, Scope.station("S_FR"), "S_DE", "M01", "2024-03")
    with pytest.raises(ScopeError):
        pi.build(con, Scope.manufacturer("M02"), "S_DE", "M01", "2024-03")
    with pytest.raises(pi.PreInvoiceError, match="YYYY-MM"):
        pi.build(con, MANAGER, "S_DE", "M01", "2024-3")
    with pytest.raises(pi.PreInvoiceError, match="no station"):
        pi.build(con, MANAGER, "NOPE", "M01", "2024-03")
    listed = pi.available(con, Scope.station("S_DE"), "2024-03")
    assert set(listed["station_id"]) == {"S_DE"}
    row = listed[listed["manufacturer_id"] == "M01"].iloc[0]
    assert (row["interventions"], row["ready"], row["left_out"]) == (17, 11, 6)


def test_both_sides_get_identical_bytes(con):
    for fmt in ("pdf", "csv"):
        station = pi.render(pi.build(con, Scope.station("S_DE"), "S_DE", "M01", "2024-03"), fmt)
        brand = pi.render(pi.build(con, Scope.manufacturer("M01"), "S_DE", "M01", "2024-03"), fmt)
        assert station == brand


def test_csv_totals_equal_the_sum_of_its_lines(doc):
    rows = list(csv.DictReader(io.StringIO(pi.to_csv(doc).decode("utf-8"))))
    assert {r["reference"] for r in rows} == {doc.reference}
    lines = [r for r in rows if r["section"] == "line"]
    (total,) = [r for r in rows if r["section"] == "total"]
    for col in ("net", "vat", "gross"):
        assert sum(Decimal(r[col]) for r in lines) == Decimal(total[col])
    assert (total["net"], total["vat"], total["gross"]) == ("589.92", "117.99", "707.91")
    assert {r["intervention_id"] for r in rows if r["section"] == "left_out"} == set(EXPECTED_LEFT_OUT)


def test_pdf_opens_renders_and_shows_the_totals(doc, tmp_path):
    data = pi.to_pdf(doc)
    assert data == pi.to_pdf(doc)  # deterministic: no timestamp
    pdf = pypdfium2.PdfDocument(data)
    page = pdf[0]
    image = page.render(scale=1).to_pil()
    image.save(tmp_path / "page1.png")
    assert image.size[0] > image.size[1] > 500  # landscape A4
    gray = image.convert("L")
    dark = sum(gray.histogram()[:128])
    assert 0.005 < dark / (gray.size[0] * gray.size[1]) < 0.5  # text drawn, not blank, not black
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert doc.reference in text
    assert "Total EUR: net 589.92" in text and "VAT 117.99" in text and "gross 707.91" in text
    for iid in EXPECTED_NETS:
        assert iid in text


def test_unusual_text_is_safe_in_both_formats(db):
    name = "Łódź 漢字 =HYPERLINK(\"x\") <script>"
    with publishing.writer(db) as con:
        con.execute("UPDATE stations SET name = $n WHERE station_id = 'S_DE'", {"n": name})
    doc = pi.build(store.reader(db), MANAGER, "S_DE", "M01", "2024-03")
    header = next(csv.DictReader(io.StringIO(pi.to_csv(doc).decode("utf-8"))))
    assert name in header["detail"]  # verbatim once read as CSV
    pdf = pypdfium2.PdfDocument(pi.to_pdf(doc))
    text = pdf[0].get_textpage().get_text_range()
    assert "<U+0141>" in text and "<U+6F22>" in text and '=HYPERLINK("x") <script>' in text
    assert pi.pdf_text("a€b") == "a<U+20AC>b" and pi.pdf_text("é") == "é"


def test_cli_writes_the_same_bytes_as_the_app(base_store, con, tmp_path, capsys):
    for fmt in ("pdf", "csv"):
        out = tmp_path / f"pf.{fmt}"
        assert cli(["preinvoice", "--db", str(base_store), "--station", "S_DE", "--manufacturer", "M01",
                    "--month", "2024-03", "--format", fmt, "--output", str(out)]) == 0
        assert out.read_bytes() == pi.render(pi.build(con, Scope.station("S_DE"), "S_DE", "M01", "2024-03"), fmt)
    printed = capsys.readouterr().out
    assert "PF-S_DE-M01-202403-" in printed and "net 589.92 VAT 117.99 gross 707.91" in printed
    assert cli(["preinvoice", "--db", str(base_store), "--station", "S_DE", "--manufacturer", "M01",
                "--month", "March", "--output", str(tmp_path / "x.pdf")]) == 1
    assert "YYYY-MM" in capsys.readouterr().err


@pytest.mark.parametrize("month, first, last", [("2024-02", "2024-02-01", "2024-02-29"),
                                                ("2023-12", "2023-12-01", "2023-12-31"),
                                                ("0001-01", "0001-01-01", "0001-01-31"),
                                                ("9998-12", "9998-12-01", "9998-12-31")])
def test_month_bounds(month, first, last):
    assert [d.isoformat() for d in pi.month_bounds(month)] == [first, last]


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "2024-13", "2024-1", ""])
def test_a_month_out_of_the_calendar_is_a_clear_error(month):
    with pytest.raises(pi.PreInvoiceError, match="month"):
        pi.month_bounds(month)


def test_cli_refuses_a_month_out_of_the_calendar_without_a_traceback(tmp_path, capsys):
    code = cli(["preinvoice", "--station", "S1", "--manufacturer", "M1", "--month", "0000-01",
                "--output", str(tmp_path / "x.csv"), "--db", str(tmp_path / "none.duckdb")])
    err = capsys.readouterr().err
    assert code == 1 and "outside the years 0001 to 9998" in err and "Traceback" not in err
