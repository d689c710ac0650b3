"""What a user declares about an upload: overrides, units, scales, missing codes, error policy.

The command line and the Upload page both build an `IngestOptions`; the `parse_*` helpers turn
the command line's "Header=value" strings into it with messages that say which argument is wrong.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cx.config import load_settings
from cx.storage.schema import RECORD_TABLES

UNITS = {"seconds": 1 / 3600, "minutes": 1 / 60, "hours": 1.0, "hms": 1.0}
TENURE_UNITS = {"months": 1.0, "years": 12.0}  # tenure_months is stored in months
_UNIT_ALIASES = {"s": "seconds", "sec": "seconds", "second": "seconds", "m": "minutes",
                 "min": "minutes", "minute": "minutes", "h": "hours", "hour": "hours",
                 "h:mm:ss": "hms", "y": "years", "yr": "years", "yrs": "years",
                 "year": "years", "month": "months", "mo": "months"}
DEFAULT_SCALES = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10)}
ALL_RATINGS = "*"  # --missing "0" or "*=0": the code applies to every rating column but nps
# Missing in every column, text and numbers alike (a blank is always missing); --na-codes
# replaces the list. Word codes are listed in their usual cases instead of lower-casing values.
DEFAULT_NA_CODES = ("", "NA", "N/A", "n/a", "NaN", "null", "-", ".",
                    "na", "nan", "NAN", "NULL", "Null", "#N/A")


def na_pattern(na_codes: tuple[str, ...] | None = None) -> str:
    """One regular expression matching the missing-value codes (and the blank) exactly."""
    codes = sorted(set(DEFAULT_NA_CODES if na_codes is None else na_codes) | {""})
    return "(?:" + "|".join(re.escape(c) for c in codes) + ")"


@dataclass(frozen=True)
class Limits:
    """What one upload may cost before anything is parsed (issue 12: a few KB took a server)."""

    max_columns: int = 500
    max_file_mb: float = 200.0  # CSV / Parquet bytes, and an XLSX's uncompressed size
    min_year: int = 1990  # dates before 1 January of this year are refused per row
    future_days: int = 1  # dates after today + this many days are refused per row


def configured_limits() -> Limits:
    """The limits of the settings (environment or secrets.toml), for every new IngestOptions."""
    s = load_settings()
    return Limits(s.max_upload_columns, s.max_upload_mb, s.min_date_year, s.max_future_days)


class NeedsDeclaration(ValueError):
    """A file problem the user settles by declaring something (a mapping, one date, an order).

    The message says what is wrong and what to declare in words any front end can show (the
    Upload page has no flags); `flag` is how the command line declares it, added by the CLI.
    """

    def __init__(self, message: str, flag: str) -> None:
        super().__init__(message)
        self.flag = flag


@dataclass(frozen=True)
class IngestOptions:
    table: str
    mapping: dict[str, str] = field(default_factory=dict)  # source header -> field
    units: dict[str, str] = field(default_factory=dict)  # source header -> unit
    scales: dict[str, tuple[int, int]] = field(default_factory=dict)  # field or header
    # header (or field, or "*") -> codes meaning "not applicable" in that column only
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    na_codes: tuple[str, ...] = DEFAULT_NA_CODES  # missing in every column
    limits: Limits = field(default_factory=configured_limits)
    reverse: tuple[str, ...] = ()  # score fields to reverse-code (e.g. ces where 1 = easy)
    date: dt.date | None = None
    on_error: str = "reject"
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str | None = None
    date_order: str | None = None  # dmy / mdy when a column cannot tell
    file_name: str | None = None  # shown in provenance (a page upload is a temporary file)
    uploader: str | None = None
    replace: bool = False  # the same file is loaded already: roll that batch back and reload
    # (date header, time header) pairs read as one timestamp; pairs named like Date/Time or
    # Call Date/Call Time are found without this
    date_time: tuple[tuple[str, str], ...] = ()
    source: str | None = None  # the batch's `source` value (default: the file name's stem)
    filters: tuple[str, ...] = ()  # extra dimensions to offer as sidebar filters

    def __post_init__(self) -> None:
        codes = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in self.missing.items()}
        object.__setattr__(self, "missing", codes)
        if self.encoding is not None:
            check_codec(self.encoding)
        if self.table not in RECORD_TABLES:
            raise ValueError(f"--table must be one of {', '.join(RECORD_TABLES)}, "
                             f"not {self.table!r}")
        if self.on_error not in ("reject", "skip"):
            raise ValueError(f"--on-error must be reject or skip, not {self.on_error!r}")
        if self.date_order not in (None, "dmy", "mdy"):
            raise ValueError(f"--date-order must be dmy or mdy, not {self.date_order!r}")
        if "nps" in self.scales and self.scales["nps"] != (0, 10):
            raise ValueError("NPS is always 0-10; --scale cannot change it")
        for name, (low, high) in self.scales.items():
            if not low < high:
                raise ValueError(f"--scale {name}={low}-{high}: the minimum must be below the "
                                 "maximum")
        for header, unit in self.units.items():
            if unit not in UNITS and unit not in TENURE_UNITS:
                raise ValueError(f"--unit {header!r}={unit!r}: use seconds, minutes, hours or "
                                 "hms (H:MM:SS) for durations, years or months for tenure")

    def scale_for(self, field_name: str, header: str) -> tuple[int, int] | None:
        return self.scales.get(header, self.scales.get(field_name, DEFAULT_SCALES.get(field_name)))

    def missing_for(self, field_name: str, header: str, rating_like: bool) -> str | None:
        """The column's first "not applicable" code (a rating scale never starts at it)."""
        codes = self.column_codes(field_name, header, rating_like)
        return codes[0] if codes else None

    def column_codes(self, field_name: str, header: str, rating_like: bool) -> tuple[str, ...]:
        if header in self.missing:
            return self.missing[header]
        if field_name in self.missing:
            return self.missing[field_name]
        return self.missing.get(ALL_RATINGS, ()) if rating_like and field_name != "nps" else ()


