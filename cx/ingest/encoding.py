"""Which encoding a text file is in, decided per file with a confidence, or a refusal saying where.

Why a whole-file scan: a NUL byte or one Latin-1 line can sit anywhere, so looking at the first
64 KB let both through (issue 12). One streamed pass finds: is the file clean UTF-8; the first
line that is not; whether it also holds real UTF-8 text (then it is a mix of two encodings and is
refused naming that line); the first NUL byte; and a sample of the lines with non-ASCII bytes,
from which charset-normalizer guesses a legacy encoding (Shift-JIS, CP-1251, CP-1252, ...).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

_BLOCK = 1 << 20
_SAMPLE_BYTES = 1 << 16
# Legacy encodings worth telling apart; CP-932 is Windows' Shift-JIS (a superset of it).
_CANDIDATES = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
               "cp932", "euc_jp", "gb18030", "big5", "euc_kr", "koi8_r"]
_MULTIBYTE = {"cp932", "shift_jis", "euc_jp", "gb18030", "gb2312", "big5", "euc_kr", "cp949"}


class EncodingRefused(ValueError):
    """The file's bytes are not cleanly one text encoding; the message names the line."""


@dataclass
class Scan:
    """What one pass over the bytes found (line numbers count from 1, the header line)."""

    utf8: bool = True
    has_utf8_text: bool = False  # valid non-ASCII UTF-8 somewhere
    bad_line: int | None = None  # first line that is not UTF-8
    bad_prefix: bytes = b""  # that line up to the bad byte
    nul_line: int | None = None
    header: bytes = b""
    sample: list[bytes] = field(default_factory=list)

    def keep(self, line: bytes) -> None:
        if sum(map(len, self.sample)) < _SAMPLE_BYTES:
            self.sample.append(line)


@dataclass(frozen=True)
class Detected:
    encoding: str  # a Python codec name
    confidence: float  # 1.0 for clean UTF-8; else 1 - charset-normalizer's mess ratio


def scan(path: Path) -> Scan:
    """Stream the file once, a block of whole lines at a time."""
    out, lines, rest = Scan(), 0, b""
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_BLOCK)
            block = rest + chunk
            cut = block.rfind(b"\n") + 1 if chunk else len(block)
            block, rest = block[:cut], block[cut:]
            _scan_block(out, block, lines)
            lines += block.count(b"\n")
            if not chunk or out.nul_line is not None:
                return out


def _scan_block(out: Scan, block: bytes, lines: int) -> None:
    if not out.header:
        out.header = block.split(b"\n", 1)[0]
    nul = block.find(b"\x00")
    if nul >= 0:
        out.nul_line = lines + block.count(b"\n", 0, nul) + 1
    if block.isascii():
        return
    try:
        block.decode("utf-8")
        out.has_utf8_text = True
        return
    except UnicodeDecodeError:
        out.utf8 = False
    for number, line in enumerate(block.split(b"\n"), start=lines + 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            out.has_utf8_text = True
        except UnicodeDecodeError as exc:
            if out.bad_line is None:
                out.bad_line, out.bad_prefix = number, line[:exc.start]
            out.keep(line)


def detect(path: Path, found: Scan) -> Detected:
    """UTF-8 when clean; a refusal when UTF-8 text is mixed with other bytes; else a guess."""
    if found.utf8:
        return Detected("utf-8", 1.0)
    if found.has_utf8_text:
        raise EncodingRefused(
            f"{path.name}: {where(found)} is not UTF-8, but the rest of the file is: it mixes two "
            "text encodings. Save the file again as UTF-8, or declare one encoding for the whole "
            "file with --encoding (e.g. cp1252)")
    sample = b"\n".join(found.sample)
    best = from_bytes(sample, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise EncodingRefused(
            f"{path.name}: {where(found)} is not UTF-8 and no common encoding reads the file "
            "cleanly; save it as UTF-8, or declare its encoding with --encoding")
    name = codecs.lookup(best.encoding).name
    confidence = round(1.0 - float(best.chaos), 3)
    if name not in _MULTIBYTE and _same_text(sample, name, "cp1252"):
        name = "cp1252"  # Western files: the code pages agree on every byte here; Excel's default
    return Detected(name, confidence)


def _same_text(data: bytes, first: str, second: str) -> bool:
    try:
        return data.decode(first) == data.decode(second)
    except UnicodeDecodeError:
        return False


def where(found: Scan) -> str:
    """'line 3 (column 2, Comment)' when the delimiter can be told from the header."""
    text = f"line {found.bad_line}"
    header = found.header.decode("utf-8", "replace")
    delim = max(",;\t|", key=header.count)
    if header.count(delim) == 0 or b'"' in found.bad_prefix:
        return text
    index = found.bad_prefix.count(delim.encode())
    names = header.split(delim)
    name = names[index].strip() if index < len(names) else ""
    return f"{text} (column {index + 1}{', ' + name if name else ''})"
