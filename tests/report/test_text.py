from __future__ import annotations

from pathlib import Path

from launchready.demo.keygen import KeyGen
from launchready.model import CheckResult, Finding, Report, Severity, Status
from launchready.report import Options
from launchready.report.scorecard_text import render_scorecard
from launchready.report.text import render


def _finding(rule: str, sev: Severity, path: str, line: int | None, col: int | None, msg: str) -> Finding:
    return Finding(
        rule_id=rule,
        severity=sev,
        path=path,
        message=msg,
        fix=f"fix for {rule}",
        fingerprint=f"{rule}:x",
        line=line,
        column=col,
    )


def _small_scan() -> Report:
    r = Report(command="scan", root="/r")
    r.findings += [
        _finding(
            "secret.openai-project-key",
            Severity.CRITICAL,
            "src/app.py",
            9,
            5,
            "OpenAI key (sk-proj-…[164 chars #aaaaaa])",
        ),
        _finding("env.public-prefix", Severity.CRITICAL, "src/app.py", 2, 1, "NEXT_PUBLIC_ secret"),
        _finding(
            "secret.openai-project-key",
            Severity.CRITICAL,
            "src/app.py",
            3,
            11,
            "OpenAI key (sk-proj-…[164 chars #bbbbbb])",
        ),
        _finding("env.tracked", Severity.HIGH, ".env", None, None, "tracked .env with real values"),
    ]
    r.summary.files_scanned = 7
    r.summary.suppressed = 1
    r.ran.add("secrets")
    return r


EXPECTED_SCAN = """\
.env
  -     high     env.tracked  tracked .env with real values
                 fix: fix for env.tracked

src/app.py
  2:1   critical env.public-prefix  NEXT_PUBLIC_ secret
                 fix: fix for env.public-prefix
  3:11  critical secret.openai-project-key  OpenAI key (sk-proj-…[164 chars #bbbbbb])
  9:5   critical secret.openai-project-key  OpenAI key (sk-proj-…[164 chars #aaaaaa])
                 fix: fix for secret.openai-project-key

FAIL: 4 finding(s), 0 check(s); 4 at or above 'high' (7 file(s), 1 suppressed)
"""


def test_scan_text_exact() -> None:
    assert render(_small_scan(), Options()) == EXPECTED_SCAN


def test_clean_scan_text_exact() -> None:
    r = Report(command="scan", root="/r")
    r.summary.files_scanned = 3
    r.ran.add("secrets")
    assert render(r, Options()) == "OK: 0 finding(s), 0 check(s); nothing at or above 'high' (3 file(s))\n"


EXPECTED_LIVE = """\
Checks
  fail  tls.expiry    https://127.0.0.1:8443   certificate expires in 3 days
        fix: Renew the certificate.
  error cors.reflect  https://127.0.0.1:8443/  connection refused
  warn  headers.csp   https://127.0.0.1:8443/  no Content-Security-Policy
        fix: Send a CSP header.
  (1 passed, 1 skipped; -v lists them)

Launch scorecard
  Secret handling                not checked  no scan, history or bundle check ran
  Auth boundaries                not checked  needs two identities in live.authz (see
                                              docs/live-checks.md)
  Input validation and exposure  not checked  needs a live URL (--url) or repo checks
  Rate limits                    not checked  needs endpoints in live.ratelimit (see
                                              docs/live-checks.md)
  CORS                           fail         cors.reflect could not run against
                                              https://127.0.0.1:8443/: connection refused
  TLS, redirects and headers     fail         Renew the certificate.
  Email authentication           not checked  needs live.email.domain in the config or `launchready
                                              email DOMAIN`
  Logging hygiene                not checked  no repo checks ran
  Performance                    pass
  Monitoring readiness           not checked  not checked from outside unless a health endpoint or
                                              uptime config is configured (live.monitoring)
  Backup and recovery            not checked  not checked: backups and restores cannot be observed
                                              from the repository or the site; test a restore before
                                              launch

note: 5 request(s) to 127.0.0.1
FAIL: 0 finding(s), 5 check(s); 2 at or above 'high' (5 request(s) sent)
"""


