"""The tree primitives of the metric compiler: building blocks that know no metric type.

Columns, bind parameters, filter and scope conditions, group keys, the base CTE, a grouped
select, filtered aggregates, ticket-status conditions and period arithmetic. Each metric type's
plan (cx.metrics.plans) assembles its statements from these and nothing here imports a plan.
Shape of most statements:
    WITH base AS (SELECT <group keys>, <columns the metric reads> FROM <table> WHERE <filters>)
    SELECT <group keys>, <aggregates> FROM base GROUP BY <group keys> ORDER BY <group keys>
Values travel as named placeholders ($p0, $p1, ...) with a params dict; identifiers are only
field names that exist in the table (checked against `fields_of`) and are quoted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlglot import exp

from cx.domain import DateRange, Grain, Scope
from cx.metrics.catalog import MetricDef
from cx.metrics.dialects import EngineDialect
from cx.metrics.query import MetricQuery
from cx.metrics.text_fields import THEME, join_themes, text_condition, text_fields
from cx.storage.fields import FieldInfo, quote_ident
from cx.storage.schema import CANONICAL, TIME_FIELD

GROUPABLE_CANONICAL_KINDS = ("dimension", "flag")
DOUBLE = exp.DataType.Type.DOUBLE
# Ticket statuses that mean "closed without a resolution": a competing risk, not censoring.
CLOSED_UNRESOLVED = (
    "closed without resolution", "closed_unresolved", "unresolved", "spam", "merged",
    "duplicate", "abandoned", "cancelled", "canceled",
)


class Params:
    """Collects bind values and hands out named placeholders in tree order."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def add(self, value: Any) -> exp.Placeholder:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return exp.Placeholder(this=name)


@dataclass(frozen=True)
class Statement:
    tree: exp.Expression
    params: dict[str, Any] = field(default_factory=dict)

    def sql(self, dialect: str = "duckdb", pretty: bool = False) -> str:
        return self.tree.sql(dialect=dialect, pretty=pretty)


def col(name: str, table: str | None = None) -> exp.Column:
    """A quoted column reference; quote_ident refuses anything but a snake_case identifier."""
    quote_ident(name)
    return exp.column(name, table=table, quoted=True)


def groupable_fields(fields: list[FieldInfo]) -> list[str]:
    """Fields that --by and --where accept: canonical dimensions and flags, extra dimensions."""
    return [
        f.name for f in fields
        if (f.kind == "dimension") or (not f.extra and f.kind in GROUPABLE_CANONICAL_KINDS)
    ]


def check_fields(names: tuple[str, ...], fields: list[FieldInfo], table: str, what: str) -> None:
    valid = groupable_fields(fields)
    clash = [n for n in names if n in text_fields(table) and n in {f.name for f in fields}]
    if clash:  # an uploaded column would be ambiguous beside the comment-text field
        raise ValueError(f"{table} has an uploaded column named {clash[0]!r}, which clashes with "
                         "the comment-text field of that name; rename the column and upload again")
    valid = valid + list(text_fields(table))
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise ValueError(
            f"unknown {what} field {', '.join(map(repr, unknown))} for {table}; "
            f"valid fields: {', '.join(valid)}"
        )


