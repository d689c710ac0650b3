"""Frozen snapshots: stored once, identical on rebuild, restated (not changed) after uploads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cx.cli import main
from cx.config import Settings
from cx.snapshots import get_or_build, load_snapshot, restated, snapshot_weeks
from cx.snapshots.report import render_html, restated_text
from cx.snapshots.store import save_snapshot
from cx.storage import Store
from tests.snapshots.conftest import BAD_WEEK, NOW


def _rows(store: Store) -> list[tuple]:
    return store.query("SELECT * FROM snapshots ORDER BY week")


def test_building_twice_gives_the_identical_stored_snapshot(store: Store,
                                                             settings: Settings) -> None:
    first, built = get_or_build(store, settings, BAD_WEEK, "cli", now=NOW)
    stored = _rows(store)
    second, built_again = get_or_build(store, settings, BAD_WEEK, "app", now=NOW)
    assert (built, built_again) == (True, False)
    assert second == first and _rows(store) == stored and len(stored) == 1
    assert second.built_by == "cli"  # the first builder's row, untouched
    batches = [r[0] for r in store.query("SELECT batch_id FROM batches ORDER BY batch_id")]
    assert list(first.batch_ids) == batches and len(batches) == 3
    assert snapshot_weeks(store) == [BAD_WEEK]


def test_save_never_overwrites(store: Store, settings: Settings) -> None:
    snap, _ = get_or_build(store, settings, BAD_WEEK, "cli", now=NOW)
    forged = json.loads(json.dumps(snap.payload))
    forged["metrics"][1]["value"] = 0.99
    again, inserted = save_snapshot(store, BAD_WEEK, forged, built_by="cli", tz="UTC",
                                    batch_ids=[], data_through=None)
    assert not inserted and again.payload == snap.payload


def _upload(db: Path, tmp_path: Path) -> dict:
    """Ten unhappy answers inside the snapshot week, uploaded as a user would."""
    csv = tmp_path / "late.csv"
    lines = ["response_id,submitted_at,channel,csat,nps"]
    lines += [f"late-{i},2026-10-14 10:{i:02d}:00,email,1,2" for i in range(10)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return json.loads(_run_json(["ingest", str(csv), "--table", "responses", "--db", str(db)]))


def _run_json(argv: list[str]) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*argv, "--json"])
    assert code == 0, out.getvalue()
    return out.getvalue()


def test_a_later_upload_restates_but_never_changes_the_snapshot(
        db: Path, store: Store, settings: Settings, tmp_path: Path) -> None:
    snap, _ = get_or_build(store, settings, BAD_WEEK, "cli", now=NOW)
    assert restated(store, settings, snap) == []
    report = _upload(db, tmp_path)
    assert report["rows_loaded"] == 10
    stored = load_snapshot(store, BAD_WEEK)
    assert stored == snap  # the reported numbers are frozen
    changes = {r.name: r for r in restated(store, settings, stored)}
    assert set(changes) == {"nps", "csat", "responses"}
    csat = changes["csat"]
    # 102 of 162 satisfied as reported; ten more answers, none satisfied: 102 / 172
    assert (csat.reported_n, csat.restated_n) == (162, 172)
    assert csat.restated == pytest.approx(102 / 172, abs=1e-12)
    assert csat.difference == pytest.approx(102 / 172 - 102 / 162, abs=1e-12)
    assert restated_text(csat) == ("restated: 59.3% (n = 172) instead of the reported 63.0% "
                                   "(n = 162), -3.7 pp")
    assert changes["responses"].difference == 10
    html = render_html(stored, list(changes.values()))
    assert "restated: 59.3% (n = 172)" in html
    # the new batch is not among those the snapshot saw
    assert report["batch_id"] not in stored.batch_ids


def test_default_week_is_the_last_complete_week_with_data(store: Store,
                                                          settings: Settings) -> None:
    from cx.snapshots import default_week
    from tests.snapshots.conftest import END

    assert str(default_week(store, settings, now=NOW)) == "2026-W47"
    # a month later the demo data has nothing in the last complete week: fall back to the data's
    later = dt.datetime.combine(END + dt.timedelta(days=30), dt.time(9))
    assert str(default_week(store, settings, now=later)) == "2026-W47"
