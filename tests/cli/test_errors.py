"""Every command fed bad arguments: exit 2 (usage) or 1 (refused), one line on stderr, no
traceback; an unexpected failure becomes one line with an error id, its traceback goes to a log."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cx.cli import build_parser, main
from cx.cli.base import LOG_NAME

ROOT = Path(__file__).resolve().parents[2]
CSV = "{tmp}/answers.csv"
# (arguments, exit code). {tmp} is the test's folder; answers.csv holds a header and one row.
CASES: list[tuple[str, int]] = [
    ("--no-such-flag", 2), ("nosuchcommand", 2),
    ("demo --scale abc", 2), ("demo --scale -1", 1), ("demo --end 2026-13-45", 1),
    ("demo --seed x", 2),
    ("users", 2), ("users add", 2), ("users add bad//name --role admin", 1),
    ("users add okname --role wizard", 2), ("users remove nobody", 1), ("users list --zzz", 2),
    ("groups", 2), ("groups map admins wizard", 2), ("groups map", 2),
    ("groups unmap nosuchgroup", 1), ("groups list --zzz", 2),
    ("users scope alice --where colour=red", 1), ("users scope alice", 1),
    ("users scope --where region=Europe", 1), ("metric nps --as-user nobody", 1),
    ("snapshot --as-user nobody", 1),
    ("metric", 2), ("metric nosuchmetric", 1), ("metric nps --by nosuchfield", 1),
    ("metric nps --where nosuchfield=1", 1), ("metric nps --where broken", 1),
    ("metric nps --from 2026-02-30", 1), ("metric nps --to yesterday", 1),
    ("metric nps --from 2026-05-01 --to 2026-01-01", 1), ("metric nps --grain fortnight", 2),
    ("metric nps --as-of notatime", 1), ("metric nps --interval nosuch", 2),
    ("snapshot --week 2026-W99", 1), ("snapshot --week banana", 1),
    ("snapshot --out {tmp}/x.txt", 1), ("snapshot --email notanaddress", 1),
    ("ingest {tmp}/missing.csv --table responses", 1), (f"ingest {CSV} --table nosuch", 2),
    (f"ingest {CSV} --table responses --map broken", 1),
    (f"ingest {CSV} --table responses --scale csat=abc", 1),
    (f"ingest {CSV} --table responses --date notadate", 1),
    (f"ingest {CSV} --table responses --unit x=lightyears", 1),
    (f"ingest {CSV} --table responses --encoding no-such-codec", 2), ("ingest {tmp}", 2),
    ("ingest {tmp} --table responses", 1),
    ("batches --zzz", 2), ("rollback", 2), ("rollback nosuchbatch", 1),
    ("analyze", 2), ("analyze segments --metric nosuch --by channel", 1),
    ("analyze segments --metric nps --by nosuch", 1),
    ("analyze segments --metric nps --by channel --where bad", 1),
    ("analyze segments --metric nps --by channel --from 2026-99-01", 1),
    ("analyze correlation --x nosuch", 1), ("analyze correlation --method nosuch", 2),
    ("analyze drivers --outcome nosuch", 1), ("analyze drivers --outcome csat --seed x", 2),
    ("analyze trend --metric nosuch", 1), ("analyze trend --metric nps --grain x", 2),
    ("bench --rows abc", 2), ("bench --rows 10", 1),
    ("text", 2), ("text rebuild --chunk abc", 2), ("text rebuild --chunk 0", 1),
    ("text themes nosuch", 2), ("text themes add billing", 1),
    ("text themes add x --lang english --terms a", 1), ("text themes accept first", 1),
    ("text bench --comments x", 2), ("text bench --comments 0", 1),
    ("text top --metric nosuch", 2), ("text top --where bad", 1),
    ("text emerging --week 2026-11-10", 1), ("text emerging --week banana", 1),
    ("--db {tmp} metric nps", 1),
]


def _run(line: str, tmp: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    (tmp / "answers.csv").write_text("response_id,submitted_at,nps\nr1,2026-01-05,9\n")
    try:
        code = main(line.format(tmp=tmp).split())
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    return int(code), capsys.readouterr().err


def _commands() -> set[str]:
    """Every command and sub-command the parser knows, as 'users add', 'analyze trend', …"""
    def walk(parser: object, prefix: str) -> set[str]:
        subs = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
        if not subs:
            return {prefix.strip()}
        return {n for name, p in subs[0].choices.items() for n in walk(p, f"{prefix} {name}")}
    return walk(build_parser(), "")


def test_every_command_has_a_bad_argument_case() -> None:
    covered = {" ".join(w for w in line.split()[:2] if not w.startswith(("-", "{")))
               for line, _ in CASES}
    missing = _commands() - covered
    assert not missing, f"add a bad-argument case for: {sorted(missing)}"


@pytest.mark.parametrize(("line", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_arguments_give_one_line_and_the_exit_code(
        line: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got, err = _run(line, tmp_path, capsys)
    assert got == code, err
    assert "Traceback" not in err and err.endswith("\n") and err.count("\n") == 1, err
    assert "error:" in err


def test_an_unexpected_failure_is_one_line_with_an_id_and_a_logged_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from cx.cli import metric

    leak = "SELECT secret FROM users"
    monkeypatch.setattr(metric, "build_query", lambda args: (_ for _ in ()).throw(
        RuntimeError(leak)))
    db = tmp_path / "cx.duckdb"
    assert main(["--db", str(db), "metric", "nps"]) == 1
    err = capsys.readouterr().err
    found = re.fullmatch(r"error: unexpected RuntimeError \(error id ([0-9a-f]{8})\); details in "
                         r"(.+)\n", err)
    assert found and leak not in err, err
    log = tmp_path / LOG_NAME
    assert found.group(2) == str(log) and os.stat(log).st_mode & 0o777 == 0o600
    text = log.read_text(encoding="utf-8")
    assert f"error id {found.group(1)}" in text and "Traceback" in text and leak in text


def test_python_dash_m_cx_prints_no_traceback(tmp_path: Path) -> None:
    """The real entry point, as a shell or cron runs it."""
    (tmp_path / "a.csv").write_text("response_id,submitted_at,nps\nr1,2026-01-05,9\n")
    out = subprocess.run([sys.executable, "-m", "cx", "--db", str(tmp_path / "cx.duckdb"),
                          "ingest", str(tmp_path / "a.csv"), "--table", "responses",
                          "--encoding", "no-such-codec"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    # a usage error since the codec is checked while parsing: one line, naming the bad value
    assert out.stderr.count("\n") == 1 and "'no-such-codec': no such encoding" in out.stderr, \
        out.stderr
