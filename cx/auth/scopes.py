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

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Literal

from cx.storage import Store

Clause = tuple[tuple[str, tuple[str, ...]], ...]  # sorted (field, sorted values) pairs
ScopeKind = Literal["user", "group"]


def clause_of(mapping: dict[str, list[str] | tuple[str, ...] | str]) -> Clause:
    """Canonical clause: sorted fields, sorted distinct values; empty value lists are refused."""
    pairs = []
    for name, values in mapping.items():
        vals = (values,) if isinstance(values, str) else tuple(values)
        if not vals:
            raise ValueError(f"the scope on {name!r} lists no value")
        pairs.append((str(name), tuple(sorted({str(v) for v in vals}))))
    return tuple(sorted(pairs))


@dataclass(frozen=True)
class Scope:
    """The union of clauses. One empty clause (UNRESTRICTED) matches every row."""

    clauses: tuple[Clause, ...]
    origin: str = field(default="", compare=False)  # 'user:alice', 'groups:a,b' (for display)

    @property
    def unrestricted(self) -> bool:
        return any(not clause for clause in self.clauses)

    def canonical(self) -> str:
        """Stable JSON text ('' when unrestricted): equal scopes give equal text."""
        if self.unrestricted:
            return ""
        data = sorted([{k: list(v) for k, v in clause} for clause in set(self.clauses)],
                      key=lambda c: json.dumps(c, sort_keys=True))
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def key(self) -> str:
        """Short stable id of the scope for cache and snapshot keys ('' when unrestricted)."""
        text = self.canonical()
        return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""

    def describe(self) -> str:
        """Plain words, e.g. 'region in (Europe) and team = Billing; or channel = Chat'."""
        if self.unrestricted:
            return "all data"
        parts = []
        for clause in self.clauses:
            parts.append(" and ".join(
                f"{name} = {vals[0]}" if len(vals) == 1 else f"{name} in ({', '.join(vals)})"
                for name, vals in clause))
        return "; or ".join(parts)


UNRESTRICTED = Scope(((),), origin="none")


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
    clauses = tuple(sorted(set(by_group.values())))
    return Scope(clauses, origin="groups:" + ",".join(sorted(by_group)))


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
