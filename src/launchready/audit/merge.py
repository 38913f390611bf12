"""One report from many: the same secret in several repositories is one finding with every
location; each repository gets an ``audit.scanned`` check (``pass`` when its report is whole,
``error`` when it is partial or missing) and, in the scorecard, a row of its own.

Findings are the same secret when their fingerprints are equal: that needs every report of
the run made with the same fingerprint key (``LAUNCHREADY_FINGERPRINT_KEY``; see
docs/org-audit.md). Findings without a secret value (repo checks, file-level findings) stay
one per repository.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from launchready.model import CheckResult, Finding, Location, Report, Severity, Status

SCANNED = "audit.scanned"
CHECKS = {SCANNED: "each repository expected in a merged report (merge, audit) has a readable report of this schema"}


@dataclass(frozen=True)
class Source:
    """One repository's report, or why there is none."""

    name: str
    report: Report | None
    error: str = ""


def _locations(name: str, f: Finding) -> tuple[Location, ...]:
    if f.locations:  # a merged report merged again keeps its locations
        return f.locations
    return (Location(name, f.path, f.line, f.commit, f.present_at_head),)


def _scanned_check(src: Source) -> CheckResult:
    rep = src.report
    if rep is None:
        return CheckResult(
            SCANNED,
            Status.ERROR,
            Severity.HIGH,
            src.name,
            f"could not be scanned: {src.error}",
            fix="Look at that repository's job log, fix the cause and run the audit again.",
        )
    errors = [c for c in rep.checks if c.status is Status.ERROR]
    s = rep.summary
    what = f"{s.commits_scanned} commit(s)" if rep.command == "history" else f"{s.files_scanned} file(s)"
    if rep.command not in ("history", "scan", "action"):
        what = f"{len(rep.checks)} check(s)"
    if errors:
        first = errors[0]
        return CheckResult(
            SCANNED,
            Status.ERROR,
            Severity.HIGH,
            src.name,
            f"scanned only in part ({len(errors)} error(s)); first: {first.id}: {first.message}",
            fix="See the errors listed for this repository.",
        )
    return CheckResult(SCANNED, Status.PASS, Severity.INFO, src.name, f"scanned {what}; {len(rep.findings)} finding(s)")


def merge_reports(sources: Sequence[Source], command: str = "merge") -> Report:
    merged = Report(command=command, root="")
    by_secret: dict[tuple[str, str], int] = {}
    for src in sources:
        merged.repositories.append(src.name)
        merged.checks.append(_scanned_check(src))
        rep = src.report
        if rep is None:
            merged.notes.append(f"{src.name}: could not be scanned: {src.error}")
            continue
        for f in rep.findings:
            name = f.repository or src.name
            locs = _locations(name, f)
            key = (f.rule_id, f.fingerprint)
            at = by_secret.get(key) if f.secret is not None else None
            if at is None:
                merged.findings.append(
                    f.replace(path=f.path if f.repository else f"{src.name}/{f.path}", repository=name, locations=locs)
                )
                if f.secret is not None:
                    by_secret[key] = len(merged.findings) - 1
                continue
            old = merged.findings[at]
            worst = old.severity if old.severity.rank >= f.severity.rank else f.severity
            heads = [x for x in (old.present_at_head, f.present_at_head) if x is not None]
            merged.findings[at] = old.replace(
                severity=worst,
                occurrences=old.occurrences + f.occurrences,
                present_at_head=any(heads) if heads else None,
                locations=old.locations + tuple(x for x in locs if x not in old.locations),
            )
        for c in rep.checks:
            merged.checks.append(c.replace(evidence={**c.evidence, "repository": src.name}))
        s, t = merged.summary, rep.summary
        s.files_scanned += t.files_scanned
        s.commits_scanned += t.commits_scanned
        s.requests_sent += t.requests_sent
        s.suppressed += t.suppressed
        s.bytes_scanned += t.bytes_scanned
        s.files_skipped += t.files_skipped
        merged.skipped.extend((f"{src.name}/{p}", why) for p, why in rep.skipped)
        merged.ran |= rep.ran
        merged.notes.extend(f"{src.name}: {n}" for n in rep.notes)
    failed = [src.name for src in sources if src.report is None]
    if failed:
        merged.notes.insert(
            0, f"{len(failed)} of {len(sources)} repositories could not be scanned: " + ", ".join(failed)
        )
    return merged
