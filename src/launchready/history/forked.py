"""The two pieces a two-process history scan needs, on bare ``os.fork``: claims shared by
both processes, and a child whose result comes back through a pipe.

(``multiprocessing`` and a process pool would do it too, but importing them and starting the
pool's threads and queues costs ~0.05 s on a two-CPU runner: a tenth of a whole scan of a
6,000-commit history. Shares of a long history on more CPUs still use the pool.)
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import pickle
import signal
import struct
import tempfile
import traceback
from collections.abc import Callable
from typing import Any

from launchready import redact
from launchready.history.gitlog import GitError


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


class ChildError(RuntimeError):
    pass


class Child:
    """``fn()`` in a forked child; ``result()`` waits for its (pickled) return value. The
    child ignores Ctrl-C (the parent handles it and stops the child) and leaves with
    ``os._exit``: no atexit handlers, no flushing of buffers it inherited."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        read, write = os.pipe()
        # Ctrl-C between the fork and the child's SIG_IGN would raise KeyboardInterrupt in
        # the child, which would then unwind through a copy of the parent's stack: hold
        # SIGINT back across the fork (the parent gets a pending one right after).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            raise
        if self.pid == 0:  # pragma: no cover - runs in the child (its coverage is not collected)
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                os.close(read)
                payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # reported to the parent, which raises it
                # scrubbed here: this process remembers the secrets it saw, the parent does not
                text = redact.scrub("".join(traceback.format_exception(exc)))
                known = exc if isinstance(exc, GitError) else None
                payload = pickle.dumps((False, (known, text)))
                code = 1
            try:
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(code)
        os.close(write)
        self._read = read
        self._done = False
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C held back is raised here
        except BaseException:
            self.stop()
            raise

    def result(self) -> Any:
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self.pid, 0)
        self._done = True
        if not data:
            raise ChildError("the history worker process died")
        ok, value = pickle.loads(data)
        if not ok:
            known, text = value
            if known is not None:
                raise known
            raise ChildError(f"the history worker failed:\n{text}")
        return value

    def stop(self) -> None:
        """Kill and reap the child unless its result was read (an error in the parent)."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self._read)
