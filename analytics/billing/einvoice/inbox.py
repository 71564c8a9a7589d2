"""Invoices received and checked: read safely, validated against EN 16931, matched with the
pre-invoice they quote; the result stored in the operational database and shown to both sides.

Status (the first that applies):

* ``invalid`` — the XML schema or an EN 16931 rule fails, or the content cannot be read;
* ``unknown reference`` — the quoted pre-invoice reference (BT-13) is not the current pre-invoice of
  a station and brand in the receiver's view (never issued, or the pre-invoice changed since); for
  a credit note, the invoice it cancels (BT-25) is not one issued here in the receiver's view;
* ``differences`` — at least one :class:`~analytics.billing.einvoice.matching.Finding` (a credit
  note is compared with the invoice it cancels, an invoice with its pre-invoice);
* ``matched`` — none.

A file refused by :mod:`reading` (XML bomb, not an invoice, a PDF without an invoice, too big)
raises :class:`~analytics.billing.einvoice.reading.ReadError` and nothing is stored.

Who sees a received invoice: the station and the brand of the pre-invoice it quotes; when the
reference is unknown, only the side that received it (its own station or brand) and managers.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.access.scope import Scope, ScopeError
from analytics.billing.einvoice import issuing, matching, numbering, reading, validation
from analytics.billing.einvoice.matching import Finding
from analytics.billing.einvoice.model import Invoice, InvoiceError
from analytics.core import ops, sql, store

_REFERENCE = re.compile(r"^PF-(?P<pair>.+)-(?P<year>\d{4})(?P<month>0[1-9]|1[0-2])-[0-9a-f]{8}$")


@dataclass(frozen=True)
class CheckResult:
    received_id: int
    status: str
    file_name: str
    syntax: str
    container: str
    invoice: Invoice | None
    validation: validation.ValidationResult
    findings: tuple[Finding, ...]
    station_id: str | None
    manufacturer_id: str | None
    month: str | None

    def report(self) -> str:
        """The result in words, one fact a line (what ``invoice check`` prints)."""
        inv = self.invoice
        head = (f"{self.file_name}: {self.status.upper()}"
                + (f" - {inv.number} (type {inv.type_code}), pre-invoice {inv.preinvoice_reference or '(none)'}, "
                   f"{inv.currency} net {inv.totals.tax_exclusive} VAT {inv.totals.tax} due {inv.totals.payable}"
                   if inv else ""))
        lines = [head, f"validation ({self.syntax.upper()} in {self.container.upper()}): {self.validation.summary()}"]
        lines += [f"  {v.rule}: {v.message}" for v in self.validation.errors]
        if self.findings:
            lines.append(f"{len(self.findings)} difference(s) with the pre-invoice:")
            lines += [f"  [{f.kind}] {f.subject}: expected {f.expected}, invoiced {f.invoiced} - {f.message}"
                      for f in self.findings]
        elif self.status == matching.MATCHED:
            lines.append("matches the pre-invoice: every intervention line, the VAT, the totals and the reference")
        return "\n".join(lines)


def _resolve_reference(con, scope: Scope, reference: str) -> tuple[str, str, str] | None:
    """``(station_id, manufacturer_id, month)`` a pre-invoice reference names, within ``scope``."""
    m = _REFERENCE.match(reference or "")
    if not m:
        return None
    pieces = m.group("pair").split("-")
    splits = [("-".join(pieces[:i]), "-".join(pieces[i:])) for i in range(1, len(pieces))]
    known = set(sql.fetch_all(con, "billing/einvoice/station_and_brand", {
        "station_ids": [s for s, _ in splits], "manufacturer_ids": [b for _, b in splits]}))
    for station_id, manufacturer_id in splits:
        if (station_id, manufacturer_id) not in known:
            continue
        if scope.station_id not in (None, station_id) or scope.manufacturer_id not in (None, manufacturer_id):
            continue
        return station_id, manufacturer_id, f"{m.group('year')}-{m.group('month')}"
    return None


def _credit_note_findings(db, scope: Scope, inv: Invoice, checked: validation.ValidationResult):
    """A credit note is matched with the issued invoice it cancels (BT-25), not with the
    pre-invoice as it is now (which has usually changed: that is why it was credited)."""
    try:
        cancelled = issuing.document(db, scope, inv.preceding_number).invoice
    except (InvoiceError, ScopeError):
        return (matching.INVALID if not checked.valid else matching.UNKNOWN_REFERENCE,
                [Finding("preceding invoice", "invoice", "an invoice issued here, in your view", inv.preceding_number,
                         "the credit note cancels an invoice (BT-25) that names no invoice issued here you can see")],
                scope.station_id, scope.manufacturer_id, None)
    with ops.connect(db) as oc:
        station_id, manufacturer_id, month = ops.fetch_all(oc, "billing/einvoice/issued_pair",
                                                           {"number": cancelled.number})[0]
    findings = matching.match(cancelled, inv)
    status = (matching.INVALID if not checked.valid else matching.DIFFERENCES if findings else matching.MATCHED)
    return status, findings, station_id, manufacturer_id, month


def _findings_for(db, con, scope: Scope, incoming: reading.Incoming, checked: validation.ValidationResult):
    """``(status, findings, station, brand, month)`` of a readable, possibly invalid invoice."""
    inv = incoming.invoice
    if inv is None:
        return matching.INVALID, [Finding("invalid", "invoice", "a readable EN 16931 invoice", "unreadable",
                                          incoming.read_problem)], scope.station_id, scope.manufacturer_id, None
    if inv.is_credit_note and inv.preceding_number:
        return _credit_note_findings(db, scope, inv, checked)
    where = _resolve_reference(con, scope, inv.preinvoice_reference)
    if where is None:
        findings = [Finding("reference", "invoice", "the reference of a pre-invoice in your view",
                            inv.preinvoice_reference or "(none)",
                            "the quoted pre-invoice reference (BT-13) names no pre-invoice you can see")]
        status = matching.INVALID if not checked.valid else matching.UNKNOWN_REFERENCE
        return status, findings, scope.station_id, scope.manufacturer_id, None
    station_id, manufacturer_id, month = where
    doc, expected = issuing.expected_invoice(con, station_id, manufacturer_id, month, issue_date=inv.issue_date)
    findings = matching.match(expected, inv)
    if not checked.valid:
        status = matching.INVALID
    elif doc.reference != inv.preinvoice_reference:
        status = matching.UNKNOWN_REFERENCE
    else:
        status = matching.DIFFERENCES if findings else matching.MATCHED
    return status, findings, station_id, manufacturer_id, month


def check(db: Path | str, scope: Scope, data: bytes, file_name: str, *, received_by: str,
          source: str = "upload") -> CheckResult:
    """Read, validate, match and store an incoming invoice (raises ``reading.ReadError``, storing
    nothing, when the file is refused)."""
    incoming = reading.read(data, file_name)
    checked = validation.validate(incoming.xml, incoming.syntax)
    con = store.reader(db)
    status, findings, station_id, manufacturer_id, month = _findings_for(db, con, scope, incoming, checked)
    inv = incoming.invoice
    with ops.connect(db) as oc, ops.transaction(oc):
        received_id = ops.fetch_all(oc, "billing/einvoice/insert_received", {
            "received_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "source": source,
            "received_by": received_by, "file_name": file_name, "file_sha256": hashlib.sha256(data).hexdigest(),
            "container": incoming.container, "syntax": incoming.syntax,
            "invoice_number": inv.number if inv else None, "type_code": inv.type_code if inv else None,
            "preinvoice_reference": inv.preinvoice_reference if inv else None,
            "station_id": station_id, "manufacturer_id": manufacturer_id, "month": month, "status": status,
            "validation_json": json.dumps({"valid": checked.valid, "summary": checked.summary(),
                                           "errors": [v.__dict__ for v in checked.errors],
                                           "warnings": [v.__dict__ for v in checked.warnings]}),
            "findings_json": json.dumps([f.as_dict() for f in findings]), "xml": incoming.xml})[0][0]
    return CheckResult(received_id, status, file_name, incoming.syntax, incoming.container, inv, checked,
                       tuple(findings), station_id, manufacturer_id, month)


def issue_and_deliver(db: Path | str, scope: Scope, station_id: str, manufacturer_id: str, month: str, *,
                      issued_by: str, issue_date: dt.date | None = None
                      ) -> tuple[numbering.Documents, CheckResult | None]:
    """Issue the month's invoice and deliver it to the other side: its UBL is received and checked
    like any incoming invoice, so the receiver sees it with its match (``None``: it was issued
    and delivered before)."""
    docs, new = issuing.issue(db, scope, station_id, manufacturer_id, month, issued_by=issued_by,
                              issue_date=issue_date)
    return docs, deliver(db, docs, issued_by) if new else None


def deliver(db: Path | str, docs: numbering.Documents, issued_by: str) -> CheckResult:
    """Record an issued document as received by the other side (checked like any incoming one)."""
    return check(db, Scope.manager(), docs.ubl_xml, issuing.file_name(docs.invoice, "ubl"),
                 received_by=issued_by, source="issued")


def received(db: Path | str, scope: Scope, month: str | None = None, with_unknown: bool = False) -> pd.DataFrame:
    """The received invoices the viewer may see (of ``month``, plus those whose month is unknown
    when ``with_unknown``), newest first, with their findings decoded (``findings``: list of
    dicts, ``validation``: summary text)."""
    with ops.connect(db) as oc:
        cur = ops.execute(oc, "billing/einvoice/received_list",
                          {**scope.params(), "month": month, "with_unknown": with_unknown})
        frame = pd.DataFrame(cur.fetchall(), columns=[c[0] for c in cur.description])
    frame["findings"] = [json.loads(x) for x in frame.pop("findings_json")]
    frame["validation"] = [json.loads(x)["summary"] for x in frame.pop("validation_json")]
    return frame
