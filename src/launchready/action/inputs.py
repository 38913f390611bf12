"""The Action's inputs (``INPUT_<NAME>`` environment variables) and GitHub's variables."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchready.errors import UsageError
from launchready.model import Severity

MODES = ("scan", "history", "live", "all")
DEFAULT_DIR = "launchready-report"
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off", ""}


@dataclass(frozen=True)
class Inputs:
    mode: str = "all"
    config: str = ""
    url: str = ""
    fail_on: Severity | None = None
    baseline: str = ""
    base_ref: str = ""
    json_path: str = f"{DEFAULT_DIR}/report.json"
    junit_path: str = f"{DEFAULT_DIR}/junit.xml"
    sarif_path: str = f"{DEFAULT_DIR}/results.sarif"
    annotations: bool = True
    summary: bool = True
    strict_suppressions: bool = False
    allow_env: str = ""  # variables a config may name besides LR_*/LAUNCHREADY_* (comma or space separated)
    inventory: bool = False  # add the launch handover (launchready inventory) to the job summary


def _get(env: Mapping[str, str], name: str) -> str | None:
    # GitHub upper-cases input names and keeps hyphens; accept both spellings.
    for key in (f"INPUT_{name.upper()}", f"INPUT_{name.upper().replace('_', '-')}"):
        if key in env:
            return env[key].strip()
    return None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _get(env, name)
    if raw is None:
        return default
    low = raw.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return default if low == "" else False
    raise UsageError(f"input {name}: expected true or false, got {raw!r}")


def read_inputs(env: Mapping[str, str]) -> Inputs:
    d = Inputs()
    mode = (_get(env, "mode") or d.mode).lower()
    if mode not in MODES:
        raise UsageError(f"input mode: {mode!r} is not one of {', '.join(MODES)}")
    fail_on = None
    raw_fail = _get(env, "fail_on")
    if raw_fail:
        try:
            fail_on = Severity.parse(raw_fail)
        except ValueError as exc:
            raise UsageError(f"input fail_on: {exc}") from None

    def path(name: str, default: str) -> str:
        raw = _get(env, name)
        return default if raw is None else raw  # an explicit empty value turns the file off

    return Inputs(
        mode=mode,
        config=_get(env, "config") or "",
        url=_get(env, "url") or "",
        fail_on=fail_on,
        baseline=_get(env, "baseline") or "",
        base_ref=_get(env, "base_ref") or "",
        json_path=path("json_path", d.json_path),
        junit_path=path("junit_path", d.junit_path),
        sarif_path=path("sarif_path", d.sarif_path),
        annotations=_bool(env, "annotations", True),
        summary=_bool(env, "summary", True),
        strict_suppressions=_bool(env, "strict_suppressions", False),
        allow_env=_get(env, "allow_env") or "",
        inventory=_bool(env, "inventory", False),
    )


@dataclass(frozen=True)
class GitHubEnv:
    event_name: str
    event: dict[str, Any]
    workspace: Path
    output: str | None
    step_summary: str | None


def read_github(env: Mapping[str, str], cwd: Path) -> GitHubEnv:
    event: dict[str, Any] = {}
    path = env.get("GITHUB_EVENT_PATH")
    if path:
        from launchready.bounded import MAX_EVENT_BYTES, BoundedReadError, read_text

        try:
            loaded = json.loads(read_text(path, MAX_EVENT_BYTES))
        except FileNotFoundError:
            raise UsageError(f"GITHUB_EVENT_PATH points to a missing file: {path}") from None
        except RecursionError:
            raise UsageError(f"cannot read the event payload {path}: JSON nested too deeply") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, BoundedReadError) as exc:
            raise UsageError(f"cannot read the event payload {path}: {exc}") from None
        if not isinstance(loaded, dict):
            raise UsageError(f"the event payload {path} is not a JSON object")
        event = loaded
    workspace = Path(env.get("GITHUB_WORKSPACE") or cwd)
    if not workspace.is_dir():
        raise UsageError(f"GITHUB_WORKSPACE is not a directory: {workspace}")
    return GitHubEnv(
        event_name=env.get("GITHUB_EVENT_NAME", "") or "workflow_dispatch",
        event=event,
        workspace=workspace,
        output=env.get("GITHUB_OUTPUT") or None,
        step_summary=env.get("GITHUB_STEP_SUMMARY") or None,
    )
