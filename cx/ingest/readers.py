"""Readers: a CSV / XLSX / Parquet file becomes one all-text staging table in DuckDB.

Why all text: every value is coerced later in SQL (cx.ingest.coerce), so a bad value becomes a
row error with its row and column instead of a reader crash. Staging columns are named c1..cN
(positions), so no header text ever reaches SQL as an identifier; `_row` is the row number a user
sees in a spreadsheet (the header is row 1, the first record row 2; a record whose quoted text spans
several lines still counts as one row).
"""

from __future__ import annotations

import codecs
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from cx.ingest.encoding import Detected, EncodingRefused, Scan, detect, scan, where
from cx.ingest import xlsx
from cx.ingest.options import Limits, na_pattern
from cx.storage import StoreError, run

RAW = "cx_raw"  # view over the staging table: _row, c1..cN
STAGE = "cx_stage"  # the staging table (TEMP, lives only as long as the connection)
_SNIFF_BYTES = 1 << 16
_XLSX_SUFFIXES = (".xlsx", ".xlsm")


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says what is wrong and where."""


@dataclass(frozen=True)
class RawFile:
    """What was read: the header as written, and how the file was decoded."""

    file_name: str
    file_format: str  # csv / xlsx / parquet
    headers: tuple[str | None, ...]  # None for an empty header cell
    n_rows: int
    encoding: str | None = None
    delimiter: str | None = None
    encoding_confidence: float | None = None  # 1.0 clean UTF-8 or declared; else the detector's


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _XLSX_SUFFIXES:
        return "xlsx"
    if suffix == ".parquet":
        return "parquet"
    if suffix == ".xls":
        raise FileRefused(f"{path.name}: old .xls workbooks are not supported; save it as .xlsx")
    return "csv"


def read_into(
    cur: duckdb.DuckDBPyConnection,
    path: Path,
    encoding: str | None = None,
    sheet: str | None = None,
    delimiter: str | None = None,
    limit: int | None = None,
    limits: Limits = Limits(),
) -> RawFile:
    """Stage `path` as TEMP table cx_raw(_row, c1..cN); `limit` keeps only the first records.

    The size and column limits are checked before the bulk of the file is parsed, so a hostile
    file costs little (issue 12: 1,000 columns ran DuckDB out of memory, a zip bomb 148 s).
    """
    if not path.is_file():
        raise FileRefused(f"{path.name}: no such file")
    fmt = file_format(path)
    _check_size(path.name, path.stat().st_size, limits, "is")
    if fmt == "xlsx":
        raw = _read_xlsx(cur, path, sheet, limit, limits)
    elif fmt == "parquet":
        raw = _read_parquet(cur, path, limit, limits)
    else:
        raw = _read_csv(cur, path, encoding, delimiter, limit, limits)
    if raw.n_rows == 0:
        raise FileRefused(f"{path.name}: the file has a header but no data rows")
    return raw


def _check_size(name: str, size: int, limits: Limits, what: str) -> None:
    if size > limits.max_file_mb * 1e6:
        raise FileRefused(f"{name} {what} {size / 1e6:,.1f} MB; the limit is "
                          f"{limits.max_file_mb:,.0f} MB. Split the file, or ask an admin to "
                          "raise the limit")


def _check_width(name: str, width: int, limits: Limits) -> None:
    if width > limits.max_columns:
        raise FileRefused(f"{name} has {width:,} columns; the limit is "
                          f"{limits.max_columns:,}. Keep the columns you need and upload again")


# -- CSV -------------------------------------------------------------------------------------
def _read_csv(
    cur: duckdb.DuckDBPyConnection, path: Path, encoding: str | None, delimiter: str | None,
    limit: int | None, limits: Limits,
) -> RawFile:
    if not _head(path).strip():
        raise FileRefused(f"{path.name}: the file is empty")
    found = scan(path)
    if found.nul_line is not None:
        raise FileRefused(
            f"{path.name}: line {found.nul_line} holds a NUL byte, so this is not a text (CSV) "
            "file - it contains binary data; upload a CSV, an .xlsx workbook or a .parquet file"
        )
    try:
        used, utf8_path = _as_utf8(path, encoding, found)
    except EncodingRefused as exc:
        raise FileRefused(str(exc)) from exc
    try:
        header, delim = _stage_csv(cur, path.name, utf8_path, delimiter, limit, limits)
    finally:
        if utf8_path != path:  # the transcoded copy: its rows are in the staging table now
            utf8_path.unlink(missing_ok=True)
    n_rows = run(cur, f"SELECT count(*) FROM {RAW}").fetchone()[0]
    headers = tuple(None if h is None or not str(h).strip() else str(h).strip() for h in header)
    return RawFile(path.name, "csv", headers, int(n_rows), used.encoding, delim,
                   used.confidence)


def _stage_csv(cur: duckdb.DuckDBPyConnection, name: str, path: Path, delimiter: str | None,
               limit: int | None, limits: Limits) -> tuple[tuple, str]:
    """The UTF-8 text at `path` into the staging table; returns its header row and delimiter."""
    dialect = _sniff(cur, name, path, delimiter)
    options = "header=false, all_varchar=true, strict_mode=true, delim=?, quote=?, escape=?"
    params = [str(path), dialect["delim"], dialect["quote"], dialect["escape"]]
    try:
        # skip=0: DuckDB's sniffer would otherwise drop a header that has fewer fields than
        # the rows below it, and read the first record as the header
        header = run(cur, f"SELECT * FROM read_csv(?, {options}, skip=0) LIMIT 1",
                     params).fetchone()
        if header is None:
            raise FileRefused(f"{name}: the file is empty")
        _check_width(name, len(header), limits)
        cols = ", ".join(f"c{i + 1}" for i in range(len(header)))
        top = "" if limit is None else f"LIMIT {int(limit)}"
        # rowid follows file order (insertion order is preserved); +2: header is row 1
        run(cur, f"CREATE OR REPLACE TEMP TABLE {STAGE} AS SELECT * FROM "
                 f"read_csv(?, {options}, skip=1) AS t({cols}) {top}", params)
        _publish(cur, "rowid + 2 AS _row, *")
        if dialect["delim"] != ",":
            _decimal_commas(cur)
    except StoreError as exc:
        raise FileRefused(f"{name}: the CSV structure is broken: {_csv_reason(exc)}") from exc
    return header, dialect["delim"]


def _decimal_commas(cur: duckdb.DuckDBPyConnection) -> None:
    """In a ';' (or tab) separated file, a column of numbers written 3,5 is rewritten 3.5.

    Only columns whose every value is missing, a whole number or a decimal-comma number, with
    at least one of the latter: a text or code column is never touched.
    """
    long_form = (f"(UNPIVOT {STAGE} ON COLUMNS(*) "
                 "INTO NAME col VALUE val)")
    comma, number = r"[+-]?\d+,\d+", r"[+-]?\d+(?:,\d+)?"
    found = run(cur, f"SELECT col FROM (SELECT col, trim(val) AS v FROM {long_form}) "
                     "WHERE NOT regexp_full_match(v, ?) GROUP BY col "
                     "HAVING count(*) FILTER (WHERE regexp_full_match(v, ?)) > 0 "
                     "AND count(*) FILTER (WHERE NOT regexp_full_match(v, ?)) = 0",
                [na_pattern(), comma, number]).fetchall()
    columns = sorted(int(name[1:]) for name, in found)
    if columns:
        sets = ", ".join(f"c{i} = replace(c{i}, ',', '.')" for i in columns)
        run(cur, f"UPDATE {STAGE} SET {sets}")


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(_SNIFF_BYTES)


def _csv_reason(exc: Exception) -> str:
    text = str(exc)
    if "sniffing" in text:
        return "the rows do not all have as many fields as the header (or the quoting is broken)"
    for line in text.splitlines():
        if "Line:" in line or "Expected Number of Columns" in line or "columns" in line.lower():
            return line.strip().removeprefix("Invalid Input error: ")
    return text.splitlines()[0]


def _sniff(cur: duckdb.DuckDBPyConnection, name: str, path: Path,
           delimiter: str | None) -> dict[str, str]:
    """Delimiter and quoting from DuckDB's sniffer, unless the user declared the delimiter."""
    try:
        row = run(cur, "SELECT Delimiter, Quote, Escape FROM sniff_csv(?, header=false)",
                  [str(path)]).fetchone()
    except StoreError as exc:
        raise FileRefused(f"{name}: could not work out the CSV layout (delimiter and "
                          "quoting); declare the delimiter") from exc
    delim, quote, escape = (v if v and v != "(empty)" else "" for v in row)
    return {"delim": delimiter or delim or ",", "quote": quote or '"', "escape": escape or '"'}


