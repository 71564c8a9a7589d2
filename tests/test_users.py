"""Users and login: hashing, validation, throttling, expiry, no hint, the CLI, the login page."""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from analytics.access import auth, users
from analytics.core import ops, store
from analytics.__main__ import main as cli_main
from analytics.access.scope import Scope

PASSWORD = "correct horse battery"


class FakeClock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


DEFAULT_HASHER = users.HASHER


@pytest.fixture(scope="module", autouse=True)
def cheap_hashing():
    """Cheaper argon2 parameters for speed; the production parameters are checked below."""
    from argon2 import PasswordHasher

    users.HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    yield
    users.HASHER = DEFAULT_HASHER


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    """A tiny store: two brands, three stations, and one user of each role."""
    path = tmp_path_factory.mktemp("users") / "store.duckdb"
    with store.writer(path) as con:
        con.execute("INSERT INTO manufacturers VALUES ('M1', 'Brand one'), ('M2', 'Brand two')")
        con.execute(
            "INSERT INTO stations VALUES ('S1', 'Station one', 'FR', 'FR10', 'Paris'),"
            " ('S2', 'Station two', 'DE', NULL, NULL),"
            " ($sql, 'Sneaky', 'FR', NULL, NULL)",
            {"sql": "S1'); DROP TABLE stations; --"},
        )
        users.insert_user(con, "boss", PASSWORD, "manager", is_admin=True)
        users.insert_user(con, "brand", PASSWORD, "manufacturer", manufacturer_id="M1", email="brand@example.org")
        users.insert_user(con, "shop", PASSWORD, "station", station_id="S1")
    store.close_readers()
    return path


@pytest.fixture()
def db(base_store, tmp_path) -> Path:
    """A private copy of the tiny store for tests that write."""
    path = tmp_path / "store.duckdb"
    store.copy(base_store, path)
    return path


# ---------------------------------------------------------------- hashing

def test_production_hasher_is_argon2id_with_rfc9106_parameters():
    h = DEFAULT_HASHER.hash(PASSWORD)
    assert h.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert DEFAULT_HASHER.verify(h, PASSWORD)


def test_hash_is_argon2id_and_verifies():
    h = users.hash_password(PASSWORD)
    assert h != PASSWORD and PASSWORD not in h
    assert h.startswith("$argon2id$")
    assert users.verify_password(h, PASSWORD)
    assert not users.verify_password(h, PASSWORD + "x")
    assert not users.verify_password("not a hash", PASSWORD)
    # salted: the same password hashes differently each time
    assert users.hash_password(PASSWORD) != h


def test_store_holds_only_hashes(base_store):
    rows = store.reader(base_store).execute("SELECT username, password_hash FROM users").fetchall()
    assert len(rows) == 3
    for _, h in rows:
        assert h.startswith("$argon2id$") and PASSWORD not in h
    # every file of the store: the published one (the link followed), both replicas, the change log
    files = [base_store, *store.replica_paths(base_store), ops.ops_path(base_store)]
    for path in [f for f in files if f.exists()]:
        assert PASSWORD.encode() not in path.read_bytes(), path


# ---------------------------------------------------------------- validation

@pytest.mark.parametrize("kwargs, message", [
    (dict(username="new", password="short", role="manager"), "at least 10"),
    (dict(username="new", password=PASSWORD, role="owner"), "unknown role"),
    (dict(username="new", password=PASSWORD, role="station", station_id="S9"), "no station 'S9'"),
    (dict(username="new", password=PASSWORD, role="station", station_id="S1'); DROP TABLE stations; --x"),
     "no station"),
    (dict(username="new", password=PASSWORD, role="manufacturer", manufacturer_id="M9"), "no manufacturer 'M9'"),
    (dict(username="new", password=PASSWORD, role="manufacturer"), "needs a manufacturer id"),
    (dict(username="new", password=PASSWORD, role="manager", station_id="S1"), "whole network"),
    (dict(username="new", password=PASSWORD, role="station", station_id="S1", is_admin=True), "only a manager"),
    (dict(username="Boss", password=PASSWORD, role="manager"), "already exists"),
    (dict(username="a b", password=PASSWORD, role="manager"), "a username has"),
    (dict(username="new", password=PASSWORD, role="manager", email="not-an-email"), "not an e-mail"),
    (dict(username="new", password=PASSWORD, role="manager", email="BRAND@example.org"), "already belongs"),
])
def test_add_user_refuses_bad_requests(db, kwargs, message):
    before = db.read_bytes()
    with pytest.raises(users.UserError, match=message) as err:
        users.add_user(db, **kwargs)
    assert PASSWORD not in str(err.value)
    assert db.read_bytes() == before  # nothing written


