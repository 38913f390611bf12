"""Run ``git log -p`` and stream it commit by commit, without holding the history in memory.

The format puts a separator no text diff or commit message can contain (it starts with a
NUL byte) before each commit, then NUL-separated header fields, then the patch.
Options that a user's git config could use to change the output are pinned on the command
line (prefixes, colour, external diff drivers, textconv, relative paths, path quoting).
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

from launchready import procs
from launchready.history.logproc import GIT_CONFIG, READ_SIZE, start_log
from launchready.secrets.sources import read_batch_blob, read_batch_header

T = TypeVar("T")

SEP = b"\x00\x1eLRC\x00"
# git ends every entry with a newline, so a real separator always follows one. With --text a
# committed file may contain SEP itself, but only after a patch line's '+', '-' or ' '.
NLSEP = b"\n" + SEP
# A commit whose log record (header, message and patch) is larger is not held in memory: its
# patch is dropped as it streams past and the commit is scanned file by file from its blobs
# instead, in bounded windows (``Collector.scan_oversized``), as ``scan`` reads a large file.
# A record held costs about 12 times its size while it is split and scanned (a 20 MB line
# took 260 MB): 8 MiB bounds that near 100 MB, above the largest commit of the real histories
# measured (requests 3.5 MB, scrapy 2.2 MB, fastapi 5.4 MB: bench/RESULTS.md, "history memory").
MAX_RECORD = 8 << 20
HEAD_KEEP = 1 << 20  # bytes of an oversized record kept: its header fields and message


@dataclass
class Commit:
    sha: str
    time: int
    author_raw: bytes  # decoded on demand: most commits never need it
    date_raw: bytes
    message: bytes
    patch: bytes
    oversized: int = 0  # bytes of a record over MAX_RECORD (its patch is not kept), else 0

    @property
    def author(self) -> str:
        return self.author_raw.decode("utf-8", "replace")

    @property
    def date(self) -> str:
        return self.date_raw.decode("ascii", "replace")


def _parse(record: bytes, oversized: int = 0) -> Commit | None:
    parts = record.split(b"\x00", 5)
    if oversized:  # only the head was kept: the patch is read again from blobs
        parts = (parts + [b""] * 6)[:6]
        parts[5] = b""
    if len(parts) < 6 or not parts[0]:
        return None
    sha, ctime, author, date, message, patch = parts
    try:
        when = int(ctime or b"0")
    except ValueError:
        when = 0
    return Commit(sha.decode("ascii", "replace"), when, author, date, message, patch, oversized)


def _head(pieces: list[bytes]) -> bytes:
    """The first HEAD_KEEP bytes of ``pieces`` joined, without joining all of them."""
    out: list[bytes] = []
    left = HEAD_KEEP
    for piece in pieces:
        if left <= 0:
            break
        out.append(piece[:left])
        left -= len(out[-1])
    return b"".join(out)


def read_commits(out: io.BufferedReader, max_record: int | None = None) -> Iterator[Commit]:
    """Yield each commit of a ``log_command`` output as soon as it is complete. ``read1``
    takes what is there instead of waiting for a full block, so git and the scan overlap.
    A record past ``max_record`` bytes keeps only its first HEAD_KEEP bytes (``oversized``)."""
    limit = MAX_RECORD if max_record is None else max_record
    pending: list[bytes] = []  # pieces of the current record: a huge commit is joined once
    size = 0  # bytes of the current record so far
    first = True
    while True:
        block = out.read1(READ_SIZE)
        if not block:
            break
        if first:  # the stream starts with a separator: give it the newline the others have
            block, first = b"\n" + block, False
        while any(block.endswith(NLSEP[:k]) for k in range(1, len(NLSEP))):
            more = out.read(len(NLSEP))  # never split a separator between two blocks
            if not more:
                break
            block += more
        pos = 0
        idx = block.find(NLSEP)
        while idx >= 0:
            piece = block[pos : idx + 1]
            over = size + len(piece) if size + len(piece) > limit else 0
            if over:
                record = _head([*pending, piece])
                pending.clear()
            elif pending:
                pending.append(piece)
                record = b"".join(pending)
                pending.clear()
            else:
                record = piece
            commit = _parse(record, over) if record else None
            record = piece = b""  # not held while the commit is scanned (its patch is a copy)
            if commit is not None:
                yield commit
                commit = None
            size = 0
            pos = idx + len(NLSEP)
            idx = block.find(NLSEP, pos)
        rest = len(block) - pos
        if size + rest > limit:  # drop what streams past; keep the head for the header fields
            if size <= limit:
                pending[:] = [_head([*pending, block[pos:]])]
        else:
            pending.append(block[pos:])
        size += rest
    over = size if size > limit else 0
    record = b"".join(pending)
    commit = _parse(record, over) if record else None
    if commit is not None:
        yield commit


def stream_commits(cmd: list[str], stdin: bytes | None = None) -> Iterator[Commit]:
    """Run ``cmd`` and yield its commits (``read_commits``); a failing git raises GitError."""
    proc = start_log(cmd, stdin)
    try:
        yield from read_commits(cast(io.BufferedReader, proc.stdout))
    finally:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        err = proc.stderr.read()
        code = proc.wait()
        proc.stderr.close()
    if code != 0:
        raise GitError(f"git log failed ({code}): {err.decode('utf-8', 'replace').strip()}")


# Commits a ``Blobs`` process may sit unused before it is stopped (``Blobs.tick``).
BLOBS_IDLE_COMMITS = 32


class Blobs:
    """``git cat-file --batch``, asked one object at a time and started on first use: one
    process for a run of lookups instead of one per lookup. A history asks for blobs a few
    times per thousand commits (a merge's binary file, a notebook, a PEM body): a process
    left unused for ``BLOBS_IDLE_COMMITS`` commits is stopped (``tick``), so it does not hold
    its ~10 MB (pack index, windows) through the rest of the scan."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._proc: subprocess.Popen[bytes] | None = None
        self._idle = 0

    def tick(self) -> None:
        """One more commit scanned: stop the process if it has not been asked for a while."""
        if self._proc is not None:
            self._idle += 1
            if self._idle > BLOBS_IDLE_COMMITS:
                self.close()

    def get(self, rev: str, path: str) -> bytes | None:
        """The blob at ``rev:path`` (``path`` surrogate-escaped, as git spells it), or None."""
        spec = f"{rev}:{path}".encode("utf-8", "surrogateescape")
        if b"\n" in spec:  # the batch protocol is line based
            out = subprocess.run(
                ["git", "-C", str(self.root), *GIT_CONFIG, "cat-file", "blob", spec], capture_output=True, check=False
            )
            return out.stdout if out.returncode == 0 else None
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(spec + b"\n")
        proc.stdin.flush()
        return read_batch_blob(proc.stdout)[1]

    def stream(self, name: str, consume: Callable[[Iterator[bytes]], T], head: int, block: int) -> T | None:
        """``consume`` of blob ``name``'s bytes (an object id, or ``rev:path`` without a line
        break) in pieces (the first at most ``head`` bytes, then at most ``block``), read from
        the batch process: a large blob is never whole in memory, and many blobs cost one
        process. What ``consume`` leaves unread is skipped. None: no such blob."""
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        out = proc.stdout
        proc.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        proc.stdin.flush()
        more, kind, left = read_batch_header(out)
        if not kind:
            if not more:
                self.close()  # git is gone: the next request starts another
            return None

        def pieces() -> Iterator[bytes]:
            nonlocal left
            size = head
            while left > 0:
                piece = out.read(min(size, left))
                if not piece:
                    raise GitError("git cat-file ended inside an object it was sending")
                left -= len(piece)
                size = block
                yield piece

        try:
            result = consume(pieces()) if kind == b"blob" else None
        except BaseException:
            self.close()  # not the rest of a large blob read on the way out: the next request starts another
            raise
        while left > 0:  # skip what consume did not read, then the newline after it
            skipped = out.read(min(block, left))
            if not skipped:
                break
            left -= len(skipped)
        out.read(1)
        return result

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            args, preexec = procs.dying_with_parent(["git", "-C", str(self.root), *GIT_CONFIG, "cat-file", "--batch"])
            self._proc = subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=preexec
            )
        self._idle = 0
        return self._proc

    def close(self) -> None:
        if self._proc is not None:
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.close()
            self._proc.stdout.close()
            self._proc.wait()
            self._proc = None


class GitError(RuntimeError):
    pass
