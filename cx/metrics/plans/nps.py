"""NPS: detractors (0-6), passives (7-8) and promoters (9-10) per group (METHODS.md §1)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from cx.metrics.compiler import col, count_where
from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Finished, Row, design_effect_of, int_of
from cx.metrics.plans.base import Plan, n_rows
from cx.metrics.query import MetricQuery
from cx.stats.clusters import nps_clustered
from cx.stats.nps import nps_estimate
from cx.stats.types import Estimate


@dataclass(frozen=True)
class NpsPlan(Plan):
    def columns(self) -> list[str]:
        return [self.metric.column or ""]

    def aggregates(self, dialect: EngineDialect) -> list[exp.Expression]:
        x = col(self.metric.column or "")
        return [count_where(x.between(0, 6), "det"), count_where(x.between(7, 8), "pas"),
                count_where(x.between(9, 10), "pro"), n_rows()]

    def score(self) -> exp.Expression:
        x = col(self.metric.column or "")
        return exp.Case().when(x.between(0, 6), exp.Literal.number(-1)).when(
            x.between(7, 8), exp.Literal.number(0)).when(x.between(9, 10), exp.Literal.number(1))

    def counted(self) -> exp.Expression:
        return col(self.metric.column or "").between(0, 10)

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        det, pas, pro = int_of(row, "det"), int_of(row, "pas"), int_of(row, "pro")
        est = nps_estimate(det, pas, pro, conf=conf, method=query.nps_method)
        deff, _, shown = design_effect_of(row, est.n)
        if query.nps_method == "adjusted_wald":
            est = nps_clustered(est, det, pas, pro, deff, conf)
        points = Estimate(est.value * 100, est.n, est.ci_low * 100, est.ci_high * 100,
                          est.se * 100, est.centre * 100)
        return points, {"det": det, "pas": pas, "pro": pro,
                        "n_missing": int_of(row, "n_rows") - est.n, **shown}
