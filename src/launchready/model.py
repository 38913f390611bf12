"""The two result types every part of launchready produces, and the report that holds them.

Findings come from static scanning (secrets, env files, bundles, repo checks, history);
check results come from live checks against a deployed site (HTTP, TLS, DNS).
Both are frozen: sources and checks create them, suppression filters them, writers render them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: critical=4 ... info=0."""
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (choose from {choices})") from None


_SEVERITY_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


class Status(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"
    SKIP = "skip"


@dataclass(frozen=True)
class Location:
    """One place a finding was seen, in a report merged from several repositories."""

    repository: str
    path: str
    line: int | None = None
    commit: str | None = None
    present_at_head: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "repository": self.repository,
            "path": self.path,
            "line": self.line,
            "commit": self.commit,
            "present_at_head": self.present_at_head,
        }


@dataclass(frozen=True)
class Finding:
    """One problem found in files, a staged index, a build bundle or git history.

    ``secret`` is always the redacted form; the raw value never leaves the engine.
    """

    rule_id: str
    severity: Severity
    path: str
    message: str
    fix: str
    fingerprint: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    secret: str | None = None
    commit: str | None = None
    author: str | None = None
    date: str | None = None
    introduced_in: str | None = None
    occurrences: int = 1
    present_at_head: bool | None = None
    # Merged reports (`launchready merge`/`audit`): the repository of the first location and
    # every location of the same secret across repositories.
    repository: str | None = None
    locations: tuple[Location, ...] = ()
    # Source line with the secret redacted: context for classifying a finding (e.g. a browser
    # key's Firebase config), never rendered: it may hold credentials no rule recognised.
    # Reports show ``report.common.match_shown`` (position and redacted match) instead.
    snippet: str | None = None

    @property
    def category(self) -> str:
        return self.rule_id.split(".", 1)[0]

    def replace(self, **changes: Any) -> Finding:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "commit": self.commit,
            "author": self.author,
            "date": self.date,
            "introduced_in": self.introduced_in,
            "occurrences": self.occurrences,
            "present_at_head": self.present_at_head,
            "secret": self.secret,
            "fingerprint": self.fingerprint,
            "message": self.message,
            "fix": self.fix,
            **({"repository": self.repository} if self.repository is not None else {}),
            **({"locations": [loc.to_json() for loc in self.locations]} if self.locations else {}),
        }


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one live check against one target."""

    id: str
    status: Status
    severity: Severity
    target: str
    message: str
    fix: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    duration_ms: int = 0

    @property
    def area(self) -> str:
        """``tls`` for ``tls.expiry``; ``email.spf`` for ``email.spf.all``."""
        parts = self.id.split(".")
        return ".".join(parts[:2]) if parts[0] == "email" and len(parts) > 2 else parts[0]

    def replace(self, **changes: Any) -> CheckResult:
        return dataclasses.replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status.value,
            "severity": self.severity.value,
            "target": self.target,
            "message": self.message,
            "fix": self.fix,
            "evidence": self.evidence,
            "duration_ms": self.duration_ms,
        }


@dataclass
class Summary:
    files_scanned: int = 0
    commits_scanned: int = 0
    requests_sent: int = 0
    suppressed: int = 0
    bytes_scanned: int = 0
    files_skipped: int = 0  # seen but not read (binary, unreadable): never counted as scanned


@dataclass
class Report:
    """Everything one command produced. Writers only render this."""

    command: str
    root: str
    findings: list[Finding] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    # Human notes for the summary (e.g. "scanned 41 commits base..head", suppressions added by a PR).
    notes: list[str] = field(default_factory=list)
    # Which kinds of work ran, so the scorecard can tell "not checked" from "pass".
    ran: set[str] = field(default_factory=set)
    # What to do next, shown by the terminal report under a failing verdict (a blocked commit:
    # how to get it through). Not part of the JSON report.
    hints: list[str] = field(default_factory=list)
    # (path, reason) of every file that was not scanned, so a skip is never taken for a pass.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # The repository this report is about (owner/name in the Action, the mirror's name in an
    # audit); merged reports list every repository they hold in ``repositories``.
    repository: str | None = None
    repositories: list[str] = field(default_factory=list)
    # ``launchready inventory``: integrations, variables per environment (names and states only).
    inventory: dict[str, Any] | None = None

    def extend(self, other: Report) -> None:
        self.findings.extend(other.findings)
        self.checks.extend(other.checks)
        self.summary.files_scanned += other.summary.files_scanned
        self.summary.commits_scanned += other.summary.commits_scanned
        self.summary.requests_sent += other.summary.requests_sent
        self.summary.suppressed += other.summary.suppressed
        self.summary.bytes_scanned += other.summary.bytes_scanned
        self.summary.files_skipped += other.summary.files_skipped
        self.skipped.extend(other.skipped)
        self.notes.extend(other.notes)
        self.ran |= other.ran

    def severity_counts(self) -> dict[str, int]:
        """What the report holds, by severity: every finding plus every failed check (a live or
        email run's problems are checks). All five severities, zeros included."""
        counts = {sv.value: 0 for sv in Severity}
        for f in self.findings:
            counts[f.severity.value] += 1
        for c in self.checks:
            if c.status is Status.FAIL:
                counts[c.severity.value] += 1
        return counts

    def sorted_findings(self) -> list[Finding]:
        return sorted(
            self.findings,
            key=lambda f: (-f.severity.rank, f.path, f.line or 0, f.column or 0, f.rule_id),
        )
