"""One comment in, its features out: language, sentiment and themes (no database here)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from cx.text import lang as language
from cx.text import sentiment
from cx.text.themes import Matcher

MAX_CHARS = 5_000  # a pasted e-mail thread is analysed on its first 5,000 characters


@dataclass(frozen=True)
class Features:
    lang: str
    sentiment: float | None
    label: str | None
    themes: frozenset[str]


@lru_cache(maxsize=1)
def _vocabularies() -> dict[str, frozenset[str]]:
    return {code: sentiment.vocabulary(code) for code in sentiment.SCORED}


def analyse(text: str, matcher: Matcher) -> Features:
    """Features of one comment; a language without a lexicon gets themes but no sentiment."""
    text = text[:MAX_CHARS]
    code = language.detect(text, _vocabularies())
    scored = sentiment.score(text, code)
    return Features(code, scored.score if scored else None, scored.label if scored else None,
                    frozenset(matcher.themes(text, code)))
