"""Key driver analysis: which rated attributes explain an outcome (METHODS.md §6).

Importance is each driver's exact Shapley/LMG part of R² (Johnson's relative weights above 12
drivers), with the zero-order r for its sign, seeded bootstrap CIs of the shares, performance
(the driver's mean) and the importance–performance quadrant. Rows are listwise complete (in
SQL); the analysis does not run below n = max(50, 10·p) (§7.3).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import f as f_dist
from sqlglot import exp

from cx.analysis.fetch import fetch_rows, numeric_field, table_fields
from cx.analysis.readings import drivers_reading
from cx.domain import Filters
from cx.metrics import Engine
from cx.metrics.compiler import check_fields, col
from cx.storage.fields import FieldInfo
# Bootstrap from resampled correlation matrices (importance_from_corr) rather than
# cx.stats.bootstrap_shares, which copies the data once per replicate: too much for large uploads.
from cx.stats.drivers import (
    BOOTSTRAP_SHAPLEY_MAX_P,
    driver_importance,
    importance_from_corr,
    quadrant,
)

COLUMNS = ("name", "label", "importance", "share", "ci_low", "ci_high", "r", "beta",
           "sign_flip", "performance", "quadrant", "rank")
BOOTSTRAP_REPS = 500
MEMORY_BUDGET = 64 * 2**20  # bytes of resample counts per chunk
# Above this many complete rows the bootstrap (reps x n x k²/2 multiply-adds) would take more
# than a few seconds, and the shares' sampling error is already tiny: CIs are left out.
BOOTSTRAP_MAX_ROWS = 100_000


@dataclass(frozen=True, eq=False)
class DriverAnalysis:
    table: str
    outcome: str
    r2: float
    n: int
    method: str  # "shapley" | "johnson" | "" when suppressed
    drivers: pd.DataFrame
    reading: str
    suppressed: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `analyze drivers` (PRODUCT.md §6)."""
        return {"table": self.table, "outcome": self.outcome, "r2": self.r2, "n": self.n,
                "method": self.method, "suppressed": self.suppressed, "reading": self.reading,
                "notes": list(self.notes), "drivers": self.drivers.to_dict(orient="records")}


TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "y", "t"), ("0", "false", "no", "n", "f")
R2_MIN = 0.10  # below this R² (or a non-significant F test) the reading leads with a warning


def outcome_expression(engine: Engine, table: str, outcome: str) -> tuple[exp.Expression, bool]:
    """A numeric field, a yes/no flag (``churned``), or FIELD=VALUE as a 0/1 outcome (NULL where
    the field is unknown). On a flag, =1 / =true / =yes and =0 / =false / =no all work."""
    fields = table_fields(engine, table)
    name, sep, value = outcome.partition("=")
    name, value = name.strip(), value.strip()
    info = fields.get(name)
    is_flag = info is not None and info.kind == "flag"
    if not sep and is_flag:
        return exp.cast(col(name), exp.DataType.Type.DOUBLE), True
    if not sep:
        numeric_field(fields, name, table)
        return col(name), False
    check_fields((name,), list(fields.values()), table, "outcome")
    if is_flag and value.lower() in TRUE_WORDS + FALSE_WORDS:
        value = "true" if value.lower() in TRUE_WORDS else "false"
    # A sqlglot literal (escaped by sqlglot) keeps the expression self-contained: fetch_rows
    # numbers its own bind parameters.
    text = exp.cast(col(name), exp.DataType.Type.VARCHAR)
    flag = exp.EQ(this=exp.func("lower", text) if is_flag else text,
                  expression=exp.Literal.string(value))
    return exp.cast(flag, exp.DataType.Type.DOUBLE), True


def overall_f_test(r2: float, n: int, p: int) -> float:
    """p-value of the regression's overall F test: F = (R²/p) / ((1-R²)/(n-p-1))."""
    if not (0.0 <= r2 < 1.0) or n - p - 1 < 1:
        return math.nan
    stat = (r2 / p) / ((1.0 - r2) / (n - p - 1))
    return float(f_dist.sf(stat, p, n - p - 1))


def common_scale(fields: Mapping[str, FieldInfo], names: Sequence[str]) -> bool:
    """True when every driver declares the same rating scale: only then are their means
    (performance) comparable, so only then is the importance–performance quadrant drawn."""
    scales = {(fields[n].scale_min, fields[n].scale_max) for n in names}
    return len(scales) == 1 and None not in next(iter(scales))


def default_drivers(engine: Engine, table: str, outcome: str) -> list[str]:
    """Every rating column an upload added (field_catalog kind "rating"), but the outcome."""
    target = outcome.partition("=")[0].strip()
    return [f.name for f in table_fields(engine, table).values()
            if f.kind == "rating" and f.name != target]


