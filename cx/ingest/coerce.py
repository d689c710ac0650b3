"""Coercion and validation in SQL: typed values and per-row errors (row, column, message).

Each mapped column becomes a `ColumnSpec` saying how its text turns into the field's type. The
typed table `cx_typed` holds, per row, the cleaned text `r{i}` and typed value `f{i}`; every check
is a WHERE clause over it, so a million rows are validated by DuckDB, not by a Python loop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import duckdb

from cx.ingest.options import DEFAULT_NA_CODES, UNITS, Limits, configured_limits
from cx.ingest.profile import (
    FALSE_TOKENS, TRUE_TOKENS, is_hms, lit, parse_time, text_token, typed_token,
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
    codes: tuple[str, ...] = ()  # every such code of this column (the first is `missing`)
    na_codes: tuple[str, ...] = DEFAULT_NA_CODES  # missing in every column of the file
    limits: Limits = field(default_factory=configured_limits)  # plausible dates
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
    """Trimmed text, NULL for the file's missing-value codes and the column's own codes.

    A column's own code also matches as a number ("0" declared, "0.0" written).
    """
    col = f"c{spec.position}"
    token = text_token if spec.kind in _TEXT_KINDS else typed_token
    v = token(col, spec.na_codes)
    codes = spec.codes or ((spec.missing,) if spec.missing is not None else ())
    if not codes:
        return v
    listed = ", ".join(lit(c) for c in codes)
    numbers = ", ".join(f"try_cast({lit(c)} AS DOUBLE)" for c in codes)
    return (f"CASE WHEN {v} IN ({listed}) OR try_cast({v} AS DOUBLE) IN ({numbers}) "
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


def missing_counts(cur: duckdb.DuckDBPyConnection, specs: list[ColumnSpec]) -> dict[str, int]:
    """Per source column, how many rows are missing (blank or a missing-value code)."""
    if not specs:
        return {}
    counts = run(cur, "SELECT " + ", ".join(f"count(*) - count(r{i})" for i in range(len(specs)))
                 + f" FROM {TYPED}").fetchone()
    return {spec.header: int(n) for spec, n in zip(specs, counts)}


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
        out.append(_plausible(f, shown, spec.limits))
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


_PARTS_PER_STATEMENT = 50  # a UNION of hundreds of parts costs DuckDB's planner superlinearly


def _plausible(f: str, shown: str, limits: Limits) -> tuple[str, str]:
    """Dates before the configured year or after today (+ days) are typos or placeholders
    (0001-01-01, 2999-12-31) that would stretch every trend; refused per row."""
    earliest = dt.date(limits.min_year, 1, 1)
    latest = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=limits.future_days)
    low, high = (f"CAST({lit(d.isoformat())} AS TIMESTAMP)" for d in (earliest, latest))
    return (f"{f} < {low} OR {f} >= {high} + INTERVAL 1 DAY",
            f"'implausible date ' || {shown} || "
            f"{lit(f': before {earliest.isoformat()} or after {latest.isoformat()}')}")


def build_errors(cur: duckdb.DuckDBPyConnection, specs: list[ColumnSpec],
                 extra_checks: list[tuple[str, str, str]]) -> None:
    """cx_errors(_row, column, message): every failed check of every row.

    `extra_checks` are (condition, header, message SQL) over cx_typed for rules that involve
    several columns (a resolution before the opening). One part per column (its checks exclude
    each other, so the first that fails is the value's error), inserted fifty parts at a time so
    the cost grows linearly with the columns.
    """
    parts = []
    for i, spec in enumerate(specs):
        checks = _checks(i, spec)
        if checks:
            whens = " ".join(f"WHEN {cond} THEN {message}" for cond, message in checks)
            parts.append(f"SELECT _row, {lit(spec.header)} AS col, message FROM (SELECT _row, "
                         f"CASE {whens} END AS message FROM {TYPED}) WHERE message IS NOT NULL")
        if spec.kind == "key":
            parts.append(_duplicate_keys(i, spec))
    for cond, header, message in extra_checks:
        parts.append(f"SELECT _row, {lit(header)} AS col, {message} AS message "
                     f"FROM {TYPED} WHERE {cond}")
    run(cur, f"CREATE OR REPLACE TEMP TABLE {ERRORS} "
             "(_row BIGINT, col VARCHAR, message VARCHAR)")
    for start in range(0, len(parts), _PARTS_PER_STATEMENT):
        chunk = parts[start:start + _PARTS_PER_STATEMENT]
        run(cur, f"INSERT INTO {ERRORS} {' UNION ALL '.join(chunk)}")


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
