"""Customer lifetime value: the mean supplied clv, else ARPU x margin / monthly churn hazard,
capped at a lifetime horizon (METHODS.md §4.2)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlglot import exp

from cx.metrics.compiler import agg_where, col, count_where
from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Finished, Row, float_of, int_of
from cx.metrics.plans.base import Plan, n_rows
from cx.metrics.query import MetricQuery
from cx.stats.means import mean_estimate
from cx.stats.rates import clv_simple
from cx.stats.types import Estimate, empty_estimate


@dataclass(frozen=True)
class ClvPlan(Plan):
    def columns(self) -> list[str]:
        return ["clv", "monthly_revenue", "churned", "tenure_months"]

    def aggregates(self, dialect: EngineDialect) -> list[exp.Expression]:
        clv, rev = col("clv"), col("monthly_revenue")
        ten, churned = col("tenure_months"), col("churned")
        known = exp.and_(churned.is_(exp.null()).not_(), ten >= 0)
        return [exp.Count(this=clv).as_("n_clv"), exp.Sum(this=clv).as_("total"),
                exp.Sum(this=clv * clv).as_("total_sq"), exp.Count(this=rev).as_("n_rev"),
                exp.Sum(this=rev).as_("revenue"),
                count_where(exp.and_(known, churned), "churned"),
                agg_where(exp.Sum, ten, known, "months"), n_rows()]

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        """Supplied clv when present; else ARPU x margin / monthly hazard, capped (§4.2)."""
        if int_of(row, "n_clv") > 0:
            est = mean_estimate(int_of(row, "n_clv"), float_of(row, "total"),
                                float_of(row, "total_sq"), conf)
            return est, {"clv_source": "supplied"}
        n_rev, months = int_of(row, "n_rev"), float_of(row, "months")
        extra: dict[str, Any] = {"clv_source": "derived", "margin": query.clv_margin,
                                 "horizon_months": query.clv_horizon_months}
        if n_rev == 0 or months <= 0:
            return empty_estimate(n_rev), {**extra, "clv_source": "none"}
        arpu = float_of(row, "revenue") / n_rev
        churn = min(int_of(row, "churned") / months, 1.0)
        value = clv_simple(arpu, query.clv_margin, churn, query.clv_horizon_months)
        # the lifetime hit its cap: the CLV is the cap's, not the data's (flagged for the page)
        capped = churn == 0 or 1.0 / churn >= query.clv_horizon_months
        return Estimate(value, n_rev, math.nan, math.nan), {**extra, "arpu": arpu,
                                                             "monthly_churn": churn,
                                                             "horizon_capped": capped}

    def no_data_reason(self) -> str:
        return "no clv, or no monthly_revenue with churn and tenure, in scope"

    def notes(self, rows: pd.DataFrame) -> list[str]:
        notes = super().notes(rows)
        if "clv_source" in rows and (rows["clv_source"] == "derived").any():
            notes.append("CLV derived as monthly_revenue x margin / monthly churn (churned / "
                         "customer-months); margin and a lifetime cap are assumptions")
        if "horizon_capped" in rows and (rows["horizon_capped"] == True).any():  # noqa: E712
            notes.append("CLV hit the lifetime cap (horizon_capped): churn is too low in the "
                         "data to measure a lifetime, so the value is ARPU x margin x the cap")
        return notes
