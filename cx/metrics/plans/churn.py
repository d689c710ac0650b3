"""Churn (or retention) rate: customers lost / customers at risk (METHODS.md §4.1). Without
dates or grain, the churned flag over customers with a known status; over a period, customers
active at each period start (S) and those of them lost within it (C)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlglot import exp

from cx.domain import DateRange
from cx.metrics.compiler import (
    Params,
    Statement,
    base_cte,
    col,
    count_where,
    grouped,
    local_period_starts,
    next_period,
    utc_bounds,
    with_base,
)
from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Finished, Row, int_of
from cx.metrics.plans.base import Plan
from cx.metrics.query import MetricQuery
from cx.stats.rates import churn_estimate, retention_estimate


@dataclass(frozen=True)
class ChurnPlan(Plan):
    def columns(self) -> list[str]:
        return ["churned", "churned_at", "signup_at"]

    def statement(self, query: MetricQuery, dialect: EngineDialect, tz: str) -> Statement:
        params = Params()
        if query.grain or query.filters.dates != DateRange():
            return self._periods(query, dialect, tz, params)
        base = base_cte(query, self.metric, ["churned"], dialect, tz, params)
        churned = col("churned")
        aggs = [count_where(churned, "churned"), exp.Count(this=churned).as_("n"),
                exp.Count(this=exp.Star()).as_("n_rows")]
        return Statement(with_base(grouped(aggs, query.keys), base), params.values)

    def _periods(self, query: MetricQuery, dialect: EngineDialect, tz: str,
                 params: Params) -> Statement:
        """Customers active at each period start (S) and those of them lost within it (C)."""
        rows = []
        for start in local_period_starts(query.filters.dates, query.grain):
            end = next_period(start, query.grain) if query.grain else query.filters.dates.end
            end_incl = end - dt.timedelta(days=1) if query.grain else end
            lo, hi = utc_bounds(DateRange(start, end_incl), tz)
            rows.append(exp.Tuple(expressions=[params.add(start), params.add(lo), params.add(hi)]))
        periods = exp.select("*").from_(exp.Values(
            expressions=rows, alias=exp.TableAlias(this=exp.to_identifier("v"), columns=[
                exp.to_identifier(c) for c in ("period", "lo", "hi")])))
        keep = replace(query, grain=None, filters=replace(query.filters, dates=DateRange()))
        base = base_cte(keep, self.metric, self.columns(), dialect, tz, params, use_dates=False)
        signup, gone, flag = col("signup_at"), col("churned_at"), col("churned")
        lo, hi = col("lo"), col("hi")
        unknown_time = exp.and_(exp.func("coalesce", flag, exp.false()), gone.is_(exp.null()))
        at_start = exp.and_(exp.or_(signup.is_(exp.null()), signup < lo),
                            exp.or_(gone.is_(exp.null()), gone >= lo), unknown_time.not_())
        keys = [col(k) for k in query.by] + ([col("period")] if query.grain else [])
        cross = exp.select(*keys, at_start.as_("at_start"),
                           exp.and_(at_start, gone < hi).as_("lost"),
                           unknown_time.as_("unknown")).from_("base").join(
            "periods", join_type="cross")
        aggs = [count_where(col("lost"), "churned"), count_where(col("at_start"), "n"),
                count_where(col("unknown"), "n_unknown_time")]
        tree = grouped(aggs, query.keys, source="spine")
        return Statement(with_base(tree, base, (("periods", periods), ("spine", cross))),
                         params.values)

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        fn = retention_estimate if self.metric.complement else churn_estimate
        est = fn(int_of(row, "churned"), int_of(row, "n"), conf)
        extra = {"churned": int_of(row, "churned")}
        if "n_unknown_time" in row:
            extra["n_unknown_time"] = int_of(row, "n_unknown_time")
        return est, extra

    def no_data_reason(self) -> str:
        return "no customers with a known churn status in scope"
