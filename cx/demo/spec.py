"""Every knob of the demo data in one place: labels, mixes, time models and planted effect sizes.

data/README.md documents the planted effects with the sizes these constants produce; when a
constant changes, re-measure (tests/demo) and update the README in the same commit.
"""

from __future__ import annotations

import numpy as np

WEEKS = 104  # two years of ISO weeks ending on the `end` Sunday
BAD_WEEK_FROM_END = 5  # the 6th-last week has the planted CSAT drop
FLAT_WEEK_FROM_END = 10  # a documented ordinary week (no planted change)
BAD_WEEK = WEEKS - 1 - BAD_WEEK_FROM_END  # 0-based week index in the window
FLAT_WEEK = WEEKS - 1 - FLAT_WEEK_FROM_END

# Rows at scale 1 (customers and tickets exact; post-ticket surveys vary a little).
CUSTOMERS_PER_SCALE = 20_000
TICKETS_PER_SCALE = 100_000
RELATIONSHIP_SURVEYS_PER_SCALE = 20_000
POST_TICKET_SURVEY_RATE = 0.31  # of resolved tickets; about 30k responses at scale 1
CHUNK_ROWS = 1_000_000  # tickets generated (and inserted) per chunk, to bound memory

# ----- dimensions -----------------------------------------------------------------------------
CHANNELS = ("email", "phone", "chat", "social", "self-service")
CHANNEL_MIX = np.array([0.30, 0.20, 0.25, 0.08, 0.17])  # same for tickets and surveys
REGIONS = ("North America", "Europe", "Asia Pacific", "Latin America")
REGION_MIX = np.array([0.40, 0.32, 0.18, 0.10])
SEGMENTS = ("SMB", "Mid-market", "Enterprise")
SEGMENT_MIX = np.array([0.60, 0.30, 0.10])
SEGMENT_ACTIVITY = np.array([1.0, 2.5, 6.0])  # bigger accounts open more tickets
PLANS = ("Basic", "Pro", "Enterprise")
PLAN_BY_SEGMENT = np.array([[0.70, 0.30, 0.00], [0.20, 0.65, 0.15], [0.00, 0.20, 0.80]])
PLAN_REVENUE_MEDIAN = np.array([49.0, 199.0, 1500.0])  # monthly, lognormal
PLAN_REVENUE_SIGMA = np.array([0.40, 0.50, 0.60])
PRODUCTS = ("Core Platform", "Mobile App", "Payments", "Analytics", "Integrations")
PRODUCT_MIX = np.array([0.40, 0.22, 0.16, 0.12, 0.10])
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_MIX = np.array([0.25, 0.50, 0.18, 0.07])
PRIORITY_TTR_FACTOR = np.array([1.5, 1.0, 0.7, 0.4])
STATUSES = ("open", "pending", "solved", "closed")
TEAMS = ("Tier 1 Americas", "Tier 1 EMEA", "Tier 1 APAC", "Tier 2 Technical", "Billing",
         "Social Care")
AGENTS_PER_TEAM = 10
LANGUAGES = ("en", "de", "fr", "es", "pt", "nl", "ja")
LANGUAGE_BY_REGION = np.array([
    [0.90, 0.00, 0.02, 0.08, 0.00, 0.00, 0.00],
    [0.40, 0.25, 0.20, 0.02, 0.00, 0.13, 0.00],
    [0.75, 0.00, 0.03, 0.00, 0.00, 0.00, 0.22],
    [0.10, 0.00, 0.00, 0.55, 0.35, 0.00, 0.00],
])

# ----- volume over time -----------------------------------------------------------------------
TREND_GROWTH = 0.30  # the last week has ~30 % more volume than the first
YEARLY_AMPLITUDE = 0.08  # mild yearly wave
WEEKDAY_WEIGHT = np.array([1.20, 1.15, 1.10, 1.05, 0.95, 0.35, 0.30])  # Mon..Sun
HOUR_WEIGHT = np.array([1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 10, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2,
                        2, 1], dtype=float)

# ----- customers and churn (effect 5) ---------------------------------------------------------
PRE_WINDOW_SHARE = 0.55  # customers who signed up before the window (up to 4 years before)
PRE_WINDOW_YEARS = 4.0
CHURN_INTERCEPT = -1.50  # logit of churning during the full window at sentiment 0
CHURN_SENTIMENT = -0.50  # per SD of the customer's latent sentiment
NPS_SENTIMENT_WEIGHT = 0.75  # how strongly an NPS answer reflects the customer's sentiment
NPS_EXPERIENCE_WEIGHT = 0.35  # ... and the experience of that contact (shared with CSAT)

# ----- tickets: times (lognormal, hours) and CSAT (effects 2, 3) -------------------------------
TTR_MEDIAN = np.array([30.0, 4.0, 1.5, 10.0, 40.0])  # per channel, at normal priority
TTR_SIGMA = 1.0
FRT_MEDIAN = np.array([5.0, 0.05, 0.03, 1.5, 10.0])
FRT_SIGMA = 0.9
STUCK_BASE = 0.022  # tickets left open/pending regardless of age ...
STUCK_RECENT = 0.25  # ... plus this much more for the newest weeks (decays over ~3 weeks)
CLOSE_AFTER_DAYS = 4  # solved tickets become closed after this many days
TICKET_CSAT_RATE = 0.35  # of solved/closed tickets
# Ticket CSAT latent = base[channel] + slope[channel] * (log TTR - log median) + noise.
# Fast channels are also the happier ones, so the pooled correlation overstates the
# within-channel one (confounding by channel mix, METHODS §5.4).
TICKET_CSAT_BASE = np.array([-0.35, 0.10, 0.70, 0.00, -0.45])
TICKET_CSAT_SLOPE = np.array([-0.35, -0.75, -0.12, -0.35, -0.30])
TICKET_CSAT_CUTS = np.array([-1.9, -1.35, -0.75, 0.35])  # latent cut points for 1..5
AGENT_EFFECT_SD = 0.08
BAD_WEEK_TICKET_SHIFT = -0.50  # latent CSAT shift of tickets opened in the bad week

