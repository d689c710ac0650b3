"""AppTest: the Verbatims page per role on planted comment features (tests/text_rows), with the
numbers of the analyses and of `python -m cx text top|emerging` on the same data."""

from __future__ import annotations

from pathlib import Path

import pytest

from cx.auth import access
from cx.charts.format import format_change, format_value
from cx.domain import Role
from cx.storage import Store
from tests.app.dashboard_fixtures import (
    DemoFiles,
    add_role_users,
    cli_metric,
    run_page,
    use_files,
)
from tests.app.test_theme_filter import linked
from tests.text_rows import planted_rows, planted_tickets, write_said, write_tickets

ALLOWED = [r for r in Role if r in access.page("verbatims").roles]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    folder = tmp_path_factory.mktemp("verbatims")
    files = DemoFiles(folder / "cx.duckdb", folder / "credentials.yaml")
    write_said(Store(files.db), planted_rows())
    add_role_users(files.users_file)
    return files


@pytest.fixture
def on_planted(planted: DemoFiles, monkeypatch: pytest.MonkeyPatch) -> DemoFiles:
    use_files(monkeypatch, planted)
    return planted


SECTIONS = ("groups", "effects", "emerging", "sentiment", "words_det", "words_pro")


def _frame(at: object, section: str) -> object:
    """The page's tables in their order (AppTest does not expose dataframe keys)."""
    frames = [d.value for d in at.dataframe]
    assert len(frames) == len(SECTIONS), [list(f.columns) for f in frames]
    return frames[SECTIONS.index(section)]


@pytest.mark.parametrize("role", ALLOWED, ids=[r.value for r in ALLOWED])
def test_page_shows_the_numbers(on_planted: DemoFiles, role: Role) -> None:
    at = run_page("verbatims", role)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [t.value for t in at.title] == ["Verbatims: themes"]
    groups = _frame(at, "groups").set_index(["theme", "group"])
    assert groups.loc[("delivery", "detractors"), "mentions"] == 80  # of 140 detractor comments
    assert groups.loc[("staff", "promoters"), "comments"] == 160
    effects = _frame(at, "effects").set_index("theme")
    assert effects.loc["delivery", "vs rest"] == format_change(-131.25, "points")
    assert effects.loc["staff", "badge"] == "higher"
    emerging = _frame(at, "emerging").set_index("theme")
    assert emerging.loc["delivery", "change"] == format_change(0.2, "fraction")  # 10% -> 30%
    assert emerging.loc["delivery", "badge"] == "higher"
    assert groups.loc[("delivery", "detractors"), "share"] == format_value(80 / 140, "fraction")
    captions = " ".join(c.value for c in at.caption)
    assert "delivery grew significantly" in captions
    assert "80 comments mention delivery" in captions  # the first theme, newest first
    assert at.text[0].value == "the delivery was late again"
    sentiment = _frame(at, "sentiment")
    assert sentiment["value"].round(4).tolist() == [0.07, -0.05]
    words = _frame(at, "words_det")
    assert words.iloc[0]["z"] > 1.96  # typical of detractors (the caption's rule)
    assert list(words.columns) == ["term", "detractors", "promoters", "z"]  # fits half a page


def test_executive_is_refused(on_planted: DemoFiles) -> None:
    assert Role.EXECUTIVE not in access.page("verbatims").roles  # managers and up
    at = run_page("verbatims", Role.EXECUTIVE)
    assert "No access" in " ".join(e.value for e in at.error)
    assert not at.dataframe and not at.title


def test_no_themes_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = DemoFiles(tmp_path / "cx.duckdb", tmp_path / "credentials.yaml")
    write_said(Store(files.db), [r for r in planted_rows() if not r.themes])
    add_role_users(files.users_file)
    use_files(monkeypatch, files)
    at = run_page("verbatims", Role.MANAGER)
    assert not at.exception, [e.value for e in at.exception]
    assert "No comment in this period mentions a theme" in " ".join(i.value for i in at.info)
    assert not at.dataframe


