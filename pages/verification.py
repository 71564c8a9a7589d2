"""Pre-invoice verification: the queue by status with findings and their explanations, one
intervention's detail (the report, documents present and missing, the policy values applied and
their level, the calculated amount line by line) and the queue's export.
Data: :mod:`analytics.verification` (scope applied in SQL)."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from analytics.core.config import default_db_path
from analytics.verification import queue as verification
from analytics.catalog import STATUSES
from analytics.access.viewer import Viewer
from ui.i18n import (NO_VALUE, choose, fmt_date, fmt_number, fmt_percent, header_config, header_label, labelled,
                     language, rule_label, rule_labels, status_definition, status_label, t, with_label_columns)
from ui.explanations import explanation, formula, levels_applied, policy_label, required_by
from ui.threads import render_resolved_threads, render_status_note, render_thread
from ui.pagekit import cached, current_filters, download_buttons, open_store, plain, present, start_page

#: The queue shows this many rows at most (the export always holds the whole queue, read on click).
SHOWN_ROWS = 2000
# Material icons (bundled with Streamlit): emoji need a font the browser may not have.
STATUS_ICONS = {"blocked": ":material/block:", "review": ":material/visibility:", "ready": ":material/check_circle:"}
SEVERITY_ICONS = {"blocked": ":material/block:", "review": ":material/visibility:", "info": ":material/info:"}
#: Words of the detail tables that are keys in the data (raw in English), shown translated in French.
DOC_STATES = {"missing": "missing", "received": "received"}
COMPONENTS = {"labour": "labour", "travel": "travel", "parts": "parts", "total": "total"}
LEVELS = {"base": "base", "country": "country", "region": "region", "station": "station"}


def _shown(frame: pd.DataFrame, words: dict[str, dict[str, str]], key: str) -> None:
    """A detail table: headers in the page's language, and in French the listed columns' words
    (``words``: column -> {value: English label}) translated; the data itself is unchanged."""
    if language() == "fr":
        frame = frame.assign(**{c: [t(m.get(v, v)) if isinstance(v, str) else v for v in frame[c]]
                                for c, m in words.items() if c in frame.columns})
    st.dataframe(present(frame), hide_index=True, placeholder=NO_VALUE, key=key, column_config=header_config(frame.columns))


def render_finding(finding: dict, detail: dict, viewer: Viewer) -> None:
    """One finding of an intervention: its code, severity and explanation.

    The one place a finding is drawn, so that the conversation under each finding
    is drawn with it (:mod:`ui.threads`). ``detail`` is :func:`analytics.verification.intervention_detail`'s result.
    """
    icon = SEVERITY_ICONS.get(finding["severity"], "")
    doc = f" — {finding['doc_type']}" if finding.get("doc_type") else ""
    # the code beside the label in English; in French the label alone (the code is in the downloads)
    code = "" if language() == "fr" else f" `{finding['code']}`"
    label = rule_label(finding["code"]) if language() == "fr" else finding["label"]
    st.markdown(f"{icon} **{plain(label)}**{code} · {status_label(finding['severity'])}{plain(doc)}")
    st.markdown(plain(explanation(finding["explanation"])))

    render_thread(finding, detail, viewer)


def _money(value, currency: str | None) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if language() == "fr":  # 1 234,56 EUR
        return f"{fmt_number(Decimal(value), 2)} {currency or ''}".strip()
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
    st.markdown(f"### {STATUS_ICONS.get(status, '')} {plain(report['intervention_id'])} — {status_label(status)}")
    st.caption(status_definition(status))


    render_status_note(report["intervention_id"], viewer)
    st.markdown("#### " + t("Findings"))
    if not detail["findings"]:
        st.write(t("No finding: ready to invoice."))
    for finding in detail["findings"]:
        with st.container(border=True):
            render_finding(finding, detail, viewer)

    render_resolved_threads(detail, viewer)

    left, right = st.columns(2)
    with left:
        st.markdown("#### " + t("Report"))  # the report's fields named as table headers are
        _shown(pd.DataFrame({"field": [header_label(f) for f in report],
                             "value": [_plain_value(v) for v in report.values()]}), {},
               "verification_report")
    with right:
        st.markdown("#### " + t("Documents"))
        docs = pd.DataFrame(detail["documents"], columns=["doc_type", "required", "required_by", "received_on",
                                                          "missing"])
        if docs.empty:
            st.write(t("None required, none received."))
        else:
            docs["state"] = ["missing" if m else "received" for m in docs["missing"]]
            docs["required_by"] = labelled(docs["required_by"], required_by)
            _shown(docs[["doc_type", "state", "received_on", "required", "required_by"]], {"state": DOC_STATES},
                   "verification_documents")

    st.markdown("#### " + t("Calculated amount"))
    if not amount["lines"]:
        st.write(t("Not calculated: no policy version of the manufacturer is in force on the completion day."))
    else:
        currency = amount["currency"]
        lines = pd.DataFrame(amount["lines"])
        lines["amount"] = [_money(v, currency) for v in lines["amount"]]
        lines["formula"] = labelled(lines["formula"], formula)
        total = pd.DataFrame([{"component": "total", "amount": _money(amount["calculated"], currency),
                               "formula": t("labour + travel + parts")}])
        _shown(pd.concat([lines, total], ignore_index=True), {"component": COMPONENTS}, "verification_amount")
        cols = st.columns(3)
        cols[0].metric(t("Calculated"), _money(amount["calculated"], currency))
        cols[1].metric(t("Requested"), _money(amount["requested"], currency))
        cols[2].metric(t("Requested − calculated"), _money(amount["difference"], currency))

    st.markdown("#### " + t("Policy applied"))
    if not policy["has_policy"]:
        st.write(t("No policy in force on the completion day."))
    else:
        st.markdown(plain(t("{policy} — version valid from {day}; levels applied: {levels}").format(
            policy=policy_label(policy["label"]), day=fmt_date(policy["valid_from"]), levels=levels_applied(policy["applied_overrides"]))))
        values = pd.DataFrame(policy["values"], columns=["key", "item", "value", "level"])
        values["value"] = [_plain_value(v) for v in values["value"]]
        _shown(values, {"level": LEVELS}, "verification_policy")

    if detail["invoice_lines"]:
        st.markdown("#### " + t("Invoice lines"))
        _shown(pd.DataFrame(detail["invoice_lines"]), {}, "verification_invoice_lines")


viewer, con = start_page(t("Pre-invoice verification"),
                         t("Every intervention report goes through the same checks before it is invoiced, for the "
                           "station and for the manufacturer alike. Its status is the worst severity among its "
                           "findings."))
filters = current_filters(viewer)

# Counts, ordering, search and the rows shown are done in SQL: the page never holds the whole
# queue (a million rows at 1M interventions); the export reads it only when clicked.
counts = cached(verification.status_counts, viewer.scope, filters)
total = sum(counts.values())
cols = st.columns(len(STATUSES))
for col, status in zip(cols, STATUSES):
    n = counts[status]
    share = fmt_percent(n / total, 1) if total else "—"
    col.metric(f"{STATUS_ICONS[status]} {status_label(status)}", fmt_number(n), help=status_definition(status))
    col.caption(t("{share} of the interventions").format(share=share))

status_options = ["all", *STATUSES]
linked_status = st.query_params.get("status")  # a link may open the queue on one status
status_choice = choose(st.radio, t("Status"), status_options, lambda s: t(s) if s == "all" else status_label(s),
                       horizontal=True, key="verification_status",
                       index=status_options.index(linked_status) if linked_status in status_options else 0)
search = st.text_input(t("Find an intervention (id contains)"), key="verification_search").strip()
chosen_status = None if status_choice == "all" else status_choice
matching = cached(verification.status_counts, viewer.scope, filters, search) if search else counts
n_shown = matching[chosen_status] if chosen_status else sum(matching.values())

st.subheader(t("Queue — {count} interventions").format(count=fmt_number(n_shown)))
display = cached(verification.worst_first, viewer.scope, filters, chosen_status, search, SHOWN_ROWS).copy()
for column in ("requested_amount", "calculated_amount"):
    display[column] = [None if v is None else float(v) for v in display[column]]
display = display[["intervention_id", "status", "findings", "manufacturer_id", "station_id", "completed_on",
                   "currency", "requested_amount", "calculated_amount", "country", "region", "explanations"]]
event = st.dataframe(present(display.assign(status=labelled(display["status"], status_label),
                                             findings=labelled(display["findings"], rule_labels),
                                             explanations=labelled(display["explanations"], explanation))),
                     hide_index=True, placeholder=NO_VALUE,
                     key="verification_queue", on_select="rerun", selection_mode="single-row",
                     column_config=header_config(display.columns))  # the export keeps the raw status
if n_shown > SHOWN_ROWS:
    st.caption(t("The first {shown} are shown (worst status first, then the most recent); the export holds all "
                 "{count}.").format(shown=fmt_number(SHOWN_ROWS), count=fmt_number(n_shown)))
scope = viewer.scope
download_buttons(with_label_columns(lambda: verification.worst_first(open_store(), scope, filters, chosen_status,
                                                                     search), {"status": status_label}),
                 "verification_queue", key="verification_export", inputs=(scope, filters, chosen_status, search))

# ---------------------------------------------------------------- one intervention
st.subheader(t("Intervention detail"))
rows = event.selection.rows if event is not None and getattr(event, "selection", None) else []
typed = st.text_input(t("Intervention id"), value=st.query_params.get("intervention", ""), key="verification_id",
                      help=t("Or select a row of the queue."))
if rows:
    chosen = display["intervention_id"].iloc[rows[0]]
elif typed.strip():
    chosen = typed.strip()
else:
    chosen = display["intervention_id"].iloc[0] if not display.empty else ""
if chosen:
    detail = verification.intervention_detail(con, viewer.scope, chosen, path=default_db_path())
    if detail is None:
        st.info(t("No intervention with this id in your view."))
    else:
        st.query_params["intervention"] = chosen
        _show_detail(detail, viewer)