# ----- survey responses: drivers (effect 4), NPS by channel (effect 1) -------------------------
RATINGS = ("rating_resolution", "rating_agent_knowledge", "rating_wait_time",
           "rating_ease_of_contact", "rating_friendliness", "rating_website")
RATING_LABELS = ("Issue resolved", "Agent knowledge", "Wait time", "Ease of contact",
                 "Friendliness", "Website")
RATING_PROBS = np.array([  # share of answers 1..5 per attribute
    [0.06, 0.08, 0.16, 0.34, 0.36],
    [0.04, 0.07, 0.15, 0.36, 0.38],
    [0.10, 0.14, 0.24, 0.30, 0.22],
    [0.05, 0.09, 0.20, 0.36, 0.30],
    [0.02, 0.04, 0.10, 0.34, 0.50],
    [0.07, 0.12, 0.25, 0.33, 0.23],
])
RATING_LOADING = 0.6  # each rating = 0.6 common experience + own part -> intercorrelated
RATING_NULL_RATE = np.array([0.04, 0.05, 0.06, 0.06, 0.05, 0.20])
CSAT_WEIGHTS = np.array([0.50, 0.42, 0.06, 0.05, 0.05, 0.03])  # on standardised ratings
CSAT_NOISE = 0.55
CSAT_CUTS = np.array([-1.75, -1.35, -0.85, 0.30])  # on the standardised CSAT latent
CES_CUTS = np.array([-2.0, -1.5, -1.0, -0.45, 0.15, 0.85])  # 1..7, 7 = very easy
CES_WEIGHTS = (0.45, 0.35, 0.20, 0.75)  # ease of contact, wait time, experience, noise
BAD_WEEK_RESPONSE_SHIFT = -0.55  # latent CSAT shift of responses submitted in the bad week
# NPS: share of detractors, passives, promoters per channel; email is computed so that its
# expected NPS equals the pooled NPS of every other channel (the "null" channel).
NPS_MIX = {
    "phone": (0.30, 0.35, 0.35),  # +5
    "chat": (0.15, 0.30, 0.55),  # +40
    "social": (0.25, 0.30, 0.45),  # +20
    "self-service": (0.20, 0.32, 0.48),  # +28
}
NPS_WITHIN = (  # how answers spread inside each NPS category (0..6, 7..8, 9..10)
    np.array([0.03, 0.02, 0.04, 0.08, 0.13, 0.30, 0.40]),
    np.array([0.45, 0.55]),
    np.array([0.55, 0.45]),
)
# Which questions a survey asks: (nps, csat, ces) for post-ticket and relationship surveys.
ASK_POST_TICKET = (0.40, 1.00, 0.60)
ASK_RELATIONSHIP = (1.00, 0.75, 0.30)
COMMENT_RATE = {"negative": 0.55, "neutral": 0.25, "positive": 0.35}
SPECIAL_COMMENT_SHARE = 0.01  # of comments: start with = + - @ (formula-injection cases)

# ----- comment languages and planted themes (issue 15) ------------------------------------------
# Share of comments in en, fr, de, es per region (REGIONS order); de and es have no sentiment
# lexicon, so they are labelled and counted but never scored.
COMMENT_LANGUAGE_BY_REGION = np.array([
    [0.93, 0.05, 0.00, 0.02],
    [0.50, 0.35, 0.15, 0.00],
    [0.97, 0.03, 0.00, 0.00],
    [0.65, 0.00, 0.00, 0.35],
])
# Of English and French comments: about billing, and about the app crashing; crashes rise from
# 2 % to 15 % in the emerging week (the last week of the window), an "emerging theme".
BILLING_SHARE = 0.06
CRASH_SHARE = 0.02
CRASH_SHARE_EMERGING = 0.15
EMERGING_WEEK_FROM_END = 0
EMERGING_WEEK = WEEKS - 1 - EMERGING_WEEK_FROM_END


def labels(dimension: str) -> tuple[str, ...]:
    """The labels of a coded dimension (codes are indexes into this tuple)."""
    table = {"channel": CHANNELS, "region": REGIONS, "segment": SEGMENTS, "plan": PLANS,
             "product": PRODUCTS, "priority": PRIORITIES, "status": STATUSES, "team": TEAMS,
             "language": LANGUAGES}
    return tuple(agent_names()) if dimension == "agent" else table[dimension]


_FIRST = ("Alex", "Sam", "Priya", "Jonas", "Maria", "Chen", "Fatima", "Lucas", "Aiko", "Omar",
          "Sofia", "Noah", "Elena", "Ravi", "Lena", "Diego", "Grace", "Mateo", "Hana", "Tom")
_INITIAL = "ABCDEFGHJKLMNPRSTVWZ"


def agent_names() -> list[str]:
    """60 distinct, stable agent names ("Priya K."), ten per team in team order."""
    n = len(TEAMS) * AGENTS_PER_TEAM
    return [f"{_FIRST[(7 * i) % len(_FIRST)]} {_INITIAL[(3 * i + i // 20) % len(_INITIAL)]}."
            for i in range(n)]
