"""The Users page (admins): add with a password shown once, change role, reset, remove with a
confirmation, never the last admin; and the app refuses to start on uploaded data with the
public cookie key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cx import users
from cx.config import DEMO_COOKIE_KEY
from cx.domain import Role
from cx.storage import Store
from cx.storage.batches import Batch, insert_batch, new_batch_id
from tests.app.session import app_test, logged_in


def _users_page(admin: str) -> object:
    return logged_in(admin).switch_page("pages/users.py").run()


def _button(at: object, label: str) -> object:
    return next(b for b in at.button if b.label == label)


def _roles() -> dict[str, Role]:
    return {n: u.role for n, u in users.load_users(Path(os.environ["CX_USERS"])).items()}


def test_admin_adds_a_user_and_sees_the_random_password_once(logins: dict[str, str]) -> None:
    at = _users_page(logins["admin"])
    assert not at.exception
    assert sorted(at.dataframe[0].value["username"]) == sorted(logins.values())
    at.text_input(key="cx_user_add_name").input("new.person")
    at.selectbox(key="cx_user_add_role").set_value("manager")
    _button(at, "Add user").click().run()
    assert at.success[0].value == "Added new.person (manager)."
    password = at.code[0].value
    assert len(password) == 16  # secrets.token_urlsafe(12)
    assert users.authenticate(Path(os.environ["CX_USERS"]), "new.person", password).status == "ok"
    assert "new.person" in list(at.dataframe[0].value["username"])
    at.run()  # any next run: the password is gone from the page
    assert len(at.code) == 0


def test_change_role_reset_and_remove_with_confirmation(logins: dict[str, str]) -> None:
    at = _users_page(logins["admin"])
    at.selectbox(key="cx_role_user").set_value(logins["executive"])
    at.selectbox(key="cx_role_role").set_value("analyst")
    _button(at, "Change role").click().run()
    assert _roles()[logins["executive"]] is Role.ANALYST

    at.selectbox(key="cx_reset_user").set_value(logins["manager"])
    _button(at, "Reset password").click().run()
    new = at.code[0].value
    assert users.authenticate(Path(os.environ["CX_USERS"]), logins["manager"], new).status == "ok"

    at.selectbox(key="cx_rm_user").set_value(logins["analyst"])
    _button(at, "Remove user").click().run()
    assert "Tick the box" in at.warning[0].value
    assert logins["analyst"] in _roles()
    at.selectbox(key="cx_rm_user").set_value(logins["analyst"])
    at.checkbox(key="cx_rm_sure").check()
    _button(at, "Remove user").click().run()
    assert logins["analyst"] not in _roles()


def test_the_last_admin_keeps_the_role_and_cannot_remove_themself(logins: dict[str, str]
                                                                  ) -> None:
    at = _users_page(logins["admin"])
    assert logins["admin"] not in at.selectbox(key="cx_rm_user").options
    at.selectbox(key="cx_role_user").set_value(logins["admin"])
    at.selectbox(key="cx_role_role").set_value("manager")
    _button(at, "Change role").click().run()
    assert "last admin" in at.error[0].value
    assert _roles()[logins["admin"]] is Role.ADMIN


def test_a_non_admin_gets_no_users_page(logins: dict[str, str]) -> None:
    at = _users_page(logins["analyst"])
    assert "No access" in at.error[0].value
    assert len(at.dataframe) == 0 and len(at.button) == 0


@pytest.mark.parametrize("demo_only", [True, False])
def test_public_cookie_key_is_refused_once_real_data_is_loaded(
        demo_only: bool, logins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CX_COOKIE_KEY", DEMO_COOKIE_KEY)
    if not demo_only:
        with Store(os.environ["CX_DB"]).transaction() as cur:
            insert_batch(cur, Batch(batch_id=new_batch_id(), source="upload",
                                    table_name="responses", file_name="survey.csv"))
    at = app_test().run()
    assert not at.exception
    refused = [e.value for e in at.error if "cannot start" in e.value]
    if demo_only:
        assert not refused and [t.label for t in at.text_input] == ["Username", "Password"]
    else:
        assert refused and "CX_COOKIE_KEY" in refused[0]
        assert len(at.text_input) == 0
