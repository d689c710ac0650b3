"""What share and mean metrics on a rating scale share: the declared (or default) scale, the
valid-answer condition, the scale aggregates and the per-scale statement (METHODS.md §2)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlglot import exp

from cx.metrics.catalog import DEFAULT_SCALE
from cx.metrics.compiler import Params, Statement, agg_where, base_cte, col, with_base
from cx.metrics.dialects import EngineDialect
from cx.metrics.plans.base import Plan
from cx.metrics.query import MetricQuery


@dataclass(frozen=True)
class ScaledPlan(Plan):
    def columns(self) -> list[str]:
        c = self.metric.column or ""
        return [c, f"{c}_scale_min", f"{c}_scale_max"]

    def scaled(self) -> tuple[exp.Expression, exp.Expression, exp.Expression]:
        """(score, scale min, scale max) with the default scale where a record declares none."""
        c = self.metric.column or ""
        lo, hi = DEFAULT_SCALE[c]
        smin = exp.func("coalesce", col(f"{c}_scale_min"), exp.Literal.number(lo))
        smax = exp.func("coalesce", col(f"{c}_scale_max"), exp.Literal.number(hi))
        return col(c), smin, smax

    def top(self, x: exp.Expression, smax: exp.Expression) -> exp.Expression:
        """An answer in the top ``top_points`` of its scale."""
        return x >= smax - exp.Literal.number((self.metric.top_points or 1) - 1)

    def value(self, x: exp.Expression, smax: exp.Expression) -> exp.Expression:
        """A valid answer's score (its mean is the metric)."""
        raise NotImplementedError

    def score(self) -> exp.Expression:
        x, smin, smax = self.scaled()
        return exp.Case().when(x.between(smin, smax), self.value(x, smax))

    @staticmethod
    def scale_aggs(smin: exp.Expression, smax: exp.Expression, valid: exp.Expression) -> list:
        """Smallest and largest declared scale ends, so results can say when scales are mixed."""
        return [agg_where(exp.Min, smin, valid, "scale_min_lo"),
                agg_where(exp.Max, smin, valid, "scale_min_hi"),
                agg_where(exp.Min, smax, valid, "scale_max_lo"),
                agg_where(exp.Max, smax, valid, "scale_max_hi")]

    def counted(self) -> exp.Expression:
        x, smin, smax = self.scaled()
        return x.between(smin, smax)

    def scale_statement(self, query: MetricQuery, dialect: EngineDialect,
                        tz: str) -> Statement | None:
        """Valid answers per declared scale (scale_min, scale_max, n) in the query's scope;
        None for a column without a rating scale."""
        if self.metric.column not in DEFAULT_SCALE:
            return None
        params = Params()
        scope = replace(query, by=(), grain=None)
        base = base_cte(scope, self.metric, self.columns(), dialect, tz, params)
        x, smin, smax = self.scaled()
        tree = exp.select(smin.as_("scale_min"), smax.as_("scale_max"),
                          exp.Count(this=exp.Star()).as_("n")).from_("base").where(
            x.between(smin, smax)).group_by(smin, smax).order_by(smin, smax)
        return Statement(with_base(tree, base), params.values)
