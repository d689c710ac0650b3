"""Top drivers of satisfaction for the snapshot: key driver analysis over the trailing weeks.

Placeholder until cx.analysis offers key drivers: returns None (the snapshot then has no
driver section).
"""

from __future__ import annotations

from typing import Any

from cx.metrics import Engine
from cx.snapshots.week import IsoWeek

DRIVER_WEEKS = 12  # one week is too few answers for a stable driver model (n >= 50, 10 per driver)


def top_drivers(engine: Engine, week: IsoWeek) -> dict[str, Any] | None:
    return None
