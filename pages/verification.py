"""Pre-invoice verification: the queue by status with findings and their explanations, one
intervention's detail (the report, documents present and missing, the policy values applied and
their level, the calculated amount line by line) and the queue's export.
Data: :mod:`analytics.verification` (scope applied in SQL)."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from analytics import verification
from analytics.catalog import STATUS_DEFINITIONS, STATUSES
from analytics.viewer import Viewer
from ui.pagekit import cached, current_filters, download_buttons, open_store, plain, start_page

#: The queue shows this many rows at most (the export always holds the whole queue, read on click).
SHOWN_ROWS = 2000
# Material icons (bundled with Streamlit): emoji need a font the browser may not have.
STATUS_ICONS = {"blocked": ":material/block:", "review": ":material/visibility:", "ready": ":material/check_circle:"}
SEVERITY_ICONS = {"blocked": ":material/block:", "review": ":material/visibility:", "info": ":material/info:"}


def render_finding(finding: dict, detail: dict, viewer: Viewer) -> None:
    """One finding of an intervention: its code, severity and explanation.

    The one place a finding is drawn, so that the conversation under each finding (issue 7)
    can be added here. ``detail`` is :func:`analytics.verification.intervention_detail`'s result.
    """
    icon = SEVERITY_ICONS.get(finding["severity"], "")
    doc = f" — {finding['doc_type']}" if finding.get("doc_type") else ""
    st.markdown(f"{icon} **{plain(finding['label'])}** `{finding['code']}` · {finding['severity']}{plain(doc)}")
    st.markdown(plain(finding["explanation"]))
    from ui.threads import render_thread  # issue 7: the conversation under the finding

    render_thread(finding, detail, viewer)


def _money(value, currency: str | None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{Decimal(value):,.2f} {currency or ''}".strip()


def _plain_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _show_detail(detail: dict, viewer: Viewer) -> None:
    report, policy, amount = detail["report"], detail["policy"], detail["amount"]
    status = detail["status"]
    st.markdown(f"### {STATUS_ICONS.get(status, '')} {plain(report['intervention_id'])} — {status}")
    st.caption(STATUS_DEFINITIONS.get(status, ""))

    from ui.threads import render_status_note  # issue 7: waived findings, by whom and why

    render_status_note(report["intervention_id"], viewer)
    st.markdown("#### Findings")
    if not detail["findings"]:
        st.write("No finding: ready to invoice.")
    for finding in detail["findings"]:
        with st.container(border=True):
            render_finding(finding, detail, viewer)
    from ui.threads import render_resolved_threads  # issue 7: threads of findings fixed since

    render_resolved_threads(detail, viewer)

    left, right = st.columns(2)
    with left:
        st.markdown("#### Report")
        st.dataframe(pd.DataFrame({"field": list(report), "value": [_plain_value(v) for v in report.values()]}),
                     hide_index=True, key="verification_report")
    with right:
        st.markdown("#### Documents")
        docs = pd.DataFrame(detail["documents"], columns=["doc_type", "required", "required_by", "received_on",
                                                          "missing"])
        if docs.empty:
            st.write("None required, none received.")
        else:
            docs["state"] = ["missing" if m else "received" for m in docs["missing"]]
            st.dataframe(docs[["doc_type", "state", "received_on", "required", "required_by"]], hide_index=True,
                         key="verification_documents")

    st.markdown("#### Calculated amount")
    if not amount["lines"]:
        st.write("Not calculated: no policy version of the manufacturer is in force on the completion day.")
    else:
        currency = amount["currency"]
        lines = pd.DataFrame(amount["lines"])
        lines["amount"] = [_money(v, currency) for v in lines["amount"]]
        total = pd.DataFrame([{"component": "total", "amount": _money(amount["calculated"], currency),
                               "formula": "labour + travel + parts"}])
        st.dataframe(pd.concat([lines, total], ignore_index=True), hide_index=True, key="verification_amount")
        cols = st.columns(3)
        cols[0].metric("Calculated", _money(amount["calculated"], currency))
        cols[1].metric("Requested", _money(amount["requested"], currency))
        cols[2].metric("Requested − calculated", _money(amount["difference"], currency))

    st.markdown("#### Policy applied")
    if not policy["has_policy"]:
        st.write("No policy in force on the completion day.")
    else:
        st.markdown(plain(f"{policy['label']} — version valid from {policy['valid_from']}; "
                          f"levels applied: {policy['applied_overrides']}"))
        values = pd.DataFrame(policy["values"], columns=["key", "item", "value", "level"])
        values["value"] = [_plain_value(v) for v in values["value"]]
        st.dataframe(values, hide_index=True, key="verification_policy")

    if detail["invoice_lines"]:
        st.markdown("#### Invoice lines")
        st.dataframe(pd.DataFrame(detail["invoice_lines"]), hide_index=True, key="verification_invoice_lines")


viewer, con = start_page("Pre-invoice verification",
                         "Every intervention report goes through the same checks before it is invoiced, for the "
                         "station and for the manufacturer alike. Its status is the worst severity among its findings.")
filters = current_filters(viewer)

# Counts, ordering, search and the rows shown are done in SQL: the page never holds the whole
# queue (a million rows at 1M interventions); the export reads it only when clicked.
counts = cached(verification.status_counts, viewer.scope, filters)
total = sum(counts.values())
cols = st.columns(len(STATUSES))
for col, status in zip(cols, STATUSES):
    n = counts[status]
    share = f"{n / total * 100:.1f} %" if total else "—"
    col.metric(f"{STATUS_ICONS[status]} {status}", f"{n:,}", help=STATUS_DEFINITIONS[status])
    col.caption(f"{share} of the interventions")

status_choice = st.radio("Status", ["all", *STATUSES], horizontal=True, key="verification_status")
search = st.text_input("Find an intervention (id contains)", key="verification_search").strip()
chosen_status = None if status_choice == "all" else status_choice
matching = cached(verification.status_counts, viewer.scope, filters, search) if search else counts
n_shown = matching[chosen_status] if chosen_status else sum(matching.values())

st.subheader(f"Queue — {n_shown:,} interventions")
display = cached(verification.worst_first, viewer.scope, filters, chosen_status, search, SHOWN_ROWS).copy()
for column in ("requested_amount", "calculated_amount"):
    display[column] = [None if v is None else float(v) for v in display[column]]
display = display[["intervention_id", "status", "findings", "manufacturer_id", "station_id", "completed_on",
                   "currency", "requested_amount", "calculated_amount", "country", "region", "explanations"]]
event = st.dataframe(display, hide_index=True, key="verification_queue", on_select="rerun",
                     selection_mode="single-row")
if n_shown > SHOWN_ROWS:
    st.caption(f"The first {SHOWN_ROWS:,} are shown (worst status first, then the most recent); "
               f"the export holds all {n_shown:,}.")
scope = viewer.scope
download_buttons(lambda: verification.worst_first(open_store(), scope, filters, chosen_status, search),
                 "verification_queue", key="verification_export")

# ---------------------------------------------------------------- one intervention
st.subheader("Intervention detail")
rows = event.selection.rows if event is not None and getattr(event, "selection", None) else []
typed = st.text_input("Intervention id", value=st.query_params.get("intervention", ""), key="verification_id",
                      help="Or select a row of the queue.")
if rows:
    chosen = display["intervention_id"].iloc[rows[0]]
elif typed.strip():
    chosen = typed.strip()
else:
    chosen = display["intervention_id"].iloc[0] if not display.empty else ""
if chosen:
    detail = verification.intervention_detail(con, viewer.scope, chosen)
    if detail is None:
        st.info("No intervention with this id in your view.")
    else:
        st.query_params["intervention"] = chosen
        _show_detail(detail, viewer)
