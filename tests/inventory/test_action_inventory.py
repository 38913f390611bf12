"""The Action adds the launch handover to the job summary when `inventory: true`, using the
secrets its own history scan found, and never a value."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.action.helpers import collect, github_env
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen

APP = Path(__file__).resolve().parent / "apps" / "nextjs"


def test_inventory_in_the_job_summary(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(APP, ws)
    git(ws, "init", "-q")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "app")
    key = KeyGen(8).openai_project()
    commit_file(ws, "notes.txt", f"temporary {key}\n", "oops")
    (ws / "notes.txt").unlink()
    git(ws, "commit", "-qam", "remove")
    env = github_env(tmp_path / "gh", ws, "workflow_dispatch", {}, {"mode": "history", "inventory": "true"})
    for k in [k for k in os.environ if k.startswith("INPUT_")]:
        monkeypatch.delenv(k)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    res = run_cli(["action"], ws)
    run = collect(res.code, res.out, res.err, env, ws)
    assert run.code == 1  # the leaked key in history
    summary = run.summary
    assert "## Launch handover" in summary and "| OpenAI | AI provider |" in summary
    assert "| `RESEND_API_KEY` | Resend | `lib/email.ts:3` |" in summary  # read, defined nowhere here
    assert "removed, still in history" in summary
    assert key not in summary and key not in run.out
