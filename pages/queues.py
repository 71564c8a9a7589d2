"""Work queues: each counter opens its list — the findings awaiting the station's answer, those
awaiting the manufacturer's decision, the disputes open longest — oldest first, with the action at
hand on the selected row (answer, decide, or open the disputed intervention).
Data: :mod:`analytics.conversation.queues` (scope and filters applied in SQL; a counter and its list
read the same rows). The open queue is in the URL (``?queue=answer|decision|disputes``)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics.conversation import queues
from analytics.core.config import default_db_path
from ui.explanations import explanation
from ui.i18n import (NO_VALUE, fmt_date, fmt_number, header_config, labelled, reason_label, rule_label, status_label, t,
                     with_label_columns)
from ui.pagekit import (cached, cached_live, current_filters, download_buttons, kept_params, open_store, page_link, plain,
                        present, start_page)
from ui.threads import render_thread

#: A list shows this many rows at most (the export holds the whole queue, read on click).
SHOWN_ROWS = 2000
QUEUE_LABELS = {"answer": "Awaiting the station's answer", "decision": "Awaiting the manufacturer's decision",
                "disputes": "Disputes open longest"}
QUEUE_HELP = {
    "answer": "Current blocked or review findings nobody has answered or decided yet, oldest report first.",
    "decision": "Findings whose latest station answer is newer than the latest decision, oldest answer first.",
    "disputes": "Disputes not resolved yet, opened longest ago first.",
}
#: The queue a role works in first (the list opened when the link names none).
OWN_QUEUE = {"station": "answer", "manufacturer": "decision", "manager": "disputes"}

viewer, con = start_page(t("Work queues"), t("What waits for an answer or a decision, oldest first. Select a row "
                                             "to act on it."))
filters = current_filters(viewer)
counts = cached_live(queues.queue_counts, viewer.scope, filters)

chosen = st.query_params.get("queue")
if chosen not in queues.QUEUES:
    chosen = OWN_QUEUE.get(viewer.role, "answer")
for column, name in zip(st.columns(len(queues.QUEUES)), queues.QUEUES):
    label = f"{t(QUEUE_LABELS[name])} · **{fmt_number(counts[name])}**"
    if column.button(label, key=f"queues_open_{name}", help=t(QUEUE_HELP[name]), use_container_width=True,
                     type="primary" if name == chosen else "secondary"):
        st.query_params["queue"] = name
        st.rerun()
st.query_params["queue"] = chosen
total = counts[chosen]
st.subheader(t(QUEUE_LABELS[chosen]) + f" — {fmt_number(total)}")
st.caption(t(QUEUE_HELP[chosen]))
if total == 0:
    st.info(t("Nothing waits here in your selection: widen the period or the filters in the sidebar to see "
              "older items."))
    st.stop()


def _days_since(values) -> list:
    today = dt.date.today()
    return [None if pd.isna(v) else (today - pd.Timestamp(v).date()).days for v in values]


scope = viewer.scope
if chosen == "disputes":
    rows = cached(queues.open_disputes, scope, filters, SHOWN_ROWS)
    shown = rows.assign(days_open=_days_since(rows["opened_on"]),
                        opened_on=[None if pd.isna(v) else pd.Timestamp(v).date() for v in rows["opened_on"]],
                        reason=labelled(rows["reason"], reason_label),
                        disputed_amount=[None if pd.isna(v) else float(v) for v in rows["disputed_amount"]])
    shown = shown[["opened_on", "days_open", "dispute_id", "intervention_id", "reason", "disputed_amount", "currency",
                   "station_id", "manufacturer_id", "country", "region", "prevented"]]
    export = lambda: queues.open_disputes(open_store(), scope, filters)  # noqa: E731 - read on click
else:
    rows = cached_live(queues.finding_queue, scope, filters, chosen, SHOWN_ROWS)
    shown = rows.assign(days_waiting=_days_since(rows["waiting_since"]),
                        waiting_since=[None if pd.isna(v) else pd.Timestamp(v).date() for v in rows["waiting_since"]],
                        label=labelled(rows["code"], rule_label), severity=labelled(rows["severity"], status_label),
                        explanation=labelled(rows["explanation"], explanation))
    columns = ["waiting_since", "days_waiting", "intervention_id", "label", "severity", "doc_type", "explanation",
               "station_id", "manufacturer_id", "country", "region"]
    if chosen == "decision":
        columns[6:6] = ["answered_by", "answer_body"]
    shown = shown[columns]
    export = lambda: queues.finding_queue(open_store(), scope, filters, chosen,  # noqa: E731 - read on click
                                          path=default_db_path())

event = st.dataframe(present(shown), hide_index=True, placeholder=NO_VALUE, key=f"queues_list_{chosen}", on_select="rerun",
                     selection_mode="single-row", column_config=header_config(shown.columns))
if total > SHOWN_ROWS:
    st.caption(t("The oldest {shown} are shown; the export holds all {total}.").format(
        shown=fmt_number(SHOWN_ROWS), total=fmt_number(total)))
download_buttons(with_label_columns(export, {"code": rule_label, "severity": status_label, "reason": reason_label}),
                 f"queue_{chosen}", key=f"queues_export_{chosen}", inputs=(scope, filters, chosen))

picked = event.selection.rows if event is not None and getattr(event, "selection", None) else []
st.subheader(t("Action"))
if not picked:
    st.caption(t("Select a row of the list to answer, decide or open it here."))
    st.stop()
row = rows.iloc[picked[0]]
with st.container(border=True):
    if chosen == "disputes":
        st.markdown(plain(t("Dispute {dispute} on intervention {intervention} (invoice {invoice})").format(
            dispute=row["dispute_id"], intervention=row["intervention_id"], invoice=row["invoice_id"])))
        st.markdown(plain(t("Opened {day}, reason {reason}.").format(
            day=fmt_date(pd.Timestamp(row["opened_on"]).date()), reason=row["reason_given"])))
        page_link("verification", t("Open the intervention, its findings and their conversation"),
                  icon=":material/fact_check:", query={**kept_params(), "intervention": row["intervention_id"]})
    else:
        doc = f" ({row['doc_type']})" if row["doc_type"] else ""
        st.markdown(f"**{plain(rule_label(row['code']))}**{plain(doc)} · `{plain(row['intervention_id'])}` · "
                    f"{plain(status_label(row['severity']))}")
        if isinstance(row["explanation"], str):
            st.markdown(plain(explanation(row["explanation"])))
        render_thread({"intervention_id": row["intervention_id"], "code": row["code"], "doc_type": row["doc_type"]},
                      None, viewer)
        page_link("verification", t("Open the whole intervention"), icon=":material/fact_check:",
                  query={**kept_params(), "intervention": row["intervention_id"]})
