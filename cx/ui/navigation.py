"""The logged-in user's navigation: only the pages their roles allow, landing page first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager

from cx.auth import access
from cx.ui.auth import CurrentUser


# The browser tab's icon, served by this server. Why not ":material/...": Streamlit fetches a
# material-icon favicon from fonts.gstatic.com, and the app must load nothing from outside.
FAVICON = str(Path(__file__).parent / "assets" / "favicon.png")
REQUESTED_PAGE_KEY = "cx_requested_page"
_ENTRY_SEEN_KEY = "cx_entry_page_seen"


def build_navigation(user: CurrentUser) -> StreamlitPage | None:
    """st.navigation over the user's pages (None when there is none to show).

    The landing page is the default, which Streamlit serves at the root URL whatever url_path it
    is given. A hidden twin keeps the landing page's own URL (/overview) working for bookmarks
    and copied links, which would otherwise meet "Page not found" and (before) an endless
    switch to the root.
    """
    specs = access.pages_for(user.roles)
    if not specs:
        return None
    landing = _landing(user)
    pages = [_st_page(p, default=(p == landing)) for p in specs]
    if landing is not None:
        pages.append(st.Page(landing.file, title=landing.title, icon=landing.icon,
                             url_path=landing.name, visibility="hidden"))
    return st.navigation(pages, position="sidebar")


def _st_page(spec: access.PageSpec, default: bool) -> StreamlitPage:
    # The default page's url_path only names it (its URL is the root): kept apart from the twin.
    url_path = f"{spec.name}-home" if default else spec.name
    return st.Page(spec.file, title=spec.title, icon=spec.icon, url_path=url_path,
                   default=default)


def _landing(user: CurrentUser) -> access.PageSpec | None:
    return access.landing_page(user.roles, [p.name for p in access.pages_for(user.roles)])


def _page_name(user: CurrentUser, selected: StreamlitPage) -> str:
    """The name of the selected page. Why not just its url_path: Streamlit serves the default
    (landing) page at the root URL, so its url_path is "" whatever was passed to st.Page."""
    if selected.url_path:
        return selected.url_path
    landing = _landing(user)
    return landing.name if landing else ""


def remember_entry_page() -> None:
    """On the session's first run, before anything can rerun it: keep the page its link asked
    for (/tickets?channel=chat).

    Why here and not where the navigation is built: the login cookie's component answers with a
    rerun, and a rerun that arrives before st.navigation has run names the entry script, not the
    linked page, so Streamlit falls back to the landing page. st.context.url still holds the
    page path on this first run (later runs have it trimmed once the pages are known).
    """
    if _ENTRY_SEEN_KEY in st.session_state:
        return
    st.session_state[_ENTRY_SEEN_KEY] = True
    path = urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    if path in access.PAGES_BY_NAME:
        st.session_state[REQUESTED_PAGE_KEY] = path


def remember_requested_page(selected: StreamlitPage) -> None:
    """Before login: keep the page the visitor's link asked for, so the login does not drop
    them on their landing page instead."""
    if selected.url_path in access.PAGES_BY_NAME:
        st.session_state[REQUESTED_PAGE_KEY] = selected.url_path


def open_requested_page(user: CurrentUser, selected: StreamlitPage) -> None:
    """After login: go to the remembered page if the user's roles allow it.

    The request is forgotten only once that page is the one selected (or it is not allowed):
    a run interrupted between here and the page keeps it for the next run.
    """
    name = st.session_state.get(REQUESTED_PAGE_KEY)
    if name is None:
        return
    if name == _page_name(user, selected) or not access.can_view(user.roles, name):
        del st.session_state[REQUESTED_PAGE_KEY]
        return
    st.switch_page(access.PAGES_BY_NAME[name].file, query_params=st.query_params.to_dict())


def _login_screen_for(name: str) -> Callable[[], None]:
    """A stand-in for page `name` before login (Streamlit tells pages apart by function name)."""
    def screen() -> None:
        """The login form is drawn by app.py; this stand-in adds nothing."""
    screen.__name__ = screen.__qualname__ = f"login_for_{name}"
    return screen


def anonymous_navigation() -> StreamlitPage:
    """Register the hidden pages for visitors who are not logged in; returns the one the URL
    selected.

    Calling st.navigation at all ends Streamlit's legacy `pages/` mode for the process, so the
    sidebar does not list every page file on the login screen, and any page URL falls back to
    the login form. The page itself is never run.
    """
    # Every page's URL is known here too (all drawing the login form), so a link to a page
    # keeps its path and query instead of meeting "Page not found" before the login.
    login = [st.Page(_login_screen_for("login"), title="Log in", url_path="login", default=True)]
    login += [st.Page(_login_screen_for(p.name), title=p.title, url_path=p.name)
              for p in access.PAGES]
    return st.navigation(login, position="hidden")


def leave_legacy_pages_mode() -> None:
    """On a fresh server's first request for a page URL, end Streamlit's legacy `pages/` mode
    and run the request again, now through app.py (login cookie, navigation, the page).

    Why: until st.navigation has run once in the process, Streamlit serves pages/<name>.py alone
    (no app.py: no cookie login, raw file names in the sidebar), so a returning user's first
    request showed "No access". Only a run in that mode does anything here; the guard calls it
    for a visitor it does not know, before refusing. The flag is Streamlit's own (pinned 1.67),
    the one st.navigation clears; a browser test covers the restart case.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
