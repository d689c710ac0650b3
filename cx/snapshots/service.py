"""Which week, build-or-read, and restatement: what the command line and the page both call.

Why the page may build: an executive opening the app on Monday morning should not find an empty
page because cron did not run; the insert-once rule makes "cron and the app both built it" safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from cx.config import Settings
from cx.domain import UNRESTRICTED, Scope
from cx.metrics import Engine, MetricQuery
from cx.snapshots.build import (HEADLINES, clean, flag_significance, headline_point,
                               metric_block)
from cx.snapshots.drivers import top_drivers
from cx.snapshots.headlines import headline_sentences
from cx.snapshots.movers import top_movers
from cx.snapshots.said import what_customers_said
from cx.snapshots.store import Snapshot, load_snapshot, save_snapshot
from cx.snapshots.week import IsoWeek, last_complete_week, last_complete_week_of_data, today_in
from cx.storage import Store
from cx.views.summary import latest_time

PAYLOAD_VERSION = 1
T = TypeVar("T")
RESTATE_TOLERANCE = 1e-9  # values equal up to float noise are not a restatement


class SnapshotRefused(ValueError):
    """The week cannot be snapshotted (not complete yet, no data); nothing was stored."""


def _latest_record(store: Store, scope: Scope) -> dt.datetime | None:
    """The latest survey answer or ticket inside `scope`: a scoped snapshot's `data_through`
    and opening week must not tell when other regions last had data."""
    return latest_time(store, scope, ("responses", "tickets"))


def _local_day(moment: dt.datetime, tz: str) -> dt.date:
    return moment.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(tz)).date()


def week_volume(engine: Engine, week: IsoWeek) -> int:
    """Survey answers plus tickets in the week (in the reporting time zone)."""
    return sum(int(engine.run(MetricQuery(m, week.filters())).rows["n"].sum())
               for m in ("responses", "tickets"))


def default_week(store: Store, settings: Settings, now: dt.datetime | None = None,
                 scope: Scope = UNRESTRICTED) -> IsoWeek:
    """The last complete ISO week before today; the data's last complete week when that is
    empty (both counted inside `scope`)."""
    week = last_complete_week(today_in(settings.tz, now))
    if week_volume(Engine(store, settings, scope=scope), week) > 0:
        return week
    latest = _latest_record(store, scope)
    if latest is None:
        return week
    return min(week, last_complete_week_of_data(_local_day(latest, settings.tz)))


def check_buildable(engine: Engine, week: IsoWeek, now: dt.datetime | None = None) -> None:
    today = today_in(engine.settings.tz, now)
    if week.sunday >= today:
        raise SnapshotRefused(f"{week} is not complete yet: it ends on {week.sunday:%A %d %b %Y} "
                              f"({engine.settings.tz}); a snapshot freezes complete weeks only")
    if week_volume(engine, week) == 0:
        raise SnapshotRefused(f"{week} has no survey answers and no tickets; nothing to snapshot")


def held(store: Store, fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn`` with one connection held open around it.

    While a connection is open DuckDB keeps its instance, so the engine's per-query connections
    inside ``fn`` are cheap (reopening the file took about half of a build). Holding it per step
    rather than for the whole build lets a running app get the file between steps.
    """
    with store.connect():
        return fn(*args)


def build_payload(engine: Engine, week: IsoWeek) -> dict[str, Any]:
    """Every number of the week's snapshot, computed now; deterministic for the same data (and
    the same scope: an engine with a data scope reads only that scope's rows)."""
    as_of = week.end_utc(engine.settings.tz)
    blocks = [held(engine.store, metric_block, engine, m, week, as_of) for m in HEADLINES]
    flag_significance(blocks, engine.settings.confidence)
    payload = clean({
        "version": PAYLOAD_VERSION, "week": str(week), "title": week.label(),
        "monday": week.monday, "sunday": week.sunday, "tz": engine.settings.tz,
        "as_of": as_of, "confidence": engine.settings.confidence, "metrics": blocks,
        "movers": held(engine.store, top_movers, engine, week, as_of),
        "drivers": held(engine.store, top_drivers, engine, week),
        "said": held(engine.store, what_customers_said, engine, week),
    })
    payload["headlines"] = headline_sentences(payload)
    if engine.scope is not None and not engine.scope.unrestricted:
        payload["scope"] = engine.scope.describe()  # the report says whose part of the data
    return payload


def _active_batches(store: Store) -> list[str]:
    return [r[0] for r in store.query(
        "SELECT batch_id FROM batches WHERE status = ? ORDER BY batch_id", ["active"])]


def get_or_build(store: Store, settings: Settings, week: IsoWeek, built_by: str,
                 now: dt.datetime | None = None,
                 scope: Scope = UNRESTRICTED) -> tuple[Snapshot, bool]:
    """The stored snapshot of ``week`` in ``scope``, building and storing it first when there is
    none. Each data scope has its own snapshot, built from that scope's rows only."""
    found = load_snapshot(store, week, scope)
    if found is not None:
        return found, False
    engine = Engine(store, settings, scope=scope)
    check_buildable(engine, week, now)
    batches, latest = _active_batches(store), _latest_record(store, scope)
    payload = build_payload(engine, week)
    return save_snapshot(store, week, payload, built_by=built_by, tz=settings.tz,
                         batch_ids=batches, data_through=latest, scope=scope)


@dataclass(frozen=True)
class Restatement:
    name: str
    label: str
    unit: str
    reported: float | None
    restated: float | None
    reported_n: int
    restated_n: int

    @property
    def difference(self) -> float | None:
        if self.reported is None or self.restated is None:
            return None
        return self.restated - self.reported


def restated(store: Store, settings: Settings, snapshot: Snapshot) -> list[Restatement]:
    """Headline values that today's data would give differently (same week, same aging time)."""
    engine = Engine(store, replace(settings, tz=snapshot.tz), scope=snapshot.scope)
    week, as_of = snapshot.week, dt.datetime.fromisoformat(snapshot.payload["as_of"])
    out = []
    with store.connect():  # keep the instance open across the queries (see build_payload)
        fresh = [headline_point(engine, m["name"], week, as_of)
                 for m in snapshot.payload["metrics"]]
    for m, now in zip(snapshot.payload["metrics"], fresh):
        value_moved = (now["value"] is None) != (m["value"] is None) or (
            now["value"] is not None and abs(now["value"] - m["value"]) > RESTATE_TOLERANCE)
        if value_moved or int(now["n"]) != int(m["n"]):
            out.append(Restatement(m["name"], m["label"], m["unit"], m["value"], now["value"],
                                   int(m["n"]), int(now["n"])))
    return out
