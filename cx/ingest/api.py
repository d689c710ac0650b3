"""The Upload page's (and the command line's) door to ingestion.

    preview(source, options)            -> Preview: header, first rows, proposed mapping (no db)
    validate(store, source, options)    -> IngestReport: every check, nothing written
    load(store, source, options, progress=cb) -> IngestReport: one transaction, one batch
    errors_csv(report)                  -> bytes: every error, for a download button
    batches(store), rollback(store, batch_id)

`source` is a path, or the bytes of an uploaded file (then give options.file_name, whose suffix
says the format). `progress(stage, fraction)` is called as the load moves on (reading, matching,
validating, writing, done), so a page can drive a progress bar.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cx.ingest import load as loader
from cx.ingest.coerce import missing_counts
from cx.ingest.options import IngestOptions
from cx.ingest.plan import Plan, complete_plan, make_plan, propose_plan
from cx.ingest.once import load_lock, replace_same_file
from cx.ingest.problems import IngestProblem, Problem
from cx.ingest.readers import RAW, FileRefused, RawFile, read_into
from cx.ingest.scales import implied_scale, value_ranges
from cx.storage import Store, StoreError, run
from cx.storage.store import migrate
from cx.storage.batches import Batch, get_batch, list_batches, new_batch_id, rollback_batch
from cx.storage.fields import SOURCE_FIELD, mark_filters, tag_source
from cx.text.batch import analyse_batch

Progress = Callable[[str, float], None]
JSON_ERROR_LIMIT = 1000
@dataclass(frozen=True)
class Preview:
    raw: RawFile
    rows: pd.DataFrame  # the first records, columns named by header
    columns: list[dict[str, Any]]  # proposed mapping, one entry per column
    problem: str | None = None  # why the file cannot be loaded as it is (mapping level)
    problem_detail: Problem | None = None  # the same, when the user can settle it by a choice
    derived: dict[str, str] = field(default_factory=dict)  # field -> how the load computes it


@dataclass(frozen=True)
class IngestReport:
    status: str  # "loaded", "validated" (dry run, would load), "refused"
    table: str
    file_name: str
    batch_id: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    errors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["row", "column", "message"]))
    mapping: dict[str, str] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    sha256: str | None = None
    problem: Problem | None = None  # a refusal the user can settle by a choice (problems.py)
    replaced: tuple[str, ...] = ()  # batches this load replaced (IngestOptions.replace)
    flag: str = ""  # the command-line option that settles a refusal (the CLI shows it)

    @property
    def refused(self) -> bool:
        return self.status == "refused"

    def as_json(self, error_limit: int = JSON_ERROR_LIMIT) -> dict[str, Any]:
        """PRODUCT.md §6 fields, plus status, message, errors_total and the detailed plan."""
        shown = self.errors.head(error_limit)
        return {
            "batch_id": self.batch_id, "table": self.table, "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded, "rows_rejected": self.rows_rejected,
            "rows_duplicate": self.rows_duplicate,
            "errors": [{"row": int(r), "column": c, "message": m}
                       for r, c, m in shown.itertuples(index=False)],
            "errors_total": len(self.errors), "mapping": self.mapping,
            "status": self.status, "message": self.message, "file_name": self.file_name,
            "plan": self.plan, "sha256": self.sha256, "replaced": list(self.replaced),
            "problem": self.problem.as_dict() if self.problem else None,
        }


def errors_csv(report: IngestReport) -> bytes:
    """Every error (not just the first 1,000) as CSV, for the page's download button."""
    return report.errors.to_csv(index=False).encode("utf-8")


@contextmanager
def _as_path(source: str | Path | bytes, options: IngestOptions) -> Iterator[Path]:
    if not isinstance(source, bytes):
        yield Path(source)
        return
    suffix = Path(options.file_name or "upload.csv").suffix or ".csv"
    fd, name = tempfile.mkstemp(prefix="cx-upload-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(source)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _stage(cur: duckdb.DuckDBPyConnection, path: Path, options: IngestOptions,
           limit: int | None = None) -> RawFile:
    return read_into(cur, path, encoding=options.encoding, sheet=options.sheet,
                     delimiter=options.delimiter, limit=limit, limits=options.limits)


