"""p-chart and Laney p′: METHODS.md SPC-1 (§8.2)."""

from __future__ import annotations

import math

import pytest

from cx.stats.control import laney_sigma_z, p_chart

from .helpers import approx4

X = [160, 170, 165, 172, 158, 168, 140, 166]
N = [200, 210, 205, 215, 198, 206, 200, 204]


def test_spc1_all_weeks() -> None:
    # METHODS.md SPC-1: p̄ 0.7930; week 7 p 0.7000 < LCL 0.7071 (UCL 0.8790) -> out of control;
    # wk1 LCL 0.7071 / UCL 0.8790, wk4 0.7102 / 0.8759; all other weeks inside
    pts = p_chart(X, N)
    assert pts[0].centre == approx4(0.7930)
    wk7 = pts[6]
    assert (wk7.p, wk7.lcl, wk7.ucl) == (approx4(0.7), approx4(0.7071), approx4(0.8790))
    assert (wk7.out_of_control, wk7.side) == (True, "low")
    assert (pts[0].lcl, pts[0].ucl) == (approx4(0.7071), approx4(0.8790))
    assert (pts[3].lcl, pts[3].ucl) == (approx4(0.7102), approx4(0.8759))
    assert [p.out_of_control for p in pts] == [False] * 6 + [True, False]


def test_spc1_baseline_excluding_week7() -> None:
    # METHODS.md SPC-1: baseline without week 7 -> p̄ 0.8060, week-7 LCL 0.7221, still out
    pts = p_chart(X, N, baseline=[0, 1, 2, 3, 4, 5, 7])
    wk7 = pts[6]
    assert (wk7.centre, wk7.lcl, wk7.out_of_control) == (approx4(0.8060), approx4(0.7221), True)
    mask = [True] * 6 + [False, True]
    assert p_chart(X, N, baseline=mask)[6].lcl == pts[6].lcl
    # a slice baseline (first 6 weeks as phase I)
    assert p_chart(X, N, baseline=slice(0, 6))[0].centre == pytest.approx(993 / 1234)


def test_spc1_laney() -> None:
    # METHODS.md SPC-1: Laney on all 8 weeks sigma_z 1.1920, week-7 LCL 0.6906 (no longer out)
    assert laney_sigma_z(X, N) == approx4(1.1920)
    wk7 = p_chart(X, N, laney=True)[6]
    assert (wk7.lcl, wk7.out_of_control) == (approx4(0.6906), False)


def test_empty_week_and_bad_input() -> None:
    pts = p_chart([160, 0, 170], [200, 0, 210])
    assert math.isnan(pts[1].p) and not pts[1].out_of_control
    with pytest.raises(ValueError, match="between 0"):
        p_chart([5], [4])
    with pytest.raises(ValueError, match="same length"):
        p_chart([1, 2], [3])
    with pytest.raises(ValueError, match="baseline"):
        p_chart([1, 2], [3, 4], baseline=slice(0, 0))
