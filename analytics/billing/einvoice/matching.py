"""An invoice matched with its pre-invoice: every difference is a :class:`Finding` with its
evidence, the expected value (from the pre-invoice, as Clairvoie would have issued it) and the
invoiced one.

Compared: the pre-invoice reference (BT-13), the currency, each intervention (missing, extra),
each line by ``<intervention>/<component>`` (amount, VAT category and rate), the performance
adjustment (allowances and charges, signed), and the totals (net, VAT, amount due). Text (names,
notes, reasons) is not compared: it is not what is paid.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from analytics.billing.einvoice.model import Invoice, InvoiceLine

MATCHED, DIFFERENCES, UNKNOWN_REFERENCE, INVALID = "matched", "differences", "unknown reference", "invalid"
STATUSES = (MATCHED, DIFFERENCES, UNKNOWN_REFERENCE, INVALID)


@dataclass(frozen=True)
class Finding:
    kind: str          # reference | currency | missing intervention | extra intervention | line amount |
    #                    missing line | extra line | vat rate | vat category | adjustment | total net | total vat |
    #                    amount due | invalid
    subject: str       # what it is about: an intervention, a line id, "invoice"
    expected: str
    invoiced: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _signed_adjustment(inv: Invoice) -> Decimal:
    return sum((ac.amount if ac.is_charge else -ac.amount for ac in inv.allowances_charges), Decimal("0.00"))


def _net(lines: list[InvoiceLine]) -> Decimal:
    return sum((ln.net for ln in lines), Decimal("0.00"))


def match(expected: Invoice, invoiced: Invoice) -> list[Finding]:
    """Every difference between ``expected`` (built from the pre-invoice) and ``invoiced``."""
    found: list[Finding] = []

    def add(kind, subject, exp, got, message):
        found.append(Finding(kind, subject, str(exp), str(got), message))

    if invoiced.preinvoice_reference != expected.preinvoice_reference:
        add("reference", "invoice", expected.preinvoice_reference, invoiced.preinvoice_reference or "(none)",
            "the invoice does not quote the agreed pre-invoice's reference (BT-13)")
    if invoiced.currency != expected.currency:
        add("currency", "invoice", expected.currency, invoiced.currency, "the invoice's currency is not the pre-invoice's")

    by_intervention: dict[str, list[InvoiceLine]] = {}
    for ln in invoiced.lines:
        by_intervention.setdefault(ln.intervention_id, []).append(ln)
    wanted: dict[str, list[InvoiceLine]] = {}
    for ln in expected.lines:
        wanted.setdefault(ln.intervention_id, []).append(ln)

    for iid, lines in wanted.items():
        got = by_intervention.get(iid)
        if not got:
            add("missing intervention", iid, _net(lines), "(absent)",
                f"intervention {iid} is on the pre-invoice but not on the invoice")
            continue
        got_by_id = {ln.line_id: ln for ln in got}
        for ln in lines:
            other = got_by_id.pop(ln.line_id, None)
            if other is None:
                add("missing line", ln.line_id, ln.net, "(absent)", f"{ln.component} of intervention {iid} is not invoiced")
                continue
            if other.net != ln.net:
                add("line amount", ln.line_id, ln.net, other.net,
                    f"{ln.component} of intervention {iid}: invoiced {other.net}, agreed {ln.net}")
            if other.vat_category != ln.vat_category:
                add("vat category", ln.line_id, ln.vat_category, other.vat_category,
                    f"{ln.component} of intervention {iid}: VAT category {other.vat_category}, expected {ln.vat_category}")
            if other.vat_rate != ln.vat_rate:
                add("vat rate", ln.line_id, f"{ln.vat_rate} %", f"{other.vat_rate} %",
                    f"{ln.component} of intervention {iid}: VAT rate {other.vat_rate} %, expected {ln.vat_rate} %")
        for extra in got_by_id.values():
            add("extra line", extra.line_id, "(absent)", extra.net, f"line {extra.line_id} is not on the pre-invoice")
    for iid, lines in by_intervention.items():
        if iid not in wanted:
            add("extra intervention", iid, "(absent)", _net(lines),
                f"intervention {iid} is invoiced but not on the pre-invoice (not ready, or not this month)")

    exp_adj, got_adj = _signed_adjustment(expected), _signed_adjustment(invoiced)
    if exp_adj != got_adj:
        add("adjustment", "invoice", exp_adj, got_adj, "the performance adjustment (charges minus allowances) differs")
    for kind, attr, words in (("total net", "tax_exclusive", "total net (BT-109)"), ("total vat", "tax", "total VAT (BT-110)"),
                              ("amount due", "payable", "amount due (BT-115)")):
        exp, got = getattr(expected.totals, attr), getattr(invoiced.totals, attr)
        if exp != got:
            add(kind, "invoice", exp, got, f"{words}: invoiced {got}, agreed {exp}")
    return found
