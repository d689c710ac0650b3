"""A DB-API-like cursor over a Spark Connect session, so DuckDB-shaped read code runs on Spark.

Why a cursor and not new call sites: pages, views, analyses and snapshots already speak
`run(cur, sql, params)` with DuckDB SQL text. On Spark that text is transpiled once by sqlglot
(DuckDB -> Spark SQL, `?` and `$name` placeholders become Spark's `?` and `:name` markers) and
the values travel as Spark parameters, never as formatted text. Statements compiled by the
metric compiler skip the transpiler (`execute_native`): they are rendered from the tree for
Spark directly, with Spark's exact `percentile` (ARCHITECTURE.md: transpiling finished DuckDB
text would silently turn exact quantiles into approximate ones).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
import sqlglot
from sqlglot import exp

from cx.storage.store import StoreError

# DuckDB session statements and transaction control have no Spark meaning: Spark writes go
# through the staging path (cx.engines.staging), which publishes a batch as its last step.
_NO_OP = re.compile(r"^\s*(SET|BEGIN|COMMIT|ROLLBACK|CHECKPOINT|PRAGMA)\b", re.IGNORECASE)
# Functions that have no exact Spark equivalent: refused, never approximated.
_INEXACT = re.compile(r"\b(quantile_cont|quantile_disc|median|mode|approx_quantile)\s*\(",
                      re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def to_spark_sql(sql: str) -> str:
    """DuckDB SQL text -> Spark SQL text (cached: the same read sites run the same text)."""
    if _INEXACT.search(sql):
        raise StoreError("this computation needs an exact quantile that Spark cannot compute "
                         "from this query; run it on DuckDB (CX_ENGINE=duckdb)")
    try:
        trees = sqlglot.parse(sql, read="duckdb")
        if len(trees) != 1 or trees[0] is None:
            raise StoreError("one statement at a time")
        return trees[0].transform(_spark_functions).sql("spark", unsupported_level="raise")
    except sqlglot.errors.SqlglotError as exc:
        raise StoreError(f"this query cannot run on Spark: {str(exc).splitlines()[0]}") from exc


_ARRAYS = (exp.RegexpExtractAll, exp.RegexpSplit, exp.Split, exp.Array)


def _spark_functions(node: exp.Expression) -> exp.Expression:
    """Two DuckDB list functions of the comment readers that sqlglot 30 leaves wrong for Spark:
    len() of a list (the words of a comment) is size(), not length() (strings only), and
    regexp_split_to_array is split() (both take a Unicode-aware regex: RE2 / Java)."""
    if isinstance(node, exp.Length) and (isinstance(node.this, _ARRAYS) or _split(node.this)):
        return exp.ArraySize(this=node.this)
    if _split(node):
        return exp.RegexpSplit(this=node.expressions[0], expression=node.expressions[1])
    return node


def _split(node: exp.Expression) -> bool:
    return (isinstance(node, exp.Anonymous) and str(node.this).lower() == "regexp_split_to_array"
            and len(node.expressions) == 2)


def spark_value(value: Any) -> Any:
    """A bind value as Spark Connect takes it: naive datetimes are UTC instants here."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    if isinstance(value, (list, tuple)):
        return [spark_value(v) for v in value]
    return value


def spark_args(params: Sequence[Any] | dict[str, Any]) -> list[Any] | dict[str, Any] | None:
    if not params:
        return None
    if isinstance(params, dict):
        return {k: spark_value(v) for k, v in params.items()}
    return [spark_value(v) for v in params]


def _python(value: Any) -> Any:
    """Arrow values as DuckDB's fetchall gives them: naive UTC datetimes, floats for decimals."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def friendly(exc: Exception) -> StoreError:
    """Spark's error in one line, without the statement text or server paths."""
    full = str(exc).strip()
    grpc_details = re.search(r'details = "([^"]+)"', full)  # a gRPC error's one useful line
    text = grpc_details.group(1) if grpc_details else (full.splitlines()[0] if full
                                                        else type(exc).__name__)
    text = re.sub(r"(file|hdfs|s3a?)://\S+", "<path>", text)
    return StoreError(f"Spark error: {text[:300]}")


class SparkCursor:
    """execute / fetchall / fetchone / df / description, like a DuckDB cursor."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self._table: pa.Table | None = None
        self._rows: list[tuple] | None = None
        self._pos = 0

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> SparkCursor:
        if _NO_OP.match(sql):
            self._table = pa.table({})
            self._rows = None
            return self
        return self.execute_native(to_spark_sql(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> SparkCursor:
        """One statement per row, as DuckDB's executemany: for the few rows a dictionary or a
        setting writes (bulk rows go to Spark as Arrow, cx.engines.staging)."""
        for row in rows:
            self.execute(sql, row)
        return self

    def execute_native(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
                       ) -> SparkCursor:
        """Run Spark SQL text as it is (rendered for Spark by the metric compiler)."""
        try:
            frame = self.session.sql(sql, args=spark_args(params))
            self._table = frame.toArrow()
        except StoreError:
            raise
        except Exception as exc:  # pyspark raises many unrelated classes; all are data errors here
            raise friendly(exc) from exc
        self._rows, self._pos = None, 0
        return self

    # -- results -------------------------------------------------------------------------
    def _all(self) -> list[tuple]:
        if self._rows is None:
            table = self._table if self._table is not None else pa.table({})
            columns = [[_python(v) for v in c.to_pylist()] for c in table.columns]
            self._rows = list(zip(*columns, strict=True)) if columns else []
        return self._rows

    def fetchall(self) -> list[tuple]:
        rows = self._all()[self._pos:]
        self._pos = len(self._all())
        return rows

    def fetchone(self) -> tuple | None:
        rows = self._all()
        if self._pos >= len(rows):
            return None
        self._pos += 1
        return rows[self._pos - 1]

    @property
    def description(self) -> list[tuple]:
        table = self._table if self._table is not None else pa.table({})
        return [(f.name, str(f.type), None, None, None, None, None) for f in table.schema]

    def df(self) -> pd.DataFrame:
        table = self._table if self._table is not None else pa.table({})
        frame = table.to_pandas()
        for name, dtype in frame.dtypes.items():
            if isinstance(dtype, pd.DatetimeTZDtype):
                frame[name] = frame[name].dt.tz_convert("UTC").dt.tz_localize(None)
        return frame

    fetchdf = df

    def fetchnumpy(self) -> dict[str, Any]:
        table = self._table if self._table is not None else pa.table({})
        return {name: self.df()[name].to_numpy() for name in table.column_names}

    def arrow(self) -> pa.Table:
        return self._table if self._table is not None else pa.table({})

    def close(self) -> None:
        self._table, self._rows = None, None
