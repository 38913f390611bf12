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
    counts for progress and the commit times it went from and has reached, in memory shared
    across ``fork``. Taking a commit is atomic under a POSIX record lock (per process, so
    parent and child exclude each other)."""

    _COUNTS = 80  # offset of each end's (commits, bytes, first commit time, last commit time)
    _SIDE = 32  # bytes per end there

    def __init__(self) -> None:
        self._mem = mmap.mmap(-1, 160)  # anonymous and shared: the child sees the same pages
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

    def count(self, side: int, commits: int, scanned: int, first: int = 0, last: int = 0) -> None:
        """This end's progress: commits and bytes taken, and the commit times (``%ct``) of its
        first and latest commit."""
        struct.pack_into("qqqq", self._mem, self._COUNTS + self._SIDE * side, commits, scanned, first, last)

    def counts(self) -> tuple[int, int]:
        """(commits, bytes) taken by both ends so far."""
        a, b, _, _, c, d, _, _ = struct.unpack_from("qqqqqqqq", self._mem, self._COUNTS)
        return a + c, b + d

    def left(self) -> float | None:
        """About how many bytes of log are left between the two ends, from the commit times
        each has reached: the time between them, at the bytes per second of history both
        have read so far. None until both have counted."""
        c0, b0, first0, last0, c1, b1, first1, last1 = struct.unpack_from("qqqqqqqq", self._mem, self._COUNTS)
        if not c0 or not c1 or last0 > first0 or last1 < first1:
            return None  # not both counted yet, or commit times that do not follow the walk
        between = last0 - last1  # the newest end walks down in time, the oldest end up
        if between <= 0:
            return 0.0
        read = (first0 - last0) + (last1 - first1)
        return None if read <= 0 else between * (b0 + b1) / read

    def close(self) -> None:
        self._mem.close()
        self._lock.close()


def fork(fn: Callable[[], Any]) -> Child:
    """``fn()`` in a forked child (``procs.Child``): a git failure comes back as the
    ``GitError`` it was; any other failure as a trace scrubbed of the secrets the child saw."""
    return Child(fn, redact.scrub, (GitError,))
