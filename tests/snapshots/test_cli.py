"""`python -m cx snapshot`: JSON summary, exports, refusals with clear messages."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from cx.cli import main
from cx.snapshots.pdf import find_chromium
from tests.snapshots.conftest import BAD_WEEK, FLAT_WEEK


def _run(argv: list[str]) -> tuple[int, dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([*argv, "--json"])
    return code, json.loads(out.getvalue())


def test_json_summary_and_html_export(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "w42.html"
    code, data = _run(["snapshot", "--week", "2026-w42", "--db", str(db), "--out", str(out)])
    assert code == 0 and data["week"] == "2026-W42" and data["built"] is True
    csat = next(m for m in data["metrics"] if m["name"] == "csat")
    assert (csat["n"], round(csat["value"], 4), round(csat["change"], 4)) == (162, 0.6296, -0.2337)
    assert csat["significant"] is True and csat["control"] == "below the lower limit"
    assert data["restated"] == [] and len(data["batch_ids"]) == 3
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, again = _run(["snapshot", "--week", "2026-W42", "--db", str(db)])
    assert again["built"] is False and again["payload_sha256"] == data["payload_sha256"]


def test_flat_week_summary(db: Path) -> None:
    code, data = _run(["snapshot", "--week", str(FLAT_WEEK), "--db", str(db)])
    assert code == 0
    assert [m["name"] for m in data["metrics"] if m["significant"]] == []


@pytest.mark.parametrize(("argv", "message"), [
    (["--week", "2026-W99"], "--week: 2026 has ISO weeks 1 to 53, not 99"),
    (["--week", "last"], "--week: 'last' is not an ISO week like 2026-W47"),
    (["--week", "2030-W01"], "2030-W01 is not complete yet: it ends on Sunday 06 Jan 2030"),
    (["--week", "2020-W01"], "2020-W01 has no survey answers and no tickets; nothing to snapshot"),
    (["--week", "2026-W42", "--out", "x.docx"], "the file name must end in .html or .pdf"),
])
def test_refusals(db: Path, argv: list[str], message: str,
                  capsys: pytest.CaptureFixture) -> None:
    code = main(["snapshot", "--db", str(db), *argv])
    assert code == 1
    assert message in capsys.readouterr().err


def test_pdf_without_chromium_says_what_to_do(db: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("CX_CHROMIUM", str(tmp_path / "no-such-browser"))
    code = main(["snapshot", "--week", str(BAD_WEEK), "--db", str(db), "--out",
                 str(tmp_path / "w.pdf")])
    assert code == 1
    err = capsys.readouterr().err
    assert "PDF export needs Chromium, which was not found" in err and "apt-get install" in err
    assert not (tmp_path / "w.pdf").exists()


def test_pdf_has_the_headline_numbers_on_page_one(db: Path, tmp_path: Path) -> None:
    if find_chromium() is None:
        pytest.skip("no Chromium on this machine (CI installs Debian's chromium)")
    from pypdf import PdfReader

    out = tmp_path / "w42.pdf"
    code, data = _run(["snapshot", "--week", str(BAD_WEEK), "--db", str(db), "--out", str(out)])
    assert code == 0 and data["out"] == str(out.resolve())
    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "CX weekly snapshot 2026-W42" in first
    # headline values as the page shows them: NPS 26, CSAT 63.0% (n 162), change -23.4 pp
    for text in ("NPS 26 11 to 40 114", "CSAT (top-2-box) 63.0% 55.3% to 70.0% 162 86.3% -23.4 pp",
                 "below the lower limit", "CES mean 5.05"):
        assert text in first, text
