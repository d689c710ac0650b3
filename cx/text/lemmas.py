"""Words reduced to their dictionary form, so "delivered" finds "deliver" and "livrée" "livrer".

simplemma ships its lemma tables inside the package (nothing downloaded) and looks a word up in a
dictionary, which is fast enough with a cache: comments repeat the same few thousand words.
Accents are kept in lemmas and folded only for comparison, so "livre" and "livré" stay apart in
the lemma table but a term typed without accents still matches.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma
from unidecode import unidecode

from cx.text.lang import words

# Languages simplemma lemmatises; any other language is matched on plain lower-case words.
LEMMATISED = frozenset({"en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "fi",
                        "pl", "cs", "tr", "ru", "uk", "el", "id"})


@lru_cache(maxsize=500_000)
def lemma(word: str, lang: str) -> str:
    """The accent-folded lemma of one lower-case word (the word itself when unknown)."""
    if lang in LEMMATISED:
        word = simplemma.lemmatize(word, lang=lang)
    return unidecode(word.lower())


_ENDINGS = {
    "en": ("s", "es", "ed", "d", "ing"),
    "fr": ("s", "e", "es", "é", "ée", "és", "ées", "ant"),
}


@lru_cache(maxsize=50_000)
def variants(word: str, lang: str) -> frozenset[str]:
    """Lemmas of a dictionary word's usual inflections, so a term finds every form a comment
    may use even where the lemma table is irregular ("fixed" -> "fixe", "livrée" stays).
    French -er verbs also get their participles from the stem ("régler" -> "réglé")."""
    forms = {word} | {word + end for end in _ENDINGS.get(lang, ())}
    if lang == "fr" and word.endswith("er"):
        forms |= {word[:-2] + end for end in ("é", "ée", "és", "ées", "e", "ent", "ant")}
    if lang == "en" and word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    return frozenset(lemma(f, lang) for f in forms)


def lemmas(text: str, lang: str) -> tuple[str, ...]:
    """The text's words as lemmas, in order (phrases are matched on this sequence)."""
    return tuple(lemma(w, lang) for w in words(text))
