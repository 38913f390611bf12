"""The ``git log -p`` processes of a history scan: their command line (``log_command``), how
they start (``start_log``: a large pipe, block-buffered output, dying with this process) and
the thread that reads one ahead of the scan (``ReadAhead``).

Kept apart from ``gitlog`` (which parses what they write) so that it imports only what
starting them needs: the ``launchready`` command starts a whole-history scan's logs from
here (``early``) before it loads the rest of itself.
"""

from __future__ import annotations

import collections
import contextlib
import os
import select
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence

from launchready import procs

TYPE_CHECKING = False  # not typing's: this module is imported before anything else (``early``)
if TYPE_CHECKING:
    from typing import IO

FORMAT = "%x00%x1eLRC%x00%H%x00%ct%x00%an <%ae>%x00%aI%x00%B%x00"
MAX_WORKERS = 2  # one process per end of the log (bench/RESULTS.md, "history strategies")
SNAPSHOT = ("show-ref", "--head")  # where HEAD and every ref point (``Prefetch.refs_moved``)
PIPE_SIZE = 1 << 20  # Linux caps it at /proc/sys/fs/pipe-max-size (1 MiB by default)
READ_SIZE = 1 << 20

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


# How history asks git for a patch (``git log -p``, a salvaged commit's ``diff-tree -p``):
# only added lines, every option a user's git config could change pinned.
PATCH_OPTIONS = (
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
)


def log_command(
    root: str | os.PathLike[str],
    revs: Sequence[str],
    extra: Sequence[str] = (),
    merges: bool = True,
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
        *PATCH_OPTIONS,
        f"--format={FORMAT}",
    ]
    if merges:
        cmd += ["--cc", "--full-history", "--irreversible-delete"]
    cmd += [*extra, *revs, "--"]
    return cmd


# Pathspecs given to git on its command line at most (bytes): far below what a process's
# arguments may hold (Linux: a quarter of the stack limit, 2 MiB by default, or E2BIG).
MAX_PATHSPEC_BYTES = 64 << 10


def log_input(
    root: str | os.PathLike[str],
    revs: Sequence[str],
    paths: Sequence[str],
    merges: bool = True,
) -> tuple[list[str], bytes | None]:
    """``log_command`` of ``revs`` limited to ``paths``: ``(cmd, stdin)``. Past
    ``MAX_PATHSPEC_BYTES`` the pathspecs go to git on its input (``--stdin``, after a ``--``
    line), one per line: a path with a line break (or a carriage return at its end, which
    git's line reader drops) is then matched by a glob with ``?`` in the break's place."""
    spec = [f":(literal){p}" for p in paths]
    if sum(len(s) + 1 for s in spec) <= MAX_PATHSPEC_BYTES:
        return [*log_command(root, revs, merges=merges), *spec], None
    lines = [s if "\n" not in s and not s.endswith("\r") else _line_glob(p) for s, p in zip(spec, paths, strict=True)]
    stdin = "".join(f"{s}\n" for s in ["--", *lines]).encode("utf-8", "surrogateescape")
    return log_command(root, revs, extra=["--stdin"], merges=merges), stdin


def _line_glob(path: str) -> str:
    """A glob pathspec for ``path`` that fits on one line: its glob characters escaped, each
    line break or carriage return matched by ``?``."""
    escaped = "".join("\\" + c if c in "\\*?[" else c for c in path)
    return ":(glob)" + escaped.replace("\n", "?").replace("\r", "?")


def log_args(cmd: list[str], die_with_parent: bool) -> tuple[list[str], Callable[[], None] | None]:
    """What ``start_log`` runs for ``cmd``: ``(args, preexec_fn)`` (``args`` is what the
    started process's ``args`` holds: how a log started early is recognised, ``early``)."""
    cmd = procs.block_buffered(cmd)
    return procs.dying_with_parent(cmd) if die_with_parent else (cmd, None)


def git_args(
    root: str | os.PathLike[str], *args: str, die_with_parent: bool = True
) -> tuple[list[str], Callable[[], None] | None]:
    """What ``start_git`` runs for ``git -C root args`` (local objects only): ``(args,
    preexec_fn)``, as ``log_args`` for a log."""
    cmd = ["git", "-C", str(root), "-c", "protocol.allow=never", *args]
    return procs.dying_with_parent(cmd) if die_with_parent else (cmd, None)


