"""Share: answers in the top points of their scale / valid answers; Wilson interval (§2)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from cx.metrics.compiler import count_where
from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Finished, Row, design_effect_of, int_of, mixed_scales
from cx.metrics.plans.base import n_rows
from cx.metrics.plans.scaled import ScaledPlan
from cx.metrics.query import MetricQuery
from cx.stats.clusters import wilson_clustered
from cx.stats.proportions import wilson


@dataclass(frozen=True)
class SharePlan(ScaledPlan):
    def aggregates(self, dialect: EngineDialect) -> list[exp.Expression]:
        x, smin, smax = self.scaled()
        valid = x.between(smin, smax)
        stats = [count_where(exp.and_(valid, self.top(x, smax)), "x")]
        return [count_where(valid, "n"), *stats, *self.scale_aggs(smin, smax, valid), n_rows()]

    def value(self, x: exp.Expression, smax: exp.Expression) -> exp.Expression:
        return exp.Case().when(self.top(x, smax), exp.Literal.number(1)).else_(
            exp.Literal.number(0))

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        est = wilson(int_of(row, "x"), int_of(row, "n"), conf)
        deff, _, shown = design_effect_of(row, est.n)
        return wilson_clustered(est, deff, conf), {
            "x": int_of(row, "x"), "n_missing": int_of(row, "n_rows") - est.n,
            "mixed_scales": mixed_scales(row), **shown}
