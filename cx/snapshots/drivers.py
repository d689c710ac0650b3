"""Top drivers of satisfaction for the snapshot: key driver analysis over the trailing weeks.

Why trailing weeks: one week of answers is too few for a stable driver model (n ≥ max(50, 10 per
driver), METHODS.md §7.3), and drivers move slowly; the payload says which weeks were used.
The bootstrap is seeded, so the same data gives the same intervals (a rebuild is identical).
"""

from __future__ import annotations

from typing import Any

from cx.analysis.drivers import default_drivers, key_drivers
from cx.metrics import Engine
from cx.snapshots.build import clean, span_filters
from cx.snapshots.week import IsoWeek

DRIVER_WEEKS = 12
TOP_DRIVERS = 3
OUTCOME = ("responses", "csat", "satisfaction (CSAT score)")
BOOTSTRAP_REPS = 200
SEED = 0
KEEP = ("name", "label", "share", "ci_low", "ci_high", "r", "performance", "quadrant")


def top_drivers(engine: Engine, week: IsoWeek) -> dict[str, Any] | None:
    """The strongest drivers of CSAT over the 12 weeks ending with ``week``, or None with no
    rating columns or too few complete answers (the report then says so)."""
    table, outcome, label = OUTCOME
    if len(default_drivers(engine, table, outcome)) < 2:
        return None
    first = week.shift(-(DRIVER_WEEKS - 1))
    try:
        result = key_drivers(engine, table, outcome, filters=span_filters(first, week),
                             seed=SEED, reps=BOOTSTRAP_REPS)
    except ValueError:  # no usable rating fields in this database
        return None
    if result.suppressed:
        return None
    rows = result.drivers[list(KEEP)].head(TOP_DRIVERS).to_dict(orient="records")
    return clean({"outcome": outcome, "outcome_label": label, "weeks": DRIVER_WEEKS,
                  "first_week": str(first), "n": result.n, "r2": result.r2,
                  "method": result.method, "rows": rows})
