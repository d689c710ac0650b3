"""Support tickets for one chunk of weeks: routing, lognormal times, status, post-ticket CSAT.

CSAT falls with log(resolution time) with a channel-specific slope (steep on phone, flat on chat:
effect 2); fast channels also start from a higher baseline, so channel mix confounds the pooled
correlation (effect 3). Tickets opened in the bad week get a lower CSAT (effect 6).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cx.demo import spec
from cx.demo.calendar import DAY, WEEK, Window, sample_times
from cx.demo.customers import Customers, choice_rows, labelled, pick

_TIER1_BY_REGION = np.array([0, 1, 2, 0])  # North America, Europe, APAC, LatAm -> Tier 1 team
TIER2, BILLING, SOCIAL = 3, 4, 5


@dataclass
class TicketChunk:
    first_id: int  # ticket number of the first row (1-based, global)
    opened: np.ndarray  # seconds
    resolved: np.ndarray  # seconds, -1 when still open
    customer: np.ndarray
    channel: np.ndarray
    product: np.ndarray
    frame: pd.DataFrame


def _teams(rng: np.random.Generator, channel: np.ndarray, region: np.ndarray,
           product: np.ndarray, priority: np.ndarray) -> np.ndarray:
    n = len(channel)
    team = _TIER1_BY_REGION[region]
    team = np.where((product == spec.PRODUCTS.index("Payments")) & (rng.random(n) < 0.6),
                    BILLING, team)
    team = np.where((priority >= 2) & (rng.random(n) < 0.45), TIER2, team)
    return np.where(channel == spec.CHANNELS.index("social"), SOCIAL, team)


def _durations(rng: np.random.Generator, channel: np.ndarray,
               priority: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first response hours, resolution hours): lognormal by channel and priority."""
    n = len(channel)
    ttr = spec.TTR_MEDIAN[channel] * spec.PRIORITY_TTR_FACTOR[priority] * np.exp(
        spec.TTR_SIGMA * rng.standard_normal(n))
    frt = spec.FRT_MEDIAN[channel] * np.exp(spec.FRT_SIGMA * rng.standard_normal(n))
    return np.round(np.minimum(frt, ttr), 4), np.round(ttr, 4)


def _status(rng: np.random.Generator, opened: np.ndarray, ttr_h: np.ndarray,
            window: Window) -> tuple[np.ndarray, np.ndarray]:
    """(status code, resolved offset or -1). Open = not resolved by the window end, or stuck."""
    n = len(opened)
    resolved = opened + np.round(ttr_h * 3600).astype(np.int64)
    age_weeks = (window.seconds - opened) / WEEK
    stuck = rng.random(n) < spec.STUCK_BASE + spec.STUCK_RECENT * np.exp(-age_weeks / 3.0)
    still_open = stuck | (resolved >= window.seconds)
    closed = resolved < window.seconds - spec.CLOSE_AFTER_DAYS * DAY
    status = np.where(closed, 3, 2)
    status = np.where(still_open, np.where(rng.random(n) < 0.6, 0, 1), status)
    return status, np.where(still_open, -1, resolved)


def _ticket_csat(rng: np.random.Generator, channel: np.ndarray, priority: np.ndarray,
                 ttr_h: np.ndarray, agent_effect: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """CSAT 1..5 from a latent that falls with log TTR (relative to the channel's median)."""
    rel = np.log(ttr_h) - np.log(spec.TTR_MEDIAN[channel] * spec.PRIORITY_TTR_FACTOR[priority])
    latent = (spec.TICKET_CSAT_BASE[channel] + spec.TICKET_CSAT_SLOPE[channel] * rel
              + agent_effect + spec.BAD_WEEK_TICKET_SHIFT * bad + rng.standard_normal(len(channel)))
    return 1 + np.searchsorted(spec.TICKET_CSAT_CUTS, latent)


def _route(rng: np.random.Generator, customers: Customers,
           cust: np.ndarray) -> dict[str, np.ndarray]:
    """Dimension codes of each ticket: the customer's region and segment, a channel, a product
    (mostly the customer's own), a priority, and a team and agent that fit them."""
    n = len(cust)
    codes = {
        "channel": rng.choice(len(spec.CHANNELS), size=n, p=spec.CHANNEL_MIX),
        "region": customers.region[cust],
        "segment": customers.segment[cust],
        "product": np.where(rng.random(n) < 0.8, customers.product[cust],
                            rng.choice(len(spec.PRODUCTS), size=n, p=spec.PRODUCT_MIX)),
        "priority": rng.choice(len(spec.PRIORITIES), size=n, p=spec.PRIORITY_MIX),
    }
    team = _teams(rng, codes["channel"], codes["region"], codes["product"], codes["priority"])
    codes["team"] = team
    codes["agent"] = team * spec.AGENTS_PER_TEAM + rng.integers(0, spec.AGENTS_PER_TEAM, size=n)
    return codes


def make_tickets(rng: np.random.Generator, customers: Customers, counts: np.ndarray,
                 first_week: int, first_id: int, window: Window,
                 agent_effects: np.ndarray) -> TicketChunk:
    opened = sample_times(rng, counts, first_week)
    cust = pick(rng, customers, opened)
    codes = _route(rng, customers, cust)
    channel, priority = codes["channel"], codes["priority"]
    frt_h, ttr_h = _durations(rng, channel, priority)
    codes["status"], resolved = _status(rng, opened, ttr_h, window)
    rated = (resolved >= 0) & (rng.random(len(opened)) < spec.TICKET_CSAT_RATE)
    csat = _ticket_csat(rng, channel, priority, ttr_h, agent_effects[codes["agent"]],
                        opened // WEEK == spec.BAD_WEEK)
    codes["language"] = choice_rows(rng, spec.LANGUAGE_BY_REGION, codes["region"])
    first_resp = opened + np.round(frt_h * 3600).astype(np.int64)
    responded = first_resp < window.seconds
    frame = pd.DataFrame({
        "i": np.arange(first_id, first_id + len(opened)),
        "c": cust + 1,
        **labelled(codes),
        "opened_at": window.to_datetime(opened),
        "first_response_at": _masked_times(window, first_resp, responded),
        "resolved_at": _masked_times(window, resolved, resolved >= 0),
        "first_response_hours": np.where(responded, frt_h, np.nan),
        "resolution_hours": np.where(resolved >= 0, ttr_h, np.nan),
        "csat": pd.arrays.IntegerArray(csat.astype(np.int16), ~rated),
    })
    return TicketChunk(first_id, opened, resolved, cust, channel, codes["product"], frame)


def _masked_times(window: Window, offsets: np.ndarray, keep: np.ndarray) -> np.ndarray:
    out = window.to_datetime(np.where(keep, offsets, 0))
    out[~keep] = np.datetime64("NaT")
    return out
