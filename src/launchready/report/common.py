"""Pieces every writer shares: the verdict, rule metadata, severity mappings, one-line text."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from launchready.model import CheckResult, Finding, Report, Severity, Status
from launchready.report import Options
from launchready.verdict import failing_checks, failing_findings

# SARIF ``security-severity`` (GitHub code scanning: >= 9.0 critical, 7.0-8.9 high,
# 4.0-6.9 medium, 0.1-3.9 low).
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}

# SARIF result levels and GitHub annotation commands by severity.
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}

# CWE tags by rule category (GitHub shows them as "external/cwe/cwe-N").
CWE = {
    "secret": "external/cwe/cwe-798",  # use of hard-coded credentials
    "env": "external/cwe/cwe-798",
    "build": "external/cwe/cwe-540",  # inclusion of sensitive information in source code
}


@dataclass(frozen=True)
class Verdict:
    failed: bool
    findings: int  # findings at or above fail_on
    checks: int  # failed checks at or above fail_on plus checks in error (unless errors_ok)
    line: str  # "FAIL: ..." / "OK: ..." (no colour)


def verdict(report: Report, options: Options) -> Verdict:
    nf = len(failing_findings(report, options.fail_on))
    nc = failing_checks(report, options.fail_on, options.errors_ok)
    s = report.summary
    counts = f"{len(report.findings)} finding(s), {len(report.checks)} check(s)"
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
    threshold = options.fail_on.value
    if nf or nc:
        line = f"FAIL: {counts}; {nf + nc} at or above '{threshold}'{tail}"
    else:
        line = f"OK: {counts}; nothing at or above '{threshold}'{tail}"
    return Verdict(bool(nf or nc), nf, nc, line)


def finding_fails(f: Finding, options: Options) -> bool:
    return f.severity.rank >= options.fail_on.rank


def check_fails(c: CheckResult, options: Options) -> bool:
    """Does this check make the run fail (the contract's exit-code rule)?"""
    if c.status is Status.FAIL:
        return c.severity.rank >= options.fail_on.rank
    return c.status is Status.ERROR and not options.errors_ok


def one_line(text: str, limit: int = 0) -> str:
    """Collapse whitespace (newlines included) to single spaces; optionally trim with '…'."""
    flat = " ".join(text.split())
    if limit and len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


@dataclass(frozen=True)
class RuleMeta:
    id: str
    name: str  # a short human title: "OpenAI project API key"
    description: str
    fix: str
    severity: Severity


@functools.lru_cache(maxsize=1)
def _known_rules() -> dict[str, tuple[str, str, Severity]]:
    """Descriptions of the built-in rules with a fixed severity (``catalogue``): the secret
    pack, credential files, env files, build output, repo checks, inventory and history.
    Custom and gitleaks rules fall back to the finding."""
    from launchready import catalogue

    return {e.id: (e.description, e.fix, e.severity) for e in catalogue.builtin() if e.severity is not None}


def rule_meta(rule_id: str, sample: Finding) -> RuleMeta:
    known = _known_rules().get(rule_id)
    if known is not None:
        desc, fix, sev = known
        return RuleMeta(rule_id, desc, desc, fix or sample.fix, sev)
    # Repo, env, build and custom rules: the finding itself is the best description we have.
    name = rule_id.split(".", 1)[-1].replace("-", " ").replace("_", " ").capitalize()
    return RuleMeta(rule_id, name, name, sample.fix, sample.severity)


def location(f: Finding) -> str:
    """``path:line:col`` (or ``path`` for a file-level finding)."""
    if f.line is None:
        return f.path
    return f"{f.path}:{f.line}:{f.column}" if f.column else f"{f.path}:{f.line}"


def match_shown(f: Finding) -> str | None:
    """What a report shows of a finding's source: its position and the redacted match, never
    the rest of the line (which may hold credentials no rule recognised)."""
    if f.secret is None or f.line is None:
        return None
    where = f"line {f.line}" + (f", column {f.column}" if f.column else "")
    return f"{where}: {f.secret}"