def preview(source: str | Path | bytes, options: IngestOptions, rows: int = 20,
            store: Store | None = None) -> Preview:
    """Header, first rows and the proposed mapping; nothing is written.

    The mapping is proposed from every value of the file. With `store`, the file is staged in
    the database's temporary space so extra columns that earlier uploads created keep their
    kinds, as they will when loading; without it, in a private in-memory database.
    """
    with _as_path(source, options) as path, _scratch(store) as cur:
        run(cur, "SET enable_progress_bar = false")
        raw = _stage(cur, path, options)
        headers = [h or f"column_{i + 1}" for i, h in enumerate(raw.headers)]
        frame = run(cur, f"SELECT * EXCLUDE (_row) FROM {RAW} ORDER BY _row LIMIT ?",
                    [rows]).df()
        frame.columns = _unique(headers)
        columns: list[dict[str, Any]] = []
        problem, detail, derived = None, None, {}
        try:
            proposed = propose_plan(cur, raw, options)
            columns = _with_implied_scales(cur, proposed)
            derived = complete_plan(proposed, options).derived
        except ValueError as exc:
            problem, detail = str(exc), getattr(exc, "problem", None)
        return Preview(raw, frame, columns, problem, problem_detail=detail, derived=derived)


def _with_implied_scales(cur: duckdb.DuckDBPyConnection, plan: Plan) -> list[dict[str, Any]]:
    """Each column's description; score and rating columns whose values leave their scale get
    `implied_scale` (what the values imply) for the page to propose (never nps: always 0-10)."""
    rated = [s for s in plan.specs if s.kind in ("score", "rating") and s.field != "nps"]
    ranges = value_ranges(cur, [s.position for s in rated])
    out = []
    for spec in plan.specs:
        column = spec.describe()
        found = ranges.get(spec.position) if spec in rated else None
        implied = implied_scale(found, spec.scale) if found else None
        if implied:
            column["implied_scale"] = implied
            column["values"] = (int(found[0]), int(found[1]))
        out.append(column)
    return out


@contextmanager
def _scratch(store: Store | None) -> Iterator[duckdb.DuckDBPyConnection]:
    if store is not None:
        with store.cursor() as cur:
            yield cur
        return
    conn = duckdb.connect()
    try:
        migrate(conn)  # empty schema, so field lookups work the same way
        yield conn
    finally:
        conn.close()


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


def validate(store: Store, source: str | Path | bytes, options: IngestOptions,
             progress: Progress | None = None) -> IngestReport:
    """Every check and the counts a load would give; nothing is written."""
    return _run(store, source, options, progress, write=False)


def load(store: Store, source: str | Path | bytes, options: IngestOptions,
         progress: Progress | None = None) -> IngestReport:
    """Load in one transaction. Refused (nothing written) on a file-level problem, or on any
    row error with on_error="reject"; with "skip" the valid rows load and the rest are reported.
    """
    return _run(store, source, options, progress, write=True)


