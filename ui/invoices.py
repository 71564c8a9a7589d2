"""The e-invoice block of the pre-invoices page: issue the month's invoice (the side that issues
it), download what was issued (UBL XML, Factur-X PDF, CII XML), upload an incoming invoice to check,
and the invoices received with their status and findings (expected and invoiced values), shown
alike to the station and the brand. Data and scope: :mod:`analytics.billing.einvoice`."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.access.scope import ScopeError
from analytics.access.viewer import Viewer
from analytics.billing import preinvoice as pi
from analytics.billing.einvoice import inbox, issuing, model, reading
from analytics.billing.parties import UnknownParty
from ui.i18n import t
from ui.pagekit import plain

TYPE_NAMES = {"380": "invoice", "389": "self-billed invoice", "381": "credit note"}


def _issue_controls(path: Path, viewer: Viewer, doc: pi.PreInvoice, issuer: str, this_month: pd.DataFrame) -> None:
    open_invoices = this_month[this_month["type_code"].isin(["380", "389"]) & this_month["credited_by"].isna()]
    current = open_invoices.iloc[0] if len(open_invoices) else None
    if not issuing.may_issue(viewer.scope, issuer, doc.station_id, doc.manufacturer_id) or viewer.role == "manager":
        if current is None:
            st.caption(t("Not issued yet: the {issuer} issues this invoice.").format(issuer=t(issuer)))
        return
    action = None
    if current is None and doc.totals:
        action = st.button(t("Issue the invoice"), key="ei_issue", type="primary")
    elif current is not None and current["preinvoice_reference"] != doc.reference:
        st.warning(t("Invoice {number} quotes pre-invoice {old}; the pre-invoice is now {new}. An issued invoice "
                     "is never edited: a correction is a credit note and a new invoice.").format(
            number=current["number"], old=current["preinvoice_reference"], new=doc.reference))
        action = st.button(t("Issue the correction (credit note and new invoice)"), key="ei_correct")
    if not action:
        return
    try:
        with st.spinner(t("Issuing…")):
            if current is None:
                docs, _ = inbox.issue_and_deliver(path, viewer.scope, doc.station_id, doc.manufacturer_id, doc.month,
                                                  issued_by=viewer.username)
                made = [docs]
            else:
                credit, renewed = issuing.correct(path, viewer.scope, doc.station_id, doc.manufacturer_id, doc.month,
                                                  issued_by=viewer.username)
                made = [credit] + ([renewed] if renewed else [])
                for d in made:
                    inbox.deliver(path, d, viewer.username)
    except (model.InvoiceError, UnknownParty, ScopeError, pi.PreInvoiceError) as exc:
        st.error(plain(str(exc)))
        return
    st.session_state["ei_flash"] = t("Issued: {numbers}.").format(numbers=", ".join(d.invoice.number for d in made))
    st.rerun()


def _downloads(path: Path, viewer: Viewer, row) -> None:
    """Download buttons of one issued document, holding its stored bytes (an issued document never
    changes: its buttons keep one file id across reruns, so a click during a rerun finds it)."""
    number = row["number"]
    docs = issuing.document(path, viewer.scope, number)
    cols = st.columns(3)
    for col, kind, data, label, suffix, mime in (
            (cols[0], "facturx", docs.facturx_pdf, "Download Factur-X PDF", ".pdf", "application/pdf"),
            (cols[1], "ubl", docs.ubl_xml, "Download UBL XML", ".xml", "application/xml"),
            (cols[2], "cii", docs.cii_xml, "Download CII XML", ".cii.xml", "application/xml")):
        col.download_button(t(label), data, file_name=number + suffix, mime=mime, key=f"ei_dl_{kind}_{number}")


def _upload(path: Path, viewer: Viewer) -> None:
    upload = st.file_uploader(t("Check an invoice (UBL or CII XML, or Factur-X PDF)"), type=["xml", "pdf"],
                              key="ei_upload", help=t("At most 5 MB; read without DTD or entities."))
    if upload is None or not st.button(t("Check the invoice"), key="ei_check"):
        return
    try:
        result = inbox.check(path, viewer.scope, upload.getvalue(), upload.name, received_by=viewer.username)
    except reading.ReadError as exc:
        st.error(plain(str(exc)) + " " + t("(nothing was stored)"))
        return
    st.session_state["ei_flash"] = t("{file}: {status}.").format(file=upload.name, status=t(result.status))
    st.rerun()


def _received(received: pd.DataFrame) -> None:
    st.markdown("##### " + t("Invoices received ({count})").format(count=len(received)))
    if received.empty:
        st.write(t("None yet."))
        return
    for row in received.to_dict("records"):
        kind = TYPE_NAMES.get(row["type_code"] if pd.notna(row["type_code"]) else "", "document")
        st.markdown(plain(f"{row['invoice_number'] if pd.notna(row['invoice_number']) else row['file_name']} "
                          f"({t(kind)}, {row['file_name']}, {t(row['source'])} {row['received_at']}): ")
                    + f"**{plain(t(row['status']))}** — " + plain(row["validation"]))
        if row["findings"]:
            frame = pd.DataFrame(row["findings"])[["kind", "subject", "expected", "invoiced", "message"]]
            st.table(frame.rename(columns={c: t(c) for c in frame.columns}))


def render(path: Path, con, viewer: Viewer, doc: pi.PreInvoice) -> None:
    """The e-invoice section for the pre-invoice ``doc`` (the viewer's access already checked)."""
    st.markdown("#### " + t("E-invoice"))
    issuer = issuing.invoice_issuer(con, doc.station_id, doc.manufacturer_id, doc.month)
    st.caption(t("EN 16931 e-invoice of this pre-invoice: UBL 2.1 (Peppol BIS Billing 3.0) and Factur-X (PDF with "
                 "the CII XML). Issued by the {issuer} ({kind}, policy key invoice_issuer); it quotes the "
                 "pre-invoice reference, and every invoice received is checked line by line against it.").format(
        issuer=t(issuer), kind=t("self-billing") if issuer == "manufacturer" else t("type 380")))
    if "ei_flash" in st.session_state:
        st.success(plain(st.session_state.pop("ei_flash")))
    issued = issuing.issued(path, viewer.scope, doc.month)
    this_month = issued[(issued["station_id"] == doc.station_id) & (issued["manufacturer_id"] == doc.manufacturer_id)]
    _issue_controls(path, viewer, doc, issuer, this_month)
    st.markdown("##### " + t("Invoices issued ({count})").format(count=len(this_month)))
    if this_month.empty:
        st.write(t("None yet."))
    for row in this_month.to_dict("records"):
        state = (t("credited by {number}").format(number=row["credited_by"]) if pd.notna(row["credited_by"])
                 else t("current") if row["preinvoice_reference"] == doc.reference else t("outdated"))
        st.markdown(plain(f"{row['number']} — {t(TYPE_NAMES.get(row['type_code'], 'invoice'))} {row['issue_date']}, "
                          f"{row['currency']} {row['payable']}, {t('pre-invoice')} {row['preinvoice_reference']}"
                          + (f", {t('cancels')} {row['preceding_number']}" if pd.notna(row["preceding_number"]) else "")
                          + f" ({state})"))
        _downloads(path, viewer, row)
    received = inbox.received(path, viewer.scope, doc.month, with_unknown=True)
    mine = received[((received["station_id"] == doc.station_id) & (received["manufacturer_id"] == doc.manufacturer_id))
                    | received["month"].isna()]
    _received(mine)
    _upload(path, viewer)
