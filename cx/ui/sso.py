"""Company sign-in through Streamlit's own `st.login` / `st.user` / `st.logout` (OpenID Connect).

Streamlit does the exchange with the provider (Authlib) and keeps the ID token's claims in its
own signed, HttpOnly cookie; the providers are the [auth] section of .streamlit/secrets.toml,
laid out as Streamlit documents. This module only reads who signed in and decides their role on
every run: the groups in the configured claim (CX_SSO_ROLE_CLAIM, default `groups`) through the
admins' mapping (cx.auth.group_roles), read afresh so a changed mapping takes effect on the next
click. A person whose groups map to no role is signed in but has no access and sees no data.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from cx.auth import group_roles, sso, sso_people
from cx.config import Settings
from cx.domain import Role
from cx.storage import Store
from cx.ui import context

log = logging.getLogger(__name__)
GROUPS_KEY = context.GROUPS_KEY  # the signed-in person's SSO groups; data scopes read them
_EXPIRED = "cx_sso_expired"


def _auth_section() -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets file at all, or one that does not parse
        return None
    return section if isinstance(section, Mapping) else None


def provider_names() -> list[str]:
    return sso.providers(_auth_section())


def mode(settings: Settings) -> str:
    """local, sso or both (cx.auth.sso.auth_mode); raises SsoConfigError when it cannot work."""
    return sso.auth_mode(settings.auth_mode, provider_names())


def refuse_unworkable(settings: Settings) -> None:
    """Stop with the reason when the sign-in settings cannot work (an unknown CX_AUTH, SSO
    without a provider): the page and the console say what to fix; nobody gets in meanwhile."""
    try:
        mode(settings)
    except sso.SsoConfigError as exc:
        print(f"CX Lens refused to start: {exc}", file=sys.stderr, flush=True)
        st.error(f"**CX Lens cannot start.** {exc}")
        st.stop()


def hint_first_admin(settings: Settings) -> None:
    """SSO only and no group gives the admin role yet: say on the console how to give one."""
    _hint_once(str(settings.db_path), settings.sso_role_claim)


@st.cache_resource(show_spinner=False)
def _hint_once(db_path: str, claim: str) -> None:
    """Once per server process and database, at the first run."""
    if Role.ADMIN not in group_roles.load_mapping(Store(db_path)).values():
        print(f"CX Lens: no single sign-on group has the admin role yet. Give one with "
              f"`python -m cx groups map GROUP admin` (groups are read from the {claim!r} "
              f"claim).", file=sys.stderr, flush=True)


def _claims() -> dict[str, Any] | None:
    """The signed-in person's ID-token claims, or None when nobody signed in with a provider."""
    try:
        claims = st.user.to_dict()
    except Exception:  # noqa: BLE001 - bare mode: no session behind this run
        return None
    return claims if claims.get("is_logged_in") is True else None


def signed_in(settings: Settings) -> sso.SsoIdentity | None:
    """Who signed in through a provider, with their groups and the role those map to now.

    Also keeps the groups in session state under GROUPS_KEY, refreshed on every run (never
    carried over from an earlier one), for the data scopes of each group.
    """
    claims = _claims() if allows(settings, "sso") else None
    if claims is not None and sso.expired(claims, settings.sso_max_age_hours, time.time()):
        st.session_state[_EXPIRED] = True  # the sign-in screen says why
        claims = None
    if claims is None:
        st.session_state.pop(GROUPS_KEY, None)
        return None
    st.session_state.pop(_EXPIRED, None)
    person = sso.identity(claims, settings.sso_role_claim, _mapping(Path(settings.db_path)))
    st.session_state[GROUPS_KEY] = person.groups
    _remember(Path(settings.db_path), person, float(claims["iat"]))  # `expired` checked iat
    return person


_recorded: dict[tuple[Path, str], tuple[float, tuple[str, ...]]] = {}


def _remember(db: Path, person: sso.SsoIdentity, issued_at: float) -> None:
    """Record a new sign-in's groups for the command line's `--as-user` (cx.auth.sso_people).

    Remembered per process, so only the first run after a sign-in opens the database. A write
    that fails (a long lock) is logged and tried again on the next run; it never stops the
    person's run, whose role and scope come from the claims, not from this record.
    """
    key, seen = (db, person.username), (issued_at, person.groups)
    if _recorded.get(key) == seen:
        return
    try:
        sso_people.record(Store(db), person.username, person.groups, issued_at)
    except Exception:  # noqa: BLE001 - see the docstring
        log.warning("could not record the sign-in of %s", person.username, exc_info=True)
        return
    _recorded[key] = seen


_memo: dict[Path, tuple[tuple[object, ...], dict[str, Role]]] = {}


def _signature(db: Path) -> tuple[object, ...]:
    """(inode, size, mtime) of the database and its WAL: any commit by any process changes it."""
    found: list[object] = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            st_ = path.stat()
            found.append((st_.st_ino, st_.st_size, st_.st_mtime_ns))
        except FileNotFoundError:
            found.append(None)
    return tuple(found)


def _mapping(db: Path) -> dict[str, Role]:
    """The group -> role table, read again only when the database file changed.

    Why: the role is decided several times per run (app.py, the page's guard, links), and
    opening the database costs about 0.1 s on a busy machine, while two stat calls notice any
    write at once, from this process or another (`python -m cx groups map`), so a change still
    applies on the next click.
    """
    signature = _signature(db)
    memo = _memo.get(db)
    if memo is None or memo[0] != signature:
        memo = (signature, group_roles.load_mapping(Store(db)))
        _memo[db] = memo
    return memo[1]


def allows(settings: Settings, kind: str) -> bool:
    """Whether sign-in of `kind` ("local" or "sso") is on. Settings that cannot work allow
    neither: app.py refuses to start and says why, and meanwhile nobody gets in."""
    try:
        return mode(settings) in (kind, "both")
    except sso.SsoConfigError:
        return False


def sign_in_buttons(settings: Settings) -> None:
    """One button per configured provider; a click leaves for the provider's sign-in page."""
    names = provider_names() if allows(settings, "sso") else []
    if names and st.session_state.get(_EXPIRED):
        st.info(f"Your company sign-in is more than {settings.sso_max_age_hours:g} hours old. "
                "Sign in again, so that your current groups apply.")
    for name in names:
        label = "Sign in with your company account" if name == "default" else f"Sign in with {name}"
        if st.button(label, key=f"cx_sso_{name}", type="primary", icon=":material/login:"):
            st.login(name)


def log_out() -> None:
    """End the Streamlit session and the provider's: Streamlit deletes its identity cookie and
    sends the browser to the provider's end-session endpoint when the provider has one."""
    st.session_state.pop(GROUPS_KEY, None)
    st.logout()


def no_access(person: sso.SsoIdentity) -> None:
    """A signed-in person whose groups map to no role: say so, show no data, offer logout."""
    st.title("CX Lens")
    st.error("**No access**: your company account has no role in CX Lens. Ask an admin to give "
             "one of your groups a role (Users page, or `python -m cx groups map GROUP ROLE`).")
    st.text(f"Signed in as: {person.username}")
    st.text(f"Your groups: {', '.join(person.groups) or '(none sent by your provider)'}")
    if st.button("Log out", key="cx_sso_no_access_logout", icon=":material/logout:"):
        log_out()
