"""Key driver analysis: which rated attributes explain an outcome (METHODS.md §6).

Importance is each driver's exact Shapley/LMG part of R² (Johnson's relative weights above 12
drivers), with the zero-order r for its sign, seeded bootstrap CIs of the shares, performance
(the driver's mean) and the importance–performance quadrant. Rows are listwise complete (in
SQL); the analysis does not run below n = max(50, 10·p) (§7.3).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlglot import exp

from cx.analysis.fetch import fetch_rows, numeric_field, table_fields
from cx.analysis.readings import drivers_reading
from cx.domain import Filters
from cx.metrics import Engine
from cx.metrics.compiler import check_fields, col
from cx.stats.drivers import BOOTSTRAP_SHAPLEY_MAX_P, driver_importance, quadrant

COLUMNS = ("name", "label", "importance", "share", "ci_low", "ci_high", "r", "beta",
           "sign_flip", "performance", "quadrant", "rank")
BOOTSTRAP_REPS = 500


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


def outcome_expression(engine: Engine, table: str, outcome: str) -> tuple[exp.Expression, bool]:
    """A numeric field, or FIELD=VALUE as a 0/1 flag (NULL where the field is unknown)."""
    fields = table_fields(engine, table)
    name, sep, value = outcome.partition("=")
    name = name.strip()
    if not sep:
        numeric_field(fields, name, table)
        return col(name), False
    check_fields((name,), list(fields.values()), table, "outcome")
    # A sqlglot literal (escaped by sqlglot) keeps the expression self-contained: fetch_rows
    # numbers its own bind parameters.
    text = exp.cast(col(name), exp.DataType.Type.VARCHAR)
    flag = exp.EQ(this=text, expression=exp.Literal.string(value.strip()))
    return exp.cast(flag, exp.DataType.Type.DOUBLE), True


def default_drivers(engine: Engine, table: str, outcome: str) -> list[str]:
    """Every rating column an upload added (field_catalog kind "rating"), but the outcome."""
    target = outcome.partition("=")[0].strip()
    return [f.name for f in table_fields(engine, table).values()
            if f.kind == "rating" and f.name != target]


def bootstrap_share_ci(X: np.ndarray, y: np.ndarray, names: Sequence[str], reps: int,
                       seed: int, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile CIs of the shares, one resample at a time (memory n·p, not reps·n·p).

    Shapley up to 8 drivers, Johnson above (as cx.stats.drivers does inside bootstraps);
    resamples with a constant column are skipped.
    """
    rng = np.random.default_rng(seed)
    method = "shapley" if len(names) <= BOOTSTRAP_SHAPLEY_MAX_P else "johnson"
    shares = []
    for _ in range(reps):
        idx = rng.integers(0, y.size, y.size)
        try:
            res = driver_importance(X[idx], y[idx], names, method)
        except ValueError:
            continue
        shares.append(res.importance / res.importance.sum())
    if len(shares) < 2:
        nan = np.full(len(names), math.nan)
        return nan, nan
    tail = 100.0 * (1.0 - conf) / 2.0
    arr = np.asarray(shares)
    return np.percentile(arr, tail, axis=0), np.percentile(arr, 100.0 - tail, axis=0)


def drivers_core(X: np.ndarray, y: np.ndarray, names: Sequence[str], labels: Sequence[str],
                 seed: int = 0, reps: int = BOOTSTRAP_REPS, conf: float = 0.95) -> tuple[
                     pd.DataFrame, float, str]:
    """Importance table (COLUMNS), R² and method for complete rows X (n, p) and y (n)."""
    res = driver_importance(X, y, names, "auto")
    low, high = bootstrap_share_ci(X, y, names, reps, seed, conf) if reps else (
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
    result, r2, method = drivers_core(X, y, names, labels, seed, reps,
                                      engine.settings.confidence)
    reading = drivers_reading(outcome, result, r2, rows.n, method)
    return DriverAnalysis(table, outcome, r2, rows.n, method, result, reading, False, notes)
