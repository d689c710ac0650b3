"""The words and themes that tell detractors' comments from promoters', and example comments.

Counting happens in DuckDB (tokens of the comment text split on anything that is not a letter,
grouped by word and NPS group; theme mentions by group from the engine); the weighted log-odds
with its informative Dirichlet prior is cx.stats.logodds (Monroe, Colaresi & Quinn 2008).
Positive z: typical of detractors; negative z: typical of promoters. A word must occur at
least ``min_count`` times in all, so no rare word (a name, an order number) is shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlglot import exp

from cx.domain import Filters
from cx.metrics import Engine, MetricQuery
from cx.metrics.compiler import Params, check_fields, col, count_where, filter_conditions
from cx.metrics.text_fields import THEME
from cx.storage import fields_of, run
from cx.storage.schema import TIME_FIELD
from cx.stats.logodds import weighted_log_odds
from cx.stats.types import z_value

MIN_WORD_LENGTH = 3
COLUMNS = ["term", "detractors", "promoters", "delta", "ci_low", "ci_high", "z", "typical_of"]


def _where(engine: Engine, table: str, filters: Filters, params: Params) -> list[exp.Expression]:
    """The WHERE of a raw read: the engine's scope (snapshots, --as-user) or the filters' own
    (stamped by the app's gate) first, as every metric query has it (cx.metrics.compiler)."""
    filters = engine.scoped(filters)
    with engine.store.cursor() as cur:
        check_fields(tuple(n for n, _ in filters.values), fields_of(cur, table), table, "filter")
    probe = MetricQuery(metric="responses", filters=filters)
    return filter_conditions(probe, table, engine.settings.tz, params)


def word_counts(engine: Engine, filters: Filters = Filters(), min_count: int = 5) -> pd.DataFrame:
    """word, det, pro: tokens of response comments per NPS group, words seen ``min_count``+."""
    params = Params()
    text = exp.func("lower", col("comment"))
    split = exp.func("regexp_split_to_array", text, exp.Literal.string(r"[^\p{L}]+"))
    tokens = exp.select(col("nps"), exp.Unnest(expressions=[split]).as_("word")).from_(
        "responses")
    for cond in _where(engine, "responses", filters, params) + [
            col("comment").is_(exp.null()).not_(), col("nps").between(0, 10)]:
        tokens = tokens.where(cond)
    word, nps = col("word"), col("nps")
    tree = exp.select(word, count_where(nps.between(0, 6), "det"),
                      count_where(nps.between(9, 10), "pro")).from_(tokens.subquery("tokens"))
    tree = tree.where(exp.func("length", word) >= MIN_WORD_LENGTH).group_by(word).having(
        exp.Count(this=exp.Star()) >= params.add(int(min_count))).order_by(word)
    with engine.store.cursor() as cur:
        result = run(cur, tree.sql("duckdb"), params.values)
        return pd.DataFrame(result.fetchall(), columns=["word", "det", "pro"])


def _finish(frame: pd.DataFrame, conf: float) -> pd.DataFrame:
    z = z_value(conf)
    out = frame.rename(columns={"count_a": "detractors", "count_b": "promoters"})
    out["typical_of"] = [("detractors" if v > 0 else "promoters") if abs(v) >= z else ""
                         for v in out["z"]]
    for name in ("detractors", "promoters"):
        out[name] = out[name].astype(int)
    return out[COLUMNS]


def distinguishing_words(engine: Engine, filters: Filters = Filters(),
                         min_count: int = 5) -> pd.DataFrame:
    """Every frequent word with its log-odds (detractors vs promoters), z and interval;
    ``typical_of`` names the group when |z| reaches the confidence level's z."""
    counts = word_counts(engine, filters, min_count)
    if counts.empty or counts["det"].sum() == 0 or counts["pro"].sum() == 0:
        return pd.DataFrame(columns=COLUMNS)
    res = weighted_log_odds(counts["word"].tolist(), counts["det"], counts["pro"],
                            conf=engine.settings.confidence)
    return _finish(res, engine.settings.confidence)


def distinguishing_themes(engine: Engine, filters: Filters = Filters()) -> pd.DataFrame:
    """Theme mentions among detractors vs promoters, as for words (a theme is one token)."""
    stats = engine.sufficient(MetricQuery("nps", filters=filters, by=(THEME,)))
    if stats.empty or stats["det"].sum() == 0 or stats["pro"].sum() == 0:
        return pd.DataFrame(columns=COLUMNS)
    res = weighted_log_odds(stats[THEME].tolist(), stats["det"].astype(float),
                            stats["pro"].astype(float), conf=engine.settings.confidence)
    return _finish(res, engine.settings.confidence)


def example_comment(engine: Engine, theme: str, filters: Filters = Filters(),
                    detractors: bool = False) -> dict[str, Any] | None:
    """The newest response comment in scope mentioning ``theme`` (of a detractor if asked)."""
    params, table = Params(), "responses"
    conds = _where(engine, table, filters.with_values(**{THEME: theme}), params) + [col("comment").is_(exp.null()).not_()]
    if detractors:
        conds.append(col("nps").between(0, 6))
    time = col(TIME_FIELD[table])
    tree = exp.select(time.as_("at"), col("nps"), col("comment")).from_(table)
    for cond in conds:
        tree = tree.where(cond)
    tree = tree.order_by(exp.Ordered(this=time, desc=True, nulls_first=False)).limit(1)
    with engine.store.cursor() as cur:
        row = run(cur, tree.sql("duckdb"), params.values).fetchone()
    return None if row is None else {"at": row[0], "nps": row[1], "comment": row[2]}