def test_add_list_reset_remove(db, tmp_path):
    added = users.add_user(db, "  NewShop ", PASSWORD, "station", station_id="S1'); DROP TABLE stations; --")
    assert added.username == "newshop"
    listed = {u.username: u for u in users.list_users(db)}
    assert sorted(listed) == ["boss", "brand", "newshop", "shop"]
    assert listed["newshop"].scope == Scope.station("S1'); DROP TABLE stations; --")
    assert listed["brand"].scope == Scope.manufacturer("M1")
    assert store.reader(db).execute("SELECT count(*) FROM stations").fetchall() == [(3,)]
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    assert auth.authenticate(db, "newshop", PASSWORD, throttle=throttle) is not None
    users.reset_password(db, "NEWSHOP", "another long secret")
    assert auth.authenticate(db, "newshop", PASSWORD, throttle=throttle) is None
    assert auth.authenticate(db, "newshop", "another long secret", throttle=throttle).username == "newshop"
    users.remove_user(db, "newshop")
    assert users.get_user(db, "newshop") is None
    with pytest.raises(users.UserError, match="no user"):
        users.remove_user(db, "newshop")
    with pytest.raises(users.UserError, match="last admin"):
        users.remove_user(db, "boss")


# ---------------------------------------------------------------- login

def test_authenticate_gives_the_stored_scope(base_store, tmp_path):
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    v = auth.authenticate(base_store, "Shop", PASSWORD, throttle=throttle)
    assert v.username == "shop" and v.scope == Scope.station("S1") and not v.is_admin
    v = auth.authenticate(base_store, "boss", PASSWORD, throttle=throttle)
    assert v.scope == Scope.manager() and v.is_admin
    assert auth.viewer_for_email(base_store, "Brand@Example.org").scope == Scope.manufacturer("M1")
    assert auth.viewer_for_email(base_store, "nobody@example.org") is None
    assert auth.viewer_for_email(base_store, "") is None


def test_no_hint_which_part_was_wrong(base_store, tmp_path):
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    wrong_password = auth.attempt_login(base_store, "shop", "wrong password!", throttle=throttle)
    unknown_user = auth.attempt_login(base_store, "nobody", PASSWORD, throttle=throttle)
    sql_user = auth.attempt_login(base_store, "' OR 1=1 --", "' OR 1=1 --", throttle=throttle)
    assert wrong_password == unknown_user == sql_user == auth.LoginResult(None, 0.0)
    assert wrong_password.message == unknown_user.message == auth.FAILED_MESSAGE


def test_unknown_user_costs_an_argon2_check_like_a_wrong_password(base_store, tmp_path):
    """Timing: both paths run exactly one argon2 verification (measured by counting calls)."""
    calls = []
    original = users.verify_password

    def counting(h, p):
        calls.append(h.startswith("$argon2id$"))
        return original(h, p)

    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    users.verify_password = counting
    try:
        auth.attempt_login(base_store, "shop", "wrong password!", throttle=throttle)
        auth.attempt_login(base_store, "nobody", "wrong password!", throttle=throttle)
    finally:
        users.verify_password = original
    assert calls == [True, True]


def test_throttle_locks_a_username_with_growing_delay(base_store, tmp_path):
    clock = FakeClock()
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=clock)
    for _ in range(4):
        assert auth.attempt_login(base_store, "shop", "wrong password!", throttle=throttle).retry_after == 0
    assert throttle.verdict("shop").retry_after == 0
    auth.attempt_login(base_store, "shop", "wrong password!", throttle=throttle)  # 5th failure
    assert throttle.verdict("SHOP").retry_after == 30
    # locked: even the right password is refused, without revealing that it was right
    locked = auth.attempt_login(base_store, "shop", PASSWORD, throttle=throttle)
    assert locked.viewer is None and locked.retry_after == 30
    assert "Too many failed logins" in locked.message
    # other usernames are not locked
    assert throttle.verdict("boss").retry_after == 0
    clock.advance(30)
    assert throttle.verdict("shop").retry_after == 0
    auth.attempt_login(base_store, "shop", "wrong password!", throttle=throttle)  # 6th: 60 s
    assert throttle.verdict("shop").retry_after == 60
    clock.advance(60)
    auth.attempt_login(base_store, "shop", "wrong password!", throttle=throttle)  # 7th: 120 s
    assert throttle.verdict("shop").retry_after == 120
    clock.advance(120)
    assert auth.authenticate(base_store, "shop", PASSWORD, throttle=throttle) is not None
    # success clears the count
    auth.attempt_login(base_store, "shop", "wrong password!", throttle=throttle)
    assert throttle.verdict("shop").retry_after == 0


