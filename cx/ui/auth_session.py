"""The login as this browser session holds it: which keys, set and cleared in one place."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cx.domain import Role

_VERSION = "cx_session_version"
_KEYS = ("authentication_status", "username", "name", "roles", _VERSION)


@dataclass(frozen=True)
class CurrentUser:
    username: str
    role: Role
    source: str = "local"  # "local" (password) or "sso" (company sign-in, cx.ui.sso)
    groups: tuple[str, ...] = ()  # SSO groups; none for a local login

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset({self.role})


def start_session(username: str, version: int) -> None:
    st.session_state.update({"authentication_status": True, "username": username,
                             "name": username, _VERSION: version})


def session_version() -> int:
    """The version this session was started under (0 when absent: users start at 0)."""
    return int(st.session_state.get(_VERSION) or 0)


def end_session() -> None:
    for key in _KEYS:
        st.session_state.pop(key, None)
