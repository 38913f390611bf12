"""Terminal output: findings grouped by file with the fix hint, checks, then the verdict."""

from __future__ import annotations

from itertools import groupby

from launchready.model import Report, Status
from launchready.report import Options
from launchready.verdict import failing_checks, failing_findings

_COLORS = {
    "critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m",
    "info": "\033[2m", "pass": "\033[32m", "warn": "\033[33m", "fail": "\033[31m",
    "error": "\033[1;35m", "skip": "\033[2m", "not checked": "\033[2m",
}  # fmt: skip
_RESET = "\033[0m"


def _c(text: str, key: str, options: Options) -> str:
    return f"{_COLORS.get(key, '')}{text}{_RESET}" if options.color else text


def render(report: Report, options: Options) -> str:
    out: list[str] = []
    findings = report.sorted_findings()
    by_path = sorted(findings, key=lambda f: (f.path, f.line or 0))
    for path, group in groupby(by_path, key=lambda f: f.path):
        out.append(_c(path, "bold", options))
        for f in group:
            loc = f"{f.line}:{f.column}" if f.line else "-"
            sev = _c(f"{f.severity.value:<8}", f.severity.value, options)
            out.append(f"  {loc:<9} {sev} {f.rule_id}  {f.message}")
            if f.commit:
                out.append(f"            commit {f.commit[:12]} {f.author or ''} {f.date or ''}".rstrip())
            if f.snippet and options.verbose:
                out.append(f"            > {f.snippet}")
            out.append(f"            fix: {f.fix}")
        out.append("")
    if report.checks:
        for c in report.checks:
            st = _c(f"{c.status.value:<5}", c.status.value, options)
            out.append(f"  {st} {c.id:<28} {c.target}  {c.message}")
            if c.status in (Status.FAIL, Status.WARN, Status.ERROR) and c.fix:
                out.append(f"        fix: {c.fix}")
        out.append("")
    try:
        from launchready.report.scorecard_text import render_scorecard

        out.append(render_scorecard(report, options))
    except ImportError:
        pass
    for note in report.notes:
        out.append(f"note: {note}")
    s = report.summary
    failing = len(failing_findings(report, options.fail_on)) + failing_checks(report, options.fail_on)
    counts = f"{len(findings)} finding(s), {len(report.checks)} check(s)"
    scanned = []
    if s.files_scanned:
        scanned.append(f"{s.files_scanned} file(s)")
    if s.commits_scanned:
        scanned.append(f"{s.commits_scanned} commit(s)")
    if s.requests_sent:
        scanned.append(f"{s.requests_sent} request(s) sent")
    if s.suppressed:
        scanned.append(f"{s.suppressed} suppressed")
    tail = f" ({', '.join(scanned)})" if scanned else ""
    if failing:
        out.append(_c(f"FAIL: {counts}; {failing} at or above '{options.fail_on.value}'{tail}", "fail", options))
    else:
        out.append(_c(f"OK: {counts}; nothing at or above '{options.fail_on.value}'{tail}", "pass", options))
    return "\n".join(out) + "\n"
