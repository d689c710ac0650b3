"""Survey responses: post-ticket surveys (linked to a ticket) and relationship surveys.

Answers come from latent variables so that effects are planted exactly where intended:
* six service-attribute ratings share a common "experience" factor (intercorrelated), and CSAT is
  mostly driven by two of them (effect 4); the bad week lowers CSAT (effect 6);
* an NPS answer is a channel-specific quantile of a uniform built from the customer's sentiment
  and the contact's experience, so each channel's NPS distribution is exactly as planted
  (effect 1) while NPS still correlates with CSAT and predicts churn (effect 5).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from cx.demo import spec
from cx.demo.calendar import HOUR, WEEK, Window, sample_times
from cx.demo.comments import NEGATIVE, NEUTRAL, POSITIVE, catalogue, pick_comments
from cx.demo.customers import Customers, labelled, pick
from cx.demo.tickets import TicketChunk


def nps_cdf() -> np.ndarray:
    """Cumulative distribution of the 0..10 answer per channel (rows in spec.CHANNELS order)."""
    pmf = {}
    for channel, (det, pas, pro) in spec.NPS_MIX.items():
        pmf[channel] = np.concatenate([det * spec.NPS_WITHIN[0], pas * spec.NPS_WITHIN[1],
                                       pro * spec.NPS_WITHIN[2]])
    others = [c for c in spec.CHANNELS if c != "email"]
    weights = np.array([spec.CHANNEL_MIX[spec.CHANNELS.index(c)] for c in others])
    pmf["email"] = sum(w * pmf[c] for w, c in zip(weights / weights.sum(), others, strict=True))
    return np.cumsum(np.array([pmf[c] for c in spec.CHANNELS]), axis=1)


def _rating_cuts() -> np.ndarray:
    return ndtri(np.cumsum(spec.RATING_PROBS, axis=1)[:, :-1])


def _ratings(rng: np.random.Generator, experience: np.ndarray) -> np.ndarray:
    """n x 6 ratings 1..5 (float, no NULLs yet)."""
    lam = spec.RATING_LOADING
    own = rng.standard_normal((len(experience), len(spec.RATINGS)))
    latent = lam * experience[:, None] + np.sqrt(1 - lam * lam) * own
    cuts = _rating_cuts()
    return 1.0 + (latent[:, :, None] > cuts[None, :, :]).sum(axis=2)


def _standardised(ratings: np.ndarray) -> np.ndarray:
    values = np.arange(1, 6)
    mean = spec.RATING_PROBS @ values
    sd = np.sqrt(spec.RATING_PROBS @ values**2 - mean**2)
    return (ratings - mean) / sd


@lru_cache(maxsize=1)
def _csat_latent_sd() -> float:
    """SD of the CSAT latent, from a fixed simulation (independent of the user's seed), so the
    cut points read as standard-normal quantiles."""
    rng = np.random.default_rng(0)
    z = _standardised(_ratings(rng, rng.standard_normal(400_000)))
    return float(np.sqrt(np.var(z @ spec.CSAT_WEIGHTS) + spec.CSAT_NOISE**2))


def _scores(rng: np.random.Generator, channel: np.ndarray, sentiment: np.ndarray,
            bad: np.ndarray) -> tuple[np.ndarray, ...]:
    """(ratings n x 6, csat, nps, ces) without NULLs."""
    n = len(channel)
    experience = rng.standard_normal(n)
    ratings = _ratings(rng, experience)
    z = _standardised(ratings)
    latent = z @ spec.CSAT_WEIGHTS + spec.CSAT_NOISE * rng.standard_normal(n)
    latent /= _csat_latent_sd()
    csat = 1 + np.searchsorted(spec.CSAT_CUTS, latent + spec.BAD_WEEK_RESPONSE_SHIFT * bad)
    w_ease, w_wait, w_exp, noise = spec.CES_WEIGHTS
    effort = (w_ease * z[:, 3] + w_wait * z[:, 2] + w_exp * experience
              + noise * rng.standard_normal(n))
    ces = 1 + np.searchsorted(spec.CES_CUTS, effort)
    # Respondents are customers who have not churned yet, so their sentiment is above average;
    # standardising among them keeps each channel's NPS distribution exactly as planted.
    relative = (sentiment - sentiment.mean()) / max(float(sentiment.std()), 1e-9)
    a, b = spec.NPS_SENTIMENT_WEIGHT, spec.NPS_EXPERIENCE_WEIGHT
    u = ndtr(a * relative + b * experience + np.sqrt(1 - a * a - b * b) * rng.standard_normal(n))
    nps = (u[:, None] > nps_cdf()[channel]).sum(axis=1)
    return ratings, csat, np.minimum(nps, 10), ces


def _linked(rng: np.random.Generator, tickets: TicketChunk,
            customers: Customers, window: Window) -> dict[str, np.ndarray]:
    """Post-ticket surveys: a share of resolved tickets, answered a few hours after resolution."""
    n = len(tickets.opened)
    chosen = (tickets.resolved >= 0) & (rng.random(n) < spec.POST_TICKET_SURVEY_RATE)
    submitted = tickets.resolved + (rng.exponential(8.0, n) * HOUR).astype(np.int64)
    chosen &= (submitted < window.seconds) & (submitted < customers.churn[tickets.customer])
    idx = np.flatnonzero(chosen)
    return {"t": tickets.first_id + idx, "sub": submitted[idx], "c": tickets.customer[idx],
            "channel": tickets.channel[idx], "product": tickets.product[idx]}


def _relationship(rng: np.random.Generator, counts: np.ndarray, first_week: int,
                  customers: Customers) -> dict[str, np.ndarray]:
    sub = sample_times(rng, counts, first_week)
    cust = pick(rng, customers, sub)
    n = len(sub)
    return {"t": np.zeros(n, dtype=np.int64), "sub": sub, "c": cust,
            "channel": rng.choice(len(spec.CHANNELS), size=n, p=spec.CHANNEL_MIX),
            "product": customers.product[cust]}


def _asked(rng: np.random.Generator, linked: np.ndarray) -> np.ndarray:
    """n x 3 booleans: does this survey ask NPS, CSAT, CES."""
    p = np.where(linked[:, None], np.array(spec.ASK_POST_TICKET), np.array(spec.ASK_RELATIONSHIP))
    return rng.random(p.shape) < p


def _polarity(csat: np.ndarray, nps: np.ndarray) -> np.ndarray:
    """Comment tone from CSAT when asked, else from NPS; -1 when neither was asked."""
    from_csat = np.where(csat <= 2, NEGATIVE, np.where(csat == 3, NEUTRAL, POSITIVE))
    from_nps = np.where(nps <= 6, NEGATIVE, np.where(nps <= 8, NEUTRAL, POSITIVE))
    return np.where(csat > 0, from_csat, np.where(nps >= 0, from_nps, -1))


def _nullable(values: np.ndarray, keep: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int16), ~keep)


def make_responses(rng: np.random.Generator, customers: Customers, tickets: TicketChunk,
                   counts: np.ndarray, first_week: int, window: Window) -> pd.DataFrame:
    """One chunk of responses, sorted by submission time (ids are given by the caller)."""
    parts = [_linked(rng, tickets, customers, window),
             _relationship(rng, counts, first_week, customers)]
    rows = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    order = np.argsort(rows["sub"], kind="stable")
    rows = {k: v[order] for k, v in rows.items()}
    cust, channel, linked = rows["c"], rows["channel"], rows["t"] > 0
    bad = rows["sub"] // WEEK == spec.BAD_WEEK
    ratings, csat, nps, ces = _scores(rng, channel, customers.sentiment[cust], bad)
    asked = _asked(rng, linked)
    ratings[rng.random(ratings.shape) < spec.RATING_NULL_RATE] = np.nan
    ratings[~asked[:, 1]] = np.nan  # the attribute grid belongs to the satisfaction block
    polarity = _polarity(np.where(asked[:, 1], csat, 0), np.where(asked[:, 0], nps, -1))
    comment = pick_comments(rng, polarity, ratings, customers.region[cust], rows["sub"] // WEEK)
    frame = pd.DataFrame({
        "submitted_at": window.to_datetime(rows["sub"]),
        "c": cust + 1,
        "t": pd.arrays.IntegerArray(rows["t"], ~linked),
        **labelled({"channel": channel, "region": customers.region[cust],
                    "product": rows["product"], "segment": customers.segment[cust]}),
        "nps": _nullable(nps, asked[:, 0]),
        "csat": _nullable(csat, asked[:, 1]),
        "ces": _nullable(ces, asked[:, 2]),
        "comment": pd.Categorical.from_codes(comment, catalogue()[0]),
    })
    for j, name in enumerate(spec.RATINGS):
        frame[name] = ratings[:, j]
    return frame
