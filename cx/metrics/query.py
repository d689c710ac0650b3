"""Frozen query and result types of the metric engine (habit 2: hashable queries, cache keys)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cx.domain import Filters, Grain
from cx.metrics.catalog import MetricDef

NPS_METHODS = ("adjusted_wald", "score", "wald")
# Stable leading columns of every result row (PRODUCT.md §6); by-fields and "period" come first.
VALUE_COLUMNS = ("value", "n", "ci_low", "ci_high", "reliability")


@dataclass(frozen=True)
class MetricQuery:
    """What to compute. ``filters.dates`` are calendar dates in the reporting time zone.

    ``as_of`` (naive UTC) is when open tickets are aged for Kaplan–Meier; None means the latest
    timestamp in the tickets table, so the same data always gives the same answer.
    ``clv_margin`` and ``clv_horizon_months`` are the stated CLV assumptions (METHODS.md §4.2).
    """

    metric: str
    filters: Filters = field(default_factory=Filters)
    by: tuple[str, ...] = ()
    grain: Grain | None = None
    as_of: dt.datetime | None = None
    nps_method: str = "adjusted_wald"
    clv_margin: float = 1.0
    clv_horizon_months: float = 60.0

    def __post_init__(self) -> None:
        if isinstance(self.by, (list, str)):
            by = (self.by,) if isinstance(self.by, str) else tuple(self.by)
            object.__setattr__(self, "by", by)
        if len(set(self.by)) != len(self.by):
            raise ValueError(f"a field is repeated in by: {self.by}")
        if self.grain is not None and not isinstance(self.grain, Grain):
            object.__setattr__(self, "grain", Grain(self.grain))
        if self.nps_method not in NPS_METHODS:
            raise ValueError(f"nps_method must be one of {NPS_METHODS}, got {self.nps_method!r}")
        if not 0.0 < self.clv_margin <= 1.0:
            raise ValueError(f"clv_margin must be in (0, 1], got {self.clv_margin}")
        if not self.clv_horizon_months > 0:
            raise ValueError("clv_horizon_months must be > 0")

    @property
    def keys(self) -> tuple[str, ...]:
        """Output group columns: the by-fields, then 'period' when a grain is set."""
        return self.by + (("period",) if self.grain else ())


@dataclass(frozen=True, eq=False)
class MetricResult:
    """Tidy rows plus what produced them: the declaration, the SQL and its parameters."""

    query: MetricQuery
    metric: MetricDef
    rows: pd.DataFrame
    sql: str
    params: dict[str, Any]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `python -m cx metric` (PRODUCT.md §6)."""
        return {
            "metric": self.metric.name,
            "unit": self.metric.unit.value,
            "label": self.metric.label,
            "help": self.metric.help,
            "notes": list(self.notes),
            "rows": self.rows.to_dict(orient="records"),
        }
