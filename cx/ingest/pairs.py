"""Separate date and time columns (`Call Date` + `Call Time`) read as one timestamp.

Call-centre and telephony exports write the date and the clock time of a call in two columns.
Loaded as they are, the date would lose its time of day and the time would become a text
dimension. A pair is combined when the headers say so (`Date`/`Time`, `Call Date`/`Call Time`:
the same words ending in date and time) and the values agree (dates without a clock, clock
times without a date), or when the user declares it (`IngestOptions.date_time`). The combined
column keeps the date column's header and place, so matching and row errors name it as usual.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from cx.ingest.headers import normalise
from cx.ingest.profile import lit
from cx.ingest.readers import RAW
from cx.storage import run

PAIRED = "cx_raw_pairs"
_CLOCK = r"^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp][Mm])?$"
_DATE_ONLY = r"^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}$"


def _named_pairs(headers: list[str]) -> list[tuple[int, int]]:
    """(date index, time index) for headers that differ only in a last word date / time."""
    norm = [normalise(h) for h in headers]
    out = []
    for i, name in enumerate(norm):
        if name == "date" or name.endswith(" date"):
            want = name[: -len("date")] + "time"
            j = next((k for k, other in enumerate(norm) if other == want), None)
            if j is not None:
                out.append((i, j))
    return out


def _values_agree(cur: duckdb.DuckDBPyConnection, i: int, j: int) -> bool:
    """At least 90% of the filled date cells are dates alone, and of the time cells clock times."""
    d, t = f"trim(c{i + 1})", f"trim(c{j + 1})"
    filled_d, dates, filled_t, clocks = run(
        cur, f"SELECT count(nullif({d}, '')), count(*) FILTER (WHERE regexp_matches({d}, "
             f"{lit(_DATE_ONLY)})), count(nullif({t}, '')), count(*) FILTER (WHERE "
             f"regexp_matches({t}, {lit(_CLOCK)})) FROM {RAW}").fetchone()
    return filled_d > 0 and filled_t > 0 and dates >= 0.9 * filled_d and clocks >= 0.9 * filled_t


def _declared(headers: list[str], declared: tuple[tuple[str, str], ...]) -> list[tuple[int, int]]:
    by_header = {h.casefold(): i for i, h in enumerate(headers)}
    out = []
    for date, time in declared:
        missing = [h for h in (date, time) if h.casefold() not in by_header]
        if missing:
            raise ValueError(f"date and time columns to combine are not in the file: "
                             f"{', '.join(missing)}; the headers are: {', '.join(headers)}")
        out.append((by_header[date.casefold()], by_header[time.casefold()]))
    return out


def _clock_24h(t: str) -> str:
    """7:30 PM -> 19:30:00, so the combined text parses with any date format."""
    formats = "[" + ", ".join(lit(f) for f in ("%I:%M %p", "%I:%M:%S %p", "%I:%M%p",
                                               "%I:%M:%S%p")) + "]"
    return (f"CASE WHEN regexp_matches({t}, '[AaPp][Mm]$') THEN coalesce(strftime("
            f"try_strptime({t}, {formats}), '%H:%M:%S'), {t}) ELSE {t} END")


def combine_date_time(cur: duckdb.DuckDBPyConnection, headers: list[str],
                      declared: tuple[tuple[str, str], ...],
                      mapped: Iterable[str] = ()) -> tuple[list[str], dict[str, str]]:
    """Rebuild cx_raw with each pair as one column; returns (headers, {date header: time header}).

    The combined text is "date time" (just the date when the time cell is blank), parsed later
    like any timestamp column, so day-first dates and AM/PM clocks work as they do elsewhere.
    A time column the user mapped somewhere itself is left alone.
    """
    chosen = {h.casefold() for h in mapped}
    pairs = _declared(headers, declared) or [
        (i, j) for i, j in _named_pairs(headers)
        if headers[j].casefold() not in chosen and _values_agree(cur, i, j)]
    if not pairs:
        return headers, {}
    times = {j for _, j in pairs}
    if len(times) != len(pairs) or times & {i for i, _ in pairs}:
        raise ValueError("each time column can be combined with one date column only")
    clock_of = dict(pairs)
    cols, kept = ["_row"], []
    for i, header in enumerate(headers):
        if i in times:
            continue
        cell = f"c{i + 1}"
        if i in clock_of:
            t = _clock_24h(f"nullif(trim(c{clock_of[i] + 1}), '')")
            cell = f"CASE WHEN {t} IS NULL THEN {cell} ELSE trim({cell}) || ' ' || {t} END"
        kept.append(header)
        cols.append(f"{cell} AS c{len(kept)}")
    run(cur, f"CREATE OR REPLACE TEMP TABLE {PAIRED} AS SELECT {', '.join(cols)} FROM {RAW}")
    run(cur, f"CREATE OR REPLACE TEMP VIEW {RAW} AS SELECT * FROM {PAIRED}")
    return kept, {headers[i]: headers[j] for i, j in pairs}
