"""Login, logout and "who is this": our form, our opaque session cookie, cx.auth.users for passwords.

The password is checked by `cx.auth.login_throttle.attempt` (bcrypt through cx.auth.users, slowed per name
and client); the cookie that keeps a login across page refreshes is an opaque, signed, revocable
token from `cx.auth.sessions`, set and deleted as HttpOnly by our own route (cx.ui.cookie_route),
which the page reaches with a one-time ticket: no script in the page can read it. Every run
checks the logged-in user against the credentials file: a removed user, a role change, a password
reset or a logout elsewhere (all bump the user's session version) ends this session on its next
run. The token names nobody, is useless without its stored digest, and dies on logout
(SECURITY.md).
"""

from __future__ import annotations

import hashlib
import math

import streamlit as st

from cx.auth import cookie_tickets, login_throttle, sessions, users
from cx.charts.text import md_plain
from cx.config import Settings
from cx.auth.cookie_key import signing_key
from cx.ui.auth_session import CurrentUser, end_session, start_session, session_version
from cx.ui import context
from cx.ui import sso as sso_ui
from cx.ui.cookie_route import hand_over

_LOGOUT_REQUEST = "cx_logout_requested"
_TICKET = "cx_cookie_ticket"  # a login's or logout's cookie, still to be fetched by the browser


def current_user(settings: Settings) -> CurrentUser | None:
    """The logged-in user as the credentials file (or, signed in with a provider, the group
    mapping) knows them *now*, within the sign-in modes CX_AUTH allows.

    The role is read from the file on every run, not trusted from the session, and the session's
    version must still be the user's: removal, a role change, a password reset or a logout in
    another browser end this session on its next run. A provider's sign-in gets its role from
    cx.ui.sso on every run too; None when its groups map to no role.
    """
    st.session_state.pop(context.SSO_USER_KEY, None)  # set again below only when it holds now
    local = _local_user(settings) if sso_ui.allows(settings, "local") else None
    if local is not None:
        st.session_state[sso_ui.GROUPS_KEY] = ()
        return local
    person = sso_ui.signed_in(settings)
    if person is None or person.role is None:  # no role: app.py says "No access"
        return None
    st.session_state[context.SSO_USER_KEY] = person.username  # whose data scope applies
    return CurrentUser(person.username, person.role, source="sso", groups=person.groups)


def _local_user(settings: Settings) -> CurrentUser | None:
    if not st.session_state.get("authentication_status"):
        return None
    found = users.load_users(settings.users_path).get(str(st.session_state.get("username") or ""))
    if found is None or session_version() != found.session_version:
        end_session()
        return None
    st.session_state["roles"] = [found.role.value]
    return CurrentUser(found.username, found.role)


def _cookie_name(settings: Settings) -> str:
    # Cookies are per host, not per port: two instances on one machine must not clobber each
    # other's login, so the name depends on which credentials file the instance uses.
    tag = hashlib.sha256(str(settings.users_path).encode("utf-8")).hexdigest()[:8]
    return f"cx_lens_auth_{tag}"


def _key(settings: Settings) -> str:
    return signing_key(settings.cookie_key, settings.key_file)


def _cookies() -> dict[str, str]:
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no browser request behind this run (bare mode)
        return {}


def start(settings: Settings) -> None:
    """Every run: finish a logout, hand a fresh login's (or logout's) cookie to the browser, or
    log in from the cookie the browser sent.

    The hand-over frame is drawn only while its ticket waits. Why not always: a component's
    first draw can rerun the app, and on the bare login form that rerun can swallow what the
    visitor just typed. Reading needs no component (the browser sends the cookie).
    """
    name = _cookie_name(settings)
    if st.session_state.pop(_LOGOUT_REQUEST, False):
        if not st.session_state.get("authentication_status") and sso_ui.signed_in(settings):
            sso_ui.log_out()  # the browser leaves for Streamlit's logout route, then the provider
            st.stop()
        if st.session_state.get("authentication_status"):
            sessions.end_all(settings.users_path, str(st.session_state.get("username")))
            end_session()
        # The cookie is dead on the server already (session version bumped); this tidies the
        # browser, which cannot delete an HttpOnly cookie itself.
        st.session_state[_TICKET] = cookie_tickets.file(cookie_tickets.Filed(name, "", 0))
    ticket = st.session_state.get(_TICKET)
    if ticket and cookie_tickets.pending(ticket):
        hand_over(ticket)
        return
    st.session_state.pop(_TICKET, None)
    cookie = _cookies().get(name) if sso_ui.allows(settings, "local") else None
    if cookie and not st.session_state.get("authentication_status"):
        login = sessions.verify(settings.users_path, _key(settings), cookie)
        if login is not None:  # anything else is ignored: the login form shows, nothing breaks
            start_session(login.username, login.version)


@st.cache_resource(show_spinner=False)
def _throttle(free_attempts: int, max_delay: float) -> login_throttle.LoginThrottle:
    """One per server process, shared by every session (that is the point of it)."""
    return login_throttle.LoginThrottle(free_attempts, max_delay)


def client_address() -> str:
    """Who is typing, as far as the server can tell: the connection's address ("local" for the
    same machine, where Streamlit reports none)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - bare mode: no connection behind this run
        address = None
    return address if isinstance(address, str) and address else "local"


def login_form(settings: Settings, note: str = "") -> None:
    """Show the ways to log in that CX_AUTH allows: a button per SSO provider, the password
    form; on a correct password start the session and rerun the app."""
    st.title("CX Lens")
    if note:
        st.caption(note)
    if not sso_ui.allows(settings, "local"):
        st.subheader("Log in to CX Lens")
        sso_ui.sign_in_buttons(settings)
        return
    sso_ui.sign_in_buttons(settings)
    with st.form("cx_login"):
        st.subheader("Log in to CX Lens")
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Log in", type="primary")
    if not submitted:
        return
    throttle = _throttle(settings.login_free_attempts, settings.login_max_delay_seconds)
    result = login_throttle.attempt(throttle, settings.users_path, username, password,
                                    client_address())
    if result.status == "wait":
        st.error(f"Too many wrong passwords for this name from this device. Try again in "
                 f"{math.ceil(result.retry_after)} s.")
    elif result.status != "ok" or result.user is None:
        st.error("Wrong username or password.")
    else:
        cookie = sessions.issue(settings.users_path, _key(settings), result.user.username)
        start_session(result.user.username, result.user.session_version)
        max_age = int(sessions.MAX_AGE.total_seconds())  # the new cookie replaces any old one
        st.session_state[_TICKET] = cookie_tickets.file(
            cookie_tickets.Filed(_cookie_name(settings), cookie, max_age))
        st.rerun()


def _request_logout() -> None:
    st.session_state[_LOGOUT_REQUEST] = True


def sidebar_identity(user: CurrentUser) -> None:
    """Who is logged in, their role, and the logout button (which acts on the next run)."""
    with st.sidebar:
        st.divider()
        # Usernames are limited to [a-z0-9._-]; a code span keeps '_' from turning into italics.
        if user.source == "sso":  # a provider's name for someone: escaped, never markup
            st.markdown(f"Logged in as **{md_plain(user.username)}**  \n"
                        f"Role: **{user.role.value}**  \nvia company sign-in")
        else:
            st.markdown(f"Logged in as **`{user.username}`**  \nRole: **{user.role.value}**")
        st.button("Log out", key="cx_logout", on_click=_request_logout, icon=":material/logout:")

