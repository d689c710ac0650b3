"""The metric engine: `Engine(store, settings).run(MetricQuery) -> MetricResult`.

The warehouse comes in through the constructor (habit 2); every statement is compiled from a
sqlglot tree, run with bind parameters, and returns sufficient statistics per group, never raw
rows; intervals and reliability tiers are computed from those counts in Python (cx.stats).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
from sqlglot import exp

from cx.config import Settings
from cx.domain import Filters, Scope
from cx.engines import dialect_of, run_compiled
from cx.metrics.catalog import MetricDef
from cx.metrics.compiler import (
    Params,
    Statement,
    check_fields,
    col,
    filter_conditions,
    groupable_fields,
)
from cx.metrics.dialects import get_dialect
from cx.metrics.finish import to_rows
from cx.metrics.plans import Plan, Reader, plan_for
from cx.metrics.query import MetricQuery, MetricResult
from cx.metrics.text_fields import THEME, mentioned_themes
from cx.metrics.validate import check_catalog, get_metric
from cx.storage import Store, fields_of
from cx.storage.schema import RECORD_TABLES

check_catalog()  # start-up validation: a broken declaration stops the import with every issue


class Engine:
    """`scope`: when given, every query this engine runs is read inside that data scope, whatever
    scope its filters carried (snapshots and `--as-user` build one engine per person); when None,
    each query's own `filters.scope` applies (the app stamps it from the signed-in user)."""

    def __init__(self, store: Store, settings: Settings, dialect: str | None = None,
                 scope: Scope | None = None) -> None:
        self.store = store
        self.settings = settings
        self.dialect = get_dialect(dialect or dialect_of(store))
        self.scope = scope

    def scoped(self, filters: Filters) -> Filters:
        """`filters` inside this engine's scope (unchanged for an engine without one)."""
        return filters if self.scope is None else filters.within(self.scope)

    def _scoped_query(self, query: MetricQuery) -> MetricQuery:
        return query if self.scope is None else replace(query, filters=self.scoped(query.filters))

    # -- compile -----------------------------------------------------------------------------
    def _compile(self, cur: Any, query: MetricQuery) -> tuple[Plan, Statement]:
        metric = get_metric(query.metric)
        fields = fields_of(cur, metric.table)
        check_fields(query.by, fields, metric.table, "group-by")
        check_fields(tuple(n for n, _ in query.filters.values), fields, metric.table, "filter")
        if query.grain and "period" in query.by:
            raise ValueError("a field named 'period' cannot be grouped together with a time grain")
        plan = plan_for(metric)
        statement = plan.statement(query, self.dialect, self.settings.tz)
        _refuse_shadowed_keys(query, metric, statement)
        return plan, statement

    def explain(self, query: MetricQuery, pretty: bool = True) -> str:
        """The SQL the engine would run for ``query`` (placeholders unfilled); nothing runs."""
        query = self._scoped_query(query)
        with self.store.cursor() as cur:
            _, statement = self._compile(cur, query)
        return statement.sql(self.dialect.name, pretty=pretty)

    # -- run ---------------------------------------------------------------------------------
    def sufficient(self, query: MetricQuery) -> pd.DataFrame:
        """Per-group sufficient statistics (counts, sums, n) as the SQL returned them.

        For analyses that run their own tests on counts (segments vs rest, trends): NPS gives
        det/pas/pro, shares x/n, means n/total/total_sq, survival one row per distinct time.
        """
        query = self._scoped_query(query)
        with self.store.cursor() as cur:
            plan, statement = self._compile(cur, query)
            return self._statistics(cur, query, plan, statement)

    def _statistics(self, cur: Any, query: MetricQuery, plan: Plan,
                    statement: Statement) -> pd.DataFrame:
        """The main statement's rows plus, for NPS/share/mean, the per-group cluster sums
        (cl_* columns) of METHODS.md §0.1; both statements group and order the same way."""
        stats = _fetch(cur, statement, self.dialect.name)
        clusters = plan.cluster_statement(query, self.dialect, self.settings.tz)
        if clusters is None or stats.empty:
            return stats
        sums = _fetch(cur, clusters, self.dialect.name)
        keys = list(query.keys)
        if len(sums) != len(stats) or not sums[keys].equals(stats[keys]):
            raise RuntimeError("cluster sums do not line up with the metric's groups")
        return pd.concat([stats, sums.drop(columns=keys)], axis=1)

    def scales(self, query: MetricQuery) -> list[tuple[float, float, int]]:
        """(scale min, scale max, valid answers) in the query's scope, one per declared scale;
        empty for metrics without a rating scale. Two or more mean the scope mixes scales."""
        query = self._scoped_query(query)
        with self.store.cursor() as cur:
            plan, _ = self._compile(cur, query)
            statement = plan.scale_statement(query, self.dialect, self.settings.tz)
            if statement is None:
                return []
            rows = _fetch(cur, statement, self.dialect.name).to_dict(orient="records")
        return [(float(r["scale_min"]), float(r["scale_max"]), int(r["n"])) for r in rows]

    def run(self, query: MetricQuery) -> MetricResult:
        query = self._scoped_query(query)
        conf, keys = self.settings.confidence, query.keys
        with self.store.cursor() as cur:
            plan, statement = self._compile(cur, query)
            stats = self._statistics(cur, query, plan, statement)
            reader = Reader(self.dialect, self.settings.tz,
                            lambda more: _fetch(cur, more, self.dialect.name))
            items = plan.finish(query, stats, conf, reader)
        rows = to_rows(plan.metric, items, keys, self.settings.thresholds, plan.no_data_reason())
        return MetricResult(query, plan.metric, rows, statement.sql(self.dialect.name),
                            statement.params, tuple(plan.notes(rows)))

    # -- sidebar helpers -----------------------------------------------------------------------
    def dimensions(self, table: str) -> list[str]:
        """Fields a filter or --by accepts for ``table``: canonical dimensions, then extras."""
        if table not in RECORD_TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(RECORD_TABLES)}")
        with self.store.cursor() as cur:
            return groupable_fields(fields_of(cur, table))

    def dimension_values(self, table: str, field: str, filters: Filters = Filters(),
                         limit: int = 500) -> list[str]:
        """Distinct non-null values of ``field`` under ``filters`` (other fields), sorted."""
        with self.store.cursor() as cur:
            fields = fields_of(cur, table)
            check_fields((field,), fields, table, "dimension")
            check_fields(tuple(n for n, _ in filters.values), fields, table, "filter")
            params = Params()
            probe = MetricQuery(metric="responses", filters=self.scoped(filters))
            target = col(field)
            text = exp.cast(target, exp.DataType.Type.VARCHAR).as_("v")
            conds = filter_conditions(probe, table, self.settings.tz, params)
            if field == THEME:  # the themes that the records meeting the filters mention
                tree = mentioned_themes(table, params, conds)
            else:
                tree = exp.select(text).distinct().from_(table)
                for cond in conds:
                    tree = tree.where(cond)
                tree = tree.where(target.is_(exp.null()).not_())
            tree = tree.order_by("v").limit(int(limit))
            rows = run_compiled(cur, tree.sql(self.dialect.name), params.values).fetchall()
        return [r[0] for r in rows]


def _refuse_shadowed_keys(query: MetricQuery, metric: MetricDef, statement: Statement) -> None:
    """Grouping by a field the metric itself counts (churn_rate by churned) would give one
    degenerate group per value and a result column that shadows the statistic: refuse it."""
    outputs = [s.alias_or_name for s in statement.tree.selects]
    clash = sorted({k for k in query.by if outputs.count(k) > 1})
    if clash:
        raise ValueError(
            f"{metric.name} cannot be grouped by {', '.join(map(repr, clash))}: the metric is "
            f"computed from that field; pick another dimension or filter on it instead"
        )


def _fetch(cur: Any, statement: Statement, dialect: str = "duckdb") -> pd.DataFrame:
    """Run one statement; Python-typed columns so group keys compare equal across statements."""
    result = run_compiled(cur, statement.sql(dialect), statement.params)
    columns = [d[0] for d in result.description]
    return pd.DataFrame.from_records(result.fetchall(), columns=columns)
