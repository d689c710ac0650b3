"""One-way secondary suppression counts every hidden group's answers in the pool (issue 14).

Found by the hypothesis property test (tests/metrics/test_property.py, resolved_within_24h by
month): months of n = 1 and 3 were suppressed and a month of n = 2 had no identified value
(nothing followed for 24 h). Counting only the suppressed months (4 < floor 5) hid the one
visible month (n = 6) as well, although the three hidden months hold 6 tickets together.
"""

from __future__ import annotations

import math

import pandas as pd

from cx.metrics.suppress import protect_complement

FLOOR = 5  # Thresholds.privacy_floor_n


def _months(tiers: list[tuple[str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"period": p, "n": n, "reliability": r, "value": 0.5 if r == "ok" else
                          math.nan, "ci_low": 0.4, "ci_high": 0.6} for p, n, r in tiers])


def test_a_no_data_group_with_answers_shields_its_neighbours() -> None:
    frame = _months([("03", 6, "low_n"), ("04", 1, "suppressed"), ("05", 3, "suppressed"),
                     ("06", 2, "no_data")])
    out = protect_complement(frame, FLOOR, ("period",))
    assert list(out["reliability"]) == ["low_n", "suppressed", "suppressed", "no_data"]


def test_a_pool_below_the_floor_still_hides_the_smallest_visible_group() -> None:
    # suppressed 1 + 3 = 4 answers, an empty no-data group adds nothing: the smallest visible
    # group (n = 6) is hidden too, the larger one (n = 30) stays
    frame = _months([("03", 30, "ok"), ("04", 1, "suppressed"), ("05", 3, "suppressed"),
                     ("06", 0, "no_data"), ("07", 6, "ok")])
    out = protect_complement(frame, FLOOR, ("period",))
    assert list(out["reliability"]) == ["ok", "suppressed", "suppressed", "no_data",
                                        "suppressed"]
    assert math.isnan(out.loc[4, "value"]) and math.isnan(out.loc[4, "ci_low"])
    assert out.loc[0, "value"] == 0.5
