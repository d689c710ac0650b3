"""Count: records in scope per group (no interval: the count is the population, not a sample)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlglot import exp

from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Finished, Row, int_of
from cx.metrics.plans.base import Plan, n_rows
from cx.metrics.query import MetricQuery
from cx.stats.types import Estimate


@dataclass(frozen=True)
class CountPlan(Plan):
    def columns(self) -> list[str]:
        return []

    def aggregates(self, dialect: EngineDialect) -> list[exp.Expression]:
        return [n_rows()]

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        n = int_of(row, "n_rows")
        return Estimate(float(n), n, math.nan, math.nan), {}
