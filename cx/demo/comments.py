"""Verbatim comments: a few hundred distinct sentences built from fragments, matched to the score.

Negative comments talk about the customer's worst-rated service attribute, positive ones about
the best-rated one, so text analysis has something real to find. A few comments start with
"=", "+", "-" or "@" on purpose: CSV exports must neutralise them (formula injection).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

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


@lru_cache(maxsize=1)
def catalogue() -> tuple[list[str], dict[tuple[int, int], tuple[int, int]]]:
    """(sentences, (polarity, topic) -> [start, stop) range); topic -1 = any / special (-2)."""
    sentences: list[str] = []
    ranges: dict[tuple[int, int], tuple[int, int]] = {}
    for polarity, opens, table, ends in ((NEGATIVE, _NEG_OPEN, _NEG, _NEG_END),
                                         (POSITIVE, _POS_OPEN, _POS, _POS_END)):
        for topic, clauses in enumerate(table):
            start = len(sentences)
            sentences += _sentences(opens, clauses, ends)
            ranges[(polarity, topic)] = (start, len(sentences))
    ranges[(NEUTRAL, -1)] = (len(sentences), len(sentences) + len(_NEUTRAL))
    sentences += _NEUTRAL
    for polarity, texts in _SPECIAL.items():
        ranges[(polarity, -2)] = (len(sentences), len(sentences) + len(texts))
        sentences += texts
    return sentences, ranges


def pick_comments(rng: np.random.Generator, polarity: np.ndarray,
                  ratings: np.ndarray) -> np.ndarray:
    """Sentence code per response, -1 for no comment. polarity -1 = nothing to go on."""
    n = len(polarity)
    _, ranges = catalogue()
    rate = np.array([spec.COMMENT_RATE[k] for k in ("negative", "neutral", "positive")])
    has = (polarity >= 0) & (rng.random(n) < rate[np.maximum(polarity, 0)])
    jitter = rng.random(ratings.shape) * 0.1  # break ties between equal ratings at random
    worst = np.nanargmin(np.where(np.isnan(ratings), 9.0, ratings) + jitter, axis=1)
    best = np.nanargmax(np.where(np.isnan(ratings), -9.0, ratings) + jitter, axis=1)
    topic = np.where(polarity == NEGATIVE, worst, best)
    u = rng.random(n)
    code = np.full(n, -1, dtype=np.int64)
    for (pol, top), (start, stop) in ranges.items():
        if top == -2:
            continue  # the special ones are placed below
        rows = has & (polarity == pol) & ((topic == top) | (top < 0))
        code[rows] = start + (u[rows] * (stop - start)).astype(np.int64)
    special = has & (rng.random(n) < spec.SPECIAL_COMMENT_SHARE)
    for pol in _SPECIAL:
        start, stop = ranges[(pol, -2)]
        rows = special & (polarity == pol)
        code[rows] = start + (u[rows] * (stop - start)).astype(np.int64)
    return code