def _resampled_corr(data: np.ndarray, reps: int, seed: int) -> np.ndarray:
    """Correlation matrices of ``reps`` row resamples, from weighted moments.

    A resample is a vector of row counts (bincount of n draws), so its moments are weighted
    sums: one matrix product of the counts with the column products, and no (reps, n, k) copy
    of the data (cx.stats.drivers.bootstrap_shares materialises one: 1.5 GB for 26k rows x 15
    columns x 500 reps). Counts are drawn in chunks of about MEMORY_BUDGET bytes.
    """
    n, k = data.shape
    z = (data - data.mean(axis=0)) / data.std(axis=0)  # centred: no cancellation in S2 - S1²
    iu = np.triu_indices(k)
    products = z[:, iu[0]] * z[:, iu[1]]  # (n, k(k+1)/2)
    rng = np.random.default_rng(seed)
    chunk = max(1, MEMORY_BUDGET // (8 * n))
    out = []
    for start in range(0, reps, chunk):
        w = np.stack([np.bincount(rng.integers(0, n, n), minlength=n)
                      for _ in range(min(chunk, reps - start))]).astype(float)
        mean = (w @ z) / n
        cov = np.zeros((len(w), k, k))
        cov[:, iu[0], iu[1]] = (w @ products) / n
        cov = np.triu(cov, 1).transpose(0, 2, 1) + cov - mean[:, :, None] * mean[:, None, :]
        sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        with np.errstate(divide="ignore", invalid="ignore"):  # constant resample -> NaN
            out.append(cov / (sd[:, :, None] * sd[:, None, :]))
    R = np.concatenate(out)
    return R[np.isfinite(R).all(axis=(1, 2))]


def bootstrap_share_ci(X: np.ndarray, y: np.ndarray, reps: int, seed: int,
                       conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile CIs of each driver's share of R² over row resamples (seeded).

    Shapley up to 8 drivers, Johnson above, as cx.stats.drivers does inside bootstraps (Shapley
    x reps gets slow sooner); resamples with a constant column are skipped.
    """
    p = X.shape[1]
    R = _resampled_corr(np.column_stack([X, y]), reps, seed)
    if len(R) < 2:
        return np.full(p, math.nan), np.full(p, math.nan)
    imp = importance_from_corr(R, "shapley" if p <= BOOTSTRAP_SHAPLEY_MAX_P else "johnson")
    share = imp / imp.sum(axis=-1, keepdims=True)
    tail = 100.0 * (1.0 - conf) / 2.0
    return np.percentile(share, tail, axis=0), np.percentile(share, 100.0 - tail, axis=0)


def drivers_core(X: np.ndarray, y: np.ndarray, names: Sequence[str], labels: Sequence[str],
                 seed: int = 0, reps: int = BOOTSTRAP_REPS, conf: float = 0.95) -> tuple[
                     pd.DataFrame, float, str]:
    """Importance table (COLUMNS), R² and method for complete rows X (n, p) and y (n)."""
    res = driver_importance(X, y, names, "auto")
    low, high = bootstrap_share_ci(X, y, reps, seed, conf) if reps else (
        np.full(len(names), math.nan),) * 2
    perf = X.mean(axis=0)
    imp_cut, perf_cut = 1.0 / len(names), float(perf.mean())
    table = pd.DataFrame({
        "name": list(names), "label": list(labels), "importance": res.importance,
        "share": res.share, "ci_low": low, "ci_high": high, "r": res.r, "beta": res.beta,
        "sign_flip": np.sign(res.beta) != np.sign(res.r), "performance": perf,
        "quadrant": [quadrant(s, p, imp_cut, perf_cut) for s, p in zip(res.share, perf)],
    })
    table["rank"] = table["importance"].rank(ascending=False, method="min")
    table = table.sort_values("rank", kind="stable").reset_index(drop=True)
    return table[list(COLUMNS)], res.r2, res.method


def key_drivers(engine: Engine, table: str, outcome: str, drivers: Sequence[str] | None = None,
                filters: Filters = Filters(), seed: int = 0,
                reps: int = BOOTSTRAP_REPS) -> DriverAnalysis:
    """Key drivers of ``outcome`` ("csat", "nps", or FIELD=VALUE) among rating columns."""
    target, binary = outcome_expression(engine, table, outcome)
    names = list(drivers) if drivers else default_drivers(engine, table, outcome)
    fields = table_fields(engine, table)
    for name in names:
        numeric_field(fields, name, table)
    if outcome.partition("=")[0].strip() in names:
        raise ValueError(f"the outcome {outcome!r} cannot also be one of its drivers")
    if len(names) < 2 or len(set(names)) != len(names):
        raise ValueError(f"key drivers need at least 2 distinct driver fields, got {names}")
    labels = [fields[n].source_header or n for n in names]
    columns = {n: col(n) for n in names} | {"__outcome": target}
    rows = fetch_rows(engine, table, columns, filters)
    X, y = rows.values[:, :-1], rows.values[:, -1]
    notes = ("a yes/no outcome: R² and shares are a linear-probability approximation",) \
        if binary else ()
    need = max(engine.settings.thresholds.kda_min_n, 10 * len(names))
    if rows.n < need:
        empty = pd.DataFrame({"name": names, "label": labels}).reindex(columns=list(COLUMNS))
        reason = (f"Key drivers need at least {need} complete answers for {len(names)} drivers "
                  f"(max(50, 10 per driver)); {rows.n} rows have the outcome and every driver.")
        return DriverAnalysis(table, outcome, math.nan, rows.n, "", empty, reason, True, notes)
    if rows.n > BOOTSTRAP_MAX_ROWS and reps:
        reps = 0
        notes += (f"no bootstrap CIs above {BOOTSTRAP_MAX_ROWS:,} complete rows "
                  "(they would be very narrow and slow to compute)",)
    result, r2, method = drivers_core(X, y, names, labels, seed, reps,
                                      engine.settings.confidence)
    if not common_scale(fields, names):
        result["quadrant"] = None
        notes += ("the drivers are not all on one rating scale: importances only, no "
                  "importance-performance quadrant",)
    reading = drivers_reading(outcome, result, r2, rows.n, method)
    p_model = overall_f_test(r2, rows.n, len(names))
    if not r2 >= R2_MIN or not p_model < 1.0 - engine.settings.confidence:
        reading = (f"The drivers explain little of {outcome.replace('=', ' = ')} (R² {r2:.2f}, "
                   f"overall F test p = {p_model:.3g}; threshold R² {R2_MIN:.2f}): the shares "
                   "below split a small explained part and say little about what moves it. "
                   + reading)
    return DriverAnalysis(table, outcome, r2, rows.n, method, result, reading, False, notes)
