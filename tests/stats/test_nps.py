"""NPS point, intervals and tests against METHODS.md §1 (NPS-1 … NPS-5)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cx.stats.nps import nps_counts, nps_diff_test, nps_estimate, nps_heterogeneity
from .helpers import approx4

A, B, C = (20, 30, 50), (30, 30, 40), (10, 40, 50)


def test_counts_from_raw_vector() -> None:
    # METHODS.md §1.4: the raw vector maps to (20, 30, 50)
    raw = [0] * 5 + [5] * 10 + [6] * 5 + [7] * 15 + [8] * 15 + [9] * 20 + [10] * 30
    assert nps_counts(raw) == (20, 30, 50)
    assert nps_counts([]) == (0, 0, 0)


@pytest.mark.parametrize("bad", [[11], [-1], [7.5], [float("nan")]])
def test_counts_reject_out_of_range(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="0-10"):
        nps_counts([5, *bad])


def test_nps1_adjusted_wald() -> None:
    # METHODS.md NPS-1: raw 0.3000, adj centre 0.2913 SE 0.0769 CI [0.1405, 0.4420]
    est = nps_estimate(*A)
    assert (est.value, est.n) == (approx4(0.3), 100)
    assert (est.centre, est.se) == (approx4(0.2913), approx4(0.0769))
    assert (est.ci_low, est.ci_high) == (approx4(0.1405), approx4(0.4420))


def test_nps1_wald_and_score() -> None:
    # METHODS.md NPS-1: Wald SE 0.0781 CI [0.1469, 0.4531]; score CI [0.1396, 0.4434]
    wald = nps_estimate(*A, method="wald")
    assert wald.se == approx4(0.0781)
    assert (wald.ci_low, wald.ci_high) == (approx4(0.1469), approx4(0.4531))
    score = nps_estimate(*A, method="score")
    assert score.value == approx4(0.3)
    assert (score.ci_low, score.ci_high) == (approx4(0.1396), approx4(0.4434))


def test_nps1_wald_equals_t_on_scores_asymptotically() -> None:
    # METHODS.md §1.4: trinomial-mean t interval [0.1442, 0.4558] with sd 0.7850 (ddof 1)
    scores = np.repeat([-1, 0, 1], A)
    res = stats.ttest_1samp(scores, 0.0)
    ci = res.confidence_interval(0.95)
    assert np.std(scores, ddof=1) == approx4(0.7850)
    assert (ci.low, ci.high) == (approx4(0.1442), approx4(0.4558))


def test_nps2_edge_case() -> None:
    # METHODS.md NPS-2: (0,2,8) Wald [0.5521, 1.0479] (clipped to 1), adj [0.2928, 0.9379],
    # score [0.3004, 0.9433]
    wald = nps_estimate(0, 2, 8, method="wald")
    assert wald.centre + 1.959963984540054 * wald.se == approx4(1.0479)
    assert (wald.ci_low, wald.ci_high) == (approx4(0.5521), 1.0)
    adj = nps_estimate(0, 2, 8)
    assert (adj.value, adj.ci_low, adj.ci_high) == (approx4(0.8), approx4(0.2928), approx4(0.9379))
    score = nps_estimate(0, 2, 8, method="score")
    assert (score.ci_low, score.ci_high) == (approx4(0.3004), approx4(0.9433))


def test_nps3_all_promoters() -> None:
    # METHODS.md NPS-3: (0,0,10) Wald [1,1]; adj [0.4750, 1.0000]; score [0.4449, 1.0000]
    wald = nps_estimate(0, 0, 10, method="wald")
    assert (wald.ci_low, wald.ci_high) == (1.0, 1.0)
    adj = nps_estimate(0, 0, 10)
    assert (adj.value, adj.ci_low, adj.ci_high) == (1.0, approx4(0.4750), 1.0)
    score = nps_estimate(0, 0, 10, method="score")
    assert (score.ci_low, score.ci_high) == (approx4(0.4449), 1.0)


def test_all_detractors_mirror_all_promoters() -> None:
    # Symmetry of METHODS.md NPS-3: (10,0,0) is the mirror image
    for method in ("adjusted_wald", "score"):
        pro, det = nps_estimate(0, 0, 10, method=method), nps_estimate(10, 0, 0, method=method)
        assert (det.ci_low, det.ci_high) == (-1.0, approx4(-pro.ci_low))


def test_score_interval_all_passives_is_not_degenerate() -> None:
    # All passives: NPS 0, the score interval must still have width (symmetric around 0)
    est = nps_estimate(0, 10, 0, method="score")
    assert est.ci_low == approx4(-est.ci_high)
    assert est.ci_high > 0.2


def test_score_limits_solve_the_score_equation() -> None:
    # METHODS.md §1.3: |Z(theta)| = z at both limits (Tango score statistic, restricted MLE)
    det, pro, n, z = 7, 31, 52, 1.959963984540054

    def z_of(theta: float) -> float:
        a, b = 2 * n, -(det + pro) + (2 * n + det - pro) * theta
        q = (math.sqrt(b * b + 4 * a * det * theta * (1 - theta)) - b) / (2 * a)
        return (pro - det - n * theta) / math.sqrt(n * (2 * q + theta * (1 - theta)))

    est = nps_estimate(det, n - det - pro, pro, method="score")
    assert (z_of(est.ci_low), z_of(est.ci_high)) == (pytest.approx(z), pytest.approx(-z))


def test_n0_is_no_data() -> None:
    # METHODS.md §1.4: n = 0 -> NaN, shown as "no data"
    for method in ("adjusted_wald", "score", "wald"):
        est = nps_estimate(0, 0, 0, method=method)
        assert est.n == 0 and math.isnan(est.value) and math.isnan(est.ci_low)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="det"):
        nps_estimate(-1, 2, 3)
    with pytest.raises(ValueError, match="method"):
        nps_estimate(1, 2, 3, method="bootstrap")
    with pytest.raises(ValueError, match="conf"):
        nps_estimate(1, 2, 3, conf=95)
    assert nps_estimate(20.0, 30, 50).n == 100  # integral floats from pandas columns are fine
    with pytest.raises(ValueError, match="whole"):
        nps_estimate(2.5, 3, 4)


def test_nps4_two_segments() -> None:
    # METHODS.md NPS-4: adj diff 0.1942 SE 0.1121 z 1.7323 p 0.0832 CI [-0.0255, 0.4139]
    res = nps_diff_test(A, B)
    assert res.estimate == approx4(0.2)  # raw difference is what users see
    assert (res.se, res.statistic, res.p) == (approx4(0.1121), approx4(1.7323), approx4(0.0832))
    assert (res.ci_low, res.ci_high) == (approx4(-0.0255), approx4(0.4139))
    assert (res.ci_low + res.ci_high) / 2 == approx4(0.1942)


def test_nps4_plain_wald() -> None:
    # METHODS.md NPS-4: Wald z 1.7541 p 0.0794 CI [-0.0235, 0.4235], SE 0.1140
    res = nps_diff_test(A, B, adjusted=False)
    assert (res.statistic, res.p, res.se) == (approx4(1.7541), approx4(0.0794), approx4(0.1140))
    assert (res.ci_low, res.ci_high) == (approx4(-0.0235), approx4(0.4235))


def test_segment_vs_rest() -> None:
    # METHODS.md §1.5: C vs rest (A+B) adj diff 0.1913, z 2.1980, p 0.0279
    rest = tuple(a + b for a, b in zip(A, B))
    res = nps_diff_test(C, rest)
    assert (res.ci_low + res.ci_high) / 2 == approx4(0.1913)
    assert (res.statistic, res.p) == (approx4(2.1980), approx4(0.0279))


def test_diff_with_empty_group_is_nan() -> None:
    assert math.isnan(nps_diff_test(A, (0, 0, 0)).p)


def test_nps5_heterogeneity() -> None:
    # METHODS.md NPS-5: adjusted Q 7.7629 df 2 p 0.0206; unadjusted Q 7.9968 p 0.0183
    adj = nps_heterogeneity([A, B, C])
    assert (adj.statistic, adj.df, adj.p) == (approx4(7.7629), 2, approx4(0.0206))
    raw = nps_heterogeneity([A, B, C], adjusted=False)
    assert (raw.statistic, raw.p) == (approx4(7.9968), approx4(0.0183))


def test_heterogeneity_k2_equals_z_squared() -> None:
    # METHODS.md §1.6: for k = 2, Q = z^2 (3.0009 = 1.7323^2)
    q = nps_heterogeneity([A, B]).statistic
    assert q == approx4(3.0009)
    assert q == pytest.approx(nps_diff_test(A, B).statistic ** 2)


def test_heterogeneity_skips_empty_groups_and_needs_two() -> None:
    assert nps_heterogeneity([A, B, (0, 0, 0)]).statistic == pytest.approx(
        nps_heterogeneity([A, B]).statistic
    )
    assert math.isnan(nps_heterogeneity([A, (0, 0, 0)]).p)
    with pytest.raises(ValueError, match="2 groups"):
        nps_heterogeneity([A])


def test_nps5_pairwise_holm() -> None:
    # METHODS.md NPS-5: raw p A-B 0.0832, A-C 0.3375, B-C 0.0054 -> Holm 0.1664, 0.3375, 0.0163
    raw = [nps_diff_test(x, y).p for x, y in ((A, B), (A, C), (B, C))]
    assert raw == [approx4(0.0832), approx4(0.3375), approx4(0.0054)]
    holm = multipletests(raw, method="holm")[1]
    assert list(holm) == [approx4(0.1664), approx4(0.3375), approx4(0.0163)]
