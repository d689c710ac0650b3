"""Header matching: which column of an upload feeds which canonical field (PRODUCT.md §1).

A header is matched only when the match is unambiguous: one known phrase, one field, and values
that fit the field (a `Time to Resolution` column of timestamps is `resolved_at`, one of numbers
is `resolution_hours`). Everything else is kept under its snake_case name as an extra column,
so nothing in an upload is silently dropped. `--map` always wins over matching.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cx.storage.schema import CANONICAL, NATURAL_KEY

# Phrases (normalised: lower case, words separated by one space) per canonical field.
_COMMON = {
    "customer_id": ("customer id", "customerid", "client id", "account id", "user id",
                    "subscriber id", "customer number", "account number"),
    "channel": ("channel", "contact channel", "source channel", "support channel"),
    "region": ("region", "sales region", "geo region"),
    "product": ("product", "product purchased", "product name"),
    "segment": ("segment", "customer segment", "market segment"),
    "ticket_id": ("ticket id", "ticket number", "case id", "case number"),
}
_SURVEY = {
    "response_id": ("response id", "respondent id", "survey response id", "answer id"),
    "submitted_at": ("submitted at", "submitted", "submission date", "response date",
                     "survey date", "date", "timestamp", "completed at"),
    "nps": ("nps", "nps score", "likelihood to recommend", "likely to recommend",
            "recommend score", "ltr"),
    "csat": ("csat", "csat score", "customer satisfaction", "customer satisfaction rating",
             "customer satisfaction score", "satisfaction rating", "satisfaction score"),
    "ces": ("ces", "ces score", "customer effort score", "effort score", "effort"),
    "comment": ("comment", "comments", "verbatim", "feedback", "open text", "feedback text"),
}
_TICKET = {
    "team": ("team", "support team", "assigned team", "group"),
    "agent": ("agent", "assignee", "agent name", "assigned agent"),
    "priority": ("priority",),
    "status": ("status",),
    "opened_at": ("opened at", "opened", "created at", "created", "open date", "created date",
                  "date opened", "creation date"),
    "first_response_at": ("first response at", "first response time", "first reply at",
                          "first reply time", "first responded at"),
    "resolved_at": ("resolved at", "resolved", "resolution date", "closed at",
                    "time to resolution", "resolution time", "date resolved"),
    "first_response_hours": ("first response hours", "first response time", "frt",
                             "first reply time", "first response time hours"),
    "resolution_hours": ("resolution hours", "time to resolution", "resolution time", "ttr",
                         "time to resolution hours"),
    "csat": _SURVEY["csat"],
}
_CUSTOMER = {
    "signup_at": ("signup at", "signup date", "sign up date", "joined", "join date",
                  "customer since", "start date"),
    "churned_at": ("churned at", "churn date", "cancel date", "cancellation date", "end date"),
    "churned": ("churn", "churned", "exited", "attrition", "churn flag", "churn label",
                "is churned"),
    "monthly_revenue": ("monthly revenue", "monthly charges", "monthly charge", "mrr",
                        "monthly fee"),
    "clv": ("clv", "cltv", "ltv", "customer lifetime value", "lifetime value"),
    "tenure_months": ("tenure", "tenure months", "tenure in months"),
    "plan": ("plan", "subscription plan", "tariff", "price plan"),
}
_TABLE_SPECIFIC = {"responses": _SURVEY, "tickets": _TICKET, "customers": _CUSTOMER}
_PREFIXES = ("ticket ", "customer ", "survey ", "response ", "client ")
_NOT_MATCHABLE = {"batch_id", "csat_scale_min", "csat_scale_max", "ces_scale_min", "ces_scale_max"}


@dataclass(frozen=True)
class ColumnMatch:
    """One source column and where it goes."""

    position: int  # 1-based column position in the file
    header: str  # as written (an empty header gets "column_N")
    field: str  # canonical field or extra column name
    how: str  # "auto" (matched), "map" (--map), "extra" (kept under its own name)
    note: str = ""


def normalise(header: str) -> str:
    """`customerID` -> 'customer id', `Ticket  Channel` -> 'ticket channel'."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", header)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return " ".join(re.findall(r"[a-z0-9]+", spaced.lower()))


def snake_case(header: str) -> str:
    """`Type of Travel` -> type_of_travel; a leading digit gets a `c_` prefix; at most 63."""
    name = normalise(header).replace(" ", "_") or "column"
    if name[0].isdigit():
        name = f"c_{name}"
    return name[:63].rstrip("_")


def _phrases(table: str) -> dict[str, tuple[str, ...]]:
    if table not in _TABLE_SPECIFIC:
        raise ValueError(f"unknown table {table!r}; expected one of {', '.join(_TABLE_SPECIFIC)}")
    fields = {f.name for f in CANONICAL[table]}
    out = {k: v for k, v in _COMMON.items() if k in fields}
    out.update(_TABLE_SPECIFIC[table])
    key = NATURAL_KEY[table]
    out[key] = (*out.get(key, ()), "id")
    return out


