"""The JSON report: the public contract (docs/report-format.md, schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from launchready import __version__
from launchready.model import Report, Status
from launchready.report import Options

SCHEMA_VERSION = 1


def to_dict(report: Report) -> dict[str, Any]:
    from launchready.scorecard import scorecard

    by_status = Counter(c.status.value for c in report.checks)
    s = report.summary
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "launchready", "version": __version__},
        "command": report.command,
        "root": report.root,
        "findings": [f.to_json() for f in report.sorted_findings()],
        "checks": [c.to_json() for c in report.checks],
        "scorecard": [row.to_json() for row in scorecard(report)],
        "summary": {
            "findings_by_severity": report.severity_counts(),
            "checks_by_status": {st.value: by_status.get(st.value, 0) for st in Status},
            "requests_sent": s.requests_sent,
            "files_scanned": s.files_scanned,
            "commits_scanned": s.commits_scanned,
            "suppressed": s.suppressed,
            "bytes_scanned": s.bytes_scanned,
            "files_skipped": s.files_skipped,
            "ran": sorted(report.ran),
        },
        "skipped_files": [{"path": p, "reason": why} for p, why in report.skipped],
        "notes": list(report.notes),
        **({"repository": report.repository} if report.repository else {}),
        **({"repositories": list(report.repositories)} if report.repositories else {}),
        **({"inventory": report.inventory} if report.inventory is not None else {}),
    }


def render(report: Report, options: Options) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
