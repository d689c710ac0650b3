"""Pure access policy: which roles see which pages and may do which actions (PRODUCT.md §5).

Everything that decides "may this user see or do X" asks this module, so the navigation built by
`app.py`, the guard at the top of every page and the server-side checks of actions (upload,
rollback, user changes) can never disagree. No Streamlit, no I/O: a role list in, an answer out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cx.domain import Role

EXECUTIVE, MANAGER, ANALYST, ADMIN = Role.EXECUTIVE, Role.MANAGER, Role.ANALYST, Role.ADMIN
ALL_ROLES: frozenset[Role] = frozenset(Role)
# Ordered from most to least privileged: a user with several roles lands where the strongest
# role lands.
ROLE_PRECEDENCE: tuple[Role, ...] = (ADMIN, ANALYST, MANAGER, EXECUTIVE)


class AccessDenied(PermissionError):
    """The user's roles do not allow this page or action."""


@dataclass(frozen=True)
class PageSpec:
    """One page of the app: `pages/<name>.py`, served at the URL path `<name>`."""

    name: str
    title: str
    icon: str
    roles: frozenset[Role]
    landing_for: frozenset[Role] = frozenset()

    @property
    def file(self) -> str:
        return f"pages/{self.name}.py"


def _page(name: str, title: str, icon: str, roles: Iterable[Role], landing: Iterable[Role] = ()
          ) -> PageSpec:
    return PageSpec(name, title, icon, frozenset(roles), frozenset(landing))


_ANALYSTS = (MANAGER, ANALYST, ADMIN)

# PRODUCT.md §5, in navigation order. Admin has no landing page in §5; we land admins on the
# Overview, the page that shows at a glance whether the data is there.
PAGES: tuple[PageSpec, ...] = (
    _page("snapshot", "Weekly snapshot", ":material/event_note:", ALL_ROLES, [EXECUTIVE]),
    _page("overview", "Overview", ":material/dashboard:", ALL_ROLES, [MANAGER, ADMIN]),
    _page("segments", "Segments", ":material/pie_chart:", _ANALYSTS),
    _page("drivers", "Drivers", ":material/insights:", _ANALYSTS),
    _page("tickets", "Tickets", ":material/support_agent:", _ANALYSTS),
    _page("customers", "Customers", ":material/groups:", _ANALYSTS),
    _page("explorer", "Verbatims and records", ":material/manage_search:", _ANALYSTS, [ANALYST]),
    _page("verbatims", "Verbatims: themes", ":material/forum:", _ANALYSTS),
    _page("upload", "Upload and batches", ":material/upload_file:", (ANALYST, ADMIN)),
    _page("users", "Users", ":material/manage_accounts:", (ADMIN,)),
)
PAGES_BY_NAME: dict[str, PageSpec] = {p.name: p for p in PAGES}

# Server-side actions, checked again where they happen (not only by hiding a page).
ACTIONS: dict[str, frozenset[Role]] = {
    "upload": frozenset({ANALYST, ADMIN}),
    "rollback": frozenset({ANALYST, ADMIN}),
    "manage_users": frozenset({ADMIN}),
    "edit_themes": frozenset({ANALYST, ADMIN}),  # the theme dictionary (issue 15)
}


def as_roles(roles: Iterable[str | Role] | str | Role | None) -> frozenset[Role]:
    """Normalise what the session holds (None, one role, a list of names) to known roles.

    Unknown role names are ignored rather than raising: a hand-edited credentials file with a typo
    must lead to *less* access, never to a crash that might skip a check.
    """
    if roles is None:
        return frozenset()
    if isinstance(roles, str):
        roles = [roles]
    known = {r.value for r in Role}
    return frozenset(Role(str(r)) for r in roles if str(r) in known)


def page(name: str) -> PageSpec:
    try:
        return PAGES_BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown page {name!r}; known pages: {', '.join(PAGES_BY_NAME)}") from None


def can_view(roles: Iterable[str | Role] | str | None, page_name: str) -> bool:
    return bool(as_roles(roles) & page(page_name).roles)


def pages_for(roles: Iterable[str | Role] | str | None) -> list[PageSpec]:
    """The pages these roles may see, in navigation order (empty for no or unknown roles)."""
    have = as_roles(roles)
    return [p for p in PAGES if have & p.roles]


def landing_page(
    roles: Iterable[str | Role] | str | None, available: Iterable[str] | None = None
) -> PageSpec | None:
    """The page a user starts on: the landing page of their strongest role.

    `available` limits the choice to pages that exist; when the landing page is not available,
    the first allowed available page is used instead.
    """
    allowed = pages_for(roles)
    if available is not None:
        names = set(available)
        allowed = [p for p in allowed if p.name in names]
    have = as_roles(roles)
    for role in ROLE_PRECEDENCE:
        if role in have:
            for p in allowed:
                if role in p.landing_for:
                    return p
            break
    return allowed[0] if allowed else None


def allowed(roles: Iterable[str | Role] | str | None, action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; known actions: {', '.join(ACTIONS)}")
    return bool(as_roles(roles) & ACTIONS[action])


def require_action(roles: Iterable[str | Role] | str | None, action: str) -> None:
    """Raise AccessDenied unless the roles allow the action; call it where the action happens."""
    if not allowed(roles, action):
        need = ", ".join(sorted(r.value for r in ACTIONS[action]))
        raise AccessDenied(f"{action!r} needs one of these roles: {need}")

