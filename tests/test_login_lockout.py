"""The lockout story: strangers' failures cannot keep the real users out.

The attack of the issue: from one browser, wrong logins with made-up usernames made the server
refuse every login (``admin`` with the right password included) for minutes, again and again;
one wrong attempt every 15 minutes kept ``admin`` locked for good; a restart forgot it all.

Replayed here against :mod:`analytics.access.throttle` (state in the operational database): many
strangers' failures, then the real admin logs in at once from the laptop they used before (a
known device: no delay, no lock), a stranger's login is delayed but never refused by the
server-wide brake, a locked username is lifted by the admin command, and the state is seen by
another process (a server restart, or a second server process).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analytics.access import auth, throttle as throttle_mod, users
from analytics.access.sessions import Sessions
from analytics.core import store

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long enough secret"
DEFAULT_HASHER = users.HASHER


class FakeClock:
    def __init__(self, t: float = 2_000_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture(scope="module", autouse=True)
def cheap_hashing():
    from argon2 import PasswordHasher

    users.HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    yield
    users.HASHER = DEFAULT_HASHER


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    with store.writer(path) as con:
        con.execute("INSERT INTO manufacturers VALUES ('M1', 'Brand one')")
        users.insert_user(con, "admin", PASSWORD, "manager", is_admin=True)
        users.insert_user(con, "brand", PASSWORD, "manufacturer", manufacturer_id="M1")
    store.close_readers()
    return path


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    """The admin command, in another process (as an operator runs it beside the server)."""
    return subprocess.run([sys.executable, "-m", "analytics", "users", "locks", *args, "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT)})


def _known_device(db: Path, clock) -> str:
    """The admin logged in from this laptop before: the browser exchanged its login ticket."""
    sessions = Sessions(db, clock)
    _, ticket = sessions.open_session("admin", "password", None)
    return sessions.exchange_ticket(ticket).device_token


def test_strangers_failures_do_not_keep_the_admin_out(db):
    clock = FakeClock()
    throttle = throttle_mod.Throttle(db, clock)
    laptop = _known_device(db, clock)
    slept: list[float] = []

    # 200 failures from strangers: made-up usernames from 40 addresses, and the admin's own
    # username hammered from one address (it is locked for unknown devices, as it must be)
    for i in range(180):
        throttle.record_failure(f"made-up-{i}", f"198.51.100.{i % 40}")
    refused = [auth.attempt_login(db, "admin", "a wrong guess!", throttle=throttle, address="192.0.2.66",
                                  sleep=slept.append).retry_after for _ in range(20)]
    # the first 5 are checked (each delayed by the brake: 180..184 failures in the window), the
    # 5th locks the username for 30 s, the next 15 are refused without a check (not counted)
    assert slept == [throttle_mod.brake_delay(n) for n in range(180, 185)]
    assert slept[0] == pytest.approx(0.5 * 2 ** 0.8)
    assert refused == [0.0] * 5 + [30.0] * 15
    slept.clear()
    for i in range(15):  # the same address now guesses other usernames: it is locked at 20
        throttle.record_failure(f"another-{i}", "192.0.2.66")
    assert throttle.verdict("anyone", "192.0.2.66").retry_after == 30

    # the real admin, on the laptop they used before, logs in at once: no lock, no delay
    result = auth.attempt_login(db, "admin", PASSWORD, throttle=throttle, address="203.0.113.7",
                                device_token=laptop, sleep=slept.append)
    assert result.viewer is not None and result.viewer.username == "admin"
    assert slept == []

    # another user from a new device is delayed by the server-wide brake, never refused
    result = auth.attempt_login(db, "brand", PASSWORD, throttle=throttle, address="203.0.113.8", sleep=slept.append)
    assert result.viewer is not None
    assert slept == [throttle_mod.brake_delay(200)] == [1.0]  # 200 failures in 5 minutes: 0.5 s doubled once

    # the admin on a new device meets the lock (the price of locking a guessed username) …
    refused = auth.attempt_login(db, "admin", PASSWORD, throttle=throttle, address="203.0.113.7")
    assert refused.viewer is None and refused.retry_after > 0
    # … which another administrator lifts with the command, from another process
    listed = _cli(db, "list")
    assert listed.returncode == 0, listed.stderr
    assert "username  admin" in listed.stdout and "address   192.0.2.66" in listed.stdout
    lifted = _cli(db, "lift", "ADMIN")
    assert lifted.returncode == 0 and "lifted the lock of username 'admin'" in lifted.stdout
    assert _cli(db, "lift", "--address", "192.0.2.66").returncode == 0
    slept.clear()
    result = auth.attempt_login(db, "admin", PASSWORD, throttle=throttle, address="203.0.113.7", sleep=slept.append)
    assert result.viewer is not None and slept == [1.0]  # the brake's delay, then in


def test_a_known_device_guessing_is_forgotten_after_five_failures(db):
    clock = FakeClock()
    throttle = throttle_mod.Throttle(db, clock)
    laptop = _known_device(db, clock)
    for _ in range(throttle_mod.DEVICE_FAILURES):
        assert throttle.verdict("admin", device_token=laptop).known_device
        auth.attempt_login(db, "admin", "a wrong guess!", throttle=throttle, device_token=laptop)
    assert not throttle.verdict("admin", device_token=laptop).known_device
    # the device cookie is worth nothing for another username
    other = _known_device(db, clock)
    assert not throttle.verdict("brand", device_token=other).known_device


def test_the_state_survives_a_restart(db):
    """Failures recorded by one process (a server that then stops) lock the username for the next."""
    code = ("import sys; from analytics.access.throttle import Throttle; t = Throttle(sys.argv[1]); "
            "[t.record_failure('admin', '192.0.2.1') for _ in range(5)]")
    done = subprocess.run([sys.executable, "-c", code, str(db)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    verdict = throttle_mod.Throttle(db).verdict("admin")
    assert 0 < verdict.retry_after <= 30
    refused = auth.attempt_login(db, "admin", PASSWORD)
    assert refused.viewer is None and "Too many failed logins" in refused.message


def test_the_brake_delays_by_hand_computed_amounts():
    assert throttle_mod.brake_delay(99) == 0
    assert throttle_mod.brake_delay(100) == 0.5
    assert throttle_mod.brake_delay(200) == 1.0
    assert throttle_mod.brake_delay(300) == 2.0
    assert throttle_mod.brake_delay(400) == 4.0
    assert throttle_mod.brake_delay(500) == 8.0
    assert throttle_mod.brake_delay(10_000) == 10.0
    assert throttle_mod.lock_delay(4, 5) == 0 and throttle_mod.lock_delay(5, 5) == 30
    assert throttle_mod.lock_delay(7, 5) == 120 and throttle_mod.lock_delay(50, 5) == 900


def test_one_wrong_attempt_every_15_minutes_never_holds_back_a_known_device(db):
    """The issue's second attack: one failure per 15 minutes kept ``admin`` locked forever. It still
    keeps the username locked for unknown devices (that is the lock's job: 10 failures in 2¼ h
    give the longest lock, 15 min), but the real admin's known device is never held back, and
    ``users locks lift`` frees the username for a new device."""
    clock = FakeClock()
    throttle = throttle_mod.Throttle(db, clock)
    laptop = _known_device(db, clock)
    for _ in range(12):
        throttle.record_failure("admin", "192.0.2.9")
        assert throttle.verdict("admin", device_token=laptop) == throttle_mod.Verdict(known_device=True)
        clock.advance(15 * 60)
    throttle.record_failure("admin", "192.0.2.9")
    assert throttle.verdict("admin").retry_after == 900
    result = auth.attempt_login(db, "admin", PASSWORD, throttle=throttle, device_token=laptop, sleep=pytest.fail)
    assert result.viewer is not None
    assert throttle.lift(username="admin") and throttle.verdict("admin").retry_after == 0
