"""``gitlog.Blobs``: one ``git cat-file --batch`` for a run of lookups, stopped once unused for
a while (it holds its pack index and windows), started again when asked. Real git."""

from __future__ import annotations

import subprocess
from pathlib import Path

from launchready.history import gitlog


def test_an_idle_blobs_process_is_stopped_and_started_again(repo: Path) -> None:
    (repo / "a.txt").write_text("one\n")
    subprocess.run(["git", "-C", str(repo), "add", "a.txt"], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", "a"], check=True)
    blobs = gitlog.Blobs(repo)
    try:
        assert blobs.get("HEAD", "a.txt") == b"one\n"
        first = blobs._proc
        assert first is not None and first.poll() is None
        for _ in range(gitlog.BLOBS_IDLE_COMMITS):
            blobs.tick()
        assert blobs._proc is first and first.poll() is None  # not idle long enough yet
        blobs.tick()
        assert blobs._proc is None and first.returncode is not None  # stopped and reaped
        assert blobs.get("HEAD", "a.txt") == b"one\n"  # started again on the next lookup
        assert blobs._proc is not None and blobs._proc is not first
        for _ in range(gitlog.BLOBS_IDLE_COMMITS):
            blobs.tick()
        assert blobs.get("HEAD", "missing.txt") is None  # a lookup keeps it going
        blobs.tick()
        assert blobs._proc is not None
    finally:
        blobs.close()