def _small_live() -> Report:
    r = Report(command="live", root="/r")
    r.checks += [
        CheckResult(
            "headers.csp",
            Status.WARN,
            Severity.MEDIUM,
            "https://127.0.0.1:8443/",
            "no Content-Security-Policy",
            "Send a CSP header.",
        ),
        CheckResult(
            "tls.expiry",
            Status.FAIL,
            Severity.HIGH,
            "https://127.0.0.1:8443",
            "certificate expires in 3 days",
            "Renew the certificate.",
        ),
        CheckResult("cors.reflect", Status.ERROR, Severity.HIGH, "https://127.0.0.1:8443/", "connection refused"),
        CheckResult("latency.p95", Status.PASS, Severity.MEDIUM, "https://127.0.0.1:8443/", "p95 120 ms"),
        CheckResult("cdn.present", Status.SKIP, Severity.LOW, "https://127.0.0.1:8443/", "loopback has no CDN"),
    ]
    r.summary.requests_sent = 5
    r.notes.append("5 request(s) to 127.0.0.1")
    return r


def test_live_text_exact() -> None:
    assert render(_small_live(), Options()) == EXPECTED_LIVE


def test_errors_ok_changes_verdict_only_for_errors() -> None:
    text = render(_small_live(), Options(errors_ok=True))
    assert text.endswith("FAIL: 0 finding(s), 5 check(s); 1 at or above 'high' (5 request(s) sent)\n")


def test_verbose_lists_all_checks_and_snippets() -> None:
    r = _small_live()
    text = render(r, Options(verbose=1))
    assert "  pass  latency.p95" in text and "  skip  cdn.present" in text
    assert "-v lists them" not in text


def test_colour_only_when_asked() -> None:
    plain = render(_small_live(), Options())
    assert "\033[" not in plain
    coloured = render(_small_live(), Options(color=True))
    assert "\033[31m" in coloured and "\033[0m" in coloured
    card = render_scorecard(_small_live(), Options(color=True))
    assert "\033[1;31mfail" in card and "\033[2mnot checked" in card


def test_cli_text_no_colour_when_not_a_tty(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    key = KeyGen(13).github_classic()
    (repo / "a.py").write_text(f'T = "{key}"\n')
    res = run_cli(["scan"], repo)
    assert res.code == 1
    assert "\033[" not in res.out
    lines = res.out.splitlines()
    assert lines[0] == "a.py"
    assert lines[1].startswith("  1:6  critical secret.github-pat-classic  ")
    assert lines[2].strip().startswith("fix: ")
    assert lines[-1].startswith("FAIL: 1 finding(s), 0 check(s); 1 at or above 'high' (1 file(s)")
    assert key not in res.out
    forced = run_cli(["scan", "--color", "always"], repo)
    assert "\033[" in forced.out


def test_history_finding_text_exact() -> None:
    r = Report(command="history", root="/r")
    r.findings.append(
        Finding(
            rule_id="secret.stripe-secret-key",
            severity=Severity.CRITICAL,
            path="pay.py",
            message="Stripe secret key (sk_live_…[107 chars #cccccc])",
            fix="Roll the key.",
            fingerprint="secret.stripe-secret-key:x",
            line=4,
            column=7,
            commit="0123456789abcdef0123456789abcdef01234567",
            author="Dev <dev@example.test>",
            date="2026-01-02T03:04:05+00:00",
            present_at_head=False,
        )
    )
    text = render(r, Options())
    assert text.splitlines()[:5] == [
        "pay.py",
        "  4:7  critical secret.stripe-secret-key  Stripe secret key (sk_live_…[107 chars #cccccc])",
        "                commit 0123456789ab Dev <dev@example.test> 2026-01-02T03:04:05+00:00",
        "                gone from HEAD but still in history: rotate it",
        "                fix: Roll the key.",
    ]
    assert "Launch scorecard" in text  # every command but plain scan shows the card
