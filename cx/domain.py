"""Small value types shared by every layer: roles, time grains, date ranges, scopes, filters."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from enum import StrEnum


class Role(StrEnum):
    EXECUTIVE = "executive"
    MANAGER = "manager"
    ANALYST = "analyst"
    ADMIN = "admin"


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO week, starting Monday
    MONTH = "month"
    QUARTER = "quarter"


@dataclass(frozen=True)
class DateRange:
    """Inclusive calendar dates in the reporting time zone; None means open-ended."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"date range starts ({self.start}) after it ends ({self.end})")


Clause = tuple[tuple[str, tuple[str, ...]], ...]  # sorted (field, sorted values) pairs


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
    """The rows a person may see (cx.auth.scopes): the union of clauses, each clause field →
    allowed values (OR within a field, AND across fields). One empty clause matches every row."""

    clauses: tuple[Clause, ...]
    origin: str = field(default="", compare=False)  # 'user:alice', 'groups:a,b' (for display)

    def __post_init__(self) -> None:
        # One order for one set of clauses: equal scopes compare, hash and describe equally.
        object.__setattr__(self, "clauses", tuple(sorted(set(self.clauses))))

    @property
    def unrestricted(self) -> bool:
        return any(not clause for clause in self.clauses)

    def canonical(self) -> str:
        """Stable JSON text ('' when unrestricted): equal scopes give equal text."""
        if self.unrestricted:
            return ""
        data = sorted([{k: list(v) for k, v in clause} for clause in self.clauses],
                      key=lambda c: json.dumps(c, sort_keys=True))
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def from_canonical(text: str) -> Scope:
        """The inverse of canonical() (snapshots store their scope as that text)."""
        if not text:
            return UNRESTRICTED
        return Scope(tuple(clause_of(c) for c in json.loads(text)))

    def key(self) -> str:
        """Short stable id of the scope for cache and snapshot keys ('' when unrestricted)."""
        text = self.canonical()
        return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""

    def describe(self) -> str:
        """Plain words, e.g. 'region in (Europe, Asia) and team = Billing; or channel = Chat'."""
        if self.unrestricted:
            return "all data"
        parts = []
        for clause in self.clauses:
            parts.append(" and ".join(
                f"{name} = {vals[0]}" if len(vals) == 1 else f"{name} in ({', '.join(vals)})"
                for name, vals in clause))
        return "; or ".join(parts)


UNRESTRICTED = Scope(((),), origin="none")


@dataclass(frozen=True)
class Filters:
    """Field → allowed values (OR within a field, AND across fields), plus a date range, inside
    the person's data scope (which no filter can widen: the compiler ANDs it first).

    Stored as sorted tuples so that equal filters are equal and hashable (cache keys); the scope
    is part of equality, so two people with different scopes never share a cached answer.
    """

    dates: DateRange = field(default_factory=DateRange)
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    scope: Scope = UNRESTRICTED

    def within(self, scope: Scope) -> Filters:
        """The same filters inside `scope` (replacing any scope they carried)."""
        return replace(self, scope=scope)

    @staticmethod
    def of(dates: DateRange | None = None, **values: list[str] | tuple[str, ...] | str) -> Filters:
        pairs = []
        for name, vals in values.items():
            vals_t = (vals,) if isinstance(vals, str) else tuple(vals)
            if vals_t:
                pairs.append((name, tuple(sorted(set(vals_t)))))
        return Filters(dates or DateRange(), tuple(sorted(pairs)))

    def with_values(self, **values: list[str] | tuple[str, ...] | str) -> Filters:
        """These filters with `values` added (or replacing a field's), same dates, same scope:
        an analysis narrowing a page's filters must never drop the person's scope."""
        return Filters.of(self.dates, **{**self.as_dict(), **values}).within(self.scope)

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.values)
