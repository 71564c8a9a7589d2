"""The invoice as a Factur-X PDF (profile EN 16931): a PDF/A-3 whose visible pages are the
pre-invoice's layout headed by the invoice number, with the CII XML embedded as
``factur-x.xml`` (the ``factur-x`` package writes the attachment and the XMP metadata).

A credit note has no pre-invoice of its own (the pre-invoice may have changed since the invoice
it cancels): its visible page lists the credited lines from the invoice itself.
"""
from __future__ import annotations

import datetime as dt

import facturx as facturx_lib

from analytics.billing import preinvoice
from analytics.billing.einvoice import cii
from analytics.billing.einvoice.model import CREDIT_NOTE, SELF_BILLED, Invoice

TITLES = {"380": "Invoice", SELF_BILLED: "Self-billed invoice", CREDIT_NOTE: "Credit note"}


def header_lines(inv: Invoice) -> tuple[str, ...]:
    """What the visible page says about the invoice beyond the pre-invoice: parties, dates, totals."""
    t = inv.totals
    lines = [f"Issued {inv.issue_date.isoformat()} for {inv.period_start.isoformat()} to {inv.period_end.isoformat()}; "
             f"pre-invoice {inv.preinvoice_reference}",
             f"Seller: {_party_text(inv.seller)}", f"Buyer: {_party_text(inv.buyer)}"]
    if inv.type_code == SELF_BILLED:
        lines.append("Self-billing: issued by the buyer on behalf of the seller.")
    if inv.preceding_number:
        lines.append(f"Cancels invoice {inv.preceding_number} of {inv.preceding_date}.")
    if any(g.category == "AE" for g in inv.vat):
        lines.append("Reverse charge (VATEX-EU-AE): VAT to be accounted for by the buyer; the VAT columns below show "
                     "the policy's rate for reference only.")
    lines.append(f"{TITLES.get(inv.type_code, 'Invoice')} total {inv.currency}: net {t.tax_exclusive}, "
                 f"VAT {t.tax}, amount due {t.payable}. {inv.payment_terms}")
    return tuple(lines)


def _party_text(p) -> str:
    parts = [p.name, ", ".join(x for x in (p.street, p.postcode, p.city, p.country) if x)]
    if p.vat_id:
        parts.append(f"VAT {p.vat_id}")
    if p.registration_id:
        parts.append(f"reg. {p.registration_id}")
    if p.iban:
        parts.append(f"IBAN {p.iban}")
    return " - ".join(x for x in parts if x)


def visible_pdf(inv: Invoice, doc: preinvoice.PreInvoice | None) -> bytes:
    """The human-readable pages: the pre-invoice ``doc`` headed by the invoice, or (credit note)
    the credited lines."""
    heading = f"{TITLES.get(inv.type_code, 'Invoice')} {inv.number}"
    if doc is not None and not inv.is_credit_note:
        return preinvoice.to_pdf(doc, heading=heading, header_lines=header_lines(inv))
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, preinvoice.pdf_text(heading), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for text in header_lines(inv):
        pdf.multi_cell(0, 5, preinvoice.pdf_text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(col_widths=(90, 140, 20, 27)) as table:
        table.row(["Line", "Item", "VAT %", "Net"])
        for ln in inv.lines:
            table.row([preinvoice.pdf_text(ln.line_id), preinvoice.pdf_text(ln.name), str(ln.vat_rate), str(ln.net)])
        for ac in inv.allowances_charges:
            table.row(["charge" if ac.is_charge else "allowance", preinvoice.pdf_text(ac.reason), str(ac.vat_rate),
                       str(ac.amount if ac.is_charge else -ac.amount)])
    return bytes(pdf.output())


def to_pdf(inv: Invoice, doc: preinvoice.PreInvoice | None) -> bytes:
    """The Factur-X PDF: :func:`visible_pdf` with ``cii.to_xml(inv)`` embedded (checked against
    the Factur-X XSD on the way in)."""
    return facturx_lib.generate_from_binary(
        visible_pdf(inv, doc), cii.to_xml(inv), flavor="factur-x", level="en16931", check_xsd=True,
        pdf_metadata={"author": inv.seller.name, "keywords": "Factur-X, invoice",
                      "title": f"{TITLES.get(inv.type_code, 'Invoice')} {inv.number}",
                      "subject": f"{TITLES.get(inv.type_code, 'Invoice')} {inv.number} of {inv.issue_date}, "
                                 f"pre-invoice {inv.preinvoice_reference}"},
        lang="en")
