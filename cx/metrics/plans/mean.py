"""Mean of valid answers on a rating scale; Student t interval clipped to the scale (§2)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sqlglot import exp

from cx.metrics.compiler import DOUBLE, agg_where, count_where
from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Finished, Row, design_effect_of, float_of, int_of, mixed_scales
from cx.metrics.plans.base import n_rows
from cx.metrics.plans.scaled import ScaledPlan
from cx.metrics.query import MetricQuery
from cx.stats.clusters import mean_clustered
from cx.stats.means import mean_estimate
from cx.stats.types import Estimate


@dataclass(frozen=True)
class MeanPlan(ScaledPlan):
    def aggregates(self, dialect: EngineDialect) -> list[exp.Expression]:
        x, smin, smax = self.scaled()
        valid = x.between(smin, smax)
        xd = exp.cast(x, DOUBLE)
        stats = [agg_where(exp.Sum, xd, valid, "total"),
                 agg_where(exp.Sum, xd * xd, valid, "total_sq")]
        return [count_where(valid, "n"), *stats, *self.scale_aggs(smin, smax, valid), n_rows()]

    def value(self, x: exp.Expression, smax: exp.Expression) -> exp.Expression:
        return exp.cast(x, DOUBLE)

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        est = mean_estimate(int_of(row, "n"), float_of(row, "total"), float_of(row, "total_sq"),
                            conf)
        deff, clusters, shown = design_effect_of(row, est.n)
        est = mean_clustered(est, deff, clusters, conf)
        return clip_to_scale(est, row), {"n_missing": int_of(row, "n_rows") - est.n,
                                         "mixed_scales": mixed_scales(row), **shown}


def clip_to_scale(est: Estimate, row: Row) -> Estimate:
    """A mean of answers on [min, max] cannot lie outside it: clip the t interval (METHODS.md §0
    clips every interval to the parameter space). Mixed scales clip to their outer ends."""
    lo, hi = row.get("scale_min_lo"), row.get("scale_max_hi")
    if lo is None or hi is None or not (math.isfinite(est.ci_low) and math.isfinite(est.ci_high)):
        return est
    if isinstance(lo, float) and math.isnan(lo) or isinstance(hi, float) and math.isnan(hi):
        return est
    return replace(est, ci_low=max(float(lo), est.ci_low), ci_high=min(float(hi), est.ci_high))
