"""Quantile of a duration (first response time): the exact linear quantile in SQL, and its
order-statistic interval from a second statement at binomial ranks (METHODS.md §4.3)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd
from sqlglot import exp

from cx.metrics.compiler import (
    Params,
    Statement,
    base_cte,
    col,
    count_where,
    resolved_unknown_time,
    with_base,
)
from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Finished, Item, Row, int_of
from cx.metrics.plans.base import Plan, Reader, n_rows
from cx.metrics.query import MetricQuery
from cx.stats.quantiles import quantile_ci_ranks
from cx.stats.types import Estimate


@dataclass(frozen=True)
class QuantilePlan(Plan):
    def columns(self) -> list[str]:
        # resolved: a ticket resolved at an unknown time is not waiting
        return [self.metric.column or "", *(["resolved"] if self.metric.table == "tickets" else [])]

    def aggregates(self, dialect: EngineDialect) -> list[exp.Expression]:
        x = col(self.metric.column or "")
        valid = x >= 0
        waiting = x.is_(exp.null())
        if self.metric.table == "tickets":  # resolved at an unknown time: out of FRT, not waiting
            waiting = exp.and_(waiting, resolved_unknown_time(x).not_())
        return [count_where(valid, "n"), count_where(waiting, "waiting"),
                exp.Filter(this=dialect.quantile(x, self.metric.q or 0.5),
                           expression=exp.Where(this=valid)).as_("value"), n_rows()]

    def counted(self) -> exp.Expression:
        return col(self.metric.column or "") >= 0

    def order_statistics(self, query: MetricQuery, dialect: EngineDialect, tz: str,
                         ranks: list[int]) -> Statement:
        """Second statement for quantile CIs: the values at the needed 1-based ranks, per group.

        The ranks depend on each group's n (binomial quantiles), which SQL cannot compute
        portably, so they are asked for after the first statement returned n; at most a few
        rows per group.
        """
        params = Params()
        base = base_cte(query, self.metric, self.columns(), dialect, tz, params)
        x = col(self.metric.column or "")
        window = exp.Window(this=exp.RowNumber(), partition_by=[col(k) for k in query.keys] or None,
                            order=exp.Order(expressions=[exp.Ordered(this=x)]))
        ranked = exp.select(*[col(k) for k in query.keys], x.as_("x"), window.as_("rk")).from_(
            "base").where(x >= 0)
        pick = exp.select(*[col(k) for k in query.keys], col("rk"), col("x")).from_(
            "ranked").where(col("rk").isin(*[params.add(int(r)) for r in ranks]))
        return Statement(with_base(pick, base, (("ranked", ranked),)), params.values)

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        """Value from SQL; the CI ends are filled in by ``finish`` from the order statistics."""
        n, total = int_of(row, "n"), int_of(row, "n_rows")
        value = row.get("value")
        est = Estimate(math.nan if value is None else float(value), n, math.nan, math.nan)
        waiting = int_of(row, "waiting")
        return est, {"waiting": waiting, "waiting_share": waiting / total if total else math.nan}

    def finish(self, query: MetricQuery, stats: pd.DataFrame, conf: float,
               reader: Reader) -> list[Item]:
        """Fill each group's CI with the order statistics at its binomial ranks (§4.3)."""
        items, keys = self.finish_rows(query, stats, conf), query.keys
        ranks = [quantile_ci_ranks(est.n, self.metric.q or 0.5, conf) for _, est, _ in items]
        wanted = sorted({r for pair in ranks for r in pair if r is not None})
        if not wanted:
            return items
        statement = self.order_statistics(query, reader.dialect, reader.tz, wanted)
        found = {(tuple(r[k] for k in keys), r["rk"]): r["x"]
                 for r in reader.fetch(statement).to_dict(orient="records")}
        out = []
        for (key, est, extra), (lo, hi) in zip(items, ranks, strict=True):
            group = tuple(key[k] for k in keys)
            low = found.get((group, lo), math.nan) if lo else math.nan
            high = found.get((group, hi), math.nan) if hi else math.nan
            out.append((key, replace(est, ci_low=float(low), ci_high=float(high)), extra))
        return out
