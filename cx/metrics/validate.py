"""Catalog validation: every rule runs over every declaration and all issues come back at once.

Each rule is a small function `(metric) -> list[str]`, so a test can feed one bad declaration per
rule and see it caught, and start-up can print the whole list instead of the first failure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import assert_never

from cx.metrics.catalog import (
    CATALOG,
    MetricDef,
    MetricType,
    Unit,
    expected_unit,
    table_dimensions,
)
from cx.storage.schema import CANONICAL, RECORD_TABLES

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# Which kinds of column each metric type may read (None: it reads no column).
_COLUMN_KINDS: dict[MetricType, tuple[str, ...] | None] = {
    MetricType.NPS: ("score",),
    MetricType.SHARE: ("score",),
    MetricType.MEAN: ("score", "measure"),
    MetricType.COUNT: None,
    MetricType.QUANTILE: ("measure",),
    MetricType.SURVIVAL: ("measure",),
    MetricType.CHURN: ("flag",),
    MetricType.CLV: ("measure",),
}


def _rule_name(m: MetricDef) -> list[str]:
    if not _NAME.match(m.name):
        return [f"{m.name!r}: name must be snake_case (a-z, 0-9, _) starting with a letter"]
    return []


def _rule_texts(m: MetricDef) -> list[str]:
    issues = []
    if not m.label.strip():
        issues.append(f"{m.name}: label is empty")
    if len(m.help.strip()) < 40 or not any(w in m.help for w in ("=", "/", " of ", "Number")):
        issues.append(f"{m.name}: help must give the formula in words (at least 40 characters)")
    return issues


def _rule_table(m: MetricDef) -> list[str]:
    if m.table not in RECORD_TABLES:
        return [f"{m.name}: table {m.table!r} is not one of {', '.join(RECORD_TABLES)}"]
    return []


def _rule_unit(m: MetricDef) -> list[str]:
    if not isinstance(m.unit, Unit) or m.unit not in expected_unit(m):
        allowed = ", ".join(u.value for u in expected_unit(m))
        return [f"{m.name}: unit {m.unit!r} does not fit type {m.type.value} (expected {allowed})"]
    return []


def _rule_column(m: MetricDef) -> list[str]:
    kinds = _COLUMN_KINDS[m.type]
    if kinds is None:
        return [f"{m.name}: a {m.type.value} metric reads no column"] if m.column else []
    if m.table not in CANONICAL:
        return []  # reported by _rule_table
    by_name = {f.name: f.kind for f in CANONICAL[m.table]}
    if m.column not in by_name:
        return [f"{m.name}: column {m.column!r} is not a field of {m.table}"]
    if by_name[m.column] not in kinds:
        return [f"{m.name}: column {m.column} is a {by_name[m.column]}, expected {'/'.join(kinds)}"]
    return []


def _rule_dimensions(m: MetricDef) -> list[str]:
    if m.table not in CANONICAL:
        return []
    unknown = sorted(set(m.dimensions) - set(table_dimensions(m.table)))
    if unknown:
        return [f"{m.name}: dimensions {unknown} are not dimensions of {m.table}"]
    return []


def _rule_params(m: MetricDef) -> list[str]:
    """Type-specific knobs: required where the type needs them, absent where it does not."""
    given = {k for k in ("top_points", "q", "within_hours") if getattr(m, k) is not None}
    if m.complement:
        given.add("complement")
    match m.type:
        case MetricType.SHARE:
            needed: set[str] = {"top_points"}
            if m.top_points is not None and not 1 <= m.top_points <= 3:
                return [f"{m.name}: top_points must be 1..3, got {m.top_points}"]
        case MetricType.QUANTILE:
            needed = {"q"}
        case MetricType.SURVIVAL:
            needed = {"within_hours"} if m.within_hours is not None else {"q"}
            if m.within_hours is not None and not m.within_hours > 0:
                return [f"{m.name}: within_hours must be > 0"]
        case MetricType.CHURN:
            needed = given & {"complement"}
        case MetricType.NPS | MetricType.MEAN | MetricType.COUNT | MetricType.CLV:
            needed = set()
        case _:
            assert_never(m.type)
    if m.q is not None and not 0.0 < m.q < 1.0:
        return [f"{m.name}: q must be strictly between 0 and 1, got {m.q}"]
    if given != needed:
        return [f"{m.name}: a {m.type.value} metric takes {sorted(needed) or 'no options'}, "
                f"got {sorted(given) or 'none'}"]
    return []


def _rule_churn_definition(m: MetricDef) -> list[str]:
    """METHODS.md §4.1: the help must name the standard base and warn off churned / acquired."""
    if m.type is MetricType.CHURN and not (
        "customers at the start" in m.help and "acquired" in m.help
    ):
        return [f"{m.name}: churn help must say churned / customers at the start, not / acquired"]
    return []


RULES: tuple[Callable[[MetricDef], list[str]], ...] = (
    _rule_name, _rule_texts, _rule_table, _rule_unit, _rule_column, _rule_dimensions,
    _rule_params, _rule_churn_definition,
)


def validate_catalog(catalog: Iterable[MetricDef] = CATALOG) -> list[str]:
    """Every problem of every declaration, plus duplicate names; [] means the catalog is sound."""
    metrics = list(catalog)
    issues = [issue for m in metrics for rule in RULES for issue in rule(m)]
    dupes = [n for n, c in Counter(m.name for m in metrics).items() if c > 1]
    issues += [f"{n}: declared more than once" for n in dupes]
    return issues


class CatalogError(ValueError):
    """The catalog is inconsistent; raised once with every issue listed."""


def check_catalog(catalog: Iterable[MetricDef] = CATALOG) -> None:
    issues = validate_catalog(catalog)
    if issues:
        raise CatalogError("metric catalog has problems:\n  " + "\n  ".join(issues))


_BY_NAME = {m.name: m for m in CATALOG}


def get_metric(name: str) -> MetricDef:
    """The declaration of ``name``, or a ValueError listing every known metric."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(
            f"unknown metric {name!r}; known metrics: {', '.join(sorted(_BY_NAME))}"
        ) from None
