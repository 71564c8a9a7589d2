"""Pre-invoices: per month, the statement a station will invoice to a brand — its ready
interventions line by line, the performance adjustment, totals net/VAT/gross, and what was left
out and why — downloadable as PDF and CSV (the same bytes for the station and the manufacturer),
with the counters of findings awaiting an answer or a decision.
Data: :mod:`analytics.preinvoice`, :mod:`analytics.conversation` (scope checked there)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.conversation import threads as cv
from analytics.billing import preinvoice as pi
from analytics.core import store
from analytics.core.config import default_db_path
from analytics.access.scope import Scope
from ui.explanations import left_out_reason
from ui.i18n import (NO_VALUE, fmt_amount, fmt_number, fmt_percent, header_config, language, rule_labels, status_label,
                     t)
from ui.pagekit import current_filters, current_viewer, open_store, plain, present
from ui.threads import render_counters
from ui import invoices as einvoices

viewer = current_viewer()  # asked once per run: app.py may already have asked
st.title(t("Pre-invoices"))
st.caption(t("Each month, every station receives from the verification step a pre-invoice per brand: the "
             "interventions completed that month whose status is ready, at the amount the billing policy "
             "calculates, with a reference the final invoice quotes. The same month and content always give "
             "the same reference; the station and the manufacturer download the same file."))
path = default_db_path()
cv.publish_pending(path)  # entries written while an import ran: publish them now if the store is free
con = open_store()
if con is None:
    st.stop()

render_counters(con, viewer, current_filters(viewer))
_waiver = cv.waiver_note(con, viewer.scope)
if language() == "fr":  # the same note as analytics.conversation.waiver_note, worded in French
    _note = t(cv.WAIVER_NOTE)
    if _waiver["settled_findings"]:
        _note += " " + t("Here: {findings} settled finding(s) on {interventions} intervention(s).").format(
            findings=fmt_number(_waiver["settled_findings"]),
            interventions=fmt_number(_waiver["interventions_with_settled"]))
        if _waiver["disputes_waived"]:
            _note += " " + t("{disputes} dispute(s) had a matching finding that was settled.").format(
                disputes=fmt_number(_waiver["disputes_waived"]))
    st.caption(plain(_note))
else:
    st.caption(plain(_waiver["note"]))


@st.cache_data(show_spinner=False, max_entries=64)
def _documents(db: str, token: str, station_id: str, manufacturer_id: str, month: str):
    """The pre-invoice, its CSV and its PDF, computed once per store version (manager view: the
    caller has checked access, and the content does not depend on who asks). The PDF is made here
    rather than when clicked (a deferred download's id changes each run: a click during a rerun
    hung); the cache makes that once per pre-invoice and store version."""
    doc = pi.build(store.reader(db), Scope.manager(), station_id, manufacturer_id, month)
    return doc, pi.to_csv(doc), pi.to_pdf(doc)


available = pi.available(con, viewer.scope)
if available.empty:
    st.info(t("No intervention in your view yet."))
    st.stop()
months = list(dict.fromkeys(available["month"]))
wanted = st.query_params.get("month")
month = st.selectbox(t("Month"), months, index=months.index(wanted) if wanted in months else 0, key="pf_month")
st.query_params["month"] = month
of_month = available[available["month"] == month].reset_index(drop=True)
_listed = of_month.rename(columns={"ready": "ready (on the pre-invoice)", "left_out": "left out"})
st.dataframe(present(_listed), hide_index=True, placeholder=NO_VALUE, key="pf_list", column_config=header_config(_listed.columns))
pairs = [f"{r.station_id} · {r.manufacturer_id}" for r in of_month.itertuples()]
asked = [i for i, r in enumerate(of_month.itertuples())
         if r.station_id == st.query_params.get("station") and r.manufacturer_id == st.query_params.get("manufacturer")]
choice = st.selectbox(t("Station · brand"), range(len(pairs)), format_func=lambda i: pairs[i], key="pf_pair",
                      index=asked[0] if asked else 0)
row = of_month.iloc[choice]
station_id, manufacturer_id = row["station_id"], row["manufacturer_id"]
st.query_params["station"], st.query_params["manufacturer"] = station_id, manufacturer_id  # a shareable link
pi.check_access(viewer.scope, station_id, manufacturer_id)
version = store.version_of(path)
with st.spinner(t("Preparing the pre-invoice…")):
    doc, csv_bytes, pdf_bytes = _documents(str(path), version.token if version else "", station_id,
                                           manufacturer_id, month)

st.subheader(doc.reference)
st.markdown(plain(t("Station {station} — {station_name} · Manufacturer {manufacturer} — {manufacturer_name} · "
                    "{month}").format(station=doc.station_id, station_name=doc.station_name,
                                      manufacturer=doc.manufacturer_id, manufacturer_name=doc.manufacturer_name,
                                      month=doc.month)))
cols = st.columns(len(doc.totals) or 1)
if not doc.totals:
    cols[0].metric(t("Total"), t("nothing to invoice"))
for col, total in zip(cols, doc.totals):
    col.metric(t("Total {currency} (gross)").format(currency=total.currency), fmt_number(total.gross, 2),
               help=t("net {net} + VAT {vat}").format(net=fmt_number(total.net, 2), vat=fmt_number(total.vat, 2)))
    col.caption(t("net {net} · VAT {vat} · gross {gross}").format(
        net=fmt_number(total.net, 2), vat=fmt_number(total.vat, 2), gross=fmt_amount(total.gross, total.currency)))
dl = st.columns(2)
dl[0].download_button(t("Download PDF"), pdf_bytes, file_name=pi.file_name(doc, "pdf"), mime="application/pdf",
                      key="pf_pdf")
dl[1].download_button(t("Download CSV"), csv_bytes, file_name=pi.file_name(doc, "csv"), mime="text/csv",
                      key="pf_csv")

st.markdown("#### " + t("Interventions ready to invoice ({count})").format(count=len(doc.lines)))
if doc.lines:
    _lines = pd.DataFrame([{
        "intervention_id": ln.intervention_id, "completed_on": ln.completed_on, "repair_code": ln.repair_code,
        "labour": float(ln.labor), "travel": float(ln.travel), "parts": float(ln.parts), "net": float(ln.net),
        "VAT rate": float(ln.vat_rate), "VAT": float(ln.vat), "gross": float(ln.gross), "currency": ln.currency,
        "settled in conversation": ln.note} for ln in doc.lines])
    st.dataframe(present(_lines), hide_index=True, placeholder=NO_VALUE, key="pf_lines", column_config=header_config(_lines.columns))
else:
    st.write(t("None this month."))


def _adjustment_text(a: pi.Adjustment) -> str:
    """The performance adjustment line: the document's own words in English (the PDF's), the same
    facts worded in French."""
    if language() != "fr":
        return a.description + (f": {a.amount} {a.currency} net" if a.amount is not None else "")
    score = t("no score") if a.score is None else t("score {score}").format(score=fmt_number(a.score, 1))
    if a.amount is None:
        return t("Performance adjustment: none ({score}, no matching tier)").format(score=score)
    sign = "+" if a.labor_adjustment >= 0 else "-"
    return t("Performance adjustment: {score}, tier {tier}: {percent} of the month's calculated labour {labour}: "
             "{amount} net").format(score=score, tier=a.tier_no,
                                    percent=sign + fmt_percent(abs(float(a.labor_adjustment)), 0),
                                    labour=fmt_amount(a.labor_amount, a.currency),
                                    amount=fmt_amount(a.amount, a.currency))


for a in doc.adjustments:
    st.markdown(plain(_adjustment_text(a)))
st.markdown("#### " + t("Left out ({count})").format(count=len(doc.left_out)))
if doc.left_out:
    _left = pd.DataFrame([{"intervention_id": x.intervention_id, "completed_on": x.completed_on,
                           "status": status_label(x.status), "findings": rule_labels(x.finding_codes),
                           "why": " | ".join(left_out_reason(r) for r in x.reasons)}
                          for x in doc.left_out])  # the status is shown translated (the CSV download keeps it raw)
    st.dataframe(present(_left), hide_index=True, placeholder=NO_VALUE, key="pf_left_out", column_config=header_config(_left.columns))
    st.caption(t("Answer or settle their findings on the verification page; the pre-invoice (and its reference) "
                 "follows."))
else:
    st.write(t("Nothing: every intervention of the month is ready."))

einvoices.render(path, con, viewer, doc)  # the e-invoice of this pre-invoice: issue, download, check
