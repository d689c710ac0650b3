"""The few choices that differ between SQL engines, in one small table (ARCHITECTURE.md).

Everything else in the compiler is a plain sqlglot tree that renders the same way everywhere:
explicit group keys (no GROUP BY ALL), FILTER clauses, CASE. Only these differ:
* the exact linear (type 7) quantile function (DuckDB quantile_cont, Spark percentile),
* turning a naive-UTC timestamp into reporting-zone wall-clock time,
* truncating to a period start with Monday weeks,
* seconds since the epoch (for the age of open tickets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlglot import exp

Expr = exp.Expression


@dataclass(frozen=True)
class EngineDialect:
    name: str  # sqlglot dialect name used to render the tree
    quantile: Callable[[Expr, float], Expr]
    local_time: Callable[[Expr, str], Expr]
    period_start: Callable[[str, Expr], Expr]
    epoch_seconds: Callable[[Expr], Expr]


def _lit(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _duckdb_local(ts: Expr, tz: str) -> Expr:
    # Stored timestamps are naive UTC. timezone('UTC', ts) makes the instant explicitly (so the
    # session's TimeZone setting cannot change the result); timezone(tz, instant) gives wall-clock.
    if tz == "UTC":
        return ts
    return exp.func("timezone", _lit(tz), exp.func("timezone", _lit("UTC"), ts))


def _trunc_date(unit: str, ts: Expr) -> Expr:
    # DuckDB and Spark both start date_trunc('week') on Monday (ISO); BigQuery would not.
    return exp.cast(exp.TimestampTrunc(this=ts, unit=exp.var(unit.upper())), exp.DataType.Type.DATE)


DIALECTS: dict[str, EngineDialect] = {
    "duckdb": EngineDialect(
        name="duckdb",
        quantile=lambda x, q: exp.func("quantile_cont", x, exp.Literal.number(q)),
        local_time=_duckdb_local,
        period_start=_trunc_date,
        epoch_seconds=lambda ts: exp.func("epoch", ts),
    ),
    "spark": EngineDialect(
        name="spark",
        quantile=lambda x, q: exp.func("percentile", x, exp.Literal.number(q)),
        local_time=lambda ts, tz: (
            ts if tz == "UTC" else exp.func("from_utc_timestamp", ts, _lit(tz))),
        period_start=_trunc_date,
        epoch_seconds=lambda ts: exp.func("unix_timestamp", ts),
    ),
}


def get_dialect(name: str) -> EngineDialect:
    if name not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {name!r}; known: {', '.join(DIALECTS)}")
    return DIALECTS[name]