def _as_utf8(path: Path, encoding: str | None, found: Scan) -> tuple[Detected, Path]:
    """UTF-8 files (with or without BOM) are read in place; others are transcoded once.

    DuckDB reads only UTF-8/UTF-16/Latin-1, so a file in another encoding is decoded into a
    temporary UTF-8 copy, streamed in chunks. The detected encoding must read every byte; a
    declared one is the user's choice: CP-1252 then reads its five undefined bytes as Latin-1.
    """
    declared = codecs.lookup(encoding).name if encoding else None
    if declared in ("utf-8", "utf-8-sig") and not found.utf8:
        raise FileRefused(f"{path.name}: declared UTF-8 but {where(found)} is not valid UTF-8")
    used = Detected(declared, 1.0) if declared else detect(path, found)
    if used.encoding in ("utf-8", "utf-8-sig"):
        return used, path
    errors = "cx-latin1-fallback" if declared == "cp1252" else "strict"
    out = Path(tempfile.mkstemp(prefix="cx-utf8-", suffix=".csv")[1])
    decoder = codecs.getincrementaldecoder(used.encoding)(errors=errors)
    lines = 0
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(1 << 20):
            try:
                dst.write(decoder.decode(chunk))
            except UnicodeDecodeError as exc:
                line = lines + chunk.count(b"\n", 0, max(exc.start, 0)) + 1
                raise FileRefused(f"{path.name}: line {line} cannot be read as {used.encoding} "
                                  "(the rest of the file can): declare the file's encoding with "
                                  "--encoding, or save it as UTF-8") from exc
            lines += chunk.count(b"\n")
        dst.write(decoder.decode(b"", final=True))
    return used, out


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("cx-latin1-fallback", _latin1_fallback)


