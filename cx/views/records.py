"""The records explorer: one page of records with their scores, searched, filtered and sorted.

Why paged in SQL: a table of millions of survey answers must never be pulled into the browser; the
page asks for `page_size` rows at an offset and the total count, both with the engine's own filter
compiler (`filter_conditions`), so "the records behind a chart point" are exactly the records the
metric counted. Values are bind parameters; column names are checked against the table's fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlglot import exp

from cx.config import Settings
from cx.domain import DateRange, Filters, Grain
from cx.metrics.catalog import CATALOG
from cx.metrics.compiler import Params, check_fields, col, filter_conditions, next_period
from cx.metrics.plans import counted
from cx.metrics.query import MetricQuery
from cx.metrics.validate import get_metric
from cx.storage import FieldInfo, Store, fields_of, run
from cx.storage.schema import NATURAL_KEY, RECORD_TABLES, TIME_FIELD

MAX_PAGE_SIZE = 500
# Columns searched by the free-text box: verbatims first, then ids and names people paste in.
SEARCH_COLUMNS = {
    "responses": ("comment", "response_id", "customer_id"),
    "tickets": ("ticket_id", "customer_id", "agent"),
    "customers": ("customer_id", "plan"),
}
# Free text that table cells would cut: the explorer also shows it in full.
VERBATIM_COLUMNS = {"responses": ("comment",)}
# Shown first, in this order; the rest of the table's fields follow (batch bookkeeping last).
LEADING_COLUMNS = {
    "responses": ("submitted_at", "nps", "csat", "ces", "comment", "channel", "region",
                  "product", "segment", "customer_id", "response_id"),
    "tickets": ("opened_at", "status", "channel", "team", "priority", "first_response_hours",
                "resolution_hours", "csat", "agent", "ticket_id"),
    "customers": ("customer_id", "signup_at", "churned", "churned_at", "plan", "segment",
                  "region", "monthly_revenue", "clv", "tenure_months"),
}


@dataclass(frozen=True)
class RecordQuery:
    """One page of the explorer; frozen, so it is a cache key."""

    table: str
    filters: Filters = Filters()
    search: str = ""
    sort: str | None = None  # None: newest first by the table's time field
    descending: bool = True
    page: int = 1  # 1-based
    page_size: int = 50
    counted_for: str | None = None  # only the records this metric counts in its n (drill-down)

    def __post_init__(self) -> None:
        if self.table not in RECORD_TABLES:
            raise ValueError(f"unknown table {self.table!r}; expected one of "
                             f"{', '.join(RECORD_TABLES)}")
        if self.counted_for is not None and get_metric(self.counted_for).table != self.table:
            raise ValueError(f"{self.counted_for} does not count {self.table}")
        if self.page < 1:
            raise ValueError(f"page must be 1 or more, got {self.page}")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be 1..{MAX_PAGE_SIZE}, got {self.page_size}")


@dataclass(frozen=True, eq=False)
class RecordPage:
    query: RecordQuery
    rows: pd.DataFrame
    total: int  # records matching the filters and search, over all pages

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.page_size))


def _probe(table: str, filters: Filters) -> MetricQuery:
    """A query object that carries the filters into the engine's filter compiler."""
    metric = next(m.name for m in CATALOG if m.table == table)
    return MetricQuery(metric=metric, filters=filters)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def searched_columns(table: str, fields: list[FieldInfo]) -> list[str]:
    """The columns a search looks in: the table's standard ones, then uploaded free-text fields
    (a ticket export's description is where its words are)."""
    names = {f.name for f in fields}
    return [c for c in SEARCH_COLUMNS[table] if c in names] + [
        f.name for f in fields if f.extra and f.kind == "text"]


def _search_condition(columns: list[str], term: str, params: Params) -> exp.Expression:
    """Any searched column contains the term (case-insensitive, LIKE wildcards taken literally)."""
    pattern = params.add(f"%{_escape_like(term)}%")
    parts = [exp.Escape(this=exp.ILike(this=exp.cast(col(c), exp.DataType.Type.VARCHAR),
                                        expression=pattern), expression=exp.Literal.string("\\"))
             for c in columns]
    return exp.or_(*parts) if parts else exp.false()


def column_order(table: str, names: list[str]) -> list[str]:
    """Leading columns first, then extras, bookkeeping (batch_id, scale ends) last."""
    lead = [c for c in LEADING_COLUMNS[table] if c in names]
    meta = [c for c in names if c == "batch_id" or c.endswith(("_scale_min", "_scale_max"))]
    return lead + [c for c in names if c not in lead and c not in meta] + meta


def _where(query: RecordQuery, searched: list[str], settings: Settings,
           params: Params) -> list[exp.Expression]:
    conds = filter_conditions(_probe(query.table, query.filters), query.table, settings.tz, params)
    if query.search.strip():
        conds.append(_search_condition(searched, query.search.strip(), params))
    counted_only = counted(get_metric(query.counted_for)) if query.counted_for else None
    if counted_only is not None:
        conds.append(counted_only)
    return conds


