"""docs/workflows/org-audit*.yml agree with action.yml and with `launchready merge`: inputs the
workflow passes exist, the report path it uploads is the one it asks the Action to write, the
artifacts it downloads are the ones it uploads, and the merge flags it uses exist."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from launchready.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
ORG = REPO / "docs" / "workflows" / "org-audit.yml"
BATCH = REPO / "docs" / "workflows" / "org-audit-batch.yml"


def _load(path: Path) -> dict:
    wf = yaml.safe_load(path.read_text())
    wf["on"] = wf.pop(True)  # YAML 1.1 reads the key `on` as true
    return wf


def test_batch_passes_only_action_inputs_and_uploads_what_the_action_writes() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    job = _load(BATCH)["jobs"]["history"]
    assert job["strategy"]["fail-fast"] is False
    assert "max-parallel" in job["strategy"]
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0 and checkout["with"]["repository"] == "${{ matrix.repo }}"
    ours = next(s for s in steps if s.get("uses", "").startswith("launchready/launchready"))
    assert set(ours["with"]) <= set(action["inputs"]), set(ours["with"]) - set(action["inputs"])
    assert ours["with"]["mode"] == "history"
    assert ours["env"]["LAUNCHREADY_REPOSITORY"] == "${{ matrix.repo }}"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()"
    assert upload["with"]["path"] == ours["with"]["json_path"]
    assert upload["with"]["name"].startswith("launchready-report-")
    for ref in re.findall(r"steps\.\w+\.outputs\.(\w+)", BATCH.read_text()):
        assert ref in action["outputs"], ref


def test_org_audit_lists_batches_and_merges_every_report() -> None:
    wf = _load(ORG)
    assert {"schedule", "workflow_dispatch", "workflow_call"} <= set(wf["on"])
    assert wf["permissions"] == {"contents": "read"}
    jobs = wf["jobs"]
    listing = jobs["list"]["steps"][0]["run"]
    assert "gh repo list" in listing and "250" in listing  # under GitHub's 256 jobs per matrix
    assert jobs["scan"]["uses"] == "./.github/workflows/org-audit-batch.yml"
    assert jobs["scan"]["strategy"]["fail-fast"] is False
    batch_inputs = _load(BATCH)["on"]["workflow_call"]["inputs"]
    assert set(jobs["scan"]["with"]) <= set(batch_inputs)
    merge = jobs["merge"]
    assert "always()" in merge["if"]
    download = next(s for s in merge["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"]["pattern"] == "launchready-*"
    repos_artifact = next(s for s in jobs["list"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    run = next(s for s in merge["steps"] if "launchready merge" in s.get("run", ""))["run"]
    assert f"{download['with']['path']}/{repos_artifact['with']['name']}/{repos_artifact['with']['path']}" in run
    # every flag the merge step uses is one `launchready merge` offers
    parser = build_parser("merge")
    sub = next(a for a in parser._actions if a.dest == "command").choices["merge"]  # type: ignore[attr-defined]
    offered = {o for a in sub._actions for o in a.option_strings}
    used = set(re.findall(r"(?<=\s)--[a-z-]+", run.split("launchready merge", 1)[1]))
    assert used and used <= offered, used - offered
