"""Per metric type: the plan that computes it (METHODS.md §0), picked in one place.

Every aggregate a plan asks SQL for is a count or a sum (re-aggregatable exactly by summing),
except the exact quantile of FRT and the (time, events, censored) rows that Kaplan–Meier needs.
Each plan module calls down into the tree primitives (cx.metrics.compiler) and the finishing
helpers (cx.metrics.finish); the engine asks ``plan_for`` once per query.
"""

from __future__ import annotations

from sqlglot import exp

from cx.metrics.catalog import MetricDef, MetricType
from cx.metrics.compiler import CLOSED_UNRESOLVED
from cx.metrics.plans.base import Plan, Reader
from cx.metrics.plans.churn import ChurnPlan
from cx.metrics.plans.clv import ClvPlan
from cx.metrics.plans.count import CountPlan
from cx.metrics.plans.mean import MeanPlan
from cx.metrics.plans.nps import NpsPlan
from cx.metrics.plans.quantile import QuantilePlan
from cx.metrics.plans.share import SharePlan
from cx.metrics.plans.survival import SurvivalPlan


PLANS: dict[MetricType, type[Plan]] = {
    MetricType.NPS: NpsPlan, MetricType.SHARE: SharePlan, MetricType.MEAN: MeanPlan,
    MetricType.COUNT: CountPlan, MetricType.QUANTILE: QuantilePlan,
    MetricType.SURVIVAL: SurvivalPlan, MetricType.CHURN: ChurnPlan, MetricType.CLV: ClvPlan,
}


def plan_for(metric: MetricDef) -> Plan:
    """The plan of ``metric``'s type, bound to its declaration."""
    return PLANS[metric.type](metric)


def counted(metric: MetricDef) -> exp.Expression | None:
    """The condition a record meets to count in the metric's n; None when every record counts.

    Why public: the records explorer lists exactly the records behind a chart point's n (a
    drill-down). Churn and CLV count customers by their own rules (active at a period start),
    not one record condition: None, and the explorer says so.
    """
    return plan_for(metric).counted()


# CLOSED_UNRESOLVED lives with the primitives; the tickets view has imported it from here.
__all__ = ["CLOSED_UNRESOLVED", "Plan", "Reader", "counted", "plan_for"]