class _Abort(Exception):
    """Leaves the transaction so that it rolls back, carrying the report out."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__(report.message)
        self.report = report


def _run(store: Store, source: str | Path | bytes, options: IngestOptions,
         progress: Progress | None, write: bool) -> IngestReport:
    tick = progress or (lambda stage, fraction: None)
    with _as_path(source, options) as path:
        name = options.file_name or path.name
        tick("reading", 0.0)
        sha = _sha256(path) if path.is_file() else None
        try:
            with store.cursor() as cur:
                run(cur, "SET enable_progress_bar = false")  # never mixed into --json output
                raw = _stage(cur, path, options)  # autocommitted TEMP table: stable rowids
                tick("matching", 0.3)
                with load_lock(store, options.table), _transaction(cur):
                    report = _inside(cur, raw, options, tick, write, sha)
                    if report.refused or not write:
                        raise _Abort(report)
        except _Abort as stop:
            report = stop.report
        except (FileRefused, ValueError, StoreError) as exc:
            problem = exc.problem if isinstance(exc, IngestProblem) else None
            report = IngestReport("refused", options.table, name, message=str(exc), sha256=sha,
                                  problem=problem, flag=getattr(exc, "flag", ""))
        tick("done", 1.0)
        return report


@contextmanager
def _transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing on the staging cursor (Store.transaction opens a new connection, which
    would not see the TEMP staging table)."""
    run(cur, "BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        run(cur, "ROLLBACK")
        raise
    run(cur, "COMMIT")


def _inside(cur: duckdb.DuckDBPyConnection, raw: RawFile, options: IngestOptions,
            tick: Progress, write: bool, sha: str | None) -> IngestReport:
    plan = make_plan(cur, raw, options)  # mistakes in the declarations are reported first
    replaced = replace_same_file(cur, options, sha, options.file_name or raw.file_name)
    tick("validating", 0.5)
    batch_id = new_batch_id()
    checked = loader.check(cur, plan, batch_id)
    missing = missing_counts(cur, list(plan.specs))
    report = replace(_report(options, raw, plan, checked, sha, missing), replaced=replaced)
    if checked.rows_rejected and options.on_error == "reject":
        return _refused(report, checked)
    if not write:
        return report
    tick("writing", 0.8)
    batch = Batch(batch_id, "upload", options.table, report.file_name, sha, options.uploader,
                  rows_read=checked.rows_read, rows_loaded=checked.rows_new,
                  rows_rejected=checked.rows_rejected, rows_duplicate=checked.rows_duplicate,
                  mapping={**plan.describe(), "mapping": plan.mapping, "replaced": list(replaced),
                           **_provenance(raw, options)})
    loaded = loader.write(cur, plan, batch)
    if plan.spec(SOURCE_FIELD) is None:  # a file's own source column is its source
        tag_source(cur, options.table, batch_id, options.source or Path(report.file_name).stem)
    mark_filters(cur, options.table, options.filters)
    analyse_batch(cur, options.table, batch_id)  # comment language, sentiment, themes
    if loaded != checked.rows_new:  # cannot happen inside one transaction; never record a lie
        raise ValueError(f"internal: expected {checked.rows_new} new rows, inserted {loaded}")
    message = (f"loaded {loaded} new rows as batch {batch_id}; {checked.rows_duplicate} already "
               f"present, {checked.rows_rejected} skipped with errors")
    if replaced:
        message += f"; replaced batch {', '.join(replaced)} (same file)"
    return IngestReport("loaded", **{**_fields(report), "batch_id": batch_id,
                                     "rows_loaded": loaded, "message": message})


def _provenance(raw: RawFile, options: IngestOptions) -> dict[str, Any]:
    return {"format": raw.file_format, "encoding": raw.encoding, "delimiter": raw.delimiter,
            "encoding_confidence": raw.encoding_confidence,
            "on_error": options.on_error, "sheet": options.sheet}


def _report(options: IngestOptions, raw: RawFile, plan: Plan, checked: loader.Checked,
            sha: str | None, missing: dict[str, int]) -> IngestReport:
    return IngestReport(
        "validated", options.table, options.file_name or raw.file_name,
        rows_read=checked.rows_read, rows_loaded=checked.rows_new,
        rows_rejected=checked.rows_rejected, rows_duplicate=checked.rows_duplicate,
        errors=checked.errors, mapping=plan.mapping,
        plan={**plan.describe(), **_provenance(raw, options), "missing": missing}, sha256=sha,
        message=f"{checked.rows_new} new rows would load",
    )


def _fields(report: IngestReport) -> dict[str, Any]:
    return {k: getattr(report, k) for k in report.__dataclass_fields__ if k != "status"}


def _refused(report: IngestReport, checked: loader.Checked) -> IngestReport:
    rows = checked.rows_rejected
    message = (f"refused: {rows} of {checked.rows_read} rows have errors "
               f"({len(checked.errors)} in all); nothing was written. Fix the file, or load "
               "only the valid rows")
    return IngestReport("refused", **{**_fields(report), "rows_loaded": 0, "message": message,
                                      "replaced": (), "flag": "--on-error skip"})


def batches(store: Store, include_rolled_back: bool = True) -> list[Batch]:
    with store.cursor() as cur:
        return list_batches(cur, include_rolled_back)


def rollback(store: Store, batch_id: str) -> dict[str, Any]:
    """Remove exactly this batch's records, in one transaction."""
    with store.transaction() as cur:
        batch = get_batch(cur, batch_id)
        removed = rollback_batch(cur, batch_id)
    return {"batch_id": batch_id, "table": batch.table_name if batch else None,
            "rows_removed": removed}
