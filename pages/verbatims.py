"""Verbatims: what comments and ticket texts talk about, how each theme moves the score that
fits the source (NPS or CSAT on survey comments; ticket CSAT or resolution time on tickets),
and what is growing."""

import streamlit as st

from cx.charts import figures
from cx.charts.themes import theme_group_bars
from cx.metrics import get_metric
from cx.ui import analysis_views as views
from cx.ui import cached
from cx.ui import components as ui
from cx.ui import verbatims as data
from cx.ui.filters import current_view, for_table, ignored_fields
from cx.ui.guard import require_page
from cx.ui.theme_editor import theme_editor
from cx.views.records import RecordQuery

user = require_page("verbatims")
view = current_view()
ui.page_header("Verbatims: themes",
               f"{view.period_text()} · comments by theme, found when each batch was loaded; "
               "a comment mentioning two themes counts in both.")
theme_editor(user)
source = st.radio("Source", list(data.SOURCES), horizontal=True, key="verbatims_source",
                  format_func=data.SOURCES.__getitem__)
one, what = data.NOUNS[source]
filters = for_table(view.filters, source)
ui.ignored_note(ignored_fields(view.filters, source), what)
themes = data.verbatims_themes(filters, source)
if not themes:
    ui.empty(f"No {one} in this period mentions a theme: widen the dates or the filters, or "
             f"upload {data.UPLOAD_HINT[source]} on the Upload page.")
    st.stop()

if source == "responses":
    st.subheader("Themes by NPS group")
    groups = data.verbatims_groups(filters)
    ui.chart(theme_group_bars(groups, f"Share of each group's comments mentioning a theme, "
                                      f"{view.period_text()} (95% CI)"),
             "verbatims_groups", selectable=False)
    ui.table(data.group_rows(groups), "verbatims_groups",
             f"themes by nps group {view.period_text()}", export=groups)
else:
    st.subheader("Themes of ticket texts")
    shares = data.verbatims_shares(source, filters)
    ui.chart(figures.ci_bars(shares.assign(value=shares["share"], n=shares["comments"]),
                             "theme", "fraction", "share of ticket texts",
                             f"Share of ticket texts mentioning a theme, {view.period_text()} "
                             "(95% CI)"), "verbatims_shares", selectable=False)
    ui.table(data.share_rows(shares), "verbatims_shares",
             f"themes of ticket texts {view.period_text()}", export=shares)

st.subheader("Effect on the score")
name = st.radio("Metric", data.SOURCE_METRICS[source], horizontal=True,
                key=f"verbatims_metric_{source}", format_func=lambda m: get_metric(m).label)
metric = get_metric(name)
effects = data.verbatims_effects(name, filters)
if effects.table.empty or int(effects.table["n"].sum()) == 0:
    ui.empty(f"No {one} with a theme has a {metric.label} value in this period.")
elif effects.comparable or effects.table["diff_vs_rest"].notna().any():
    st.caption(f"Texts mentioning each theme against the other texts: the difference in "
               f"{metric.label}, with its 95% interval; green / red after Benjamini–Hochberg.")
    points = effects.table.assign(value=effects.table["diff_vs_rest"],
                                  ci_low=effects.table["diff_ci_low"],
                                  ci_high=effects.table["diff_ci_high"])
    ui.chart(figures.ci_bars(points, "segment", effects.unit,
                             f"{metric.label}: theme minus other texts",
                             f"{metric.label} difference by theme, {view.period_text()}",
                             badge="badge"), "verbatims_effects", selectable=False)
else:  # a median or a survival share: values with intervals, no test against the rest
    st.caption(effects.reading)
    ui.chart(figures.ci_bars(effects.table, "segment", effects.unit, metric.label,
                             f"{metric.label} by theme, {view.period_text()}"),
             "verbatims_effects", selectable=False)
if not effects.table.empty:
    ui.table(views.segment_rows(effects), "verbatims_effects",
             f"{name} by theme {view.period_text()}", export=views.segment_export(effects))

st.subheader("Emerging themes")
emerging = data.verbatims_emerging(filters, source)
grown = emerging.emerging()["theme"].tolist()
st.caption(f"Week of {emerging.week} against the week before: "
           f"{', '.join(grown) if grown else 'no theme'} grew significantly (share of {what}, "
           "two-proportion score test, Benjamini–Hochberg over the themes).")
ui.table(data.emerging_rows(emerging.table), "verbatims_emerging",
         f"emerging themes {emerging.week}", export=emerging.table)
series = emerging.series.rename(columns={"share": "value", "comments": "n_comments"}).assign(
    n=emerging.series["comments"])
ui.chart(figures.trend(series, "fraction", f"share of {what}", "Theme share by week",
                       series="theme"), "verbatims_theme_trend", selectable=False)

st.subheader("Sentiment by week")
sentiment = data.verbatims_sentiment(filters, source)
ui.chart(figures.trend(sentiment, "scale points", "mean sentiment (-1 to 1)",
                       f"Mean sentiment of {what} by week"), "verbatims_sentiment",
         selectable=False)
st.caption("Texts in a language without a sentiment lexicon are counted (unscored), never "
           "scored with another language's.")
ui.table(sentiment, "verbatims_sentiment", f"sentiment by week {view.period_text()}")

if source == "responses":  # the detractor / promoter split needs an NPS answer
    st.subheader("Words that tell detractors from promoters")
    st.caption("Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & "
               "Quinn 2008): z above 1.96 is typical of detractors, below −1.96 of promoters.")
    words = data.verbatims_words(filters)
    left, right = st.columns(2)
    for column, rows, key, label in ((left, words.head(15), "verbatims_words_det",
                                       "words of detractors"),
                                      (right, words.iloc[::-1].head(15), "verbatims_words_pro",
                                       "words of promoters")):
        with column:
            ui.table(data.word_rows(rows), key, label, export=rows)

st.subheader(data.SOURCES[source])
pick, search_col = st.columns([1, 2])
theme = pick.selectbox("Theme", data.offered_themes(themes, filters), key="verbatims_theme")
search = search_col.text_input("Search", key="verbatims_search", placeholder=f"words in {what}")
query = RecordQuery(source, filters.with_values(theme=theme), search, page_size=25)
page = cached.record_page(query)
st.caption(f"{page.total:,} {what} mention {theme}; the newest {min(page.total, 25)} as "
           "written:")
texts = data.text_columns(source)
for row in page.rows.itertuples():
    st.caption(data.record_line(source, row))
    for field in texts:
        value = getattr(row, field, None)
        if isinstance(value, str) and value.strip():
            st.text(value)
if page.total:
    ui.records_export(query, page.total)
