"""Weighted log-odds with an informative Dirichlet prior against a vector computed by hand."""

from __future__ import annotations

import math

import pytest

from cx.stats.logodds import weighted_log_odds


def test_hand_computed_vector() -> None:
    # Monroe, Colaresi & Quinn (2008) eqs. 16, 20-22, worked by hand (prior = pooled counts):
    # detractors a = (late 10, refund 5, great 1), n_a = 16; promoters b = (2, 1, 12), n_b = 15
    # alpha = (12, 6, 13), a_0 = 31.
    # late:  ln(22 / (16+31-22)) - ln(14 / (15+31-14)) = ln(0.88) - ln(0.4375)
    #        = -0.127833 + 0.826679 = 0.698846;  se = sqrt(1/22 + 1/14) = 0.341882;  z = 2.0441
    # great: ln(14 / 33) - ln(25 / 21) = -0.857450 - 0.174353 = -1.031804;
    #        se = sqrt(1/14 + 1/25) = 0.333809;  z = -3.0910
    # refund: ln(11/36) - ln(7/39) = -1.185624 + 1.717651 = 0.532028; se 0.483494; z 1.1004
    out = weighted_log_odds(["late", "refund", "great"], [10, 5, 1], [2, 1, 12])
    assert list(out["term"]) == ["late", "refund", "great"]  # sorted by z, a-typical first
    row = out.set_index("term")
    assert row.loc["late", "prior"] == 12.0
    assert row.loc["late", "delta"] == pytest.approx(0.698846, abs=1e-6)
    assert row.loc["late", "se"] == pytest.approx(0.341882, abs=1e-6)
    assert row.loc["late", "z"] == pytest.approx(2.0441, abs=1e-4)
    assert row.loc["great", "delta"] == pytest.approx(-1.031804, abs=1e-6)
    assert row.loc["great", "z"] == pytest.approx(-3.0910, abs=1e-4)
    assert row.loc["refund", "z"] == pytest.approx(1.1004, abs=1e-4)
    # 95% interval: delta +- 1.959964 * se
    assert row.loc["late", "ci_low"] == pytest.approx(0.698846 - 1.959964 * 0.341882, abs=1e-5)


def test_prior_size_shrinks_towards_zero() -> None:
    # a larger a_0 pulls every delta towards 0 (more prior weight, same pooled proportions)
    small = weighted_log_odds(["x", "y"], [30, 10], [10, 30], prior_size=4)
    large = weighted_log_odds(["x", "y"], [30, 10], [10, 30], prior_size=400)
    x_small = small.set_index("term").loc["x", "delta"]
    x_large = large.set_index("term").loc["x", "delta"]
    assert 0 < x_large < x_small
    # a_0 = 4: alpha = (2, 2); ln(32 / (40+4-32)) - ln(12 / (40+4-12)) = ln(8/3) - ln(3/8)
    assert x_small == pytest.approx(math.log(8 / 3) - math.log(3 / 8), abs=1e-12)


def test_unseen_terms_dropped_and_bad_input_refused() -> None:
    out = weighted_log_odds(["a", "b", "never"], [3, 1, 0], [1, 3, 0])
    assert list(out["term"]) == ["a", "b"]
    with pytest.raises(ValueError, match="3 counts for 2 terms"):
        weighted_log_odds(["a", "b"], [1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="non-negative"):
        weighted_log_odds(["a"], [-1], [2])
    with pytest.raises(ValueError, match="both groups"):
        weighted_log_odds(["a", "b"], [0, 0], [1, 2])
