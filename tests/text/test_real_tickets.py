"""Sentiment against the score on a real file: the ticket descriptions and their ratings.

customer_support_tickets.csv (TESTING.md) has a free-text `Ticket Description` beside a 1-5
`Customer Satisfaction Rating` on its 2,769 closed tickets. The file is machine-generated: its
descriptions are templates filled at random, unrelated to the rating, so the honest finding is
a correlation indistinguishable from zero (measured: Spearman ρ = 0.003, 95 % CI about
[-0.034, 0.040], n = 2,769). The test pins that figure, so a change that invents signal (or
drops comments) fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cx.stats.correlation import correlate
from cx.storage import Store
from tests.conftest import dataset
from tests.ingest.conftest import CliRunner
from tests.ingest.test_real_datasets import TICKETS, TICKETS_ALL_ROWS


def test_sentiment_vs_rating_on_every_rated_ticket(run_cli: CliRunner, store: Store) -> None:
    code, out = run_cli("ingest", dataset(TICKETS), "--table", "tickets", *TICKETS_ALL_ROWS)
    assert code == 0, out
    counts = dict(store.query("SELECT field, count(*) FROM comment_features GROUP BY 1"))
    assert counts["ticket_description"] == 8469  # every description, in one load
    assert "customer_name" not in counts and "customer_email" not in counts  # not comments
    pairs = np.array(store.query("""
        SELECT f.sentiment, t.csat FROM comment_features f
        JOIN tickets t ON f.table_name = 'tickets' AND t.ticket_id = f.record_id
        WHERE f.field = 'ticket_description' AND t.csat IS NOT NULL"""), dtype=float)
    assert len(pairs) == 2769 and not np.isnan(pairs).any()  # all English, all scored
    result = correlate(pairs[:, 0], pairs[:, 1], "spearman")
    # scipy.stats.spearmanr(sentiment, rating); CI: Fisher z with Bonett–Wright SE (METHODS §5.1)
    assert result.r == pytest.approx(stats.spearmanr(pairs[:, 0], pairs[:, 1]).statistic)
    assert result.n == 2769
    assert result.r == pytest.approx(0.0031, abs=0.001)
    assert result.ci_low == pytest.approx(-0.0342, abs=0.001)
    assert result.ci_high == pytest.approx(0.0404, abs=0.001)
    assert result.p > 0.5