def candidates(table: str, header: str) -> list[str]:
    """Canonical fields whose phrases (or own name) equal the header, with or without a prefix."""
    norm = normalise(header)
    forms = {norm} | {norm.removeprefix(p) for p in _PREFIXES if norm.startswith(p)}
    found = []
    for name, phrases in _phrases(table).items():
        if forms & ({normalise(name)} | set(phrases)):
            found.append(name)
    return found


def display_headers(headers: tuple[str | None, ...]) -> list[str]:
    """Empty headers get `column_N`; duplicate headers are refused (which one would be which?)."""
    shown = [h if h else f"column_{i + 1}" for i, h in enumerate(headers)]
    counts = Counter(h.casefold() for h in shown)
    dupes = [h for h in shown if counts[h.casefold()] > 1]
    if dupes:
        where = {h: [i + 1 for i, s in enumerate(shown) if s.casefold() == h.casefold()]
                 for h in dict.fromkeys(dupes)}
        detail = "; ".join(f"{h!r} in columns {', '.join(map(str, p))}" for h, p in where.items())
        raise ValueError(f"duplicate column headers: {detail}. Rename them so each is unique")
    return shown


def match_columns(
    table: str,
    headers: list[str],
    overrides: Mapping[str, str],
    fits: Callable[[int, str], bool],
) -> list[ColumnMatch]:
    """Resolve every column: --map first, then unambiguous matches, then extras.

    `fits(position, field)` says whether a column's values suit a field (timestamps for `_at`
    fields, numbers for scores); it settles time-versus-duration headers and keeps a text column
    named like a score from being read as one.
    """
    by_header = {h.casefold(): i for i, h in enumerate(headers)}
    unknown = [h for h in overrides if h.casefold() not in by_header]
    if unknown:
        raise ValueError(f"--map names headers that are not in the file: {', '.join(unknown)}; "
                         f"the headers are: {', '.join(headers)}")
    mapped = {by_header[h.casefold()]: f for h, f in overrides.items()}
    taken = set(mapped.values())
    proposals: dict[int, list[str]] = {}
    for i, header in enumerate(headers):
        if i not in mapped:
            found = [f for f in candidates(table, header) if f not in taken and fits(i + 1, f)]
            proposals[i] = found
    claims = Counter(f for found in proposals.values() for f in found)
    out = []
    for i, header in enumerate(headers):
        out.append(_resolve(i, header, mapped.get(i), proposals.get(i, []), claims, headers,
                            proposals))
    return _unique_extra_names(table, out)


def _resolve(
    i: int, header: str, forced: str | None, found: list[str], claims: Counter,
    headers: list[str], proposals: dict[int, list[str]],
) -> ColumnMatch:
    if forced is not None:
        return ColumnMatch(i + 1, header, forced, "map")
    if len(found) == 1 and claims[found[0]] == 1:
        return ColumnMatch(i + 1, header, found[0], "auto")
    note = ""
    if len(found) > 1:
        note = f"could be any of {', '.join(found)}; pick the field to choose"
    elif found:
        rivals = [headers[j] for j, f in proposals.items() if found[0] in f and j != i]
        note = f"{found[0]} is claimed by {', '.join(rivals)} too; pick the field to choose"
    return ColumnMatch(i + 1, header, snake_case(header), "extra", note)


def _unique_extra_names(table: str, matches: list[ColumnMatch]) -> list[ColumnMatch]:
    """Extra names must not hit a canonical field or each other: add _2, _3, ..."""
    used = {f.name for f in CANONICAL[table]} | _NOT_MATCHABLE
    used |= {m.field for m in matches if m.how != "extra"}
    out = []
    for m in matches:
        if m.how != "extra":
            out.append(m)
            continue
        name, n = m.field, 2
        while name in used:
            name, n = f"{m.field[:60]}_{n}", n + 1
        used.add(name)
        out.append(ColumnMatch(m.position, m.header, name, m.how, m.note))
    return out


def check_overrides(table: str, overrides: Mapping[str, str]) -> None:
    """--map targets: a canonical field of the table, or a snake_case name for an extra column."""
    canonical = {f.name for f in CANONICAL[table]}
    seen: dict[str, str] = {}
    for header, target in overrides.items():
        if target in _NOT_MATCHABLE:
            raise ValueError(f"--map {header!r}={target}: {target} is bookkeeping, not loadable")
        if target not in canonical and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", target):
            raise ValueError(f"--map {header!r}={target!r}: not a field of {table} and not a "
                             "valid new column name (snake_case letters, digits, _)")
        if target in seen:
            raise ValueError(f"--map sends both {seen[target]!r} and {header!r} to {target}")
        seen[target] = header
