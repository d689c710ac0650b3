"""Verbatim comments: a few hundred distinct sentences built from fragments, matched to the score.

Negative comments talk about the customer's worst-rated service attribute, positive ones about
the best-rated one, so text analysis has something real to find. Comments are in English, French,
German or Spanish by the respondent's region, and two themes are planted with fixed shares:
billing, and app crashes, whose share rises in one week (spec.EMERGING_WEEK). A few comments start with
"=", "+", "-" or "@" on purpose: CSV exports must neutralise them (formula injection).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cx.demo import comments_lang as lang_texts
from cx.demo import spec

NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2

_NEG_OPEN = ("", "Honestly, ", "Not happy: ", "Frankly, ")
_NEG_END = (".", ", please fix this.", ". Thinking about switching.")
_NEG = (  # one tuple of clauses per attribute, in spec.RATINGS order
    ("my problem is still not solved", "the fix did not work", "I had to reopen the ticket twice",
     "nobody actually resolved the issue"),
    ("the agent did not understand the product", "I got three different answers",
     "the agent had to ask a colleague for everything", "the advice I got was wrong"),
    ("I waited far too long for a reply", "the queue took over an hour",
     "nobody answered for days", "the response was very slow"),
    ("it is hard to reach anyone", "I could not find a way to contact support",
     "the phone menu is a maze", "the contact form kept failing"),
    ("the agent was rude", "I felt brushed off", "the tone of the replies was cold",
     "nobody seemed to care"),
    ("the website is confusing", "the help pages are out of date", "the portal kept logging me out",
     "I could not find anything on the site"),
)
_POS_OPEN = ("", "Great: ", "Thanks! ", "Really pleased, ")
_POS_END = (".", ", thank you.", ". Keep it up!")
_POS = (
    ("my issue was fixed on the first try", "the problem was solved quickly",
     "everything works again", "the solution was spot on"),
    ("the agent knew the product inside out", "I got a clear and correct answer",
     "the agent explained everything well", "very knowledgeable support"),
    ("I got an answer within minutes", "no waiting at all", "the reply came really fast",
     "short queue and quick help"),
    ("it was easy to reach someone", "contacting support was simple", "the chat was right there",
     "getting help took no effort"),
    ("the agent was very friendly", "kind and patient support", "lovely people on the team",
     "the agent was polite and warm"),
    ("the help pages answered my question", "the website is easy to use",
     "I found everything in the portal", "the self-service guides are great"),
)
_NEUTRAL = (
    "It was okay.", "Fine, nothing special.", "Average experience.", "Got there in the end.",
    "Some good, some bad.", "Could be faster but it works.", "Okay service overall.",
    "No complaints, no praise.", "Acceptable.", "It did the job.", "Mixed feelings.",
    "Reasonable, took a while.", "Answer was fine, wait was long.", "As expected.",
    "Not bad, not great.", "Decent support.", "Solved, eventually.", "Satisfactory.",
    "The usual.", "Middle of the road.",
)
_SPECIAL = {  # polarity -> comments that a spreadsheet would read as formulas
    NEGATIVE: ("=( very slow reply", "-- still waiting for an answer",
               "@support nobody called me back", "+1 to everyone saying it is slow"),
    NEUTRAL: ("=) fine I guess", "@team okay"),
    POSITIVE: ("+1 great service", "@support thanks, fixed in minutes", "=) quick and friendly"),
}


def _sentences(opens: tuple[str, ...], clauses: tuple[str, ...],
               ends: tuple[str, ...]) -> list[str]:
    out = []
    for clause in clauses:
        for opener in opens:
            for end in ends:
                text = f"{opener}{clause}{end}"
                out.append(text[0].upper() + text[1:])
    return out


# Topic codes: 0..5 the attributes of spec.RATINGS, -1 no particular topic, -2 formula-like,
# and the planted themes below. THEMES names each topic as the default theme dictionary does.
BILLING, CRASH = 6, 7
THEMES = ("resolution", "agent knowledge", "wait time", "ease of contact", "friendliness",
          "website", "billing", "app crashes")
LANGUAGES = ("en", "fr", "de", "es")  # spec.COMMENT_LANGUAGE_BY_REGION columns
Key = tuple[str, int, int]  # (language, polarity, topic)


def _fragments(lang: str) -> tuple[tuple, ...]:
    if lang == "en":
        return ((NEGATIVE, _NEG_OPEN, _NEG, _NEG_END), (POSITIVE, _POS_OPEN, _POS, _POS_END)), \
            _NEUTRAL
    return ((NEGATIVE, lang_texts.NEG_OPEN, lang_texts.NEG, lang_texts.NEG_END),
            (POSITIVE, lang_texts.POS_OPEN, lang_texts.POS, lang_texts.POS_END)), \
        lang_texts.NEUTRAL


@lru_cache(maxsize=1)
def catalogue() -> tuple[list[str], dict[Key, tuple[int, int]]]:
    """(sentences, (language, polarity, topic) -> [start, stop) range of sentences)."""
    sentences: list[str] = []
    ranges: dict[Key, tuple[int, int]] = {}

    def add(key: Key, texts: list[str] | tuple[str, ...]) -> None:
        ranges[key] = (len(sentences), len(sentences) + len(texts))
        sentences.extend(texts)

    for lang in ("en", "fr"):
        toned, neutral = _fragments(lang)
        for polarity, opens, table, ends in toned:
            for topic, clauses in enumerate(table):
                add((lang, polarity, topic), _sentences(opens, clauses, ends))
        add((lang, NEUTRAL, -1), neutral)
        if lang == "en":
            for polarity, texts in _SPECIAL.items():
                add(("en", polarity, -2), texts)
        for topic, table in ((BILLING, lang_texts.BILLING), (CRASH, lang_texts.CRASH)):
            for polarity, texts in enumerate(table[lang]):
                add((lang, polarity, topic), texts)
    for lang, by_polarity in lang_texts.OTHER.items():
        for polarity, texts in enumerate(by_polarity):
            add((lang, polarity, -1), texts)
    if len(set(sentences)) != len(sentences):
        raise AssertionError("demo comment sentences must be distinct (categorical labels)")
    return sentences, ranges


@lru_cache(maxsize=1)
def sentence_topics() -> dict[str, tuple[str, int]]:
    """The planted truth per sentence: (language, topic code); tests compare themes with it."""
    sentences, ranges = catalogue()
    return {sentences[i]: (lang, topic) for (lang, _, topic), (a, b) in ranges.items()
            for i in range(a, b)}


def _languages(rng: np.random.Generator, region: np.ndarray) -> np.ndarray:
    """Index into LANGUAGES per comment, from the respondent's region."""
    cum = np.cumsum(spec.COMMENT_LANGUAGE_BY_REGION, axis=1)[region]
    return (rng.random(len(region))[:, None] > cum[:, :-1]).sum(axis=1)


