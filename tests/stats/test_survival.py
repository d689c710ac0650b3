"""Kaplan–Meier from aggregated counts: METHODS.md TTR-1 (§4.4), cross-checked with lifelines."""

from __future__ import annotations

import math

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from cx.stats.survival import kaplan_meier, step_points

from .helpers import approx4

RESOLVED = [2, 3, 5, 8, 12, 24, 48]
OPEN = [6, 30, 72]


def aggregate(
    resolved: list[float], still_open: list[float]
) -> tuple[list[float], list[int], list[int]]:
    """One row per distinct time with (events, censored), as the engine's GROUP BY returns."""
    times = sorted(set(resolved) | set(still_open))
    return times, [resolved.count(t) for t in times], [still_open.count(t) for t in times]


def test_ttr1_kaplan_meier() -> None:
    # METHODS.md TTR-1: KM median 12.0000 (CI [2, inf)), p90 not reached (> 72 h),
    # S(24) = 0.3500 -> within 24 h 0.6500
    km = kaplan_meier(*aggregate(RESOLVED, OPEN))
    assert (km.n, km.events, km.censored, km.max_time) == (10, 7, 3, 72.0)
    assert km.median.value == approx4(12.0)
    assert (km.median.ci_low, km.median.ci_high) == (2.0, math.inf)
    assert math.isnan(km.p90.value)
    assert km.within[24.0].value == approx4(0.65)


def test_ttr1_survival_curve() -> None:
    # METHODS.md TTR-1: S(2)=0.9000, S(3)=0.8000, S(5)=0.7000, S(8)=0.5833, S(12)=0.4667,
    # S(24)=0.3500, S(48)=0.1750 (flat at censoring times 6, 30, 72)
    curve = dict(kaplan_meier(*aggregate(RESOLVED, OPEN)).curve)
    expected = {0: 1.0, 2: 0.9, 3: 0.8, 5: 0.7, 6: 0.7, 8: 0.5833, 12: 0.4667, 24: 0.35,
                30: 0.35, 48: 0.175, 72: 0.175}
    assert curve == {k: approx4(v) for k, v in expected.items()}


def test_ttr1_p75_via_curve() -> None:
    # METHODS.md TTR-1: p75 = 48.0000 (first t with S(t) <= 0.25)
    curve = kaplan_meier(*aggregate(RESOLVED, OPEN)).curve
    assert min(t for t, s in curve if s <= 0.25) == 48.0


def test_matches_lifelines_on_expanded_rows() -> None:
    # lifelines KaplanMeierFitter on one row per ticket (ties and mixed event/censor times)
    rng = np.random.default_rng(3)
    durations = rng.integers(1, 40, size=300).astype(float)
    observed = (rng.random(300) < 0.7).astype(int)
    ref = KaplanMeierFitter().fit(durations, observed)
    times = np.unique(durations)
    events = [int(observed[durations == t].sum()) for t in times]
    censored = [int((1 - observed[durations == t]).sum()) for t in times]
    km = kaplan_meier(times, events, censored, within=(10.0, 24.0))
    ref_sf = ref.survival_function_.iloc[:, 0]
    assert dict(km.curve) == {float(t): pytest.approx(s) for t, s in ref_sf.items()}
    med_ci = median_survival_times(ref.confidence_interval_).to_numpy().ravel()
    assert km.median.value == ref.median_survival_time_
    assert (km.median.ci_low, km.median.ci_high) == tuple(med_ci)
    lower, upper = ref.confidence_interval_.loc[24.0]
    assert km.within[24.0].value == pytest.approx(1 - ref.predict(24.0))
    assert (km.within[24.0].ci_low, km.within[24.0].ci_high) == (
        pytest.approx(1 - upper), pytest.approx(1 - lower)
    )


def test_greenwood_se() -> None:
    # Greenwood: Var S(24) = S^2 * sum d/(r(r-d)) over 2, 3, 5, 8, 12, 24 with r = 10, 9, 8, 6, 5, 4
    terms = sum(1 / (r * (r - 1)) for r in (10, 9, 8, 6, 5, 4))
    km = kaplan_meier(*aggregate(RESOLVED, OPEN))
    assert km.within[24.0].se == pytest.approx(0.35 * math.sqrt(terms))


def test_empty_and_bad_input() -> None:
    km = kaplan_meier([], [], [])
    assert km.n == 0 and math.isnan(km.median.value) and km.curve == ()
    assert math.isnan(km.within[24.0].value)
    with pytest.raises(ValueError, match="distinct"):
        kaplan_meier([1, 1], [1, 0], [0, 1])
    with pytest.raises(ValueError, match="censored"):
        kaplan_meier([1, 2], [1, 0], [0])
    with pytest.raises(ValueError, match="events"):
        kaplan_meier([1, 2], [1, -1], [0, 0])


def test_all_resolved_reaches_p90() -> None:
    # complete data: KM is the empirical CDF, p90 = smallest t with S(t) <= 0.1
    km = kaplan_meier(list(range(1, 11)), [1] * 10, [0] * 10)
    assert (km.median.value, km.p90.value) == (5.0, 9.0)
    assert km.within[24.0].value == 1.0


def _step_lookup(curve: tuple[tuple[float, float], ...], when: float) -> float:
    """S(when) of a step curve: the value of its last point at or before `when`."""
    return [s for t, s in curve if t <= when][-1]


def test_step_points_keep_the_ttr1_curve_exactly_with_fewer_points() -> None:
    # METHODS.md TTR-1: S is flat at the censoring times 6 and 30, so those points go; 72 (flat
    # too) stays as the curve's last point, where the line must end.
    full = kaplan_meier(*aggregate(RESOLVED, OPEN)).curve
    thin = step_points(full)
    assert [t for t, _ in thin] == [0.0, 2.0, 3.0, 5.0, 8.0, 12.0, 24.0, 48.0, 72.0]
    assert (len(full), len(thin)) == (11, 9)
    assert all(_step_lookup(thin, t) == s for t, s in full)


def test_step_points_on_many_censored_times_are_exact() -> None:
    # 2,000 tickets over 600 distinct minutes, 40% still open: most times move S, many do not.
    rng = np.random.default_rng(11)
    durations = rng.integers(1, 600, size=2000)
    observed = rng.random(2000) < 0.6
    times = np.unique(durations)
    events = [int(observed[durations == t].sum()) for t in times]
    censored = [int((~observed[durations == t]).sum()) for t in times]
    full = kaplan_meier(times, events, censored).curve
    thin = step_points(full)
    flat = sum(1 for i in range(1, len(full) - 1) if full[i][1] == full[i - 1][1])
    assert len(thin) == len(full) - flat and flat > 0
    assert thin[-1] == full[-1] and thin[0] == full[0]
    assert all(_step_lookup(thin, t) == s for t, s in full)
    assert step_points(()) == () and step_points(((0.0, 1.0),)) == ((0.0, 1.0),)
