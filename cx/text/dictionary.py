"""The theme dictionary in the database: append-only history, the latest version in force.

Why append-only: a CX team argues about what "billing" should cover; keeping every version (who,
when, which terms) lets them see what changed, and `theme_version` on each comment says which
version its themes were matched with, so `text rebuild` knows what is stale.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from cx.storage import run
from cx.text.defaults import DEFAULT_THEMES
from cx.text.themes import Matcher

MAX_THEME = 60
MAX_TERM = 100
_LANG = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True)
class ThemeEntry:
    theme: str
    lang: str
    terms: tuple[str, ...]
    version: int
    changed_at: dt.datetime
    changed_by: str | None
    removed: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"theme": self.theme, "lang": self.lang, "terms": list(self.terms),
                "version": self.version, "changed_at": self.changed_at,
                "changed_by": self.changed_by, "removed": self.removed}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def version(cur: duckdb.DuckDBPyConnection) -> int:
    """The dictionary's version: the number of its latest change (0 when it was never set)."""
    return int(run(cur, "SELECT coalesce(max(version), 0) FROM theme_terms").fetchone()[0])


def _entry(row: tuple) -> ThemeEntry:
    return ThemeEntry(row[0], row[1], tuple(json.loads(row[2])), int(row[3]), row[4], row[5],
                      bool(row[6]))


_COLUMNS = "theme, lang, terms, version, changed_at, changed_by, removed"


def current(cur: duckdb.DuckDBPyConnection) -> list[ThemeEntry]:
    """The dictionary in force: the latest row per (theme, lang), unless that row removed it."""
    rows = run(cur, f"""
        SELECT {_COLUMNS} FROM theme_terms
        QUALIFY row_number() OVER (PARTITION BY theme, lang ORDER BY version DESC) = 1
        ORDER BY theme, lang""").fetchall()
    return [e for e in map(_entry, rows) if not e.removed]


def history(cur: duckdb.DuckDBPyConnection, theme: str | None = None) -> list[ThemeEntry]:
    """Every change, newest first (one theme's when `theme` is given)."""
    where, params = ("WHERE theme = ?", [theme]) if theme else ("", [])
    rows = run(cur, f"SELECT {_COLUMNS} FROM theme_terms {where} "
                    "ORDER BY version DESC, theme, lang", params).fetchall()
    return [_entry(r) for r in rows]


def matcher(cur: duckdb.DuckDBPyConnection) -> Matcher:
    """The dictionary in force, compiled for matching, with its version."""
    return Matcher.build(((e.theme, e.lang, e.terms) for e in current(cur)), version(cur))


def ensure_defaults(cur: duckdb.DuckDBPyConnection) -> bool:
    """Seed the default dictionary (version 1) into a database that never had one."""
    if run(cur, "SELECT count(*) FROM theme_terms").fetchone()[0]:
        return False
    rows = [(theme, lang, json.dumps(list(terms), ensure_ascii=False), 1, _now(), "default",
             False)
            for theme, by_lang in DEFAULT_THEMES.items() for lang, terms in by_lang.items()]
    cur.executemany(f"INSERT INTO theme_terms ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return True


def clean_theme(theme: str) -> str:
    name = " ".join(str(theme).split()).lower()
    if not name or len(name) > MAX_THEME:
        raise ValueError(f"a theme name must have 1 to {MAX_THEME} characters, not {theme!r}")
    return name


def clean_terms(terms: Iterable[str]) -> tuple[str, ...]:
    """Trimmed, lower-case, de-duplicated terms in the order given; empty lists refused."""
    out: list[str] = []
    for term in terms:
        t = " ".join(str(term).split()).lower()
        if len(t) > MAX_TERM:
            raise ValueError(f"the term {t[:40]!r}… is longer than {MAX_TERM} characters")
        if t and t not in out:
            out.append(t)
    if not out:
        raise ValueError("give at least one keyword or phrase")
    return tuple(out)


def _check_lang(lang: str) -> str:
    if not _LANG.match(lang or ""):
        raise ValueError(f"language must be a two-letter ISO 639-1 code such as en or fr, "
                         f"not {lang!r}")
    return lang


def set_terms(cur: duckdb.DuckDBPyConnection, theme: str, lang: str, terms: Iterable[str],
              user: str | None) -> ThemeEntry:
    """Make `terms` the theme's list in `lang` (a new version; the old one stays in history)."""
    entry = ThemeEntry(clean_theme(theme), _check_lang(lang), clean_terms(terms),
                       version(cur) + 1, _now(), user)
    run(cur, f"INSERT INTO theme_terms ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, false)",
        [entry.theme, entry.lang, json.dumps(list(entry.terms), ensure_ascii=False),
         entry.version, entry.changed_at, entry.changed_by])
    return entry


def add_terms(cur: duckdb.DuckDBPyConnection, theme: str, lang: str, terms: Iterable[str],
              user: str | None) -> ThemeEntry:
    """Add keywords to a theme (creating it when new); the terms it had are kept."""
    name = clean_theme(theme)
    had = next((e.terms for e in current(cur) if e.theme == name and e.lang == lang), ())
    return set_terms(cur, name, lang, [*had, *terms], user)


def remove_theme(cur: duckdb.DuckDBPyConnection, theme: str, user: str | None,
                 lang: str | None = None) -> int:
    """Retire a theme (in one language, or all); returns how many language lists were removed."""
    name = clean_theme(theme)
    gone = [e for e in current(cur) if e.theme == name and (lang is None or e.lang == lang)]
    if not gone:
        raise ValueError(f"there is no theme {name!r}"
                         + (f" in {lang}" if lang else "") + " in the dictionary")
    new_version, now = version(cur) + 1, _now()
    for e in gone:
        run(cur, f"INSERT INTO theme_terms ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, true)",
            [e.theme, e.lang, json.dumps(list(e.terms), ensure_ascii=False), new_version, now,
             user])
    return len(gone)
