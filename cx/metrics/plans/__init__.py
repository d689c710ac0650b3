"""Per metric type: which sufficient statistics the statement aggregates (METHODS.md §0).

Every aggregate is a count or a sum (re-aggregatable exactly by summing), except the exact
quantile of FRT and the (time, events, censored) rows that Kaplan–Meier needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import assert_never

from sqlglot import exp

from cx.domain import DateRange
from cx.metrics.catalog import DEFAULT_SCALE, MetricDef, MetricType
from cx.metrics.compiler import (
    Params,
    Statement,
    agg_where,
    base_cte,
    col,
    count_where,
    grouped,
    local_period_starts,
    metric_columns,
    next_period,
    utc_bounds,
    with_base,
)
from cx.metrics.dialects import EngineDialect
from cx.metrics.query import MetricQuery
from cx.storage.schema import NATURAL_KEY

DOUBLE = exp.DataType.Type.DOUBLE
# Ticket statuses that mean "closed without a resolution": a competing risk, not censoring.
CLOSED_UNRESOLVED = (
    "closed without resolution", "closed_unresolved", "unresolved", "spam", "merged",
    "duplicate", "abandoned", "cancelled", "canceled",
)


def _scaled(metric: MetricDef) -> tuple[exp.Expression, exp.Expression, exp.Expression]:
    """(score, scale min, scale max) with the default scale where a record declares none."""
    c = metric.column or ""
    lo, hi = DEFAULT_SCALE[c]
    smin = exp.func("coalesce", col(f"{c}_scale_min"), exp.Literal.number(lo))
    smax = exp.func("coalesce", col(f"{c}_scale_max"), exp.Literal.number(hi))
    return col(c), smin, smax


def _scale_aggs(smin: exp.Expression, smax: exp.Expression, valid: exp.Expression) -> list:
    """Smallest and largest declared scale ends, so results can say when scales are mixed."""
    return [agg_where(exp.Min, smin, valid, "scale_min_lo"),
            agg_where(exp.Max, smin, valid, "scale_min_hi"),
            agg_where(exp.Min, smax, valid, "scale_max_lo"),
            agg_where(exp.Max, smax, valid, "scale_max_hi")]


def aggregates(metric: MetricDef, dialect: EngineDialect) -> list:
    n_rows = exp.Count(this=exp.Star()).as_("n_rows")
    match metric.type:
        case MetricType.NPS:
            x = col(metric.column or "")
            return [count_where(x.between(0, 6), "det"), count_where(x.between(7, 8), "pas"),
                    count_where(x.between(9, 10), "pro"), n_rows]
        case MetricType.SHARE | MetricType.MEAN:
            x, smin, smax = _scaled(metric)
            valid = x.between(smin, smax)
            xd = exp.cast(x, DOUBLE)
            if metric.type is MetricType.SHARE:
                top = x >= smax - exp.Literal.number((metric.top_points or 1) - 1)
                stats = [count_where(exp.and_(valid, top), "x")]
            else:
                stats = [agg_where(exp.Sum, xd, valid, "total"),
                         agg_where(exp.Sum, xd * xd, valid, "total_sq")]
            return [count_where(valid, "n"), *stats, *_scale_aggs(smin, smax, valid), n_rows]
        case MetricType.COUNT:
            return [n_rows]
        case MetricType.QUANTILE:
            x = col(metric.column or "")
            valid = x >= 0
            waiting = x.is_(exp.null())
            if metric.table == "tickets":  # resolved at an unknown time: out of FRT, not waiting
                waiting = exp.and_(waiting, _resolved_unknown_time(x).not_())
            return [count_where(valid, "n"), count_where(waiting, "waiting"),
                    exp.Filter(this=dialect.quantile(x, metric.q or 0.5),
                               expression=exp.Where(this=valid)).as_("value"), n_rows]
        case MetricType.SURVIVAL | MetricType.CHURN:
            raise ValueError(f"{metric.type} has its own statement shape")
        case MetricType.CLV:
            clv, rev = col("clv"), col("monthly_revenue")
            ten, churned = col("tenure_months"), col("churned")
            known = exp.and_(churned.is_(exp.null()).not_(), ten >= 0)
            return [exp.Count(this=clv).as_("n_clv"), exp.Sum(this=clv).as_("total"),
                    exp.Sum(this=clv * clv).as_("total_sq"), exp.Count(this=rev).as_("n_rev"),
                    exp.Sum(this=rev).as_("revenue"),
                    count_where(exp.and_(known, churned), "churned"),
                    agg_where(exp.Sum, ten, known, "months"), n_rows]
        case _:
            assert_never(metric.type)


def main_statement(query: MetricQuery, metric: MetricDef, dialect: EngineDialect,
                   tz: str) -> Statement:
    """The one statement returning sufficient statistics per group for ``query``."""
    params = Params()
    if metric.type is MetricType.SURVIVAL:
        return _survival(query, metric, dialect, tz, params)
    if metric.type is MetricType.CHURN and (query.grain or query.filters.dates != DateRange()):
        return _churn_periods(query, metric, dialect, tz, params)
    if metric.type is MetricType.CHURN:
        base = base_cte(query, metric, ["churned"], dialect, tz, params)
        churned = col("churned")
        aggs = [count_where(churned, "churned"), exp.Count(this=churned).as_("n"),
                exp.Count(this=exp.Star()).as_("n_rows")]
        return Statement(with_base(grouped(aggs, query.keys), base), params.values)
    base = base_cte(query, metric, metric_columns(metric), dialect, tz, params)
    tree = with_base(grouped(aggregates(metric, dialect), query.keys), base)
    return Statement(tree, params.values)


def _resolved_unknown_time(duration: exp.Expression) -> exp.Expression:
    """A ticket flagged resolved (a yes/no column) without a time: neither open (censored) nor
    waiting; excluded from time metrics, like a ticket closed without resolution."""
    return exp.and_(exp.func("coalesce", col("resolved"), exp.false()), duration.is_(exp.null()))


def latest_ticket_time() -> exp.Expression:
    """Default as_of: the latest timestamp anywhere in the tickets table (deterministic)."""
    latest = exp.func("greatest", exp.Max(this=col("opened_at")),
                      exp.Max(this=col("first_response_at")), exp.Max(this=col("resolved_at")))
    return exp.Subquery(this=exp.select(latest).from_("tickets"))


def _survival(query: MetricQuery, metric: MetricDef, dialect: EngineDialect, tz: str,
              params: Params) -> Statement:
    """Rows (keys, t, events, censored, excluded): one per distinct duration per group."""
    base = base_cte(query, metric, metric_columns(metric), dialect, tz, params)
    as_of = params.add(query.as_of) if query.as_of else latest_ticket_time()
    res, status = col("resolution_hours"), exp.func("lower", col("status"))
    unresolved = status.isin(*[exp.Literal.string(s) for s in CLOSED_UNRESOLVED])
    age = (dialect.epoch_seconds(as_of) - dialect.epoch_seconds(col("opened_at"))) / 3600.0
    t = exp.Case().when(res >= 0, res).when(
        exp.and_(res.is_(exp.null()), exp.func("coalesce", unresolved, exp.false()).not_(),
                 _resolved_unknown_time(res).not_()), age)
    event = exp.func("coalesce", res >= 0, exp.false())
    keys = [col(k) for k in query.keys]
    # Rounded to the minute so the rows returned are bounded by distinct minutes, not tickets
    # (20M tickets gave 2M distinct durations); moves KM quantiles by at most 30 seconds.
    minute = exp.func("round", t * 60.0) / 60.0
    obs = exp.select(*keys, minute.as_("t"), event.as_("event")).from_("base")
    ok = col("t") >= 0
    aggs = [count_where(exp.and_(ok, col("event")), "events"),
            count_where(exp.and_(ok, col("event").not_()), "censored"),
            count_where(exp.func("coalesce", ok, exp.false()).not_(), "excluded")]
    tree = grouped(aggs, query.keys + ("t",), source="obs")
    return Statement(with_base(tree, base, (("obs", obs),)), params.values)


def _churn_periods(query: MetricQuery, metric: MetricDef, dialect: EngineDialect, tz: str,
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
    base = base_cte(keep, metric, metric_columns(metric), dialect, tz, params, use_dates=False)
    signup, gone, flag = col("signup_at"), col("churned_at"), col("churned")
    lo, hi = col("lo"), col("hi")
    unknown_time = exp.and_(exp.func("coalesce", flag, exp.false()), gone.is_(exp.null()))
    at_start = exp.and_(exp.or_(signup.is_(exp.null()), signup < lo),
                        exp.or_(gone.is_(exp.null()), gone >= lo), unknown_time.not_())
    keys = [col(k) for k in query.by] + ([col("period")] if query.grain else [])
    cross = exp.select(*keys, at_start.as_("at_start"), exp.and_(at_start, gone < hi).as_("lost"),
                       unknown_time.as_("unknown")).from_("base").join("periods", join_type="cross")
    aggs = [count_where(col("lost"), "churned"), count_where(col("at_start"), "n"),
            count_where(col("unknown"), "n_unknown_time")]
    tree = grouped(aggs, query.keys, source="spine")
    return Statement(with_base(tree, base, (("periods", periods), ("spine", cross))), params.values)


def order_statistics(query: MetricQuery, metric: MetricDef, dialect: EngineDialect, tz: str,
                     ranks: list[int]) -> Statement:
    """Second statement for quantile CIs: the values at the needed 1-based ranks, per group.

    The ranks depend on each group's n (binomial quantiles), which SQL cannot compute portably,
    so they are asked for after the first statement returned n; at most a few rows per group.
    """
    params = Params()
    base = base_cte(query, metric, metric_columns(metric), dialect, tz, params)
    x = col(metric.column or "")
    window = exp.Window(this=exp.RowNumber(), partition_by=[col(k) for k in query.keys] or None,
                        order=exp.Order(expressions=[exp.Ordered(this=x)]))
    ranked = exp.select(*[col(k) for k in query.keys], x.as_("x"), window.as_("rk")).from_(
        "base").where(x >= 0)
    pick = exp.select(*[col(k) for k in query.keys], col("rk"), col("x")).from_("ranked").where(
        col("rk").isin(*[params.add(int(r)) for r in ranks]))
    return Statement(with_base(pick, base, (("ranked", ranked),)), params.values)


def counted(metric: MetricDef) -> exp.Expression | None:
    """The condition a record meets to count in the metric's n; None when every record counts.

    Why public: the records explorer lists exactly the records behind a chart point's n (a
    drill-down). Churn and CLV count customers by their own rules (active at a period start),
    not one record condition: None, and the explorer says so.
    """
    match metric.type:
        case MetricType.NPS:
            return col(metric.column or "").between(0, 10)
        case MetricType.SHARE | MetricType.MEAN:
            x, smin, smax = _scaled(metric)
            return x.between(smin, smax)
        case MetricType.QUANTILE:
            return col(metric.column or "") >= 0
        case MetricType.SURVIVAL:  # resolved, or still open (censored); not closed unresolved
            res, status = col("resolution_hours"), exp.func("lower", col("status"))
            closed = status.isin(*[exp.Literal.string(s) for s in CLOSED_UNRESOLVED])
            still_open = exp.and_(res.is_(exp.null()),
                                  exp.func("coalesce", closed, exp.false()).not_())
            return exp.or_(res >= 0, still_open)
        case _:
            return None


def scale_statement(query: MetricQuery, metric: MetricDef, dialect: EngineDialect,
                    tz: str) -> Statement | None:
    """Valid answers per declared scale (scale_min, scale_max, n) in the query's scope, for
    share and mean metrics on a rating column; None for metrics without a scale."""
    if metric.type not in (MetricType.SHARE, MetricType.MEAN) or metric.column not in DEFAULT_SCALE:
        return None
    params = Params()
    scope = replace(query, by=(), grain=None)
    base = base_cte(scope, metric, metric_columns(metric), dialect, tz, params)
    x, smin, smax = _scaled(metric)
    tree = exp.select(smin.as_("scale_min"), smax.as_("scale_max"),
                      exp.Count(this=exp.Star()).as_("n")).from_("base").where(
        x.between(smin, smax)).group_by(smin, smax).order_by(smin, smax)
    return Statement(with_base(tree, base), params.values)


def _score(metric: MetricDef) -> exp.Expression:
    """Per-answer score whose mean is the metric (NULL for an invalid answer), §0.1."""
    if metric.type is MetricType.NPS:
        x = col(metric.column or "")
        return exp.Case().when(x.between(0, 6), exp.Literal.number(-1)).when(
            x.between(7, 8), exp.Literal.number(0)).when(x.between(9, 10), exp.Literal.number(1))
    x, smin, smax = _scaled(metric)
    if metric.type is MetricType.SHARE:
        top = x >= smax - exp.Literal.number((metric.top_points or 1) - 1)
        value: exp.Expression = exp.Case().when(top, exp.Literal.number(1)).else_(
            exp.Literal.number(0))
    else:
        value = exp.cast(x, DOUBLE)
    return exp.Case().when(x.between(smin, smax), value)


def cluster_statement(query: MetricQuery, metric: MetricDef, dialect: EngineDialect,
                      tz: str) -> Statement | None:
    """Per group: customers (clusters) and the sums of cx.stats.clusters.ClusterSums, for
    NPS, share and mean metrics. An answer without a customer id is its own cluster."""
    if metric.type not in (MetricType.NPS, MetricType.SHARE, MetricType.MEAN):
        return None
    params = Params()
    key = NATURAL_KEY[metric.table]
    columns = metric_columns(metric) + ["customer_id", key]
    base = base_cte(query, metric, columns, dialect, tz, params)
    cluster = exp.func("coalesce", exp.cast(col("customer_id"), exp.DataType.Type.VARCHAR),
                       exp.func("concat", exp.Literal.string("answer:"), col(key)))
    keys = [col(k) for k in query.keys]
    scored = exp.select(*keys, cluster.as_("cluster"), _score(metric).as_("s")).from_("base")
    s, sd = col("s"), exp.cast(col("s"), DOUBLE)
    per = exp.select(*keys, exp.Count(this=s).as_("nc"), exp.Sum(this=sd).as_("sc"),
                     exp.Sum(this=sd * sd).as_("qc")).from_("scored").group_by(
        *keys, col("cluster"))
    nc, sc = exp.cast(col("nc"), DOUBLE), col("sc")
    aggs = [count_where(col("nc") > 0, "cl_clusters"), exp.Sum(this=col("nc")).as_("cl_n"),
            exp.Sum(this=sc).as_("cl_s1"), exp.Sum(this=col("qc")).as_("cl_s2"),
            exp.Sum(this=sc * sc).as_("cl_ss"), exp.Sum(this=nc * sc).as_("cl_ns"),
            exp.Sum(this=nc * nc).as_("cl_nn")]
    tree = grouped(aggs, query.keys, source="per_cluster")
    return Statement(with_base(tree, base, (("scored", scored), ("per_cluster", per))),
                     params.values)
