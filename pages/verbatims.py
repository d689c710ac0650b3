"""Verbatims: what comments talk about, how each theme moves NPS or CSAT, what is growing."""

import pandas as pd
import streamlit as st

from cx.charts import figures
from cx.charts.themes import theme_group_bars
from cx.domain import Filters
from cx.metrics import get_metric
from cx.ui import analysis_views as views
from cx.ui import cached
from cx.ui import components as ui
from cx.ui import verbatims as data
from cx.ui.filters import current_view, for_table
from cx.ui.guard import require_page
from cx.ui.theme_editor import theme_editor
from cx.views.records import RecordQuery

user = require_page("verbatims")
view = current_view()
ui.page_header("Verbatims: themes",
               f"{view.period_text()} · survey comments by theme, found when each batch was "
               "loaded; a comment mentioning two themes counts in both.")
theme_editor(user)
filters = for_table(view.filters, "responses")
themes = data.verbatims_themes(filters)
if not themes:
    ui.empty("No comment in this period mentions a theme: widen the dates, or upload survey "
             "responses with comments on the Upload page.")
    st.stop()

st.subheader("Themes by NPS group")
groups = data.verbatims_groups(filters)
ui.chart(theme_group_bars(groups, f"Share of each group's comments mentioning a theme, "
                                  f"{view.period_text()} (95% CI)"),
         "verbatims_groups", selectable=False)
ui.table(data.group_rows(groups), "verbatims_groups", f"themes by nps group {view.period_text()}",
         export=groups)

st.subheader("Effect on the score")
name = st.radio("Metric", ["nps", "csat"], horizontal=True, key="verbatims_metric",
                format_func=lambda m: get_metric(m).label)
metric = get_metric(name)
effects = data.verbatims_effects(name, filters)
st.caption(f"Comments mentioning each theme against the other comments: the difference in "
           f"{metric.label}, with its 95% interval; green / red after Benjamini–Hochberg.")
if effects.table.empty or int(effects.table["n"].sum()) == 0:
    ui.empty(f"No comment with a theme has a {metric.label} answer in this period.")
else:
    points = effects.table.assign(value=effects.table["diff_vs_rest"],
                                  ci_low=effects.table["diff_ci_low"],
                                  ci_high=effects.table["diff_ci_high"])
    ui.chart(figures.ci_bars(points, "segment", effects.unit,
                             f"{metric.label}: theme minus other comments",
                             f"{metric.label} difference by theme, {view.period_text()}",
                             badge="badge"), "verbatims_effects", selectable=False)
    ui.table(views.segment_rows(effects), "verbatims_effects",
             f"{name} by theme {view.period_text()}", export=views.segment_export(effects))

st.subheader("Emerging themes")
emerging = data.verbatims_emerging(filters)
grown = emerging.emerging()["theme"].tolist()
st.caption(f"Week of {emerging.week} against the week before: "
           f"{', '.join(grown) if grown else 'no theme'} grew significantly (share of comments, "
           "two-proportion score test, Benjamini–Hochberg over the themes).")
ui.table(data.emerging_rows(emerging.table), "verbatims_emerging",
         f"emerging themes {emerging.week}", export=emerging.table)
series = emerging.series.rename(columns={"share": "value", "comments": "n_comments"}).assign(
    n=emerging.series["comments"])
ui.chart(figures.trend(series, "fraction", "share of comments", "Theme share by week",
                       series="theme"), "verbatims_theme_trend", selectable=False)

st.subheader("Sentiment by week")
sentiment = data.verbatims_sentiment(filters)
ui.chart(figures.trend(sentiment, "scale points", "mean sentiment (-1 to 1)",
                       "Mean sentiment of comments by week"), "verbatims_sentiment",
         selectable=False)
st.caption("Comments in a language without a sentiment lexicon are counted (unscored), never "
           "scored with another language's.")
ui.table(sentiment, "verbatims_sentiment", f"sentiment by week {view.period_text()}")

st.subheader("Words that tell detractors from promoters")
st.caption("Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn "
           "2008): z above 1.96 is typical of detractors, below −1.96 of promoters.")
words = data.verbatims_words(filters)
left, right = st.columns(2)
for column, rows, key, name in ((left, words.head(15), "verbatims_words_det",
                                  "words of detractors"),
                                 (right, words.iloc[::-1].head(15), "verbatims_words_pro",
                                  "words of promoters")):
    with column:
        ui.table(data.word_rows(rows), key, name, export=rows)

st.subheader("Comments")
pick, search_col = st.columns([1, 2])
theme = pick.selectbox("Theme", themes, key="verbatims_theme")
search = search_col.text_input("Search", key="verbatims_search", placeholder="words in comments")
scoped = Filters.of(filters.dates, **{**filters.as_dict(), "theme": theme})
query = RecordQuery("responses", scoped, search, page_size=25)
page = cached.record_page(query)
st.caption(f"{page.total:,} comments mention {theme}; the newest {min(page.total, 25)} as "
           "written:")
for row in page.rows.itertuples():
    score = "no NPS" if pd.isna(row.nps) else f"NPS {int(row.nps)}"  # None, NaN or pd.NA
    st.caption(f"{row.submitted_at:%Y-%m-%d %H:%M} · {score}")
    st.text(str(row.comment))
if page.total:
    ui.records_export(query, page.total)
