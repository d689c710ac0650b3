"""Coercion and validation in SQL: typed values and per-row errors (row, column, message).

Each mapped column becomes a `ColumnSpec` saying how its text turns into the field's type. The
typed table `cx_typed` holds, per row, the cleaned text `r{i}` and typed value `f{i}`; every check
is a WHERE clause over it, so a million rows are validated by DuckDB, not by a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb

from cx.ingest.options import UNITS
from cx.ingest.profile import (
    FALSE_TOKENS, TRUE_TOKENS, is_hms, lit, parse_time, typed_token,
)
from cx.ingest.readers import RAW
from cx.storage import run

TYPED, ERRORS = "cx_typed", "cx_errors"
QUOTE = lit("'")
_TEXT_KINDS = ("key", "dimension", "text")


@dataclass(frozen=True)
class ColumnSpec:
    """One source column on its way into one field."""

    position: int
    header: str
    field: str
    kind: str  # key, dimension, text, time, flag, score, measure, duration, rating
    how: str  # auto / map / extra
    extra: bool = False
    family: str | None = None  # time columns: iso / dmy / mdy
    unit: str | None = None  # duration columns
    scale: tuple[int, int] | None = None  # scores and ratings
    missing: str | None = None  # a code meaning "not applicable" -> NULL
    reverse: bool = False
    note: str = ""

    def describe(self) -> dict[str, object]:
        out: dict[str, object] = {"header": self.header, "field": self.field,
                                  "kind": self.kind, "how": self.how}
        for name in ("family", "unit", "scale", "missing", "note"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.reverse:
            out["reverse"] = True
        return out

    def with_(self, **changes: object) -> "ColumnSpec":
        return replace(self, **changes)


def _clean(spec: ColumnSpec) -> str:
    col = f"c{spec.position}"
    v = f"nullif(trim({col}), '')" if spec.kind in _TEXT_KINDS else typed_token(col)
    if spec.missing is None:
        return v
    code = lit(spec.missing)
    return (f"CASE WHEN {v} = {code} OR try_cast({v} AS DOUBLE) = try_cast({code} AS DOUBLE) "
            f"THEN NULL ELSE {v} END")


def _typed(spec: ColumnSpec, r: str) -> str:
    """SQL for the typed value of cleaned text `r` (NULL when it does not parse)."""
    kind = spec.kind
    if kind in _TEXT_KINDS:
        return r
    if kind == "time":
        return parse_time(r, spec.family or "iso")
    if kind == "flag":
        yes = ", ".join(lit(t) for t in TRUE_TOKENS)
        no = ", ".join(lit(t) for t in FALSE_TOKENS)
        return f"CASE WHEN lower({r}) IN ({yes}) THEN true WHEN lower({r}) IN ({no}) THEN false END"
    if kind == "duration":
        hms = (f"list_reduce(list_transform(string_split({r}, ':'), lambda x: try_cast(x AS "
               "DOUBLE)), lambda a, b: a * 60 + b) / 3600.0")
        factor = lit(UNITS[spec.unit or "hours"])
        return f"CASE WHEN {is_hms(r)} THEN {hms} ELSE try_cast({r} AS DOUBLE) * {factor} END"
    return f"try_cast({r} AS DOUBLE)"


def build_typed(cur: duckdb.DuckDBPyConnection, specs: list[ColumnSpec]) -> None:
    """cx_typed(_row, r0, f0, r1, f1, ...) numbered by spec order.

    The cleaned text r{i} is computed once in an inner query, so the typed expressions (which
    mention it several times) do not repeat the cleaning.
    """
    inner = ", ".join(["_row", *(f"{_clean(s)} AS r{i}" for i, s in enumerate(specs))])
    cols = ["_row"]
    for i, spec in enumerate(specs):
        cols += [f"r{i}", f"{_typed(spec, f'r{i}')} AS f{i}"]
    run(cur, f"CREATE OR REPLACE TEMP TABLE {TYPED} AS SELECT {', '.join(cols)} "
             f"FROM (SELECT {inner} FROM {RAW})")


def _checks(i: int, spec: ColumnSpec) -> list[tuple[str, str]]:
    """(condition, message SQL) pairs for column i of cx_typed."""
    r, f, kind = f"r{i}", f"f{i}", spec.kind
    shown = f"'''' || {r} || ''''"
    out: list[tuple[str, str]] = []
    if kind == "key":
        out.append((f"{r} IS NULL", lit(f"empty {spec.field}: every record needs one")))
    if kind == "time":
        fmt = {"iso": "YYYY-MM-DD [HH:MM[:SS]]", "dmy": "DD/MM/YYYY [HH:MM[:SS]]",
               "mdy": "MM/DD/YYYY [HH:MM[:SS]]"}[spec.family or "iso"]
        out.append((f"{r} IS NOT NULL AND {f} IS NULL",
                    f"'not a date/time in this column''s format ({fmt}): ' || {shown}"))
    elif kind == "flag":
        out.append((f"{r} IS NOT NULL AND {f} IS NULL",
                    f"'not a yes/no value: ' || {shown} || ' (use Yes/No, Y/N, 1/0, true/false)'"))
    elif kind == "duration":
        unit = spec.unit or "hours"
        out.append((f"{r} IS NOT NULL AND {f} IS NULL",
                    f"'not a duration: ' || {shown} || {lit(f' (expected {unit} or H:MM:SS)')}"))
        out.append((f"{f} < 0", f"'negative duration: ' || {shown}"))
    elif kind in ("score", "measure", "rating"):
        out.append((f"{r} IS NOT NULL AND {f} IS NULL", f"'not a number: ' || {shown}"))
    if kind in ("score", "rating") and spec.scale:
        low, high = spec.scale
        where = f"the {spec.field} scale {low}-{high}"
        out.append((f"{f} IS NOT NULL AND {f} <> floor({f})",
                    f"'not a whole number on {where}: ' || {shown}"))
        hint = "" if spec.field == "nps" else f" (declare another scale for {spec.field})"
        out.append((f"{f} = floor({f}) AND ({f} < {lit(low)} OR {f} > {lit(high)})",
                    f"{shown} || {lit(f' is outside {where}{hint}')}"))
    return out


def build_errors(cur: duckdb.DuckDBPyConnection, specs: list[ColumnSpec],
                 extra_checks: list[tuple[str, str, str]]) -> None:
    """cx_errors(_row, column, message): every failed check of every row.

    `extra_checks` are (condition, header, message SQL) over cx_typed for rules that involve
    several columns (a resolution before the opening).
    """
    parts = []
    for i, spec in enumerate(specs):
        for cond, message in _checks(i, spec):
            parts.append(f"SELECT _row, {lit(spec.header)} AS col, {message} AS message "
                         f"FROM {TYPED} WHERE {cond}")
        if spec.kind == "key":
            parts.append(_duplicate_keys(i, spec))
    for cond, header, message in extra_checks:
        parts.append(f"SELECT _row, {lit(header)} AS col, {message} AS message "
                     f"FROM {TYPED} WHERE {cond}")
    body = " UNION ALL ".join(parts) if parts else \
        "SELECT NULL::BIGINT AS _row, NULL::VARCHAR AS col, NULL::VARCHAR AS message WHERE false"
    run(cur, f"CREATE OR REPLACE TEMP TABLE {ERRORS} AS {body}")


def _duplicate_keys(i: int, spec: ColumnSpec) -> str:
    """A key seen again later in the file: the later rows are errors naming the first row.

    Grouping first keeps this cheap when (as usual) no key repeats.
    """
    repeated = (f"(SELECT r{i} AS key, min(_row) AS first_row FROM {TYPED} WHERE r{i} IS NOT NULL "
                f"GROUP BY r{i} HAVING count(*) > 1)")
    message = (f"{lit(f'duplicate {spec.field} ')} || {QUOTE} || t.r{i} || {QUOTE} || "
               "' (first in row ' || d.first_row || '); each record must appear once'")
    return (f"SELECT t._row, {lit(spec.header)} AS col, {message} AS message FROM {TYPED} t "
            f"JOIN {repeated} d ON t.r{i} = d.key WHERE t._row > d.first_row")