def utc_bounds(dates: DateRange, tz: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Inclusive local calendar dates -> [start, end) as naive UTC, so the filter is sargable."""
    zone = ZoneInfo(tz)

    def to_utc(day: dt.date) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        return local.astimezone(dt.UTC).replace(tzinfo=None)

    start = to_utc(dates.start) if dates.start else None
    end = to_utc(dates.end + dt.timedelta(days=1)) if dates.end else None
    return start, end


def scope_condition(scope: Scope, table: str, params: Params) -> exp.Expression | None:
    """The rows of `table` inside a data scope (cx.auth.scopes), or None when unrestricted.

    OR over the scope's clauses, AND within a clause, values as bind parameters. A clause on a
    field `table` does not have matches none of its rows (fail closed: a team scope shows no
    customers). Scope fields are canonical dimensions, so the table's schema answers that.
    """
    if scope.unrestricted:
        return None
    have = {f.name for f in CANONICAL[table]}
    parts: list[exp.Expression] = []
    for clause in scope.clauses:
        if all(name in have for name, _ in clause):
            parts.append(exp.and_(*[col(name).isin(*[params.add(v) for v in values])
                                    for name, values in clause]))
    return exp.paren(exp.or_(*parts)) if parts else exp.false()


def filter_conditions(query: MetricQuery, table: str, tz: str, params: Params,
                      use_dates: bool = True) -> list[exp.Expression]:
    """WHERE conditions of a read: the data scope first (no filter can widen it), then filters."""
    conds: list[exp.Expression] = []
    scoped = scope_condition(query.filters.scope, table, params)
    if scoped is not None:
        conds.append(scoped)
    for name, values in query.filters.values:
        if name in text_fields(table):  # theme / commented: a semi-join (cx.metrics.text_fields)
            conds.append(text_condition(name, values, table, params))
            continue
        target = col(name)
        if name == "churned":  # a flag: compare its text form so "true"/"false" work
            target = exp.cast(target, exp.DataType.Type.VARCHAR)
        conds.append(target.isin(*[params.add(str(v)) for v in values]))
    if use_dates:
        start, end = utc_bounds(query.filters.dates, tz)
        ts = col(TIME_FIELD[table])
        if start is not None:
            conds.append(ts >= params.add(start))
        if end is not None:
            conds.append(ts < params.add(end))
    return conds


def key_columns(query: MetricQuery, table: str, dialect: EngineDialect, tz: str,
                period: bool = True) -> list[exp.Expression]:
    """SELECT items of the base CTE that become the group keys."""
    keys: list[exp.Expression] = [col(b).as_(b, quoted=True) for b in query.by]
    if query.grain and period:
        local = dialect.local_time(col(TIME_FIELD[table]), tz)
        keys.append(dialect.period_start(query.grain.value, local).as_("period", quoted=True))
    return keys


def base_cte(query: MetricQuery, metric: MetricDef, columns: list[str], dialect: EngineDialect,
             tz: str, params: Params, use_dates: bool = True) -> exp.Select:
    items = key_columns(query, metric.table, dialect, tz) + [
        col(c) for c in columns if c not in query.by
    ]
    if not items:
        items = [exp.Literal.number(1).as_("one")]
    select = exp.select(*items).from_(metric.table)
    conds = filter_conditions(query, metric.table, tz, params, use_dates)
    if query.grain and use_dates:
        conds.append(col(TIME_FIELD[metric.table]).is_(exp.null()).not_())
    if THEME in query.by and THEME in text_fields(metric.table):  # multi-valued dimension
        select = join_themes(select, metric.table, params, conds)
    for cond in conds:
        select = select.where(cond)
    return select


def grouped(aggs: list[exp.Expression], keys: tuple[str, ...], source: str = "base") -> exp.Select:
    """SELECT keys, aggs FROM source GROUP BY keys (explicit keys, portable) ORDER BY keys."""
    select = exp.select(*[col(k) for k in keys], *aggs).from_(source)
    if keys:
        select = select.group_by(*[col(k) for k in keys])
        select = select.order_by(*[exp.Ordered(this=col(k), nulls_first=False) for k in keys])
    return select


def count_where(cond: exp.Expression, alias: str) -> exp.Expression:
    return exp.Filter(this=exp.Count(this=exp.Star()), expression=exp.Where(this=cond)).as_(alias)


def agg_where(func: type[exp.Func], value: exp.Expression, cond: exp.Expression,
              alias: str) -> exp.Expression:
    return exp.Filter(this=func(this=value), expression=exp.Where(this=cond)).as_(alias)


def resolved_unknown_time(duration: exp.Expression) -> exp.Expression:
    """A ticket flagged resolved (a yes/no column) without a time: neither open (censored) nor
    waiting; excluded from time metrics, like a ticket closed without resolution."""
    return exp.and_(exp.func("coalesce", col("resolved"), exp.false()), duration.is_(exp.null()))


def with_base(main: exp.Select, base: exp.Select,
              extra: tuple[tuple[str, exp.Select], ...] = ()) -> exp.Select:
    out = main.with_("base", as_=base)
    for name, cte in extra:
        out = out.with_(name, as_=cte)
    return out


def local_period_starts(dates: DateRange, grain: Grain | None) -> list[dt.date]:
    """Calendar period starts covering a date range (one period = the range itself if no grain)."""
    if dates.start is None or dates.end is None:
        raise ValueError("churn over a period needs both a start and an end date (--from, --to)")
    if grain is None:
        return [dates.start]
    starts, day = [], _trunc(dates.start, grain)
    while day <= dates.end:
        starts.append(day)
        day = next_period(day, grain)
    return starts


def _trunc(day: dt.date, grain: Grain) -> dt.date:
    match grain:
        case Grain.DAY:
            return day
        case Grain.WEEK:
            return day - dt.timedelta(days=day.weekday())
        case Grain.MONTH:
            return day.replace(day=1)
        case Grain.QUARTER:
            return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    raise ValueError(f"unknown grain {grain}")


def next_period(day: dt.date, grain: Grain) -> dt.date:
    match grain:
        case Grain.DAY:
            return day + dt.timedelta(days=1)
        case Grain.WEEK:
            return day + dt.timedelta(days=7)
        case Grain.MONTH | Grain.QUARTER:
            step = 1 if grain is Grain.MONTH else 3
            month = day.month - 1 + step
            return dt.date(day.year + month // 12, month % 12 + 1, 1)
    raise ValueError(f"unknown grain {grain}")
