"""The API's contract: its OpenAPI document (served, and kept in docs/openapi.json) and a generated
run of property-based requests over it against the served API (schemathesis): no 5xx, every
answer's status, content type, headers and body as documented."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from analytics.api.app import openapi_document

ROOT = Path(__file__).resolve().parents[2]
KEPT = ROOT / "docs" / "openapi.json"
SCHEMA = schemathesis.openapi.from_path(KEPT)
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]


def test_the_kept_document_is_the_generated_one():
    assert KEPT.read_text(encoding="utf-8") == openapi_document(), (
        "docs/openapi.json is out of date: python -m analytics.api.app > docs/openapi.json")


def test_the_served_document_is_the_kept_one(api_url):
    served = httpx.get(f"{api_url}/api/v1/openapi.json").json()
    assert served == json.loads(KEPT.read_text(encoding="utf-8"))


def test_the_api_reads_no_page_data():
    """The API answers from the same functions as the command line, not from what pages read."""
    for path in (ROOT / "analytics" / "api").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("analytics.page_data") for n in names), path


@pytest.fixture(scope="module", params=["admin", "station"])
def generated_caller(request, api_url, api_store):
    return api_url, api_store.tokens[request.param]


@SCHEMA.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_generated_requests_are_answered_as_documented(case, generated_caller):
    base, token = generated_caller
    case.call_and_validate(base_url=base, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
