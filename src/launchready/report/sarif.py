"""SARIF 2.1.0 for findings (GitHub code scanning, IDEs). Live checks are not SARIF results:
they have no source location; they live in the JSON, JUnit and HTML reports.

Mapping (docs/report-format.md): one run; ``tool.driver.rules`` holds each rule that has a
result (id, name, descriptions, help with the fix, default level, ``security-severity`` and
tags); each finding is a result with its level, redacted message, a location relative to
``%SRCROOT%`` (no region for a file-level finding) and ``partialFingerprints`` keyed
``launchready/v1`` with the contract's fingerprint (stable across line moves).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from launchready import __version__, redact
from launchready.model import Finding, Report
from launchready.report import Options
from launchready.report.common import CWE, LEVEL, SECURITY_SEVERITY, rule_meta

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/launchready/launchready"
FINGERPRINT_KEY = "launchready/v1"
SRCROOT = "%SRCROOT%"


def _uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/-._~+@")


def _rule(rule_id: str, findings: list[Finding]) -> dict[str, Any]:
    meta = rule_meta(rule_id, findings[0])
    severity = max((f.severity for f in findings), key=lambda s: s.rank)
    if meta.severity.rank > severity.rank:
        severity = meta.severity
    category = rule_id.split(".", 1)[0]
    tags = ["security", category]
    if category in CWE:
        tags.append(CWE[category])
    fix = redact.scrub(meta.fix)
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.replace(".", "-").split("-")),
        "shortDescription": {"text": meta.name},
        "fullDescription": {"text": redact.scrub(meta.description)},
        "help": {
            "text": f"Fix: {fix}",
            "markdown": f"**Fix:** {fix}\n\nRun `launchready rules explain {rule_id}` for details.",
        },
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[severity],
            "precision": "high" if category == "secret" else "medium",
            "tags": tags,
        },
    }


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.path), "uriBaseId": SRCROOT}}
    if f.line is not None:
        region: dict[str, int] = {"startLine": f.line}
        if f.column:
            region["startColumn"] = f.column
        region["endLine"] = f.end_line or f.line
        if f.end_column and f.column and (region["endLine"] > f.line or f.end_column > f.column):
            region["endColumn"] = f.end_column
        physical["region"] = region
    message = f.message
    if f.present_at_head is False:
        message += " (gone from HEAD, still in history: rotate it)"
    props: dict[str, Any] = {"severity": f.severity.value}
    for key in ("secret", "commit", "author", "date", "introduced_in"):
        value = getattr(f, key)
        if value is not None:
            props[key] = value
    if f.occurrences != 1:
        props["occurrences"] = f.occurrences
    return {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": redact.scrub(message)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": props,
    }


def to_sarif(report: Report, options: Options) -> dict[str, Any]:
    findings = report.sorted_findings()
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    rule_ids = sorted(by_rule)
    index = {rid: i for i, rid in enumerate(rule_ids)}
    root: dict[str, Any] = {"description": {"text": "The directory finding paths are relative to."}}
    if report.root and Path(report.root).is_absolute():
        root["uri"] = Path(report.root).as_uri().rstrip("/") + "/"
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "launchready",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(rid, by_rule[rid]) for rid in rule_ids],
            }
        },
        "automationDetails": {"id": f"launchready/{report.command}/"},
        "originalUriBaseIds": {SRCROOT: root},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule_id]) for f in findings],
        "invocations": [{"executionSuccessful": True}],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: Report, options: Options) -> str:
    return redact.scrub(json.dumps(to_sarif(report, options), indent=2, ensure_ascii=False)) + "\n"