def start_git(root: str | os.PathLike[str], *args: str, die_with_parent: bool = True) -> subprocess.Popen[bytes]:
    """A short git command (``git_args``) whose output is read later; ``die_with_parent``:
    it stops when this process dies (``procs.dying_with_parent``)."""
    cmd, preexec = git_args(root, *args, die_with_parent=die_with_parent)
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, preexec_fn=preexec
    )


def workers_wanted(jobs: int | None = None) -> int:
    """``jobs``, else ``LAUNCHREADY_JOBS``, else the CPUs this process may use; at most
    ``MAX_WORKERS``. Always 1 where workers are not forked (``procs.can_fork``: Windows,
    macOS): the scan then runs in one process."""
    if not procs.can_fork():
        return 1
    wanted = jobs
    env = os.environ.get("LAUNCHREADY_JOBS")
    if not wanted and env and env.isdigit() and int(env) > 0:
        wanted = int(env)
    if not wanted:
        try:
            wanted = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            wanted = os.cpu_count() or 1
    return max(1, min(wanted, MAX_WORKERS))


# The heap a ``git log`` may take (``RLIMIT_DATA``). A log needs tens of MB, but git's combined
# diff of a merge that deletes a file both parents had (or rewrites one in one block) builds a
# table of every line lost in one parent by every line lost in the other: 674 MB for
# crewAI's 9,000-line ``uv.lock``, quadratic in its length, so a pull request can make it take
# every byte the runner has. Capped, git dies (``Out of memory``) and the scan goes on as for a
# damaged repository (``salvage``), where such a merge is read without its deleted files.
GIT_MEMORY_ENV = "LAUNCHREADY_GIT_MEMORY_MB"  # 0: no cap
GIT_MEMORY_MIN = 1 << 30  # never less: a large text file's diff can need hundreds of MB


def git_memory_cap() -> int | None:
    """Bytes of heap one ``git log`` may use: ``LAUNCHREADY_GIT_MEMORY_MB`` if set, else a
    quarter of this machine's memory (or of the container's cgroup limit), at least 1 GiB.
    None: no cap (set to 0, or the memory size is unknown)."""
    env = os.environ.get(GIT_MEMORY_ENV, "").strip()
    if env.isdigit():
        return int(env) << 20 or None
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    try:
        with open("/sys/fs/cgroup/memory.max", "rb") as f:  # cgroup v2; "max": no limit
            limit = f.read().strip()
        if limit.isdigit():
            total = min(total, int(limit))
    except OSError:
        pass
    return max(GIT_MEMORY_MIN, total // 4)


def cap_memory(pid: int, cap: int | None) -> None:
    """Limit process ``pid``'s heap to ``cap`` bytes (Linux; elsewhere, or if it has already
    exited, nothing). Set just after it starts: git allocates the memory this bounds only
    once it reaches the commit that needs it."""
    if cap is None or not sys.platform.startswith("linux"):
        return
    import resource

    with contextlib.suppress(OSError, ValueError):
        resource.prlimit(pid, resource.RLIMIT_DATA, (cap, cap))


def start_log(cmd: list[str], stdin: bytes | None = None, die_with_parent: bool = False) -> subprocess.Popen[bytes]:
    """Start ``cmd`` (a ``git log``) with a large pipe: git runs ahead while we scan.
    ``stdin`` (for ``--stdin``) is written whole first: git reads all of it before it writes.
    ``die_with_parent``: a log that may run for minutes stops when this process dies
    (``procs.dying_with_parent``). git writes its output in blocks (``procs.block_buffered``),
    not flushing after each commit."""
    args, preexec = log_args(cmd, die_with_parent)
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pipesize=PIPE_SIZE,
        stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
        preexec_fn=preexec,
        env={**os.environ, "GIT_FLUSH": "0"},  # else git flushes after every commit into a pipe
    )
    cap_memory(proc.pid, git_memory_cap())
    if stdin is not None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(stdin)
        finally:
            proc.stdin.close()
    return proc


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

    def __init__(self, pipe: IO[bytes], limit: int = AHEAD_BYTES, _from: ReadAhead | None = None) -> None:
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
