"""Multiple-testing adjustment for badge families and alerts (METHODS.md §7.2).

BH (false discovery rate) for the badges on one chart or table; Holm (family-wise) for few,
costly alerts. statsmodels' ``multipletests`` defaults to Holm–Šidák ("hs"), so the method is
always passed explicitly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from statsmodels.stats.multitest import multipletests

_STATSMODELS_NAME = {"holm": "holm", "bh": "fdr_bh"}


def adjust_pvalues(p: Sequence[float], method: str) -> np.ndarray:
    """Adjusted p-values (q-values for "bh") in the input order.

    NaN p-values (tests that could not run, e.g. a suppressed segment) stay NaN and do not count
    in the family size m, so one empty segment does not make every other badge harder to earn.
    """
    if method not in _STATSMODELS_NAME:
        raise ValueError(f"method must be 'holm' or 'bh', got {method!r}")
    arr = np.asarray(p, dtype=float).ravel()
    valid = ~np.isnan(arr)
    if np.any((arr[valid] < 0) | (arr[valid] > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(arr.shape, np.nan)
    if valid.any():
        out[valid] = multipletests(arr[valid], method=_STATSMODELS_NAME[method])[1]
    return out
