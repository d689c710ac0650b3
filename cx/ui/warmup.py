"""Warm-up at server start: what the first visitor of a fresh server would otherwise wait for.

Why: on a fresh server the first page run paid for importing the app's modules (3.3 s, of which
scipy.stats 1.3 s), the metric catalog, opening the database (and, on a fresh database, building
the demo data), and the landing pages' queries, which the query cache then kept for everyone
(issue 13). The server does all of that itself as it starts (cx.ui.server_start): imports
before it answers, the rest in a thread while the login form is drawn.

The landing pages' queries are asked with exactly the arguments those pages use for the default
view (tests/app/test_warmup.py checks that their first run then finds every answer cached). A
failure is logged and never stops the server: the first visitor then waits, as before.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time

import scipy.stats  # noqa: F401 - imported here, once, rather than by a visitor's first run

from cx.config import Settings, engine_url
from cx.domain import UNRESTRICTED, Filters, Grain
from cx.metrics import MetricQuery, get_metric
from cx.snapshots import SnapshotRefused, get_or_build
from cx.ui import cached, context, sources, startup
from cx.ui import verbatims as text
from cx.ui.analysis_views import COEFFICIENT
from cx.ui.filters import default_view, for_table
from cx.ui.snapshot_charts import snapshot_charts
from cx.views.kpis import OVERVIEW_METRICS
from cx.views.records import RecordQuery
from cx.views.tickets import TIME_METRICS

# Everything the pages import besides the above (one page's first run paid for its own).
PAGE_MODULES = ("cx.ui.auth", "cx.ui.errors", "cx.ui.navigation", "cx.ui.components",
                "cx.ui.guard", "cx.ui.analysis_views", "cx.ui.explorer", "cx.ui.upload",
                "cx.ui.upload_mapping", "cx.ui.users_admin", "cx.charts.figures",
                "cx.stats.survival", "plotly.io")


def warm_up() -> float:
    """Imports, demo data on a fresh database, the landing pages' queries; seconds taken."""
    started = time.perf_counter()
    for name in PAGE_MODULES:
        importlib.import_module(name)
    settings = context.settings()
    # one connection for all of it (cx.storage.store); asked as people without a data scope
    with context.store().connect(), context.asking_as(UNRESTRICTED):
        startup.prepare_data(settings)
        overview()
        snapshot(settings)
        # then the pages whose first visit asks the most (at 10M answers each took 2.5 to
        # 5.5 s of queries and model fits on a session's first visit). Not on Spark: there
        # these take minutes of the cluster (Verbatims alone 97 s), which the first visitors'
        # own queries would queue behind.
        if engine_url() == "duckdb":
            filters = default_view().filters
            tickets(filters)
            verbatims(filters)
            drivers(filters)
    return time.perf_counter() - started


def overview() -> None:
    """What pages/overview.py asks for on its first run (admins and managers land there): the
    sidebar's options, the sources caption, the KPI tiles and the first metric's weekly trend."""
    cached.filter_options()
    filters = default_view().filters
    sources.response_sources(for_table(filters, "responses"))
    cached.tiles(OVERVIEW_METRICS, tuple(for_table(filters, get_metric(m).table)
                                         for m in OVERVIEW_METRICS))
    trend = get_metric(OVERVIEW_METRICS[0])
    cached.metric(MetricQuery(metric=trend.name, filters=for_table(filters, trend.table),
                              grain=Grain.WEEK))


def snapshot(settings: Settings) -> None:
    """What pages/snapshot.py asks for on its first run (executives land there): the week, its
    snapshot (built when there is none yet, as the page would), what today's data restates,
    and the snapshot's charts."""
    week = cached.snapshot_week(dt.date.today())
    try:
        snap, _ = get_or_build(context.store(), settings, week, built_by="app")
    except SnapshotRefused:
        return  # no data that week: the page says so
    cached.snapshot_restated(week, Filters())
    snapshot_charts(snap.payload["metrics"])


def tickets(view_filters: Filters) -> None:
    """What pages/tickets.py asks for its default breakdown (channel)."""
    filters = for_table(view_filters, "tickets")
    cached.metric(MetricQuery(metric="tickets", filters=filters))
    for name in TIME_METRICS:
        cached.metric(MetricQuery(metric=name, filters=filters, by=("channel",)))
    cached.km_curves(filters, "channel")
    cached.backlog(filters)


def verbatims(view_filters: Filters) -> None:
    """What pages/verbatims.py asks for survey comments, its default source, and NPS."""
    source = next(iter(text.SOURCES))
    filters = for_table(view_filters, source)
    themes = text.verbatims_themes(filters, source)
    if not themes:
        return
    text.verbatims_groups(filters)
    text.verbatims_effects(text.SOURCE_METRICS[source][0], filters)
    text.verbatims_emerging(filters, source)
    text.verbatims_sentiment(filters, source)
    text.verbatims_words(filters)
    theme = text.offered_themes(themes, filters)[0]
    cached.record_page(RecordQuery(source, filters.with_values(theme=theme), "", page_size=25))
    text.text_columns(source)


def drivers(view_filters: Filters) -> None:
    """What pages/drivers.py asks with its default choices: the first coefficient controlling
    for channel, and CSAT explained by every rating column."""
    tickets_filters = for_table(view_filters, "tickets")
    dims = cached.dimensions("tickets")
    control = "channel" if "channel" in dims else dims[0]
    cached.correlation("tickets", "resolution_hours", "csat", next(iter(COEFFICIENT)), control,
                       tickets_filters)
    fields = {f.name: f for f in cached.numeric_fields("responses")}
    ratings = tuple(n for n, f in fields.items() if n != "csat" and f.kind == "rating")
    if len(ratings) >= 2:
        cached.drivers("responses", "csat", ratings, for_table(view_filters, "responses"))
