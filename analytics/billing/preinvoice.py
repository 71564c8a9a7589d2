"""The monthly pre-invoice of a station for a brand.

The station receives a pre-invoice with a stable reference, which its final invoice quotes.
It holds, for one station, one manufacturer and one calendar month:

* the month's **ready** interventions — completed in the month (``completed_on``, the month an
  intervention belongs to in every metric) and ``ready`` after the conversation's decisions
  (``intervention_status``) — each with its calculated amount line by line (labour, travel,
  parts: ``intervention_amounts``), net, the policy's VAT rate, VAT and gross;
* the month's **performance adjustment** (``analytics.metrics.score.performance_adjustments``) as a
  line of its own;
* **totals** net, VAT and gross per currency (the territory's currency; a month can only mix
  currencies if the policy changed a country's currency that month);
* the list of what was **left out** and why (status, the findings that still count).

VAT is computed per line (net × the policy's rate, rounded to the cent half away from zero), so
that every total is exactly the sum of its lines. The adjustment line takes the VAT rate of the
station's latest intervention of the month in that currency.

The **reference** is ``PF-<station>-<manufacturer>-<YYYYMM>-<8 hex>``: the first 8 hex digits of
the SHA-256 of the canonical content (JSON, sorted keys, amounts as decimal strings): the same
month and content give the same reference, any change gives a new one. The document is computed
with the same (manager) view whoever asks, after checking the asker may see it, so the station
and the manufacturer download byte-identical files (no timestamp in them; the PDF's dates are
fixed).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb
import pandas as pd

from analytics.core import sql
from analytics.core.csv_safety import rows_to_csv
from analytics.access.scope import Scope
from analytics.metrics import score

_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CENT = Decimal("0.01")


class PreInvoiceError(ValueError):
    """A pre-invoice that cannot be made (unknown station or brand, bad month)."""


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``YYYY-MM``."""
    m = _MONTH_RE.match(month or "") if isinstance(month, str) else None
    if not m:
        raise PreInvoiceError(f"month: {month!r} is not a month written YYYY-MM")
    year = int(m.group(1))
    if not 1 <= year <= 9998:  # the calendar Python and the store date by ends at 9999-12-31
        raise PreInvoiceError(f"month: {month!r} is outside the years 0001 to 9998")
    first = dt.date(year, int(m.group(2)), 1)
    nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def _dec(value) -> Decimal | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return Decimal(str(value))


