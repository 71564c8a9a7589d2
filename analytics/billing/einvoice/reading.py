"""Reading an incoming e-invoice safely: UBL (Invoice / CreditNote), CII, or a Factur-X PDF.

* at most :data:`MAX_BYTES` (a larger file is refused before it is parsed);
* XML is first parsed by ``defusedxml`` with every DTD refused (no entity, hence no
  "billion laughs" bomb, no external entity reaching the disk or the network), then by lxml with
  entity resolution and the network off for the XPath reading;
* a PDF must carry an embedded invoice XML (Factur-X / ZUGFeRD attachment); one without is refused;
* the root element decides the syntax: anything else than a UBL Invoice / CreditNote or a CII
  CrossIndustryInvoice is refused as "not an invoice".

Every refusal is a :class:`ReadError` with a message naming the file and the reason; nothing is
stored for it (the caller stores only what was read).
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException
from lxml import etree

from analytics.billing.einvoice import cii, ubl, xmlread
from analytics.billing.einvoice.model import Invoice

MAX_BYTES = 5 * 1024 * 1024
ROOTS = {
    f"{{{ubl.NS_INVOICE}}}Invoice": "ubl",
    f"{{{ubl.NS_CREDIT_NOTE}}}CreditNote": "ubl",
    f"{{{cii.RSM}}}CrossIndustryInvoice": "cii",
}


class ReadError(ValueError):
    """The file is not an invoice we can read (the message says why)."""


@dataclass(frozen=True)
class Incoming:
    file_name: str
    container: str         # xml | pdf
    syntax: str            # ubl | cii
    xml: bytes             # the invoice XML (extracted from the PDF for Factur-X)
    invoice: Invoice | None     # None when the XML is well-formed but its content cannot be read
    read_problem: str = ""      # why ``invoice`` is None


def _parse_xml(data: bytes, file_name: str):
    try:
        safe_et.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ReadError(f"{file_name}: refused: the XML declares a DTD or entities ({type(exc).__name__}); "
                        "an invoice never needs them (XML bomb or external entity)") from None
    except safe_et.ParseError as exc:
        raise ReadError(f"{file_name}: not well-formed XML: {exc}") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{file_name}: not well-formed XML: {exc}") from None


def _xml_from_pdf(data: bytes, file_name: str) -> bytes:
    import facturx  # noqa: PLC0415 - third-party, heavy (pypdf): only for PDFs
    logging.getLogger("facturx").setLevel(logging.ERROR)
    try:
        name, xml = facturx.get_xml_from_pdf(io.BytesIO(data), check_xsd=False)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on a damaged PDF
        raise ReadError(f"{file_name}: refused: the PDF could not be read ({type(exc).__name__})") from None
    if not xml:
        raise ReadError(f"{file_name}: refused: the PDF carries no embedded invoice XML "
                        "(a Factur-X / ZUGFeRD PDF embeds factur-x.xml); send the XML or a Factur-X PDF")
    return xml


def read(data: bytes, file_name: str = "the file") -> Incoming:
    """Read ``data`` (the uploaded file's bytes); raises :class:`ReadError` when refused."""
    if len(data) > MAX_BYTES:
        raise ReadError(f"{file_name}: refused: {len(data):,} bytes is more than the {MAX_BYTES:,} an invoice may "
                        "have here")
    if not data.strip():
        raise ReadError(f"{file_name}: refused: the file is empty")
    container = "xml"
    if data.lstrip()[:5] == b"%PDF-":
        container = "pdf"
        data = _xml_from_pdf(data, file_name)
        if len(data) > MAX_BYTES:
            raise ReadError(f"{file_name}: refused: the embedded XML is more than {MAX_BYTES:,} bytes")
    root = _parse_xml(data, file_name)
    syntax = ROOTS.get(root.tag)
    if syntax is None:
        raise ReadError(f"{file_name}: refused: not an invoice: the root element is {etree.QName(root).localname!r} "
                        f"in {etree.QName(root).namespace or 'no namespace'!r}, not a UBL Invoice/CreditNote or a "
                        "CII CrossIndustryInvoice")
    try:
        invoice = (ubl if syntax == "ubl" else cii).from_xml(root)
        problem = ""
    except xmlread.XmlReadError as exc:
        invoice, problem = None, f"{file_name}: {exc}"
    return Incoming(file_name, container, syntax, data, invoice, problem)