def fetch_records(store: Store, settings: Settings, query: RecordQuery) -> RecordPage:
    """The requested page and the total count (two statements on one cursor)."""
    with store.cursor() as cur:
        fields = fields_of(cur, query.table)
        names = [f.name for f in fields]
        check_fields(tuple(n for n, _ in query.filters.values), fields, query.table, "filter")
        sort = query.sort or TIME_FIELD[query.table]
        if sort not in names:
            raise ValueError(f"cannot sort {query.table} by {sort!r}; fields: {', '.join(names)}")
        params = Params()
        conds = _where(query, searched_columns(query.table, fields), settings, params)
        count = exp.select(exp.Count(this=exp.Star())).from_(query.table)
        ordered = column_order(query.table, names)
        rows = exp.select(*[col(c) for c in ordered]).from_(query.table)
        for cond in conds:
            count, rows = count.where(cond), rows.where(cond)
        total = int(run(cur, count.sql("duckdb"), params.values).fetchone()[0])
        key = col(NATURAL_KEY[query.table])
        rows = rows.order_by(exp.Ordered(this=col(sort), desc=query.descending, nulls_first=False),
                             exp.Ordered(this=key))
        rows = rows.limit(query.page_size).offset((query.page - 1) * query.page_size)
        frame = run(cur, rows.sql("duckdb"), params.values).df()
    return RecordPage(query, frame, total)



def data_version(store: Store) -> tuple[int, str]:
    """Changes whenever a batch is loaded or rolled back: part of every UI cache key."""
    with store.cursor() as cur:
        n, last_created, last_rollback = run(
            cur, "SELECT count(*), max(created_at), max(rolled_back_at) FROM batches").fetchone()
    return int(n), f"{last_created}|{last_rollback}"


def filter_fields(store: Store, standard: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Sidebar filter fields -> the record tables that have them.

    The standard dimensions where any table has them, then the extra *dimensions* an analyst
    marked as filters at upload, and `source` (free-text extras are never filters, PRODUCT.md §1).
    """
    out: dict[str, list[str]] = {}
    with store.cursor() as cur:
        for table in RECORD_TABLES:
            for f in fields_of(cur, table):
                if f.name in standard or (f.extra and f.kind == "dimension" and f.is_filter):
                    out.setdefault(f.name, []).append(table)
    order = [n for n in standard if n in out] + [n for n in out if n not in standard]
    return {name: tuple(out[name]) for name in order}


# -- drill-down: the records behind a chart point, as URL parameters ---------------------------
DRILL_PREFIX = "drill_"


@dataclass(frozen=True)
class Drill:
    """Which records a clicked chart point stands for: a table, its exact filters, and the
    metric whose n the point shows (its records are those the metric counts)."""

    table: str
    filters: Filters
    metric: str | None = None

    def to_params(self) -> dict[str, str | list[str]]:
        params: dict[str, str | list[str]] = {f"{DRILL_PREFIX}table": self.table}
        if self.metric:
            params[f"{DRILL_PREFIX}metric"] = self.metric
        for name, values in self.filters.values:
            params[f"{DRILL_PREFIX}f_{name}"] = list(values)
        if self.filters.dates.start:
            params[f"{DRILL_PREFIX}from"] = self.filters.dates.start.isoformat()
        if self.filters.dates.end:
            params[f"{DRILL_PREFIX}to"] = self.filters.dates.end.isoformat()
        return params

    def describe(self) -> str:
        parts = [f"{name} = {', '.join(values)}" for name, values in self.filters.values]
        if self.metric:
            metric = get_metric(self.metric)
            parts.append(f"those counted in {metric.label}" if counted(metric) is not None else
                         f"all of them ({metric.label} counts its n by its own rule)")
        return "; ".join(parts) or "no field filter"

    def problem(self, dimensions: list[str]) -> str | None:
        """Why this drill-down cannot be shown (a field the table does not have), else None."""
        unknown = [name for name, _ in self.filters.values if name not in dimensions]
        if unknown:
            return (f"The link asks for {self.table} by {', '.join(unknown)}, which {self.table} "
                    f"do not have (fields: {', '.join(dimensions)}).")
        return None


def _first(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key) or []
    return values[0] if values else None


def drill_from_params(params: dict[str, list[str]]) -> Drill | None:
    """Read a drill-down back from the URL; anything malformed means "no drill-down"."""
    table = _first(params, f"{DRILL_PREFIX}table")
    if table not in RECORD_TABLES:
        return None
    try:
        start, end = (_parse_day(_first(params, f"{DRILL_PREFIX}{k}")) for k in ("from", "to"))
        dates = DateRange(start, end)
    except ValueError:
        return None
    metric = _first(params, f"{DRILL_PREFIX}metric")
    if metric is not None and not any(m.name == metric and m.table == table for m in CATALOG):
        return None
    prefix = f"{DRILL_PREFIX}f_"
    values = {k[len(prefix):]: list(v) for k, v in params.items() if k.startswith(prefix) and v}
    return Drill(table, Filters.of(dates, **values), metric)


def _parse_day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def period_dates(key: str, grain: Grain, within: DateRange) -> DateRange:
    """The days a chart period ('2026-11-16') stands for, clipped to the filtered range.

    A weekly trend's first point starts on the Monday before the range; its records are only
    those inside the range, as the metric counted them.
    """
    start = dt.date.fromisoformat(str(key)[:10])
    end = next_period(start, grain) - dt.timedelta(days=1)
    if within.start and within.start > start:
        start = within.start
    if within.end and within.end < end:
        end = within.end
    return DateRange(start, max(start, end))
