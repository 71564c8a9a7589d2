"""The findings and status of an intervention as they stood at a past moment (engine history).

The engine's refresh keeps ``finding_history`` and ``status_history`` (migration 005): each row is
valid from ``valid_from`` (inclusive) to ``valid_to`` (exclusive, NULL while current), in UTC, and
only what changed is closed and reopened. :func:`as_of` reads them, in the viewer's scope, so that a
dispute can be judged on what both sides saw on the day its invoice was issued.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from analytics.access.scope import Scope
from analytics.core import sql


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` (UTC): the state "on" a date is the one the day ended with."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time()) - dt.timedelta(microseconds=1)


def as_of(con: duckdb.DuckDBPyConnection, scope: Scope, intervention_id: str,
          moment: dt.datetime) -> dict[str, Any] | None:
    """The status and findings of ``intervention_id`` at ``moment`` (UTC), or None when it is unknown,
    outside the scope, or never had a status in the store. ``status`` is None when the store did not
    hold the intervention yet at that moment; ``known_since`` says from when it did."""
    params = {**scope.params(), "intervention_id": intervention_id, "as_of": moment}
    known_since = sql.fetch_all(con, "verification/known_since", params)[0][0]
    if known_since is None:
        return None
    status = sql.fetch_all(con, "verification/status_as_of", params)
    findings = [dict(zip(("code", "severity", "doc_type", "explanation", "since"), r))
                for r in sql.fetch_all(con, "verification/findings_as_of", params)]
    out = {"intervention_id": intervention_id, "as_of": moment, "known_since": known_since,
           "status": None, "finding_codes": "", "waived_codes": "", "status_since": None, "findings": findings}
    if status:
        out.update(zip(("status", "finding_codes", "waived_codes", "status_since"), status[0]))
    return out


def format_as_of(state: dict[str, Any]) -> str:
    """A plain-text report of :func:`as_of` (``explain ID --as-of DAY``)."""
    when = f"{state['as_of']:%Y-%m-%d %H:%M:%S} UTC"
    if state["status"] is None:
        return (f"Intervention {state['intervention_id']} — not in the store yet at {when} "
                f"(first known {state['known_since']:%Y-%m-%d %H:%M:%S} UTC)\n")
    out = [f"Intervention {state['intervention_id']} as of {when} — status {state['status'].upper()}"
           + (f" ({state['finding_codes']})" if state["finding_codes"] else ""),
           f"  status since {state['status_since']:%Y-%m-%d %H:%M:%S} UTC"]
    if state["waived_codes"]:
        out.append(f"  settled in conversation: {state['waived_codes']}")
    out += ["", "Findings"]
    if not state["findings"]:
        out.append("  none")
    for f in state["findings"]:
        code = f["code"] + (f" ({f['doc_type']})" if f["doc_type"] else "")
        out.append(f"  {f['severity']:<8} {code:<36} since {f['since']:%Y-%m-%d %H:%M:%S}")
        out.append(f"           {f['explanation']}")
    return "\n".join(out) + "\n"
