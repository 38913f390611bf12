"""JUnit XML (junit-xml) for CI test reporters (dorny/test-reporter, GitLab, Jenkins).

- One ``testsuite`` per command (named after it).
- Findings: one ``testcase`` per rule x file; ``classname`` is the rule category
  (``secret``, ``env``, ``build``, ``repo``), ``name`` is ``"<rule id> <path>"``, with ``file``
  and ``line`` (the first finding's line). A finding at or above ``--fail-on`` gives a
  ``failure`` with a one-line ``message``; every finding of the rule in that file is listed
  in the failure text (redacted) with the fix. Below the threshold the case passes and the
  list goes to ``system-out``, so the test report agrees with the exit code.
- Live checks: one ``testcase`` per check x target; ``classname`` is the check's area
  (``tls``, ``email.spf``), ``name`` is ``"<id> <target>"``, no file attribute. ``fail`` at
  or above ``--fail-on`` -> ``failure``; ``error`` -> ``error`` (could not judge); ``skip`` ->
  ``skipped`` with the reason; ``warn`` and lesser fails pass with a ``system-out`` note.
- A scan that ran and found nothing still has one passing case, so an empty report is never
  mistaken for "nothing ran".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from junit_xml import TestCase, TestSuite, to_xml_report_string

from launchready import redact
from launchready.model import CheckResult, Finding, Report, Status
from launchready.report import Options
from launchready.report.common import finding_fails, location, one_line


def _finding_case(rule_id: str, path: str, group: list[Finding], options: Options) -> TestCase:
    first = group[0]
    worst = max(group, key=lambda f: f.severity.rank)
    case = TestCase(
        name=f"{rule_id} {path}",
        classname=first.category,
        elapsed_sec=0.0,
        file=path,
        line=first.line,
    )
    details = []
    for f in group:
        extra = f" (commit {f.commit[:12]})" if f.commit else ""
        details.append(f"{location(f)} [{f.severity.value}] {one_line(f.message)}{extra}")
    details.append(f"fix: {one_line(first.fix)}")
    text = redact.scrub("\n".join(details))
    where = location(first)
    count = f" (+{len(group) - 1} more in this file)" if len(group) > 1 else ""
    message = redact.scrub(one_line(f"{worst.severity.value}: {first.message} at {where}{count}", 500))
    if any(finding_fails(f, options) for f in group):
        case.add_failure_info(message=message, output=text, failure_type=worst.severity.value)
    else:
        case.stdout = f"below --fail-on {options.fail_on.value}: {text}"
    return case


def _check_case(c: CheckResult, options: Options) -> TestCase:
    case = TestCase(
        name=f"{c.id} {c.target}",
        classname=c.area,
        elapsed_sec=c.duration_ms / 1000.0,
    )
    message = redact.scrub(one_line(c.message, 500))
    body = redact.scrub("\n".join(x for x in (c.message, f"fix: {c.fix}" if c.fix else "") if x))
    if c.status is Status.FAIL and c.severity.rank >= options.fail_on.rank:
        case.add_failure_info(message=message, output=body, failure_type=c.severity.value)
    elif c.status is Status.ERROR:
        case.add_error_info(message=message, output=body, error_type="error")
    elif c.status is Status.SKIP:
        case.add_skipped_info(message=message or "skipped")
    elif c.status in (Status.WARN, Status.FAIL):
        note = "warning" if c.status is Status.WARN else f"fail below --fail-on {options.fail_on.value}"
        case.stdout = redact.scrub(f"{note} ({c.severity.value}): {body}")
    return case


_COMBINED = ("action", "demo")  # commands that run several others into one report


def _finding_suite(f: Finding, command: str) -> str:
    if command in _COMBINED:
        return "history" if f.commit else "scan"
    return command


def _check_suite(c: CheckResult, command: str) -> str:
    if command in _COMBINED:
        return "email" if c.id.startswith("email.") else "live"
    return command


def suites(report: Report, options: Options) -> list[TestSuite]:
    """One suite per command; ``action`` and ``demo`` reports split into the commands they ran."""
    by_suite: dict[str, list[TestCase]] = {}
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for f in report.sorted_findings():
        groups.setdefault((_finding_suite(f, report.command), f.rule_id, f.path), []).append(f)
    for (suite, rule_id, path), group in sorted(groups.items()):
        by_suite.setdefault(suite, []).append(_finding_case(rule_id, path, group, options))
    ran_static = report.ran & {"secrets", "history"}  # ("bundle" is also a live area)
    if ran_static and not groups:
        s = report.summary
        scanned = f"{s.files_scanned} file(s), {s.commits_scanned} commit(s)"
        suite = report.command if report.command not in _COMBINED else "scan"
        clean = TestCase(
            name="no secrets found",
            classname="secret",
            elapsed_sec=0.0,
            stdout=f"scanned {scanned}; {s.suppressed} suppressed",
        )
        by_suite.setdefault(suite, []).append(clean)
    for c in report.checks:
        by_suite.setdefault(_check_suite(c, report.command), []).append(_check_case(c, options))
    if not by_suite:
        by_suite[report.command] = []
    return [TestSuite(name=f"launchready {name}", test_cases=cases) for name, cases in by_suite.items()]


def render(report: Report, options: Options) -> str:
    xml = to_xml_report_string(suites(report, options), prettyprint=False)
    # junit-xml leaves out time="0"; reporters such as dorny/test-reporter parse every
    # testcase's time as a number, so write it explicitly.
    root = ET.fromstring(xml)
    for case in root.iter("testcase"):
        case.set("time", case.get("time") or "0.000")
    for suite in root.iter("testsuite"):
        suite.set("time", f"{float(suite.get('time') or 0):.3f}")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return redact.scrub('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n")
