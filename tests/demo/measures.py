"""Plain DuckDB SQL + numpy/scipy measurements of the planted effects (independent of cx.stats,
so a bug in the engine cannot hide a bug in the generator and vice versa)."""

from __future__ import annotations

import math
from itertools import combinations

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

Z95 = 1.959963984540054
RATINGS = ("rating_resolution", "rating_agent_knowledge", "rating_wait_time",
           "rating_ease_of_contact", "rating_friendliness", "rating_website")


def adjusted_wald(det: float, pas: float, pro: float) -> tuple[float, float]:
    """(adjusted NPS, its SE) on the -1..1 scale; METHODS.md §1.3 (n + 3, 3/4 to det and pro)."""
    n2 = det + pas + pro + 3
    p, d = (pro + 0.75) / n2, (det + 0.75) / n2
    return p - d, math.sqrt((p + d - (p - d) ** 2) / n2)


def nps_by_channel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per channel: n, raw NPS (points), adjusted-Wald CI, raw diff vs rest and its p (§1.5)."""
    df = con.execute(
        "SELECT channel, count(*) AS n, count(*) FILTER (nps <= 6) AS det, "
        "count(*) FILTER (nps BETWEEN 7 AND 8) AS pas, count(*) FILTER (nps >= 9) AS pro "
        "FROM responses WHERE nps IS NOT NULL GROUP BY channel ORDER BY channel").df()
    df["nps"] = 100 * (df.pro - df.det) / df.n
    rows = []
    for _, row in df.iterrows():
        v, se = adjusted_wald(row.det, row.pas, row.pro)
        rest = df[df.channel != row.channel][["det", "pas", "pro", "n"]].sum()
        v2, se2 = adjusted_wald(rest.det, rest.pas, rest.pro)
        z = (v - v2) / math.sqrt(se**2 + se2**2)
        rows.append({"lo": 100 * (v - Z95 * se), "hi": 100 * (v + Z95 * se),
                     "diff_rest": row.nps - 100 * (rest.pro - rest.det) / rest.n,
                     "p_rest": 2 * stats.norm.sf(abs(z))})
    return pd.concat([df, pd.DataFrame(rows)], axis=1).set_index("channel")


def ticket_csat_vs_ttr(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Pooled Spearman, per-channel Spearman, and the rank partial correlation given channel
    (residuals of both ranks on channel dummies, METHODS.md §5.4)."""
    t = con.execute("SELECT channel, csat, resolution_hours AS h FROM tickets "
                    "WHERE csat IS NOT NULL AND resolution_hours IS NOT NULL").df()
    out = {"pooled": stats.spearmanr(t.csat, t.h).statistic, "n": len(t)}
    for channel, g in t.groupby("channel"):
        out[channel] = stats.spearmanr(g.csat, g.h).statistic
    dummies = pd.get_dummies(t.channel).to_numpy(float)

    def resid(y: np.ndarray) -> np.ndarray:
        return y - dummies @ np.linalg.lstsq(dummies, y, rcond=None)[0]

    out["partial"] = float(np.corrcoef(resid(stats.rankdata(t.csat)),
                                       resid(stats.rankdata(t.h)))[0, 1])
    return out


def shapley_shares(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, float], float, np.ndarray]:
    """LMG/Shapley share of R² per rating for response CSAT (METHODS.md §6.1 item 4), the R²
    and the ratings' correlation matrix; listwise-complete rows."""
    cols = ", ".join(RATINGS)
    d = con.execute(f"SELECT csat, {cols} FROM responses").df().dropna()
    corr = np.corrcoef(d.to_numpy(float).T)
    rxy, rxx, p = corr[0, 1:], corr[1:, 1:], len(RATINGS)

    def r2(subset: tuple[int, ...]) -> float:
        s = list(subset)
        return float(rxy[s] @ np.linalg.solve(rxx[np.ix_(s, s)], rxy[s])) if s else 0.0

    phi = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            w = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            for subset in combinations(others, size):
                phi[j] += w * (r2(tuple(sorted(subset + (j,)))) - r2(subset))
    total = r2(tuple(range(p)))
    return dict(zip(RATINGS, phi / total, strict=True)), total, rxx


def churn_by_latest_nps(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("""
        WITH latest AS (SELECT customer_id, arg_max(nps, submitted_at) AS nps FROM responses
                        WHERE nps IS NOT NULL GROUP BY customer_id)
        SELECT CASE WHEN l.nps IS NULL THEN 'none' WHEN l.nps <= 6 THEN 'detractor'
                    WHEN l.nps <= 8 THEN 'passive' ELSE 'promoter' END AS category,
               count(*) AS n, count(*) FILTER (c.churned) AS churned,
               avg(c.churned::INT) AS rate
        FROM customers c LEFT JOIN latest l USING (customer_id) GROUP BY 1 ORDER BY 1
    """).df().set_index("category")


def weekly_t2b(con: duckdb.DuckDBPyConnection, table: str, time_col: str,
               end: str) -> pd.DataFrame:
    """Top-2-box per ISO week, weeks counted back from the end Sunday (0 = the last week)."""
    return con.execute(f"""
        SELECT date_diff('day', date_trunc('week', {time_col}),
                         date_trunc('week', ?::DATE))::INT // 7 AS back,
               count(csat) AS n, count(*) FILTER (csat >= 4) AS x
        FROM {table} WHERE csat IS NOT NULL GROUP BY 1 ORDER BY 1""", [end]).df()


def pchart_flags(weeks: pd.DataFrame, excluded_back: int) -> pd.DataFrame:
    """p-chart with 3-sigma limits, p̄ from every week but the excluded one (METHODS.md §8.2);
    returns the weeks outside their limits."""
    base = weeks[weeks.back != excluded_back]
    pbar = base.x.sum() / base.n.sum()
    w = weeks.assign(p=weeks.x / weeks.n)
    w["lcl"] = pbar - 3 * np.sqrt(pbar * (1 - pbar) / w.n)
    w["ucl"] = pbar + 3 * np.sqrt(pbar * (1 - pbar) / w.n)
    return w[(w.p < w.lcl) | (w.p > w.ucl)]


def wow_change(weeks: pd.DataFrame, back: int) -> tuple[float, float]:
    """(difference in T2B, score-test p) of week `back` vs the week before it (METHODS.md §8.1)."""
    from statsmodels.stats.proportion import test_proportions_2indep

    this = weeks[weeks.back == back].iloc[0]
    prev = weeks[weeks.back == back + 1].iloc[0]
    res = test_proportions_2indep(this.x, this.n, prev.x, prev.n, method="score")
    return this.x / this.n - prev.x / prev.n, float(res.pvalue)
