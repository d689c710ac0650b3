"""What a metric type's plan is, and the statement shapes several types share.

A plan is the whole story of one metric type: the columns it reads, the statements that fetch its
sufficient statistics (METHODS.md §0), and how it turns them into estimates. Why one object per
type: the engine picks it once (cx.metrics.plans.plan_for) and never asks the type again, and a
reader finds a type's SQL and its finisher in one module. Plans call down into the tree
primitives (cx.metrics.compiler) and the finishing helpers (cx.metrics.finish) only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlglot import exp

from cx.metrics.catalog import MetricDef
from cx.metrics.compiler import (
    DOUBLE,
    Params,
    Statement,
    base_cte,
    col,
    count_where,
    grouped,
    with_base,
)
from cx.metrics.dialects import EngineDialect
from cx.metrics.finish import Finished, Item, Row
from cx.metrics.query import MetricQuery
from cx.storage.schema import NATURAL_KEY


@dataclass(frozen=True)
class Reader:
    """What a plan needs to read more after its main statement (quantile CIs ask the order
    statistics at ranks known only once n is): the engine's dialect, zone and cursor."""

    dialect: EngineDialect
    tz: str
    fetch: Callable[[Statement], pd.DataFrame]


def n_rows() -> exp.Expression:
    """Every record in the group, usable or not (n_missing = n_rows - n)."""
    return exp.Count(this=exp.Star()).as_("n_rows")


@dataclass(frozen=True)
class Plan:
    """Defaults: one grouped statement of ``aggregates`` over the base CTE, one finisher per row,
    no cluster, scale or order-statistic statement, every record counted."""

    metric: MetricDef

    def columns(self) -> list[str]:
        """Raw columns the base CTE must carry."""
        raise NotImplementedError

    def aggregates(self, dialect: EngineDialect) -> list[exp.Expression]:
        raise NotImplementedError

    def statement(self, query: MetricQuery, dialect: EngineDialect, tz: str) -> Statement:
        """The one statement returning sufficient statistics per group for ``query``."""
        params = Params()
        base = base_cte(query, self.metric, self.columns(), dialect, tz, params)
        tree = with_base(grouped(self.aggregates(dialect), query.keys), base)
        return Statement(tree, params.values)

    def score(self) -> exp.Expression | None:
        """Per-answer score whose mean is the metric (NULL for an invalid answer), §0.1; None
        for types whose answers are not scored per customer (no cluster statement)."""
        return None

    def cluster_statement(self, query: MetricQuery, dialect: EngineDialect,
                          tz: str) -> Statement | None:
        """Per group: customers (clusters) and the sums of cx.stats.clusters.ClusterSums. An
        answer without a customer id is its own cluster."""
        score = self.score()
        if score is None:
            return None
        params = Params()
        key = NATURAL_KEY[self.metric.table]
        columns = self.columns() + ["customer_id", key]
        base = base_cte(query, self.metric, columns, dialect, tz, params)
        cluster = exp.func("coalesce", exp.cast(col("customer_id"), exp.DataType.Type.VARCHAR),
                           exp.func("concat", exp.Literal.string("answer:"), col(key)))
        keys = [col(k) for k in query.keys]
        scored = exp.select(*keys, cluster.as_("cluster"), score.as_("s")).from_("base")
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

    def scale_statement(self, query: MetricQuery, dialect: EngineDialect,
                        tz: str) -> Statement | None:
        """Valid answers per declared rating scale; None for types without a scale."""
        return None

    def counted(self) -> exp.Expression | None:
        """The condition a record meets to count in the metric's n; None when every record
        counts, or when the type counts by its own rules (churn, CLV: customers active at a
        period start), which the records explorer then says."""
        return None

    def finish_row(self, row: Row, query: MetricQuery, conf: float) -> Finished:
        """One group's estimate in the display unit and its extra columns."""
        raise NotImplementedError

    def finish_rows(self, query: MetricQuery, stats: pd.DataFrame, conf: float) -> list[Item]:
        """Each group's row finished on its own (analyses call this on fetched statistics)."""
        items = []
        for row in stats.to_dict(orient="records"):
            est, extra = self.finish_row(row, query, conf)
            items.append(({k: row[k] for k in query.keys}, est, extra))
        return items

    def finish(self, query: MetricQuery, stats: pd.DataFrame, conf: float,
               reader: Reader) -> list[Item]:
        """The engine's finishing step; a type needing a second statement overrides it."""
        return self.finish_rows(query, stats, conf)

    def no_data_reason(self) -> str:
        """Why a group with no usable input has no number (shown instead of a made-up 0)."""
        what = self.metric.column or "values"
        return f"no valid {what} values in scope"

    def notes(self, rows: pd.DataFrame) -> list[str]:
        """Notes the result carries: mixed rating scales, answers repeating per customer."""
        notes = []
        if "mixed_scales" in rows and rows["mixed_scales"].fillna(False).astype(bool).any():
            notes.append("some groups mix answers on different scales (mixed_scales): compare "
                         "with care")
        if "deff" in rows and (pd.to_numeric(rows["deff"], errors="coerce") > 1.1).any():
            top = rows.loc[pd.to_numeric(rows["deff"], errors="coerce").idxmax()]
            notes.append(f"answers repeat per customer: intervals and tests use the effective n "
                         f"(n / design effect; largest design effect {top['deff']:.2f}, effective "
                         f"n = {top['n_eff']:.0f} of {int(top['n'])})")
        return notes

