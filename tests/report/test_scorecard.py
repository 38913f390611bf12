from __future__ import annotations

from launchready.model import CheckResult, Finding, Report, Severity, Status
from launchready.scorecard import FAIL, NOT_CHECKED, PASS, ROW_NAMES, WARN, scorecard

CONTRACT_ROWS = (
    "Secret handling",
    "Auth boundaries",
    "Input validation and exposure",
    "Rate limits",
    "CORS",
    "TLS, redirects and headers",
    "Email authentication",
    "Logging hygiene",
    "Performance",
    "Monitoring readiness",
    "Backup and recovery",
)


def _rows(report: Report) -> dict[str, tuple[str, str, str, list[str]]]:
    return {r.row: (r.state, r.top_fix, r.reason, r.checks) for r in scorecard(report)}


def _check(id: str, status: Status, sev: Severity = Severity.HIGH, fix: str = "", msg: str = "m") -> CheckResult:
    return CheckResult(id, status, sev, "https://127.0.0.1:1/", msg, fix)


def test_rows_are_the_contracts() -> None:
    assert ROW_NAMES == CONTRACT_ROWS
    assert [r.row for r in scorecard(Report(command="scan", root="."))] == list(CONTRACT_ROWS)


def test_nothing_ran_means_not_checked_with_reason() -> None:
    for row in scorecard(Report(command="live", root=".")):
        assert row.state == NOT_CHECKED, row
        assert row.reason and row.top_fix == ""
    backup = _rows(Report(command="live", root="."))["Backup and recovery"]
    assert backup[2].startswith("not checked: backups")


def test_scan_that_found_nothing_passes_secret_row_only() -> None:
    r = Report(command="scan", root=".")
    r.ran.add("secrets")
    rows = _rows(r)
    assert rows["Secret handling"][0] == PASS
    assert rows["TLS, redirects and headers"][0] == NOT_CHECKED


def test_skipped_checks_are_not_a_pass() -> None:
    r = Report(command="live", root=".")
    r.checks.append(_check("latency.p95", Status.SKIP, msg="no latency endpoints configured"))
    state, _fix, reason, checks = _rows(r)["Performance"]
    assert (state, reason, checks) == (
        NOT_CHECKED,
        "no latency endpoints configured",
        ["latency.p95"],
    )


def test_states_and_top_fix() -> None:
    r = Report(command="action", root=".")
    r.ran |= {"secrets", "tls", "cors", "email"}
    r.checks += [
        _check("tls.expiry", Status.WARN, Severity.MEDIUM, fix="renew soon"),
        _check("hsts.missing", Status.FAIL, Severity.HIGH, fix="send HSTS"),
        _check("headers.csp", Status.FAIL, Severity.CRITICAL, fix="send CSP"),
        _check("cors.reflect", Status.FAIL, Severity.LOW, fix="pin origins"),
        _check("email.spf.all", Status.ERROR, Severity.HIGH, msg="DNS timeout"),
        _check("latency.p95", Status.PASS),
    ]
    r.findings.append(
        Finding(
            rule_id="secret.x", severity=Severity.LOW, path="a", message="m", fix="rotate x", fingerprint="f", line=1
        )
    )
    rows = _rows(r)
    assert rows["TLS, redirects and headers"][:2] == (FAIL, "send CSP")  # worst severity wins
    assert rows["TLS, redirects and headers"][2] == "2 failed check(s), 1 warning(s)"
    assert rows["CORS"][:2] == (WARN, "pin origins")  # a low fail warns
    state, fix, reason, _ = rows["Email authentication"]
    assert state == FAIL and "could not run" in fix and "DNS timeout" in fix
    assert reason == "1 check(s) could not run"
    assert rows["Performance"][0] == PASS
    assert rows["Secret handling"][:2] == (WARN, "rotate x")  # a low finding warns


def test_finding_beats_check_on_tie() -> None:
    r = Report(command="action", root=".")
    r.checks.append(_check("bundle.key", Status.FAIL, Severity.CRITICAL, fix="check fix"))
    r.findings.append(
        Finding(
            rule_id="secret.y",
            severity=Severity.CRITICAL,
            path="a",
            message="m",
            fix="finding fix",
            fingerprint="f",
            line=1,
        )
    )
    assert _rows(r)["Secret handling"][:2] == (FAIL, "finding fix")


def test_repo_checks_alone_pass_code_rows_and_say_so() -> None:
    r = Report(command="scan", root=".")
    r.ran |= {"secrets", "repo"}
    rows = _rows(r)
    state, fix, reason, checks = rows["Auth boundaries"]
    assert (state, fix) == (PASS, "")
    assert reason.startswith("code checks only; the live check needs two identities")
    assert checks and all(c.startswith("repo.auth") for c in checks)
    assert rows["Logging hygiene"][0] == PASS and rows["Logging hygiene"][2] == ""
    assert rows["TLS, redirects and headers"][0] == NOT_CHECKED
    # once a live check judged the row, the code-only note goes away
    r.checks.append(_check("authz.cross-user", Status.PASS))
    assert _rows(r)["Auth boundaries"][:3] == (PASS, "", "")
