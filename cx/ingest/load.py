"""Validate and load a staged file in the caller's transaction: all rows or none.

Order: typed values -> per-row errors -> the valid rows with their final field values
(`cx_valid`) -> duplicates counted by an anti-join on the natural key -> (when writing) extra
columns registered, rows inserted, batch row written. The caller's transaction makes the whole
thing atomic: a refused file leaves every table as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from cx.ingest.coerce import ERRORS, TYPED, ColumnSpec, build_errors, build_typed
from cx.ingest.plan import Plan
from cx.ingest.profile import lit
from cx.storage import FieldInfo, add_extra_field, quote_ident, run
from cx.storage.batches import Batch, insert_batch
from cx.storage.schema import NATURAL_KEY, TIME_FIELD

@dataclass(frozen=True)
class Checked:
    rows_read: int
    rows_rejected: int
    rows_duplicate: int
    rows_new: int
    errors: pd.DataFrame  # row, column, message (every error, ordered by row)


def _hours(end: str, start: str) -> str:
    return f"(epoch({end}) - epoch({start})) / 3600.0"


def _cross_checks(plan: Plan) -> list[tuple[str, str, str]]:
    """Rules across columns: nothing happens before the ticket opened, or after it closed."""
    out = []
    pairs = (("opened_at", "first_response_at", "first response"),
             ("opened_at", "resolved_at", "resolution"),
             ("first_response_at", "resolved_at", "resolution after first response"))
    for start, end, what in pairs if plan.table == "tickets" else ():
        i, j = plan.index(start), plan.index(end)
        if i is None or j is None:
            continue
        first, second = plan.specs[i].header, plan.specs[j].header
        message = (f"'negative duration ({what}): ' || r{j} || {lit(f' ({second}) is before ')}"
                   f" || r{i} || {lit(f' ({first})')}")
        out.append((f"f{j} < f{i}", second, message))
    if plan.table == "customers":
        i, j = plan.index("signup_at"), plan.index("churned_at")
        if i is not None and j is not None:
            header = plan.specs[j].header
            out.append((f"f{j} < f{i}", header, f"'churned before signing up: ' || r{j}"))
    time_index = plan.index(TIME_FIELD[plan.table])
    if time_index is not None and plan.date is None and plan.table != "customers":
        spec = plan.specs[time_index]
        out.append((f"r{time_index} IS NULL", spec.header,
                    lit(f"empty {spec.field}: required (or give one date for every row)")))
    return out


def _value(i: int, spec: ColumnSpec) -> str:
    """Final SQL value of spec i, for rows that passed every check."""
    if spec.kind in ("key", "dimension", "text"):
        return f"r{i}"
    if spec.kind == "score":
        low, high = spec.scale or (0, 10)
        value = f"({lit(low + high)} - f{i})" if spec.reverse else f"f{i}"
        return f"CAST({value} AS SMALLINT)"
    if spec.kind == "rating" and spec.reverse and spec.scale:
        return f"({lit(sum(spec.scale))} - f{i})"
    return f"f{i}"


def _columns(plan: Plan, sha256: str, batch_id: str) -> dict[str, str]:
    """field -> SQL over cx_typed, in table column order where it matters not."""
    cols = {s.field: _value(i, s) for i, s in enumerate(plan.specs)}
    for score in ("csat", "ces"):
        spec = plan.spec(score)
        if spec is not None and spec.scale:
            cols[f"{score}_scale_min"] = f"CAST({lit(spec.scale[0])} AS SMALLINT)"
            cols[f"{score}_scale_max"] = f"CAST({lit(spec.scale[1])} AS SMALLINT)"
    if plan.synthetic_key:
        cols[NATURAL_KEY[plan.table]] = f"{lit(sha256[:16] + ':')} || _row"
    time_field = TIME_FIELD[plan.table]
    if plan.date is not None:
        day = f"CAST({lit(plan.date.isoformat())} AS TIMESTAMP)"
        cols[time_field] = f"coalesce({cols[time_field]}, {day})" if time_field in cols else day
    for duration, end in (("first_response_hours", "first_response_at"),
                          ("resolution_hours", "resolved_at")):
        if duration in plan.derived:
            cols[duration] = _hours(cols[end], cols["opened_at"])
    if "churned" in plan.derived:
        cols["churned"] = f"({cols['churned_at']} IS NOT NULL)"
    cols["batch_id"] = lit(batch_id)
    return cols


def _valid_select(plan: Plan, sha256: str, batch_id: str) -> str:
    """The final field values of every row that passed every check."""
    cols = _columns(plan, sha256, batch_id)
    select = ", ".join(f"{sql} AS {quote_ident(name)}" for name, sql in cols.items())
    return (f"SELECT {select} FROM {TYPED} "
            f"WHERE _row NOT IN (SELECT _row FROM {ERRORS} WHERE _row IS NOT NULL)")


def check(cur: duckdb.DuckDBPyConnection, plan: Plan, sha256: str, batch_id: str) -> Checked:
    """Everything short of writing: errors, valid rows, duplicates against the table."""
    build_typed(cur, list(plan.specs))
    build_errors(cur, list(plan.specs), _cross_checks(plan))
    errors = run(cur, f"SELECT _row AS row, col AS column, message FROM {ERRORS} "
                      "ORDER BY _row, col").df()
    key_sql = _columns(plan, sha256, batch_id)[NATURAL_KEY[plan.table]]
    key = quote_ident(NATURAL_KEY[plan.table])
    read, rejected = run(cur, f"SELECT count(*), count(*) FILTER (WHERE _row IN "
                              f"(SELECT _row FROM {ERRORS})) FROM {TYPED}").fetchone()
    dupes, = run(cur, f"SELECT count(*) FROM {TYPED} WHERE {key_sql} IN "
                      f"(SELECT {key} FROM {plan.table}) AND _row NOT IN "
                      f"(SELECT _row FROM {ERRORS} WHERE _row IS NOT NULL)").fetchone()
    valid = int(read) - int(rejected)
    return Checked(int(read), int(rejected), int(dupes), valid - int(dupes), errors)


def write(cur: duckdb.DuckDBPyConnection, plan: Plan, batch: Batch, sha256: str) -> int:
    """Register extra columns, insert the new rows, record the batch; returns rows inserted."""
    for spec in plan.specs:
        if spec.extra:
            low, high = spec.scale if spec.scale else (None, None)
            add_extra_field(cur, plan.table, FieldInfo(plan.table, spec.field, spec.kind, True,
                                                       spec.header, low, high), batch.batch_id)
    names = list(_columns(plan, sha256, batch.batch_id))
    cols = ", ".join(quote_ident(n) for n in names)
    key = quote_ident(NATURAL_KEY[plan.table])
    inserted, = run(cur, f"INSERT INTO {plan.table} ({cols}) SELECT {cols} FROM "
                         f"({_valid_select(plan, sha256, batch.batch_id)}) v WHERE NOT EXISTS "
                         f"(SELECT 1 FROM {plan.table} t WHERE t.{key} = v.{key})").fetchone()
    insert_batch(cur, batch)
    return int(inserted)
