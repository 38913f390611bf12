"""End to end: `launchready scan` on corpus apps copied into real git repositories.

The repo rules must come out of the real CLI with the same (path, line, rule) set as the
markers, feed the scorecard rows, and the staged hook must run the per-file rules only.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from launchready.repo import rules
from launchready.scorecard import ROWS

from .markers import expected
from .test_corpus import CORPUS, _files

APP_ONLY = {r.id for r in rules() if r.scope == "app"}
REPO_ROWS = (
    "Secret handling",
    "Auth boundaries",
    "Input validation and exposure",
    "Rate limits",
    "CORS",
    "Logging hygiene",
)


def _git_app(tmp_path: Path, app: str) -> Path:
    dest = tmp_path / app.replace("/", "-")
    shutil.copytree(CORPUS / app, dest)
    subprocess.run(["git", "init", "-q", str(dest)], check=True)
    subprocess.run(["git", "-C", str(dest), "add", "-A"], check=True)
    return dest


def _scan(run_cli: Any, cwd: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = cwd.parent / f"{cwd.name}-report.json"
    res = run_cli(["scan", *args, "--json", str(out)], cwd)
    assert res.code in (0, 1), res.err
    return res.code, json.loads(out.read_text())


def _repo_findings(report: dict[str, Any]) -> set[tuple[str, int | None, str]]:
    return {(f["path"], f["line"], f["rule_id"]) for f in report["findings"] if f["rule_id"].startswith("repo.")}


@pytest.mark.parametrize("fw", ["fastapi", "nextjs", "express", "django"])
def test_scan_reports_the_planted_issues_and_scores_them(tmp_path: Path, run_cli: Any, fw: str) -> None:
    root = _git_app(tmp_path, f"{fw}/flawed")
    want = set()
    for path, text in _files(root):
        want |= expected(path, text)
    code, report = _scan(run_cli, root, ".")
    assert code == 1
    assert _repo_findings(report) == want
    rows = {r["row"]: r["state"] for r in report["scorecard"]}
    planted_rows = {spec.name for spec in ROWS for _, _, rule_id in want if rule_id.startswith(spec.prefixes)}
    assert planted_rows
    for row in REPO_ROWS:
        assert rows[row] == ("fail" if row in planted_rows else "pass"), (row, rows[row])


@pytest.mark.parametrize("fw", ["fastapi", "nextjs", "express", "django"])
def test_scan_of_the_fixed_app_is_clean(tmp_path: Path, run_cli: Any, fw: str) -> None:
    root = _git_app(tmp_path, f"{fw}/fixed")
    code, report = _scan(run_cli, root, ".")
    assert _repo_findings(report) == set()
    assert code == 0, report["findings"]
    rows = {r["row"]: r["state"] for r in report["scorecard"]}
    for row in REPO_ROWS:
        assert rows[row] == "pass", (row, rows[row])


def test_staged_hook_runs_per_file_rules_only(tmp_path: Path, run_cli: Any) -> None:
    root = _git_app(tmp_path, "fastapi/flawed")
    want = set()
    for path, text in _files(root):
        want |= {e for e in expected(path, text) if e[2] not in APP_ONLY}
    _code, report = _scan(run_cli, root, "--staged")
    assert _repo_findings(report) == want
    assert not {f["rule_id"] for f in report["findings"]} & APP_ONLY
