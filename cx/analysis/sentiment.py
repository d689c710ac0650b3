"""Sentiment of comments per period: mean score with a t interval and the share of each label.

The scores were computed at load time (cx.text); this aggregates them in DuckDB with the same
filters as every metric (the engine's filter compiler), placed in periods by the record's own
time. Comments in a language without a lexicon have no score: they are counted (``unscored``)
but never averaged in. The mean's interval is Student's t (METHODS.md §2.3); label shares use
Wilson (§2.2); a period below the privacy floor shows its counts only.
"""

from __future__ import annotations

import math

import pandas as pd
from sqlglot import exp

from cx.domain import Filters, Grain
from cx.metrics import Engine, MetricQuery
from cx.metrics.compiler import Params, check_fields, col, count_where, filter_conditions
from cx.metrics.dialects import get_dialect
from cx.engines import run_compiled
from cx.storage import fields_of
from cx.storage.schema import NATURAL_KEY, TIME_FIELD
from cx.stats.means import mean_estimate
from cx.stats.proportions import wilson
from cx.stats.reliability import hidden, reliability

LABELS = ("positive", "neutral", "negative", "mixed")
COLUMNS = ["period", "comments", "n", "unscored", "value", "ci_low", "ci_high", "reliability",
           *[f"share_{label}" for label in LABELS]]
_F = "cx_features"


def _features(table: str, params: Params) -> exp.Subquery:
    """One row per analysed comment of ``table``: record, batch, score, label."""
    pick = [exp.column(c, quoted=True) for c in ("record_id", "batch_id", "sentiment",
                                                  "sentiment_label")]
    return exp.select(*pick).from_("comment_features").where(
        col("table_name").eq(params.add(table))).subquery(_F)


def sentiment_statement(table: str, filters: Filters, grain: Grain, tz: str,
                        dialect: str = "duckdb") -> tuple[str, dict]:
    """SQL and parameters: per period, comments, scored n, sum and sum of squares, labels."""
    params, d = Params(), get_dialect(dialect)
    period = d.period_start(grain.value, d.local_time(col(TIME_FIELD[table]), tz))
    on = exp.and_(exp.column("record_id", _F, quoted=True).eq(
        exp.column(NATURAL_KEY[table], table, quoted=True)),
        exp.column("batch_id", _F, quoted=True).eq(exp.column("batch_id", table, quoted=True)))
    s = exp.column("sentiment", _F, quoted=True)
    label = exp.column("sentiment_label", _F, quoted=True)
    aggs = [exp.Count(this=exp.Star()).as_("comments"), exp.Count(this=s).as_("n"),
            exp.Sum(this=s).as_("total"), exp.Sum(this=s * s).as_("total_sq"),
            *[count_where(label.eq(exp.Literal.string(lb)), lb) for lb in LABELS]]
    tree = exp.select(period.as_("period"), *aggs).from_(table).join(
        _features(table, params), on=on, join_type="inner")
    probe = MetricQuery(metric="responses", filters=filters)
    for cond in filter_conditions(probe, table, tz, params) + [
            col(TIME_FIELD[table]).is_(exp.null()).not_()]:
        tree = tree.where(cond)
    tree = tree.group_by(exp.column("period")).order_by(exp.column("period"))
    return tree.sql(dialect), params.values


def _row(rec: dict, engine: Engine) -> dict:
    conf, th = engine.settings.confidence, engine.settings.thresholds
    n = int(rec["n"] or 0)
    est = mean_estimate(n, float(rec["total"] or 0.0), float(rec["total_sq"] or 0.0), conf)
    tier = reliability(n, math.nan, "mean", th)
    out = {"period": pd.Timestamp(rec["period"]).date(), "comments": int(rec["comments"]),
           "n": n, "unscored": int(rec["comments"]) - n, "reliability": tier}
    if hidden(tier):
        return {**out, "value": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                **{f"share_{lb}": math.nan for lb in LABELS}}
    shares = {f"share_{lb}": wilson(int(rec[lb] or 0), n, conf).value for lb in LABELS}
    return {**out, "value": est.value, "ci_low": est.ci_low, "ci_high": est.ci_high, **shares}


def sentiment_trend(engine: Engine, filters: Filters = Filters(), table: str = "responses",
                    grain: str | Grain = Grain.WEEK) -> pd.DataFrame:
    """Per period: comments, scored n, mean sentiment in [-1, 1] with its CI, label shares."""
    grain, filters = Grain(grain), engine.scoped(filters)  # the engine's scope, if it has one
    with engine.store.cursor() as cur:
        check_fields(tuple(n for n, _ in filters.values), fields_of(cur, table), table, "filter")
        sql, params = sentiment_statement(table, filters, grain, engine.settings.tz,
                                          engine.dialect.name)  # rendered for the store's engine
        result = run_compiled(cur, sql, params)
        names = [c[0] for c in result.description]
        records = [dict(zip(names, r, strict=True)) for r in result.fetchall()]
    return pd.DataFrame([_row(r, engine) for r in records], columns=COLUMNS)
