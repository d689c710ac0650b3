"""The narrow row fetch behind correlation and key drivers.

Correlations and driver models need respondent-level pairs, not group sums, so they read rows,
but only the few numeric columns asked for (plus an optional grouping column as integer codes),
listwise complete in SQL, with the engine's own filter compiler: the same Filters mean the same
rows as every metric. Memory: 8 bytes per numeric column per row plus 8 for the group code, and
numpy's column stack briefly doubles it: correlation at 10M rows (2 columns + channel) peaks near
0.5 GB before the rank transform, which needs about as much again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from sqlglot import exp

from cx.domain import Filters
from cx.metrics import Engine, MetricQuery
from cx.metrics.compiler import Params, check_fields, col, filter_conditions
from cx.storage import FieldInfo, fields_of, run

NUMERIC_KINDS = ("score", "measure", "rating")
MAX_LEVELS = 500  # a "control" with more levels than this is an id, not a dimension


@dataclass(frozen=True, eq=False)
class Rows:
    """Complete cases: ``values`` is (n, k) float64 in the order of ``names``."""

    names: tuple[str, ...]
    values: np.ndarray
    codes: np.ndarray | None = None  # 0-based index into ``levels`` per row
    levels: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return int(self.values.shape[0])

    def column(self, name: str) -> np.ndarray:
        return self.values[:, self.names.index(name)]


def table_fields(engine: Engine, table: str) -> dict[str, FieldInfo]:
    with engine.store.cursor() as cur:
        return {f.name: f for f in fields_of(cur, table)}


def numeric_field(fields: Mapping[str, FieldInfo], name: str, table: str) -> FieldInfo:
    """The field if it holds numbers (scores, measures, ratings); a clear error otherwise."""
    info = fields.get(name)
    if info is None or info.kind not in NUMERIC_KINDS:
        valid = ", ".join(n for n, f in fields.items() if f.kind in NUMERIC_KINDS)
        raise ValueError(f"{name!r} is not a numeric field of {table}; numeric fields: {valid}")
    return info


def _where(engine: Engine, table: str, filters: Filters, params: Params) -> list[exp.Expression]:
    # only its filters are read; inside the engine's data scope when it has one
    probe = MetricQuery(metric="responses", filters=engine.scoped(filters))
    return filter_conditions(probe, table, engine.settings.tz, params)


def _levels(engine: Engine, table: str, group: str, filters: Filters) -> list[str]:
    params = Params()
    target = exp.cast(col(group), exp.DataType.Type.VARCHAR)
    tree = exp.select(target.as_("v")).distinct().from_(table)
    for cond in _where(engine, table, filters, params) + [col(group).is_(exp.null()).not_()]:
        tree = tree.where(cond)
    tree = tree.order_by("v").limit(MAX_LEVELS + 1)
    with engine.store.cursor() as cur:
        levels = [r[0] for r in run(cur, tree.sql("duckdb"), params.values).fetchall()]
    if len(levels) > MAX_LEVELS:
        raise ValueError(f"{group!r} has more than {MAX_LEVELS} values; pick a dimension")
    return levels


def fetch_rows(engine: Engine, table: str, columns: Mapping[str, exp.Expression],
               filters: Filters = Filters(), group: str | None = None) -> Rows:
    """Rows in scope where every column (and the group) is known: listwise deletion in SQL."""
    fields = table_fields(engine, table)
    check_fields(tuple(n for n, _ in filters.values), list(fields.values()), table, "filter")
    if group is not None:
        check_fields((group,), list(fields.values()), table, "control")
    params = Params()
    items = [expr.as_(f"c{i}") for i, expr in enumerate(columns.values())]
    conds = _where(engine, table, filters, params)
    conds += [expr.is_(exp.null()).not_() for expr in columns.values()]
    levels: list[str] = []
    if group is not None:
        levels = _levels(engine, table, group, filters)
        code = exp.func("array_position", params.add(levels),  # DuckDB and Spark
                        exp.cast(col(group), exp.DataType.Type.VARCHAR)) - 1
        items.append(code.as_("code"))
        conds.append(code.is_(exp.null()).not_())
    tree = exp.select(*items).from_(table)
    for cond in conds:
        tree = tree.where(cond)
    # A fixed row order: bootstrap resamples (drivers) depend on it, and scan order is not
    # defined on any engine (parallel DuckDB scans, Spark partitions).
    tree = tree.order_by(*(item.alias for item in items))
    with engine.store.cursor() as cur:
        data = run(cur, tree.sql("duckdb"), params.values).fetchnumpy()
    k = len(columns)
    values = np.column_stack([np.asarray(data[f"c{i}"], dtype=float) for i in range(k)]) \
        if k else np.empty((0, 0))
    codes = np.asarray(data["code"], dtype=np.int64) if group is not None else None
    return Rows(tuple(columns), values.reshape(-1, k), codes, tuple(levels))
