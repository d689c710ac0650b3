"""Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

Which words (or themes) tell detractors' comments from promoters'? Raw frequency differences
rank the most common words first, and plain log-odds ratios rank the rarest words first (a word
seen twice in one group and never in the other has an infinite ratio). Monroe et al. ("Fightin'
Words", Political Analysis 16(4):372-403, eqs. 16-22) shrink each word's counts towards a prior
drawn from the pooled corpus and divide the difference by its approximate standard error, so a
z-score near 0 says "no evidence", whatever the word's frequency:

    delta_w = log((y_wa + a_w) / (n_a + a_0 - y_wa - a_w)) - log((y_wb + a_w) / (n_b + a_0 - y_wb - a_w))
    var(delta_w) ~= 1 / (y_wa + a_w) + 1 / (y_wb + a_w),    z_w = delta_w / sqrt(var)

with a_w = a_0 * (pooled count of w / pooled total). By default a_0 is the pooled total, so the
prior is the pooled counts themselves (the choice of R's tidylo). Counts come in already
aggregated (from DuckDB); this module is pure arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cx.stats.types import z_value

COLUMNS = ("term", "count_a", "count_b", "prior", "delta", "se", "z", "ci_low", "ci_high")


def _counts(name: str, values: Sequence[float], size: int) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    if arr.size != size:
        raise ValueError(f"{name} has {arr.size} counts for {size} terms")
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must hold non-negative finite counts")
    return arr


def weighted_log_odds(terms: Sequence[str], counts_a: Sequence[float],
                      counts_b: Sequence[float], prior_size: float | None = None,
                      conf: float = 0.95) -> pd.DataFrame:
    """One row per term: counts, prior a_w, delta (log-odds of a minus b), its SE, z and CI.

    Positive delta: the term is more typical of group a. Terms with no count in either group
    carry no information and are dropped. Rows are sorted by z, most typical of a first.
    """
    k = len(terms)
    a, b = _counts("counts_a", counts_a, k), _counts("counts_b", counts_b, k)
    keep = (a + b) > 0
    terms_kept = [t for t, ok in zip(terms, keep, strict=True) if ok]
    a, b = a[keep], b[keep]
    if a.sum() == 0 or b.sum() == 0:
        raise ValueError("both groups need at least one counted term")
    pooled = a + b
    a0 = float(pooled.sum() if prior_size is None else prior_size)
    if not a0 > 0:
        raise ValueError(f"prior_size must be > 0, got {prior_size!r}")
    alpha = a0 * pooled / pooled.sum()
    n_a, n_b = a.sum(), b.sum()
    delta = (np.log((a + alpha) / (n_a + a0 - a - alpha))
             - np.log((b + alpha) / (n_b + a0 - b - alpha)))
    se = np.sqrt(1.0 / (a + alpha) + 1.0 / (b + alpha))
    z = delta / se
    half = z_value(conf) * se
    out = pd.DataFrame({"term": terms_kept, "count_a": a, "count_b": b, "prior": alpha,
                        "delta": delta, "se": se, "z": z, "ci_low": delta - half,
                        "ci_high": delta + half})
    return out.sort_values("z", ascending=False, kind="stable").reset_index(drop=True)
