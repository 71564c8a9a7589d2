"""The invoice as UBL 2.1 (Invoice, or CreditNote for 381), following Peppol BIS Billing 3.0's
conventions (CustomizationID, ProfileID, element order of the UBL schema). And back: a UBL
document read into the same :class:`~analytics.billing.einvoice.model.Invoice`.

UBL is an ordered schema: the elements below are written in the order its XSD declares them.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from analytics.billing.einvoice import xmlread
from analytics.billing.einvoice.model import (AllowanceCharge, Invoice, InvoiceLine, Party, Totals,
                                              VatGroup, amount_text, rate_text)

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {"cac": CAC, "cbc": CBC}


def _el(parent, tag: str, text=None, **attrs):
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", {k.replace("_", ""): v for k, v in attrs.items()})
    if text is not None:
        node.text = str(text)
    return node


def _party(parent, tag: str, party: Party) -> None:
    p = _el(_el(parent, tag), "cac:Party")
    _el(_el(p, "cac:PartyName"), "cbc:Name", party.name)
    addr = _el(p, "cac:PostalAddress")
    if party.street:
        _el(addr, "cbc:StreetName", party.street)
    if party.city:
        _el(addr, "cbc:CityName", party.city)
    if party.postcode:
        _el(addr, "cbc:PostalZone", party.postcode)
    _el(_el(addr, "cac:Country"), "cbc:IdentificationCode", party.country)
    if party.vat_id:
        scheme = _el(p, "cac:PartyTaxScheme")
        _el(scheme, "cbc:CompanyID", party.vat_id)
        _el(_el(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = _el(p, "cac:PartyLegalEntity")
    _el(legal, "cbc:RegistrationName", party.name)
    if party.registration_id:
        _el(legal, "cbc:CompanyID", party.registration_id)


def _tax_category(parent, tag: str, category: str, rate: Decimal, code=None, text=None) -> None:
    c = _el(parent, tag)
    _el(c, "cbc:ID", category)
    _el(c, "cbc:Percent", rate_text(rate))
    if code:
        _el(c, "cbc:TaxExemptionReasonCode", code)
    if text:
        _el(c, "cbc:TaxExemptionReason", text)
    _el(_el(c, "cac:TaxScheme"), "cbc:ID", "VAT")


def to_xml(inv: Invoice) -> bytes:
    """The UBL document (UTF-8 bytes)."""
    credit = inv.is_credit_note
    root_ns = NS_CREDIT_NOTE if credit else NS_INVOICE
    root = etree.Element(f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}",
                         nsmap={None: root_ns, "cac": CAC, "cbc": CBC})
    cur = {"currencyID": inv.currency}
    _el(root, "cbc:CustomizationID", CUSTOMIZATION)
    _el(root, "cbc:ProfileID", PROFILE)
    _el(root, "cbc:ID", inv.number)
    _el(root, "cbc:IssueDate", inv.issue_date.isoformat())
    _el(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", inv.type_code)
    if inv.note:
        _el(root, "cbc:Note", inv.note)
    _el(root, "cbc:DocumentCurrencyCode", inv.currency)
    period = _el(root, "cac:InvoicePeriod")
    _el(period, "cbc:StartDate", inv.period_start.isoformat())
    _el(period, "cbc:EndDate", inv.period_end.isoformat())
    _el(_el(root, "cac:OrderReference"), "cbc:ID", inv.preinvoice_reference)
    if inv.preceding_number:
        ref = _el(_el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _el(ref, "cbc:ID", inv.preceding_number)
        if inv.preceding_date:
            _el(ref, "cbc:IssueDate", inv.preceding_date.isoformat())
    _party(root, "cac:AccountingSupplierParty", inv.seller)
    _party(root, "cac:AccountingCustomerParty", inv.buyer)
    if inv.seller.iban:
        means = _el(root, "cac:PaymentMeans")
        _el(means, "cbc:PaymentMeansCode", "58")  # SEPA credit transfer
        _el(means, "cbc:PaymentID", inv.number)
        account = _el(means, "cac:PayeeFinancialAccount")
        _el(account, "cbc:ID", inv.seller.iban)
        if inv.seller.bic:
            _el(_el(account, "cac:FinancialInstitutionBranch"), "cbc:ID", inv.seller.bic)
    _el(_el(root, "cac:PaymentTerms"), "cbc:Note", inv.payment_terms)
    for ac in inv.allowances_charges:
        node = _el(root, "cac:AllowanceCharge")
        _el(node, "cbc:ChargeIndicator", "true" if ac.is_charge else "false")
        _el(node, "cbc:AllowanceChargeReason", ac.reason)
        _el(node, "cbc:Amount", amount_text(ac.amount), **cur)
        _tax_category(node, "cac:TaxCategory", ac.vat_category, ac.vat_rate)
    tax = _el(root, "cac:TaxTotal")
    _el(tax, "cbc:TaxAmount", amount_text(inv.totals.tax), **cur)
    for g in inv.vat:
        sub = _el(tax, "cac:TaxSubtotal")
        _el(sub, "cbc:TaxableAmount", amount_text(g.taxable), **cur)
        _el(sub, "cbc:TaxAmount", amount_text(g.tax), **cur)
        _tax_category(sub, "cac:TaxCategory", g.category, g.rate, g.exemption_code, g.exemption_text)
    t = inv.totals
    total = _el(root, "cac:LegalMonetaryTotal")
    _el(total, "cbc:LineExtensionAmount", amount_text(t.lines), **cur)
    _el(total, "cbc:TaxExclusiveAmount", amount_text(t.tax_exclusive), **cur)
    _el(total, "cbc:TaxInclusiveAmount", amount_text(t.tax_inclusive), **cur)
    if t.allowances:
        _el(total, "cbc:AllowanceTotalAmount", amount_text(t.allowances), **cur)
    if t.charges:
        _el(total, "cbc:ChargeTotalAmount", amount_text(t.charges), **cur)
    _el(total, "cbc:PayableAmount", amount_text(t.payable), **cur)
    for ln in inv.lines:
        node = _el(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
        _el(node, "cbc:ID", ln.line_id)
        _el(node, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity", "1", unitCode="C62")
        _el(node, "cbc:LineExtensionAmount", amount_text(ln.net), **cur)
        item = _el(node, "cac:Item")
        _el(item, "cbc:Name", ln.name)
        _tax_category(item, "cac:ClassifiedTaxCategory", ln.vat_category, ln.vat_rate)
        _el(_el(node, "cac:Price"), "cbc:PriceAmount", amount_text(ln.net), **cur)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- reading

def _text(node, path: str, required: bool = True) -> str | None:
    return xmlread.text(node, path, NS, required)


def _decimal(node, path: str, required: bool = True) -> Decimal | None:
    return xmlread.decimal(node, path, NS, required)


def _date(node, path: str, required: bool = True) -> dt.date | None:
    return xmlread.date(node, path, NS, "%Y-%m-%d", required)


def _read_party(node) -> Party:
    p = node.find("cac:Party", NS)
    if p is None:
        raise xmlread.XmlReadError("a party without cac:Party")
    return Party(name=_text(p, "cac:PartyLegalEntity/cbc:RegistrationName", False)
                 or _text(p, "cac:PartyName/cbc:Name", False) or "",
                 country=_text(p, "cac:PostalAddress/cac:Country/cbc:IdentificationCode", False) or "",
                 street=_text(p, "cac:PostalAddress/cbc:StreetName", False),
                 city=_text(p, "cac:PostalAddress/cbc:CityName", False),
                 postcode=_text(p, "cac:PostalAddress/cbc:PostalZone", False),
                 vat_id=_text(p, "cac:PartyTaxScheme/cbc:CompanyID", False),
                 registration_id=_text(p, "cac:PartyLegalEntity/cbc:CompanyID", False))


def _category(node) -> tuple[str, Decimal]:
    return _text(node, "cbc:ID"), _decimal(node, "cbc:Percent", False) or Decimal("0")


def from_xml(root) -> Invoice:
    """Read a UBL Invoice or CreditNote (an lxml root element) into an :class:`Invoice`;
    raises :class:`xmlread.XmlReadError` naming the missing or malformed element."""
    credit = root.tag == f"{{{NS_CREDIT_NOTE}}}CreditNote"
    lines = []
    for node in root.findall("cac:CreditNoteLine" if credit else "cac:InvoiceLine", NS):
        line_id = _text(node, "cbc:ID")
        iid, _, component = line_id.rpartition("/")
        category, rate = _category(node.find("cac:Item/cac:ClassifiedTaxCategory", NS))
        lines.append(InvoiceLine(line_id, iid or line_id, component, _decimal(node, "cbc:LineExtensionAmount"),
                                 category, rate, _text(node, "cac:Item/cbc:Name", False) or ""))
    acs = []
    for node in root.findall("cac:AllowanceCharge", NS):
        category, rate = _category(node.find("cac:TaxCategory", NS))
        acs.append(AllowanceCharge(_text(node, "cbc:ChargeIndicator") == "true", _decimal(node, "cbc:Amount"),
                                   _text(node, "cbc:AllowanceChargeReason", False) or "", category, rate))
    groups = []
    for node in root.findall("cac:TaxTotal/cac:TaxSubtotal", NS):
        cat = node.find("cac:TaxCategory", NS)
        category, rate = _category(cat)
        groups.append(VatGroup(category, rate, _decimal(node, "cbc:TaxableAmount"), _decimal(node, "cbc:TaxAmount"),
                               _text(cat, "cbc:TaxExemptionReasonCode", False),
                               _text(cat, "cbc:TaxExemptionReason", False)))
    m = "cac:LegalMonetaryTotal/cbc:"
    zero = Decimal("0.00")
    totals = Totals(_decimal(root, m + "LineExtensionAmount"), _decimal(root, m + "AllowanceTotalAmount", False) or zero,
                    _decimal(root, m + "ChargeTotalAmount", False) or zero, _decimal(root, m + "TaxExclusiveAmount"),
                    _decimal(root, "cac:TaxTotal/cbc:TaxAmount", False) or zero,
                    _decimal(root, m + "TaxInclusiveAmount"), _decimal(root, m + "PayableAmount"))
    supplier, customer = root.find("cac:AccountingSupplierParty", NS), root.find("cac:AccountingCustomerParty", NS)
    if supplier is None or customer is None:
        raise xmlread.XmlReadError("missing cac:AccountingSupplierParty or cac:AccountingCustomerParty")
    seller = _read_party(supplier)
    iban = _text(root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", False)
    if iban:
        seller = Party(**{**seller.__dict__, "iban": iban, "bic": _text(
            root, "cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", False)})
    return Invoice(
        number=_text(root, "cbc:ID"),
        type_code=_text(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"),
        issue_date=_date(root, "cbc:IssueDate"),
        currency=_text(root, "cbc:DocumentCurrencyCode"),
        preinvoice_reference=_text(root, "cac:OrderReference/cbc:ID", False) or "",
        period_start=_date(root, "cac:InvoicePeriod/cbc:StartDate", False),
        period_end=_date(root, "cac:InvoicePeriod/cbc:EndDate", False),
        seller=seller, buyer=_read_party(customer), lines=tuple(lines), allowances_charges=tuple(acs),
        vat=tuple(groups), totals=totals, note=_text(root, "cbc:Note", False) or "",
        preceding_number=_text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", False),
        preceding_date=_date(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate", False),
        payment_terms=_text(root, "cac:PaymentTerms/cbc:Note", False) or "")

