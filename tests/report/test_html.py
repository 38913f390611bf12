"""The HTML report: self-contained, escaped, redacted, and readable in a real browser.

The browser test runs Debian's ``chromium`` headless at a phone's size (390x844): it keeps the
screenshot under ``test-artifacts/`` and checks the rendered DOM and the pixels a person sees.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from launchready.demo.keygen import KeyGen
from launchready.model import Finding, Report, Severity
from launchready.report import Options
from launchready.report.html import render

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(doc: str) -> _Collect:
    p = _Collect()
    p.feed(doc)
    return p


def test_self_contained_and_responsive(mixed_report: Report) -> None:
    doc = render(mixed_report, Options())
    parsed = _parse(doc)
    tags = {t for t, _ in parsed.tags}
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for _tag, attrs in parsed.tags:
        assert "src" not in attrs and "href" not in attrs, attrs
        assert not any(k.startswith("on") for k in attrs), attrs
    assert "@import" not in doc and "url(" not in doc
    assert (
        "meta",
        {"name": "viewport", "content": "width=device-width, initial-scale=1"},
    ) in parsed.tags
    assert "@media (max-width:700px)" in doc
    assert doc.startswith("<!DOCTYPE html>")


def test_everything_is_escaped() -> None:
    r = Report(command="scan", root="<root>")
    r.findings.append(
        Finding(
            rule_id="repo.x",
            severity=Severity.HIGH,
            path='a"><img src=x onerror=alert(1)>.py',
            message="<script>alert(1)</script>",
            fix="use <b>bold</b> & 'quotes'",
            fingerprint="f",
            line=1,
        )
    )
    doc = render(r, Options())
    parsed = _parse(doc)
    assert "script" not in {t for t, _ in parsed.tags}
    assert "img" not in {t for t, _ in parsed.tags}
    assert "b" not in {t for t, _ in parsed.tags}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "use &lt;b&gt;bold&lt;/b&gt; &amp; &#x27;quotes&#x27;" in doc
    assert "&lt;root&gt;" in doc


def test_structure(mixed_report: Report) -> None:
    doc = render(mixed_report, Options())
    text = " ".join(" ".join(_parse(doc).text).split())
    assert "FAIL: 4 finding(s), 5 check(s)" in text
    for row in ("Secret handling", "Backup and recovery", "TLS, redirects and headers"):
        assert row in text
    assert "needs two identities in live.authz" in text
    assert "Fix: Rotate the secret.openai-project-key credential." in text
    assert "Gone from HEAD but still in history" in text
    assert re.search(r'<tr class="row state-fail"><td data-label="Area"><strong>Secret handling', doc)
    assert '<span class="badge s-not-checked">not checked</span>' in doc
    assert "certificate expires in 3 days" in text


# --- the browser --------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _need_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI") or Path("/usr/bin/chromium").exists():
        pytest.fail("chromium is required in CI (.ci/apt-packages.txt installs it)")
    pytest.skip("chromium is not installed (Debian package 'chromium'); CI installs it")


def _chromium(binary: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp / 'chromium-profile'}",
        *args,
    ]
    env = {**os.environ, "HOME": str(tmp)}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, env=env, check=False)


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of RGB triples."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = depth = ctype = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and ctype in (2, 6), (depth, ctype)
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    i = 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        prev = line
        rgb = bytes(line) if bpp == 3 else bytes(v for k, v in enumerate(line) if k % 4 != 3)
        rows.append(rgb)
    return width, height, rows


def _has_colour(rows: list[bytes], rgb: tuple[int, int, int], y_max: int) -> bool:
    needle = bytes(rgb)
    return any(needle in row for row in rows[:y_max])


def test_phone_rendering_in_chromium(repo: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    binary = _need_chromium()
    key = KeyGen(15).openai_project()
    (repo / "app.py").write_text(f'OPENAI_API_KEY = "{key}"\n')
    report = tmp_path / "report.html"
    res = run_cli(["scan", "--html", str(report)], repo)
    assert res.code == 1, res.err
    html_text = report.read_text()
    assert key not in html_text and key[8:40] not in html_text

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-phone.png"
    shot.unlink(missing_ok=True)
    done = _chromium(binary, tmp_path, f"--screenshot={shot}", "--window-size=390,844", report.as_uri())
    assert shot.exists(), done.stderr[-2000:]
    dom = _chromium(binary, tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]

    # What the browser built: the scorecard rows, the finding and its fix, never the secret.
    text = " ".join(" ".join(_parse(dom.stdout).text).split())
    assert "Launch scorecard" in text
    for row in ("Secret handling", "Auth boundaries", "CORS", "Performance", "Backup and recovery"):
        assert row in text, row
    assert "secret.openai-project-key" in text and "app.py" in text
    assert re.search(r"Fix: [^.]*https://platform\.openai\.com/api-keys", text), text
    assert "sk-proj-…" in text
    assert key not in dom.stdout and key[8:40] not in dom.stdout

    # What a person sees on a phone: a 390 px wide page whose first screen shows the red
    # verdict banner, the scorecard's red "fail" badge and the failing row's red edge.
    width, height, rows = _png_pixels(shot.read_bytes())
    assert (width, height) == (390, 844)
    assert _has_colour(rows, (0xFF, 0xEB, 0xE9), 400), "no fail-coloured verdict/badge on the first screen"
    assert _has_colour(rows, (0xB3, 0x26, 0x1E), 844), "no red row edge or fail text"
    # the page is not blank: plenty of distinct colours (text antialiasing)
    assert len({row[i : i + 3] for row in rows[::8] for i in range(0, len(row), 24)}) > 20
    # Scrolling down the same phone-width page: the grey "not checked" badges follow.
    tall = ARTIFACTS / "report-phone-full.png"
    _chromium(binary, tmp_path, f"--screenshot={tall}", "--window-size=390,3000", report.as_uri())
    width, _height, rows = _png_pixels(tall.read_bytes())
    assert width == 390
    assert _has_colour(rows, (0xEA, 0xEE, 0xF2), 3000), "no grey 'not checked' badge"
