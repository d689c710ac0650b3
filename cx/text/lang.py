"""Which language a comment is written in (ISO 639-1, or 'und' when it cannot be told).

Why py3langid with a fallback: its model ships inside the package (nothing is downloaded) and it
classifies about 10,000 comments a second, but on a two-word comment ("Fine.", "Nickel, merci")
its guess is close to chance. Restricting it to languages customer surveys are written in removes
most absurd answers (Serbian for "Fine."); for the short, unsure rest, the words themselves
decide between the scored languages (function words and the sentiment lexicons), and a comment
with no evidence at all stays 'und' instead of being scored with the wrong lexicon.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

UNDETERMINED = "und"
# Languages a comment may be labelled with; anything else reads as one of these or 'und'.
CANDIDATES = ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs",
              "tr", "ru", "uk", "el", "ar", "he", "hi", "ja", "zh", "ko", "th", "vi", "id")
SURE = 0.80  # probability above which the model's answer stands on its own
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_FUNCTION_WORDS = {
    "en": frozenset("the a an and or but is was were are it its my i you we they this that "
                    "not no very with for to of on in at from have has had been be so too "
                    "nothing anything everything thanks thank please usual".split()),
    "fr": frozenset("le la les un une des et ou mais est était sont il elle je j vous nous ils "
                    "ce cette ces pas ne n très avec pour de du au aux en sur dans chez été "
                    "rien tout merci sans plus trop bien".split()),
}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(CANDIDATES))
    return ident


def words(text: str) -> list[str]:
    """Lower-case words (letters only): the unit of language evidence and of theme matching."""
    return _WORD.findall(text.lower())


def _evidence(tokens: list[str], vocabularies: dict[str, frozenset[str]],
              model_order: list[str]) -> str | None:
    """The scored language with the most known words; a tie goes to the model's favourite."""
    counts = {lang: sum(t in _FUNCTION_WORDS[lang] or t in vocab for t in tokens)
              for lang, vocab in vocabularies.items()}
    top = max(counts.values(), default=0)
    if top == 0:
        return None
    tied = [lang for lang, n in counts.items() if n == top]
    return min(tied, key=lambda lang: model_order.index(lang) if lang in model_order else 99)


def detect(text: str, vocabularies: dict[str, frozenset[str]] | None = None) -> str:
    """ISO 639-1 code of `text`, or 'und' (empty, symbols only, or no usable evidence)."""
    tokens = words(text)
    if not tokens:
        return UNDETERMINED
    with _lock:  # the identifier keeps scratch state per call
        ranked = _identifier().rank(text)
    best, prob = ranked[0]
    if prob >= SURE and (len(tokens) > 2 or best in (vocabularies or _FUNCTION_WORDS)):
        return best
    guess = _evidence(tokens, vocabularies or {k: frozenset() for k in _FUNCTION_WORDS},
                      [lang for lang, _ in ranked])
    if guess is not None:
        return guess
    return best if prob >= SURE else UNDETERMINED
