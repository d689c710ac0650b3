"""Single sign-on policy, pure: which sign-in modes exist, who a signed-in person is, their groups.

Streamlit's own `st.login` does the OpenID Connect exchange (Authlib) and keeps the ID token's
claims in a signed cookie; cx.ui.sso reads them through `st.user` and asks this module what they
mean. No Streamlit and no I/O here, so the rules are tested on plain dicts: a claim set in, an
identity, a tuple of groups and (with cx.auth.group_roles' mapping) a role or None out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cx.auth.access import ROLE_PRECEDENCE
from cx.domain import Role

AUTH_MODES = ("local", "sso", "both")  # CX_AUTH; unset: "both" with an [auth] section, else local
MAX_GROUPS = 1000  # a claim holding more is cut here: nobody needs more, a forged one costs less
MAX_GROUP_CHARS = 256
# Keys of a provider section in secrets.toml, as Streamlit's st.login reads them.
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")


class SsoConfigError(ValueError):
    """The sign-in settings cannot work (an unknown CX_AUTH, sso without a provider)."""


@dataclass(frozen=True)
class SsoIdentity:
    """A person signed in through a provider, as this run sees them."""

    username: str  # the email, else "sub:<subject>": never a possible local username
    groups: tuple[str, ...]
    role: Role | None  # None: no group of theirs maps to a role, so no access


def auth_mode(configured: str, providers: Iterable[str]) -> str:
    """The sign-in mode in force: CX_AUTH when set, else both with a provider, else local."""
    names = list(providers)
    mode = (configured or "").strip().lower() or ("both" if names else "local")
    if mode not in AUTH_MODES:
        raise SsoConfigError(f"CX_AUTH={configured!r} is not a sign-in mode; use one of: "
                             f"{', '.join(AUTH_MODES)}")
    if mode != "local" and not names:
        raise SsoConfigError(f"CX_AUTH={mode} needs an OpenID Connect provider in the [auth] "
                             "section of .streamlit/secrets.toml (see secrets.toml.example)")
    return mode


def providers(auth_section: Mapping[str, Any] | None) -> list[str]:
    """The provider names of an [auth] section, as `st.login(name)` takes them.

    A section with its own client_id is the unnamed provider ("default"); every sub-table with
    a client id or metadata URL is a named one ([auth.NAME]).
    """
    if not auth_section:
        return []
    found = ["default"] if any(k in auth_section for k in _PROVIDER_KEYS) else []
    found += [str(name) for name, value in auth_section.items()
              if isinstance(value, Mapping) and any(k in value for k in _PROVIDER_KEYS)]
    return found


def groups_from_claim(value: object) -> tuple[str, ...]:
    """The groups a claim names: a list of strings (most providers) or one string.

    Anything else (numbers, nested objects, empty strings) names no group: an odd claim must
    lead to less access, never to an error that might skip a check.
    """
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    seen: dict[str, None] = {}
    for item in items[:MAX_GROUPS]:
        if isinstance(item, str) and item.strip() and len(item) <= MAX_GROUP_CHARS:
            seen.setdefault(item.strip(), None)
    return tuple(seen)


def username_from_claims(claims: Mapping[str, Any]) -> str:
    """Who this is, for the sidebar, audit rows and per-user scopes.

    The email when the provider sends one, else the subject as `sub:<subject>`. Both contain a
    character ('@' or ':') that local usernames cannot, so a provider can never sign someone in
    as a local user.
    """
    email = claims.get("email")
    if isinstance(email, str) and "@" in email and len(email) <= 320:
        return email.strip().lower()
    return f"sub:{claims.get('sub', '')}"


def expired(claims: Mapping[str, Any], max_age_hours: float, now: float) -> bool:
    """Whether the sign-in is older than `max_age_hours` (by the ID token's `iat`, seconds).

    Why: Streamlit keeps the claims for 30 days, and the groups in them are those of the day of
    sign-in; someone taken out of a group at the provider must lose its role within a bounded
    time, so an old sign-in is sent back through the provider. No or a bad `iat` counts as old.
    """
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, (int, float)):
        return True
    return not (now - max_age_hours * 3600 <= issued <= now + 300)  # 5 min of clock skew


def role_for(groups: Iterable[str], mapping: Mapping[str, Role]) -> Role | None:
    """The strongest role any of the groups maps to; None when none maps to a role."""
    have = {mapping[g] for g in groups if g in mapping}
    return next((role for role in ROLE_PRECEDENCE if role in have), None)


def identity(claims: Mapping[str, Any], role_claim: str,
             mapping: Mapping[str, Role]) -> SsoIdentity:
    """A signed-in person's name, groups (from `role_claim`) and role under `mapping`."""
    groups = groups_from_claim(claims.get(role_claim))
    return SsoIdentity(username_from_claims(claims), groups, role_for(groups, mapping))
