"""Holm and Benjamini–Hochberg adjustment: METHODS.md MT-1 (§7.2)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from cx.stats.multiplicity import adjust_pvalues

from .helpers import approx4

P = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205]


def test_mt1_holm_and_bh() -> None:
    # METHODS.md MT-1: Holm 0.0080, 0.0560, 0.2340 x 6; BH 0.0080, 0.0320, 0.0672 x 3, 0.0800,
    # 0.0846, 0.2050; rejections at 0.05: raw 5, Holm 1, BH 2
    holm, bh = adjust_pvalues(P, "holm"), adjust_pvalues(P, "bh")
    assert list(holm) == [approx4(v) for v in [0.008, 0.056] + [0.234] * 6]
    expected_bh = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.0846, 0.205]
    assert list(bh) == [approx4(v) for v in expected_bh]
    assert (np.sum(np.array(P) < 0.05), np.sum(holm < 0.05), np.sum(bh < 0.05)) == (5, 1, 2)


def test_statsmodels_default_differs() -> None:
    # METHODS.md §7.2 pitfall: multipletests default "hs" (Holm–Šidák) gives 0.0547 for p2
    default = multipletests(P)[1]
    assert default[1] == approx4(0.0547)
    assert default[1] != pytest.approx(adjust_pvalues(P, "holm")[1], abs=5e-5)


def test_nan_passes_through_and_is_not_counted() -> None:
    with_nan = adjust_pvalues([P[0], math.nan, *P[1:]], "holm")
    assert math.isnan(with_nan[1])
    assert list(np.delete(with_nan, 1)) == list(adjust_pvalues(P, "holm"))
    assert np.isnan(adjust_pvalues([math.nan], "bh")).all()


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="method"):
        adjust_pvalues(P, "hs")
    with pytest.raises(ValueError, match="0, 1"):
        adjust_pvalues([1.5], "bh")
