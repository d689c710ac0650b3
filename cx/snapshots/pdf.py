"""HTML report -> PDF with headless Chromium (Debian's /usr/bin/chromium or any on PATH).

Network is off for the print: the report has no external reference and forbids fetches by its
Content-Security-Policy, and Chromium is pointed at a proxy that does not exist, so nothing
could leave the machine even if it tried.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT = 120.0


class PdfUnavailable(RuntimeError):
    """No Chromium on this machine, or it failed to print; the message says what to do."""


def find_chromium() -> str | None:
    """CX_CHROMIUM when set (a path), else the first browser of CANDIDATES on PATH."""
    explicit = os.environ.get("CX_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str, out: Path) -> Path:
    """Print ``html`` to ``out`` (A4 portrait, no header or footer)."""
    browser = find_chromium()
    if browser is None:
        raise PdfUnavailable(
            "PDF export needs Chromium, which was not found on this machine: install it "
            "(Debian/Ubuntu: apt-get install chromium) or set CX_CHROMIUM to its path; "
            "the HTML export (--out FILE.html) works without it.")
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="cx-pdf-") as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", "--no-first-run", "--disable-extensions",
                   "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                   f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                   f"--print-to-pdf={out}", source.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"Chromium ({browser}) could not print the report: {exc}") from exc
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise PdfUnavailable(f"Chromium ({browser}) failed to print the report "
                             f"(exit {done.returncode}): {' | '.join(tail)}")
    return out


def pdf_bytes(html: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="cx-pdf-out-") as tmp:
        return html_to_pdf(html, Path(tmp) / "report.pdf").read_bytes()
