"""Engine benchmark: `metric nps --by channel --grain week` with a region filter vs hand SQL.

Called by `python -m cx bench`. Both run in this process on the same database; the hand-written
statements compute the same sufficient statistics directly (the counts, and the answers-per-
customer sums behind the design effect), so the ratio shows what the engine adds (tree
building, parameter binding, per-group intervals). The sides run in alternation (cx.bench.timing):
medians and min / max in wall-clock seconds, and the median of the paired ratios.
"""

from __future__ import annotations

import math
from dataclasses import replace

from cx.config import Settings, load_settings
from cx.domain import Filters, Grain
from cx.metrics.engine import Engine
from cx.metrics.query import MetricQuery
from cx.storage import Store
from cx.bench.timing import MIN_PAIRS, alternate, timed

_HAND_UTC = """
SELECT channel, CAST(date_trunc('week', submitted_at) AS DATE) AS period,
       count(*) FILTER (WHERE nps BETWEEN 0 AND 6) AS det,
       count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS pas,
       count(*) FILTER (WHERE nps BETWEEN 9 AND 10) AS pro,
       count(*) AS n_rows
FROM responses WHERE region = $region AND submitted_at IS NOT NULL
GROUP BY ALL ORDER BY ALL
"""

# The answers-per-customer sums behind the design effect (METHODS.md, cx.stats.clusters), which
# the engine fetches beside the counts since intervals account for repeated answers.
_HAND_CLUSTERS_UTC = """
WITH scored AS (
  SELECT channel, CAST(date_trunc('week', submitted_at) AS DATE) AS period,
         coalesce(customer_id, 'answer:' || response_id) AS cluster,
         CASE WHEN nps BETWEEN 0 AND 6 THEN -1 WHEN nps BETWEEN 7 AND 8 THEN 0
              WHEN nps BETWEEN 9 AND 10 THEN 1 END AS s
  FROM responses WHERE region = $region AND submitted_at IS NOT NULL),
per_cluster AS (
  SELECT channel, period, count(s) AS nc, sum(s::DOUBLE) AS sc, sum(s::DOUBLE * s) AS qc
  FROM scored GROUP BY channel, period, cluster)
SELECT channel, period, count(*) FILTER (WHERE nc > 0) AS cl_clusters, sum(nc) AS cl_n,
       sum(sc) AS cl_s1, sum(qc) AS cl_s2, sum(sc * sc) AS cl_ss, sum(nc::DOUBLE * sc) AS cl_ns,
       sum(nc::DOUBLE * nc) AS cl_nn
FROM per_cluster GROUP BY ALL ORDER BY ALL
"""


def engine_benchmark(store: Store, settings: Settings | None = None,
                     pairs: int = MIN_PAIRS) -> dict:
    """Seconds for the engine and for the hand-written queries of the same statistics, and their
    ratio.

    Uses UTC as reporting zone so both statements do identical work; the engine in a non-UTC
    zone (timezone(tz, ...)) is paired with the same hand-written UTC query as ``tz``.
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
    tz_engine = Engine(store, replace(settings, tz="Europe/Berlin"))

    def by_hand() -> None:
        with store.cursor() as cur:
            for sql in (_HAND_UTC, _HAND_CLUSTERS_UTC):
                cur.execute(sql, {"region": region}).fetchall()

    hand = timed(by_hand)
    utc = alternate(timed(lambda: engine.run(query)), hand, pairs)
    zoned = alternate(timed(lambda: tz_engine.run(query)), hand, pairs)
    result = engine.run(query)
    stats = engine.sufficient(query)
    counts_equal = [tuple(int(v) for v in r) for r in stats[["det", "pas", "pro"]].itertuples(
        index=False)] == [tuple(r[2:5]) for r in store.query(_HAND_UTC, {"region": region})]
    by_hand_clusters = store.query(_HAND_CLUSTERS_UTC, {"region": region})
    counts_equal = counts_equal and [
        (int(r[0]), int(r[1]), _rounded(r[2])) for r in
        stats[["cl_clusters", "cl_n", "cl_ss"]].itertuples(index=False)] == [
        (int(h[2]), int(h[3]), _rounded(h[6])) for h in by_hand_clusters]
    timing = utc.as_dict("engine", "hand_sql")
    return {
        "query": "metric nps --by channel --grain week --where region=" + str(region),
        "responses": int(rows),
        "groups": len(result.rows),
        "engine_seconds": timing["engine"]["median"],
        "hand_sql_seconds": timing["hand_sql"]["median"],
        "ratio": timing["ratio"],
        "engine_tz_seconds": zoned.as_dict("engine", "hand_sql")["engine"]["median"],
        "tz_ratio": round(zoned.ratio, 3),
        "counts_equal": counts_equal,
        "timing": {"utc": timing, "tz": zoned.as_dict("engine_tz", "hand_sql_utc")},
    }


def _rounded(value: object) -> float:
    """A sum to compare: a group without a valid answer sums to NULL (NaN once in pandas): 0."""
    number = float(value) if value is not None else 0.0
    return 0.0 if math.isnan(number) else round(number, 6)
