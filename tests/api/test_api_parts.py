"""The API's parts on their own (no server): the token bucket, tokens and their command line, the
importer's scope rule for a station's and a brand's batch."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest

from analytics.access import tokens
from analytics.access.scope import Scope
from analytics.api.throttle import TokenBuckets
from analytics.contract.importer import import_paths
from tests.api.conftest import ROOT
from tests.api.test_api_ingest import GOOD, _fresh_store


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_token_bucket_grants_a_burst_then_the_rate():
    clock = Clock()
    buckets = TokenBuckets(rate=2.0, burst=3.0, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(0.5)       # one credit comes back every 0.5 s
    assert buckets.take("b") == 0.0                      # another token has its own bucket
    clock.t += 0.5
    assert buckets.take("a") == 0.0 and buckets.take("a") == pytest.approx(0.5)
    clock.t += 100                                       # refills up to the burst, not beyond
    assert [buckets.take("a") for _ in range(4)][-1] == pytest.approx(0.5)
    assert TokenBuckets.retry_after(0.01) == "1" and TokenBuckets.retry_after(2.2) == "3"


def test_tokens_expire_are_listed_and_revoked(tmp_path):
    path, _ = _fresh_store(tmp_path)
    now = dt.datetime(2026, 1, 1, 12, tzinfo=dt.timezone.utc)
    secret, info = tokens.create_token(path, "admin", expires_in_days=2, now=now)
    assert secret.startswith("clv_" + info.token_id + "_") and info.expires_at == "2026-01-03T12:00:00Z"
    assert tokens.authenticate(path, secret, now=now + dt.timedelta(days=1))[0].scope == Scope.manager()
    assert tokens.authenticate(path, secret, now=now + dt.timedelta(days=2)) is None
    listed = {t.token_id: t for t in tokens.list_tokens(path, "admin")}
    assert listed[info.token_id].state(now + dt.timedelta(days=3)) == "expired"
    with pytest.raises(tokens.TokenError, match="no user"):
        tokens.create_token(path, "nobody")
    with pytest.raises(tokens.TokenError, match="between 1 and"):
        tokens.create_token(path, "admin", expires_in_days=0)


def test_token_command_line(tmp_path):
    path, _ = _fresh_store(tmp_path)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "analytics", "users", "token", *args, "--db", str(path)],
                              cwd=ROOT, capture_output=True, text=True)

    made = cli("create", "admin", "--expires-in-days", "30")
    assert made.returncode == 0
    secret = made.stdout.strip()  # the token alone on standard output, the explanation on stderr
    assert tokens.TOKEN_RE.match(secret) and "shown only now" in made.stderr
    token_id = secret.split("_")[1]
    listed = cli("list", "admin")
    assert token_id in listed.stdout and "active" in listed.stdout and secret not in listed.stdout
    assert cli("revoke", "admin", "--token-id", token_id).stdout.strip() == "revoked 1 token(s) of 'admin'"
    assert "revoked" in cli("list", "admin").stdout and tokens.authenticate(path, secret) is None
    refused = cli("list", "nobody")
    assert refused.returncode == 1 and "no user 'nobody'" in refused.stderr


def test_a_station_imports_only_its_own_rows(tmp_path):
    """The fixture's interventions are of stations S01 and others: imported with S01's scope, every
    other station's row is refused (rule scope), with the id of the row, and nothing lands."""
    path, _ = _fresh_store(tmp_path)
    batch = tmp_path / "batch"
    batch.mkdir()
    shutil.copyfile(GOOD / "interventions.csv", batch / "interventions.csv")
    lines = (GOOD / "interventions.csv").read_text().splitlines()[1:]
    others = [n for n, line in enumerate(lines, start=1) if line.split(",")[2] != "S01"]
    assert others and len(others) < len(lines)
    result = import_paths(path, [batch], scope=Scope.station("S01"))
    assert not result.ok
    assert [(p.row, p.rule, p.column) for p in result.problems] == [(n, "scope", "station_id") for n in others]
    brand = import_paths(path, [batch], scope=Scope.manufacturer("M01"))
    foreign = [n for n, line in enumerate(lines, start=1) if line.split(",")[1] != "M01"]
    assert foreign and [(p.row, p.rule, p.column) for p in brand.problems] == [
        (n, "scope", "manufacturer_id") for n in foreign]
    policies = import_paths(path, [GOOD / "policies"], scope=Scope.station("S01"))
    assert [(p.file, p.rule) for p in policies.problems] == [("M01.toml", "scope")]
    assert import_paths(path, [batch], scope=Scope.manager()).ok