# -- XLSX and Parquet ------------------------------------------------------------------------
def _read_xlsx(
    cur: duckdb.DuckDBPyConnection, path: Path, sheet: str | None, limit: int | None,
    limits: Limits,
) -> RawFile:
    """pandas + openpyxl (DuckDB's excel extension cannot be installed offline)."""
    try:
        _check_size(path.name, xlsx.inflated_size(path), limits, "inflates to")
        frame = xlsx.read_frame(path, sheet, limit)
        _check_width(path.name, frame.shape[1], limits)
        unsaved = xlsx.unsaved_formulas(path, sheet, frame)
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise FileRefused(f"{path.name}: not a readable .xlsx workbook (damaged or "
                          f"truncated: {type(exc).__name__})") from exc
    except FileRefused:
        raise
    except ValueError as exc:
        raise FileRefused(f"{path.name}: {exc}") from exc
    if frame.empty:
        raise FileRefused(f"{path.name}: the sheet is empty")
    header = tuple(frame.iloc[0])
    headers = tuple(None if h is None or not str(h).strip() else str(h).strip() for h in header)
    if unsaved:
        raise FileRefused(xlsx.formula_message(path.name, unsaved, headers))
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = [f"c{i + 1}" for i in range(frame.shape[1])]
    cur.register("cx_xlsx_frame", frame)
    try:
        run(cur, f"CREATE OR REPLACE TEMP TABLE {STAGE} AS SELECT * FROM cx_xlsx_frame")
    finally:
        cur.unregister("cx_xlsx_frame")
    _publish(cur, "rowid + 2 AS _row, *")
    n_rows = run(cur, f"SELECT count(*) FROM {RAW}").fetchone()[0]
    return RawFile(path.name, "xlsx", headers, int(n_rows))


def _read_parquet(cur: duckdb.DuckDBPyConnection, path: Path, limit: int | None,
                  limits: Limits) -> RawFile:
    """Headers from the file's own schema: DuckDB renames a repeated name (nps, nps_1), which
    would hide the duplicate that the header check refuses in a CSV."""
    try:
        names = pq.read_schema(path).names
    except (pa.ArrowException, OSError) as exc:
        raise FileRefused(f"{path.name}: not a readable Parquet file "
                          f"({type(exc).__name__})") from exc
    _check_width(path.name, len(names), limits)
    cols = ", ".join(f"c{i + 1}" for i in range(len(names)))
    casts = ", ".join(f"CAST(c{i + 1} AS VARCHAR) AS c{i + 1}" for i in range(len(names)))
    top = "" if limit is None else f"WHERE file_row_number < {int(limit)}"
    run(cur, f"CREATE OR REPLACE TEMP TABLE {STAGE} AS SELECT file_row_number + 2 AS _row, {casts} "
             f"FROM read_parquet(?, file_row_number=true) AS t({cols}, file_row_number) {top} "
             "ORDER BY file_row_number", [str(path)])
    _publish(cur, "*")
    nul = run(cur, f"SELECT _row, col FROM (UNPIVOT {RAW} ON COLUMNS(* EXCLUDE (_row)) INTO NAME "
                   "col VALUE val) WHERE contains(val, chr(0)) ORDER BY _row LIMIT 1").fetchone()
    if nul:  # a CSV's NUL bytes are refused by the encoding scan; Parquet text can hold them too
        raise FileRefused(f"{path.name}: row {nul[0]}, column {names[int(nul[1][1:]) - 1]!r} "
                          "holds a NUL byte (binary data, not text)")
    n_rows = run(cur, f"SELECT count(*) FROM {RAW}").fetchone()[0]
    return RawFile(path.name, "parquet", tuple(names), int(n_rows))


def _publish(cur: duckdb.DuckDBPyConnection, select: str) -> None:
    """cx_raw as a view, so a million-row file is not copied a second time just to number it.

    The staging table is filled in file order (DuckDB preserves insertion order) and committed
    before any transaction starts, so its rowid is the record's position in the file.
    """
    run(cur, f"CREATE OR REPLACE TEMP VIEW {RAW} AS SELECT {select} FROM {STAGE}")
