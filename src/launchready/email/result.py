"""Small helpers every email check module uses to build CheckResults."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from launchready.email.dns import Answer
from launchready.model import CheckResult, Severity, Status


@dataclass
class AreaResults:
    """Collects the results of one area (spf, dkim, ...) and stamps their duration."""

    target: str
    results: list[CheckResult] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def add(
        self,
        check_id: str,
        status: Status,
        severity: Severity,
        message: str,
        fix: str = "",
        evidence: dict[str, Any] | None = None,
        target: str | None = None,
    ) -> CheckResult:
        r = CheckResult(
            id=check_id,
            status=status,
            severity=severity,
            target=target or self.target,
            message=message,
            fix=fix,
            evidence=evidence or {},
        )
        self.results.append(r)
        return r

    def dns_error(
        self, check_id: str, answer: Answer, what: str, severity: Severity = Severity.HIGH, target: str | None = None
    ) -> CheckResult:
        return self.add(
            check_id,
            Status.ERROR,
            severity,
            f"could not look up {what} ({answer.name} {answer.rdtype}): {answer.describe()}",
            "Make sure the domain's authoritative nameservers answer for this name "
            "(try `dig " + f"{answer.name} {answer.rdtype}`); choose resolvers with --dns-server "
            "or live.email.dns_servers, or raise --dns-timeout / --dns-retries.",
            answer.evidence(),
            target,
        )

    def finish(self) -> list[CheckResult]:
        ms = int((time.monotonic() - self.started) * 1000)
        return [r.replace(duration_ms=ms) for r in self.results]


def txt_line(name: str, value: str) -> str:
    """A zone-file line for a TXT record, split into 255-byte strings when needed."""
    chunks = [value[i : i + 255] for i in range(0, len(value), 255)] or [""]
    quoted = " ".join('"' + c.replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)
    return f"{name}. IN TXT {quoted}"
