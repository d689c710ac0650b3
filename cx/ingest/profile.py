"""Column profiles: what the values of each staged column look like, from one SQL scan.

Matching (is `Time to Resolution` a timestamp or a duration?), extra-column kinds (dimension,
free text, rating, measure) and date-order decisions (is 03/04/2023 day-first?) all read these
counts, so the decision is made on every value of the file, not on a guess from the first rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import sqlglot.expressions as sx

from cx.ingest.options import DEFAULT_NA_CODES, NeedsDeclaration, na_pattern
from cx.ingest.readers import RAW
from cx.storage import run

_NOT_A_VALUE = ("None", "none", "NONE")  # missing in numbers, dates and flags only
TRUE_TOKENS = ("yes", "y", "true", "t", "1")
FALSE_TOKENS = ("no", "n", "false", "f", "0")
# Day-first / month-first dates are rewritten to ISO by a regex and cast; DuckDB's strptime with
# a list of formats was ~50x slower. 12-hour clock times (AM/PM) go through strptime, only on
# the values that carry AM/PM.
_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
_CLOCK = r"((?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)"
_AMPM = r"\s*[AaPp][Mm]$"
_SLASHED_ISO = r"^(\d{4})/(\d{1,2})/(\d{1,2})" + _CLOCK + "$"
_OFFSET = r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_HMS = r"^\d+:[0-5]?\d(:[0-5]?\d(\.\d+)?)?$"


def lit(value: str | float | int) -> str:
    """A SQL literal rendered by sqlglot (house rule: values never formatted by hand)."""
    if isinstance(value, str):
        return sx.Literal.string(value).sql("duckdb")
    return sx.Literal.number(value).sql("duckdb")


def _str_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(lit(v) for v in values) + "]"


def text_token(col: str, na_codes: tuple[str, ...] | None = None) -> str:
    """Trimmed text with blanks and the missing-value codes as NULL: `NA` is never a category.

    The codes are compared as written (the defaults list their common cases) instead of
    lower-casing every value, which took most of the time of a profile scan. One regular
    expression per column, not `IN (...)`: DuckDB turns an IN list of six or more values into a
    join, and 250 such joins took 40 s to plan for a three-row file.
    """
    return (f"CASE WHEN regexp_full_match(trim({col}), {lit(na_pattern(na_codes))}) THEN NULL "
            f"ELSE trim({col}) END")


def typed_token(col: str, na_codes: tuple[str, ...] | None = None) -> str:
    """As text_token, and "None" is missing too: in numbers, dates and flags it is no value."""
    return text_token(col, (*(DEFAULT_NA_CODES if na_codes is None else na_codes), *_NOT_A_VALUE))


def parse_time(v: str, family: str) -> str:
    """SQL that parses text `v` as a timestamp of the given family (iso / dmy / mdy)."""
    if family == "iso":
        iso_like = f"regexp_replace({v}, {lit(_SLASHED_ISO)}, '\\1-\\2-\\3\\4')"
        # an offset (Z, +05:00) makes the value an instant: stored as UTC, never dropped
        instant = f"timezone('UTC', try_cast({v} AS TIMESTAMPTZ))"
        return (f"CASE WHEN regexp_matches({v}, {lit(_OFFSET)}) THEN {instant} ELSE "
                f"coalesce(try_cast({v} AS TIMESTAMP), CASE WHEN contains({v}, '/') "
                f"THEN try_cast({iso_like} AS TIMESTAMP) END) END")
    day, month = (r"\1", r"\2") if family == "dmy" else (r"\2", r"\1")
    pattern = "^" + _DATE + _CLOCK + "$"
    target = "\\3-" + month + "-" + day + "\\4"
    as_iso = f"regexp_replace({v}, {lit(pattern)}, {lit(target)})"
    order = "%d/%m/%Y" if family == "dmy" else "%m/%d/%Y"
    ampm = _str_list(tuple(f"{order.replace('/', s)} {t}" for s in "/.-"
                           for t in ("%I:%M %p", "%I:%M:%S %p")))
    return (f"CASE WHEN regexp_matches({v}, {lit(pattern)}) THEN try_cast({as_iso} AS TIMESTAMP) "
            f"WHEN regexp_matches({v}, {lit('^' + _DATE + '.*' + _AMPM)}) "
            f"THEN try_strptime({v}, {ampm}) END")


def is_hms(v: str) -> str:
    return f"regexp_matches({v}, {lit(_HMS)})"


@dataclass(frozen=True)
class Profile:
    non_null: int
    distinct: int
    numeric: int
    integer: int
    min: float | None
    max: float | None
    iso: int
    dmy: int
    mdy: int
    hms: int
    boolish: int
    leading_zero: int

    def share(self, count: int) -> float:
        return 1.0 if self.non_null == 0 else count / self.non_null

    @property
    def time_share(self) -> float:
        return self.share(max(self.iso, self.dmy, self.mdy))


def _aggregates(v: str, num: str) -> list[str]:
    """The twelve counts of a Profile, over the trimmed value `v` and its number `num`."""
    # Only short, non-numeric values that contain a date separator can be dates: skipping the
    # regexes for the rest keeps the scan cheap on long free-text and numeric columns.
    maybe = f"CASE WHEN {num} IS NULL AND length({v}) <= 40 AND regexp_matches({v}, '^\\d') " \
            f"THEN {v} END"
    bools = ", ".join(lit(t) for t in TRUE_TOKENS + FALSE_TOKENS)
    return [
        f"count({v})", f"approx_count_distinct({v})", f"count({num})",
        f"count(CASE WHEN {num} = floor({num}) THEN 1 END)", f"min({num})", f"max({num})",
        f"count({parse_time(maybe, 'iso')})", f"count({parse_time(maybe, 'dmy')})",
        f"count({parse_time(maybe, 'mdy')})", f"count(CASE WHEN {is_hms(v)} THEN 1 END)",
        f"count(CASE WHEN lower({v}) IN ({bools}) THEN 1 END)",
        f"count(CASE WHEN regexp_matches({v}, '^[+-]?0[0-9]+$') THEN 1 END)",
    ]


SAMPLE_ROWS = 200_000
SAMPLE_CELLS = 4_000_000  # a wide file is profiled on fewer rows, so its cost stays bounded
_EMPTY = Profile(0, 0, 0, 0, None, None, 0, 0, 0, 0, 0, 0)


def sample_rows(width: int, sample: int | None = SAMPLE_ROWS) -> int | None:
    """How many rows a profile reads: all of them when `sample` is None."""
    if sample is None:
        return None
    return min(sample, max(1_000, SAMPLE_CELLS // max(width, 1)))


def profile_columns(cur: duckdb.DuckDBPyConnection, width: int,
                    sample: int | None = SAMPLE_ROWS,
                    na_codes: tuple[str, ...] | None = None) -> list[Profile]:
    """One scan; one Profile per column c1..c{width}.

    Why long form: the file is unpivoted to (column, value) pairs and grouped by column, so the
    query has twelve aggregates whatever the width. A wide SELECT with twelve per column made
    DuckDB's planner cost grow much faster than the columns (250 columns x 3 rows took 35 s).

    Large files are profiled on every k-th row (spread over the whole file, repeatable): the
    profile only decides kinds and formats; every row is still validated against that decision,
    and a value that does not fit becomes a row error.
    """
    total = run(cur, f"SELECT count(*) FROM {RAW}").fetchone()[0]
    limit = sample_rows(width, sample)
    step = 1 if limit is None or total <= limit else -(-total // limit)
    source = RAW if step == 1 else f"(SELECT * FROM {RAW} WHERE _row % {int(step)} = 0)"
    long_form = (f"(UNPIVOT (SELECT * EXCLUDE (_row) FROM {source}) ON COLUMNS(*) "
                 "INTO NAME col VALUE val)")
    typed = f"SELECT col, {typed_token('val', na_codes)} AS v FROM {long_form}"
    exprs = ", ".join(_aggregates("v", "n"))
    rows = run(cur, f"SELECT col, {exprs} FROM (SELECT col, v, try_cast(v AS DOUBLE) AS n "
                    f"FROM ({typed})) GROUP BY col").fetchall()
    found = {int(r[0][1:]): Profile(*(v if k in (4, 5) else int(v)
                                      for k, v in enumerate(r[1:]))) for r in rows}
    return [found.get(i + 1, _EMPTY) for i in range(width)]


def fits(profile: Profile, kind: str) -> bool:
    """Do a column's values suit a canonical field kind well enough to match it by name?"""
    if kind == "time":
        return profile.time_share >= 0.5
    if kind == "duration":
        return profile.share(profile.numeric + profile.hms) >= 0.5 and profile.time_share < 0.5
    if kind in ("score", "measure"):
        return profile.share(profile.numeric) >= 0.5
    if kind == "flag":
        return profile.share(profile.boolish) >= 0.5
    return True


