"""One intervention: its status, its findings with their explanations and threads, and the
entries a caller writes on a finding (the same entries and rights as the app's conversation)."""
from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from analytics.access.scope import ScopeError
from analytics.api import encode, idempotency
from analytics.api.problems import ApiProblem, documented
from analytics.api.security import Caller, caller
from analytics.conversation import threads
from analytics.core import store

router = APIRouter(tags=["interventions"])

IdPath = Path(min_length=1, max_length=1000, description="the intervention's id")


class InterventionStatus(BaseModel):
    intervention_id: str
    status: str = Field(description="ready, review or blocked, after the conversation's decisions")
    finding_codes: str = Field(description="the codes that still count, ';'-joined ('' when none)")
    waived_codes: str = Field(description="the codes settled in conversation ('' when none)")
    waived_note: str | None = Field(description="who settled them, when and why")


class Entry(BaseModel):
    entry_id: int
    kind: str
    author: str
    author_role: str
    written_at: str
    body: str
    sent_doc_type: str | None
    sent_doc_received_on: str | None
    pending: bool = Field(description="written, waiting for an import to finish before it counts")


class Finding(BaseModel):
    code: str
    doc_type: str = Field(description="the missing document's type for DOC_MISSING, '' otherwise")
    severity: str | None
    explanation: str | None
    finding_exists: bool = Field(description="false: the finding no longer fires, its thread is kept")
    state: str | None
    settled: bool
    awaiting_answer: bool
    awaiting_decision: bool
    decision_kind: str | None
    decided_by: str | None
    decided_at: str | None
    decision_reason: str | None
    answer_kind: str | None
    answered_by: str | None
    answered_at: str | None
    document_received_on: str | None
    settled_note: str | None
    thread: list[Entry]


class Findings(InterventionStatus):
    findings: list[Finding]


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["comment", "justification", "document_sent", "waive", "confirm"]
    body: str = Field("", max_length=threads.MAX_BODY,
                      description="required for comment, justification, waive and confirm")
    doc_type: str = Field("", max_length=1000, description="for DOC_MISSING: the missing document's type")
    sent_doc_received_on: dt.date | None = Field(None, description="document_sent: the day it was sent")


class Written(BaseModel):
    applied: bool = Field(description="true: it counts already in the status, the threads and the work queues "
                                      "(the network's figures follow within seconds); false: it waits for an "
                                      "import to finish")
    message: str
    entry: Entry


def _status(con, caller: Caller, intervention_id: str) -> dict:
    found = threads.status_of(con, caller.scope, intervention_id, path=caller.store_path)
    if found is None:  # unknown and outside the scope read the same
        raise ApiProblem(404, f"no intervention {intervention_id!r} in your scope")
    return {"intervention_id": intervention_id, **{k: encode.plain(v) for k, v in found.items()},
            "finding_codes": found["finding_codes"] or "", "waived_codes": found["waived_codes"] or ""}


def _entry(record: dict) -> dict:
    return {"entry_id": int(record["entry_id"]), "kind": record["kind"], "author": record["author"],
            "author_role": record["author_role"], "written_at": encode.plain(record["written_at"]),
            "body": record["body"] or "", "sent_doc_type": encode.plain(record["sent_doc_type"]),
            "sent_doc_received_on": encode.day(record["sent_doc_received_on"]), "pending": bool(record["pending"])}


@router.get("/interventions/{intervention_id}", response_model=InterventionStatus,
            responses=documented(401, 404, 429), summary="An intervention's verification status")
def intervention_status(intervention_id: str = IdPath, who: Caller = Depends(caller)) -> dict:
    con = store.reader(who.store_path)
    try:
        return _status(con, who, intervention_id)
    finally:
        con.close()


@router.get("/interventions/{intervention_id}/findings", response_model=Findings,
            responses=documented(401, 404, 429), summary="Its findings, their explanations and threads")
def intervention_findings(intervention_id: str = IdPath, who: Caller = Depends(caller)) -> dict:
    con = store.reader(who.store_path)
    try:
        out = _status(con, who, intervention_id)
        found = encode.records(threads.findings(con, who.scope, intervention_id, path=who.store_path))
        entries = threads.entries(con, who.scope, intervention_id, who.store_path).to_dict("records")
    finally:
        con.close()
    by_key: dict[tuple, list] = {}
    for e in entries:
        by_key.setdefault((e["code"], e["doc_type"] or ""), []).append(_entry(e))
    out["findings"] = [{
        **{k: f.get(k) for k in Finding.model_fields if k != "thread"},
        "doc_type": f["doc_type"] or "",
        "document_received_on": encode.day(f["document_received_on"]),
        "thread": by_key.get((f["code"], f["doc_type"] or ""), []),
    } for f in found]
    return out


@router.post("/interventions/{intervention_id}/findings/{code}/entries", status_code=201,
             response_model=Written,
             responses={202: {"model": Written, "description": "kept, counts once the running import ends"},
                        **documented(400, 401, 403, 404, 409, 413, 422, 429)},
             summary="Write on a finding: justification, document_sent, waive, confirm or comment")
async def write_entry(request: Request, entry: EntryIn,
                      intervention_id: str = IdPath,
                      code: str = Path(min_length=1, max_length=100, pattern=r"^[A-Z][A-Z0-9_]*$"),
                      who: Caller = Depends(caller)) -> Response:
    """The same entries as the app, with the same rights (:func:`analytics.conversation.threads.add_entry`):
    a station justifies, sends a missing document or comments on its own interventions; a
    manufacturer waives, confirms or comments on its brand's; a manager comments."""
    raw = await request.body()

    async def answer() -> Response:
        return await run_in_threadpool(_write, who, intervention_id, code, entry)

    return await idempotency.once(request, who, raw, answer)


def _write(who: Caller, intervention_id: str, code: str, entry: EntryIn) -> Response:
    path = who.store_path
    con = store.reader(path)
    try:
        _status(con, who, intervention_id)  # 404 for a record outside the scope, before any right is checked
    finally:
        con.close()
    try:
        written = threads.add_entry(
            path, who.viewer, intervention_id, code, entry.kind, entry.body, doc_type=entry.doc_type,
            sent_doc_type=entry.doc_type if entry.kind == "document_sent" else None,
            sent_doc_received_on=entry.sent_doc_received_on, background=True)
    except ScopeError as exc:
        raise ApiProblem(403, str(exc)) from None
    except threads.ConversationError as exc:
        raise ApiProblem(422, str(exc)) from None
    counts = written.applied or written.publishing  # live reads count it from now on
    record = {**written.entry.__dict__, "pending": not written.applied}
    body = {"applied": counts, "message": written.message, "entry": _entry(record)}
    return Response(json.dumps(body, ensure_ascii=False).encode("utf-8"), status_code=201 if counts else 202,
                    media_type="application/json")
