"""The launch scorecard: the contract's rows, each fed by rule and check id prefixes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from launchready.model import Report, Status

PASS, WARN, FAIL, NOT_CHECKED = "pass", "warn", "fail", "not checked"


@dataclass(frozen=True)
class Row:
    row: str
    state: str
    checks: list[str]
    top_fix: str
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "state": self.state, "checks": self.checks,
                "top_fix": self.top_fix, "reason": self.reason}  # fmt: skip


# (row, finding/check id prefixes, which kind of run judges it, why it is not checked otherwise)
ROWS: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("Secret handling", ("secret.", "env.", "build.", "bundle."), ("secrets", "bundle"),
     "no scan, history or bundle check ran"),
    ("Auth boundaries", ("authz.", "repo.auth"), ("authz", "repo"),
     "needs two identities in live.authz (see docs/live-checks.md)"),
    ("Input validation and exposure", ("input.", "exposure.", "repo.debug", "repo.upload"),
     ("input", "exposure", "repo"), "no live run and no repo checks ran"),
    ("Rate limits", ("ratelimit.", "repo.ratelimit"), ("ratelimit", "repo-app"),
     "needs endpoints in live.ratelimit"),
    ("CORS", ("cors.", "repo.cors"), ("cors", "repo"), "needs a live API URL or repo checks"),
    ("TLS, redirects and headers", ("tls.", "redirect.", "hsts.", "headers.", "cookies.", "cdn."),
     ("tls", "redirect", "hsts", "headers", "cookies", "cdn"), "needs a live URL (--url)"),
    ("Email authentication", ("email.",), ("email",), "needs live.email.domain or `launchready email`"),
    ("Logging hygiene", ("repo.logging",), ("repo",), "no repo checks ran"),
    ("Performance", ("latency.",), ("latency",), "needs live.latency endpoints or --url"),
    ("Monitoring readiness", ("monitoring.",), ("monitoring",),
     "not checked from outside unless a health endpoint is configured (live.monitoring.health)"),
    ("Backup and recovery", ("backup.",), ("backup",),
     "not checked: backups and restores cannot be observed from the repository or the site; test a restore before launch"),
)  # fmt: skip


def scorecard(report: Report) -> list[Row]:
    rows = []
    for name, prefixes, kinds, why in ROWS:
        findings = [f for f in report.findings if f.rule_id.startswith(prefixes)]
        checks = [c for c in report.checks if c.id.startswith(prefixes)]
        ran = bool(report.ran & set(kinds)) or bool(checks)
        ids = sorted({f.rule_id for f in findings} | {c.id for c in checks})
        if not ran and not findings:
            rows.append(Row(name, NOT_CHECKED, [], "", why))
            continue
        failed = [c for c in checks if c.status in (Status.FAIL, Status.ERROR)]
        warned = [c for c in checks if c.status is Status.WARN]
        bad_findings = sorted(findings, key=lambda f: -f.severity.rank)
        serious = [f for f in bad_findings if f.severity.rank >= 2]
        if failed or serious:
            state = FAIL
        elif warned or bad_findings:
            state = WARN
        elif checks or ran:
            state = PASS
        else:
            state = NOT_CHECKED
        top = ""
        worst_check = sorted(failed or warned, key=lambda c: -c.severity.rank)
        if bad_findings and (not worst_check or bad_findings[0].severity.rank >= worst_check[0].severity.rank):
            top = bad_findings[0].fix
        elif worst_check:
            top = worst_check[0].fix
        rows.append(Row(name, state, ids, top, "" if state != NOT_CHECKED else why))
    return rows
