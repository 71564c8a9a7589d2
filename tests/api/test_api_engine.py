"""One engine: for a sample of calls, the API's answer, the analytics function's result and the
command line's output are the same (they are computed by the same code, never twice)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from analytics.access.scope import Scope
from analytics.api import encode
from analytics.billing import preinvoice
from analytics.commands import metrics_cmd, verify_cmd
from analytics.conversation import threads
from analytics.core import store
from analytics.core.filters import Filters
from analytics.metrics import disputes
from analytics.verification import queue as verification
from tests.api.conftest import ROOT, client


def _cli(api_store, *args) -> str:
    done = subprocess.run([sys.executable, "-m", "analytics", *args, "--db", str(api_store.path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def manager(api_url, api_store):
    with client(api_url, api_store.tokens["admin"]) as http:
        yield http


@pytest.fixture(scope="module")
def con(api_store):
    cursor = store.reader(api_store.path)
    yield cursor
    cursor.close()


@pytest.mark.parametrize("by, manufacturer", [("station,month", "M01"), ("country", None), ("", None)])
def test_metrics_api_function_and_cli_agree(manager, api_store, con, by, manufacturer):
    params = {"by": by, **({"manufacturer": manufacturer} if manufacturer else {})}
    api_rows = manager.get("/metrics", params=params).json()["rows"]
    filters = Filters(manufacturer_ids=(manufacturer,) if manufacturer else ())
    function_rows = json.loads(json.dumps(metrics_cmd.records(metrics_cmd.table(con, filters, by.split(",") if by else ())),
                                          default=str))
    cli_rows = json.loads(_cli(api_store, "metrics", "--by", by or "station", *(
        ["--manufacturer", manufacturer] if manufacturer else []), "--format", "json")) if by else None
    assert api_rows and api_rows == function_rows
    if cli_rows is not None:
        assert api_rows == cli_rows


def test_queue_api_function_and_cli_agree(manager, api_store, con):
    pages, cursor = [], None
    while True:  # every blocked intervention, page by page
        page = manager.get("/verification-queue", params={"status": "blocked", "limit": 300,
                                                          **({"cursor": cursor} if cursor else {})}).json()
        pages += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    function = encode.records(verification.worst_first(con, Scope.manager(), status="blocked"),
                              verification.QUEUE_FRAME_COLUMNS)
    assert [r["intervention_id"] for r in pages] == [r["intervention_id"] for r in function]
    cli = json.loads(_cli(api_store, "verify", "--status", "blocked", "--format", "json"))
    as_cli = {r["intervention_id"]: {k: r[k] for k in verification.QUEUE_COLUMNS} for r in pages}
    assert as_cli == {r["intervention_id"]: r for r in cli}
    assert {r["intervention_id"]: r for r in verify_cmd.rows(con, status="blocked")} == as_cli


@pytest.mark.parametrize("limit", [1, 7, 250])
def test_pages_follow_one_another_without_overlap_or_gap(manager, con, limit):
    """Pages of any size, put end to end, are the queue in its order (here a station's filter)."""
    station = con.execute("SELECT station_id FROM users WHERE username = 'station'").fetchone()[0]
    pages, cursor = [], None
    for _ in range(10_000):
        page = manager.get("/verification-queue", params={"station": station, "limit": limit,
                                                          **({"cursor": cursor} if cursor else {})}).json()
        assert len(page["items"]) <= limit
        pages += [r["intervention_id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None or len(pages) >= 260:
            break
    whole = verification.worst_first(con, Scope.manager(), Filters(station_ids=(station,)))["intervention_id"]
    assert pages == list(whole)[:len(pages)] and len(pages) == min(len(whole), -(-260 // limit) * limit)


def test_a_cursor_of_other_filters_is_refused(manager):
    first = manager.get("/verification-queue", params={"status": "review", "limit": 1}).json()
    other = manager.get("/verification-queue", params={"status": "ready", "cursor": first["next_cursor"]})
    assert other.status_code == 400 and "other filters" in other.json()["detail"]
    assert manager.get("/verification-queue", params={"cursor": "not-a-cursor"}).status_code == 400


def test_status_findings_and_disputes_are_the_functions(manager, con, api_store):
    ids = [r[0] for r in con.execute("SELECT intervention_id FROM intervention_status ORDER BY status, "
                                     "intervention_id LIMIT 5").fetchall()]
    for intervention_id in ids:
        status = manager.get(f"/interventions/{intervention_id}").json()
        assert status == {"intervention_id": intervention_id,
                          **{k: (v or "") if k != "waived_note" else v
                             for k, v in threads.status_of(con, Scope.manager(), intervention_id).items()}}
        found = manager.get(f"/interventions/{intervention_id}/findings").json()["findings"]
        expected = threads.findings(con, Scope.manager(), intervention_id)
        assert [(f["code"], f["doc_type"], f["explanation"]) for f in found] == list(
            zip(expected["code"], expected["doc_type"], expected["explanation"]))
    api = manager.get("/disputes", params={"limit": 50}).json()["items"]
    frame = disputes.dispute_details(con, Scope.manager(), Filters(), limit=50)
    assert [d["dispute_id"] for d in api] == list(frame["dispute_id"])
    assert [d["disputed_amount"] for d in api] == [float(v) for v in frame["disputed_amount"]]


def test_preinvoice_api_function_and_cli_give_the_same_bytes(manager, api_store, con, tmp_path):
    offer = manager.get("/preinvoices").json()[0]
    station, brand, month = offer["station_id"], offer["manufacturer_id"], offer["month"]
    doc = preinvoice.build(con, Scope.manager(), station, brand, month)
    for fmt in ("csv", "pdf"):
        api = manager.get(f"/preinvoices/{station}/{brand}/{month}", params={"format": fmt}).content
        out = tmp_path / f"p.{fmt}"
        printed = _cli(api_store, "preinvoice", "--station", station, "--manufacturer", brand, "--month", month,
                       "--format", fmt, "--output", str(out))
        assert api == out.read_bytes() == preinvoice.render(doc, fmt)
        assert printed.startswith(doc.reference)
    as_json = manager.get(f"/preinvoices/{station}/{brand}/{month}").json()
    assert as_json == {"reference": doc.reference, **doc.canonical()}
    csv_reference = {row["reference"] for row in csv.DictReader(io.StringIO(preinvoice.to_csv(doc).decode("utf-8")))}
    assert csv_reference == {as_json["reference"]}
