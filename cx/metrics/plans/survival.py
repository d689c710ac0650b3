"""Time to resolution by Kaplan–Meier: one row per (group, minute, events, censored, excluded)
from SQL, the curve and its quantiles or S(t) in Python (METHODS.md §4)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlglot import exp

from cx.metrics.catalog import MetricDef
from cx.metrics.compiler import (
    CLOSED_UNRESOLVED,
    Params,
    Statement,
    base_cte,
    col,
    count_where,
    grouped,
    resolved_unknown_time,
    scope_condition,
    with_base,
)
from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Item
from cx.metrics.plans.base import Plan, Reader
from cx.metrics.query import MetricQuery
from cx.stats.survival import kaplan_meier


def latest_ticket_time(query: MetricQuery, params: Params) -> exp.Expression:
    """Default as_of: the latest timestamp of the tickets the reader may see (deterministic).

    Inside the data scope: another region's newer tickets must not move a scoped TTR, nor tell
    the reader when that region last had a ticket."""
    latest = exp.func("greatest", exp.Max(this=col("opened_at")),
                      exp.Max(this=col("first_response_at")), exp.Max(this=col("resolved_at")))
    select = exp.select(latest).from_("tickets")
    inside = scope_condition(query.filters.scope, "tickets", params)
    return exp.Subquery(this=select if inside is None else select.where(inside))


@dataclass(frozen=True)
class SurvivalPlan(Plan):
    def columns(self) -> list[str]:
        return ["resolution_hours", "opened_at", "status", "resolved"]

    def statement(self, query: MetricQuery, dialect: EngineDialect, tz: str) -> Statement:
        """Rows (keys, t, events, censored, excluded): one per distinct duration per group."""
        params = Params()
        base = base_cte(query, self.metric, self.columns(), dialect, tz, params)
        as_of = params.add(query.as_of) if query.as_of else latest_ticket_time(query, params)
        res, status = col("resolution_hours"), exp.func("lower", col("status"))
        unresolved = status.isin(*[exp.Literal.string(s) for s in CLOSED_UNRESOLVED])
        age = (dialect.epoch_seconds(as_of) - dialect.epoch_seconds(col("opened_at"))) / 3600.0
        t = exp.Case().when(res >= 0, res).when(
            exp.and_(res.is_(exp.null()), exp.func("coalesce", unresolved, exp.false()).not_(),
                     resolved_unknown_time(res).not_()), age)
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

    def counted(self) -> exp.Expression:
        """Resolved, or still open (censored); not closed unresolved."""
        res, status = col("resolution_hours"), exp.func("lower", col("status"))
        closed = status.isin(*[exp.Literal.string(s) for s in CLOSED_UNRESOLVED])
        still_open = exp.and_(res.is_(exp.null()),
                              exp.func("coalesce", closed, exp.false()).not_())
        return exp.or_(res >= 0, still_open)

    def finish_rows(self, query: MetricQuery, stats: pd.DataFrame, conf: float) -> list[Item]:
        raise ValueError("survival rows are finished by finish_survival")

    def finish(self, query: MetricQuery, stats: pd.DataFrame, conf: float,
               reader: Reader) -> list[Item]:
        return finish_survival(self.metric, stats, query.keys, conf)


def finish_survival(metric: MetricDef, obs: pd.DataFrame, keys: tuple[str, ...],
                    conf: float) -> list[Item]:
    """Kaplan–Meier per group from (keys, t, events, censored, excluded) rows."""
    out = []
    # Grouped by hand: pandas groupby(dropna=False) fails on object columns holding None.
    positions: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(*(obs[k].tolist() for k in keys), strict=True) if keys
                            else [()] * len(obs)):
        positions.setdefault(key, []).append(i)
    for key, where in positions.items():
        part = obs.iloc[where]
        ok = part[part["t"].notna() & (part["t"] >= 0)]
        km = kaplan_meier(ok["t"].to_numpy(float), ok["events"], ok["censored"],
                          within=(metric.within_hours or 24.0,), conf=conf)
        if metric.within_hours is not None:
            est = km.within[float(metric.within_hours)]
        else:
            est = km.median if metric.q == 0.5 else km.p90
            est = replace(est, n=km.n)
        extra: dict[str, Any] = {"events": km.events, "censored": km.censored,
                 "excluded": int(part["excluded"].sum()),
                 "max_time": km.max_time, "reached": not math.isnan(est.value)}
        if metric.within_hours is not None and km.n and math.isnan(est.value):
            extra["no_data_reason"] = (f"no ticket was followed for {metric.within_hours:g} h "
                                       "(every ticket still open was opened more recently)")
        out.append((dict(zip(keys, key, strict=True)), est, extra))
    return out
