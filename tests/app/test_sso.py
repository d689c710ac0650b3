"""Company sign-in as app.py sees it (AppTest seeds st.user with a provider's claims): the role
from the group mapping, No access without one, the sign-in modes, and the Users page's groups
tab. The full round trip through a real provider is tests/browser/test_sso.py."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cx.auth import audit, group_roles
from cx.domain import Role
from cx.storage import Store
from tests.app.session import app_test, logged_in, rendered_text

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "okta": {"client_id": "cx", "client_secret": "s",
                 "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}}
DATA = ("metric", "dataframe", "table")  # AppTest element kinds that would carry data


def _person(*groups: str, email: str = "ana@example.com", age_hours: float = 0) -> dict:
    return {"is_logged_in": True, "email": email, "sub": "u-1", "groups": list(groups),
            "iat": int(time.time() - age_hours * 3600)}


def _run(user: dict | None = None, mode: str = "sso", at: object = None) -> object:
    os.environ["CX_AUTH"] = mode  # the `mapped` fixture's monkeypatch restores it afterwards
    at = at or app_test()
    at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    return at.run()


@pytest.fixture
def mapped(logins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("CX_AUTH", "sso")
    store = Store(os.environ["CX_DB"])
    group_roles.map_group(store, "cx-execs", Role.EXECUTIVE, "test")
    group_roles.map_group(store, "cx-analysts", Role.ANALYST, "test")
    return store


def _sidebar_text(at: object) -> str:
    return "\n".join(str(m.value) for m in at.sidebar.markdown)


def test_a_mapped_group_signs_in_with_the_strongest_role_and_its_groups(mapped: Store) -> None:
    at = _run(_person("staff", "cx-execs", "cx-analysts"))
    assert not at.exception
    assert "Role: **analyst**" in _sidebar_text(at)
    assert r"ana@example\.com" in _sidebar_text(at)  # escaped once: shown as sent
    assert at.session_state["cx_groups"] == ("staff", "cx-execs", "cx-analysts")
    at = _run(_person("cx-execs"))
    assert "Role: **executive**" in _sidebar_text(at)


def test_an_old_sign_in_goes_back_through_the_provider(mapped: Store,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CX_SSO_MAX_AGE_HOURS", "8")
    at = _run(_person("cx-analysts", age_hours=9))
    assert "Logged in as" not in _sidebar_text(at) and "cx_groups" not in at.session_state
    assert "more than 8 hours old" in at.info[0].value
    assert [b.label for b in at.button] == ["Sign in with okta"]
    at = _run(_person("cx-analysts", age_hours=7))
    assert "Role: **analyst**" in _sidebar_text(at)


def test_no_mapped_group_means_no_access_and_no_data(mapped: Store) -> None:
    at = _run(_person("staff"))
    assert not at.exception
    assert "No access" in at.error[0].value
    assert "Your groups: staff" in rendered_text(at)
    assert all(len(getattr(at, kind)) == 0 for kind in DATA)
    assert len(at.sidebar.markdown) == 0  # no filters, no identity: nothing of the app


def test_sso_mode_ignores_a_local_session_and_local_mode_ignores_the_provider(
        mapped: Store, logins: dict[str, str]) -> None:
    at = logged_in(logins["admin"])
    at = _run(mode="sso", at=at)
    assert "Logged in as" not in _sidebar_text(at)
    assert [b.label for b in at.button] == ["Sign in with okta"]
    assert len(at.text_input) == 0  # no password form

    at = _run(_person("cx-analysts"), mode="local")
    assert "Logged in as" not in _sidebar_text(at)
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert not [b for b in at.button if b.label.startswith("Sign in")]

    at = _run(mode="both")
    assert [b.label for b in at.button if b.label.startswith("Sign in")] == ["Sign in with okta"]
    assert [t.label for t in at.text_input] == ["Username", "Password"]


def test_settings_that_cannot_work_stop_the_app_saying_why(mapped: Store) -> None:
    at = _run(_person("cx-analysts"), mode="ldap")
    assert "CX Lens cannot start" in at.error[0].value and "'ldap'" in at.error[0].value
    at = app_test()
    at.user = _person("cx-analysts")
    os.environ["CX_AUTH"] = "sso"
    at.run()  # no [auth] section (no at.secrets): SSO cannot work
    assert "needs an OpenID Connect provider" in at.error[0].value
    assert "Logged in as" not in _sidebar_text(at)


def test_the_users_page_maps_and_unmaps_groups_audited(logins: dict[str, str]) -> None:
    store = Store(os.environ["CX_DB"])
    at = logged_in(logins["admin"]).switch_page("pages/users.py").run()
    assert not at.exception
    at.text_input(key="cx_group_map_name").input(" cx-*managers* ")
    at.selectbox(key="cx_group_map_role").set_value("manager")
    next(b for b in at.button if b.label == "Map group").click().run()
    assert group_roles.load_mapping(store) == {"cx-*managers*": Role.MANAGER}
    assert at.success[0].value == r"Group cx\-\*managers\* now gives manager."  # as typed
    groups_table = at.dataframe[1].value
    assert list(groups_table["group"]) == ["cx-*managers*"]

    at.text_input(key="cx_group_map_name").input("x" * 300)
    next(b for b in at.button if b.label == "Map group").click().run()
    assert "invalid group name" in at.error[0].value

    at.selectbox(key="cx_group_unmap_name").set_value("cx-*managers*")
    next(b for b in at.button if b.label == "Unmap group").click().run()
    assert group_roles.load_mapping(store) == {}
    assert [(e.actor, e.action) for e in audit.entries(store)
            if e.action.startswith("group.")] == [
        (logins["admin"], "group.unmap"), (logins["admin"], "group.map")]


def test_sso_only_creates_no_password_admin_and_says_how_to_get_one(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CX_AUTH", "sso")
    at = _run(mode="sso")
    assert not at.exception
    assert not Path(os.environ["CX_USERS"]).exists()  # nobody can use a password here
    assert "python -m cx groups map GROUP admin" in capsys.readouterr().err
