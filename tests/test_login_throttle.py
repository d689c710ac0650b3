"""Wrong passwords slow down per (name, client) and lock nobody out (issue 12 item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cx.auth import users
from cx.auth.login_throttle import LoginThrottle, attempt

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)
    path = tmp_path / "credentials.yaml"
    users.add_user(path, "ana", "analyst", "right-password")
    return path


def test_the_delay_doubles_after_the_free_attempts_up_to_the_cap() -> None:
    throttle = LoginThrottle(free_attempts=5, max_delay=900)
    delays = [throttle.delay_after(n) for n in range(0, 17)]
    assert delays == [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]


def test_a_client_waits_after_its_failures_then_may_try_again(path: Path) -> None:
    throttle = LoginThrottle(free_attempts=5, max_delay=900)
    for n in range(5):
        assert attempt(throttle, path, "ana", f"wrong-{n}", ATTACKER, now=100.0).status == "invalid"
    first = attempt(throttle, path, "ana", "right-password", ATTACKER, now=100.0)
    assert (first.status, first.retry_after) == ("wait", 1.0)  # not even checked
    assert attempt(throttle, path, "ana", "wrong", ATTACKER, now=101.0).status == "invalid"  # 6th
    waiting = attempt(throttle, path, "ana", "right-password", ATTACKER, now=101.5)
    assert (waiting.status, waiting.retry_after) == ("wait", 1.5)  # 2 s after the 6th failure
    assert attempt(throttle, path, "ana", "right-password", ATTACKER, now=103.0).status == "ok"
    # success forgets the count: the next mistake is free again
    assert attempt(throttle, path, "ana", "wrong", ATTACKER, now=103.0).status == "invalid"
    assert throttle.wait(("ana", ATTACKER), 103.0) == 0


def test_fifty_failures_from_one_client_do_not_stop_the_owner_s_client(path: Path) -> None:
    throttle = LoginThrottle(free_attempts=5, max_delay=900)
    now = 1000.0
    for _ in range(50):  # the attacker tries as soon as allowed each time
        now += throttle.wait(("ana", ATTACKER), now)
        assert attempt(throttle, path, "ana", "guess", ATTACKER, now=now).status == "invalid"
    assert throttle.wait(("ana", ATTACKER), now) == 900  # capped at 15 minutes
    owner = attempt(throttle, path, "ana", "right-password", OWNER, now=now)
    assert owner.status == "ok" and owner.user is not None and owner.user.username == "ana"


def test_known_and_unknown_names_behave_identically(path: Path) -> None:
    throttle = LoginThrottle(free_attempts=2, max_delay=60)
    seen = {}
    for name in ("ana", "nobody"):
        seen[name] = [(r.status, r.retry_after) for r in
                      (attempt(throttle, path, name, "wrong", ATTACKER, now=10.0)
                       for _ in range(5))]
    assert seen["ana"] == seen["nobody"] == [
        ("invalid", 0), ("invalid", 0), ("wait", 1.0), ("wait", 1.0), ("wait", 1.0)]


def test_the_name_is_normalised_like_the_login_and_memory_is_bounded(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    throttle = LoginThrottle(free_attempts=0, max_delay=60)
    attempt(throttle, path, " ANA", "wrong", ATTACKER, now=0.0)
    assert attempt(throttle, path, "ana", "right-password", ATTACKER, now=0.5).status == "wait"
    monkeypatch.setattr("cx.auth.login_throttle.MAX_ENTRIES", 3)
    for n in range(10):
        throttle.failed((f"user{n}", ATTACKER), now=1.0)
    assert len(throttle._entries) == 3
