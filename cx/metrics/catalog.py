"""The metric catalog of PRODUCT.md §2: every metric declared once, as data.

Why data and not code: the CLI, the sidebar, the help tooltips and the compiler all read the same
declaration, and `validate_catalog` can check every declaration at start-up and report all
problems at once (habit 1, after dbt MetricFlow's validation rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import assert_never

from cx.storage.schema import CANONICAL


class MetricType(StrEnum):
    """How a metric is aggregated in SQL and turned into an estimate."""

    NPS = "nps"  # det / pas / pro counts -> adjusted-Wald NPS in points
    SHARE = "share"  # top-k-box share of each record's own scale -> Wilson
    MEAN = "mean"  # n, sum, sum of squares -> t interval
    COUNT = "count"  # rows in scope
    QUANTILE = "quantile"  # n + exact quantile + order statistics -> distribution-free CI
    SURVIVAL = "survival"  # (time, events, censored) per group -> Kaplan–Meier
    CHURN = "churn"  # churned / customers at start -> Wilson
    CLV = "clv"  # mean supplied clv, else ARPU x margin / monthly churn


class Unit(StrEnum):
    POINTS = "points"
    FRACTION = "fraction"
    SCALE_POINTS = "scale points"
    COUNT = "count"
    HOURS = "hours"
    CURRENCY = "currency"


# Default scale of a score column when the record does not carry its own (PRODUCT.md §1).
DEFAULT_SCALE = {"csat": (1, 5), "ces": (1, 7)}


@dataclass(frozen=True)
class MetricDef:
    """One declaration. Type-specific knobs are plain optional fields checked by the validator."""

    name: str
    label: str
    unit: Unit
    higher_is_better: bool
    help: str
    table: str
    type: MetricType
    column: str | None = None  # the score / measure the metric reads
    top_points: int | None = None  # SHARE: how many top points of the scale count as "yes"
    q: float | None = None  # QUANTILE / SURVIVAL quantile (0.5 median, 0.9 p90)
    within_hours: float | None = None  # SURVIVAL share resolved within this many hours
    complement: bool = False  # CHURN: report 1 - churn (retention)
    dimensions: tuple[str, ...] = ()  # canonical dimensions allowed; () = all of the table's


def table_dimensions(table: str) -> tuple[str, ...]:
    """Canonical fields of a table that can group or filter (text dimensions and flags)."""
    return tuple(f.name for f in CANONICAL[table] if f.kind in ("dimension", "flag"))


_SCALE_HELP = (
    "Each answer is judged on its own declared scale (csat_scale_min/max; 1-5 when not "
    "declared); if a group mixes scales the result is flagged mixed_scales."
)
_NPS_HELP = (
    "NPS = % promoters (9-10) minus % detractors (0-6) of valid 0-10 answers, in points "
    "(-100..100). 95% interval: adjusted Wald (Rocks 2016), score interval on request."
)
_CHURN_BASE = (
    "Standard definition: churned / customers at the start of the period (C/S), NOT churned / "
    "customers acquired, which measures replacement, not attrition (METHODS.md 4.1). With a churn "
    "flag and no period: churned / customers in scope. With a date range: customers active at its "
    "start who churned within it (needs churned_at). Wilson 95% interval."
)
_CLV_HELP = (
    "Mean of the supplied clv when the data has one (t interval); otherwise monthly_revenue x "
    "margin / monthly churn, where monthly churn = churned / customer-months at risk (sum of "
    "tenure_months). Assumptions: margin 1.0 unless set (revenue-based, not profit), constant "
    "churn, lifetime capped at 60 months; an estimate without an interval (METHODS.md 4.2)."
)
_TTR_HELP = (
    "Kaplan-Meier on resolution_hours; open tickets are censored at their age at as_of (default: "
    "latest timestamp in the tickets table), tickets closed without resolution (spam, merged, "
    "duplicate, abandoned, cancelled) are excluded as a competing risk (METHODS.md 4.4). "
    "Durations are rounded to the minute before the curve is fitted (at most 30 seconds off)."
)


def _m(name: str, label: str, unit: Unit, hib: bool, help_: str, table: str, type_: MetricType,
       **kw: object) -> MetricDef:
    return MetricDef(name, label, unit, hib, help_, table, type_, **kw)  # type: ignore[arg-type]


R, T, C = "responses", "tickets", "customers"
CATALOG: tuple[MetricDef, ...] = (
    _m("nps", "NPS", Unit.POINTS, True, _NPS_HELP, R, MetricType.NPS, column="nps"),
    _m("csat", "CSAT (top-2-box)", Unit.FRACTION, True,
       "Share of satisfied answers = answers in the top 2 points of their scale / valid answers. "
       + _SCALE_HELP + " Wilson 95% interval.", R, MetricType.SHARE, column="csat", top_points=2),
    _m("csat_mean", "CSAT mean", Unit.SCALE_POINTS, True,
       "Mean satisfaction = sum of valid answers / their number, in scale points. " + _SCALE_HELP
       + " Student t 95% interval.", R, MetricType.MEAN, column="csat"),
    _m("ticket_csat", "Ticket CSAT (top-2-box)", Unit.FRACTION, True,
       "Post-ticket satisfaction: answers in the top 2 points of their scale / valid ratings "
       "stored on tickets. " + _SCALE_HELP + " Wilson 95% interval.",
       T, MetricType.SHARE, column="csat", top_points=2),
    _m("ticket_csat_mean", "Ticket CSAT mean", Unit.SCALE_POINTS, True,
       "Mean post-ticket satisfaction = sum of valid ticket ratings / their number. "
       + _SCALE_HELP + " Student t 95% interval.", T, MetricType.MEAN, column="csat"),
    _m("ces", "CES mean", Unit.SCALE_POINTS, True,
       "Customer effort score = mean of valid effort answers (stored so that higher = easier, "
       "1-7 unless declared). Student t 95% interval.", R, MetricType.MEAN, column="ces"),
    _m("ces_easy", "CES % easy", Unit.FRACTION, True,
       "Share of easy answers = answers in the top 3 points of their scale (5-7 on 1-7) / valid "
       "answers. Wilson 95% interval.", R, MetricType.SHARE, column="ces", top_points=3),
    _m("responses", "Responses", Unit.COUNT, True,
       "Number of survey responses in scope (rows of the responses table).", R, MetricType.COUNT),
    _m("tickets", "Tickets", Unit.COUNT, True,
       "Number of support tickets in scope (rows of the tickets table).", T, MetricType.COUNT),
    _m("customers", "Customers", Unit.COUNT, True,
       "Number of customers in scope (rows of the customers table).", C, MetricType.COUNT),
    _m("frt_median", "First response time, median", Unit.HOURS, False,
       "Median of first_response_hours over tickets that got a first response (linear quantile); "
       "waiting_share = tickets still waiting / all tickets. 95% order-statistic interval.",
       T, MetricType.QUANTILE, column="first_response_hours", q=0.5),
    _m("frt_p90", "First response time, p90", Unit.HOURS, False,
       "90th percentile of first_response_hours over tickets that got a first response (linear "
       "quantile); its interval needs at least 36 tickets. waiting_share is shown beside it.",
       T, MetricType.QUANTILE, column="first_response_hours", q=0.9),
    _m("ttr_median", "Time to resolution, median", Unit.HOURS, False,
       "Time by which half the tickets are resolved = first t with S(t) <= 0.5. " + _TTR_HELP,
       T, MetricType.SURVIVAL, column="resolution_hours", q=0.5),
    _m("ttr_p90", "Time to resolution, p90", Unit.HOURS, False,
       "Time by which 90% of tickets are resolved = first t with S(t) <= 0.1 (not reached: "
       "shown as > longest follow-up). "
       + _TTR_HELP, T, MetricType.SURVIVAL, column="resolution_hours", q=0.9),
    _m("resolved_within_24h", "Resolved within 24 h", Unit.FRACTION, True,
       "Share of tickets resolved within 24 hours = 1 - S(24). " + _TTR_HELP,
       T, MetricType.SURVIVAL, column="resolution_hours", within_hours=24.0),
    _m("churn_rate", "Churn rate", Unit.FRACTION, False,
       "Churn rate. " + _CHURN_BASE, C, MetricType.CHURN, column="churned"),
    _m("retention_rate", "Retention rate", Unit.FRACTION, True,
       "Retention = 1 - churn rate on the same base. " + _CHURN_BASE,
       C, MetricType.CHURN, column="churned", complement=True),
    _m("clv", "Customer lifetime value", Unit.CURRENCY, True, _CLV_HELP, C, MetricType.CLV,
       column="clv"),
)

def expected_unit(metric: MetricDef) -> tuple[Unit, ...]:
    """Units a metric type may carry (a share of time-to-resolution is a fraction)."""
    match metric.type:
        case MetricType.NPS:
            return (Unit.POINTS,)
        case MetricType.SHARE | MetricType.CHURN:
            return (Unit.FRACTION,)
        case MetricType.MEAN:
            return (Unit.SCALE_POINTS,)
        case MetricType.COUNT:
            return (Unit.COUNT,)
        case MetricType.QUANTILE:
            return (Unit.HOURS,)
        case MetricType.SURVIVAL:
            return (Unit.FRACTION,) if metric.within_hours is not None else (Unit.HOURS,)
        case MetricType.CLV:
            return (Unit.CURRENCY,)
        case _:
            assert_never(metric.type)
