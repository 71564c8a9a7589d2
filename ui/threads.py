"""The conversation under a finding, drawn on the verification page.

:func:`render_thread` shows a finding's state (open, answered, waived, confirmed, document sent),
its entries — who, role, when, what; text verbatim (``st.text``, never markup) — and a form with
the actions the viewer's role allows (:data:`analytics.conversation.ALLOWED`). Writes go through
:func:`analytics.conversation.add_entry`, which never waits for an import: when one holds the
store the entry is kept and shown as pending. :func:`render_resolved_threads` shows the threads
of findings a later import fixed ("finding resolved"). Logic and permissions live in
:mod:`analytics.conversation`; this module only draws.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.conversation import queues, threads as cv
from analytics.core.filters import Filters
from analytics.core.config import default_db_path
from analytics.access.scope import ScopeError
from analytics.access.viewer import Viewer
from ui.i18n import choose, date_input_format, fmt_date, fmt_number, t
from ui.pagekit import kept_params, open_store, page_link, plain

_FLASH_KEY = "_threads_flash"
STATE_LABELS = {
    "open": "open — awaiting the station's answer",
    "answered": "answered — awaiting the manufacturer's decision",
    "waived": "waived — no longer counts toward the status",
    "confirmed": "confirmed by the manufacturer — still counts",
    "document_sent": "document sent — counts as received",
}


#: What the action buttons say (the entry kinds' labels are in analytics.conversation.KIND_LABELS).
#: These English texts are keys of ``ui.i18n.FR``: they are shown through ``t``.
ACTION_LABELS = {"justification": "justify", "document_sent": "document sent", "comment": "comment",
                 "waive": "accept and waive", "confirm": "confirm the finding"}


def thread_key(intervention_id: str, code: str, doc_type: str = "") -> str:
    """A stable widget key for one finding's thread (ids may hold any character)."""
    digest = hashlib.sha1(f"{intervention_id}\0{code}\0{doc_type}".encode("utf-8")).hexdigest()[:12]
    return f"thread-{digest}"


def _when(value) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M UTC")


def _state_of(con, viewer: Viewer, intervention_id: str, code: str, doc_type: str, path: Path) -> dict | None:
    df = cv.findings(con, viewer.scope, intervention_id, path=path)
    df = df[(df["code"] == code) & (df["doc_type"] == doc_type)]
    return df.iloc[0].to_dict() if len(df) else None


def _show_entries(entries: pd.DataFrame) -> None:
    for e in entries.to_dict("records"):
        label = t(cv.KIND_LABELS.get(e["kind"], e["kind"]))
        extra = ""
        if e["kind"] == "document_sent" and e.get("sent_doc_type"):
            extra = " · " + t("{document} sent on {day}").format(
                document=e["sent_doc_type"], day=fmt_date(pd.Timestamp(e["sent_doc_received_on"]).date()))
        pending = (" · " + t("saved; being added to the figures")
                   if e.get("pending") else "")
        st.markdown(f"**{plain(e['author'])}** ({plain(e['author_role'])}) · {_when(e['written_at'])} · "
                    f"*{plain(label)}*{plain(extra)}{pending}")
        if e["body"]:
            st.text(e["body"])  # verbatim, no markup


def _flash(key: str) -> None:
    message = st.session_state.get(_FLASH_KEY, {}).pop(key, None)
    if message:
        kind, text = message
        (st.success if kind == "ok" else st.info)(t(text))


