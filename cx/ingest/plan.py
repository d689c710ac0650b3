"""The resolved mapping of an upload: which column feeds which field, typed how, checked how.

The plan is what the user sees before loading (and what is stored with the batch). Fields a file
does not carry can be derived when honest to do so: durations from two timestamps, the churn flag
from a churn date, one date for the whole batch (`--date`), and, for records without an
id, a key from the row's content and its occurrence among identical rows (so the same rows
uploaded again, in any order or under another mapping, are recognised).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import duckdb

from cx.ingest.coerce import ColumnSpec
from cx.ingest.headers import (
    BOOKKEEPING, ColumnMatch, check_overrides, display_headers, match_columns, normalise,
    snake_case,
)
from cx.ingest.options import DEFAULT_SCALES, TENURE_UNITS, IngestOptions, NeedsDeclaration
from cx.ingest.pairs import combine_date_time
from cx.ingest.problems import MAP_COLUMN, MISSING_FIELD, ONE_DATE, IngestProblem, Problem
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
    ignored: dict[str, str] = field(default_factory=dict)  # header -> why it is not loaded
    headers: tuple[str, ...] = ()  # every column of the staged file, in order (content ids)

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
                "synthetic_key": self.synthetic_key, "ignored": dict(self.ignored)}


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
    headers, paired = combine_date_time(cur, headers, options.date_time, options.mapping)
    profiles = profile_columns(cur, len(headers), na_codes=options.na_codes)

    def suits(position: int, name: str) -> bool:
        kind = canonical_kind(table, name)
        return kind is not None and fits(profiles[position - 1], kind)

    matches, ignored = _bookkeeping(match_columns(table, headers, options.mapping, suits))
    existing = {f.name: f for f in fields_of(cur, table) if f.extra}
    specs = tuple(
        _spec(m.position, m.header, m.field, m.how, _paired_note(m, paired),
              profiles[m.position - 1], options, existing.get(m.field))
        for m in matches
    )
    _check_declarations(specs, headers, options)
    specs = _exported_scales(specs, ignored, profiles, options)
    plan = Plan(table, specs, options.date, ignored={m.header: _IGNORED for m in ignored},
                headers=tuple(headers))
    return plan


_IGNORED = "written by a CX Lens export; the load records its own batch and scales"


def _bookkeeping(matches: list[ColumnMatch]) -> tuple[list[ColumnMatch], list[ColumnMatch]]:
    """Split off the bookkeeping columns a CX Lens export carries (batch_id, scale ends), so an
    export loaded back adds no `batch_id_2` column; their scales are read by _exported_scales."""
    book = [m for m in matches if m.how == "extra" and snake_case(m.header) in BOOKKEEPING]
    return [m for m in matches if m not in book], book


def _exported_scales(specs: tuple[ColumnSpec, ...], book: list[ColumnMatch],
                     profiles: list[Profile], options: IngestOptions) -> tuple[ColumnSpec, ...]:
    """A score's scale from an export's `csat_scale_min/max` columns, when one value throughout
    and nothing was declared; differing scales in one file are refused (one scale per load)."""
    ends = {snake_case(m.header): profiles[m.position - 1] for m in book}
    out = []
    for spec in specs:
        low, high = ends.get(f"{spec.field}_scale_min"), ends.get(f"{spec.field}_scale_max")
        declared = spec.field in options.scales or spec.header in options.scales
        if spec.kind != "score" or low is None or high is None or declared or low.min is None:
            out.append(spec)
            continue
        if low.min != low.max or high.min != high.max or high.min is None:
            raise ValueError(f"{spec.field}_scale_min/max differ between rows: the file mixes "
                             f"{spec.field} scales; load each scale as its own file")
        out.append(spec.with_(scale=(int(low.min), int(high.min))))
    return tuple(out)


def _paired_note(match: ColumnMatch, paired: dict[str, str]) -> str:
    time = paired.get(match.header)
    note = f"date and time of day: {match.header!r} with {time!r}" if time else ""
    return "; ".join(n for n in (note, match.note) if n)


def _spec(position: int, header: str, name: str, how: str, note: str, profile: Profile,
          options: IngestOptions, existing: FieldInfo | None) -> ColumnSpec:
    kind = canonical_kind(options.table, name)
    extra = kind is None
    if extra:
        kind = existing.kind if existing else extra_kind(profile)
        if kind in ("measure", "dimension") and profile.non_null \
                and profile.share(profile.hms) >= 0.9 and (not existing or kind == "measure"):
            kind = "duration"  # talk time 0:02:23 / 2:23 (mm:ss): hours, like resolution_hours
        how = "extra" if how == "auto" else how
    rating_like = kind in ("score", "rating")
    spec = ColumnSpec(position, header, name, kind, how, extra=extra, note=note,
                      missing=options.missing_for(name, header, rating_like),
                      codes=options.column_codes(name, header, rating_like),
                      na_codes=options.na_codes, limits=options.limits,
                      reverse=name in options.reverse)
    if kind == "time":
        return spec.with_(family=time_family(profile, header, options.date_order))
    if kind == "duration":
        return spec.with_(unit=options.units.get(header, "hours"))
    if name == "tenure_months":
        years = "year" in normalise(header) and "month" not in normalise(header)
        return spec.with_(unit=options.units.get(header, "years" if years else None))
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
            raise ValueError(f"unit for {header!r}: no such header; headers: {', '.join(headers)}")
        unit = options.units[header]
        if spec.field == "tenure_months" and unit not in TENURE_UNITS:
            raise ValueError(f"unit {unit} for {header!r}: tenure is in years or months")
        if spec.field != "tenure_months" and (spec.kind != "duration" or unit in TENURE_UNITS):
            raise ValueError(f"unit {unit} for {header!r}: that column goes to {spec.field}, which "
                             "is not a duration (first_response_hours, resolution_hours, an "
                             "H:MM:SS column) or tenure_months")
    unknown = [h for h in options.missing if h != "*" and h not in by_header
               and all(s.field != h for s in specs)]
    if unknown:
        raise ValueError(f"missing-value codes name columns that are not in the file: "
                         f"{', '.join(unknown)}")
    for name in options.reverse:
        spec = next((s for s in specs if s.field == name), None)
        if spec is None or spec.kind not in ("score", "rating"):
            raise ValueError(f"reverse coding {name}: no score or rating column {name} in this file")
    for name in options.scales:
        if name not in by_header and all(s.field != name for s in specs):
            if name not in DEFAULT_SCALES:
                raise ValueError(f"scale for {name}: no such field or header in this file")


def complete_plan(plan: Plan, options: IngestOptions) -> Plan:
    """Natural key and time field must have a source; derive what can honestly be derived."""
    table, derived = plan.table, {}
    key = NATURAL_KEY[table]
    synthetic = plan.spec(key) is None
    if synthetic and table == "customers":
        raise _missing(plan, key, f"no column for {key} (each customer needs the id that links "
                       "surveys and tickets to it)", ())
    if synthetic:
        derived[key] = ("from the row's content (every header and value) and its occurrence "
                        "among identical rows: the file has no id column")
    time_field = TIME_FIELD[table]
    if plan.spec(time_field) is None and table != "customers" and options.date is None:
        what = "when the ticket was opened" if time_field == "opened_at" else "when it was answered"
        raise _missing(plan, time_field, f"no column for {time_field} ({what})", (ONE_DATE,))
    if plan.spec(time_field) is None and options.date is not None:
        derived[time_field] = f"one date for every row: {options.date.isoformat()}"
    if table == "tickets":
        for duration, end in _DURATIONS.items():
            if plan.spec(duration) is None and plan.spec(end) and plan.spec("opened_at"):
                derived[duration] = f"{end} - opened_at, in hours"
    if table == "tickets" and plan.spec("resolved") is None and (
            plan.spec("resolved_at") or plan.spec("resolution_hours")):
        derived["resolved"] = "true when resolved_at or a resolution time is set"
    if table == "customers" and plan.spec("churned") is None and plan.spec("churned_at"):
        derived["churned"] = "true when churned_at is set"
    return replace(plan, synthetic_key=synthetic, derived=derived)


def _missing(plan: Plan, name: str, what: str, choices: tuple[str, ...]) -> IngestProblem:
    """A required field without a column: which columns could feed it, and what else to do."""
    kind = canonical_kind(plan.table, name)
    columns = tuple(s.header for s in plan.specs if s.kind == kind or (kind == "key" and s.kind
                                                                      in ("dimension", "text")))
    hint = f" Columns that could be it: {', '.join(columns)}." if columns else ""
    other = " or give one date for every row" if ONE_DATE in choices else ""
    return IngestProblem(Problem(MISSING_FIELD, f"{what}.{hint} Choose the column that holds "
                                 f"{name}{other}", name, columns, (MAP_COLUMN, *choices)))