def _planted(rng: np.random.Generator, week: np.ndarray) -> np.ndarray:
    """BILLING, CRASH or -1 per comment: the planted themes' shares (crashes rise in one week)."""
    u = rng.random(len(week))
    crash = np.where(week == spec.EMERGING_WEEK, spec.CRASH_SHARE_EMERGING, spec.CRASH_SHARE)
    return np.where(u < spec.BILLING_SHARE, BILLING,
                    np.where(u < spec.BILLING_SHARE + crash, CRASH, -1))


def pick_comments(rng: np.random.Generator, polarity: np.ndarray, ratings: np.ndarray,
                  region: np.ndarray, week: np.ndarray) -> np.ndarray:
    """Sentence code per response, -1 for no comment. polarity -1 = nothing to go on.

    The language and planted-theme draws come after every earlier draw, so the other values
    of the demo are what they were before comments had languages."""
    n = len(polarity)
    _, ranges = catalogue()
    rate = np.array([spec.COMMENT_RATE[k] for k in ("negative", "neutral", "positive")])
    has = (polarity >= 0) & (rng.random(n) < rate[np.maximum(polarity, 0)])
    jitter = rng.random(ratings.shape) * 0.1  # break ties between equal ratings at random
    worst = np.nanargmin(np.where(np.isnan(ratings), 9.0, ratings) + jitter, axis=1)
    best = np.nanargmax(np.where(np.isnan(ratings), -9.0, ratings) + jitter, axis=1)
    topic = np.where(polarity == NEGATIVE, worst, best)
    u = rng.random(n)
    special = has & (rng.random(n) < spec.SPECIAL_COMMENT_SHARE)
    lang = np.asarray(LANGUAGES)[_languages(rng, region)]
    planted = _planted(rng, week)
    planted[~np.isin(lang, ("en", "fr"))] = -1
    code = np.full(n, -1, dtype=np.int64)
    for (lg, pol, top), (start, stop) in ranges.items():
        if top == -2:
            continue  # the special ones are placed below
        rows = has & (lang == lg) & (polarity == pol) & _fits(lg, top, topic, planted)
        code[rows] = start + (u[rows] * (stop - start)).astype(np.int64)
    for pol in _SPECIAL:
        start, stop = ranges[("en", pol, -2)]
        rows = special & (polarity == pol)
        code[rows] = start + (u[rows] * (stop - start)).astype(np.int64)
    return code


def _fits(lang: str, top: int, topic: np.ndarray, planted: np.ndarray) -> np.ndarray:
    """Which comments a (language, topic) range serves."""
    if lang not in ("en", "fr"):
        return np.ones(len(topic), dtype=bool)
    if top in (BILLING, CRASH):
        return planted == top
    return (planted < 0) & ((topic == top) | (top < 0))
