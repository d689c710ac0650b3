"""The Users page (admins): add with a password shown once, change role, reset, remove with a
confirmation, never the last admin."""

from __future__ import annotations

import os
from pathlib import Path

from cx.auth import users
from cx.domain import Role
from tests.app.session import logged_in


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

