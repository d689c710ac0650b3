"""The resolved mapping of an upload: which column feeds which field, typed how, checked how.

The plan is what the user sees before loading (and what is stored with the batch). Fields a file
does not carry can be derived when honest to do so: durations from two timestamps, the churn flag
from a churn date, one date for the whole batch (`--date`), and, for survey answers without an
id, a key from the file's hash and the row number (so the same file uploaded again is recognised).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from cx.ingest.coerce import ColumnSpec
from cx.ingest.headers import check_overrides, display_headers, match_columns
from cx.ingest.options import DEFAULT_SCALES, IngestOptions, NeedsDeclaration
from cx.ingest.profile import Profile, extra_kind, fits, profile_columns, time_family
from cx.ingest.readers import RawFile
from cx.storage import FieldInfo, fields_of
from cx.storage.schema import CANONICAL, NATURAL_KEY, TIME_FIELD

_DURATIONS = {"first_response_hours": "first_response_at", "resolution_hours": "resolved_at"}
_KIND = {"key": "key", "time": "time", "dimension": "dimension", "score": "score",
         "measure": "measure", "flag": "flag", "text": "text"}


@dataclass(frozen=True)
class Plan:
    table: str
    specs: tuple[ColumnSpec, ...]
    date: dt.date | None = None
    synthetic_key: bool = False
    derived: dict[str, str] = field(default_factory=dict)  # field -> how it is computed

    def spec(self, field_name: str) -> ColumnSpec | None:
        return next((s for s in self.specs if s.field == field_name), None)

    def index(self, field_name: str) -> int | None:
        return next((i for i, s in enumerate(self.specs) if s.field == field_name), None)

    @property
    def mapping(self) -> dict[str, str]:
        return {s.header: s.field for s in self.specs}

    def describe(self) -> dict[str, object]:
        return {"columns": [s.describe() for s in self.specs], "derived": dict(self.derived),
                "date": self.date.isoformat() if self.date else None,
                "synthetic_key": self.synthetic_key}


def canonical_kind(table: str, name: str) -> str | None:
    for f in CANONICAL[table]:
        if f.name == name and f.kind != "meta":
            return "duration" if name in _DURATIONS else _KIND[f.kind]
    return None


def make_plan(cur: duckdb.DuckDBPyConnection, raw: RawFile, options: IngestOptions) -> Plan:
    """Headers + value profiles + the user's declarations -> a checked Plan (or ValueError)."""
    return complete_plan(propose_plan(cur, raw, options), options)


def propose_plan(cur: duckdb.DuckDBPyConnection, raw: RawFile, options: IngestOptions) -> Plan:
    """Every column's proposed field, before checking that required fields have a source: the
    Upload page shows this mapping even when a required field is missing, so it can be picked."""
    table = options.table
    headers = display_headers(raw.headers)
    if len(headers) == 1 and any(sep in headers[0] for sep in ";,\t|"):
        raise NeedsDeclaration(f"{raw.file_name}: read as a single column named {headers[0]!r}; "
                               f"the delimiter {raw.delimiter!r} looks wrong (declare the "
                               "delimiter)", "--delimiter")
    check_overrides(table, options.mapping)
    profiles = profile_columns(cur, len(headers))

    def suits(position: int, name: str) -> bool:
        kind = canonical_kind(table, name)
        return kind is not None and fits(profiles[position - 1], kind)

    matches = match_columns(table, headers, options.mapping, suits)
    existing = {f.name: f for f in fields_of(cur, table) if f.extra}
    specs = tuple(
        _spec(m.position, m.header, m.field, m.how, m.note, profiles[m.position - 1], options,
              existing.get(m.field))
        for m in matches
    )
    _check_declarations(specs, headers, options)
    return Plan(table, specs, options.date)


