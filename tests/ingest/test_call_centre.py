"""Real call-centre and survey exports load without guessing (issue 14 item 10, issue 11 item 3).

A telephony export writes the date and the clock time of a call in two columns, talk time as
H:MM:SS, "Resolved" as Y/N, and has no ticket id; a survey export may carry no date at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cx.config import load_settings
from cx.ingest import IngestOptions, load, preview
from cx.ingest.problems import MAP_COLUMN, MISSING_FIELD, ONE_DATE
from cx.metrics import Engine, MetricQuery
from cx.storage import Store
from tests.ingest.conftest import CliRunner

CALLS = """Call Date,Call Time,Agent,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating
2021-01-01,9:12:58,Diane,Contract related,Y,Y,109,0:02:23,3
2021-01-01,9:12:58,Becky,Technical Support,Y,N,70,0:04:02,3
2021-01-01,9:47:31,Stewart,Payment related,Y,Y,10,0:02:11,4
2021-01-01,10:00:29,Becky,Payment related,Y,Y,95,0:01:00,5
2021-01-01,10:00:29,Becky,Payment related,Y,Y,95,0:01:00,5
2021-01-02,14:05:00,Jim,Streaming,N,N,,,
2021-01-02,16:30:10,Diane,Admin Support,Y,N,61,2:36,1
2021-01-03,8:00:00,Greg,Streaming,Y,Y,24,0:10:00,4
"""
# by hand: 8 calls (the two identical 10:00:29 calls stay two); resolved Y: 5, N: 3;
# satisfaction 3,3,4,5,5,1,4 on 1-5 (one blank): top-2-box 4 of 7


def _calls(folder: Path, text: str = CALLS, name: str = "calls.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_call_centre_export_loads_as_tickets(tmp_path: Path, store: Store) -> None:
    report = load(store, _calls(tmp_path), IngestOptions("tickets"))
    assert (report.status, report.rows_loaded) == ("loaded", 8), report.message
    mapping = report.mapping
    assert (mapping["Call Date"], mapping["Resolved"], mapping["Satisfaction rating"]) == (
        "opened_at", "resolved", "csat")
    assert "Call Time" not in mapping  # read into Call Date, not kept as a text column
    assert report.plan["synthetic_key"] is True
    assert store.query("SELECT min(opened_at), max(opened_at), count(DISTINCT ticket_id) "
                       "FROM tickets") == [(dt.datetime(2021, 1, 1, 9, 12, 58),
                                            dt.datetime(2021, 1, 3, 8, 0), 8)]
    assert store.query("SELECT resolved, count(*) FROM tickets GROUP BY 1 ORDER BY 1") == [
        (False, 3), (True, 5)]
    # H:MM:SS and MM:SS talk times as durations in hours: 0:02:23 = 143 s, 2:36 = 156 s
    talk = dict(store.query("SELECT agent || ' ' || strftime(opened_at, '%H:%M'), "
                            "avg_talk_duration * 3600 FROM tickets WHERE agent = 'Diane'"))
    assert talk == pytest.approx({"Diane 09:12": 143.0, "Diane 16:30": 156.0})
    kinds = dict(store.query("SELECT field, kind FROM field_catalog"))
    assert kinds["avg_talk_duration"] == "measure" and kinds["topic"] == "dimension"


def test_resolved_without_time_is_out_of_time_metrics(tmp_path: Path, store: Store) -> None:
    load(store, _calls(tmp_path), IngestOptions("tickets"))
    engine = Engine(store, load_settings())
    km = engine.sufficient(MetricQuery("ttr_median"))  # (t, events, censored, excluded) rows
    # the 5 resolved calls have no time: excluded, never censored as if still open (before: 8
    # censored); the 3 unresolved ones are censored at their age at the latest call, 2021-01-03
    # 08:00: 46.78 h (01-01 09:12:58), 17.92 h (01-02 14:05), 15.50 h (01-02 16:30:10)
    assert (km["events"].sum(), km["censored"].sum(), km["excluded"].sum()) == (0, 3, 5)
    assert sorted(km["t"].dropna().round(2)) == [15.5, 17.92, 46.78]
    frt = engine.sufficient(MetricQuery("frt_median")).iloc[0]
    assert (frt["n"], frt["waiting"]) == (0, 3)  # before: 8 waiting (resolved calls included)
    csat = engine.run(MetricQuery("ticket_csat")).rows.iloc[0]
    assert (csat["value"], csat["n"]) == (pytest.approx(4 / 7), 7)


def test_declared_date_time_pair_and_ordinary_headers(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("Response ID,Date,Time,NPS\nr1,03/02/2024,17:45,9\nr2,25/02/2024,08:05,6\n",
                    encoding="utf-8")
    assert load(store, path, IngestOptions("responses")).rows_loaded == 2
    odd = tmp_path / "odd.csv"
    odd.write_text("Response ID,Day,Clock,NPS\nr3,2024-03-01,7:30 PM,10\n", encoding="utf-8")
    report = load(store, odd, IngestOptions("responses", date_time=(("Day", "Clock"),),
                                            mapping={"Day": "submitted_at"}))
    assert report.rows_loaded == 1, report.message
    assert store.query("SELECT response_id, submitted_at FROM responses ORDER BY 1") == [
        ("r1", dt.datetime(2024, 2, 3, 17, 45)), ("r2", dt.datetime(2024, 2, 25, 8, 5)),
        ("r3", dt.datetime(2024, 3, 1, 19, 30))]
    kept = tmp_path / "kept.csv"  # a time column the user maps on purpose stays a column
    kept.write_text("Response ID,Date,Time,NPS\nr4,2024-03-02,17:45,9\n", encoding="utf-8")
    report = load(store, kept, IngestOptions("responses", mapping={"Time": "local_time"}))
    assert report.mapping["Time"] == "local_time", report.message
    assert store.scalar("SELECT submitted_at FROM responses WHERE response_id = 'r4'") == \
        dt.datetime(2024, 3, 2)


def test_tenure_in_years_is_stored_in_months(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Customer ID,Tenure,Tenure (years)\nc1,2,1.5\nc2,0.5,3\n", encoding="utf-8")
    report = load(store, path, IngestOptions("customers", units={"Tenure": "years"},
                                             mapping={"Tenure (years)": "tenure_years_copy"}))
    assert report.rows_loaded == 2, report.message
    assert store.query("SELECT customer_id, tenure_months FROM customers ORDER BY 1") == [
        ("c1", 24.0), ("c2", 6.0)]
    auto = tmp_path / "auto.csv"
    auto.write_text("Customer ID,Tenure (years)\nc3,1.5\n", encoding="utf-8")
    assert load(store, auto, IngestOptions("customers")).rows_loaded == 1
    assert store.scalar("SELECT tenure_months FROM customers WHERE customer_id = 'c3'") == 18.0
    wrong = load(store, auto, IngestOptions("customers", units={"Tenure (years)": "minutes"},
                                            replace=True))
    assert wrong.refused and "tenure is in years or months" in wrong.message


SURVEY = ("Likelihood to recommend,Region,Comment\n" + "".join(
    f"{score},{region},\n" for score, region in [
        (10, "North"), (9, "North"), (9, "South"), (10, "South"), (9, "South"),
        (8, "North"), (7, "South"), (3, "North"), (6, "South"), (0, "North")]))
# by hand: 5 promoters, 2 passives, 3 detractors of 10 -> NPS = 50% - 30% = 20 points


def test_survey_without_date_is_a_choice_not_a_flag(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    refused = load(store, path, IngestOptions("responses"))
    assert refused.refused and refused.problem is not None
    problem = refused.problem
    assert (problem.code, problem.field, problem.choices) == (
        MISSING_FIELD, "submitted_at", (MAP_COLUMN, ONE_DATE))
    assert "--" not in refused.message and "submitted_at" in refused.message
    shown = preview(path, IngestOptions("responses"))
    assert shown.problem_detail == problem and shown.problem == problem.message
    report = load(store, path, IngestOptions("responses", date=dt.date(2024, 6, 3)))
    assert report.rows_loaded == 10, report.message
    nps = Engine(store, load_settings()).run(MetricQuery("nps")).rows.iloc[0]
    assert (nps["value"], nps["n"]) == (pytest.approx(20.0), 10)


def test_cli_end_to_end(tmp_path: Path, run_cli: CliRunner, store: Store) -> None:
    calls = _calls(tmp_path)
    code, out = run_cli("ingest", calls, "--table", "tickets")
    assert (code, out["rows_loaded"], out["rows_read"]) == (0, 8, 8)
    code, out = run_cli("ingest", calls, "--table", "tickets")
    assert code == 1 and "--replace" in out["error"]
    header, *rows = CALLS.splitlines()
    reordered = _calls(tmp_path, "\n".join([header, *reversed(rows)]) + "\n", "again.csv")
    code, out = run_cli("ingest", reordered, "--table", "tickets")
    assert (code, out["rows_loaded"], out["rows_duplicate"]) == (0, 0, 8)
    survey = tmp_path / "survey.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    code, out = run_cli("ingest", survey, "--table", "responses")
    assert code == 1 and "--date YYYY-MM-DD" in out["error"] and "--map" in out["error"]
    assert out["problem"]["field"] == "submitted_at"
    code, out = run_cli("ingest", survey, "--table", "responses", "--date", "2024-06-03")
    assert (code, out["rows_loaded"]) == (0, 10)
    assert store.query("SELECT count(*), count(DISTINCT submitted_at) FROM responses") == [
        (10, 1)]
