"""``gitlog.Blobs``: one ``git cat-file --batch`` for a run of lookups, stopped once unused for
a while (it holds its pack index and windows), started again when asked. Real git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

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


def test_blobs_are_streamed_in_pieces_and_the_protocol_stays_in_step(repo: Path) -> None:
    """``Blobs.stream``: pieces of at most ``head`` then ``block`` bytes; what the reader leaves
    unread is skipped, so the next answer is the next blob's; a missing object is None; a
    reader that fails stops the process (no large rest read on the way out)."""
    big = b"".join(b"line %06d\n" % i for i in range(20_000))  # 220,000 bytes
    (repo / "big.txt").write_bytes(big)
    (repo / "small.txt").write_bytes(b"small\n")
    subprocess.run(["git", "-C", str(repo), "add", "big.txt", "small.txt"], check=True)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", "two"], check=True)

    def oid(name: str) -> str:
        return subprocess.run(
            ["git", "-C", str(repo), "rev-parse", f"HEAD:{name}"], capture_output=True, text=True, check=True
        ).stdout.strip()

    blobs = gitlog.Blobs(repo)
    try:
        sizes: list[int] = []
        whole = blobs.stream(oid("big.txt"), lambda it: b"".join(sizes.append(len(p)) or p for p in it), 100, 65536)
        assert whole == big and sizes[0] == 100 and max(sizes) == 65536
        assert blobs.stream(oid("big.txt"), lambda it: next(it), 8192, 65536) == big[:8192]  # the rest skipped
        assert blobs.stream(oid("small.txt"), lambda it: b"".join(it), 8192, 65536) == b"small\n"
        assert blobs.stream("0" * 40, lambda it: b"".join(it), 8192, 65536) is None

        def fail(it: object) -> bytes:
            raise ValueError("reader failed")

        first = blobs._proc
        with pytest.raises(ValueError, match="reader failed"):
            blobs.stream(oid("big.txt"), fail, 8192, 65536)
        assert blobs._proc is None and first is not None and first.returncode is not None
        assert blobs.stream(oid("small.txt"), lambda it: b"".join(it), 8192, 65536) == b"small\n"
    finally:
        blobs.close()
