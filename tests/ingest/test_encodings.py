"""Encodings (issue 12 item 1): detected per file with a confidence, or refused naming the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cx.ingest import IngestOptions, load
from cx.storage import Store
from tests.ingest.conftest import CliRunner, fingerprint

HEAD = "Response ID,Submitted At,Comment\n"
GOOD = HEAD + "r0,2024-01-02,fine\n"


def _seed(store: Store, tmp_path: Path) -> dict:
    seed = tmp_path / "seed.csv"
    seed.write_text(GOOD, encoding="utf-8")
    assert load(store, seed, IngestOptions("responses")).rows_loaded == 1
    return fingerprint(store)


def test_shift_jis_loads_as_japanese(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "sjis.csv"
    text = HEAD + "r1,2024-01-02,東京の店舗はとても良かった\nr2,2024-01-03,ありがとうございます\n"
    path.write_bytes(text.encode("shift_jis"))
    report = load(store, path, IngestOptions("responses"))
    assert report.rows_loaded == 2, report.message
    assert report.plan["encoding"] == "cp932"  # Windows' Shift-JIS, a superset
    assert report.plan["encoding_confidence"] > 0.9
    assert store.query("SELECT comment FROM responses ORDER BY response_id") == [
        ("東京の店舗はとても良かった",), ("ありがとうございます",)]


def test_one_latin1_line_in_utf8_is_refused_naming_it(tmp_path: Path, store: Store,
                                                       run_cli: CliRunner) -> None:
    before = _seed(store, tmp_path)
    path = tmp_path / "mixed.csv"
    body = (HEAD + "r1,2024-01-02,naïve\n").encode("utf-8") + \
        "r2,2024-01-03,café\n".encode("latin-1") + "r3,2024-01-04,ok\n".encode("utf-8")
    path.write_bytes(body)
    code, out = run_cli("ingest", path, "--table", "responses")
    assert code == 1
    assert "line 3 (column 3, Comment) is not UTF-8" in out["error"]
    assert "mixes two text encodings" in out["error"]
    assert fingerprint(store) == before
    code, out = run_cli("ingest", path, "--table", "responses", "--encoding", "cp1252")
    assert code == 0, out  # the user's declared encoding is honoured
    assert store.scalar("SELECT comment FROM responses WHERE response_id = 'r2'") == "café"


def test_unknown_codec_is_a_usage_error(tmp_path: Path, run_cli: CliRunner, store: Store,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    before = _seed(store, tmp_path)
    path = tmp_path / "good.csv"
    path.write_text(GOOD.replace("r0", "r9"), encoding="utf-8")
    with pytest.raises(SystemExit) as stop:  # argparse's usage error
        run_cli("ingest", path, "--table", "responses", "--encoding", "no-such-codec")
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "argument --encoding: 'no-such-codec': no such encoding" in err
    assert "Traceback" not in err
    assert fingerprint(store) == before
    with pytest.raises(ValueError, match="no such encoding"):  # the page's door says the same
        IngestOptions("responses", encoding="no-such-codec")


def test_nul_byte_after_64_kb_is_refused(tmp_path: Path, store: Store,
                                         run_cli: CliRunner) -> None:
    before = _seed(store, tmp_path)
    rows = "".join(f"r{i},2024-01-02,{'x' * 60}\n" for i in range(1, 2001))  # ~150 KB
    path = tmp_path / "nul.csv"
    path.write_bytes((HEAD + rows).encode() + b"r9999,2024-01-02,a\x00b\n")
    code, out = run_cli("ingest", path, "--table", "responses")
    assert code == 1
    assert "line 2002 holds a NUL byte" in out["error"]
    assert fingerprint(store) == before
