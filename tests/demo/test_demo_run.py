"""`launchready demo` end to end: a real subprocess, real servers on loopback, real git."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from launchready.commands import COMMANDS
from launchready.demo.server import port_open
from launchready.demo.values import SEED_ENV, make_values

SEED = 424242
REPORT_FILES = ("report.json", "junit.xml", "results.sarif", "report.html")


def _env(tmp: Path) -> dict[str, str]:
    scratch = tmp / "scratch"
    scratch.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.update({SEED_ENV: str(SEED), "TMPDIR": str(scratch), "CI": "1"})
    return env


def _demo(tmp: Path, *args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", "demo", *args],
        cwd=tmp,
        env=_env(tmp),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return proc, time.monotonic() - start


def _rows(report: dict[str, Any]) -> dict[str, str]:
    return {r["row"]: r["state"] for r in report["scorecard"]}


def _assert_no_raw_secret(texts: list[str]) -> None:
    values = make_values(SEED)
    for raw in values.raw():
        for text in texts:
            assert raw not in text


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str], float]:
    tmp = tmp_path_factory.mktemp("demo-flawed")
    proc, elapsed = _demo(tmp)
    return tmp, proc, elapsed


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str], float]:
    tmp = tmp_path_factory.mktemp("demo-fixed")
    proc, elapsed = _demo(tmp, "--fixed", "--out", "out")
    return tmp, proc, elapsed


def test_flawed_demo_fails_fast_and_writes_every_report(flawed: tuple[Path, Any, float]) -> None:
    tmp, proc, elapsed = flawed
    assert proc.returncode == 1, proc.stderr
    assert elapsed < 30
    out_dir = tmp / "launchready-report"
    for name in REPORT_FILES:
        assert (out_dir / name).is_file(), name
    report = json.loads((out_dir / "report.json").read_text())
    assert report["command"] == "demo"
    assert "Launch scorecard" in proc.stdout
    texts = [proc.stdout, proc.stderr] + [(out_dir / n).read_text() for n in REPORT_FILES]
    _assert_no_raw_secret(texts)
    # servers and the temporary directory are gone
    assert list((tmp / "scratch").iterdir()) == []


def test_demo_report_names_no_deleted_directory_and_its_request_counts_agree(flawed: tuple[Path, Any, float]) -> None:
    tmp, proc, _ = flawed
    report = json.loads((tmp / "launchready-report" / "report.json").read_text())
    # the demo repository is deleted on exit: root must not name it (nor any path)
    assert not Path(report["root"]).is_absolute() and "--keep-repo" in report["root"]
    assert str(tmp / "scratch") not in (tmp / "launchready-report" / "report.json").read_text()
    # the live note's total is the summary's requests_sent, with its parts adding up
    [note] = [ln for ln in proc.stdout.splitlines() if ln.startswith("note: live:")]
    m = re.search(
        r"live: (\d+) request\(s\) sent: (\d+) HTTP request\(s\)/TLS handshake\(s\) to 1 target\(s\)(?: \+ (\d+) DNS)?",
        note,
    )
    assert m is not None, note
    total, http, dns = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    assert total == http + dns
    # other stages (the journey) send requests too: a note gives the summary's total and its parts
    parts = re.search(r"^note: requests: (\d+) sent in all \((.*)\)$", proc.stdout, re.M)
    if parts is None:
        assert total == report["summary"]["requests_sent"]
    else:
        counts = dict(p.rsplit(" ", 1) for p in parts.group(2).split(", "))
        assert int(parts.group(1)) == report["summary"]["requests_sent"] == sum(int(v) for v in counts.values())
        assert int(counts["live"]) == total


def test_flawed_demo_finds_each_planted_repo_flaw(flawed: tuple[Path, Any, float]) -> None:
    tmp, _, _ = flawed
    report = json.loads((tmp / "launchready-report" / "report.json").read_text())
    findings = report["findings"]
    by_path: dict[str, set[str]] = {}
    for f in findings:
        by_path.setdefault(f["path"], set()).add(f["rule_id"])
        assert f["secret"] is None or "…" in f["secret"] or "redacted" in f["secret"]
    # the staged secret (what the pre-commit hook blocks)
    assert "secret.github-pat-classic" in by_path["scripts/seed_admin.py"]
    # the committed .env
    assert any(r.startswith("secret.openai") for r in by_path[".env"])
    # the deleted secret still alive in history
    if "history" in COMMANDS:
        gone = [f for f in findings if f["rule_id"] == "secret.stripe-secret-key"]
        assert gone and gone[0]["commit"] and gone[0]["present_at_head"] is False
    # the .env problems: committed and not ignored; a key behind VITE_
    assert any(r.startswith("env.") for r in by_path[".env"])
    assert any(r.startswith("env.") for r in by_path["web/.env"])
    # the leaky build bundle: a key in the shipped JS, a shipped source map
    assert any(r.startswith("secret.") for r in by_path["dist/static/app.js"])
    assert any(r.startswith("build.") for r in by_path["dist/static/app.js.map"])
    # code-level flaws in the app
    main = by_path["app/main.py"]
    for prefix in ("repo.cors", "repo.debug", "repo.logging", "repo.ratelimit"):
        assert any(r.startswith(prefix) for r in main), prefix
    rows = _rows(report)
    for row in ("Secret handling", "CORS", "Logging hygiene"):
        assert rows[row] == "fail", row


LIVE_ROWS = (
    "Auth boundaries",
    "Rate limits",
    "CORS",
    "TLS, redirects and headers",
    "Input validation and exposure",
    "Performance",
    "Monitoring readiness",
)
LIVE_IDS = (
    "authz.cross-user",
    "ratelimit.burst",
    "cors.arbitrary-origin",
    "hsts.present",
    "exposure.env-file",
    "bundle.secret",
    "input.malformed-json",
    "latency.p95",
    "redirect.https",
    "monitoring.health",
)


def test_flawed_demo_live_checks_fail_where_planted(flawed: tuple[Path, Any, float]) -> None:
    tmp, _, _ = flawed
    report = json.loads((tmp / "launchready-report" / "report.json").read_text())
    rows = _rows(report)
    for row in LIVE_ROWS:
        assert rows[row] == "fail", row
    failed = {c["id"] for c in report["checks"] if c["status"] == "fail"}
    for check_id in LIVE_IDS:
        assert check_id in failed, check_id
    slow = [c for c in report["checks"] if c["id"] == "latency.p95" and c["status"] == "fail"]
    assert [c["target"].rsplit("/", 1)[-1] for c in slow] == ["history"]  # only the slow endpoint
    assert report["summary"]["requests_sent"] > 0


def test_flawed_demo_email_fails_on_spf_and_dmarc(flawed: tuple[Path, Any, float]) -> None:
    tmp, _, _ = flawed
    report = json.loads((tmp / "launchready-report" / "report.json").read_text())
    email = [c for c in report["checks"] if c["id"].startswith("email.")]
    assert email, "no email checks ran"
    assert _rows(report)["Email authentication"] == "fail"
    failed = {c["id"] for c in email if c["status"] == "fail"}
    assert any(i.startswith("email.spf") for i in failed)
    assert any(i.startswith("email.dmarc") for i in failed)


def test_fixed_demo_is_clean(fixed: tuple[Path, Any, float]) -> None:
    tmp, proc, elapsed = fixed
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert elapsed < 30
    report = json.loads((tmp / "out" / "report.json").read_text())
    assert report["findings"] == []
    bad = [c for c in report["checks"] if c["status"] in ("fail", "error")]
    assert bad == []
    for c in report["checks"]:
        if c["status"] in ("warn", "skip"):
            assert c["message"], c  # each with its reason
    rows = _rows(report)
    assert "fail" not in rows.values()
    assert rows["Secret handling"] == "pass"
    if "live" in COMMANDS:
        for row in (*LIVE_ROWS, "Email authentication"):
            assert rows[row] in ("pass", "warn"), row  # judged, not "not checked"
    _assert_no_raw_secret([proc.stdout, proc.stderr])
    assert list((tmp / "scratch").iterdir()) == []


def _ports(stderr_line: str) -> list[int]:
    # "  deployment: https://app.demo-chat.test:PORT (HTTPS) http://app.demo-chat.test:PORT (plain HTTP) dns 127.0.0.1:PORT"
    ports = []
    for word in stderr_line.split():
        tail = word.rsplit(":", 1)[-1]
        if tail.isdigit():
            ports.append(int(tail))
    return ports


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start(tmp: Path, *args: str, background: bool = False) -> tuple[subprocess.Popen[str], list[int]]:
    """``background``: start it the way a non-interactive shell starts ``cmd &`` (SIGINT
    ignored on entry), which is how CI runners often launch processes."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "launchready", "demo", *args],
        cwd=tmp,
        env=_env(tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_sigint if background else None,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "deployment:" in line:
            ports = _ports(line)
            assert len(ports) == 3, line
            return proc, ports
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError("the demo never announced its deployment")


@pytest.mark.parametrize("background", [False, True], ids=["foreground", "sigint-ignored-on-entry"])
def test_ctrl_c_while_serving_stops_servers_and_removes_temp_dirs(tmp_path: Path, background: bool) -> None:
    proc, ports = _start(tmp_path, "--serve", background=background)
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the checks are done and it serves
        if "serving until Ctrl-C" in proc.stderr.readline():
            break
    assert all(port_open(p) for p in ports[:2])
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=15)
    assert proc.returncode == 1  # the flawed verdict, after a clean stop
    assert not any(port_open(p) for p in ports[:2])
    assert list((tmp_path / "scratch").iterdir()) == []


def test_ctrl_c_mid_run_cleans_up(tmp_path: Path) -> None:
    proc, ports = _start(tmp_path)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)
    # The repository and every stage still lie ahead when the deployment is announced.
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert not any(port_open(p) for p in ports[:2])
    assert list((tmp_path / "scratch").iterdir()) == []


def test_sigterm_cleans_up_too(tmp_path: Path) -> None:
    proc, ports = _start(tmp_path, "--serve", "--fixed")
    assert proc.stderr is not None
    while "serving until Ctrl-C" not in proc.stderr.readline():
        pass
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=15)
    assert not any(port_open(p) for p in ports[:2])
    assert list((tmp_path / "scratch").iterdir()) == []
