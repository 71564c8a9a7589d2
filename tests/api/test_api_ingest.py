"""Ingest through the served API: the same stores as ``import``, and every bad input answered with
its status and message, nothing partial stored.

* the same contract files sent through the API (CSV bodies, JSON rows, a several-table batch)
  and through ``python -m analytics import`` give identical contract tables;
* a batch breaking contract rules gets exactly the importer's problems (file, row, column,
  value, rule, message) as problem details, and the store is unchanged;
* malformed JSON (400), wrong types (422), a wrong media type (415), an oversized body (413, by
  Content-Length or streamed), a flood (429 + Retry-After, per token), an idempotency key replayed
  with the same request (same answer, landed once) and with another body (422).
"""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.access import tokens, users
from analytics.contract.importer import import_paths
from analytics.contract.tables import TABLE_ORDER
from analytics.core import store
from analytics.core.problems import REPORT_COLUMNS
from tests.api.conftest import ROOT, client, private_store, served_api

GOOD = ROOT / "tests" / "fixtures" / "import" / "good"
#: What the network manager imports first (reference data, rates, policies): not sent by the API.
REFERENCE = ("manufacturers.csv", "stations.csv", "fx_rates.csv", "policies")


def _rows(name: str) -> list[dict]:
    with open(GOOD / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _table_rows(path: Path) -> dict[str, list]:
    con = store.reader(path)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLE_ORDER}
    finally:
        con.close()


def _fresh_store(folder: Path) -> tuple[Path, str]:
    """A store with the fixture's reference data and a manager with a token."""
    folder.mkdir(parents=True, exist_ok=True)
    ref = folder / "reference"
    ref.mkdir()
    for name in REFERENCE:
        (shutil.copytree if (GOOD / name).is_dir() else shutil.copyfile)(GOOD / name, ref / name)
    path = folder / "store.duckdb"
    assert import_paths(path, [ref]).ok
    users.add_user(path, "admin", "long-enough-password", "manager", is_admin=True)
    return path, tokens.create_token(path, "admin")[0]


