"""The error boundary: an unexpected exception on any page shows a short message with an error
id, never the exception or its traceback; the traceback goes to the server log with that id."""

from __future__ import annotations

import logging
import re

import pytest
import streamlit as st

from cx.auth import access
from cx.ui import errors, guard
from tests.app.session import ID_MESSAGE, ROOT, logged_in, rendered_text, through_app

LEAK = "SELECT secret FROM users -- /srv/cx/private.duckdb"
# The weakest role that may open each page: the boundary must hold for every kind of user.
WEAKEST = {p.name: next(r for r in reversed(access.ROLE_PRECEDENCE) if r in p.roles).value
           for p in access.PAGES}


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """The boundary's logger does not propagate (Streamlit's handler): listen to it directly."""
    errors.LOG.addHandler(caplog.handler)
    yield caplog
    errors.LOG.removeHandler(caplog.handler)


def test_streamlit_control_flow_is_not_an_exception() -> None:
    # st.stop / st.rerun / st.switch_page raise these; `except Exception` must not catch them.
    from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

    assert not issubclass(ScriptControlException, Exception)


def test_error_details_are_off_in_the_server_config() -> None:
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r'^showErrorDetails = "none"$', config, re.MULTILINE)


@pytest.mark.parametrize("page", sorted(access.PAGES_BY_NAME))
def test_an_exception_on_any_page_shows_an_id_and_logs_the_traceback(
        page: str, logins: dict[str, str], monkeypatch: pytest.MonkeyPatch,
        log_lines: pytest.LogCaptureFixture) -> None:
    real_guard = guard.require_page

    def guard_then_fail(name: str) -> object:
        real_guard(name)  # the role check passes, then the page's own code fails
        raise RuntimeError(LEAK)

    monkeypatch.setattr(guard, "require_page", guard_then_fail)
    at = through_app(logins[WEAKEST[page]], page)

    assert not at.exception, [e.value for e in at.exception]
    shown = rendered_text(at)
    found = ID_MESSAGE.findall(shown)
    assert len(found) == 1, shown
    assert LEAK not in shown and "Traceback" not in shown and "RuntimeError" not in shown
    logged = [r for r in log_lines.records if r.levelno == logging.ERROR]
    assert len(logged) == 1 and found[0] in logged[0].getMessage()
    assert logged[0].exc_info and logged[0].exc_info[1].args == (LEAK,)


def test_stop_and_switch_page_pass_through_the_boundary(logins: dict[str, str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    real_guard = guard.require_page

    def guard_then_control(name: str) -> object:
        user = real_guard(name)
        if name == "tickets":
            st.switch_page("pages/segments.py")
        if name == "segments":
            st.title("Stopped on purpose")
            st.stop()
        return user

    monkeypatch.setattr(guard, "require_page", guard_then_control)
    at = through_app(logins["manager"], "tickets")
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == ["Stopped on purpose"]  # switched, then stopped


# Widget values a browser could forge (a value the widget never offered, or of another type).
FORGED = [("overview", "overview_trend_metric", "nosuch"), ("segments", "segments_metric", 42),
          ("drivers", "drivers_method", "nosuch"), ("drivers", "drivers_outcome", None),
          ("tickets", "tickets_by", "'; DROP TABLE tickets; --"), ("customers", "cust_by", []),
          ("customers", "cust_margin", "lots"), ("snapshot", "snapshot_week", "2026-W99"),
          ("explorer", "explorer_size", 10**9), ("explorer", "explorer_search", 12345),
          ("upload", "upload_table", "users"), ("users", "cx_user_add_role", "superuser")]


@pytest.mark.parametrize(("page", "key", "value"), FORGED, ids=[f[1] for f in FORGED])
def test_a_forged_widget_value_never_shows_a_traceback(logins: dict[str, str], page: str,
                                                       key: str, value: object) -> None:
    at = through_app(logins["admin"], page, **{key: value})
    shown = rendered_text(at)
    assert not at.exception and "Traceback" not in shown, shown
    assert [t.value for t in at.title][:1] == [access.page(page).title] or ID_MESSAGE.search(shown)
