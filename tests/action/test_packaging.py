"""action.yml, the Dockerfile and the example workflows, checked by the tools GitHub users run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tests.action.helpers import ACTION_INPUTS

from launchready.action.inputs import Inputs

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / "docs" / "workflows").glob("*.yml"))
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _tool(name: str) -> list[str]:
    # The test extras' own copy first (the venv running these tests), then PATH.
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (it is in the test extras: pip install -e '.[test]')")
    return [found]


def test_action_yml_matches_githubs_action_schema() -> None:
    out = subprocess.run(
        [*_tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(REPO / "action.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_example_workflows_match_githubs_workflow_schema() -> None:
    assert {p.name for p in WORKFLOWS} >= {
        "pr-check.yml",
        "push.yml",
        "nightly-history.yml",
        "post-deploy.yml",
        "sarif-upload.yml",
        "journey.yml",
    }
    out = subprocess.run(
        [*_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_dockerfile_passes_hadolint_and_keeps_the_contract() -> None:
    out = subprocess.run([*_tool("hadolint"), str(REPO / "Dockerfile")], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    text = (REPO / "Dockerfile").read_text()
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[0] == "ARG BASE=python:3.12-slim" and lines[1] == "FROM ${BASE}"
    assert "ARG PIP_CERT" in text and 'ENTRYPOINT ["launchready", "action"]' in text


def test_action_yml_declares_what_the_entrypoint_reads_and_writes() -> None:
    spec = yaml.safe_load((REPO / "action.yml").read_text())
    assert spec["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert spec["branding"]["icon"] and spec["branding"]["color"]
    assert len(spec["description"]) <= 125  # Marketplace limit
    assert set(spec["inputs"]) == set(ACTION_INPUTS) == set(Inputs.__dataclass_fields__)
    assert all(not name.count("-") for name in spec["inputs"])  # INPUT_FAIL-ON is unreadable in shells
    defaults = Inputs()
    for name, entry in spec["inputs"].items():
        assert entry["description"].strip()
        if name in ("json_path", "junit_path", "sarif_path", "mode"):
            assert entry["default"] == getattr(defaults, name)
    assert set(spec["outputs"]) == {"findings", "failed_checks", "report_path", "junit_path", "sarif_path"}


def test_workflows_pin_actions_and_set_what_each_needs() -> None:
    for path in WORKFLOWS:
        wf = yaml.safe_load(path.read_text())
        assert "permissions" in wf, path.name
        for job in wf["jobs"].values():
            for step in job.get("steps", []):
                uses = step.get("uses", "")
                if uses.startswith(("actions/", "github/")):
                    assert SHA_PIN.match(uses), f"{path.name}: {uses} is not pinned to a commit SHA"
                if uses.startswith("actions/checkout") and path.name not in ("post-deploy.yml", "journey.yml"):
                    assert step["with"]["fetch-depth"] == 0, path.name
    sarif = yaml.safe_load((REPO / "docs/workflows/sarif-upload.yml").read_text())
    assert sarif["permissions"]["security-events"] == "write"
    assert yaml.safe_load((REPO / "docs/workflows/nightly-history.yml").read_text())[True]["schedule"]
    journey = yaml.safe_load((REPO / "docs/workflows/journey.yml").read_text())
    assert journey[True]["schedule"] == [{"cron": "*/15 * * * *"}] and "deployment_status" in journey[True]
    steps = journey["jobs"]["journey"]["steps"]
    run = next(s["run"] for s in steps if s.get("name") == "Run the journey")
    assert "launchready journey" in run and "--state .launchready-state/journey.json" in run
    assert "${{" not in run  # event fields reach the script through env, never inline
    restore, save = (
        next(s for s in steps if s.get("uses", "").startswith(f"actions/cache/{k}@")) for k in ("restore", "save")
    )
    assert restore["with"]["path"] == save["with"]["path"] == ".launchready-state"


def test_our_own_scan_passes_on_the_action_files(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(
        ["scan", "-q", "--fail-on", "low", "action.yml", "Dockerfile", "docs/workflows", "docs/action.md"], REPO
    )
    assert res.code == 0, res.out + res.err
