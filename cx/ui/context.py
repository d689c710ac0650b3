"""Settings, the store and the data scope for the current run: read fresh each run, cheap to build."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st

from cx.auth.scopes import NOBODY, Scope, scope_for
from cx.config import Settings, load_settings
from cx.engines import open_store
from cx.storage import Store

SCOPE_TTL_SECONDS = 2
GROUPS_KEY = "cx_groups"  # the SSO groups of the signed-in person (set at sign-in; default ())
SSO_USER_KEY = "cx_sso_user"  # who signed in through a provider, set by cx.ui.auth each run
# Set only by the server's own warm-up thread (no session, no person); script threads never set it.
_SERVER_SCOPE: ContextVar[Scope | None] = ContextVar("cx_server_scope", default=None)


def settings() -> Settings:
    """Read now, so a changed environment or secrets file takes effect without a restart."""
    return load_settings()


def store() -> Store:
    # The configured engine's store (cx.engines): DuckDB's holds a path and opens short-lived
    # connections, Spark's reuses one Connect session per process; one per call is fine and
    # there is nothing to share between sessions (or to cache).
    return open_store(settings())


def state_store() -> Store:
    """Who may see what (data scopes, SSO group roles, the audit log) lives in the DuckDB file
    of CX_DB beside the credentials file, whichever engine holds the records (cx.engines)."""
    return Store(settings().db_path)


@contextmanager
def asking_as(scope: Scope) -> Iterator[None]:
    """For the server's warm-up thread only: its queries are asked in `scope` (the unrestricted
    one, which most people have), so their cached answers are the ones those people's first
    runs ask for. A context variable: no other thread, and no session, can see it."""
    token = _SERVER_SCOPE.set(scope)
    try:
        yield
    finally:
        _SERVER_SCOPE.reset(token)


def scope() -> Scope:
    """The signed-in person's data scope, looked up on the server on every call.

    Only the login's own session keys are read (the username and the SSO groups that sign-in
    set; no widget has those keys), never a widget's value or the URL, so nothing a visitor can
    type widens it. No login: no rows at all.
    """
    server = _SERVER_SCOPE.get()
    if server is not None:
        return server
    if st.session_state.get("authentication_status"):  # a local password login
        username = str(st.session_state.get("username") or "")
    else:  # a provider's sign-in with a role, checked by cx.ui.auth.current_user this run
        username = str(st.session_state.get(SSO_USER_KEY) or "")
    if not username:
        return NOBODY
    groups = st.session_state.get(GROUPS_KEY) or ()
    return _scope_of(str(settings().db_path), username, tuple(sorted(str(g) for g in groups)))


@st.cache_data(ttl=SCOPE_TTL_SECONDS, max_entries=1000, show_spinner=False)
def _scope_of(db_path: str, username: str, groups: tuple[str, ...]) -> Scope:
    """Opening the database file for one lookup costs more than the lookup (about 0.2-0.3 s on
    a busy machine), and a page asks on every query: keep the answer a few seconds. An admin's
    change in this process applies at once (forget_scopes); from another process within
    SCOPE_TTL_SECONDS."""
    return scope_for(Store(db_path), username, groups)


def forget_scopes() -> None:
    """After a scope change: the next run reads every scope afresh."""
    _scope_of.clear()
