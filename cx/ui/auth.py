"""Login, logout and "who is this": streamlit-authenticator for the cookie, cx.users for passwords.

Why not the authenticator's own login form: its failed-login limit (0.4.2) either lives in an
object we must rebuild on every run (so it never counts) or, with a file path, locks forever and
wants the cookie key inside the credentials file. So our form checks the password with
`cx.users.authenticate` (counter + timed lock stored with the user), then sets the authenticator's
session keys and its signed cookie; the authenticator restores the session from that cookie after
a page refresh and deletes it on logout.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from cx import users
from cx.config import Settings
from cx.domain import Role

COOKIE_EXPIRY_DAYS = 7.0
_LOGOUT_REQUEST = "cx_logout_requested"
_COOKIE_PENDING = "cx_cookie_pending"
# The keys streamlit-authenticator keeps in session state; we set the same ones on login.
_AUTH_KEYS = ("authentication_status", "username", "name", "roles", "email")


@dataclass(frozen=True)
class CurrentUser:
    username: str
    role: Role

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset({self.role})


def current_user(settings: Settings) -> CurrentUser | None:
    """The logged-in user as the credentials file knows them *now*.

    The role is read from the file on every run, not trusted from the session: a role change or
    removal on the Users page takes effect on that user's next click.
    """
    if not st.session_state.get("authentication_status"):
        return None
    username = st.session_state.get("username")
    found = users.load_users(settings.users_path).get(str(username or ""))
    if found is None:
        return None
    st.session_state["roles"] = [found.role.value]
    return CurrentUser(found.username, found.role)


@st.cache_resource(show_spinner=False)
def _process_cookie_key() -> str:
    """A random key for this server process, shared by its sessions (nothing user-specific)."""
    return secrets.token_urlsafe(32)


def cookie_key(settings: Settings) -> str:
    """The configured key; in demo mode without one, a random key per server process.

    Why not the public demo key: anyone who has read this repository could sign a cookie for
    `admin` with it. A per-process key costs only that logins end when the server restarts.
    """
    return _process_cookie_key() if settings.cookie_key_is_default else settings.cookie_key


def _cookie_name(settings: Settings) -> str:
    # Cookies are per host, not per port: two instances on one machine must not clobber each
    # other's login, so the name depends on which credentials file the instance uses.
    tag = hashlib.sha256(str(settings.users_path).encode("utf-8")).hexdigest()[:8]
    return f"cx_lens_auth_{tag}"


def _credentials(found: dict[str, users.User]) -> dict[str, Any]:
    """The dict streamlit-authenticator expects (hashes only; it never sees the lock fields)."""
    return {"usernames": {u.username: {"name": u.name, "email": "", "password": u.password_hash,
                                       "roles": [u.role.value]} for u in found.values()}}


def build_authenticator(settings: Settings, key: str) -> stauth.Authenticate:
    """Built on every run (it renders its cookie component); never cache it."""
    credentials = _credentials(users.load_users(settings.users_path))
    return stauth.Authenticate(
        credentials, cookie_name=_cookie_name(settings), cookie_key=key,
        cookie_expiry_days=COOKIE_EXPIRY_DAYS, auto_hash=False,
        login_sleep_time=0,  # its pre-login pause served an older cookie reader; not needed
    )


def start(settings: Settings) -> None:
    """Every run: finish a logout or a login, or restore the session from the login cookie.

    The authenticator is built only when it has work to do (someone is logged in, or the browser
    sent our cookie). Why not always: its constructor draws a cookie component whose first
    answer reruns the app, and on the bare login form that rerun can swallow what the visitor
    just typed.
    """
    if st.session_state.get("authentication_status") or _cookie_name(settings) in _cookies():
        restore_or_logout(build_authenticator(settings, cookie_key(settings)))


def _cookies() -> dict[str, str]:
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no browser request behind this run (bare mode)
        return {}


def restore_or_logout(authenticator: stauth.Authenticate) -> None:
    """Handle a pending logout, else log in from a valid cookie (page refresh).

    Also writes the cookie of a login that just happened: the login run ends with a rerun (so
    the navigation is built fresh), and the cookie component must be drawn in a run that
    completes for the browser to store it.
    """
    if st.session_state.pop(_LOGOUT_REQUEST, False):
        if st.session_state.get("authentication_status"):
            # Renders the cookie-deleting component in this run, so the browser forgets it.
            authenticator.logout(location="unrendered")
        return
    if st.session_state.get(_COOKIE_PENDING) and st.session_state.get("username"):
        # Drawn on every run until the component reports that the browser stored the cookie
        # (its value under its key "set" turns True): a rerun that comes first would otherwise
        # remove the component before it ran.
        authenticator.cookie_controller.set_cookie()
        if st.session_state.get("set") is True:
            del st.session_state[_COOKIE_PENDING]
        return
    try:
        authenticator.login(location="unrendered")
    except LoginError:  # a cookie for a user who has since been removed
        for name in _AUTH_KEYS:
            st.session_state[name] = None


def _policy(settings: Settings) -> users.LockoutPolicy:
    return users.LockoutPolicy(settings.login_max_attempts, settings.login_lock_minutes)


def _start_session(user: users.User) -> None:
    st.session_state.update({
        "authentication_status": True, "username": user.username, "name": user.name,
        "roles": [user.role.value], "email": "", "logout": None, _COOKIE_PENDING: True,
    })


def login_form(settings: Settings, note: str = "") -> None:
    """Show the login form; on a correct password start the session and rerun the app."""
    st.title("CX Lens")
    if note:
        st.caption(note)
    with st.form("cx_login"):
        st.subheader("Log in to CX Lens")
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Log in", type="primary")
    if not submitted:
        return
    result = users.authenticate(settings.users_path, username, password, _policy(settings))
    if result.status == "locked" and result.locked_until is not None:
        st.error(f"This account is locked after too many wrong passwords. Try again after "
                 f"{result.locked_until:%H:%M} UTC, or ask an admin to reset the password.")
    elif result.status != "ok" or result.user is None:
        st.error("Wrong username or password.")
    else:
        _start_session(result.user)
        st.rerun()


def _request_logout() -> None:
    st.session_state[_LOGOUT_REQUEST] = True


def sidebar_identity(user: CurrentUser) -> None:
    """Who is logged in, their role, and the logout button (which acts on the next run)."""
    with st.sidebar:
        st.divider()
        # Usernames are limited to [a-z0-9._-]; a code span keeps '_' from turning into italics.
        st.markdown(f"Logged in as **`{user.username}`**  \nRole: **{user.role.value}**")
        st.button("Log out", key="cx_logout", on_click=_request_logout, icon=":material/logout:")