def time_family(profile: Profile, header: str, order: str | None) -> str:
    """iso, dmy or mdy for a time column; refuses to guess between day-first and month-first."""
    if profile.iso >= max(profile.dmy, profile.mdy) and profile.iso > 0:
        return "iso"
    if order in ("dmy", "mdy"):
        return order
    if profile.dmy == profile.mdy and profile.dmy > 0:
        raise NeedsDeclaration(
            f"column {header!r}: dates such as 03/04/2023 read both day-first and month-first, "
            "and no value settles it; declare the date order (day-first or month-first)",
            "--date-order dmy or mdy")
    return "dmy" if profile.dmy > profile.mdy else ("mdy" if profile.mdy else "iso")


def extra_kind(profile: Profile) -> str:
    """dimension / text for words, rating / measure for numbers (PRODUCT.md §1 extra columns).

    A rating is a small whole-number scale starting at 0 or 1 with at least three points; a
    column that is at least 90% numbers is numeric (the rest become row errors, not a silent
    switch to text); codes with leading zeros (zip codes, ids) stay text.
    """
    p = profile
    if p.non_null and p.share(p.numeric) >= 0.9 and p.leading_zero == 0:
        small = p.min is not None and p.min in (0, 1) and p.max is not None and 3 <= p.max <= 10
        return "rating" if small and p.integer == p.numeric and p.distinct >= 3 else "measure"
    if p.distinct > 20 and p.share(p.distinct) > 0.5:
        return "text"
    return "dimension"