def _rate_text(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


@dataclass(frozen=True)
class Line:
    intervention_id: str
    completed_on: dt.date
    repair_code: str
    product_category: str
    labor: Decimal
    travel: Decimal
    parts: Decimal
    net: Decimal
    vat_rate: Decimal
    vat: Decimal
    gross: Decimal
    currency: str
    note: str = ""          # findings settled in conversation (waived / document sent)


@dataclass(frozen=True)
class Adjustment:
    score: float | None
    tier_no: int | None
    labor_adjustment: Decimal | None
    labor_amount: Decimal
    currency: str
    amount: Decimal | None          # None: no score or no tier, nothing to pay
    vat_rate: Decimal
    vat: Decimal
    gross: Decimal

    @property
    def description(self) -> str:
        score = "no score" if self.score is None else f"score {self.score:.1f}"
        if self.amount is None:
            return f"Performance adjustment: none ({score}, no matching tier)"
        pct = format((self.labor_adjustment * 100).normalize(), "f")
        sign = "+" if self.labor_adjustment >= 0 else ""
        return (f"Performance adjustment: {score}, tier {self.tier_no}: {sign}{pct} % of the month's "
                f"calculated labour {self.labor_amount} {self.currency}")


@dataclass(frozen=True)
class Total:
    currency: str
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class LeftOut:
    intervention_id: str
    completed_on: dt.date
    status: str
    finding_codes: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PreInvoice:
    station_id: str
    station_name: str
    manufacturer_id: str
    manufacturer_name: str
    month: str
    lines: tuple[Line, ...]
    adjustments: tuple[Adjustment, ...]
    totals: tuple[Total, ...]
    left_out: tuple[LeftOut, ...]
    reference: str = field(default="")

    @property
    def currency(self) -> str | None:
        """The document's currency when it has one (the usual case)."""
        return self.totals[0].currency if len(self.totals) == 1 else None

    def canonical(self) -> dict[str, Any]:
        """The content the reference is a hash of (everything the documents show)."""
        def enc(v):
            if isinstance(v, Decimal):
                return str(v)
            if isinstance(v, (dt.date, dt.datetime)):
                return v.isoformat()
            if isinstance(v, float):
                return f"{v:.6f}"
            if isinstance(v, (tuple, list)):
                return [enc(x) for x in v]
            return v

        def obj(o):
            return {k: enc(getattr(o, k)) for k in o.__dataclass_fields__}

        return {
            "station_id": self.station_id, "station_name": self.station_name,
            "manufacturer_id": self.manufacturer_id, "manufacturer_name": self.manufacturer_name,
            "month": self.month,
            "lines": [obj(x) for x in self.lines],
            "adjustments": [obj(x) for x in self.adjustments],
            "totals": [obj(x) for x in self.totals],
            "left_out": [obj(x) for x in self.left_out],
        }


def reference_of(doc: PreInvoice) -> str:
    text = json.dumps(doc.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"PF-{doc.station_id}-{doc.manufacturer_id}-{doc.month.replace('-', '')}-{digest}"


def check_access(scope: Scope, station_id: str, manufacturer_id: str) -> None:
    """A station sees its own pre-invoices, a manufacturer its brand's, a manager all."""
    scope.require(station_id=station_id, manufacturer_id=manufacturer_id, what="pre-invoices")


def build(con: duckdb.DuckDBPyConnection, scope: Scope, station_id: str, manufacturer_id: str,
          month: str) -> PreInvoice:
    """The pre-invoice of ``station_id`` for ``manufacturer_id`` and ``month`` (``YYYY-MM``)."""
    check_access(scope, station_id, manufacturer_id)
    first, last = month_bounds(month)
    key = {"station_id": station_id, "manufacturer_id": manufacturer_id}
    parties = sql.fetch_all(con, "billing/preinvoice/parties", {**key, "restricted": scope.role != "manager"})
    if not parties:
        raise PreInvoiceError(f"no station {station_id!r} or no manufacturer {manufacturer_id!r} in the store")
    _sid, station_name, _country, _region, _mid, manufacturer_name = parties[0]
    params = {**key, "month_start": first, "month_end": last}
    rows = sql.fetch_df(con, "billing/preinvoice/interventions", params).to_dict("records")
    reasons: dict[str, list[str]] = {}
    for iid, severity, code, doc_type, explanation in sql.fetch_all(con, "billing/preinvoice/open_findings", params):
        label = code + (f" ({doc_type})" if doc_type else "")
        reasons.setdefault(iid, []).append(f"{severity} {label}: {explanation}")

    lines, left = [], []
    last_vat: dict[str, Decimal] = {}
    for r in rows:
        completed = pd.Timestamp(r["completed_on"]).date()
        if r["has_policy"] and r["currency"] is not None and r["vat_rate"] is not None:
            last_vat[r["currency"]] = _dec(r["vat_rate"])
        if r["status"] != "ready" or r["calculated_amount"] is None or pd.isna(r["calculated_amount"]):
            why = tuple(reasons.get(r["intervention_id"], ())) or (
                (f"status {r['status']}",) if r["status"] != "ready" else ("no calculated amount (no policy)",))
            left.append(LeftOut(r["intervention_id"], completed, r["status"], r["finding_codes"] or "", why))
            continue
        net = _money(r["calculated_amount"])
        rate = _dec(r["vat_rate"])
        vat = _money(net * rate)
        lines.append(Line(r["intervention_id"], completed, r["repair_code"], r["product_category"],
                          _money(r["labor_amount"]), _money(r["travel_amount"]), _money(r["parts_amount"]),
                          net, rate, vat, net + vat, r["currency"],
                          r["waived_note"] if isinstance(r["waived_note"], str) else ""))

    adjustments = []

    adj = score.performance_adjustments(con, Scope.manager(), manufacturer_id, month)
    for a in adj[adj["station_id"] == station_id].to_dict("records") if len(adj) else []:
        currency = a["currency"]
        rate = last_vat.get(currency, Decimal("0"))
        amount = a["adjustment_amount"]
        amount = None if amount is None or (isinstance(amount, float) and amount != amount) else _money(amount)
        vat = _money((amount or Decimal(0)) * rate)
        station_score = a["score"]
        station_score = None if station_score is None or station_score != station_score else float(station_score)
        tier = a["tier_no"]
        tier = None if tier is None or tier != tier else int(tier)
        adjustments.append(Adjustment(station_score, tier, _dec(a["labor_adjustment"]), _money(a["labor_amount"]),
                                      currency, amount, rate, vat, (amount or Decimal(0)) + vat))

    totals: dict[str, list[Decimal]] = {}
    for ln in lines:
        t = totals.setdefault(ln.currency, [Decimal("0.00")] * 3)
        t[0] += ln.net
        t[1] += ln.vat
        t[2] += ln.gross
    for a in adjustments:
        if a.amount is not None:
            t = totals.setdefault(a.currency, [Decimal("0.00")] * 3)
            t[0] += a.amount
            t[1] += a.vat
            t[2] += a.gross
    doc = PreInvoice(station_id, station_name, manufacturer_id, manufacturer_name, month, tuple(lines),
                     tuple(adjustments), tuple(Total(c, *v) for c, v in sorted(totals.items())), tuple(left))
    return PreInvoice(**{**{k: getattr(doc, k) for k in doc.__dataclass_fields__}, "reference": reference_of(doc)})


def available(con: duckdb.DuckDBPyConnection, scope: Scope, month: str | None = None) -> pd.DataFrame:
    """``month, station_id, manufacturer_id, interventions, ready, left_out`` for every pre-invoice
    the viewer may open (newest month first)."""
    if month is not None:
        month_bounds(month)
    return sql.fetch_df(con, "billing/preinvoice/available", {"month": month, **scope.params()})


def file_name(doc: PreInvoice, fmt: str) -> str:
    """A safe file name for the download (the reference, with anything odd replaced)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", doc.reference) + "." + fmt


# ---------------------------------------------------------------- CSV

CSV_COLUMNS = ("section", "reference", "intervention_id", "completed_on", "repair_code", "detail",
               "labor", "travel", "parts", "net", "vat_rate", "vat", "gross", "currency", "status", "finding_codes")


def to_csv(doc: PreInvoice) -> bytes:
    """The pre-invoice as UTF-8 CSV, one row per header / line / adjustment / total / left-out
    intervention (``section``); made for people: a text a spreadsheet would run as a formula gets
    a ``'`` in front (:mod:`analytics.core.csv_safety`), amounts stay numbers."""
    rows: list[list] = []

    def row(**kw):
        rows.append([kw.get(c, "") for c in CSV_COLUMNS])

    row(section="header", reference=doc.reference,
        detail=(f"Pre-invoice {doc.month}: station {doc.station_id} {doc.station_name}; "
                f"manufacturer {doc.manufacturer_id} {doc.manufacturer_name}"))
    for ln in doc.lines:
        row(section="line", reference=doc.reference, intervention_id=ln.intervention_id,
            completed_on=ln.completed_on.isoformat(), repair_code=ln.repair_code, detail=ln.note,
            labor=ln.labor, travel=ln.travel, parts=ln.parts, net=ln.net, vat_rate=_rate_text(ln.vat_rate),
            vat=ln.vat, gross=ln.gross, currency=ln.currency, status="ready")
    for a in doc.adjustments:
        row(section="adjustment", reference=doc.reference, detail=a.description,
            labor=a.labor_amount, net="" if a.amount is None else a.amount, vat_rate=_rate_text(a.vat_rate),
            vat="" if a.amount is None else a.vat, gross="" if a.amount is None else a.gross, currency=a.currency)
    for t in doc.totals:
        row(section="total", reference=doc.reference, detail="Total", net=t.net, vat=t.vat, gross=t.gross,
            currency=t.currency)
    for x in doc.left_out:
        row(section="left_out", reference=doc.reference, intervention_id=x.intervention_id,
            completed_on=x.completed_on.isoformat(), detail=" | ".join(x.reasons), status=x.status,
            finding_codes=x.finding_codes)
    return rows_to_csv(CSV_COLUMNS, rows)


# ---------------------------------------------------------------- PDF

def pdf_text(text: str) -> str:
    """Text for the PDF's embedded core font (Latin-1 only): any other character is written
    ``<U+XXXX>`` so that nothing is lost or mis-rendered (the CSV holds the exact text)."""
    return "".join(ch if ord(ch) < 256 and (ch == "\n" or ord(ch) >= 32) else f"<U+{ord(ch):04X}>" for ch in str(text))


#: Fixed document dates, so that the bytes depend on the content only.
_PDF_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def to_pdf(doc: PreInvoice, heading: str | None = None, header_lines: tuple[str, ...] = ()) -> bytes:
    """The pre-invoice as PDF (fpdf2, core Helvetica font; no timestamp: identical bytes for
    identical content). ``heading`` and ``header_lines`` replace the title and add lines under
    it (the invoice drawn in the pre-invoice's layout, :mod:`analytics.billing.einvoice.facturx`)."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(_PDF_DATE)
    pdf.set_title(pdf_text(doc.reference))
    pdf.set_author("Clairvoie")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, pdf_text(heading or f"Pre-invoice {doc.reference}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for text in (*header_lines,f"Month: {doc.month}",
                 f"Station: {doc.station_id} - {doc.station_name}",
                 f"Manufacturer: {doc.manufacturer_id} - {doc.manufacturer_name}",
                 "Amounts net of VAT as calculated by the billing policy in force; quote this reference on the invoice."):
        pdf.multi_cell(0, 5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    head = FontFace(emphasis="BOLD", fill_color=(225, 230, 240))
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, f"Interventions ready to invoice ({len(doc.lines)})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    widths = (52, 20, 26, 20, 20, 20, 22, 14, 20, 24, 15, 24)
    if doc.lines:
        with pdf.table(col_widths=widths, headings_style=head, text_align=(
                "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "LEFT",
                "LEFT")) as table:
            table.row(["Intervention", "Completed", "Repair code", "Labour", "Travel", "Parts", "Net", "VAT %",
                       "VAT", "Gross", "Cur.", "Note"])
            for ln in doc.lines:
                table.row([pdf_text(ln.intervention_id), ln.completed_on.isoformat(), pdf_text(ln.repair_code),
                           str(ln.labor), str(ln.travel), str(ln.parts), str(ln.net),
                           _rate_text(ln.vat_rate * 100), str(ln.vat), str(ln.gross), pdf_text(ln.currency),
                           pdf_text(ln.note)])
    else:
        pdf.cell(0, 6, "None.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 9)
    for a in doc.adjustments:
        text = a.description
        if a.amount is not None:
            text += f": {a.amount} {a.currency} net, VAT {_rate_text(a.vat_rate * 100)} % {a.vat}, gross {a.gross}"
        pdf.multi_cell(0, 5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Helvetica", "B", 11)
    if not doc.totals:
        pdf.cell(0, 7, "Total: nothing to invoice this month.", new_x="LMARGIN", new_y="NEXT")
    for t in doc.totals:
        pdf.cell(0, 7, pdf_text(f"Total {t.currency}: net {t.net}   VAT {t.vat}   gross {t.gross}"),
                 new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, f"Left out ({len(doc.left_out)})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    if doc.left_out:
        with pdf.table(col_widths=(52, 20, 18, 187), headings_style=head) as table:
            table.row(["Intervention", "Completed", "Status", "Why"])
            for x in doc.left_out:
                table.row([pdf_text(x.intervention_id), x.completed_on.isoformat(), x.status,
                           pdf_text("\n".join(x.reasons))])
    else:
        pdf.cell(0, 6, "Nothing: every intervention of the month is ready.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def render(doc: PreInvoice, fmt: str) -> bytes:
    if fmt == "pdf":
        return to_pdf(doc)
    if fmt == "csv":
        return to_csv(doc)
    raise PreInvoiceError(f"format: {fmt!r} is not pdf or csv")
