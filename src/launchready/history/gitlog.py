"""Run ``git log -p`` and stream it commit by commit, without holding the history in memory.

The format puts a separator no text diff or commit message can contain (it starts with a
NUL byte) before each commit, then NUL-separated header fields, then the patch.
Options that a user's git config could use to change the output are pinned on the command
line (prefixes, colour, external diff drivers, textconv, relative paths, path quoting).
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

SEP = b"\x00\x1eLRC\x00"
FORMAT = "%x00%x1eLRC%x00%H%x00%ct%x00%an <%ae>%x00%aI%x00%B%x00"
READ_SIZE = 1 << 20
PIPE_SIZE = 1 << 20  # Linux caps it at /proc/sys/fs/pipe-max-size (1 MiB by default)

GIT_CONFIG = (
    "-c", "core.quotePath=false", "-c", "log.showSignature=false", "-c", "diff.relative=false",
    "-c", "core.precomposeUnicode=true", "-c", "diff.noprefix=false",
)  # fmt: skip


@dataclass
class Commit:
    sha: str
    time: int
    author_raw: bytes  # decoded on demand: most commits never need it
    date_raw: bytes
    message: bytes
    patch: bytes

    @property
    def author(self) -> str:
        return self.author_raw.decode("utf-8", "replace")

    @property
    def date(self) -> str:
        return self.date_raw.decode("ascii", "replace")


def log_command(
    root: Path, revs: Sequence[str], paths: Sequence[str] = (), extra: Sequence[str] = (), merges: bool = True
) -> list[str]:
    """``git log -p -U0`` of ``revs``. ``merges``: combined diffs of merge commits and no
    history simplification (the main scan); without, git's default simplification (enough
    to find where a line disappeared from a set of paths, and much faster)."""
    cmd = [
        "git", "-C", str(root), *GIT_CONFIG, "log", "-p", "-U0", "--no-renames",
        "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
        "--no-indent-heuristic", f"--format={FORMAT}",
    ]  # fmt: skip
    if merges:
        cmd += ["--cc", "--full-history"]
    cmd += [*extra, *revs, "--"]
    cmd.extend(f":(literal){p}" for p in paths)
    return cmd


def _parse(record: bytes) -> Commit | None:
    parts = record.split(b"\x00", 5)
    if len(parts) < 6:
        return None
    sha, ctime, author, date, message, patch = parts
    return Commit(sha.decode("ascii", "replace"), int(ctime or b"0"), author, date, message, patch)


def stream_commits(cmd: list[str], stdin: bytes | None = None) -> Iterator[Commit]:
    """Yield each commit of ``cmd``'s output as soon as it is complete. ``stdin`` (for
    ``--stdin``) is written whole first: git reads all of it before it writes anything."""
    # A large pipe lets git run ahead while we scan; read1 takes what is there instead of
    # waiting for a full block, so git and the scan overlap rather than take turns.
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, pipesize=PIPE_SIZE,
        stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
    )  # fmt: skip
    if stdin is not None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(stdin)
        finally:
            proc.stdin.close()
    assert proc.stdout is not None
    out = cast(io.BufferedReader, proc.stdout)
    pending: list[bytes] = []  # pieces of the current record: a huge commit is joined once
    try:
        while True:
            block = out.read1(READ_SIZE)
            if not block:
                break
            while any(block.endswith(SEP[:k]) for k in range(1, len(SEP))):
                more = out.read(len(SEP))  # never split a separator between two blocks
                if not more:
                    break
                block += more
            pos = 0
            idx = block.find(SEP)
            while idx >= 0:
                if pending:
                    pending.append(block[pos:idx])
                    record = b"".join(pending)
                    pending.clear()
                else:
                    record = block[pos:idx]
                commit = _parse(record) if record else None
                if commit is not None:
                    yield commit
                pos = idx + len(SEP)
                idx = block.find(SEP, pos)
            pending.append(block[pos:])
        record = b"".join(pending)
        commit = _parse(record) if record else None
        if commit is not None:
            yield commit
    finally:
        proc.stdout.close()
        err = proc.stderr.read() if proc.stderr else b""
        code = proc.wait()
        if proc.stderr:
            proc.stderr.close()
    if code != 0:
        raise GitError(f"git log failed ({code}): {err.decode('utf-8', 'replace').strip()}")


class GitError(RuntimeError):
    pass
