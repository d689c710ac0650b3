"""Churn (or retention) rate: customers lost / customers at risk (METHODS.md §4.1). Without
dates or grain, the churned flag over customers with a known status; over a period, customers
active at each period start (S) and those of them lost within it (C)."""

from __future__ import annotations

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
        if query.grain:
            return self._calendar_periods(query, dialect, tz, params)
        start, end = query.filters.dates.start, query.filters.dates.end
        lo, hi = utc_bounds(DateRange(*local_period_starts(query.filters.dates, None), end), tz)
        periods = _values(params, [(start, lo, hi)], ("period", "lo", "hi"))
        keep = replace(query, filters=replace(query.filters, dates=DateRange()))
        base = base_cte(keep, self.metric, self.columns(), dialect, tz, params, use_dates=False)
        signup, gone, flag = col("signup_at"), col("churned_at"), col("churned")
        lo_c, hi_c = col("lo"), col("hi")
        unknown_time = exp.and_(exp.func("coalesce", flag, exp.false()), gone.is_(exp.null()))
        at_start = exp.and_(exp.or_(signup.is_(exp.null()), signup < lo_c),
                            exp.or_(gone.is_(exp.null()), gone >= lo_c), unknown_time.not_())
        keys = [col(k) for k in query.by]
        cross = exp.select(*keys, at_start.as_("at_start"),
                           exp.and_(at_start, gone < hi_c).as_("lost"),
                           unknown_time.as_("unknown")).from_("base").join(
            "periods", join_type="cross")
        aggs = [count_where(col("lost"), "churned"), count_where(col("at_start"), "n"),
                count_where(col("unknown"), "n_unknown_time")]
        tree = grouped(aggs, query.keys, source="spine")
        return Statement(with_base(tree, base, (("periods", periods), ("spine", cross))),
                         params.values)

    def _calendar_periods(self, query: MetricQuery, dialect: EngineDialect, tz: str,
                          params: Params) -> Statement:
        """Per calendar period: customers are first counted per (signup period, churn period),
        then those few rows meet the periods. A customer is active at a period's start when
        signed up in an earlier period and not lost in an earlier one; lost within it when the
        churn falls in it. Exact, because the periods are whole calendar periods of the
        reporting zone (the same local_time / period_start that group every other metric).
        Why: crossing every customer with every period cost 1.05 s at 4M customers x 13 weeks,
        this 0.15 s."""
        starts = local_period_starts(query.filters.dates, query.grain)
        periods = _values(params, [(start,) for start in starts], ("period",))
        keep = replace(query, grain=None, filters=replace(query.filters, dates=DateRange()))
        base = base_cte(keep, self.metric, self.columns(), dialect, tz, params, use_dates=False)
        grain = query.grain.value

        def period_of(ts: str) -> exp.Expression:
            return dialect.period_start(grain, dialect.local_time(col(ts), tz))

        unknown_time = exp.and_(exp.func("coalesce", col("churned"), exp.false()),
                                col("churned_at").is_(exp.null()))
        keys = [col(k) for k in query.by]
        cohorts = exp.select(*keys, period_of("signup_at").as_("joined"),
                             period_of("churned_at").as_("left"),
                             unknown_time.as_("unknown"),
                             exp.Count(this=exp.Star()).as_("customers")).from_("base").group_by(
            *keys, col("joined"), col("left"), col("unknown"))
        joined, left, period = col("joined"), col("left"), col("period")
        before = exp.or_(joined.is_(exp.null()), joined < period)
        at_start = exp.and_(before, exp.or_(left.is_(exp.null()), left >= period),
                            exp.paren(col("unknown")).not_())
        cross = exp.select(*keys, period, at_start.as_("at_start"),
                           exp.and_(at_start, left.eq(period)).as_("lost"), col("unknown"),
                           col("customers")).from_("cohorts").join("periods", join_type="cross")

        def weighted(cond: exp.Expression, alias: str) -> exp.Expression:
            total = exp.Filter(this=exp.Sum(this=col("customers")),
                               expression=exp.Where(this=cond))
            return exp.func("coalesce", total, exp.Literal.number(0)).as_(alias)

        aggs = [weighted(col("lost"), "churned"), weighted(col("at_start"), "n"),
                weighted(col("unknown"), "n_unknown_time")]
        tree = grouped(aggs, query.keys, source="spine")
        return Statement(with_base(tree, base, (("periods", periods), ("cohorts", cohorts),
                                                ("spine", cross))), params.values)

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        fn = retention_estimate if self.metric.complement else churn_estimate
        est = fn(int_of(row, "churned"), int_of(row, "n"), conf)
        extra = {"churned": int_of(row, "churned")}
        if "n_unknown_time" in row:
            extra["n_unknown_time"] = int_of(row, "n_unknown_time")
        return est, extra

    def no_data_reason(self) -> str:
        return "no customers with a known churn status in scope"


def _values(params: Params, rows: list[tuple], names: tuple[str, ...]) -> exp.Select:
    """SELECT * FROM (VALUES (...), ...) AS v(names), every value a bind parameter."""
    tuples = [exp.Tuple(expressions=[params.add(v) for v in row]) for row in rows]
    return exp.select("*").from_(exp.Values(
        expressions=tuples, alias=exp.TableAlias(this=exp.to_identifier("v"), columns=[
            exp.to_identifier(c) for c in names])))
