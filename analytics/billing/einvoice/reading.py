"""Reading an incoming e-invoice safely: UBL (Invoice / CreditNote), CII, or a Factur-X PDF.

* at most :data:`MAX_BYTES` (a larger file is refused before it is parsed);
* XML is first parsed by ``defusedxml`` with every DTD refused (no entity, hence no
  "billion laughs" bomb, no external entity reaching the disk or the network), then by lxml with
  entity resolution and the network off for the XPath reading;
* a PDF must carry an embedded invoice XML (Factur-X / ZUGFeRD attachment); one without is refused.
  The PDF is read by pypdf with every stream's decoded size bounded (:data:`MAX_PDF_STREAM_BYTES`)
  and the embedded XML decoded with the XML's own bound, :data:`MAX_BYTES`: decompression stops
  as soon as it has produced one byte more (a 5 MB PDF can hold a stream that inflates to
  gigabytes: a PDF stream bomb), so reading one costs a few times :data:`MAX_BYTES` of memory;
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
import pypdf
from defusedxml import DefusedXmlException
from lxml import etree
from pypdf.errors import LimitReachedError

from analytics.billing.einvoice import cii, ubl, xmlread
from analytics.billing.einvoice.model import Invoice

#: An incoming invoice file (XML or PDF), and the XML embedded in a PDF once decoded.
MAX_BYTES = 5 * 1024 * 1024
#: Any other stream pypdf decodes while finding the attachment (object and cross-reference
#: streams, the name tree): far above what the objects of a 5 MB invoice PDF decode to.
MAX_PDF_STREAM_BYTES = 16 * 1024 * 1024
#: Attachments of one PDF looked at (a Factur-X PDF has one, sometimes a few more).
MAX_PDF_ATTACHMENTS = 100
#: The names the standards give the embedded invoice (Factur-X, ZUGFeRD 2, XRechnung), in the
#: order they are looked for; else the first ``*.xml`` attachment.
EMBEDDED_XML_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
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


def _decoding_limits(max_output: int) -> dict[str, int]:
    """pypdf's bounds on what one stream may decode to, whatever its filters (pypdf stops the
    decompression there and raises LimitReachedError)."""
    return {"zlib_maximum_output_length": max_output, "lzw_maximum_output_length": max_output,
            "run_length_maximum_output_length": max_output, "brotli_maximum_output_length": max_output,
            "jbig2_maximum_output_length": max_output, "array_based_stream_maximum_output_length": max_output,
            "image_maximum_buffer_size": max_output,
            "stream_decoding_work_maximum_length": 2 * max_output}


def _embedded_invoice(reader) -> tuple[str, object] | None:
    """(name, attachment) of the invoice XML a PDF embeds: a standard name first, else the first
    ``*.xml``; None when there is none."""
    first_xml = None
    for count, attachment in enumerate(reader.attachment_list, start=1):
        if count > MAX_PDF_ATTACHMENTS:
            break
        name = str(attachment.name or "")
        if name.lower() in EMBEDDED_XML_NAMES:
            return name, attachment
        if first_xml is None and name.lower().endswith(".xml"):
            first_xml = (name, attachment)
    return first_xml


def _xml_from_pdf(data: bytes, file_name: str) -> bytes:
    """The invoice XML embedded in the PDF ``data``, decoded at most :data:`MAX_BYTES` + 1 bytes
    far (one more tells a larger one); refused beyond."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    # pypdf's configuration is a context variable: these bounds hold for this read only.
    with pypdf.apply_configuration(**_decoding_limits(MAX_PDF_STREAM_BYTES)):
        try:
            found = _embedded_invoice(pypdf.PdfReader(io.BytesIO(data)))
        except LimitReachedError:
            raise ReadError(f"{file_name}: refused: a stream of the PDF expands beyond {MAX_PDF_STREAM_BYTES:,} "
                            "bytes (the limit on any stream of an invoice PDF): nothing was read") from None
        except Exception as exc:  # noqa: BLE001 - pypdf raises many types on a damaged PDF
            raise ReadError(f"{file_name}: refused: the PDF could not be read ({type(exc).__name__})") from None
        if found is None:
            raise ReadError(f"{file_name}: refused: the PDF carries no embedded invoice XML "
                            "(a Factur-X / ZUGFeRD PDF embeds factur-x.xml); send the XML or a Factur-X PDF")
        try:
            with pypdf.apply_configuration(**_decoding_limits(MAX_BYTES + 1)):
                xml = found[1].content
        except LimitReachedError:
            xml = None
        except Exception as exc:  # noqa: BLE001
            raise ReadError(f"{file_name}: refused: the PDF's embedded {found[0][:64]!r} could not be read "
                            f"({type(exc).__name__})") from None
    if xml is None or len(xml) > MAX_BYTES:
        raise ReadError(f"{file_name}: refused: the invoice XML embedded in the PDF expands beyond {MAX_BYTES:,} "
                        "bytes (the limit on an invoice's XML, as for an XML file): nothing was read")
    if not xml.strip():
        raise ReadError(f"{file_name}: refused: the PDF's embedded {found[0][:64]!r} is empty")
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
