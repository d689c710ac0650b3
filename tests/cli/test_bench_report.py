"""README's performance table from `cx bench pages` JSON: medians over runs, before → after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cx.bench.pages import browser_cpu_seconds, server_cpu_seconds
from cx.bench.report import markdown, page_medians

ROOT = Path(__file__).resolve().parents[2]


def _run(cold: float, warm: float, first: float, rss: float) -> dict:
    return {"first_page_seconds": first, "server_rss_mb": rss, "roles": {"admin": {
        "landing": "overview", "pages": {
            "overview": {"cold_seconds": cold, "warm_seconds": warm},
            "users": {"cold_seconds": cold / 2, "warm_seconds": warm / 2}}}}}


def test_medians_over_runs_per_role_and_page() -> None:
    runs = [_run(3.0, 1.0, 8.0, 400), _run(5.0, 3.0, 6.0, 500), _run(4.0, 0.5, 7.0, 450)]
    medians = page_medians(runs)
    assert medians[("admin", "overview")] == {"cold_seconds": 4.0, "warm_seconds": 1.0}
    assert medians[("admin", "users")] == {"cold_seconds": 2.0, "warm_seconds": 0.5}


def test_cpu_figures_get_their_medians_too() -> None:
    runs = [_run(3.0, 1.0, 8.0, 400), _run(5.0, 3.0, 6.0, 500), _run(4.0, 0.5, 7.0, 450)]
    for run, cpu in zip(runs, (0.9, 0.3, 0.5), strict=True):
        run["roles"]["admin"]["pages"]["overview"].update(warm_server_cpu=cpu,
                                                          warm_browser_cpu=2 * cpu)
    runs[2]["roles"]["admin"]["pages"]["overview"]["warm_browser_cpu"] = None  # not measured
    medians = page_medians(runs)[("admin", "overview")]
    assert (medians["warm_server_cpu"], medians["warm_browser_cpu"]) == (0.5, 1.2)


def test_the_table_shows_before_and_after(tmp_path: Path) -> None:
    after = [_run(2.0, 0.5, 3.0, 300), _run(4.0, 0.7, 5.0, 320)]
    before = [_run(10.0, 2.0, 9.0, 500)]
    lines = markdown(after, before).splitlines()
    assert lines[2] == "| admin | overview | 10.00 → 3.00 | 2.00 → 0.60 |"
    assert lines[3] == "| admin | users | 5.00 → 1.50 | 1.00 → 0.30 |"
    assert lines[4] == "| all | server start to login page drawn | 9.00 → 4.00 s | |"
    assert lines[5] == "| all | server memory at the end | 500.00 → 310.00 MB | |"
    # the command line: files in, the same table out
    files = []
    for i, run in enumerate(after + before):
        files.append(tmp_path / f"run{i}.json")
        files[-1].write_text(json.dumps(run))
    done = subprocess.run([sys.executable, "-m", "cx.bench.report", str(files[0]), str(files[1]),
                           "--before", str(files[2])], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines() == lines


def test_server_cpu_seconds_counts_this_process() -> None:
    before = server_cpu_seconds(os.getpid())
    end = time.process_time() + 0.3
    while time.process_time() < end:  # 0.3 s of CPU, whatever the machine's load
        pass
    assert server_cpu_seconds(os.getpid()) - before >= 0.25
    assert server_cpu_seconds(2**22 + 12345) is None  # no such process


def test_browser_cpu_counts_the_children_but_the_server() -> None:
    burn = ("import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"
            "print('done', flush=True)\ntime.sleep(30)")
    children = [subprocess.Popen([sys.executable, "-c", burn], stdout=subprocess.PIPE, text=True)
                for _ in range(2)]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "done"
        both = browser_cpu_seconds(server_pid=None)
        but_one = browser_cpu_seconds(server_pid=children[0].pid)
        assert both >= 0.75  # two children of 0.4 s CPU each (and their interpreters' start)
        alone = server_cpu_seconds(children[0].pid)
        assert both - but_one == pytest.approx(alone, abs=0.02) and alone >= 0.35
    finally:
        for child in children:
            child.kill()
            child.wait()
