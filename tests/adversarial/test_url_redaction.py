"""Credentials in a live URL (userinfo, ``x-vercel-protection-bypass=``, ``token=``, ``key=``,
``sig=`` ...) never appear in any output: text, JSON, JUnit, HTML, SARIF, errors."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from tests.live.site import Site, html

from launchready import redact

pytestmark = pytest.mark.timeout(60)

SECRETS = {
    "user": "admin",
    "password": "pw",
    "bypass": "byp4ss" + "Q" * 26,
    "token": "t0k" + "W" * 20,
    "key": "k3y" + "E" * 20,
    "sig": "s1g" + "R" * 30,
}


def _url(base: str) -> str:
    scheme, rest = base.split("://", 1)
    return (
        f"{scheme}://{SECRETS['user']}:{SECRETS['password']}@{rest}?x-vercel-protection-bypass={SECRETS['bypass']}"
        f"&token={SECRETS['token']}&api_key={SECRETS['key']}&X-Amz-Signature={SECRETS['sig']}&page=2"
    )


def _leaks(text: str) -> list[str]:
    found = [k for k in ("bypass", "token", "key", "sig") if SECRETS[k] in text]
    if f"{SECRETS['user']}:{SECRETS['password']}@" in text:
        found.append("userinfo")
    return found


def test_credentials_in_the_target_url_are_redacted_in_every_format(run_cli, tmp_path: Path) -> None:
    with Site({"/": html("<p>preview</p>")}) as site:
        outs = {fmt: tmp_path / f"r.{fmt}" for fmt in ("json", "junit", "html", "sarif")}
        args = ["live", "--url", _url(site.url), "--resolve", site.resolve, "--only", "headers", "-v"]
        for fmt, p in outs.items():
            args += [f"--{fmt}", str(p)]
        res = run_cli(args, tmp_path)
        seen = site.log[0]
    assert res.code in (0, 1), res.err
    assert seen.path.startswith("/?x-vercel-protection-bypass=")  # the URL was really used
    texts = {"stdout": res.out, "stderr": res.err, **{f: p.read_text() for f, p in outs.items()}}
    assert {name: _leaks(t) for name, t in texts.items() if _leaks(t)} == {}
    assert "http://[redacted]@app.launchready.test" in texts["json"]
    assert "page=2" in texts["json"]  # ordinary parameters stay readable


def test_credentials_in_a_url_are_redacted_in_errors(run_cli, tmp_path: Path) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens: every check ends in error, with the URL in its message
    res = run_cli(["live", "--url", _url(f"http://127.0.0.1:{port}/"), "--only", "headers", "--json", "-"], tmp_path)
    assert res.code == 1
    assert _leaks(res.out + res.err) == []
    bad = run_cli(["live", "--url", _url("ftp://127.0.0.1/")], tmp_path)
    assert bad.code == 2 and "--url" in bad.err and _leaks(bad.err) == []


@pytest.mark.parametrize(
    "text, want",
    [
        ("http://u:p@h/x", "http://[redacted]@h/x"),
        ("https://h/?sig=abc&x=1", "https://h/?sig=[redacted]&x=1"),
        ("<a href='https://h/?a=1&amp;access_token=zz'>", "<a href='https://h/?a=1&amp;access_token=[redacted]'>"),
        ('{"url": "https://h/?code=c0de"}', '{"url": "https://h/?code=[redacted]"}'),
        ("http://[::1]:8080/?page=2", "http://[::1]:8080/?page=2"),
    ],
)
def test_redact_url(text: str, want: str) -> None:
    assert redact.redact_url(text) == want
