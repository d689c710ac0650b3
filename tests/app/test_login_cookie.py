"""AppTest, the whole app: the first upload locks nobody out (issue 11 item 2), a weak key is
refused on real data, a forged cookie shows the login form, and a login ends when its session
version does (issue 12 item 3)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cx.auth import cookie_tickets, sessions, users
from cx.config import load_settings
from cx.storage import Store
from cx.storage.batches import Batch, insert_batch, new_batch_id
from cx.ui import auth
from tests.app.conftest import PASSWORD
from tests.app.session import app_test
from tests.test_sessions import jwt

LOGIN_FORM = ["Username", "Password"]


def _end_demo_mode() -> None:
    """What the Upload page's first real file does to the database: an uploaded batch."""
    with Store(os.environ["CX_DB"]).transaction() as cur:
        insert_batch(cur, Batch(batch_id=new_batch_id(), source="upload",
                                table_name="responses", file_name="survey.csv"))


def _refusals(at: object) -> list[str]:
    return [e.value for e in at.error if "cannot start" in e.value]


def _with_cookie(monkeypatch: pytest.MonkeyPatch, value: object) -> None:
    name = auth._cookie_name(load_settings())
    monkeypatch.setattr(auth, "_cookies", lambda: {name: value})


@pytest.mark.parametrize("demo_only", [True, False])
def test_no_configured_key_never_refuses_a_session(demo_only: bool, logins: dict[str, str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CX_COOKIE_KEY")
    if not demo_only:
        _end_demo_mode()  # before: "CX Lens cannot start ... export CX_COOKIE_KEY"
    at = app_test().run()
    assert not at.exception and not _refusals(at)
    assert [t.label for t in at.text_input] == LOGIN_FORM
    key_file = Path(os.environ["CX_USERS"]).with_name("cookie.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    at.text_input[0].input(logins["analyst"])
    at.text_input[1].input(PASSWORD.format(role="analyst"))
    at.button[0].click().run()
    assert at.session_state["authentication_status"] is True and not _refusals(at)


@pytest.mark.parametrize("weak", ["x", " ", "cx-lens-demo-only-cookie-key"])
def test_a_weak_key_is_refused_on_real_data_and_ignored_in_demo_mode(
        weak: str, logins: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CX_COOKIE_KEY", weak)
    demo = app_test().run()
    assert not _refusals(demo) and [t.label for t in demo.text_input] == LOGIN_FORM
    _end_demo_mode()
    at = app_test().run()
    assert not at.exception
    refused = _refusals(at)
    assert refused and "CX_COOKIE_KEY" in refused[0] and len(at.text_input) == 0
    assert "CX Lens refused to start: CX_COOKIE_KEY" in capfd.readouterr().err


@pytest.mark.parametrize("forged", ["garbage", "alg none", "HS512", "no exp_date", "stale"])
def test_a_cookie_that_does_not_verify_shows_the_login_form(
        forged: str, logins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    key = os.environ["CX_COOKIE_KEY"]
    path = Path(os.environ["CX_USERS"])
    stale = sessions.issue(path, key, logins["admin"])
    sessions.end_all(path, logins["admin"])  # logged out: the cookie is over
    value = {"garbage": "%%%", "stale": stale,
             "alg none": jwt({"username": logins["admin"], "exp_date": 4e9}, key, "none"),
             "HS512": jwt({"username": logins["admin"], "exp_date": 4e9}, key, "HS512"),
             "no exp_date": jwt({"username": logins["admin"]}, key)}[forged]
    _with_cookie(monkeypatch, value)
    at = app_test().run()
    assert not at.exception
    assert [t.label for t in at.text_input] == LOGIN_FORM
    assert not at.session_state["authentication_status"] if "authentication_status" in \
        at.session_state else True
    at.text_input[0].input(logins["admin"])  # and the form works: nothing is stuck
    at.text_input[1].input(PASSWORD.format(role="admin"))
    at.button[0].click().run()
    assert at.session_state["authentication_status"] is True


def _live_session(username: str) -> object:
    """An AppTest whose session is logged in as `username` under session version 0 (how a
    login leaves it). Why not click through: AppTest reruns the selected page file without
    app.py once a navigation exists, and app.py is what is tested here."""
    at = app_test()
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["cx_session_version"] = 0
    return at


def test_a_valid_cookie_logs_in_and_a_reset_ends_open_sessions(
        logins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(os.environ["CX_USERS"])
    _with_cookie(monkeypatch, sessions.issue(path, os.environ["CX_COOKIE_KEY"],
                                             logins["manager"]))
    at = app_test().run()
    assert at.session_state["username"] == logins["manager"] and len(at.text_input) != 2
    open_elsewhere = _live_session(logins["manager"])
    users.reset_password(path, logins["manager"])  # by an admin, on the Users page
    open_elsewhere.run()  # that open session's next run
    assert [t.label for t in open_elsewhere.text_input] == LOGIN_FORM
    assert "username" not in open_elsewhere.session_state
    assert [t.label for t in app_test().run().text_input] == LOGIN_FORM  # the cookie is over


def test_logout_ends_the_session_and_its_cookie(logins: dict[str, str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(os.environ["CX_USERS"])
    cookie = sessions.issue(path, os.environ["CX_COOKIE_KEY"], logins["analyst"])
    _with_cookie(monkeypatch, cookie)
    at = _live_session(logins["analyst"])
    at.session_state["cx_logout_requested"] = True  # what the Log out button's click sets
    at.run()
    assert not at.exception and [t.label for t in at.text_input] == LOGIN_FORM
    assert users.load_users(path)[logins["analyst"]].session_version == 1
    assert sessions.verify(path, os.environ["CX_COOKIE_KEY"], cookie) is None
    # the browser still sends the old cookie until its deletion lands: it logs nobody in
    assert [t.label for t in app_test().run().text_input] == LOGIN_FORM


def test_login_and_logout_hand_their_cookie_to_the_server_route(
        logins: dict[str, str]) -> None:
    """The page never holds the cookie: a login files it under a one-time ticket that only the
    HttpOnly route (cx.ui.cookie_route) redeems; a logout files its deletion the same way."""
    path, key = Path(os.environ["CX_USERS"]), os.environ["CX_COOKIE_KEY"]
    name = auth._cookie_name(load_settings())
    at = app_test().run()
    at.text_input[0].input(logins["analyst"])
    at.text_input[1].input(PASSWORD.format(role="analyst"))
    at.button[0].click().run()
    assert not at.exception and at.session_state["authentication_status"] is True
    filed = cookie_tickets.claim(at.session_state["cx_cookie_ticket"])
    assert filed is not None and filed.name == name and filed.max_age == 7 * 86400
    assert sessions.verify(path, key, filed.value) == sessions.Login(logins["analyst"], 0)
    at.run()  # the ticket is spent: the page stops asking the browser to fetch it
    assert "cx_cookie_ticket" not in at.session_state
    at.session_state["cx_logout_requested"] = True  # what the Log out button's click sets
    at.run()
    assert cookie_tickets.claim(at.session_state["cx_cookie_ticket"]) == cookie_tickets.Filed(
        name, "", 0)
    assert sessions.verify(path, key, filed.value) is None


def test_a_damaged_key_file_stops_with_the_path_on_the_console_only(
        logins: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CX_COOKIE_KEY")
    key_file = Path(os.environ["CX_USERS"]).with_name("cookie.key")
    key_file.write_text("x\n")
    at = app_test().run()
    refused = _refusals(at)
    assert refused and "cookie key cannot be used" in refused[0]
    assert str(key_file.parent) not in refused[0]  # no server path in the browser
    assert f"{key_file} is damaged" in capfd.readouterr().err
