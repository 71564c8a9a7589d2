"""Pre-invoices (issue 7): per month, the statement a station will invoice to a brand — its ready
interventions line by line, the performance adjustment, totals net/VAT/gross, and what was left
out and why — downloadable as PDF and CSV (the same bytes for the station and the manufacturer),
with the counters of findings awaiting an answer or a decision.
Data: :mod:`analytics.preinvoice`, :mod:`analytics.conversation` (scope checked there)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import conversation as cv
from analytics import preinvoice as pi
from analytics import store
from analytics.config import default_db_path
from analytics.scope import Scope
from ui.pagekit import current_viewer, open_store, plain
from ui.threads import render_counters

viewer = current_viewer()  # asked once per run: app.py may already have asked
st.title("Pre-invoices")
st.caption("Each month, every station receives from the verification step a pre-invoice per brand: the "
           "interventions completed that month whose status is ready, at the amount the billing policy "
           "calculates, with a reference the final invoice quotes. The same month and content always give "
           "the same reference; the station and the manufacturer download the same file.")
path = default_db_path()
if path.exists() and cv.pending_entries(path):
    cv.fold(path)  # entries written while an import ran: publish them now if the store is free
con = open_store()
if con is None:
    st.stop()

render_counters(con, viewer)
st.caption(plain(cv.waiver_note(con, viewer.scope)["note"]))


@st.cache_data(show_spinner="Preparing the pre-invoice…", max_entries=64)
def _documents(db: str, token: str, station_id: str, manufacturer_id: str, month: str):
    """The pre-invoice and its two files, computed once per store version (manager view: the
    caller has checked access, and the content does not depend on who asks)."""
    doc = pi.build(store.reader(db), Scope.manager(), station_id, manufacturer_id, month)
    return doc, pi.to_pdf(doc), pi.to_csv(doc)


available = pi.available(con, viewer.scope)
if available.empty:
    st.info("No intervention in your view yet.")
    st.stop()
months = list(dict.fromkeys(available["month"]))
wanted = st.query_params.get("month")
month = st.selectbox("Month", months, index=months.index(wanted) if wanted in months else 0, key="pf_month")
st.query_params["month"] = month
of_month = available[available["month"] == month].reset_index(drop=True)
st.dataframe(of_month.rename(columns={"ready": "ready (on the pre-invoice)", "left_out": "left out"}),
             hide_index=True, key="pf_list")
pairs = [f"{r.station_id} · {r.manufacturer_id}" for r in of_month.itertuples()]
asked = [i for i, r in enumerate(of_month.itertuples())
         if r.station_id == st.query_params.get("station") and r.manufacturer_id == st.query_params.get("manufacturer")]
choice = st.selectbox("Station · brand", range(len(pairs)), format_func=lambda i: pairs[i], key="pf_pair",
                      index=asked[0] if asked else 0)
row = of_month.iloc[choice]
station_id, manufacturer_id = row["station_id"], row["manufacturer_id"]
st.query_params["station"], st.query_params["manufacturer"] = station_id, manufacturer_id  # a shareable link
pi.check_access(viewer.scope, station_id, manufacturer_id)
version = store.version_of(path)
doc, pdf_bytes, csv_bytes = _documents(str(path), version.token if version else "", station_id, manufacturer_id,
                                       month)

st.subheader(doc.reference)
st.markdown(plain(f"Station {doc.station_id} — {doc.station_name} · Manufacturer {doc.manufacturer_id} — "
                  f"{doc.manufacturer_name} · {doc.month}"))
cols = st.columns(len(doc.totals) or 1)
if not doc.totals:
    cols[0].metric("Total", "nothing to invoice")
for col, t in zip(cols, doc.totals):
    col.metric(f"Total {t.currency} (gross)", f"{t.gross:,.2f}", help=f"net {t.net} + VAT {t.vat}")
    col.caption(f"net {t.net:,.2f} · VAT {t.vat:,.2f} · gross {t.gross:,.2f} {t.currency}")
dl = st.columns(2)
dl[0].download_button("Download PDF", pdf_bytes, file_name=pi.file_name(doc, "pdf"), mime="application/pdf",
                      key="pf_pdf")
dl[1].download_button("Download CSV", csv_bytes, file_name=pi.file_name(doc, "csv"), mime="text/csv",
                      key="pf_csv")

st.markdown(f"#### Interventions ready to invoice ({len(doc.lines)})")
if doc.lines:
    st.dataframe(pd.DataFrame([{
        "intervention_id": ln.intervention_id, "completed_on": ln.completed_on, "repair_code": ln.repair_code,
        "labour": float(ln.labor), "travel": float(ln.travel), "parts": float(ln.parts), "net": float(ln.net),
        "VAT rate": float(ln.vat_rate), "VAT": float(ln.vat), "gross": float(ln.gross), "currency": ln.currency,
        "settled in conversation": ln.note} for ln in doc.lines]), hide_index=True, key="pf_lines")
else:
    st.write("None this month.")
for a in doc.adjustments:
    st.markdown(plain(a.description + (f": {a.amount} {a.currency} net" if a.amount is not None else "")))
st.markdown(f"#### Left out ({len(doc.left_out)})")
if doc.left_out:
    st.dataframe(pd.DataFrame([{"intervention_id": x.intervention_id, "completed_on": x.completed_on,
                                "status": x.status, "findings": x.finding_codes, "why": " | ".join(x.reasons)}
                               for x in doc.left_out]), hide_index=True, key="pf_left_out")
    st.caption("Answer or settle their findings on the verification page; the pre-invoice (and its reference) "
               "follows.")
else:
    st.write("Nothing: every intervention of the month is ready.")
