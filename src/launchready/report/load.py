"""Read a JSON report back into a ``Report`` (for ``launchready merge``).

A report is data from another run, perhaps another machine: it is parsed defensively (size
cap, types checked field by field) and every problem is a ``ReportError`` naming the file and
the field, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from launchready.model import CheckResult, Finding, Location, Report, Severity, Status, Summary
from launchready.report.json_report import SCHEMA_VERSION

MAX_REPORT_BYTES = 256 * 1024 * 1024

# What each command's report covers when it predates ``summary.ran``.
_RAN_BY_COMMAND = {"scan": {"secrets", "env", "repo"}, "history": {"history"}}


class ReportError(ValueError):
    """A file that is not a launchready JSON report we can read."""


class SchemaVersionError(ReportError):
    """A report of another schema version: merging it would mix two contracts."""


def _str(d: dict[str, Any], key: str, where: str, *, optional: bool = False) -> str | None:
    value = d.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise ReportError(f"{where}: {key!r} must be a string")
    return value


def _int(d: dict[str, Any], key: str, where: str, default: int | None = None) -> int | None:
    value = d.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportError(f"{where}: {key!r} must be an integer")
    return value


def _enum(kind: type[Severity] | type[Status], value: Any, where: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ReportError(f"{where}: unknown {kind.__name__.lower()} {value!r}") from None


def _location(d: Any, where: str) -> Location:
    if not isinstance(d, dict):
        raise ReportError(f"{where}: a location must be an object")
    present = d.get("present_at_head")
    return Location(
        repository=_str(d, "repository", where) or "",
        path=_str(d, "path", where) or "",
        line=_int(d, "line", where),
        commit=_str(d, "commit", where, optional=True),
        present_at_head=present if isinstance(present, bool) else None,
    )


def _finding(d: Any, where: str) -> Finding:
    if not isinstance(d, dict):
        raise ReportError(f"{where}: a finding must be an object")
    present = d.get("present_at_head")
    locations = d.get("locations") or []
    if not isinstance(locations, list):
        raise ReportError(f"{where}: 'locations' must be a list")
    return Finding(
        rule_id=_str(d, "rule_id", where) or "",
        severity=_enum(Severity, d.get("severity"), where),
        path=_str(d, "path", where) or "",
        message=_str(d, "message", where) or "",
        fix=_str(d, "fix", where, optional=True) or "",
        fingerprint=_str(d, "fingerprint", where) or "",
        line=_int(d, "line", where),
        column=_int(d, "column", where),
        end_line=_int(d, "end_line", where),
        end_column=_int(d, "end_column", where),
        secret=_str(d, "secret", where, optional=True),
        commit=_str(d, "commit", where, optional=True),
        author=_str(d, "author", where, optional=True),
        date=_str(d, "date", where, optional=True),
        introduced_in=_str(d, "introduced_in", where, optional=True),
        occurrences=_int(d, "occurrences", where, 1) or 1,
        present_at_head=present if isinstance(present, bool) else None,
        repository=_str(d, "repository", where, optional=True),
        locations=tuple(_location(x, f"{where}.locations[{i}]") for i, x in enumerate(locations)),
    )


def _check(d: Any, where: str) -> CheckResult:
    if not isinstance(d, dict):
        raise ReportError(f"{where}: a check must be an object")
    evidence = d.get("evidence") or {}
    if not isinstance(evidence, dict):
        raise ReportError(f"{where}: 'evidence' must be an object")
    return CheckResult(
        id=_str(d, "id", where) or "",
        status=_enum(Status, d.get("status"), where),
        severity=_enum(Severity, d.get("severity"), where),
        target=_str(d, "target", where) or "",
        message=_str(d, "message", where) or "",
        fix=_str(d, "fix", where, optional=True) or "",
        evidence=evidence,
        duration_ms=_int(d, "duration_ms", where, 0) or 0,
    )


def parse_report(data: Any, name: str) -> Report:
    """``data`` is a parsed JSON report; ``name`` says where it came from (for errors)."""
    if not isinstance(data, dict) or "schema_version" not in data:
        raise ReportError(f"{name}: not a launchready JSON report (no schema_version)")
    version = data["schema_version"]
    if version != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{name}: schema_version {version!r}, this launchready reads {SCHEMA_VERSION}: "
            "merge reports made by the same launchready release"
        )
    findings = data.get("findings")
    checks = data.get("checks")
    summary = data.get("summary") or {}
    notes = data.get("notes") or []
    if not isinstance(findings, list) or not isinstance(checks, list):
        raise ReportError(f"{name}: 'findings' and 'checks' must be lists")
    if not isinstance(summary, dict) or not isinstance(notes, list):
        raise ReportError(f"{name}: 'summary' must be an object and 'notes' a list")
    command = _str(data, "command", name) or ""
    report = Report(
        command=command,
        root=_str(data, "root", name, optional=True) or "",
        findings=[_finding(f, f"{name}: findings[{i}]") for i, f in enumerate(findings)],
        checks=[_check(c, f"{name}: checks[{i}]") for i, c in enumerate(checks)],
        summary=Summary(
            files_scanned=_int(summary, "files_scanned", name, 0) or 0,
            commits_scanned=_int(summary, "commits_scanned", name, 0) or 0,
            requests_sent=_int(summary, "requests_sent", name, 0) or 0,
            suppressed=_int(summary, "suppressed", name, 0) or 0,
            bytes_scanned=_int(summary, "bytes_scanned", name, 0) or 0,
            files_skipped=_int(summary, "files_skipped", name, 0) or 0,
        ),
        notes=[str(n) for n in notes],
        repository=_str(data, "repository", name, optional=True),
    )
    skipped = data.get("skipped_files")
    if isinstance(skipped, list):
        report.skipped = [
            (str(s["path"]), str(s["reason"])) for s in skipped if isinstance(s, dict) and "path" in s and "reason" in s
        ]
    ran = summary.get("ran")
    if isinstance(ran, list) and all(isinstance(k, str) for k in ran):
        report.ran = set(ran)
    else:
        report.ran = set(_RAN_BY_COMMAND.get(command, set()))
    return report


def load_report(path: Path) -> Report:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ReportError(f"{path}: not a regular file")
        if size > MAX_REPORT_BYTES:
            raise ReportError(f"{path}: {size} bytes, more than a report can be ({MAX_REPORT_BYTES})")
        with path.open("rb") as fh:
            data = json.loads(fh.read(MAX_REPORT_BYTES + 1))
    except OSError as exc:
        raise ReportError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:
        raise ReportError(f"{path}: not JSON: {str(exc)[:200]}") from None
    return parse_report(data, str(path))
