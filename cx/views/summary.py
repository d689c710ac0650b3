"""Two facts about what the database holds: whether it is demo data only, and its latest date
(inside a data scope).

Used by the start-up check (outside demo mode a weak configured cookie key is refused)
and by the date presets, so it lives in the core, not in a page.
"""

from __future__ import annotations

import datetime as dt
import functools

from sqlglot import exp

from cx.demo.build import SOURCE as DEMO_SOURCE
from cx.domain import UNRESTRICTED, Scope
from cx.metrics.compiler import Params, col, scope_condition
from cx.storage import Store
from cx.storage.schema import TIME_FIELD


def demo_mode(store: Store) -> bool:
    """True while no active batch came from anywhere but the built-in demo (or there is none).

    Asked on every run of the app, so one small query on `batches`, nothing on the record tables.
    """
    uploaded = store.scalar("SELECT count(*) FROM batches WHERE status = ? AND source <> ?",
                            ["active", DEMO_SOURCE])
    return int(uploaded) == 0


def latest_time(store: Store, scope: Scope = UNRESTRICTED,
                tables: tuple[str, ...] = tuple(TIME_FIELD)) -> dt.datetime | None:
    """The latest record time over `tables`, counting only the rows inside `scope`.

    Why in the scope: this date anchors the date presets, ticket ages and a snapshot's
    `data_through`; over all rows it would tell a scoped person when another region last had
    data, and move their own periods with it.
    """
    params, parts = Params(), []
    for table in tables:  # fixed schema names, never user input; scope values are bound
        part = exp.select(exp.Max(this=col(TIME_FIELD[table])).as_("hi")).from_(table)
        condition = scope_condition(scope, table, params)
        parts.append(part.where(condition) if condition is not None else part)
    union = functools.reduce(lambda a, b: exp.union(a, b, distinct=False), parts)
    tree = exp.select(exp.Max(this=exp.column("hi"))).from_(union.subquery("latest"))
    return store.scalar(tree.sql("duckdb"), params.values)


def last_date(store: Store, scope: Scope = UNRESTRICTED) -> dt.date | None:
    """The latest record date over the three tables inside `scope` (the date presets' anchor)."""
    hi = latest_time(store, scope)
    return hi.date() if hi else None
