"""Two numeric fields of one table: CSAT vs resolution time by default (METHODS.md §5).

Spearman with the Bonett–Wright CI is the default; Kendall tau-b and Pearson on log(x) on
request. Per-group coefficients and the partial correlation controlling for a dimension guard
against Simpson's paradox (channel drives both time and CSAT). When x is a time in hours the
binned view by SLA bucket is added for the chart (mean, top-2-box with Wilson, tier per bucket).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cx.analysis.fetch import Rows, fetch_rows, numeric_field, table_fields
from cx.analysis.readings import correlation_reading
from cx.config import Thresholds
from cx.domain import Filters
from cx.metrics import Engine
from cx.metrics.compiler import col
from cx.stats.correlation import correlate, partial_correlation
from cx.stats.proportions import wilson
from cx.stats.reliability import reliability
from sqlglot import exp

METHODS = ("spearman", "kendall", "pearson_log")
SLA_EDGES = (0.0, 4.0, 24.0, 72.0)  # [0,4), [4,24), [24,72), >= 72 h
LOG_OFFSET_HOURS = 1.0 / 60.0  # log(time + 1 minute) when some times are 0 (METHODS.md §5.1)
GROUP_COLUMNS = ("group", "r", "p", "ci_low", "ci_high", "n", "reliability")
BIN_COLUMNS = ("bucket", "n", "mean", "value", "ci_low", "ci_high", "reliability")


@dataclass(frozen=True, eq=False)
class CorrelationAnalysis:
    table: str
    x: str
    y: str
    method: str
    control: str | None
    summary: dict[str, Any]  # method, r, p, ci_low, ci_high, n, partial_r, partial_p, ...
    by_group: pd.DataFrame
    bins: pd.DataFrame | None
    reading: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `analyze correlation` (PRODUCT.md §6)."""
        bins = None if self.bins is None else self.bins.to_dict(orient="records")
        return {"table": self.table, "x": self.x, "y": self.y, "control": self.control,
                **self.summary, "by_group": self.by_group.to_dict(orient="records"),
                "bins": bins, "reading": self.reading, "notes": list(self.notes)}


def correlation_core(x: np.ndarray, y: np.ndarray, method: str, codes: np.ndarray | None = None,
                     levels: tuple[str, ...] = (), conf: float = 0.95,
                     thresholds: Thresholds = Thresholds()) -> tuple[dict[str, Any], pd.DataFrame]:
    """Pooled coefficient, partial | groups, and one coefficient per group (pure numpy)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    pooled = correlate(x, y, method, conf)
    summary: dict[str, Any] = {"method": method, "r": pooled.r, "p": pooled.p,
                               "ci_low": pooled.ci_low, "ci_high": pooled.ci_high, "n": pooled.n,
                               "partial_r": math.nan, "partial_p": math.nan,
                               "partial_ci_low": math.nan, "partial_ci_high": math.nan}
    rows = []
    if codes is not None:
        xp = np.log(x) if method == "pearson_log" else x
        part = partial_correlation(xp, y, codes, "pearson" if method == "pearson_log"
                                   else "spearman", conf)
        summary.update(partial_r=part.r, partial_p=part.p, partial_ci_low=part.ci_low,
                       partial_ci_high=part.ci_high, partial_method=part.method)
        for i, level in enumerate(levels):
            keep = codes == i
            res = correlate(x[keep], y[keep], method, conf)
            tier = reliability(res.n, math.nan, "mean", thresholds)
            shown = tier != "suppressed"
            rows.append((level, *(v if shown else math.nan for v in
                                  (res.r, res.p, res.ci_low, res.ci_high)), res.n, tier))
    return summary, pd.DataFrame(rows, columns=list(GROUP_COLUMNS))


def sla_bins(hours: np.ndarray, y: np.ndarray, top: np.ndarray | None, conf: float,
             thresholds: Thresholds) -> pd.DataFrame:
    """n, mean and top-2-box (Wilson) of y per SLA bucket of x (METHODS.md §5.3)."""
    edges = list(SLA_EDGES) + [math.inf]
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        keep = (hours >= lo) & (hours < hi)
        n = int(keep.sum())
        label = f"≥{lo:g}h" if math.isinf(hi) else f"{lo:g}–{hi:g}h"
        est = wilson(int((y[keep] >= top[keep]).sum()), n, conf) if top is not None \
            else None
        half = est.half_width if est is not None else math.nan
        tier = reliability(n, half, "share" if est else "mean", thresholds)
        shown = tier != "suppressed"
        mean = float(y[keep].mean()) if n and shown else math.nan
        value, low, high = ((est.value, est.ci_low, est.ci_high) if est and shown
                            else (math.nan,) * 3)
        rows.append((label, n, mean, value, low, high, tier))
    return pd.DataFrame(rows, columns=list(BIN_COLUMNS))


def _top_box(engine: Engine, table: str, y: str) -> exp.Expression | None:
    """Per-row threshold of 'satisfied' (top 2 points of the row's own scale), if y is a score."""
    info = table_fields(engine, table)[y]
    if y in ("csat", "ces"):
        default = 5 if y == "csat" else 7
        return exp.func("coalesce", col(f"{y}_scale_max"), exp.Literal.number(default)) - 1
    if info.kind == "rating":
        return exp.Literal.number((info.scale_max or 5) - 1)
    return None


def correlation_analysis(engine: Engine, table: str = "tickets", x: str = "resolution_hours",
                         y: str = "csat", method: str = "spearman", control: str | None = None,
                         filters: Filters = Filters()) -> CorrelationAnalysis:
    """Correlation of two numeric fields of ``table`` under the shared filters."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    fields = table_fields(engine, table)
    numeric_field(fields, x, table), numeric_field(fields, y, table)
    if x == y:
        raise ValueError("x and y must be different fields")
    columns: dict[str, exp.Expression] = {"x": col(x), "y": col(y)}
    top = _top_box(engine, table, y)
    if top is not None:
        columns["top"] = top
    rows = fetch_rows(engine, table, columns, filters, control)
    xs, notes = _log_ready(rows, x, method)
    conf, thr = engine.settings.confidence, engine.settings.thresholds
    summary, by_group = correlation_core(xs, rows.column("y"), method, rows.codes, rows.levels,
                                         conf, thr)
    if method == "kendall" and control:
        notes += ("the partial correlation uses ranks (Spearman); there is no partial tau-b",)
    bins = None
    if x.endswith("_hours"):
        bins = sla_bins(rows.column("x"), rows.column("y"),
                        rows.column("top") if top is not None else None, conf, thr)
    reading = correlation_reading(x, y, control, summary, by_group, conf)
    return CorrelationAnalysis(table, x, y, method, control, summary, by_group, bins, reading,
                               notes)


def _log_ready(rows: Rows, x: str, method: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """x, shifted by one minute for log(time) when some times are 0 (negative is refused)."""
    xs = rows.column("x")
    if method != "pearson_log" or rows.n == 0 or xs.min() > 0:
        return xs, ()
    if not x.endswith("_hours") or xs.min() < 0:
        raise ValueError(f"pearson_log needs {x} > 0; use spearman or kendall instead")
    return xs + LOG_OFFSET_HOURS, ("log(x + 1 minute) because some times are 0",)
