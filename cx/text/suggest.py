"""Themes the data suggests: TF-IDF + NMF on lemmatised comments, labelled by their top phrases.

Why NMF: its components are non-negative mixtures of words, so each reads as a theme ("wait ·
queue · hour"), and it is deterministic with a fixed initialisation, so an analyst who accepts
suggestion 3 gets the same terms they were shown. Comments are drawn newest first and capped
(`sample`), which bounds the cost whatever the table size.
"""

from __future__ import annotations

from dataclasses import dataclass

from functools import lru_cache

import numpy as np

from cx.storage import Store
from cx.text.lemmas import lemmas

_FRENCH_STOP = frozenset("""a à ai au aux avec avoir c ça ce ces cet cette d dans de des du elle
elles en est et été être eu il ils j je l la le les leur lui m ma mais me mes moi mon n ne nos
notre nous on ou où par pas pour qu que qui s sa se ses si son sur t ta te tes toi ton tu un une
vos votre vous y faire fois très plus tout tous bien aussi avoir deux trois""".split())
LANGUAGES = ("en", "fr")


@lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset[str]:
    """Words too common to name a theme (scikit-learn is imported only when suggesting)."""
    if lang == "fr":
        return _FRENCH_STOP
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    return frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "ve", "m", "ll", "d"}


@dataclass(frozen=True)
class Suggestion:
    number: int
    label: str  # its three top phrases
    terms: tuple[str, ...]  # top phrases, best first
    comments: int  # comments whose main component this is
    share: float  # of the comments analysed

    def as_dict(self) -> dict[str, object]:
        return {"number": self.number, "label": self.label, "terms": list(self.terms),
                "comments": self.comments, "share": self.share}


def _texts(store: Store, lang: str, sample: int, unthemed: bool) -> list[str]:
    """Newest comments of `lang` (responses' and tickets' text fields), up to `sample`."""
    # fixed text, values bound: `unthemed` (a bool) only turns the NOT EXISTS clause on or off
    rows = store.query(_NEWEST_TEXTS, [lang, bool(unthemed), sample])
    return [r[0] for r in rows]


_NEWEST_TEXTS = """
    WITH picked AS (
        SELECT f.table_name, f.record_id, f.field FROM comment_features f
        WHERE f.lang = ? AND (NOT ? OR NOT EXISTS (SELECT 1 FROM comment_themes t
            WHERE t.table_name = f.table_name AND t.record_id = f.record_id
              AND t.field = f.field)))
    SELECT r.comment FROM picked p JOIN responses r
      ON p.table_name = 'responses' AND p.field = 'comment' AND r.response_id = p.record_id
    ORDER BY r.submitted_at DESC NULLS LAST, r.response_id LIMIT ?"""


def suggest(store: Store, lang: str = "en", k: int = 8, sample: int = 20_000,
            unthemed: bool = False, min_comments: int = 5) -> list[Suggestion]:
    """Up to `k` suggested themes from the newest comments in `lang` (fewer on little data)."""
    if lang not in LANGUAGES:
        raise ValueError(f"theme suggestions are available for {', '.join(LANGUAGES)}, "
                         f"not {lang!r}")
    stop = stop_words(lang)
    texts = _texts(store, lang, sample, unthemed)
    docs = [" ".join(w for w in lemmas(t, lang) if w not in stop and len(w) > 1) for t in texts]
    docs = [d for d in docs if d]
    if len(docs) < max(min_comments, k):
        return []
    return _factorise(docs, k, min_comments)


def _factorise(docs: list[str], k: int, min_comments: int) -> list[Suggestion]:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=min(min_comments, len(docs)),
                                 max_df=0.5, max_features=5_000, sublinear_tf=True)
    try:
        matrix = vectoriser.fit_transform(docs)
    except ValueError:  # every word too rare or too common: nothing to factorise
        return []
    k = min(k, matrix.shape[1], matrix.shape[0])
    model = NMF(n_components=k, init="nndsvd", random_state=0, max_iter=400)
    weights = model.fit_transform(matrix)
    vocab = np.asarray(vectoriser.get_feature_names_out())
    main = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    out = []
    for i, component in enumerate(model.components_):
        terms = _top_terms(vocab[np.argsort(component)[::-1][:12]])
        count = int((main == i).sum())
        out.append(Suggestion(0, " · ".join(terms[:3]), terms, count, count / len(docs)))
    out.sort(key=lambda s: s.comments, reverse=True)
    return [Suggestion(n + 1, s.label, s.terms, s.comments, round(s.share, 4))
            for n, s in enumerate(out)]


def _top_terms(ranked: np.ndarray, keep: int = 8) -> tuple[str, ...]:
    """Top phrases without repeats: a word already inside a kept phrase is dropped."""
    kept: list[str] = []
    for term in ranked:
        if any(term in other.split() or other in term.split() for other in kept):
            continue
        kept.append(str(term))
    return tuple(kept[:keep])
