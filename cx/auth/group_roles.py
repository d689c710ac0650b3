"""Which SSO group gives which role: the table admins edit on the Users page or with
`python -m cx groups map GROUP ROLE`.

Why in the database (migration 8) and not in the credentials file beside the users: a group's
role sits beside the group's data scope (cx.auth.scopes) and the append-only audit log
(cx.auth.audit) that records every change to either, all in one file an admin backs up and the
Users page reads; the credentials file stays what it is, local logins and their sessions. Each
change here is followed by its audit entry (`group.map` / `group.unmap`, target `group:NAME`).
The mapping is read on every run of a signed-in person, so a change takes effect on their next
click; an unknown role in a row (a hand edit) maps to nothing, never to an error.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass

from cx.auth import audit
from cx.auth.credentials_file import UserError, check_role
from cx.auth.sso import MAX_GROUP_CHARS
from cx.domain import Role
from cx.storage import Store

log = logging.getLogger(__name__)


class GroupError(UserError):
    """A mapping change that was refused (bad group name, unknown role, group not mapped).

    A UserError: the Users page reports it in place like any refused user change."""


@dataclass(frozen=True)
class GroupRole:
    group: str
    role: Role
    changed_by: str
    changed_at: dt.datetime


def check_group(name: str) -> str:
    """A group name as the provider sends it: 1-256 characters, no control characters."""
    group = (name or "").strip()
    if not group or len(group) > MAX_GROUP_CHARS:
        raise GroupError(f"invalid group name {name!r}: use 1-{MAX_GROUP_CHARS} characters")
    if any(unicodedata.category(c).startswith("C") for c in group):
        raise GroupError(f"invalid group name {name!r}: control characters are not allowed")
    return group


def list_mappings(store: Store) -> list[GroupRole]:
    """Every mapping, by group name; a row with an unknown role is left out (and logged)."""
    rows = store.query("SELECT group_name, role, changed_by, changed_at FROM sso_group_roles "
                       "ORDER BY group_name")
    found = []
    for group, role, by, at in rows:
        try:
            found.append(GroupRole(group, check_role(role), by, at))
        except ValueError:
            log.warning("SSO group %r maps to unknown role %r: ignored", group, role)
    return found


def load_mapping(store: Store) -> dict[str, Role]:
    """group -> role, for deciding a signed-in person's role."""
    return {m.group: m.role for m in list_mappings(store)}


def map_group(store: Store, group: str, role: str | Role, actor: str) -> str | None:
    """Give members of `group` the role `role`; returns the role it gave before (None: new)."""
    group, role = check_group(group), _checked_role(role)
    with store.transaction() as cur:
        before = cur.execute("SELECT role FROM sso_group_roles WHERE group_name = ?",
                             [group]).fetchone()
        cur.execute("INSERT OR REPLACE INTO sso_group_roles VALUES "
                    "(?, ?, ?, current_timestamp::TIMESTAMP)", [group, role.value, actor])
    was = before[0] if before else None
    audit.record(store, actor, "group.map", f"group:{group}", {"role": role.value, "was": was})
    return was


def unmap_group(store: Store, group: str, actor: str) -> str:
    """Members of `group` no longer get a role from it; returns the role it gave."""
    group = check_group(group)
    with store.transaction() as cur:
        before = cur.execute("SELECT role FROM sso_group_roles WHERE group_name = ?",
                             [group]).fetchone()
        if before is None:
            raise GroupError(f"group {group!r} is not mapped to a role")
        cur.execute("DELETE FROM sso_group_roles WHERE group_name = ?", [group])
    audit.record(store, actor, "group.unmap", f"group:{group}", {"was": before[0]})
    return str(before[0])


def _checked_role(role: str | Role) -> Role:
    try:
        return check_role(role)
    except ValueError as exc:
        raise GroupError(str(exc)) from None
