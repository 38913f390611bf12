"""From a report to an exit code (the contract's rules, in one place)."""

from __future__ import annotations

from launchready.errors import EXIT_CLEAN, EXIT_FINDINGS
from launchready.model import Finding, Report, Severity, Status


def failing_findings(report: Report, fail_on: Severity) -> list[Finding]:
    return [f for f in report.findings if f.severity.rank >= fail_on.rank]


def failing_checks(report: Report, fail_on: Severity, errors_ok: bool = False) -> int:
    return sum(
        1
        for c in report.checks
        if (c.status is Status.FAIL and c.severity.rank >= fail_on.rank) or (c.status is Status.ERROR and not errors_ok)
    )


def exit_code(report: Report, fail_on: Severity, errors_ok: bool = False) -> int:
    if failing_findings(report, fail_on) or failing_checks(report, fail_on, errors_ok):
        return EXIT_FINDINGS
    return EXIT_CLEAN
