"""Each role's reach through the served API (the approach of tests/test_access_scope.py: ask for
everything, in scope and out of it, and look for anything outside the scope in every answer).

* authentication: no token, a wrong, expired or revoked token, a token whose user was removed or
  changed: 401 on every operation of the OpenAPI document, one message for all;
* a station's and a manufacturer's token, on every operation: what they read holds no other
  station's or brand's id; a record outside the scope answers 404 exactly like an unknown one;
  a filter naming another is refused (403); a write on another's record is 404, a write the role
  may not make is 403; an ingest of another's rows is refused (rule ``scope``) and stores nothing.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from analytics.access import tokens, users
from analytics.core import store
from analytics.engine import journal
from tests.api.conftest import client, private_store, served_api

def _operations() -> list[tuple[str, str]]:
    doc = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text(encoding="utf-8"))
    return sorted((method.upper(), path) for path, ops in doc["paths"].items() for method in ops)


OPERATIONS = _operations()
UNKNOWN_ID = "I-DOES-NOT-EXIST"


def _fill(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path).removeprefix("/api/v1")


def _facts(path) -> dict:
    """Ids of the demo store for the demo users: own and others' interventions."""
    con = store.reader(path)
    try:
        (station,) = con.execute("SELECT station_id FROM users WHERE username = 'station'").fetchone()
        (brand,) = con.execute("SELECT manufacturer_id FROM users WHERE username = 'manufacturer'").fetchone()
        stations = [r[0] for r in con.execute("SELECT station_id FROM stations ORDER BY 1").fetchall()]
        brands = [r[0] for r in con.execute("SELECT manufacturer_id FROM manufacturers ORDER BY 1").fetchall()]

        def one(where: str, params: dict) -> str:
            return con.execute(f"SELECT i.intervention_id FROM interventions i JOIN findings f USING (intervention_id) "
                               f"WHERE {where} ORDER BY 1 LIMIT 1", params).fetchone()[0]

        return {
            "station": station, "brand": brand, "stations": stations, "brands": brands,
            "station_own": one("i.station_id = $s AND f.code = 'DOC_MISSING'", {"s": station}),
            "station_other": one("i.station_id <> $s AND f.code = 'DOC_MISSING'", {"s": station}),
            "brand_own": one("i.manufacturer_id = $m", {"m": brand}),
            "brand_other": one("i.manufacturer_id <> $m", {"m": brand}),
            "other_station_of_brand": con.execute(
                "SELECT station_id FROM interventions WHERE manufacturer_id = $m AND station_id <> $s "
                "ORDER BY 1 LIMIT 1", {"m": brand, "s": station}).fetchone()[0],
            "other_brand": [b for b in brands if b != brand][0],
            "other_station": [s for s in stations if s != station][0],
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def facts(api_store):
    return _facts(api_store.path)


# ---------------------------------------------------------------------------------------------
# authentication
# ---------------------------------------------------------------------------------------------

def _call(http, method: str, path: str, ids: dict):
    url = _fill(path, ids)
    if method == "POST":
        return http.post(url, json={"kind": "comment", "body": "x"} if "entries" in path else [{"a": "b"}])
    return http.get(url)


@pytest.mark.parametrize("token", [None, "wrong", "clv_000000000000_" + "A" * 43, "Basic abc"])
def test_every_operation_needs_a_valid_token(api_url, facts, token):
    ids = {"intervention_id": facts["station_own"], "code": "DOC_MISSING", "station_id": facts["station"],
           "manufacturer_id": facts["brand"], "month": "2025-01", "table": "interventions"}
    with client(api_url, token) as http:
        for method, path in OPERATIONS:
            answer = _call(http, method, path, ids)
            assert answer.status_code == 401, (method, path, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["www-authenticate"] == "Bearer"
            assert answer.json()["detail"] == "a valid API token is required: send `Authorization: Bearer <token>`"


def test_expired_revoked_and_orphaned_tokens_are_refused(api_demo_store, tmp_path):
    made = private_store(api_demo_store, tmp_path)
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=3)
    expired, _ = tokens.create_token(made.path, "station", expires_in_days=1, now=past)
    live, info = tokens.create_token(made.path, "station", expires_in_days=30)
    to_revoke, revoked_info = tokens.create_token(made.path, "station")
    assert tokens.revoke_tokens(made.path, "station", revoked_info.token_id) == 1
    with served_api(made.path, tmp_path / "api.log") as base:
        def status(token):
            with client(base, token) as http:
                return http.get("/me").status_code

        assert status(live) == 200 and status(made.tokens["station"]) == 200
        assert status(expired) == 401 and status(to_revoke) == 401
        # the user's role changes (removed, added again as another station): its tokens stop
        other = _facts(made.path)["other_station"]
        users.remove_user(made.path, "station")
        users.add_user(made.path, "station", "long-enough-password", "station", station_id=other)
        assert status(live) == 401 and status(made.tokens["station"]) == 401
        states = {t.token_id: (t.state(), t.revoked_why) for t in tokens.list_tokens(made.path, "station")}
        assert states[info.token_id] == ("revoked", "its user's role or scope changed")
        # removed: refused too
        assert status(made.tokens["station2"]) == 200
        users.remove_user(made.path, "station2")
        assert status(made.tokens["station2"]) == 401
        assert tokens.list_tokens(made.path, "station2")[0].revoked_why == "its user was removed"
    store.close_readers()


def test_only_the_hash_of_a_token_is_kept(api_store):
    import sqlite3

    from analytics.core import ops

    secret = api_store.tokens["station"]
    raw = ops.ops_path(api_store.path).read_bytes()
    with sqlite3.connect(ops.ops_path(api_store.path)) as con:
        hashes = {r[0] for r in con.execute("SELECT secret_sha256 FROM access_tokens")}
    assert secret.encode() not in raw and secret.split("_")[-1].encode() not in raw
    assert tokens.digest(secret) in hashes


# ---------------------------------------------------------------------------------------------
# reach of a station and of a manufacturer
# ---------------------------------------------------------------------------------------------

def _outside(facts: dict, role: str) -> list[str]:
    """Ids that must never appear in an answer to ``role``."""
    if role == "station":
        return [s for s in facts["stations"] if s != facts["station"]]
    return [b for b in facts["brands"] if b != facts["brand"]]


def _assert_clean(answer, facts, role):
    text = answer.text
    for forbidden in _outside(facts, role):
        assert not re.search(rf"(?<![A-Za-z0-9]){re.escape(forbidden)}(?![0-9])", text), (forbidden, text[:500])


def _same_404(http, url_of_other: str, url_of_unknown: str, other_id: str, unknown_id: str, method="GET", body=None):
    a = http.request(method, url_of_other, json=body)
    b = http.request(method, url_of_unknown, json=body)
    assert a.status_code == b.status_code == 404, (a.text, b.text)
    assert a.text.replace(other_id, "<id>") == b.text.replace(unknown_id, "<id>")


def _contract_counts(path) -> dict:
    """Rows of each contract table; finding entries counted once durable (stored, or in the journal
    while the server publishes them in the background). The journal is read before the store, so an
    entry published in between is found in the store and counted once."""
    lines = journal.journal_entries(path)
    con = store.reader(path)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("interventions", "documents", "invoices", "invoice_lines", "disputes", "finding_entries")}
        counts["finding_entries"] += len(lines) - len(journal.held_by(con, lines))
        return counts
    finally:
        con.close()


