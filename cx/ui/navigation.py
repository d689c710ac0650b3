"""The logged-in user's navigation: only the pages their roles allow, landing page first."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlparse

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from cx import access
from cx.ui.auth import CurrentUser


REQUESTED_PAGE_KEY = "cx_requested_page"


def build_navigation(user: CurrentUser) -> StreamlitPage | None:
    """st.navigation over the user's pages (None when there is none to show)."""
    pages = access.pages_for(user.roles)
    if not pages:
        return None
    landing = access.landing_page(user.roles, [p.name for p in pages])
    return st.navigation(
        [
            st.Page(p.file, title=p.title, icon=p.icon, url_path=p.name, default=(p == landing))
            for p in pages
        ],
        position="sidebar",
    )


def remember_requested_page() -> None:
    """Before login: keep the page the visitor's link asked for (/tickets?channel=chat), so the
    login does not drop them on their landing page instead."""
    path = urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    if path in access.PAGES_BY_NAME:
        st.session_state[REQUESTED_PAGE_KEY] = path


def open_requested_page(user: CurrentUser) -> None:
    """After login: go to the remembered page once, if the user's roles allow it."""
    name = st.session_state.pop(REQUESTED_PAGE_KEY, None)
    if name and name in {p.name for p in access.pages_for(user.roles)}:
        st.switch_page(access.PAGES_BY_NAME[name].file, query_params=st.query_params.to_dict())


def _login_screen() -> None:
    """The login form is drawn by app.py before navigation; this page adds nothing."""


def _login_screen_for(name: str) -> Callable[[], None]:
    """A stand-in for page `name` before login (Streamlit tells pages apart by function name)."""
    def screen() -> None:
        """The login form is drawn by app.py; this stand-in adds nothing."""
    screen.__name__ = screen.__qualname__ = f"login_for_{name}"
    return screen


def anonymous_navigation() -> None:
    """Register a single hidden page for visitors who are not logged in.

    Calling st.navigation at all ends Streamlit's legacy `pages/` mode for the process, so the
    sidebar does not list every page file on the login screen, and any page URL falls back to
    the login form. The page itself is never run.
    """
    # Every page's URL is known here too (all drawing the login form), so a link to a page
    # keeps its path and query instead of meeting "Page not found" before the login.
    login = [st.Page(_login_screen, title="Log in", url_path="login", default=True)]
    login += [st.Page(_login_screen_for(p.name), title=p.title, url_path=p.name)
              for p in access.PAGES]
    st.navigation(login, position="hidden")
