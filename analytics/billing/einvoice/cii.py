"""The invoice as UN/CEFACT Cross Industry Invoice (D16B), profile EN 16931 of Factur-X 1.0
(guideline ``urn:cen.eu:en16931:2017``), and back into the same
:class:`~analytics.billing.einvoice.model.Invoice`. CII is an ordered schema too: elements are
written in the order of ``Factur-X_EN16931.xsd``."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lxml import etree

from analytics.billing.einvoice import xmlread
from analytics.billing.einvoice.model import (AllowanceCharge, Invoice, InvoiceLine, Party, Totals, VatGroup,
                                              amount_text, rate_text)

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
GUIDELINE = "urn:cen.eu:en16931:2017"
NS = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}


def _el(parent, tag: str, text=None, **attrs):
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attrs)
    if text is not None:
        node.text = str(text)
    return node


def _date(parent, tag: str, day: dt.date, prefix: str = "udt") -> None:
    _el(_el(parent, tag), f"{prefix}:DateTimeString", day.strftime("%Y%m%d"), format="102")


def _party(parent, tag: str, party: Party) -> None:
    p = _el(parent, tag)
    _el(p, "ram:Name", party.name)
    if party.registration_id:
        _el(_el(p, "ram:SpecifiedLegalOrganization"), "ram:ID", party.registration_id)
    addr = _el(p, "ram:PostalTradeAddress")
    if party.postcode:
        _el(addr, "ram:PostcodeCode", party.postcode)
    if party.street:
        _el(addr, "ram:LineOne", party.street)
    if party.city:
        _el(addr, "ram:CityName", party.city)
    _el(addr, "ram:CountryID", party.country)
    if party.vat_id:
        _el(_el(p, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_id, schemeID="VA")


def _trade_tax(parent, tag: str, category: str, rate: Decimal) -> None:
    t = _el(parent, tag)
    _el(t, "ram:TypeCode", "VAT")
    _el(t, "ram:CategoryCode", category)
    _el(t, "ram:RateApplicablePercent", rate_text(rate))


def to_xml(inv: Invoice) -> bytes:
    """The CII document (UTF-8 bytes)."""
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT})
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)
    head = _el(root, "rsm:ExchangedDocument")
    _el(head, "ram:ID", inv.number)
    _el(head, "ram:TypeCode", inv.type_code)
    _date(head, "ram:IssueDateTime", inv.issue_date)
    if inv.note:
        _el(_el(head, "ram:IncludedNote"), "ram:Content", inv.note)
    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    for ln in inv.lines:
        item = _el(trade, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", ln.line_id)
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", ln.name)
        _el(_el(_el(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice"), "ram:ChargeAmount",
            amount_text(ln.net))
        _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", "1", unitCode="C62")
        settle = _el(item, "ram:SpecifiedLineTradeSettlement")
        _trade_tax(settle, "ram:ApplicableTradeTax", ln.vat_category, ln.vat_rate)
        _el(_el(settle, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount",
            amount_text(ln.net))
    agreement = _el(trade, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", inv.seller)
    _party(agreement, "ram:BuyerTradeParty", inv.buyer)
    _el(_el(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", inv.preinvoice_reference)
    delivery = _el(_el(trade, "ram:ApplicableHeaderTradeDelivery"), "ram:ActualDeliverySupplyChainEvent")
    _date(delivery, "ram:OccurrenceDateTime", inv.period_end)  # BT-72: the month's last day
    settle = _el(trade, "ram:ApplicableHeaderTradeSettlement")
    if inv.seller.iban:
        _el(settle, "ram:PaymentReference", inv.number)
    _el(settle, "ram:InvoiceCurrencyCode", inv.currency)
    if inv.seller.iban:
        means = _el(settle, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58")
        _el(_el(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", inv.seller.iban)
        if inv.seller.bic:
            _el(_el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", inv.seller.bic)
    for g in inv.vat:
        t = _el(settle, "ram:ApplicableTradeTax")
        _el(t, "ram:CalculatedAmount", amount_text(g.tax))
        _el(t, "ram:TypeCode", "VAT")
        if g.exemption_text:
            _el(t, "ram:ExemptionReason", g.exemption_text)
        _el(t, "ram:BasisAmount", amount_text(g.taxable))
        _el(t, "ram:CategoryCode", g.category)
        if g.exemption_code:
            _el(t, "ram:ExemptionReasonCode", g.exemption_code)
        _el(t, "ram:RateApplicablePercent", rate_text(g.rate))
    period = _el(settle, "ram:BillingSpecifiedPeriod")
    _date(period, "ram:StartDateTime", inv.period_start)
    _date(period, "ram:EndDateTime", inv.period_end)
    for ac in inv.allowances_charges:
        node = _el(settle, "ram:SpecifiedTradeAllowanceCharge")
        _el(_el(node, "ram:ChargeIndicator"), "udt:Indicator", "true" if ac.is_charge else "false")
        _el(node, "ram:ActualAmount", amount_text(ac.amount))
        _el(node, "ram:Reason", ac.reason)
        _trade_tax(node, "ram:CategoryTradeTax", ac.vat_category, ac.vat_rate)
    _el(_el(settle, "ram:SpecifiedTradePaymentTerms"), "ram:Description", inv.payment_terms)
    t = inv.totals
    summary = _el(settle, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(summary, "ram:LineTotalAmount", amount_text(t.lines))
    _el(summary, "ram:ChargeTotalAmount", amount_text(t.charges))
    _el(summary, "ram:AllowanceTotalAmount", amount_text(t.allowances))
    _el(summary, "ram:TaxBasisTotalAmount", amount_text(t.tax_exclusive))
    _el(summary, "ram:TaxTotalAmount", amount_text(t.tax), currencyID=inv.currency)
    _el(summary, "ram:GrandTotalAmount", amount_text(t.tax_inclusive))
    _el(summary, "ram:DuePayableAmount", amount_text(t.payable))
    if inv.preceding_number:
        ref = _el(settle, "ram:InvoiceReferencedDocument")
        _el(ref, "ram:IssuerAssignedID", inv.preceding_number)
        if inv.preceding_date:
            _date(ref, "ram:FormattedIssueDateTime", inv.preceding_date, prefix="qdt")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# ---------------------------------------------------------------- reading

def _text(node, path: str, required: bool = True) -> str | None:
    return xmlread.text(node, path, NS, required)


def _decimal(node, path: str, required: bool = True) -> Decimal | None:
    return xmlread.decimal(node, path, NS, required)


def _day(node, path: str, required: bool = True) -> dt.date | None:
    return xmlread.date(node, path, NS, "%Y%m%d", required)


def _read_party(p) -> Party:
    if p is None:
        raise xmlread.XmlReadError("missing ram:SellerTradeParty or ram:BuyerTradeParty")
    return Party(name=_text(p, "ram:Name", False) or "", country=_text(p, "ram:PostalTradeAddress/ram:CountryID", False) or "",
                 street=_text(p, "ram:PostalTradeAddress/ram:LineOne", False),
                 city=_text(p, "ram:PostalTradeAddress/ram:CityName", False),
                 postcode=_text(p, "ram:PostalTradeAddress/ram:PostcodeCode", False),
                 vat_id=_text(p, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']", False),
                 registration_id=_text(p, "ram:SpecifiedLegalOrganization/ram:ID", False))


def from_xml(root) -> Invoice:
    """Read a CII invoice (an lxml root element) into an :class:`Invoice`; raises
    :class:`xmlread.XmlReadError` naming the missing or malformed element."""
    trade = root.find("rsm:SupplyChainTradeTransaction", NS)
    head = root.find("rsm:ExchangedDocument", NS)
    if trade is None or head is None:
        raise xmlread.XmlReadError("missing rsm:ExchangedDocument or rsm:SupplyChainTradeTransaction")
    lines = []
    for item in trade.findall("ram:IncludedSupplyChainTradeLineItem", NS):
        line_id = _text(item, "ram:AssociatedDocumentLineDocument/ram:LineID")
        iid, _, component = line_id.rpartition("/")
        tax = "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:"
        lines.append(InvoiceLine(
            line_id, iid or line_id, component,
            _decimal(item, "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/"
                           "ram:LineTotalAmount"),
            _text(item, tax + "CategoryCode"), _decimal(item, tax + "RateApplicablePercent", False) or Decimal("0"),
            _text(item, "ram:SpecifiedTradeProduct/ram:Name", False) or ""))
    settle = trade.find("ram:ApplicableHeaderTradeSettlement", NS)
    agreement = trade.find("ram:ApplicableHeaderTradeAgreement", NS)
    if settle is None or agreement is None:
        raise xmlread.XmlReadError("missing ram:ApplicableHeaderTradeSettlement or ram:ApplicableHeaderTradeAgreement")
    acs = [AllowanceCharge(_text(n, "ram:ChargeIndicator/udt:Indicator") == "true", _decimal(n, "ram:ActualAmount"),
                           _text(n, "ram:Reason", False) or "", _text(n, "ram:CategoryTradeTax/ram:CategoryCode"),
                           _decimal(n, "ram:CategoryTradeTax/ram:RateApplicablePercent", False) or Decimal("0"))
           for n in settle.findall("ram:SpecifiedTradeAllowanceCharge", NS)]
    groups = [VatGroup(_text(n, "ram:CategoryCode"), _decimal(n, "ram:RateApplicablePercent", False) or Decimal("0"),
                       _decimal(n, "ram:BasisAmount"), _decimal(n, "ram:CalculatedAmount"),
                       _text(n, "ram:ExemptionReasonCode", False), _text(n, "ram:ExemptionReason", False))
              for n in settle.findall("ram:ApplicableTradeTax", NS)]
    s = "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    zero = Decimal("0.00")
    totals = Totals(_decimal(settle, s + "LineTotalAmount"), _decimal(settle, s + "AllowanceTotalAmount", False) or zero,
                    _decimal(settle, s + "ChargeTotalAmount", False) or zero, _decimal(settle, s + "TaxBasisTotalAmount"),
                    _decimal(settle, s + "TaxTotalAmount", False) or zero, _decimal(settle, s + "GrandTotalAmount"),
                    _decimal(settle, s + "DuePayableAmount"))
    seller = _read_party(agreement.find("ram:SellerTradeParty", NS))
    iban = _text(settle, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:IBANID",
                 False)
    if iban:
        seller = Party(**{**seller.__dict__, "iban": iban, "bic": _text(
            settle, "ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID",
            False)})
    return Invoice(
        number=_text(head, "ram:ID"), type_code=_text(head, "ram:TypeCode"),
        issue_date=_day(head, "ram:IssueDateTime/udt:DateTimeString"),
        currency=_text(settle, "ram:InvoiceCurrencyCode"),
        preinvoice_reference=_text(agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", False) or "",
        period_start=_day(settle, "ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString", False),
        period_end=_day(settle, "ram:BillingSpecifiedPeriod/ram:EndDateTime/udt:DateTimeString", False),
        seller=seller, buyer=_read_party(agreement.find("ram:BuyerTradeParty", NS)), lines=tuple(lines),
        allowances_charges=tuple(acs), vat=tuple(groups), totals=totals,
        note=_text(head, "ram:IncludedNote/ram:Content", False) or "",
        preceding_number=_text(settle, "ram:InvoiceReferencedDocument/ram:IssuerAssignedID", False),
        preceding_date=_day(settle, "ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString", False),
        payment_terms=_text(settle, "ram:SpecifiedTradePaymentTerms/ram:Description", False) or "")