def test_throttle_delay_is_capped_and_unknown_users_are_locked_alike(tmp_path):
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    for _ in range(20):
        throttle.record_failure("ghost")
    assert throttle.verdict("ghost").retry_after == 900


def test_throttle_forgets_old_failures(tmp_path):
    clock = FakeClock()
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=clock)
    for _ in range(4):
        throttle.record_failure("shop")
    clock.advance(3600 + 1)
    throttle.record_failure("shop")  # counts as the first again
    assert throttle.verdict("shop").retry_after == 0


# ---------------------------------------------------------------- sessions

def test_session_expiry():
    t0 = 10_000.0
    assert auth.session_problem(t0, t0, now=t0 + 60) is None
    assert auth.session_problem(t0, t0, now=t0 + auth.IDLE_TIMEOUT) is None
    assert auth.session_problem(t0, t0, now=t0 + auth.IDLE_TIMEOUT + 1) == "idle"
    # active all along, but past the absolute limit
    late = t0 + auth.ABSOLUTE_TIMEOUT + 1
    assert auth.session_problem(t0, late - 5, now=late) == "expired"


def test_refresh_viewer_revokes_removed_or_changed_users(db, tmp_path):
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    users.add_user(db, "temp", PASSWORD, "station", station_id="S2")
    v = auth.authenticate(db, "temp", PASSWORD, throttle=throttle)
    assert auth.refresh_viewer(db, v) == v
    users.remove_user(db, "temp")
    assert auth.refresh_viewer(db, v) is None
    users.add_user(db, "temp", PASSWORD, "station", station_id="S1")  # same name, other station
    assert auth.refresh_viewer(db, v) is None


def test_password_reset_ends_open_sessions(db, tmp_path):
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    result = auth.attempt_login(db, "shop", PASSWORD, throttle=throttle)
    assert result.tag and PASSWORD not in result.tag
    assert auth.refresh_viewer(db, result.viewer, result.tag) == result.viewer
    users.reset_password(db, "shop", "a brand new password")
    assert auth.refresh_viewer(db, result.viewer, result.tag) is None
    assert auth.refresh_viewer(db, result.viewer) == result.viewer  # without a tag: scope only


# ---------------------------------------------------------------- CLI

def _cli(monkeypatch, capsys, argv, stdin=""):
    # the real entry point, with only this subcommand plugged in (others' may not import yet)
    monkeypatch.setattr("analytics.__main__.COMMANDS", ["users_cmd"])
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli_main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_add_list_reset_remove(db, monkeypatch, capsys, tmp_path):
    code, out, err = _cli(monkeypatch, capsys,
                          ["users", "add", "cliuser", "--role", "station", "--station", "S2",
                           "--password-stdin", "--db", str(db)], stdin="a long cli secret\n")
    assert code == 0, err
    assert "added user 'cliuser' (station, S2)" in out
    code, out, _ = _cli(monkeypatch, capsys, ["users", "list", "--db", str(db)])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["username", "role", "manufacturer", "station", "admin", "email"]
    assert any(line.split()[:3] == ["cliuser", "station", "S2"] for line in lines)
    assert "argon2" not in out and "secret" not in out
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    assert auth.authenticate(db, "cliuser", "a long cli secret", throttle=throttle) is not None
    code, _, _ = _cli(monkeypatch, capsys, ["users", "reset-password", "cliuser", "--password-stdin",
                                            "--db", str(db)], stdin="changed long secret\n")
    assert code == 0
    assert auth.authenticate(db, "cliuser", "changed long secret", throttle=throttle) is not None
    code, out, _ = _cli(monkeypatch, capsys, ["users", "remove", "cliuser", "--db", str(db)])
    assert code == 0 and "removed user 'cliuser'" in out
    assert users.get_user(db, "cliuser") is None


