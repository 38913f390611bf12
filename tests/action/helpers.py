"""Build real repositories and drive ``launchready action`` the way GitHub does: an event
payload file, GITHUB_* variables, INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import commit_file, git

ACTION_INPUTS = (
    "mode",
    "config",
    "url",
    "fail_on",
    "baseline",
    "base_ref",
    "json_path",
    "junit_path",
    "sarif_path",
    "annotations",
    "summary",
    "strict_suppressions",
    "allow_env",
    "inventory",
)


@dataclass
class ActionRun:
    code: int
    out: str
    err: str
    outputs: dict[str, str]
    summary: str
    report: dict[str, Any] | None
    workspace: Path

    @property
    def annotations(self) -> list[str]:
        return [ln for ln in self.out.splitlines() if ln.startswith(("::error ", "::warning ", "::notice "))]


def parse_outputs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delim = line.split("<<", 1)
            body = []
            for more in lines:
                if more == delim:
                    break
                body.append(more)
            out[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
    return out


def github_env(
    tmp: Path, workspace: Path, event_name: str, payload: dict[str, Any], inputs: dict[str, str]
) -> dict[str, str]:
    """The variables GitHub gives a Docker action's container (paths under ``tmp``)."""
    files = tmp / "file_commands"
    files.mkdir(parents=True, exist_ok=True)
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(payload))
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(files / "set_output"),
        "GITHUB_STEP_SUMMARY": str(files / "step_summary"),
    }
    for name, value in inputs.items():
        assert name in ACTION_INPUTS, name
        env[f"INPUT_{name.upper()}"] = value
    return env


def collect(
    code: int, out: str, err: str, env: dict[str, str], workspace: Path, report_path: Path | None = None
) -> ActionRun:
    outputs_file = Path(env["GITHUB_OUTPUT"])
    summary_file = Path(env["GITHUB_STEP_SUMMARY"])
    outputs = parse_outputs(outputs_file.read_text()) if outputs_file.exists() else {}
    summary = summary_file.read_text() if summary_file.exists() else ""
    rp = report_path or workspace / "launchready-report" / "report.json"
    report = json.loads(rp.read_text()) if rp.exists() else None
    return ActionRun(code, out, err, outputs, summary, report, workspace)


def clone(origin: Path, dest: Path, *args: str) -> Path:
    subprocess.run(["git", "clone", "-q", *args, f"file://{origin}", str(dest)], check=True, capture_output=True)
    return dest


def new_origin(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q")
    commit_file(path, "README.md", "# app\n", "initial")
    return path


def head(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", rev).strip()


def commits(repo: Path, n: int, prefix: str, secret_at: dict[int, str] | None = None) -> list[str]:
    """``n`` commits touching ``<prefix>/f<i>.py``; ``secret_at[i]`` puts a line in commit ``i``
    (1-based), e.g. ``{35: "TOKEN = '...'"}``."""
    shas = []
    for i in range(1, n + 1):
        extra = (secret_at or {}).get(i, "")
        shas.append(commit_file(repo, f"{prefix}/f{i}.py", f"x = {i}\n{extra}\n", f"{prefix} commit {i}"))
    return shas


Runner = Callable[..., ActionRun]


def in_process_runner(run_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Runner:
    """``launchready action`` in this process with the variables GitHub sets (a fresh
    file-commands directory per run); ``run(workspace, event_name, payload, **inputs)``."""
    counter = iter(range(1000))

    def _run(workspace: Path, event_name: str, payload: dict[str, Any], **inputs: str) -> ActionRun:
        env = github_env(tmp_path / f"github-{next(counter)}", workspace, event_name, payload, inputs)
        for k in [k for k in os.environ if k.startswith("INPUT_")]:
            monkeypatch.delenv(k)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        res = run_cli(["action"], workspace)
        return collect(res.code, res.out, res.err, env, workspace)

    return _run