def test_ingest_equals_import(tmp_path):
    by_import, _ = _fresh_store(tmp_path / "import")
    by_api, token = _fresh_store(tmp_path / "api")
    sent = tmp_path / "sent"
    sent.mkdir()
    for name in ("interventions.csv", "documents.csv", "invoices.csv", "invoice_lines.csv", "disputes.csv"):
        shutil.copyfile(GOOD / name, sent / name)
    done = subprocess.run([sys.executable, "-m", "analytics", "import", str(sent), "--db", str(by_import)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with served_api(by_api, tmp_path / "api.log") as base, client(base, token) as http:
        # the contract's CSV as it is, JSON rows, and two tables in one batch
        answer = http.post("/ingest/interventions", content=(GOOD / "interventions.csv").read_bytes(),
                           headers={"Content-Type": "text/csv"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["rows_by_table"] == {"interventions": len(_rows("interventions.csv"))}
        assert http.post("/ingest/documents", json=_rows("documents.csv")).status_code == 200
        answer = http.post("/ingest", json={"invoices": _rows("invoices.csv"), "invoice_lines": _rows("invoice_lines.csv")})
        assert answer.status_code == 200, answer.text
        assert http.post("/ingest/disputes", json=_rows("disputes.csv")).status_code == 200
    api_tables, import_tables = _table_rows(by_api), _table_rows(by_import)
    assert all(import_tables[t] for t in ("interventions", "documents", "invoices", "invoice_lines", "disputes"))
    assert api_tables == import_tables
    store.close_readers()


@pytest.fixture(scope="module")
def bad_input_api(api_demo_store, tmp_path_factory):
    """A private store served with a small body limit."""
    made = private_store(api_demo_store, tmp_path_factory.mktemp("bad-input"))
    with served_api(made.path, made.path.parent / "api.log", max_body=20_000) as base:
        yield made, base
    store.close_readers()


def _state(path: Path):
    return store.version_of(path), {t: len(rows) for t, rows in _table_rows(path).items()}


def _own_intervention(path: Path, username: str = "station") -> dict:
    con = store.reader(path)
    try:
        cur = con.execute("SELECT i.* FROM interventions i JOIN users u ON u.station_id = i.station_id "
                          "WHERE u.username = $u ORDER BY i.intervention_id LIMIT 1", {"u": username})
        names = [d[0] for d in cur.description]
        row = dict(zip(names, cur.fetchone()))
    finally:
        con.close()
    return {k: "" if v is None else str(v) for k, v in row.items()}


def test_rule_problems_are_the_importers_and_nothing_is_stored(bad_input_api, tmp_path):
    made, base = bad_input_api
    good = _own_intervention(made.path)
    rows = [dict(good, intervention_id="API-BAD-1"),
            dict(good, intervention_id="API-BAD-2", visits="0", completed_on="2020-13-01"),
            dict(good, intervention_id="API-BAD-3", coverage="lifetime")]
    before = _state(made.path)
    with client(base, made.tokens["station"]) as http:
        answer = http.post("/ingest/interventions", json=rows)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    got = answer.json()
    assert got["title"] == "Unprocessable content" and "nothing was stored" in got["detail"]
    # the same rows as a file, through the importer itself (on a copy)
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(made.path, copy)
    folder = tmp_path / "batch"
    folder.mkdir()
    with open(folder / "interventions.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(good), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    expected = import_paths(copy, [folder]).problems
    assert expected and got["problems"] == [{k: p.as_dict()[k] for k in REPORT_COLUMNS} for p in expected]
    assert {(p["row"], p["column"]) for p in got["problems"]} >= {(2, "visits"), (2, "completed_on"), (3, "coverage")}
    assert _state(made.path) == before


@pytest.mark.parametrize("body, headers, status, words", [
    (b'[{"intervention_id": "x",', {"Content-Type": "application/json"}, 400, "not valid JSON"),
    (b'{"not": "a list"}', {"Content-Type": "application/json"}, 422, "non-empty list"),
    (b'[{"intervention_id": "x", "visits": 1}]', {"Content-Type": "application/json"}, 422, "not a list of rows of text"),
    (b'[]', {"Content-Type": "application/json"}, 422, "non-empty list"),
    (b'intervention_id\nx\n', {"Content-Type": "text/plain"}, 415, "text/csv"),
])
def test_malformed_and_wrongly_typed_batches(bad_input_api, body, headers, status, words):
    made, base = bad_input_api
    before = _state(made.path)
    with client(base, made.tokens["station"]) as http:
        answer = http.post("/ingest/interventions", content=body, headers=headers)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert words in answer.text
    if status == 422 and b"visits" in body:
        assert answer.json()["problems"] == [{
            "file": "interventions.csv", "row": 1, "column": "visits", "value": "1", "rule": "text",
            "message": "visits: every value is text as in the contract's CSV (write \"1\" as a string) "
                       "or null for an empty cell"}]
    assert _state(made.path) == before


def test_malformed_and_wrongly_typed_entries(bad_input_api):
    made, base = bad_input_api
    own = _own_intervention(made.path)["intervention_id"]
    with client(base, made.tokens["station"]) as http:
        url = f"/interventions/{own}/findings/DOC_MISSING/entries"
        broken = http.post(url, content=b'{"kind": "comment", "body": ', headers={"Content-Type": "application/json"})
        assert broken.status_code == 400 and broken.json()["detail"] == "the body is not valid JSON"
        typed = http.post(url, json={"kind": "comment", "body": 12})
        assert typed.status_code == 422
        assert [(p["file"], p["column"]) for p in typed.json()["problems"]] == [("body", "body")]
        unknown = http.post(url, json={"kind": "shout", "body": "x"})
        assert unknown.status_code == 422 and unknown.json()["problems"][0]["column"] == "kind"


def test_an_oversized_body_is_refused_whole(bad_input_api):
    made, base = bad_input_api
    before = _state(made.path)
    big = json.dumps([dict(_own_intervention(made.path), intervention_id=f"API-BIG-{n}") for n in range(100)])
    assert len(big) > 20_000
    with client(base, made.tokens["station"]) as http:
        declared = http.post("/ingest/interventions", content=big, headers={"Content-Type": "application/json"})

        def chunks():  # no Content-Length: refused while streaming
            data = big.encode()
            for start in range(0, len(data), 4096):
                yield data[start:start + 4096]

        streamed = http.post("/ingest/interventions", content=chunks(), headers={"Content-Type": "application/json"})
    for answer in (declared, streamed):
        assert answer.status_code == 413, answer.text
        assert answer.json()["detail"] == "the body is larger than 20000 bytes: send smaller batches"
    assert _state(made.path) == before


def test_a_flood_is_throttled_per_token(api_demo_store, tmp_path):
    made = private_store(api_demo_store, tmp_path)
    # 3 requests at once, then one credit every 100 s: the 4th request is refused whatever the timing
    with served_api(made.path, tmp_path / "api.log", rate=0.01, burst=3) as base:
        with client(base, made.tokens["station"]) as http:
            answers = [http.get("/me") for _ in range(6)]
        with client(base, made.tokens["manufacturer"]) as other:
            assert other.get("/me").status_code == 200  # another token has its own bucket
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429, 429]
    refused = answers[3]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 100
    assert "too many requests for this token" in refused.json()["detail"]
    store.close_readers()


def test_an_idempotency_key_lands_a_batch_once(bad_input_api):
    made, base = bad_input_api
    row = dict(_own_intervention(made.path), intervention_id="API-IDEM-1")
    key = {"Idempotency-Key": "day-2026-12-07-batch-1"}
    with client(base, made.tokens["station"]) as http:
        first = http.post("/ingest/interventions", json=[row], headers=key)
        assert first.status_code == 200, first.text
        after_first = _state(made.path)
        again = http.post("/ingest/interventions", json=[row], headers=key)
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["idempotent-replayed"] == "true"
        assert _state(made.path) == after_first  # not imported a second time (the store file is the same)
        other = http.post("/ingest/interventions", json=[dict(row, visits="2")], headers=key)
        assert other.status_code == 422
        assert "already used for another request" in other.json()["detail"]
        assert _state(made.path) == after_first
        # the key is the user's: another user may use the same text for its own request
        with client(base, made.tokens["station2"]) as neighbour:
            own2 = dict(_own_intervention(made.path, "station2"), intervention_id="API-IDEM-2")
            assert neighbour.post("/ingest/interventions", json=[own2], headers=key).status_code == 200
    con = store.reader(made.path)
    try:
        assert con.execute("SELECT visits FROM interventions WHERE intervention_id = 'API-IDEM-1'").fetchall() == [
            (int(row["visits"]),)]
    finally:
        con.close()
