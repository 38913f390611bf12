"""The Action adds the launch handover to the job summary when `inventory: true`, using the
secrets its own history scan found, and never a value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.action.helpers import in_process_runner
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
    run = in_process_runner(run_cli, monkeypatch, tmp_path)(
        ws, "workflow_dispatch", {}, mode="history", inventory="true"
    )
    assert run.code == 1  # the leaked key in history
    summary = run.summary
    assert "## Launch handover" in summary and "| OpenAI | AI provider |" in summary
    assert "| `RESEND_API_KEY` | Resend | `lib/email.ts:3` |" in summary  # read, defined nowhere here
    assert "removed, still in history" in summary
    assert key not in summary and key not in run.out
