"""Engine benchmark: `metric nps --by channel --grain week` with a region filter vs hand SQL.

Called by `python -m cx bench`. Both run in this process on the same database; the hand-written
statement computes the same counts directly, so the ratio shows what the engine adds (tree
building, parameter binding, per-group intervals). Best of ``repeat`` runs, wall-clock seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from cx.config import Settings, load_settings
from cx.domain import Filters, Grain
from cx.metrics.engine import Engine
from cx.metrics.query import MetricQuery
from cx.storage import Store

_HAND_UTC = """
SELECT channel, CAST(date_trunc('week', submitted_at) AS DATE) AS period,
       count(*) FILTER (WHERE nps BETWEEN 0 AND 6) AS det,
       count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS pas,
       count(*) FILTER (WHERE nps BETWEEN 9 AND 10) AS pro,
       count(*) AS n_rows
FROM responses WHERE region = $region AND submitted_at IS NOT NULL
GROUP BY ALL ORDER BY ALL
"""


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
    return best, out


def engine_benchmark(store: Store, settings: Settings | None = None, repeat: int = 3) -> dict:
    """Seconds for the engine and for the hand-written query on the same counts, and their ratio.

    Uses UTC as reporting zone so both statements do identical work; the zone conversion
    (timezone(tz, ...)) is measured separately as ``engine_tz_seconds``.
    """
    settings = replace(settings or load_settings().with_db(store.path), tz="UTC")
    rows = store.scalar("SELECT count(*) FROM responses")
    region = store.scalar(
        "SELECT region FROM responses WHERE region IS NOT NULL GROUP BY region "
        "ORDER BY count(*) DESC, region LIMIT 1")
    if not rows or region is None:
        raise ValueError("the benchmark needs responses with a region (run `python -m cx demo`)")
    query = MetricQuery("nps", filters=Filters.of(region=[region]), by=("channel",),
                        grain=Grain.WEEK)
    engine = Engine(store, settings)
    engine_s, result = _best(lambda: engine.run(query), repeat)
    hand_s, hand = _best(lambda: store.query(_HAND_UTC, {"region": region}), repeat)
    tz_engine = Engine(store, replace(settings, tz="Europe/Berlin"))
    tz_s, _ = _best(lambda: tz_engine.run(query), repeat)
    stats = engine.sufficient(query)
    counts_equal = [tuple(int(v) for v in r) for r in stats[["det", "pas", "pro"]].itertuples(
        index=False)] == [tuple(r[2:5]) for r in hand]
    return {
        "query": "metric nps --by channel --grain week --where region=" + str(region),
        "responses": int(rows),
        "groups": len(result.rows),
        "engine_seconds": round(engine_s, 4),
        "hand_sql_seconds": round(hand_s, 4),
        "ratio": round(engine_s / hand_s, 2) if hand_s else None,
        "engine_tz_seconds": round(tz_s, 4),
        "counts_equal": counts_equal,
    }
