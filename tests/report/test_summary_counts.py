"""summary.findings_by_severity counts what the report holds: findings and failed checks."""

from __future__ import annotations

from launchready.model import CheckResult, Report, Severity, Status
from launchready.report.json_report import to_dict


def test_live_run_counts_failed_checks_by_severity() -> None:
    checks = [
        CheckResult("cors.arbitrary-origin", Status.FAIL, Severity.CRITICAL, "https://a.test/", "trusts evil"),
        CheckResult("headers.csp", Status.FAIL, Severity.MEDIUM, "https://a.test/", "no CSP"),
        CheckResult("headers.referrer-policy", Status.WARN, Severity.LOW, "https://a.test/", "weak"),
        CheckResult("tls.https", Status.PASS, Severity.HIGH, "https://a.test/", "ok"),
        CheckResult("latency.p95", Status.ERROR, Severity.MEDIUM, "https://a.test/", "could not check"),
    ]
    summary = to_dict(Report(command="live", root=".", checks=checks))["summary"]
    assert summary["findings_by_severity"] == {"critical": 1, "high": 0, "medium": 1, "low": 0, "info": 0}
    assert summary["checks_by_status"]["fail"] == 2 and summary["checks_by_status"]["error"] == 1
