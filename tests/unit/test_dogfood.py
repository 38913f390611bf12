"""Our own repository passes our own scan (with its committed .launchready.yml)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_this_repository_scans_clean(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["scan", "--json", "-", "--fail-on", "low"], ROOT)
    data = json.loads(res.out)
    assert res.code == 0, [(f["rule_id"], f["path"], f["line"]) for f in data["findings"]]
    assert data["summary"]["files_scanned"] > 100
