"""Data scopes: which records a person may see (issue 16, "role-based data restriction").

A scope is a filter on dimensions that an admin gives a user or an SSO group, e.g.
`region in (Europe)` or `team = Billing`. It is stored as JSON {field: [values]} in `data_scopes`:
OR within a field, AND across fields (the same meaning as the sidebar filters), here called a
clause.

The effective scope of a person (`scope_for`):
- their own user scope, when they have one: it replaces every group scope (an admin who sets a
  person's scope by name means exactly that scope);
- else the union of the scopes of their SSO groups that have one: a row is visible when any of
  those groups may see it. Union, because group membership grants access (Qualtrics and Medallia
  combine several data restrictions the same way): a person in "EMEA managers" and "Billing
  leads" sees EMEA rows and Billing rows, never less than either group alone. An intersection
  would make joining a group take data away, which no admin expects;
- groups without a scope do not take part; a person with no scoped group is unrestricted. A group
  (or user) whose scope is {} is explicitly unrestricted, so in a union it opens everything.

A clause that names a field a table does not have matches no row of that table (fail closed): a
team-scoped person sees no customers, since customers have no team.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Literal, TypeVar

from cx.domain import UNRESTRICTED, Clause, Filters, Scope, clause_of  # noqa: F401 - scope API
from cx.auth import audit
from cx.storage import Store
from cx.storage.schema import CANONICAL

ScopeKind = Literal["user", "group"]
T = TypeVar("T")


def _stored(store: Store, kind: ScopeKind, names: tuple[str, ...]) -> dict[str, Clause]:
    if not names:
        return {}
    marks = ", ".join("?" for _ in names)
    rows = store.query(  # fixed text; kind and names are bound
        f"SELECT name, filter FROM data_scopes WHERE kind = ? AND name IN ({marks})",
        [kind, *names])
    return {name: clause_of(json.loads(text)) for name, text in rows}


def scope_for(store: Store, username: str, groups: tuple[str, ...] = ()) -> Scope:
    """The effective scope of a signed-in person (rules in the module docstring)."""
    own = _stored(store, "user", (username,))
    if username in own:
        return Scope((own[username],), origin=f"user:{username}")
    by_group = _stored(store, "group", tuple(sorted(set(groups))))
    if not by_group:
        return UNRESTRICTED
    return Scope(tuple(by_group.values()), origin="groups:" + ",".join(sorted(by_group)))


def scoped_groups(store: Store, groups: tuple[str, ...]) -> list[str]:
    """Which of these SSO groups have a stored scope (a name mistyped on the command line has
    none, and must not silently mean "all data")."""
    return sorted(_stored(store, "group", tuple(sorted(set(groups)))))


def set_scope(store: Store, kind: ScopeKind, name: str, clause: Clause, actor: str) -> None:
    """Give a user or group a scope (replacing its old one). Callers audit the change."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    text = json.dumps({k: list(v) for k, v in clause}, sort_keys=True, ensure_ascii=False)
    with store.transaction() as cur:
        cur.execute("DELETE FROM data_scopes WHERE kind = ? AND name = ?", [kind, name])
        cur.execute("INSERT INTO data_scopes VALUES (?, ?, ?, ?, ?)",
                    [kind, name, text, actor, now])


def clear_scope(store: Store, kind: ScopeKind, name: str) -> bool:
    """Remove a user's or group's scope; True when there was one. Callers audit the change."""
    with store.transaction() as cur:
        found = cur.execute("SELECT count(*) FROM data_scopes WHERE kind = ? AND name = ?",
                            [kind, name]).fetchone()[0]
        cur.execute("DELETE FROM data_scopes WHERE kind = ? AND name = ?", [kind, name])
    return bool(found)


def all_scopes(store: Store) -> list[tuple[ScopeKind, str, Clause]]:
    """Every stored scope, users first, by name (the Users page lists them)."""
    rows = store.query("SELECT kind, name, filter FROM data_scopes ORDER BY kind DESC, name")
    return [(kind, name, clause_of(json.loads(text))) for kind, name, text in rows]


NOBODY = Scope((), origin="nobody")  # no clause: matches no row (no signed-in person)


def stamp(value: T, scope: Scope) -> T:
    """`value` with every Filters inside it (directly, in a tuple, or in a frozen dataclass
    field such as MetricQuery.filters or RecordQuery.filters) replaced by one inside `scope`.

    Why: the app's one gate to the data (cx.ui.cached) stamps the signed-in person's scope onto
    every query a page asks for, so a query built from the URL or from widget state cannot
    carry another scope, and a page that forgot the scope still gets it.
    """
    if isinstance(value, Filters):
        return value.within(scope)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(stamp(v, scope) for v in value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = stamp(old, scope)
            if new is not old:
                changed[f.name] = new
        return dataclasses.replace(value, **changed) if changed else value
    return value


# Scope fields are canonical dimensions: every table's schema says whether it has one, so a
# scope never depends on what an upload happened to add (extra dimensions are not scopes).
SCOPE_FIELDS: tuple[str, ...] = tuple(sorted({
    f.name for fields in CANONICAL.values() for f in fields if f.kind == "dimension"}))
MAX_NAME = 200


def check_clause(clause: Clause) -> Clause:
    """Refuse a scope on a field that is not a scope field, or an empty value, with a message
    that lists the valid fields."""
    for name, values in clause:
        if name not in SCOPE_FIELDS:
            raise ValueError(f"a scope cannot be on {name!r}; scope fields: "
                             f"{', '.join(SCOPE_FIELDS)}")
        if any(not v.strip() for v in values):
            raise ValueError(f"the scope on {name!r} has an empty value")
    return clause


def check_name(kind: ScopeKind, name: str) -> str:
    name = (name or "").strip()
    if kind not in ("user", "group"):
        raise ValueError(f"a scope belongs to a user or a group, not {kind!r}")
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"the {kind} name must be 1-{MAX_NAME} characters")
    return name


def parse_where(items: list[str]) -> Clause:
    """['region=Europe', 'region=Asia', 'team=Billing'] -> a checked clause (repeat a field for
    OR), as `--where` means everywhere on the command line."""
    values: dict[str, list[str]] = {}
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or not field.strip() or not value.strip():
            raise ValueError(f"--where {item!r} must look like FIELD=VALUE")
        values.setdefault(field.strip(), []).append(value.strip())
    return check_clause(clause_of(values))


def change_scope(store: Store, kind: ScopeKind, name: str, clause: Clause | None,
                 actor: str) -> bool:
    """Set (clause) or clear (None) a scope, and audit it; the one door the Users page and the
    command line both use. Returns False when clearing a scope that did not exist."""
    name = check_name(kind, name)
    target = f"{kind}:{name}"
    if clause is None:
        found = clear_scope(store, kind, name)
        if found:
            audit.record(store, actor, "scope.clear", target, {})
        return found
    set_scope(store, kind, name, check_clause(clause), actor)
    audit.record(store, actor, "scope.set", target, {"where": {k: list(v) for k, v in clause}})
    return True
