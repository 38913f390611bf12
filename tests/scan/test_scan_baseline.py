"""Baselines: create/update/import, applied by scan; no raw secret in the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import git

from launchready.demo.keygen import KeyGen
from launchready.model import Finding, Report, Severity
from launchready.secrets import suppress


def _write_keys(repo: Path, seed: int) -> list[str]:
    kg = KeyGen(seed)
    keys = [kg.openai_project(), kg.github_classic()]
    (repo / "a.py").write_text(f'A = "{keys[0]}"\n')
    (repo / "b.py").write_text(f'B = "{keys[1]}"\n')
    return keys


def test_create_then_only_new_findings_fail(repo: Path, run_cli: Any) -> None:
    keys = _write_keys(repo, 41)
    res = run_cli(["baseline", "create"], repo)
    assert res.code == 0 and "2 finding(s) recorded" in res.out
    raw = (repo / suppress.BASELINE_NAME).read_text()
    for k in keys:
        assert k not in raw and k[8:24] not in raw
    data = json.loads(raw)
    assert data["version"] == 2 and len(data["entries"]) == 2 and len(data["salt"]) == 32
    res = run_cli(["scan", "--json", "-"], repo)
    out = json.loads(res.out)
    assert res.code == 0 and out["findings"] == [] and out["summary"]["suppressed"] == 2
    # the baseline survives a move to another line and another file
    (repo / "a.py").unlink()
    (repo / "moved.py").write_text(f'\n\nX = "{keys[0]}"\n')
    assert run_cli(["scan"], repo).code == 0
    # a new secret fails
    new = KeyGen(42).openai_project()
    (repo / "c.py").write_text(f'C = "{new}"\n')
    res = run_cli(["scan", "--json", "-"], repo)
    assert res.code == 1
    assert [f["path"] for f in json.loads(res.out)["findings"]] == ["c.py"]
    # update adds it; --prune drops what is gone
    res = run_cli(["baseline", "update"], repo)
    assert "1 added" in res.out
    assert run_cli(["scan"], repo).code == 0
    (repo / "b.py").unlink()
    res = run_cli(["baseline", "update", "--prune"], repo)
    assert "1 pruned" in res.out and "2 in total" in res.out


def test_explicit_and_config_baseline_paths(repo: Path, run_cli: Any) -> None:
    _write_keys(repo, 43)
    assert run_cli(["baseline", "create", "--baseline", "ci/known.json"], repo).code == 0
    assert run_cli(["scan"], repo).code == 1  # not at the default location
    assert run_cli(["scan", "--baseline", "ci/known.json"], repo).code == 0
    (repo / ".launchready.yml").write_text("version: 1\nbaseline: ci/known.json\n")
    assert run_cli(["scan"], repo).code == 0
    res = run_cli(["scan", "--baseline", "missing.json"], repo)
    assert res.code == 2 and "baseline file not found" in res.err


def test_broken_baseline_is_a_config_error(repo: Path, run_cli: Any) -> None:
    (repo / suppress.BASELINE_NAME).write_text('{"version": 1, "entries": [}\n')
    res = run_cli(["scan"], repo)
    assert res.code == 2 and ".launchready-baseline.json:1" in res.err
    (repo / suppress.BASELINE_NAME).write_text('{"version": 9, "entries": {}}\n')
    res = run_cli(["scan"], repo)
    assert res.code == 2 and "unsupported baseline version" in res.err


def test_apply_baseline_api_for_other_commands(tmp_path: Path) -> None:
    f1 = Finding("secret.x", Severity.HIGH, "a", "m", "fix", "secret.x:1")
    f2 = Finding("secret.x", Severity.HIGH, "b", "m", "fix", "secret.x:2")
    b = suppress.Baseline()
    b.add(f1)
    path = tmp_path / "b.json"
    suppress.save(b, path)
    report = Report(command="history", root=str(tmp_path), findings=[f1, f2])
    assert suppress.apply_baseline(report, path) == 1
    assert report.findings == [f2] and report.summary.suppressed == 1
    assert suppress.apply_baseline(report, None) == 0


def test_import_detect_secrets_baseline(repo: Path, run_cli: Any) -> None:
    pytest.importorskip("detect_secrets")
    keys = _write_keys(repo, 44)
    git(repo, "add", "a.py", "b.py")
    proc = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan"], cwd=repo, capture_output=True, text=True, check=True
    )
    (repo / ".secrets.baseline").write_text(proc.stdout)
    assert run_cli(["scan", "--no-env"], repo).code == 1
    res = run_cli(["baseline", "import", ".secrets.baseline"], repo)
    assert res.code == 0, res.err
    assert "imported 2 finding(s)" in res.out
    raw = (repo / suppress.BASELINE_NAME).read_text()
    assert all(k not in raw for k in keys)
    assert run_cli(["scan"], repo).code == 0
    # a detect-secrets baseline passed as ours gets a pointed message
    res = run_cli(["scan", "--baseline", ".secrets.baseline"], repo)
    assert res.code == 2 and "baseline import" in res.err


def test_hot_path_never_imports_detect_secrets_or_gitpython(repo: Path) -> None:
    _write_keys(repo, 45)
    code = (
        "import sys; from launchready.cli import main; rc = main(['scan', '-q']); "
        "bad = [m for m in ('detect_secrets', 'git') if m in sys.modules]; "
        "print(rc, bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "1 []"