@pytest.mark.parametrize("role", ["station", "manufacturer"])
def test_each_operation_reaches_only_the_scope(api_url, api_store, facts, role):
    covered: set[tuple[str, str]] = set()
    own_id = facts["station_own"] if role == "station" else facts["brand_own"]
    other_id = facts["station_other"] if role == "station" else facts["brand_other"]
    own_key = "station_id" if role == "station" else "manufacturer_id"
    own_value = facts["station"] if role == "station" else facts["brand"]
    with client(api_url, api_store.tokens[role]) as http:
        def get(template, url, **params):
            covered.add(("GET", template))
            answer = http.get(url, params=params)
            return answer

        # who am I
        me = get("/api/v1/me", "/me").json()
        assert me[own_key] == own_value and me["role"] == role

        # one intervention: own 200, another's exactly like an unknown one
        for template, suffix in (("/api/v1/interventions/{intervention_id}", ""),
                                 ("/api/v1/interventions/{intervention_id}/findings", "/findings")):
            own = get(template, f"/interventions/{own_id}{suffix}")
            assert own.status_code == 200 and own.json()["intervention_id"] == own_id
            _assert_clean(own, facts, role)
            covered.add(("GET", template))
            _same_404(http, f"/interventions/{other_id}{suffix}", f"/interventions/{UNKNOWN_ID}{suffix}",
                      other_id, UNKNOWN_ID)

        # the queue: every page within the scope; a filter naming another is refused
        seen, cursor = 0, None
        for _ in range(3):
            params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
            page = get("/api/v1/verification-queue", "/verification-queue", **params)
            assert page.status_code == 200
            _assert_clean(page, facts, role)
            items = page.json()["items"]
            assert items and all(r[own_key] == own_value for r in items)
            seen += len(items)
            cursor = page.json()["next_cursor"]
            if cursor is None:
                break
        foreign = {"station": facts["other_station"]} if role == "station" else {"manufacturer": facts["other_brand"]}
        assert http.get("/verification-queue", params=foreign).status_code == 403

        # metrics and disputes
        by = "station,manufacturer,month"
        rows = get("/api/v1/metrics", "/metrics", by=by)
        assert rows.status_code == 200 and rows.json()["rows"]
        assert all(r[own_key] == own_value for r in rows.json()["rows"])
        _assert_clean(rows, facts, role)
        refused = http.get("/metrics", params={"by": "station", **foreign})
        assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
        disputes = get("/api/v1/disputes", "/disputes", limit=2000)
        assert disputes.status_code == 200 and disputes.json()["items"]
        assert all(r[own_key] == own_value for r in disputes.json()["items"])
        _assert_clean(disputes, facts, role)
        assert http.get("/disputes", params=foreign).status_code == 403

        # pre-invoices: own ones listed and opened; another's reads like an unknown one
        offers = get("/api/v1/preinvoices", "/preinvoices")
        assert offers.status_code == 200 and offers.json()
        assert all(o[own_key] == own_value for o in offers.json())
        _assert_clean(offers, facts, role)
        o = offers.json()[0]
        template = "/api/v1/preinvoices/{station_id}/{manufacturer_id}/{month}"
        for fmt in ("json", "csv", "pdf"):
            doc = get(template, f"/preinvoices/{o['station_id']}/{o['manufacturer_id']}/{o['month']}", format=fmt)
            assert doc.status_code == 200
            if fmt != "pdf":
                _assert_clean(doc, facts, role)
        if role == "station":
            other_url = f"/preinvoices/{facts['other_station']}/{o['manufacturer_id']}/{o['month']}"
            unknown_url = f"/preinvoices/S-NONE/{o['manufacturer_id']}/{o['month']}"
            _same_404(http, other_url, unknown_url, facts["other_station"], "S-NONE")
        else:
            other_url = f"/preinvoices/{o['station_id']}/{facts['other_brand']}/{o['month']}"
            unknown_url = f"/preinvoices/{o['station_id']}/M-NONE/{o['month']}"
            _same_404(http, other_url, unknown_url, facts["other_brand"], "M-NONE")

        # writing on a finding: another's intervention reads like an unknown one; a kind the role
        # may not write is refused; nothing is written either way
        before = _contract_counts(api_store.path)
        template = "/api/v1/interventions/{intervention_id}/findings/{code}/entries"
        covered.add(("POST", template))
        allowed = {"kind": "comment", "body": "a comment"}
        _same_404(http, f"/interventions/{other_id}/findings/DOC_MISSING/entries",
                  f"/interventions/{UNKNOWN_ID}/findings/DOC_MISSING/entries", other_id, UNKNOWN_ID,
                  method="POST", body=allowed)
        wrong_kind = {"kind": "waive" if role == "station" else "justification", "body": "x"}
        refused = http.post(f"/interventions/{own_id}/findings/DOC_MISSING/entries", json=wrong_kind)
        assert refused.status_code == 403 and "may not write" in refused.json()["detail"]
        assert _contract_counts(api_store.path) == before
        # ... while its own finding takes the entry
        finding = http.get(f"/interventions/{own_id}/findings").json()["findings"][0]
        written = http.post(f"/interventions/{own_id}/findings/{finding['code']}/entries",
                            json={"kind": "comment", "body": f"seen by the {role}", "doc_type": finding["doc_type"]})
        assert written.status_code in (201, 202), written.text
        thread = [f["thread"] for f in http.get(f"/interventions/{own_id}/findings").json()["findings"]
                  if (f["code"], f["doc_type"]) == (finding["code"], finding["doc_type"])][0]
        assert (thread[-1]["kind"], thread[-1]["body"], thread[-1]["author_role"]) == ("comment", f"seen by the {role}", role)
        before = _contract_counts(api_store.path)

        # ingest: rows of another are refused with rule "scope", nothing is stored
        foreign_row = {"intervention_id": "API-FOREIGN-1", "manufacturer_id": facts["other_brand"] if role != "station"
                       else facts["brand"], "station_id": facts["other_station"] if role == "station"
                       else facts["station"], "product_category": "tv", "serial_number": "S1", "coverage": "warranty",
                       "repair_code": "TV-PANEL", "requested_on": "2025-01-02", "completed_on": "2025-01-03",
                       "submitted_on": "2025-01-04", "visits": "1", "labor_minutes": "30", "outcome": "repaired"}
        covered.add(("POST", "/api/v1/ingest/{table}"))
        refused = http.post("/ingest/interventions", json=[foreign_row])
        assert refused.status_code == 422
        assert [(p["row"], p["rule"]) for p in refused.json()["problems"]] == [(1, "scope")]
        # a document of another's intervention reads like one of an unknown intervention
        covered.add(("POST", "/api/v1/ingest"))
        a = http.post("/ingest", json={"documents": [{"intervention_id": other_id, "doc_type": "invoice_copy",
                                                      "received_on": "2025-01-05"}]})
        b = http.post("/ingest", json={"documents": [{"intervention_id": UNKNOWN_ID, "doc_type": "invoice_copy",
                                                      "received_on": "2025-01-05"}]})
        assert a.status_code == b.status_code == 422
        assert a.text.replace(other_id, "<id>") == b.text.replace(UNKNOWN_ID, "<id>")
        assert _contract_counts(api_store.path) == before
    assert covered == set(OPERATIONS), set(OPERATIONS) - covered
