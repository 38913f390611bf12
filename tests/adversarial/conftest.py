"""Helpers for the adversarial suite: the real CLI in a subprocess, with a wall-clock limit."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def launchready(args: list[str], cwd: Path, timeout: float = 60, env: dict[str, str] | None = None) -> Run:
    """``python -m launchready ARGS`` in ``cwd``; a hang past ``timeout`` fails the test."""
    full = {**os.environ, **(env or {})}
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def action(
    tmp: Path,
    workspace: Path,
    event_name: str,
    payload: dict[str, object],
    timeout: float = 120,
    raw_event: str | None = None,
    fifo_event: bool = False,
    **inputs: str,
) -> Run:
    """``launchready action`` in a subprocess, with the variables GitHub sets. ``raw_event``
    replaces the payload file's text; ``fifo_event`` makes it a FIFO nobody writes to."""
    from tests.action.helpers import github_env

    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env.update(github_env(tmp, workspace, event_name, payload, inputs))
    event = Path(env["GITHUB_EVENT_PATH"])
    if raw_event is not None:
        event.write_text(raw_event)
    if fifo_event:
        event.unlink()
        os.mkfifo(event)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", "action"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def pr_payload(base: str, head_sha: str, n: int = 1) -> dict[str, object]:
    return {
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "commits": n,
            "base": {"sha": base, "ref": "main"},
            "head": {"sha": head_sha, "ref": "feature"},
        },
        "repository": {"default_branch": "main", "full_name": "acme/app"},
    }