def _spec(position: int, header: str, name: str, how: str, note: str, profile: Profile,
          options: IngestOptions, existing: FieldInfo | None) -> ColumnSpec:
    kind = canonical_kind(options.table, name)
    extra = kind is None
    if extra:
        kind = existing.kind if existing else extra_kind(profile)
        how = "extra" if how == "auto" else how
    rating_like = kind in ("score", "rating")
    spec = ColumnSpec(position, header, name, kind, how, extra=extra, note=note,
                      missing=options.missing_for(name, header, rating_like),
                      reverse=name in options.reverse)
    if kind == "time":
        return spec.with_(family=time_family(profile, header, options.date_order))
    if kind == "duration":
        return spec.with_(unit=options.units.get(header, "hours"))
    if kind == "score":
        return spec.with_(scale=options.scale_for(name, header))
    if kind == "rating":
        return spec.with_(scale=_rating_scale(profile, spec, options, existing))
    return spec


def _rating_scale(profile: Profile, spec: ColumnSpec, options: IngestOptions,
                  existing: FieldInfo | None) -> tuple[int, int] | None:
    """Declared, else as earlier batches stored it, else read from the values.

    A code declared as "not applicable" (the airline file's 0) is not a point of the scale.
    """
    declared = options.scale_for(spec.field, spec.header)
    if declared:
        return declared
    if existing and existing.scale_min is not None and existing.scale_max is not None:
        return int(existing.scale_min), int(existing.scale_max)
    if profile.min is None or profile.max is None:
        return None
    low = int(profile.min)
    if spec.missing is not None and _number(spec.missing) == low:
        low += 1
    return low, int(profile.max)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _check_declarations(specs: tuple[ColumnSpec, ...], headers: list[str],
                        options: IngestOptions) -> None:
    """Every --unit / --missing / --reverse / --scale must name something this file has."""
    by_header = {s.header: s for s in specs}
    for header in options.units:
        spec = by_header.get(header)
        if spec is None:
            raise ValueError(f"--unit {header!r}: no such header; headers: {', '.join(headers)}")
        if spec.kind != "duration":
            raise ValueError(f"--unit {header!r}: that column goes to {spec.field}, which is not "
                             "a duration (first_response_hours or resolution_hours)")
    unknown = [h for h in options.missing if h != "*" and h not in by_header
               and all(s.field != h for s in specs)]
    if unknown:
        raise ValueError(f"--missing names columns that are not in the file: {', '.join(unknown)}")
    for name in options.reverse:
        spec = next((s for s in specs if s.field == name), None)
        if spec is None or spec.kind not in ("score", "rating"):
            raise ValueError(f"--reverse {name}: no score or rating column {name} in this file")
    for name in options.scales:
        if name not in by_header and all(s.field != name for s in specs):
            if name not in DEFAULT_SCALES:
                raise ValueError(f"--scale {name}: no such field or header in this file")


def complete_plan(plan: Plan, options: IngestOptions) -> Plan:
    """Natural key and time field must have a source; derive what can honestly be derived."""
    table, derived = plan.table, {}
    key = NATURAL_KEY[table]
    synthetic = plan.spec(key) is None
    if synthetic and table != "responses":
        raise NeedsDeclaration(f"no column for {key} (each {table[:-1]} needs its id): map a "
                               f"column to {key}", f"--map \"HEADER={key}\"")
    if synthetic:
        derived[key] = "file sha256 + row number (the file has no response id)"
    time_field = TIME_FIELD[table]
    if plan.spec(time_field) is None and table != "customers" and options.date is None:
        raise NeedsDeclaration(_missing_time_message(plan, time_field),
                               f"--map \"HEADER={time_field}\" or --date YYYY-MM-DD")
    if plan.spec(time_field) is None and options.date is not None:
        derived[time_field] = f"one date for every row: {options.date.isoformat()}"
    if table == "tickets":
        for duration, end in _DURATIONS.items():
            if plan.spec(duration) is None and plan.spec(end) and plan.spec("opened_at"):
                derived[duration] = f"{end} - opened_at, in hours"
    if table == "customers" and plan.spec("churned") is None and plan.spec("churned_at"):
        derived["churned"] = "true when churned_at is set"
    return Plan(table, plan.specs, plan.date, synthetic, derived)


def _missing_time_message(plan: Plan, time_field: str) -> str:
    times = [s.header for s in plan.specs if s.kind == "time"]
    hint = (f" Timestamp columns in this file: {', '.join(times)}." if times else "")
    what = "when the ticket was opened" if time_field == "opened_at" else "when it was answered"
    return (f"no column for {time_field} ({what}).{hint} Map a column to {time_field}, or give "
            "one date for every row of the file")
