"""Sentiment of one comment: a score in [-1, 1] and a label, for the languages we have lexicons for.

Why VADER: its lexicons ship inside registry packages (vaderSentiment for English,
vaderSentiment-fr for French), it needs no model download, scores thousands of comments a second
on one core, and it handles negation, boosters and "but". A language without a lexicon gets no score
(None) rather than a wrong one.

The score is VADER's compound score of the whole comment. The label adds "mixed", which VADER
does not have: a comment is mixed when one of its clauses (split at sentence ends, commas and
contrast words such as "but" / "mais") is clearly positive and another clearly negative; only
comments with both positive and negative words are split, which keeps the cost near one VADER
call per comment. Otherwise the label follows the compound score with VADER's ±0.05 thresholds.

French text is looked up word by word in the French lexicon, falling back to the word's lemma
(simplemma) where only the lemma is listed.
"""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import simplemma
from unidecode import unidecode

SCORED = ("en", "fr")
NEUTRAL_BAND = 0.05  # VADER's documented threshold for neutral compound scores
MIXED_CLAUSE = 0.30  # a clause at least this positive and another this negative: mixed
LABELS = ("positive", "neutral", "negative", "mixed")
_CONTRAST = {
    "en": r"\b(?:but|however|although|though|yet|except|whereas)\b",
    "fr": r"\b(?:mais|cependant|pourtant|toutefois|néanmoins|sauf|alors que|par contre)\b",
}
_SENTENCE_END = r"[.!?;,\n]+"  # sentence ends and commas ("Good prices, awful service")


class _Analyzer(Protocol):
    lexicon: dict[str, float]

    def polarity_scores(self, text: str) -> dict[str, float]: ...


@dataclass(frozen=True)
class Sentiment:
    score: float
    label: str


_locks = {lang: threading.Lock() for lang in SCORED}


@lru_cache(maxsize=None)
def _analyzer(lang: str) -> _Analyzer:
    if lang == "en":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        return SentimentIntensityAnalyzer()
    with warnings.catch_warnings():  # fuzzywuzzy warns about its optional C speed-up at import
        warnings.simplefilter("ignore")
        from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer as French
    return French()


@lru_cache(maxsize=None)
def vocabulary(lang: str) -> frozenset[str]:
    """The words of a language's lexicon (plain letters), for telling short comments apart."""
    return frozenset(w for w in _analyzer(lang).lexicon if w.isalpha() and len(w) > 1)


@lru_cache(maxsize=200_000)
def _french_form(token: str) -> str:
    """The token, or its lemma when only the lemma is in the French lexicon ("déçue" ->
    "décevoir"): the lexicon lists many but not all inflected forms."""
    lexicon = _analyzer("fr").lexicon
    if unidecode(token.lower()) in lexicon:
        return token
    lemma = simplemma.lemmatize(token.lower(), lang="fr")
    return lemma if unidecode(lemma) in lexicon else token


def _prepare(text: str, lang: str) -> str:
    if lang != "fr":
        return text
    return re.sub(r"[^\W\d_]+", lambda m: _french_form(m.group(0)), text)


def clauses(text: str, lang: str) -> list[str]:
    """Sentences, cut again at contrast words; empty pieces dropped."""
    parts = re.split(_SENTENCE_END, text)
    out: list[str] = []
    for part in parts:
        out += [p.strip() for p in re.split(_CONTRAST[lang], part, flags=re.IGNORECASE)]
    return [p for p in out if p]


def _scores(lang: str, text: str) -> dict[str, float]:
    with _locks[lang]:
        return _analyzer(lang).polarity_scores(text)


def score(text: str, lang: str) -> Sentiment | None:
    """Score and label of `text` in `lang`; None when `lang` has no lexicon (or no text)."""
    if lang not in SCORED or not text.strip():
        return None
    prepared = _prepare(text, lang)
    overall = _scores(lang, prepared)
    whole = float(overall["compound"])
    parts = clauses(prepared, lang) if overall["pos"] and overall["neg"] else []
    if len(parts) > 1:  # only a comment with both positive and negative words can be mixed
        values = [float(_scores(lang, p)["compound"]) for p in parts]
        if max(values) >= MIXED_CLAUSE and min(values) <= -MIXED_CLAUSE:
            return Sentiment(whole, "mixed")
    if whole >= NEUTRAL_BAND:
        return Sentiment(whole, "positive")
    if whole <= -NEUTRAL_BAND:
        return Sentiment(whole, "negative")
    return Sentiment(whole, "neutral")
