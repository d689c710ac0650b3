"""AppTest: each role's navigation is exactly its §5 pages; forbidden pages fail;
every page run directly (Streamlit's legacy pages/ mode) shows only "No access" to others, and
the login form to a visitor who is not logged in."""

from __future__ import annotations

import pytest

from tests.app.conftest import PASSWORD, existing_pages
from tests.app.session import app_test, logged_in
from tests.policy_table import ROLES, SPEC_PAGES, allowed_pages

DATA_ELEMENTS = ("metric", "dataframe", "table")


def _shows_data(at: object) -> bool:
    return any(len(getattr(at, kind)) for kind in DATA_ELEMENTS) or bool(
        at.get("plotly_chart"))


def test_every_page_of_the_spec_exists_and_no_other() -> None:
    assert existing_pages() == set(SPEC_PAGES)  # PRODUCT.md §5: nine pages


@pytest.mark.parametrize("role", ROLES)
def test_navigation_is_exactly_the_allowed_pages(role: str, logins: dict[str, str]) -> None:
    at = logged_in(logins[role]).run()
    assert not at.exception
    expected = allowed_pages(role)  # PRODUCT.md §5
    for name in SPEC_PAGES:
        if name in expected:
            at.switch_page(f"pages/{name}.py")  # registered: no error
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"pages/{name}.py")
    assert f"`{logins[role]}`" in at.markdown[-1].value and role in at.markdown[-1].value


@pytest.mark.parametrize("role", ROLES)
def test_each_forbidden_page_run_directly_shows_no_access(role: str, logins: dict[str, str]
                                                          ) -> None:
    # Allowed pages rendering for their roles is the pages' own tests' business; here only the
    # refusals, which must hold even when a page runs without app.py (legacy pages/ mode).
    forbidden = [n for n in sorted(existing_pages() & set(SPEC_PAGES))
                 if role not in SPEC_PAGES[n]]
    for name in forbidden:
        at = logged_in(logins[role])
        at.switch_page(f"pages/{name}.py").run()  # before any run: the page file alone
        assert not at.exception, (role, name)
        assert any("No access" in e.value and "needs one of these roles" in e.value
                   for e in at.error), (role, name)
        assert not _shows_data(at), (role, name)


def test_every_page_run_directly_without_login_leads_to_the_login_form() -> None:
    # The guard ends the legacy pages/ mode and reruns the request through app.py (issue 13:
    # a returning user's cookie login happens there), which asks for a login.
    for name in sorted(existing_pages()):
        at = app_test().switch_page(f"pages/{name}.py").run()
        assert not at.exception, name
        assert [t.label for t in at.text_input] == ["Username", "Password"], name
        assert not any("not logged in" in w.value for w in at.warning), name
        assert not _shows_data(at), name


def test_login_form_logs_in_and_wrong_password_says_so(logins: dict[str, str]) -> None:
    at = app_test().run()
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert not _shows_data(at)
    at.text_input[0].input(logins["manager"])
    at.text_input[1].input("not-the-password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong username or password."]
    at.text_input[1].input(PASSWORD.format(role="manager"))
    at.button[0].click().run()
    assert at.session_state["authentication_status"] is True
    assert at.session_state["username"] == logins["manager"]


def test_wrong_passwords_slow_this_name_down_without_locking_the_account(
        logins: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    from cx.auth.login_throttle import LoginThrottle
    from cx.ui import auth

    # Waits of a minute instead of 1 s, 2 s, ... (tests/test_login_throttle.py has the real
    # numbers): a slow test run must not outlast a wait.
    monkeypatch.setattr(LoginThrottle, "delay_after",
                        lambda self, n: 0.0 if n < self.free_attempts else 60.0)
    auth._throttle.clear()
    at = app_test().run()
    name = logins["analyst"]
    for attempt in range(1, 7):  # 5 free failures (the default), then a wait
        at.text_input[0].input(name)
        at.text_input[1].input(f"wrong-{attempt}")
        at.button[0].click().run()
        expected = "Wrong username or password." if attempt <= 5 else "Too many wrong passwords"
        assert at.error[0].value.startswith(expected), attempt
    at.text_input[0].input(name)
    at.text_input[1].input(PASSWORD.format(role="analyst"))
    at.button[0].click().run()
    assert "Try again in 60 s" in at.error[0].value  # this name from this client: still waiting
    assert not at.session_state["authentication_status"] if "authentication_status" in \
        at.session_state else True
    # Nothing was stored with the account: a client without failures logs in at once.
    auth._throttle.clear()
    other = app_test().run()
    other.text_input[0].input(name)
    other.text_input[1].input(PASSWORD.format(role="analyst"))
    other.button[0].click().run()
    assert other.session_state["authentication_status"] is True