def test_segments_page_splits_by_theme(on_planted: DemoFiles) -> None:
    at = run_page("segments", Role.ANALYST)
    at.selectbox(key="segments_by_responses").set_value("theme").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "q (BH)" in d.value.columns).set_index("theme")
    assert table.loc["delivery", "n"] == 80 and table.loc["staff", "n"] == 80
    assert table.loc["delivery", "vs rest"] == format_change(-131.25, "points")
    assert table.loc["delivery", "badge"] == "lower"


@pytest.fixture(scope="module")
def with_tickets(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    """The planted comments plus 200 planted tickets with a description (tests/text_rows)."""
    folder = tmp_path_factory.mktemp("verbatims_tickets")
    files = DemoFiles(folder / "cx.duckdb", folder / "credentials.yaml")
    write_said(Store(files.db), planted_rows())
    write_tickets(Store(files.db), planted_tickets())
    add_role_users(files.users_file)
    return files


TICKET_SECTIONS = ("shares", "effects", "emerging", "sentiment")


def test_ticket_texts_show_their_themes_with_ticket_metrics(
        with_tickets: DemoFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    use_files(monkeypatch, with_tickets)
    at = run_page("verbatims", Role.MANAGER)
    at.radio(key="verbatims_source").set_value("tickets").run()
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe]
    assert len(frames) == len(TICKET_SECTIONS), [list(f.columns) for f in frames]
    shares = frames[0].set_index("theme")
    assert shares.loc["refund", ["mentions", "texts"]].tolist() == [70, 200]
    assert shares.loc["refund", "share"] == format_value(0.35, "fraction")
    effects = frames[1].set_index("theme")
    assert effects.loc["refund", "vs rest"] == format_change(0.2 - 80 / 130, "fraction")
    assert effects.loc["refund", "badge"] == "lower"
    emerging = frames[2].set_index("theme")
    assert emerging.loc["refund", "change"] == format_change(0.3, "fraction")  # 20% -> 50%
    assert frames[3]["value"].round(4).tolist() == [-0.04, -0.22]
    captions = " ".join(c.value for c in at.caption)
    assert "refund grew significantly" in captions
    assert "30 ticket texts mention login" in captions  # the first theme, newest first
    assert at.text[0].value == "cannot log in to my account"
    assert "ticket TB059 · CSAT 5 · resolved in 3.5 h" in captions  # week B's last login
    at.selectbox(key="verbatims_theme").set_value("refund")
    at.text_input(key="verbatims_search").input("double charge").run()
    assert "70 ticket texts mention refund" in " ".join(c.value for c in at.caption)

    at.radio(key="verbatims_metric_tickets").set_value("ttr_median").run()
    assert not at.exception, [e.value for e in at.exception]
    table = [d.value for d in at.dataframe][1].set_index("theme")
    out = cli_metric(with_tickets.db, "ttr_median", "--by", "theme")
    for row in out["rows"]:  # the page's values and n are the command line's
        assert table.loc[row["theme"], "n"] == row["n"]
        assert table.loc[row["theme"], "value"] == format_value(row["value"], out["unit"])


def test_the_sidebar_theme_filter_reaches_tickets_and_the_listed_comments(
        with_tickets: DemoFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    use_files(monkeypatch, with_tickets)
    at = linked(Role.MANAGER, ["delivery", "refund"], "tickets")  # tickets have themes here
    assert not [c.value for c in at.caption if "does not apply" in c.value]
    table = at.dataframe[0].value
    out = cli_metric(with_tickets.db, "ttr_median", "--by", "channel", "--where", "theme=refund")
    rows = table[table["metric"] == out["label"]].set_index("channel")
    assert rows.loc["email", "n"] == out["rows"][0]["n"] == 70

    at.switch_page("pages/verbatims.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="verbatims_theme").options == ["delivery"]  # the sidebar's only
    groups = at.dataframe[0].value.set_index(["theme", "group"])  # comments mentioning delivery
    assert groups.loc[("delivery", "detractors"), ["mentions", "comments"]].tolist() == [80, 80]
