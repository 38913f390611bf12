"""`launchready live` end to end through the CLI against whole loopback deployments."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .apps import deployed


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch):
    def apply(values: dict[str, str]) -> None:
        for k, v in values.items():
            monkeypatch.setenv(k, v)

    return apply


def _checks(report: dict) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    out: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for c in report["checks"]:
        out.setdefault(c["id"], []).append(c)
    return out


def test_good_deployment_passes(tmp_path: Path, run_cli, env) -> None:
    with deployed(tmp_path, flawed=False) as app:
        env(app.env)
        res = run_cli(["live", *app.net_args(), "--json", str(tmp_path / "r.json")], tmp_path)
        sent = len(app.https.log) + len(app.http.log)
    report = json.loads((tmp_path / "r.json").read_text())
    bad = [c for c in report["checks"] if c["status"] in ("fail", "error")]
    assert res.code == 0, (bad, res.err)
    assert report["command"] == "live"
    # handshakes (TLS probes) are counted too, so requests_sent >= HTTP requests seen
    assert sent <= report["summary"]["requests_sent"] <= sent + 12
    ids = {c["id"] for c in report["checks"]}
    for prefix in (
        "tls.",
        "redirect.",
        "hsts.",
        "headers.",
        "cookies.",
        "cdn.",
        "cors.",
        "exposure.",
        "bundle.",
        "input.",
        "ratelimit.",
        "authz.",
        "latency.",
        "monitoring.",
    ):
        assert any(i.startswith(prefix) for i in ids), prefix
    rows = {r["row"]: r["state"] for r in report["scorecard"]}
    assert rows["Auth boundaries"] == "pass" and rows["Rate limits"] == "pass" and rows["CORS"] == "pass"
    assert app.env["LR_E2E_USER_A"] not in res.out + (tmp_path / "r.json").read_text()


def test_flawed_deployment_fails(tmp_path: Path, run_cli, env) -> None:
    with deployed(tmp_path, flawed=True) as app:
        env(app.env)
        res = run_cli(["live", *app.net_args(), "--json", "-", "--junit", str(tmp_path / "j.xml")], tmp_path)
        log = [(r.method, r.path, r.headers.get("authorization", "")) for r in app.https.log]
    assert res.code == 1
    report = json.loads(res.out)
    checks = _checks(report)
    failing = {i for i, cs in checks.items() if any(c["status"] == "fail" for c in cs)}
    for cid in (
        "redirect.https",
        "redirect.sensitive-paths",
        "hsts.present",
        "cookies.secure",
        "cookies.httponly",
        "headers.csp",
        "headers.version-disclosure",
        "cors.arbitrary-origin",
        "cors.null-origin",
        "cors.origin-bypass",
        "exposure.env-file",
        "exposure.source-maps",
        "bundle.secret",
        "input.malformed-json",
        "ratelimit.burst",
        "ratelimit.login-lockout",
        "authz.cross-user",
        "latency.p95",
    ):
        assert cid in failing, (cid, checks.get(cid))
    assert next(c for c in checks["bundle.secret"])["severity"] == "critical"
    assert next(c for c in checks["authz.cross-user"])["severity"] == "critical"
    text = res.out + (tmp_path / "j.xml").read_text()
    assert app.secret not in text and app.secret[8:30] not in text
    assert app.env["LR_E2E_USER_A"] not in text and app.env["LR_E2E_USER_B"] not in text
    # ordering: authorization and input checks before any burst
    first_burst = next(i for i, (m, p, _) in enumerate(log) if p == "/api/login" and m == "POST")
    last_authz = max(i for i, (_, p, _) in enumerate(log) if p == "/api/chats/c_71f3")
    assert last_authz < first_burst
    suite = ET.parse(tmp_path / "j.xml").getroot()
    names = [tc.get("name") or "" for tc in suite.iter("testcase")]
    assert any("bundle.secret" in n for n in names)


def test_dry_run_sends_nothing(tmp_path: Path, run_cli, env) -> None:
    with deployed(tmp_path, flawed=True) as app:
        env(app.env)
        res = run_cli(["live", *app.net_args(), "--dry-run"], tmp_path)
        assert app.https.log == [] and app.http.log == []
    assert res.code == 0
    assert "none sent" in res.out and "/api/chats/c_71f3" in res.out and "ratelimit" in res.out
    lines = res.out.splitlines()
    assert max(i for i, ln in enumerate(lines) if "authz" in ln.split()[:1]) < min(
        i for i, ln in enumerate(lines) if ln.split()[:1] == ["ratelimit"]
    )


def test_only_and_skip(tmp_path: Path, run_cli, env) -> None:
    with deployed(tmp_path, flawed=True) as app:
        env(app.env)
        res = run_cli(
            [
                "live",
                *app.net_args(),
                "--only",
                "headers",
                "--only",
                "cors.null-origin",
                "--skip",
                "headers.csp",
                "--json",
                "-",
            ],
            tmp_path,
        )
        paths = {r.path for r in app.https.log}
    ids = {c["id"] for c in json.loads(res.out)["checks"]}
    # plain prefixes: --skip headers.csp also skips headers.csp-unsafe
    assert ids == {
        "headers.content-type-options",
        "headers.frame-options",
        "headers.referrer-policy",
        "headers.version-disclosure",
        "cors.null-origin",
    }
    assert "/api/chats/c_71f3" not in paths and "/.env" not in paths and app.http.log == []


def test_site_down_is_error_never_pass(tmp_path: Path, run_cli) -> None:
    from .site import HOST, Site

    with Site() as dead:
        pass  # closed: connections are refused
    res = run_cli(["live", "--url", dead.url, "--resolve", dead.resolve, "--timeout", "1", "--json", "-"], tmp_path)
    report = json.loads(res.out)
    statuses = {c["status"] for c in report["checks"]}
    assert res.code == 1 and "pass" not in statuses and "error" in statuses
    assert HOST in report["checks"][0]["target"]
    # after a few refused connections the origin is given up: no hammering a site that is down
    assert report["summary"]["requests_sent"] <= 10
    assert any("in a row" in c["message"] for c in report["checks"])
    rows = {r["row"]: r["state"] for r in report["scorecard"]}
    assert rows["TLS, redirects and headers"] == "fail"
    res = run_cli(
        [
            "live",
            "--url",
            dead.url,
            "--resolve",
            dead.resolve,
            "--timeout",
            "1",
            "--errors-ok",
            "--only",
            "headers",
            "-q",
        ],
        tmp_path,
    )
    assert res.code == 0


def test_request_budget_is_respected(tmp_path: Path, run_cli, env) -> None:
    with deployed(tmp_path, flawed=True) as app:
        env(app.env)
        res = run_cli(["live", *app.net_args(), "--max-requests", "15", "--json", "-"], tmp_path)
        seen = len(app.https.log) + len(app.http.log)
    report = json.loads(res.out)
    assert report["summary"]["requests_sent"] <= 15 and seen <= 15
    assert any("budget" in c["message"] for c in report["checks"] if c["status"] == "error")


def test_usage_errors(tmp_path: Path, run_cli) -> None:
    assert run_cli(["live"], tmp_path).code == 2
    assert run_cli(["live", "--url", "https://x.example.com", "--resolve", "bad"], tmp_path).code == 2
    assert (
        run_cli(["live", "--url", "https://x.example.com", "--ca-bundle", str(tmp_path / "missing.pem")], tmp_path).code
        == 2
    )
    (tmp_path / ".launchready.yml").write_text("version: 1\nlive:\n  targets:\n    - url: nope\n")
    res = run_cli(["live"], tmp_path)
    assert res.code == 2 and ".launchready.yml:4:" in res.err and "live.targets.0.url" in res.err


def test_extra_headers_and_basic_auth_are_sent_but_never_shown(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import base64

    from .site import Site, html

    bypass, password = "bypass-" + "7" * 20, "pw-" + "9" * 16
    monkeypatch.setenv("LR_TEST_BYPASS", bypass)
    monkeypatch.setenv("LR_TEST_PASSWORD", password)
    with Site({"/": html("<p>preview</p>")}) as site:
        (tmp_path / ".launchready.yml").write_text(
            "version: 1\nlive:\n"
            f"  targets: [{{url: '{site.url}'}}]\n"
            "  headers:\n    x-vercel-protection-bypass: {env: LR_TEST_BYPASS}\n"
            "  basic_auth: {username: preview, password_env: LR_TEST_PASSWORD}\n"
        )
        res = run_cli(["live", "--resolve", site.resolve, "--only", "headers", "--json", "-", "-v"], tmp_path)
        seen = site.log[0].headers
    assert seen["x-vercel-protection-bypass"] == bypass
    assert seen["authorization"] == "Basic " + base64.b64encode(f"preview:{password}".encode()).decode()
    assert bypass not in res.out + res.err and password not in res.out + res.err
    assert json.loads(res.out)["summary"]["requests_sent"] == 1


def test_github_annotations(tmp_path: Path, run_cli, env) -> None:
    with deployed(tmp_path, flawed=True) as app:
        env(app.env)
        res = run_cli(["live", *app.net_args(), "--only", "exposure", "--only", "bundle", "--github"], tmp_path)
    assert res.code == 1
    errors = [ln for ln in res.out.splitlines() if ln.startswith("::error")]
    assert any("exposure.env-file" in ln for ln in errors) and any("bundle.secret" in ln for ln in errors)
    assert app.secret not in res.out


def test_ctrl_c_stops_promptly(tmp_path: Path) -> None:
    """SIGINT mid-run: running checks stop at their next request; exit 130 within seconds."""
    import signal
    import subprocess
    import sys
    import time

    from .site import Resp, Site

    with Site({}) as slow:
        slow.default = Resp(404, "nope", delay=0.25)
        cmd = [
            sys.executable,
            "-m",
            "launchready",
            "live",
            "--url",
            slow.url,
            "--resolve",
            slow.resolve,
            "--timeout",
            "5",
        ]
        proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while not slow.log and time.monotonic() < deadline:  # wait until the checks are sending
            time.sleep(0.05)
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        _, err = proc.communicate(timeout=20)
        took = time.monotonic() - start
        sent_after = len(slow.log)
    assert proc.returncode == 130, err
    assert took < 3, took
    assert "Traceback" not in err and sent_after < 40


def test_one_result_per_check_and_target(tmp_path: Path, run_cli) -> None:
    from .site import Site, html

    csp = [("Content-Security-Policy", "default-src 'self'")]
    with Site({"/": html("a", csp)}) as one_site, Site({"/": html("b")}, host="two.launchready.test") as two:
        (tmp_path / ".launchready.yml").write_text(
            f"version: 1\nlive:\n  targets: ['{one_site.url}', {{url: '{two.url}'}}]\n"
        )
        res = run_cli(
            [
                "live",
                "--resolve",
                one_site.resolve,
                "--resolve",
                two.resolve,
                "--only",
                "headers.csp",
                "--skip",
                "headers.csp-",
                "--json",
                "-",
            ],
            tmp_path,
        )
    checks = json.loads(res.out)["checks"]
    assert sorted((c["target"], c["status"]) for c in checks) == sorted([(one_site.url, "pass"), (two.url, "fail")])
