"""Which themes a comment mentions: dictionary terms matched on lemmas, phrases in order.

A term is a keyword or a phrase; both the term and the comment are reduced to lemmas in the
comment's language, so one entry "deliver" finds "delivered", "delivering" and "delivers", and a
phrase "phone menu" finds "phone menus". A phrase matches only as consecutive words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cx.text.lang import words as split_words
from cx.text.lemmas import lemmas, variants

ANY_LANGUAGE = ("und",)
Phrase = tuple[frozenset[str], ...]  # per word, the lemmas it may take  # comments of undetermined language are matched with every language


@dataclass(frozen=True)
class Matcher:
    """Compiled dictionary: per language, single lemmas and phrases (lemma tuples) -> themes."""

    version: int
    words: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    # per language: a lemma -> the phrases (and their themes) that can start with it
    phrases: Mapping[str, Mapping[str, tuple[tuple[Phrase, str], ...]]] = field(
        default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str, Iterable[str]]], version: int) -> Matcher:
        """`entries` are (theme, lang, terms) rows of the dictionary in force."""
        words: dict[str, dict[str, set[str]]] = {}
        phrases: dict[str, list[tuple[Phrase, str]]] = {}
        for theme, lang, terms in entries:
            for term in terms:
                seq = tuple(variants(w, lang) for w in split_words(term))
                if len(seq) == 1:
                    for form in seq[0]:
                        words.setdefault(lang, {}).setdefault(form, set()).add(theme)
                elif seq:
                    phrases.setdefault(lang, []).append((seq, theme))
        return cls(version,
                   {lang: {w: frozenset(t) for w, t in d.items()} for lang, d in words.items()},
                   {lang: _by_first_word(p) for lang, p in phrases.items()})

    def languages(self) -> frozenset[str]:
        """Languages the dictionary has terms for."""
        return frozenset(self.words) | frozenset(self.phrases)

    def themes(self, text: str, lang: str) -> set[str]:
        """Themes `text` mentions; a comment of unknown language is tried in every language."""
        langs = sorted(self.languages()) if lang in ANY_LANGUAGE else [lang]
        found: set[str] = set()
        for code in langs:
            if code in self.languages():
                found |= self._themes_in(lemmas(text, code), code)
        return found

    def _themes_in(self, seq: tuple[str, ...], lang: str) -> set[str]:
        found: set[str] = set()
        table = self.words.get(lang, {})
        starts = self.phrases.get(lang, {})
        for i, w in enumerate(seq):
            found |= table.get(w, frozenset())
            for phrase, theme in starts.get(w, ()):
                if theme not in found and _at(seq, i, phrase):
                    found.add(theme)
        return found


def _by_first_word(phrases: list[tuple[Phrase, str]]) -> dict[str, tuple[tuple[Phrase, str], ...]]:
    index: dict[str, list[tuple[Phrase, str]]] = {}
    for phrase, theme in phrases:
        for first in phrase[0]:
            index.setdefault(first, []).append((phrase, theme))
    return {w: tuple(p) for w, p in index.items()}


def _at(seq: tuple[str, ...], i: int, phrase: Phrase) -> bool:
    """Does `phrase` occur in `seq` starting at word i?"""
    return i + len(phrase) <= len(seq) and all(
        seq[i + j] in forms for j, forms in enumerate(phrase))
