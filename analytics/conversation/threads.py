"""The conversation under each finding: an append-only thread per finding.

A finding is keyed by ``(intervention_id, code, doc_type)`` (``doc_type`` is the missing
document type for ``DOC_MISSING``, ``''`` otherwise). Entries live in the store's table
``finding_entries`` (migration 002) and are never updated nor deleted: a decision is
superseded by a later one. Who may write what:

* a **station** user, on its own station's interventions: ``justification``,
  ``document_sent`` (DOC_MISSING only, with the document's type and date: it then counts as
  received), ``comment``;
* a **manufacturer** user, on its brand's interventions: ``waive`` (accepts the
  justification: the finding no longer counts toward status) or ``confirm`` (it stays),
  always with a reason, and ``comment``;
* a **manager**: ``comment``.

Anything else raises :class:`~analytics.access.scope.ScopeError`; bad input raises
:class:`ConversationError` with a message naming the field and the rule.

Write path (docs/ARCHITECTURE.md, "Conversation on findings"): the store is only written
through :func:`analytics.core.store.writer` (one writer at a time, private copy, atomic rename),
and an import may hold it for a while. A write therefore first appends the entry to a
journal next to the store (``<store>.entries.jsonl``, one JSON line, ``fsync``'d under a
short-lived lock of its own) — from then on it is durable and shown as *pending* — and then
tries to publish at once with ``writer(wait=False)``: when no import holds the store, the
entry is in ``finding_entries`` and the status reflects it when :func:`add_entry` returns.
When an import runs, nothing waits: every writer's ``engine.refresh`` calls
:func:`analytics.engine.journal.fold_journal`, which inserts the journal's entries into the copy being published, and
a journal line is dropped only once the *published* store holds it. Folding is idempotent
(by ``entry_id`` and content), so a crash at any point loses nothing and duplicates nothing.
In the replicated layout (:mod:`analytics.core.store`) publishing costs what the entry changes,
so the writer waits for the change in front of it and publishes its entry (with every other
pending one) as one logged change.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics.access.scope import Scope, ScopeError
from analytics.core import sql, store
from analytics.engine import journal, live, publishing
from analytics.engine.journal import Entry

KINDS = ("comment", "justification", "document_sent", "waive", "confirm")

#: What each role may write (every role may comment).
ALLOWED: dict[str, tuple[str, ...]] = {
    "station": ("justification", "document_sent", "comment"),
    "manufacturer": ("waive", "confirm", "comment"),
    "manager": ("comment",),
}

#: Kinds that need a current finding (a resolved finding only takes comments).
_NEEDS_FINDING = ("justification", "document_sent", "waive", "confirm")
#: Replicated store: how long an entry's writer waits for the writes in front of it before
#: leaving its (durable) entry pending.
PUBLISH_WAIT_SECONDS = 60.0
#: Longest body accepted (a comment may be long, but not a file).
MAX_BODY = 10_000

KIND_LABELS = {
    "comment": "comment",
    "justification": "justification",
    "document_sent": "document sent",
    "waive": "waived (justification accepted)",
    "confirm": "confirmed",
}

#: The note shown beside every figure that depends on status (ready_rate, dispute prevention).
WAIVER_NOTE = ("Findings settled in conversation — waived by the manufacturer, or a missing document the "
               "station has sent — no longer count toward an intervention's status: ready_rate counts such "
               "interventions as ready, and dispute prevention does not count a settled finding as preventing.")


class ConversationError(ValueError):
    """An entry was refused for a reason the writer can fix (message names field and rule)."""


@dataclass(frozen=True)
class Written:
    """What :func:`add_entry` did: the entry, and whether it is already in the published store
    (``applied``) or waits in the journal for the import that holds the store (``pending``)."""

    entry: Entry
    applied: bool
    #: Written with ``background``: this process publishes it in a moment, and live reads
    #: (statuses, threads, work queues) show it already.
    publishing: bool = False

    @property
    def message(self) -> str:
        if self.applied or self.publishing:
            return "Saved."
        return ("Saved. An import is updating the store right now: your entry is kept and will count "
                "as soon as the import has finished.")


# ---------------------------------------------------------------- writing

def publish_pending(path: Path | str) -> bool:
    """Publish the entries written while an import held the store, if it is free now; returns
    whether nothing is pending any more."""
    if not Path(path).exists() or not journal.pending_entries(path):
        return True
    return publishing.fold(path)


def allowed_kinds(role: str) -> tuple[str, ...]:
    """The entry kinds a role may write (:data:`ALLOWED`)."""
    return ALLOWED.get(role, ())


def check_can_write(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str, kind: str) -> None:
    """Raise :class:`ScopeError` unless ``scope`` may write a ``kind`` entry on this intervention."""
    if kind not in allowed_kinds(scope.role):
        raise ScopeError(f"a {scope.role} user may not write a '{kind}' entry "
                         f"(allowed: {', '.join(allowed_kinds(scope.role))})")
    rows = sql.fetch_all(con, "conversation/intervention_owner", {"intervention_id": intervention_id})
    owner = rows[0] if rows else None
    if scope.role == "station" and (owner is None or owner[1] != scope.station_id):
        raise ScopeError(f"intervention {intervention_id!r} is not one of station {scope.station_id}'s "
                         f"interventions: a station writes only on its own interventions")
    if scope.role == "manufacturer" and (owner is None or owner[0] != scope.manufacturer_id):
        raise ScopeError(f"intervention {intervention_id!r} is not one of brand {scope.manufacturer_id}'s "
                         f"interventions: a manufacturer writes only on its brand's interventions")
    if owner is None:
        raise ConversationError(f"intervention_id: no intervention {intervention_id!r} in the store")


def _text(value, field: str, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ConversationError(f"{field}: must be text")
    if required and not value.strip():
        raise ConversationError(f"{field}: required (a reason must be given)")
    if len(value) > MAX_BODY:
        raise ConversationError(f"{field}: {len(value)} characters, at most {MAX_BODY} allowed")
    return value  # stored verbatim: no trimming, no markup


def add_entry(path: Path | str, viewer, intervention_id: str, code: str, kind: str, body: str = "", *,
              doc_type: str = "", sent_doc_type: str | None = None,
              sent_doc_received_on: dt.date | str | None = None,
              now: dt.datetime | None = None, publish: bool = True, background: bool = False) -> Written:
    """Append one entry to the thread of finding ``(intervention_id, code, doc_type)``.

    ``viewer`` has ``.username`` and ``.scope`` (:class:`analytics.access.viewer.Viewer`). The entry is
    durable when this returns (journal, fsync'd); with ``publish`` it is also folded into the
    store at once unless an import holds it (:attr:`Written.applied` tells which). With
    ``background`` (the dashboard, the API) the call returns once the entry is durable and a thread
    of this process publishes it: live reads (``path`` given to :func:`status_of`, :func:`findings`,
    :func:`counters`, the work queues) show it at once, the figures once it is published.
    """
    scope: Scope = viewer.scope
    if kind not in KINDS:
        raise ConversationError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    for name, value in (("intervention_id", intervention_id), ("code", code), ("doc_type", doc_type)):
        if not isinstance(value, str):
            raise ConversationError(f"{name}: must be text")
    con = store.reader(path)
    check_can_write(con, scope, intervention_id, kind)
    body = _text(body, "body", required=kind in ("comment", "justification", "waive", "confirm"))
    if code == "DOC_MISSING" and not doc_type:
        raise ConversationError("doc_type: a DOC_MISSING finding is identified by the missing document type")
    if code != "DOC_MISSING" and doc_type:
        raise ConversationError(f"doc_type: only DOC_MISSING findings have a document type, not {code}")
    key = {"intervention_id": intervention_id, "code": code, "doc_type": doc_type}
    exists = bool(sql.fetch_all(con, "conversation/finding_severity", key))
    if not exists:
        has_thread = sql.fetch_all(con, "conversation/thread_size", key)[0][0] > 0 or any(
            (e.intervention_id, e.code, e.doc_type) == (intervention_id, code, doc_type) for e in journal.pending_entries(path))
        if kind in _NEEDS_FINDING or not has_thread:
            raise ConversationError(
                f"code: intervention {intervention_id} has no current {code}"
                + (f" ({doc_type})" if doc_type else "")
                + " finding" + (" (finding resolved: only comments can be added)" if has_thread else ""))
    if now is None:
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    elif now.tzinfo is not None:
        now = now.astimezone(dt.timezone.utc).replace(tzinfo=None)  # stored as UTC, naive
    received = None
    if kind == "document_sent":
        if code != "DOC_MISSING":
            raise ConversationError("kind: 'document_sent' answers a DOC_MISSING finding only")
        sent_doc_type = doc_type if sent_doc_type in (None, "") else sent_doc_type
        if sent_doc_type != doc_type:
            raise ConversationError(f"sent_doc_type: {sent_doc_type!r} is not the missing document {doc_type!r}")
        if sent_doc_received_on in (None, ""):
            raise ConversationError("sent_doc_received_on: the date the document was sent is required")
        if isinstance(sent_doc_received_on, str):
            try:
                received = dt.date.fromisoformat(sent_doc_received_on)
            except ValueError:
                raise ConversationError(f"sent_doc_received_on: {sent_doc_received_on!r} is not a date "
                                        "written YYYY-MM-DD") from None
        elif isinstance(sent_doc_received_on, dt.datetime):
            received = sent_doc_received_on.date()
        elif isinstance(sent_doc_received_on, dt.date):
            received = sent_doc_received_on
        else:
            raise ConversationError("sent_doc_received_on: must be a date")
        if received > now.date():
            raise ConversationError(f"sent_doc_received_on: {received.isoformat()} is in the future")
    elif sent_doc_type or sent_doc_received_on:
        raise ConversationError("sent_doc_type: only a 'document_sent' entry names a document")
    stored_max = int(sql.fetch_all(con, "conversation/max_entry_id")[0][0])
    entry = journal.append(path, lambda entry_id: Entry(
        entry_id, intervention_id, code, doc_type, kind, viewer.username, scope.role, now, body,
        sent_doc_type if kind == "document_sent" else None, received), above=stored_max)
    # Copy layout: publishing copies the store, so never wait behind an import (the entry stays
    # pending and the import folds it). Replicated layout: a write costs what it changes, so wait
    # for the change in front (at most PUBLISH_WAIT_SECONDS) and return with the status updated.
    if background:
        publishing.fold_in_background(path)
        return Written(entry, applied=False, publishing=True)
    replicated = store.is_replicated(path)
    applied = publishing.fold(path, wait=replicated, timeout=PUBLISH_WAIT_SECONDS) if publish else False
    return Written(entry, applied)


def comment(path, viewer, intervention_id, code, body, *, doc_type="", **kw) -> Written:
    """Anyone in scope: a comment on the finding."""
    return add_entry(path, viewer, intervention_id, code, "comment", body, doc_type=doc_type, **kw)


def justify(path, viewer, intervention_id, code, body, *, doc_type="", **kw) -> Written:
    """Station: a justification of the finding (the manufacturer may then waive it)."""
    return add_entry(path, viewer, intervention_id, code, "justification", body, doc_type=doc_type, **kw)


def send_document(path, viewer, intervention_id, doc_type, received_on, body="", **kw) -> Written:
    """Station: the missing document was sent on ``received_on`` (it counts as received)."""
    return add_entry(path, viewer, intervention_id, "DOC_MISSING", "document_sent", body, doc_type=doc_type,
                     sent_doc_type=doc_type, sent_doc_received_on=received_on, **kw)


def waive(path, viewer, intervention_id, code, reason, *, doc_type="", **kw) -> Written:
    """Manufacturer: accept the justification; the finding no longer counts toward status."""
    return add_entry(path, viewer, intervention_id, code, "waive", reason, doc_type=doc_type, **kw)


def confirm(path, viewer, intervention_id, code, reason, *, doc_type="", **kw) -> Written:
    """Manufacturer: confirm the finding; it keeps counting (a blocking one stays blocking)."""
    return add_entry(path, viewer, intervention_id, code, "confirm", reason, doc_type=doc_type, **kw)


# ---------------------------------------------------------------- reading

def _intervention_param(intervention_id: str | None) -> dict:
    return {"intervention_id": intervention_id}


def entries(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str | None = None,
            path: Path | str | None = None) -> pd.DataFrame:
    """The thread entries the viewer may see (columns :data:`analytics.engine.journal.COLUMNS` + ``pending``), in write order.

    With ``path``, entries still waiting in the journal are included (``pending`` True).
    """
    df = sql.fetch_df(con, "conversation/entries", {**_intervention_param(intervention_id), **scope.params()})
    df["pending"] = False
    if path is not None:
        stored = set(df["entry_id"].astype("int64"))
        extra = [e for e in journal.pending_entries(path) if e.entry_id not in stored
                 and (intervention_id is None or e.intervention_id == intervention_id)]
        if extra:
            in_scope = {i for (i,) in sql.fetch_all(con, "conversation/visible_interventions", {
                "intervention_ids": sorted({e.intervention_id for e in extra}), **scope.params()})}
            visible = [e for e in extra if e.intervention_id in in_scope]
            if visible:
                more = pd.DataFrame([{**asdict(e), "pending": True} for e in visible])
                df = pd.concat([df, more], ignore_index=True) if len(df) else more
    return df.sort_values("entry_id", kind="stable").reset_index(drop=True)


def findings(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str | None = None,
             path: Path | str | None = None) -> pd.DataFrame:
    """Findings with their conversation state (current, and resolved ones that keep a thread:
    ``finding_exists`` False, shown as "finding resolved"). See ``queries/conversation/findings.sql``.
    With ``path``, entries not yet published count (:mod:`analytics.engine.live`)."""
    def read(c: duckdb.DuckDBPyConnection, limit: int | None = None) -> pd.DataFrame:
        return sql.fetch_df(c, "conversation/findings", {**_intervention_param(intervention_id), **scope.params()})
    if intervention_id is not None:
        return live.one(con, path, intervention_id, read)
    return live.rows(con, path, read, None, ["intervention_id", "code", "doc_type"])


def status_of(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str,
              path: Path | str | None = None) -> dict | None:
    """``status, finding_codes, waived_codes, waived_note`` of one intervention (None outside the scope):
    the status after decisions, and which findings were settled in conversation, by whom and why.
    With ``path``, entries not yet published count (:mod:`analytics.engine.live`)."""
    rows = live.one(con, path, intervention_id, lambda c: sql.fetch_all(
        c, "conversation/status_of", {"intervention_id": intervention_id, **scope.params()}))
    return dict(zip(("status", "finding_codes", "waived_codes", "waived_note"), rows[0])) if rows else None


def counters(con: duckdb.DuckDBPyConnection, scope: Scope, path: Path | str | None = None) -> dict[str, int]:
    """``awaiting_answer`` (the station's turn), ``awaiting_decision`` (the manufacturer's turn),
    ``settled`` and ``confirmed`` findings within the scope. With ``path``, entries not yet
    published count (:mod:`analytics.engine.live`)."""
    def read(c: duckdb.DuckDBPyConnection) -> dict[str, int]:
        row = sql.fetch_all(c, "conversation/counters", scope.params())[0]
        return {"awaiting_answer": int(row[0]), "awaiting_decision": int(row[1]),
                "settled": int(row[2]), "confirmed": int(row[3])}
    return live.counts(con, path, read)


def waiver_note(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict:
    """The note the app shows beside ready_rate and dispute prevention: ``note`` (text, always),
    ``settled_findings``, ``interventions_with_settled``, ``disputes_waived`` within the scope."""
    row = sql.fetch_all(con, "conversation/settled_effect", scope.params())[0]
    counts = {"interventions_with_settled": int(row[0]), "settled_findings": int(row[1]),
              "disputes_waived": int(row[2])}
    text = WAIVER_NOTE
    if counts["settled_findings"]:
        text += (f" Here: {counts['settled_findings']} settled finding(s) on "
                 f"{counts['interventions_with_settled']} intervention(s)"
                 + (f"; {counts['disputes_waived']} dispute(s) had a matching finding that was settled."
                    if counts["disputes_waived"] else "."))
    return {"note": text, **counts}
