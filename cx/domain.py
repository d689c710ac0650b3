"""Small value types shared by every layer: roles, time grains, date ranges, filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Filters:
    """Field → allowed values (OR within a field, AND across fields), plus a date range.

    Stored as sorted tuples so that equal filters are equal and hashable (cache keys).
    """

    dates: DateRange = field(default_factory=DateRange)
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @staticmethod
    def of(dates: DateRange | None = None, **values: list[str] | tuple[str, ...] | str) -> Filters:
        pairs = []
        for name, vals in values.items():
            vals_t = (vals,) if isinstance(vals, str) else tuple(vals)
            if vals_t:
                pairs.append((name, tuple(sorted(set(vals_t)))))
        return Filters(dates or DateRange(), tuple(sorted(pairs)))

    def as_dict(self) -> dict[str, tuple[str, ...]]:
        return dict(self.values)
