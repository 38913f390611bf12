"""Run ``git log -p`` and stream it commit by commit, without holding the history in memory.

The format puts a separator no text diff or commit message can contain (it starts with a
NUL byte) before each commit, then NUL-separated header fields, then the patch.
Options that a user's git config could use to change the output are pinned on the command
line (prefixes, colour, external diff drivers, textconv, relative paths, path quoting).
"""

from __future__ import annotations

import collections
import io
import os
import select
import subprocess
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from launchready import procs
from launchready.secrets.sources import read_batch_blob

SEP = b"\x00\x1eLRC\x00"
# git ends every entry with a newline, so a real separator always follows one. With --text a
# committed file may contain SEP itself, but only after a patch line's '+', '-' or ' '.
NLSEP = b"\n" + SEP
FORMAT = "%x00%x1eLRC%x00%H%x00%ct%x00%an <%ae>%x00%aI%x00%B%x00"
READ_SIZE = 1 << 20
# A commit whose log record (header, message and patch) is larger is not held in memory: its
# patch is dropped as it streams past and the commit is scanned file by file from its blobs
# instead, in bounded windows (``Collector.scan_oversized``), as ``scan`` reads a large file.
# A record held costs about 12 times its size while it is split and scanned (a 20 MB line
# took 260 MB): 8 MiB bounds that near 100 MB, above the largest commit of the real histories
# measured (requests 3.5 MB, scrapy 2.2 MB, fastapi 5.4 MB: bench/RESULTS.md, "history memory").
MAX_RECORD = 8 << 20
HEAD_KEEP = 1 << 20  # bytes of an oversized record kept: its header fields and message
PIPE_SIZE = 1 << 20  # Linux caps it at /proc/sys/fs/pipe-max-size (1 MiB by default)

GIT_CONFIG = (
    "-c",
    "core.quotePath=false",
    "-c",
    "log.showSignature=false",
    "-c",
    "diff.relative=false",
    "-c",
    "core.precomposeUnicode=true",
    "-c",
    "diff.noprefix=false",
    # never fetch a partial clone's missing objects from its promisor remote: history reads
    # local objects only (a fetch per object is slow, needs the network, and can hang)
    "-c",
    "protocol.allow=never",
    # git keeps up to 96 MB of delta bases per process by default and maps pack files in 1 GiB
    # windows (the pages it touched count in its RSS until it exits): 16 MB of delta bases and
    # at most 8 MB of pack mapped, in 1 MB windows, cost no CPU measured on scrapy and fastapi
    # and keep each of the two logs ~45 MB instead of ~85 MB (bench/RESULTS.md, sections
    # history-memory and history-pipe-memory; 16 MB of pack mapped: 5 MB more per log, 4 MB:
    # 6% more git CPU)
    "-c",
    "core.deltaBaseCacheLimit=16m",
    "-c",
    "core.packedGitWindowSize=1m",
    "-c",
    "core.packedGitLimit=8m",
)


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


def log_command(
    root: Path, revs: Sequence[str], paths: Sequence[str] = (), extra: Sequence[str] = (), merges: bool = True
) -> list[str]:
    """``git log -p -U0`` of ``revs``. ``merges`` (the main scan): combined diffs of merge
    commits, no history simplification, and no content for deleted files (``-D``: a
    deletion adds nothing, and the removal lookup reads it separately); without, git's
    default simplification (enough to find where a line disappeared from a set of paths,
    and much faster) and deleted files in full."""
    cmd = [
        "git",
        "-C",
        str(root),
        *GIT_CONFIG,
        "log",
        "-p",
        "-U0",
        "--no-renames",
        "--no-color",
        "--text",
        "--no-ext-diff",
        "--no-textconv",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        "--no-indent-heuristic",
        "--diff-algorithm=myers",  # pinned: a user's diff.algorithm changes which lines count as added
        "--full-index",
        f"--format={FORMAT}",
    ]
    if merges:
        cmd += ["--cc", "--full-history", "--irreversible-delete"]
    cmd += [*extra, *revs, "--"]
    cmd.extend(f":(literal){p}" for p in paths)
    return cmd


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


def start_log(cmd: list[str], stdin: bytes | None = None, die_with_parent: bool = False) -> subprocess.Popen[bytes]:
    """Start ``cmd`` (a ``git log``) with a large pipe: git runs ahead while we scan.
    ``stdin`` (for ``--stdin``) is written whole first: git reads all of it before it writes.
    ``die_with_parent``: a log that may run for minutes stops when this process dies
    (``procs.dying_with_parent``). git writes its output in blocks (``procs.block_buffered``),
    not flushing after each commit."""
    cmd = procs.block_buffered(cmd)
    args, preexec = procs.dying_with_parent(cmd) if die_with_parent else (cmd, None)
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pipesize=PIPE_SIZE,
        stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
        preexec_fn=preexec,
        env={**os.environ, "GIT_FLUSH": "0"},  # else git flushes after every commit into a pipe
    )
    if stdin is not None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(stdin)
        finally:
            proc.stdin.close()
    return proc


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


AHEAD_BYTES = 2 << 20  # of a log's output read ahead of the scan (``ReadAhead``)
AHEAD_READ = 256 << 10  # bytes the reader thread takes from the pipe at a time
# Read ahead while the scan is still starting (imports, rules compiled, the child forked):
# git runs on during that half second instead of stopping when the 1 MiB pipe is full.
EARLY_AHEAD_BYTES = 8 << 20
# How long a paused reader may take to notice (it never blocks in a read): the scan waits
# that long before it forks. Only a reader waiting for git wakes this often.
PAUSE_POLL_MS = 5