def test_cli_refuses_clearly(db, monkeypatch, capsys):
    code, _, err = _cli(monkeypatch, capsys, ["users", "add", "x", "--role", "station", "--station", "S9",
                                              "--password-stdin", "--db", str(db)], stdin="a long cli secret\n")
    assert code == 1 and "no station 'S9'" in err
    code, _, err = _cli(monkeypatch, capsys, ["users", "add", "x", "--role", "manager",
                                              "--password-stdin", "--db", str(db)], stdin="short\n")
    assert code == 1 and "at least 10" in err and "short" not in err.replace("short", "", 0)
    with pytest.raises(SystemExit) as exc:  # no plain --password argument exists
        _cli(monkeypatch, capsys, ["users", "add", "x", "--role", "manager", "--password", "abc", "--db", str(db)])
    assert exc.value.code == 2


def test_cli_prompt_asks_twice(db, monkeypatch, capsys):
    answers = iter(["prompted long secret", "different long secret"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    code, _, err = _cli(monkeypatch, capsys, ["users", "add", "p", "--role", "manager", "--db", str(db)])
    assert code == 1 and "differ" in err
    assert users.get_user(db, "p") is None
    answers = iter(["prompted long secret", "prompted long secret"])
    code, _, _ = _cli(monkeypatch, capsys, ["users", "add", "p", "--role", "manager", "--db", str(db)])
    assert code == 0 and users.get_user(db, "p").role == "manager"


# ---------------------------------------------------------------- demo users

def test_demo_users_one_per_role(tmp_path):
    path = tmp_path / "demo.duckdb"
    with store.writer(path) as con:
        con.execute("INSERT INTO manufacturers VALUES ('MA', 'A'), ('MB', 'B')")
        stations = [(f"S{i}", "FR" if i < 6 else "DE") for i in range(8)]
        con.executemany("INSERT INTO stations VALUES ($1, $1, $2, NULL, NULL)", stations)
        rows = []
        n = 0
        for sid, country in stations:
            brands = ["MA"] if sid != "S0" else ["MA", "MB"]
            if sid in ("S6", "S7"):
                brands = ["MB"]
            for brand in brands:
                for _ in range(3 if sid != "S3" else 9):
                    n += 1
                    rows.append((f"I{n}", brand, sid))
        con.executemany(
            "INSERT INTO interventions (intervention_id, manufacturer_id, station_id, product_category, "
            "serial_number, coverage, repair_code, requested_on, completed_on, submitted_on, visits, "
            "labor_minutes, outcome) VALUES ($1, $2, $3, 'tv', 'X', 'goodwill', 'R', DATE '2024-01-01', "
            "DATE '2024-01-02', DATE '2024-01-03', 1, 10, 'repaired')", rows)
        created = {u.username: u for u in users.ensure_demo_users(con)}
        again = users.ensure_demo_users(con)  # idempotent: replaces, never duplicates
    assert [u.username for u in again] == list(created)
    assert created["admin"].scope == Scope.manager() and created["admin"].is_admin
    # MA has 6*3 + 9 - ... interventions: the most
    assert created["manufacturer"].scope == Scope.manufacturer("MA")
    # S0 is the only station serving two brands; its MB group (FR) has 1 station: still the pick
    assert created["station"].scope == Scope.station("S0")
    # station2: a group under 5 — the MB stations in DE (S6, S7: group of 2); busiest, then id
    assert created["station2"].scope.station_id in ("S6", "S7")
    throttle = auth.Throttle(tmp_path / "throttle.duckdb", clock=FakeClock())
    for name in users.DEMO_USERNAMES:
        assert auth.authenticate(path, name, users.DEMO_PASSWORD, throttle=throttle) is not None
    assert len(users.list_users(path)) == 4


# ---------------------------------------------------------------- login page (AppTest)

def _login_app_file(tmp_path: Path) -> Path:
    script = tmp_path / "login_app.py"
    script.write_text(
        "import streamlit as st\n"
        "from ui.auth import require_viewer\n"
        "v = require_viewer()\n"
        "st.write('WELCOME', v.username, v.role)\n"
    )
    return script


def test_login_page_logs_in_and_out(base_store, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIRVOIE_DB", str(base_store))
    at = AppTest.from_file(str(_login_app_file(tmp_path)), default_timeout=30).run()
    assert not at.exception
    assert [t.value for t in at.subheader] == ["Log in"]
    assert not any("WELCOME" in m.value for m in at.markdown)  # stopped before the page
    at.text_input(key="clairvoie_login_username").input("shop")
    at.text_input(key="clairvoie_login_password").input("wrong password!")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [auth.FAILED_MESSAGE]
    at.text_input(key="clairvoie_login_username").input("nobody")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [auth.FAILED_MESSAGE]
    at.text_input(key="clairvoie_login_username").input("shop")
    at.text_input(key="clairvoie_login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert any(m.value == "WELCOME shop station" for m in at.markdown)
    assert at.sidebar.text[0].value == "shop — station S1"
    at.sidebar.button(key="clairvoie_logout").click().run()
    assert [t.value for t in at.subheader] == ["Log in"]
    assert not any("WELCOME" in m.value for m in at.markdown)


def test_login_page_ends_expired_sessions(base_store, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from analytics.access.viewer import Viewer
    from ui.auth import VIEWER_KEY

    monkeypatch.setenv("CLAIRVOIE_DB", str(base_store))
    at = AppTest.from_file(str(_login_app_file(tmp_path)), default_timeout=30)
    at.session_state[VIEWER_KEY] = Viewer("boss", Scope.manager(), True,
                                          logged_in_at=time.time() - auth.ABSOLUTE_TIMEOUT - 5)
    at.run()
    assert [t.value for t in at.subheader] == ["Log in"]
    assert "expired" in at.info[0].value
    # A viewer planted by a test (the stand-in) is accepted while fresh.
    at = AppTest.from_file(str(_login_app_file(tmp_path)), default_timeout=30)
    at.session_state[VIEWER_KEY] = Viewer("boss", Scope.manager(), True)
    at.run()
    assert any(m.value == "WELCOME boss manager" for m in at.markdown)


def test_login_page_revokes_a_removed_user(db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIRVOIE_DB", str(db))
    at = AppTest.from_file(str(_login_app_file(tmp_path)), default_timeout=30).run()
    at.text_input(key="clairvoie_login_username").input("shop")
    at.text_input(key="clairvoie_login_password").input(PASSWORD)
    at.button[0].click().run()
    assert any(m.value == "WELCOME shop station" for m in at.markdown)
    users.remove_user(db, "shop")
    at.run()
    assert [t.value for t in at.subheader] == ["Log in"]
    assert "changed or removed" in at.info[0].value
    # a password reset ends the session too
    at.text_input(key="clairvoie_login_username").input("brand")
    at.text_input(key="clairvoie_login_password").input(PASSWORD)
    at.button[0].click().run()
    assert any(m.value == "WELCOME brand manufacturer" for m in at.markdown)
    at.run()
    assert any(m.value == "WELCOME brand manufacturer" for m in at.markdown)
    users.reset_password(db, "brand", "a brand new password")
    at.run()
    assert [t.value for t in at.subheader] == ["Log in"]


OIDC_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-only",
                "client_id": "test-only", "client_secret": "test-only",
                "server_metadata_url": "https://idp.invalid/.well-known/openid-configuration"}


def test_company_login_is_offered_only_when_configured(base_store, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIRVOIE_DB", str(base_store))
    at = AppTest.from_file(str(_login_app_file(tmp_path)), default_timeout=30).run()
    assert [b.label for b in at.button] == ["Log in"]
    at = AppTest.from_file(str(_login_app_file(tmp_path)), default_timeout=30)
    at.secrets["auth"] = OIDC_SECRETS
    at.run()
    assert [b.label for b in at.button] == ["Log in", "Log in with your company account"]


@pytest.mark.parametrize("identity, expected", [
    ({"email": "BRAND@example.org", "email_verified": True}, "WELCOME brand manufacturer"),
    ({"email": "stranger@example.org", "email_verified": True}, "No Clairvoie user has the e-mail"),
    ({"email": "brand@example.org", "email_verified": False}, "not verified"),
])
def test_company_login_maps_the_email_to_a_user(base_store, tmp_path, monkeypatch, identity, expected):
    from streamlit.testing.v1 import AppTest

    import ui.auth

    monkeypatch.setenv("CLAIRVOIE_DB", str(base_store))
    monkeypatch.setattr(ui.auth, "_oidc_user", lambda: dict(identity))  # the provider's answer
    at = AppTest.from_file(str(_login_app_file(tmp_path)), default_timeout=30)
    at.secrets["auth"] = OIDC_SECRETS
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown] + [i.value for i in at.info]
    assert any(expected in text for text in shown), shown


def test_pages_each_role_may_open():
    assert all(auth.may_open("manager", p) for p in ("stations", "import_data", "overview"))
    assert auth.may_open("manufacturer", "stations") and not auth.may_open("manufacturer", "import_data")
    assert not auth.may_open("station", "stations") and not auth.may_open("station", "import_data")
    assert auth.may_open("station", "scorecard") and auth.may_open("station", "verification")
    assert not auth.may_open("intruder", "overview")  # an unknown role opens nothing
