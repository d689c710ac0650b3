"""Every query a page makes, cached (habit 6): keyed on frozen query objects plus a data version.

Why the data version in every key: a new batch or a rollback changes `batches`, so the version
(batch count, last load, last rollback) changes and old entries are simply never asked for again;
the Upload page also clears the cache outright. `ttl` bounds staleness when another process (cron
`python -m cx ingest`) writes to the same file; `max_entries` bounds memory.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cx import customers_view, kpis, records, tickets_view
from cx.analysis.correlation import CorrelationAnalysis, correlation_analysis
from cx.analysis.drivers import DriverAnalysis, key_drivers
from cx.analysis.fetch import NUMERIC_KINDS, table_fields
from cx.analysis.segments import SegmentAnalysis, segment_table
from cx.config import Settings
from cx.domain import Filters
from cx.metrics import Engine, MetricQuery, MetricResult
from cx.records import RecordPage, RecordQuery
from cx.storage import FieldInfo
from cx.summary import data_summary
from cx.ui import context

TTL = dt.timedelta(minutes=10)
ENTRIES = 256
STANDARD_FIELDS = ("channel", "region", "product", "segment", "team")
Version = tuple[int, str]


def _engine(settings: Settings) -> Engine:
    return Engine(context.store(), settings)


def version() -> Version:
    """Read on every run (one small query): the part of each cache key that new data changes."""
    return records.data_version(context.store())


def clear() -> None:
    """After an upload or a rollback in this process: forget every cached answer at once."""
    st.cache_data.clear()


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _metric(settings: Settings, v: Version, query: MetricQuery) -> MetricResult:
    return _engine(settings).run(query)


def metric(query: MetricQuery) -> MetricResult:
    return _metric(context.settings(), version(), query)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _tiles(settings: Settings, v: Version, names: tuple[str, ...],
           filters: tuple[Filters, ...]) -> list[kpis.Tile]:
    engine = _engine(settings)
    return [kpis.tile(engine, name, f) for name, f in zip(names, filters, strict=True)]


def tiles(names: tuple[str, ...], filters: tuple[Filters, ...]) -> list[kpis.Tile]:
    """KPI tiles; `filters[i]` is what metric `names[i]` can apply (its table's fields)."""
    return _tiles(context.settings(), version(), names, filters)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _km(settings: Settings, v: Version, filters: Filters, by: str) -> pd.DataFrame:
    return tickets_view.km_curves(_engine(settings), filters, by)


def km_curves(filters: Filters, by: str) -> pd.DataFrame:
    return _km(context.settings(), version(), filters, by)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _backlog(settings: Settings, v: Version, filters: Filters) -> pd.DataFrame:
    return tickets_view.open_backlog(context.store(), settings, filters)


def backlog(filters: Filters) -> pd.DataFrame:
    return _backlog(context.settings(), version(), filters)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _records(settings: Settings, v: Version, query: RecordQuery) -> RecordPage:
    return records.fetch_records(context.store(), settings, query)


def record_page(query: RecordQuery) -> RecordPage:
    return _records(context.settings(), version(), query)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _dimensions(settings: Settings, v: Version, table: str) -> list[str]:
    return _engine(settings).dimensions(table)


def dimensions(table: str) -> list[str]:
    """Fields that filters and group-by accept for a table."""
    return _dimensions(context.settings(), version(), table)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _filter_options(settings: Settings, v: Version) -> dict[str, list[str]]:
    engine, store = _engine(settings), context.store()
    out: dict[str, list[str]] = {}
    for field, tables in records.filter_fields(store, STANDARD_FIELDS).items():
        values = {value for table in tables for value in engine.dimension_values(table, field)}
        out[field] = sorted(values)
    return out


def filter_options() -> dict[str, list[str]]:
    """Sidebar field -> its values in any table (standard dimensions, then upload extras)."""
    return _filter_options(context.settings(), version())


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _latest(settings: Settings, v: Version) -> dt.date | None:
    return data_summary(context.store()).last_date


def latest_date() -> dt.date | None:
    """The latest record date over all tables (the anchor of the date presets)."""
    return _latest(context.settings(), version())


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _tenure(settings: Settings, v: Version, filters: Filters) -> pd.DataFrame:
    return customers_view.churn_by_tenure(context.store(), settings, filters)


def churn_by_tenure(filters: Filters) -> pd.DataFrame:
    return _tenure(context.settings(), version(), filters)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _nps_churn(settings: Settings, v: Version, filters: Filters) -> pd.DataFrame:
    return customers_view.nps_by_churn(context.store(), settings, filters)


def nps_by_churn(filters: Filters) -> pd.DataFrame:
    return _nps_churn(context.settings(), version(), filters)


# -- Segments and Drivers pages (cx.analysis); the bootstrap makes drivers worth caching most --
@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _segments(settings: Settings, v: Version, metric: str, by: str,
              filters: Filters) -> SegmentAnalysis:
    return segment_table(_engine(settings), metric, by, filters)


def segments(metric: str, by: str, filters: Filters) -> SegmentAnalysis:
    """Each value of `by` against the rest (the `analyze segments` command's numbers)."""
    return _segments(context.settings(), version(), metric, by, filters)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _correlation(settings: Settings, v: Version, table: str, x: str, y: str, method: str,
                 control: str | None, filters: Filters) -> CorrelationAnalysis:
    return correlation_analysis(_engine(settings), table, x, y, method, control, filters)


def correlation(table: str, x: str, y: str, method: str, control: str | None,
                filters: Filters) -> CorrelationAnalysis:
    return _correlation(context.settings(), version(), table, x, y, method, control, filters)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _drivers(settings: Settings, v: Version, table: str, outcome: str,
             drivers: tuple[str, ...], filters: Filters) -> DriverAnalysis:
    return key_drivers(_engine(settings), table, outcome, list(drivers), filters)


def drivers(table: str, outcome: str, names: tuple[str, ...], filters: Filters) -> DriverAnalysis:
    """Key drivers with the command line's defaults (seed 0, 500 bootstrap resamples)."""
    return _drivers(context.settings(), version(), table, outcome, names, filters)


@st.cache_data(ttl=TTL, max_entries=ENTRIES, show_spinner=False)
def _numeric_fields(settings: Settings, v: Version, table: str) -> list[FieldInfo]:
    fields = table_fields(_engine(settings), table).values()
    return [f for f in fields if f.kind in NUMERIC_KINDS]


def numeric_fields(table: str) -> list[FieldInfo]:
    """Scores, measures and ratings of a table: what correlation and key drivers accept."""
    return _numeric_fields(context.settings(), version(), table)