def check_codec(name: str) -> None:
    try:
        codecs.lookup(name)
    except LookupError:
        raise ValueError(f"--encoding {name!r}: no such encoding (use e.g. utf-8, cp1252, "
                         "latin-1, shift_jis)") from None


def _pairs(values: Iterable[str], flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        header, sep, value = item.rpartition("=")
        if not sep or not header.strip() or not value.strip():
            raise ValueError(f"{flag} {item!r}: expected \"Source header=value\"")
        out[header.strip()] = value.strip()
    return out


def parse_map(values: Iterable[str]) -> dict[str, str]:
    return _pairs(values, "--map")


def parse_units(values: Iterable[str]) -> dict[str, str]:
    raw = _pairs(values, "--unit")
    return {h: _UNIT_ALIASES.get(u.lower(), u.lower()) for h, u in raw.items()}


def parse_scales(values: Iterable[str]) -> dict[str, tuple[int, int]]:
    out = {}
    for name, spec in _pairs(values, "--scale").items():
        m = re.fullmatch(r"(-?\d+)\s*(?:-|\.\.|–)\s*(-?\d+)", spec)
        if not m:
            raise ValueError(f"--scale {name}={spec!r}: expected MIN-MAX such as 1-5")
        out[name] = (int(m.group(1)), int(m.group(2)))
    return out


def parse_missing(values: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """"Header=0" for one column (repeat it for several codes); a bare "0" (or "*=0") for every
    rating column."""
    out: dict[str, tuple[str, ...]] = {}
    for item in values:
        pairs = {ALL_RATINGS: item.strip()} if "=" not in item else _pairs([item], "--missing")
        for header, code in pairs.items():
            out[header] = (*out.get(header, ()), code)
    return out


def parse_date_time(values: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """"Date header=Time header" pairs for --date-time."""
    return tuple(_pairs(values, "--date-time").items())


def parse_na_codes(value: str | None) -> tuple[str, ...]:
    """--na-codes "NA,N/A,-": the codes missing in every column (blank always is)."""
    if value is None:
        return DEFAULT_NA_CODES
    return ("", *(code.strip() for code in value.split(",") if code.strip()))


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"--date {value!r}: expected YYYY-MM-DD") from exc
