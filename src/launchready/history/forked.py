"""The two pieces a two-process history scan needs, on bare ``os.fork``: claims shared by
both processes, and a child whose result comes back through a pipe (``launchready.procs``,
which owns every process launchready starts).

(``multiprocessing`` would do it too, but importing it and starting its threads and queues
costs ~0.05 s on a two-CPU runner: a tenth of a whole scan of a 6,000-commit history. A pool
of workers scanning shares of the commit list was measured against this and removed: see
bench/RESULTS.md, "history strategies".)
"""

from __future__ import annotations

import fcntl
import mmap
import struct
import tempfile
from collections.abc import Callable
from typing import Any

from launchready import redact
from launchready.history.gitlog import GitError
from launchready.procs import Child


class Claims:
    """Which commit each end (0: newest first, 1: oldest first) took last, plus each end's
    counts for progress, in memory shared across ``fork``. Taking a commit is atomic under a
    POSIX record lock (per process, so parent and child exclude each other)."""

    _COUNTS = 80  # offset of the (commits, bytes) pairs, after the two 40-char shas

    def __init__(self) -> None:
        self._mem = mmap.mmap(-1, 128)  # anonymous and shared: the child sees the same pages
        self._lock = tempfile.TemporaryFile()  # noqa: SIM115 - open for this object's life (close())

    def take(self, side: int, sha: str) -> bool:
        """Take ``sha`` unless the other end already did. Both ends walk the same commits in
        opposite orders, so the first commit one end meets that the other took is the other
        end's latest: they met."""
        mine, other = side * 40, (1 - side) * 40
        key = sha.encode("ascii")
        fd = self._lock.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            if self._mem[other : other + 40] == key:
                return False
            self._mem[mine : mine + 40] = key
            return True
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)

    def count(self, side: int, commits: int, scanned: int) -> None:
        struct.pack_into("qq", self._mem, self._COUNTS + 16 * side, commits, scanned)

    def counts(self) -> tuple[int, int]:
        """(commits, bytes) taken by both ends so far."""
        a, b, c, d = struct.unpack_from("qqqq", self._mem, self._COUNTS)
        return a + c, b + d

    def close(self) -> None:
        self._mem.close()
        self._lock.close()


def fork(fn: Callable[[], Any]) -> Child:
    """``fn()`` in a forked child (``procs.Child``): a git failure comes back as the
    ``GitError`` it was; any other failure as a trace scrubbed of the secrets the child saw."""
    return Child(fn, redact.scrub, (GitError,))