class ReadAhead:
    """A ``git log`` pipe drained by a thread into a bounded buffer (``AHEAD_BYTES``), read
    back with ``read1``/``read`` as ``read_commits`` reads a pipe. The pipe holds at most 1 MiB
    (``PIPE_SIZE``): without this, git stops each time it is full while the scan is busy with a
    large commit or waits for a CPU, and the scan stops each time it is empty. The thread is
    this process's: ``pause()`` it before a fork (what it read stays buffered) and go on with
    ``resumed()`` in the process that reads the log; ``stop()`` before the pipe is closed."""

    def __init__(self, pipe: io.BufferedReader, limit: int = AHEAD_BYTES, _from: ReadAhead | None = None) -> None:
        self._fd = pipe.fileno()
        self._pipe = pipe
        self._limit = limit
        self._chunks: collections.deque[bytes] = _from._chunks if _from is not None else collections.deque()
        self._size: int = _from._size if _from is not None else 0
        self._eof: bool = _from._eof if _from is not None else False
        self._stopped = False
        # the main thread takes the lock itself (``with self._lock``: acquired in C, nowhere a
        # signal's exception can come between): ``with self._cond`` enters through Python code,
        # and a Ctrl-C raised there once the lock was taken left it held, so ``stop()`` waited
        # forever for a reader blocked on it
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._thread = threading.Thread(target=self._drain, name="git-log-reader", daemon=True)
        self._thread.start()

    def resumed(self, limit: int = AHEAD_BYTES) -> ReadAhead:
        """A reader that goes on from this paused one, with what it buffered."""
        return ReadAhead(self._pipe, limit, _from=self)

    def resumed_or_same(self) -> ReadAhead:
        """This reader, bounded to ``AHEAD_BYTES`` from now, if it is still running; else
        one that goes on from it (``resumed``)."""
        with self._lock:
            if not self._stopped:
                self._limit = AHEAD_BYTES
                return self
        return self.resumed()

    def hold(self, size: int) -> None:
        """Read ahead at most ``size`` bytes from now on."""
        with self._lock:
            self._limit = size
            self._cond.notify_all()

    def peek(self, size: int) -> list[bytes]:
        """About ``size`` bytes of what is buffered, left in place: the head of every chunk
        read so far (each a read's worth of some commits), so the sample spans all of it
        rather than its first commits."""
        with self._lock:
            chunks = list(self._chunks)
        if not chunks:
            return []
        each = max(4096, size // len(chunks))
        return [chunk[:each] for chunk in chunks]

    def drop(self) -> None:
        """Forget what was buffered (a paused reader of a log another process reads)."""
        self._chunks = collections.deque()
        self._size = 0

    def _drain(self) -> None:
        cond = self._cond
        poller = select.poll()
        poller.register(self._fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        while True:
            with cond:
                while self._size >= self._limit and not self._stopped:
                    cond.wait()
                if self._stopped or self._eof:
                    return
            if not poller.poll(PAUSE_POLL_MS):  # never blocked in a read: pause() returns soon
                continue
            try:
                data = os.read(self._fd, AHEAD_READ)  # releases the GIL while git writes
            except OSError:
                data = b""
            with cond:
                if data:
                    self._chunks.append(data)
                    self._size += len(data)
                else:
                    self._eof = True
                cond.notify_all()
            if not data:
                return

    def read1(self, size: int = READ_SIZE) -> bytes:
        """What is buffered, up to ``size`` bytes (waits for some); b"" at the end."""
        with self._lock:
            while not self._chunks and not self._eof and not self._stopped:
                self._cond.wait()
            if not self._chunks:
                return b""
            data = self._chunks.popleft()
            if len(data) > size:
                self._chunks.appendleft(data[size:])
                data = data[:size]
            self._size -= len(data)
            self._cond.notify_all()
            return data

    def read(self, size: int) -> bytes:
        """``size`` bytes, fewer only at the end."""
        parts: list[bytes] = []
        while size > 0:
            data = self.read1(size)
            if not data:
                break
            parts.append(data)
            size -= len(data)
        return b"".join(parts)

    def ask_to_stop(self) -> None:
        """Tell the thread to stop reading, without waiting for it (``stop`` waits): several
        readers asked first and then waited for take one wait, not one each."""
        with self._lock:
            self._stopped = True
            self._cond.notify_all()

    def stop(self) -> None:
        """Stop reading and wait for the thread (at most ``PAUSE_POLL_MS`` and one read).
        What was read stays buffered (``resumed``)."""
        self.ask_to_stop()
        self._thread.join()

    pause = stop


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
        if self._proc is None:
            args, preexec = procs.dying_with_parent(["git", "-C", str(self.root), *GIT_CONFIG, "cat-file", "--batch"])
            self._proc = subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=preexec
            )
        self._idle = 0
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(spec + b"\n")
        self._proc.stdin.flush()
        return read_batch_blob(self._proc.stdout)[1]

    def close(self) -> None:
        if self._proc is not None:
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.close()
            self._proc.stdout.close()
            self._proc.wait()
            self._proc = None


class GitError(RuntimeError):
    pass
