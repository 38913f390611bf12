"""The launch scorecard: the contract's rows, each fed by rule and check id prefixes.

A row's state comes from what actually ran:

- ``fail``: a finding of medium severity or worse, a ``fail`` check of medium or worse, or a
  check that ended in ``error`` (a site we could not judge is never green);
- ``warn``: only low/info findings, ``warn`` checks or low/info ``fail`` checks;
- ``pass``: something that feeds the row ran (see ``Report.ran`` kinds below, or a check
  that was not skipped) and found nothing;
- ``not checked``: nothing that feeds the row ran; ``reason`` says why. Checks that were
  only ``skip``ped do not count as having run: their skip reasons become the row's reason.

``Report.ran`` kinds (what producers add so that "ran and found nothing" reads as ``pass``):
``secrets`` (scan, staged, stdin), ``history``, ``bundle`` (``--bundle``), ``env`` (env-file
checks), ``repo`` (repo checks; feeds every row with ``repo.*`` rules), and for live/email
runs the check area (``tls``, ``headers``, ``cors``, ``authz``, ``ratelimit``, ``latency``,
``email``, ``monitoring`` ...). Live checks also mark their row by simply being reported.

``top_fix`` is the single most important fix in the row: the fix of its worst problem
(failing before warning, then by severity; findings before checks on a tie).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from launchready.model import CheckResult, Finding, Report, Severity, Status

PASS, WARN, FAIL, NOT_CHECKED = "pass", "warn", "fail", "not checked"
STATES = (PASS, WARN, FAIL, NOT_CHECKED)


@dataclass(frozen=True)
class Row:
    row: str
    state: str
    checks: list[str] = field(default_factory=list)
    top_fix: str = ""
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "state": self.state,
            "checks": self.checks,
            "top_fix": self.top_fix,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class RowSpec:
    name: str
    prefixes: tuple[str, ...]  # finding rule ids and check ids that feed the row
    kinds: tuple[str, ...]  # Report.ran kinds that judge it
    why: str  # shown when nothing ran


ROWS: tuple[RowSpec, ...] = (
    RowSpec(
        "Secret handling",
        ("secret.", "env.", "build.", "bundle.", "repo.secrets", "history."),
        ("secrets", "history", "bundle", "env"),
        "no scan, history or bundle check ran",
    ),
    RowSpec(
        "Auth boundaries",
        ("authz.", "repo.auth"),
        ("authz", "repo"),
        "needs two identities in live.authz (see docs/live-checks.md)",
    ),
    RowSpec(
        "Input validation and exposure",
        ("input.", "exposure.", "repo.debug", "repo.upload"),
        ("input", "exposure", "repo"),
        "needs a live URL (--url) or repo checks",
    ),
    RowSpec(
        "Rate limits",
        ("ratelimit.", "repo.ratelimit"),
        ("ratelimit", "repo"),
        "needs endpoints in live.ratelimit (see docs/live-checks.md)",
    ),
    RowSpec("CORS", ("cors.", "repo.cors"), ("cors", "repo"), "needs a live API URL or repo checks"),
    RowSpec(
        "TLS, redirects and headers",
        ("tls.", "redirect.", "hsts.", "headers.", "cookies.", "cdn."),
        ("tls", "redirect", "hsts", "headers", "cookies", "cdn"),
        "needs a live URL (--url)",
    ),
    RowSpec(
        "Email authentication",
        ("email.",),
        ("email",),
        "needs live.email.domain in the config or `launchready email DOMAIN`",
    ),
    RowSpec("Logging hygiene", ("repo.logging",), ("repo",), "no repo checks ran"),
    RowSpec("Performance", ("latency.",), ("latency",), "needs live.latency endpoints or a live URL (--url)"),
    RowSpec(
        "Monitoring readiness",
        ("monitoring.", "journey.", "repo.error-tracking"),
        ("monitoring", "journey", "error-tracking"),
        "not checked from outside unless a health endpoint or uptime config is configured (live.monitoring)",
    ),
    RowSpec(
        "Backup and recovery",
        ("backup.",),
        ("backup",),
        "not checked: backups and restores cannot be observed from the repository or "
        "the site; test a restore before launch",
    ),
)

ROW_NAMES = tuple(spec.name for spec in ROWS)


def _finding_weight(f: Finding) -> tuple[int, int, int]:
    # (fails the row?, severity, findings first on a tie)
    return (2 if f.severity.rank >= Severity.MEDIUM.rank else 1, f.severity.rank, 1)


def _check_weight(c: CheckResult) -> tuple[int, int, int]:
    if c.status is Status.ERROR:
        return (2, c.severity.rank, 0)
    if c.status is Status.FAIL:
        return (2 if c.severity.rank >= Severity.MEDIUM.rank else 1, c.severity.rank, 0)
    return (1, c.severity.rank, 0)  # warn


def _fix_for_check(c: CheckResult) -> str:
    if c.fix:
        return c.fix
    if c.status is Status.ERROR:
        return f"{c.id} could not run against {c.target}: {c.message}"
    return c.message


_STATIC_KINDS = frozenset({"secrets", "history", "bundle", "env", "repo"})
# Rows whose live checks say much more than the code can: a pass from code alone says so.
_CODE_ONLY = {
    "Auth boundaries": "code checks only; the live check needs two identities in live.authz",
    "Input validation and exposure": "code checks only; the live checks need a URL (--url)",
    "Rate limits": "code checks only; the live check needs endpoints in live.ratelimit",
    "CORS": "code checks only; the live checks need an API URL (--url)",
}


def _repo_rule_ids(prefixes: tuple[str, ...]) -> set[str]:
    """The static repo rules that feed a row (they ran when ``repo`` is in ``Report.ran``)."""
    from launchready import repo

    return {r.id for r in repo.rules() if r.id.startswith(prefixes)}


def row_for(spec: RowSpec, report: Report) -> Row:
    findings = [f for f in report.findings if f.rule_id.startswith(spec.prefixes)]
    checks = [c for c in report.checks if c.id.startswith(spec.prefixes)]
    judged = [c for c in checks if c.status is not Status.SKIP]
    repo_ids = _repo_rule_ids(spec.prefixes) if "repo" in report.ran and "repo" in spec.kinds else set()
    kinds_ran = report.ran & set(spec.kinds)
    if kinds_ran == {"repo"} and not repo_ids:
        kinds_ran = set()  # repo checks ran, but none of them judges this row
    ran = bool(kinds_ran) or bool(judged)
    ids = sorted({f.rule_id for f in findings} | {c.id for c in judged} | repo_ids)
    if not ran and not findings:
        skipped = [c for c in checks if c.status is Status.SKIP]
        reasons = sorted({c.message for c in skipped if c.message})
        why = "; ".join(reasons) if reasons else spec.why
        return Row(spec.name, NOT_CHECKED, sorted({c.id for c in skipped}), "", why)
    problems: list[tuple[tuple[int, int, int], str]] = [(_finding_weight(f), f.fix) for f in findings]
    problems += [
        (_check_weight(c), _fix_for_check(c)) for c in judged if c.status in (Status.FAIL, Status.ERROR, Status.WARN)
    ]
    if not problems:
        code_only = not judged and kinds_ran <= _STATIC_KINDS
        return Row(spec.name, PASS, ids, "", _CODE_ONLY.get(spec.name, "") if code_only else "")
    worst_weight, top_fix = max(problems, key=lambda p: p[0])
    state = FAIL if worst_weight[0] == 2 else WARN
    n_find = len(findings)
    n_bad = sum(1 for c in judged if c.status is Status.FAIL)
    n_err = sum(1 for c in judged if c.status is Status.ERROR)
    n_warn = sum(1 for c in judged if c.status is Status.WARN)
    parts = []
    if n_find:
        parts.append(f"{n_find} finding(s)")
    if n_bad:
        parts.append(f"{n_bad} failed check(s)")
    if n_err:
        parts.append(f"{n_err} check(s) could not run")
    if n_warn:
        parts.append(f"{n_warn} warning(s)")
    return Row(spec.name, state, ids, top_fix, ", ".join(parts))


MONITORING_NEEDS = (
    ("journey", "a synthetic journey that passed (`launchready journey`, see docs/journey.md)"),
    ("health", "a health check that answered (live.monitoring.health)"),
    (
        "error-tracking",
        "error tracking initialised in the server app (Sentry, OpenTelemetry ...; found by `launchready scan`)",
    ),
)


def _monitoring(row: Row, report: Report) -> Row:
    """Monitoring is ready only with all three: a journey that passed, a health check that
    answered and error tracking in the code. Anything less says what is missing."""
    if row.state == FAIL:
        return row
    have = {
        "journey": any(c.id.startswith("journey.") and c.status is Status.PASS for c in report.checks),
        "health": any(c.id == "monitoring.health" and c.status is Status.PASS for c in report.checks),
        "error-tracking": "error-tracking" in report.ran,
    }
    missing = [text for key, text in MONITORING_NEEDS if not have[key]]
    if not missing:
        return row
    if row.state == NOT_CHECKED:
        return row
    reason = (row.reason + "; " if row.reason else "") + "missing: " + "; ".join(missing)
    return Row(row.row, WARN, row.checks, row.top_fix or f"Add {missing[0]}.", reason)


REPOSITORY_ROW = "Repository "  # + the repository's name, in merged reports


def _repository_row(report: Report, name: str) -> tuple[tuple[int, ...], Row]:
    findings = [
        f for f in report.findings if f.repository == name or any(loc.repository == name for loc in f.locations)
    ]
    checks = [
        c
        for c in report.checks
        if (c.target == name and c.id == "audit.scanned") or c.evidence.get("repository") == name
    ]
    bad = [c for c in checks if c.status in (Status.FAIL, Status.ERROR, Status.WARN)]
    problems = [(_finding_weight(f), f.fix) for f in findings] + [(_check_weight(c), _fix_for_check(c)) for c in bad]
    ids = sorted({f.rule_id for f in findings} | {c.id for c in checks})
    worst = max((f.severity.rank for f in findings), default=-1)
    if not problems:
        return (0,), Row(REPOSITORY_ROW + name, PASS, ids, "", "nothing found")
    weight, top_fix = max(problems, key=lambda p: p[0])
    state = FAIL if weight[0] == 2 else WARN
    parts = [f"{len(findings)} finding(s)"] if findings else []
    unscanned = [c for c in checks if c.id == "audit.scanned" and c.status is Status.ERROR]
    if unscanned:
        parts.insert(0, unscanned[0].message)
        top_fix = f"{name} {unscanned[0].message}"
    others = [c for c in bad if c.id != "audit.scanned"]
    if others:
        parts.append(f"{len(others)} check(s) failed or could not run")
    rank = (2 if state == FAIL else 1, 1 if unscanned else 0, max(worst, weight[1]), len(findings) + len(others))
    return rank, Row(REPOSITORY_ROW + name, state, ids, top_fix, "; ".join(parts))


def repository_rows(report: Report) -> list[Row]:
    """One row per repository of a merged report, worst first (failing, then could not be
    scanned, then by the worst severity), then by name."""
    ranked = [(_repository_row(report, name), name) for name in report.repositories]
    ranked.sort(key=lambda x: (tuple(-v for v in x[0][0]), x[1]))
    return [row for (_, row), _ in ranked]


def scorecard(report: Report) -> list[Row]:
    rows = [row_for(spec, report) for spec in ROWS]
    rows = [_monitoring(r, report) if r.row == "Monitoring readiness" else r for r in rows]
    return rows + repository_rows(report)
