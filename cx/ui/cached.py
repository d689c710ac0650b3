"""Every query a page makes, cached (habit 6): keyed on frozen query objects plus a data version.

Why the data version in every key: a new batch or a rollback changes `batches`, so the version
(batch count, last load, last rollback) changes and old entries are simply never asked for again;
the Upload page also clears the cache outright. `ttl` bounds staleness when another process (cron
`python -m cx ingest`) writes to the same file; `max_entries` bounds memory.

Each function below is written as `f(settings, *args)` and called by pages as `f(*args)`: the
`cached` decorator adds the settings and the data version and sends the call through one
`st.cache_data` function keyed on (settings, version, function name, arguments).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from cx.views import customers as customers_view, kpis, records, tickets as tickets_view
from cx.auth.scopes import stamp
from cx.analysis.correlation import CorrelationAnalysis, correlation_analysis
from cx.analysis.drivers import DriverAnalysis, key_drivers
from cx.analysis.fetch import NUMERIC_KINDS, table_fields
from cx.analysis.segments import SegmentAnalysis, segment_table
from cx.config import Settings
from cx.domain import Filters
from cx.metrics import Engine, MetricQuery, MetricResult
from cx.metrics.text_fields import TEXT_TABLES, THEME
from cx.views.records import RecordPage, RecordQuery
from cx.snapshots import IsoWeek, Restatement, default_week, load_snapshot, restated
from cx.storage import FieldInfo
from cx.views.summary import last_date
from cx.ui import context

TTL = dt.timedelta(minutes=10)
ENTRIES = 512
STANDARD_FIELDS = ("channel", "region", "product", "segment", "team")
Version = tuple[int, str]
_QUERIES: dict[str, Callable[..., Any]] = {}


def _engine(settings: Settings) -> Engine:
    return Engine(context.store(), settings)


def version() -> Version:
    """Read on every run (one small query): the part of each cache key that new data changes."""
    return records.data_version(context.store())


def clear() -> None:
    """After an upload or a rollback in this process: forget every cached answer at once."""
    st.cache_data.clear()


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _answer(settings: Settings, v: Version, name: str, args: tuple[Any, ...]) -> Any:
    return _QUERIES[name](settings, *args)


def cached(query: Callable[..., Any]) -> Callable[..., Any]:
    """Register `query(settings, *args)`; return the page-facing `f(*args)`."""
    _QUERIES[query.__name__] = query

    @functools.wraps(query)
    def call(*args: Any) -> Any:
        # Every Filters in the arguments is put inside the signed-in person's scope here, the
        # one gate between pages and data: the scope is then part of every cache key, and no
        # query built from the URL or widget state can carry another one.
        scoped = stamp(args, context.scope())
        return _answer(context.settings(), version(), query.__name__, scoped)

    return call


@cached
def metric(settings: Settings, query: MetricQuery) -> MetricResult:
    return _engine(settings).run(query)


@cached
def tiles(settings: Settings, names: tuple[str, ...],
          filters: tuple[Filters, ...]) -> list[kpis.Tile]:
    """KPI tiles; `filters[i]` is what metric `names[i]` can apply (its table's fields)."""
    engine = _engine(settings)
    return kpis.tiles(engine, names, filters)  # BH q-values over the tiles, as snapshots


@cached
def km_curves(settings: Settings, filters: Filters, by: str) -> pd.DataFrame:
    return tickets_view.km_curves(_engine(settings), filters, by)


@cached
def backlog(settings: Settings, filters: Filters) -> pd.DataFrame:
    return tickets_view.open_backlog(context.store(), settings, filters)


@cached
def record_page(settings: Settings, query: RecordQuery) -> RecordPage:
    return records.fetch_records(context.store(), settings, query)


@cached
def dimensions(settings: Settings, table: str) -> list[str]:
    """Fields that filters and group-by accept for a table."""
    return _engine(settings).dimensions(table)


def filter_options() -> dict[str, list[str]]:
    """Sidebar field -> its values in any table (standard dimensions, then upload extras, then
    the themes comments mention), only the values of rows inside the signed-in person's data
    scope."""
    return _filter_options(Filters())  # the gate stamps the scope onto this Filters


@cached
def _filter_options(settings: Settings, within: Filters) -> dict[str, list[str]]:
    engine, store = _engine(settings), context.store()
    out: dict[str, list[str]] = {}
    for field, tables in records.filter_fields(store, STANDARD_FIELDS).items():
        values = {value for table in tables
                  for value in engine.dimension_values(table, field, within)}
        out[field] = sorted(values)
    themes = {value for table in TEXT_TABLES
              for value in engine.dimension_values(table, THEME, within)}
    if themes and THEME not in out:  # a multi-valued dimension (cx.metrics.text_fields)
        out[THEME] = sorted(themes)
    return out


def latest_date() -> dt.date | None:
    """The latest record date inside the signed-in person's scope (the date presets' anchor):
    over all rows it would show them when other regions last had data."""
    return _latest_date(Filters())  # the gate stamps the scope onto this Filters


@cached
def _latest_date(settings: Settings, within: Filters) -> dt.date | None:
    return last_date(context.store(), within.scope)


@cached
def churn_by_tenure(settings: Settings, filters: Filters) -> pd.DataFrame:
    return customers_view.churn_by_tenure(context.store(), settings, filters)


@cached
def nps_by_churn(settings: Settings, filters: Filters) -> pd.DataFrame:
    return customers_view.nps_by_churn(context.store(), settings, filters)


# -- Segments and Drivers pages (cx.analysis); the bootstrap makes drivers worth caching most --
@cached
def segments(settings: Settings, metric: str, by: str, filters: Filters) -> SegmentAnalysis:
    """Each value of `by` against the rest (the `analyze segments` command's numbers)."""
    return segment_table(_engine(settings), metric, by, filters)


@cached
def correlation(settings: Settings, table: str, x: str, y: str, method: str,
                control: str | None, filters: Filters) -> CorrelationAnalysis:
    return correlation_analysis(_engine(settings), table, x, y, method, control, filters)


@cached
def drivers(settings: Settings, table: str, outcome: str, names: tuple[str, ...],
            filters: Filters) -> DriverAnalysis:
    """Key drivers with the command line's defaults (seed 0, 500 bootstrap resamples)."""
    return key_drivers(_engine(settings), table, outcome, list(names), filters)


@cached
def numeric_fields(settings: Settings, table: str) -> list[FieldInfo]:
    """Scores, measures and ratings of a table: what correlation and key drivers accept."""
    fields = table_fields(_engine(settings), table).values()
    return [f for f in fields if f.kind in NUMERIC_KINDS]


# -- Weekly snapshot page: the stored snapshot is frozen, so what today's data says about it
# (8 headline points, ~half the page's time) changes only with the data version --
def snapshot_week(today: dt.date) -> IsoWeek:
    """The week the snapshot page opens on: the last complete week with data inside the
    signed-in person's scope. `today` only keys the cache, so the week moves on with the date."""
    return _snapshot_week(today, Filters())  # the gate stamps the scope onto this Filters


@cached
def _snapshot_week(settings: Settings, today: dt.date, within: Filters) -> IsoWeek:
    return default_week(context.store(), settings, scope=within.scope)


@cached
def snapshot_restated(settings: Settings, week: IsoWeek, within: Filters) -> list[Restatement]:
    """Headline values of `week`'s stored snapshot that today's data would give differently.

    `within` carries nothing but the signed-in person's scope (the gate above stamps it): each
    scope has its own snapshot, and another scope's values must not reach this page."""
    store = context.store()
    snap = load_snapshot(store, week, within.scope)
    return restated(store, settings, snap) if snap is not None else []