def render_thread(finding: dict, detail: dict | None, viewer: Viewer, *, db_path: Path | str | None = None,
                  resolved: bool = False) -> None:
    """The thread of one finding and the actions the viewer may take on it."""
    path = Path(db_path) if db_path else default_db_path()
    con = open_store()
    if con is None:
        return
    iid = finding.get("intervention_id") or detail["report"]["intervention_id"]
    code = finding["code"]
    doc_type = finding.get("doc_type")
    doc_type = doc_type if isinstance(doc_type, str) else ""
    key = thread_key(iid, code, doc_type)
    state = _state_of(con, viewer, iid, code, doc_type, path)
    entries = cv.entries(con, viewer.scope, iid, path=path)
    entries = entries[(entries["code"] == code) & (entries["doc_type"] == doc_type)]
    with st.container(key=key):
        if resolved:
            what = plain(f" ({doc_type})" if doc_type else "")
            st.markdown(f"**{t('Finding resolved')}** — `{plain(code)}`{what} "
                        + t("no longer fires on the current data; its conversation is kept."))
        elif state is not None and state["entries"]:
            note = state.get("settled_note") if state.get("settled") else None
            st.caption(plain(t("Conversation:") + f" {t(STATE_LABELS.get(state['state'], state['state']))}"
                             + (f" ({note})" if isinstance(note, str) else "")))
        _show_entries(entries)
        _flash(key)
        kinds = [k for k in cv.allowed_kinds(viewer.role)
                 if not (k == "document_sent" and code != "DOC_MISSING") and not (resolved and k != "comment")]
        if not kinds:
            return
        with st.form(key=f"{key}-form", clear_on_submit=True, border=False):
            kind = choose(st.radio, t("Action"), kinds, lambda k: t(ACTION_LABELS[k]), horizontal=True,
                          key=f"{key}-kind")
            body = st.text_area(t("Reason or message"), key=f"{key}-body", height=80,
                                help=t("Stored and shown exactly as written. Waiving or confirming needs a reason."))
            sent_on = None
            if "document_sent" in kinds:
                sent_on = st.date_input(t("Date the document was sent (for 'document sent')"), value=dt.date.today(),
                                        key=f"{key}-date", format=date_input_format())
            if st.form_submit_button(t("Add to the conversation")):
                try:
                    # returns once the entry is durable; the status and queues read it at once
                    # (live reads), the figures once this process has published it
                    written = cv.add_entry(path, viewer, iid, code, kind, body, doc_type=doc_type,
                                           sent_doc_type=doc_type if kind == "document_sent" else None,
                                           sent_doc_received_on=sent_on if kind == "document_sent" else None,
                                           background=True)
                except (cv.ConversationError, ScopeError) as exc:
                    st.error(str(exc))
                else:
                    st.session_state.setdefault(_FLASH_KEY, {})[key] = (
                        "ok" if written.applied or written.publishing else "pending", written.message)
                    st.rerun()


def render_resolved_threads(detail: dict, viewer: Viewer, *, db_path: Path | str | None = None) -> None:
    """Threads of this intervention's findings that no longer exist (fixed by a later import)."""
    con = open_store()
    if con is None:
        return
    iid = detail["report"]["intervention_id"]
    df = cv.findings(con, viewer.scope, iid, path=Path(db_path) if db_path else default_db_path())
    gone = df[~df["finding_exists"].astype(bool)]
    for f in gone.to_dict("records"):
        with st.container(border=True):
            render_thread({"intervention_id": iid, "code": f["code"], "doc_type": f["doc_type"]}, detail, viewer,
                          db_path=db_path, resolved=True)


def render_counters(con, viewer: Viewer, filters=None) -> None:
    """Findings awaiting the station's answer and the manufacturer's decision in the viewer's scope
    (and ``filters``), each a link to its work queue (``pages/queues.py``, which lists exactly
    those rows), and the findings settled or confirmed."""
    path = default_db_path()
    waiting = queues.queue_counts(con, viewer.scope, filters or Filters(), path=path)
    c = cv.counters(con, viewer.scope, path=path)
    cols = [*st.columns(2), *st.columns(2)]  # two rows: four in a row cut the labels at 1366 px
    for col, name, label, why in (
        (cols[0], "answer", "Awaiting the station's answer",
         "Current blocked or review findings nobody has answered or decided yet."),
        (cols[1], "decision", "Awaiting the manufacturer's decision",
         "Findings whose latest station answer (justification or document) is newer than the latest decision."),
    ):
        col.metric(t(label), fmt_number(waiting[name]), help=t(why))
        page_link("queues", t("Open the list"), icon=":material/list:", query={**kept_params(), "queue": name},
                  where=col)
    cols[2].metric(t("Settled in conversation"), fmt_number(c["settled"]),
                   help=t("Waived by the manufacturer, or a missing document the station has sent: they no longer "
                          "count toward the status."))
    cols[3].metric(t("Confirmed"), fmt_number(c["confirmed"]),
                   help=t("Findings the manufacturer confirmed: they still count."))


def render_status_note(intervention_id: str, viewer: Viewer) -> None:
    """Under an intervention's status: the findings settled in conversation, by whom and why."""
    con = open_store()
    if con is None:
        return
    status = cv.status_of(con, viewer.scope, intervention_id, path=default_db_path())
    if status and status["waived_codes"]:
        st.info(plain(t("Settled in conversation, no longer counted in the status:") + f" {status['waived_note']}"))
