"""What a history scan reads, started the moment the range is known.

``launchready history`` creates a ``Prefetch`` before it imports the scanner and compiles the
rules (~0.05 s), so git walks the range and produces the first patches meanwhile:

- ``front``: ``git log -p`` of the range, newest commit first (read by the serial scan, or by
  the parent while a worker reads ``back``);
- ``back`` (two workers): the same log oldest first (``--reverse``), for the worker that scans
  from the other end until the two meet.

For a scan of every ref the ``launchready`` command may have started them already, before it
loaded the CLI (``history.early``): they are taken over when each is exactly what would be
started here, and stopped otherwise.

Every git process started here dies with this process (``procs.die_with_parent``), even
when it is killed without a chance to stop them.

A quick ``git rev-list --count --max-count`` first tells a small range (a pull request) from
a long history: a small one is scanned in this process and starts no second ``git log``.
For a long one the fingerprint salt (``redact.current_salt``: it may ask git for the root
commits, ~0.05-0.1 s) is worked out by a thread meanwhile, not while the scan waits to fork.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, cast

from launchready import redact
from launchready.history.gitlog import Commit, GitError, read_commits
from launchready.history.logproc import (
    EARLY_AHEAD_BYTES,
    MAX_WORKERS,
    SNAPSHOT,
    ReadAhead,
    log_command,
    start_git,
    start_log,
)
from launchready.history.revs import Range

if TYPE_CHECKING:
    from launchready.history.early import EarlyLogs

PARALLEL_MIN_COMMITS = 400  # below this, forking workers costs more than it saves
# read ahead once the two ends are near (``hold_back``; bench/RESULTS.md, history-clean-lines)
HELD_AHEAD = 256 << 10


class Prefetch:
    def __init__(self, root: Path, rng: Range, jobs: int, early: EarlyLogs | None = None) -> None:
        """Start the range's git processes; ``early``: those the ``launchready`` command
        started before it loaded (``history.early``), taken over when they are exactly the
        ones this would start, else stopped."""
        self.root = root
        self.rng = rng
        self.jobs = min(jobs, MAX_WORKERS)
        jobs = self.jobs
        self.front: subprocess.Popen[bytes] | None = None
        self.back: subprocess.Popen[bytes] | None = None
        self._count: subprocess.Popen[bytes] | None = None
        self._refs: subprocess.Popen[bytes] | None = None
        self._refs_before = b""
        self._ahead: dict[int, ReadAhead] = {}  # git pid -> the thread reading its log ahead
        self._small: bool | None = True
        self._salt: threading.Thread | None = None
        taken = early.take(root, rng.revs, jobs) if early is not None and not rng.empty_reason else None
        if early is not None and taken is None:
            early.discard()
        if rng.empty_reason:
            return
        # Nothing here waits for git: every process runs while Python goes on loading.
        if taken is not None:
            self._refs, self.front, self.back, readers = taken
            self._ahead.update(readers)
        else:
            if jobs == 2:
                self._refs = self._snapshot()  # before either walk starts
            self.front = start_log(log_command(root, rng.revs), die_with_parent=True)
            self._read_early(self.front)
        if jobs == 1:
            return
        self._small = None
        self._count = start_git(root, "rev-list", "--count", f"--max-count={PARALLEL_MIN_COMMITS}", *rng.revs, "--")
        if self.back is None:  # killed unused if the range turns out small
            self.back = start_log(log_command(root, rng.revs, extra=["--reverse"]), die_with_parent=True)
            self._read_early(self.back)
        self._salt = threading.Thread(target=_resolve_salt, name="salt", daemon=True)
        self._salt.start()

    def _read_early(self, proc: subprocess.Popen[bytes] | None) -> None:
        """Read ``proc``'s log ahead (``EARLY_AHEAD_BYTES``) while the scanner loads, so git
        does not stop when the pipe is full; ``pause()`` before forking."""
        if proc is not None and proc.stdout is not None:
            self._ahead[proc.pid] = ReadAhead(cast(io.BufferedReader, proc.stdout), EARLY_AHEAD_BYTES)

    def pause(self) -> None:
        """Stop the reading threads (what they read stays buffered) and wait for the salt:
        before a fork, no thread of ours runs."""
        for ahead in self._ahead.values():
            ahead.ask_to_stop()
        for ahead in self._ahead.values():
            ahead.pause()
        self._salt_done()

    def _salt_done(self) -> None:
        if self._salt is not None:
            self._salt.join()
            self._salt = None

    def sample(self, size: int) -> list[bytes]:
        """About ``size`` bytes of each log read so far, in pieces spread over what was read
        (newest and oldest commits), left in place: real text of this history to warm the
        scanner on."""
        return [piece for ahead in self._ahead.values() for piece in ahead.peek(size)]

    def forget(self, proc: subprocess.Popen[bytes] | None) -> None:
        """Drop what was read ahead of a log another process reads (after a fork)."""
        ahead = self._ahead.get(proc.pid) if proc is not None else None
        if ahead is not None:
            ahead.drop()

    def _snapshot(self, die_with_parent: bool = True) -> subprocess.Popen[bytes] | None:
        """Where HEAD and every ref point, for ``--all``: the two ends of a two-worker scan
        walk separately, so a ref that moved meanwhile must be noticed."""
        if "--all" not in self.rng.revs:
            return None
        return start_git(self.root, *SNAPSHOT, die_with_parent=die_with_parent)

    @staticmethod
    def _read(proc: subprocess.Popen[bytes] | None) -> bytes:
        return proc.communicate()[0] if proc is not None else b""

    @property
    def small(self) -> bool:
        """One worker wanted, or fewer than ``PARALLEL_MIN_COMMITS`` commits: one process."""
        if self._small is None:
            out = self._read(self._count)
            self._small = self._count is None or self._count.returncode != 0 or int(out or 0) < PARALLEL_MIN_COMMITS
            self._count = None
            self._refs_before = self._read(self._refs)
            self._refs = None
            if self._small:  # stop the oldest-first log now: it would diff on unread (a huge
                self.finish(self.back, read_all=False)  # file: its blob held until the scan ends)
        return self._small

    def refs_moved(self) -> bool:
        # waited for at once: no ``preexec_fn``, whose fork would copy this (by now large)
        # process for a moment instead of a vfork
        return self._read(self._snapshot(die_with_parent=False)) != self._refs_before

    def commits(self, proc: subprocess.Popen[bytes] | None) -> Iterator[Commit]:
        """The commits of a prefetched ``git log`` (to be read by one process only), read
        ahead by a thread of that process (``ReadAhead``)."""
        if proc is None:
            return iter(())
        pipe = cast(io.BufferedReader, proc.stdout)
        early = self._ahead.get(proc.pid)
        ahead = self._ahead[proc.pid] = ReadAhead(pipe) if early is None else early.resumed_or_same()
        return read_commits(cast(io.BufferedReader, ahead))

    def hold_back(self, proc: subprocess.Popen[bytes] | None) -> None:
        """Near the end of what this process will read of ``proc``'s log: keep git from running
        far ahead (what it diffs past the meeting point is thrown away): the thread reads only
        when little is buffered (``HELD_AHEAD``). The pipe keeps its size: shrunk to 256 KiB,
        git blocked so often that scrapy's scan took 5% more CPU."""
        ahead = self._ahead.get(proc.pid) if proc is not None else None
        if ahead is not None:
            ahead.hold(HELD_AHEAD)

    def finish(self, proc: subprocess.Popen[bytes] | None, read_all: bool) -> None:
        """Reap a prefetched ``git log`` (this process started it); when its output was read
        to the end, a failure is an error."""
        if proc is None or proc.returncode is not None:
            return
        if not read_all and proc.poll() is None:
            proc.kill()
        ahead = self._ahead.pop(proc.pid, None)
        if ahead is not None:  # git has ended or been killed: the reader's last read returns
            ahead.stop()
        _, err = proc.communicate()
        if read_all and proc.returncode != 0:
            raise GitError(f"git log failed ({proc.returncode}): {err.decode('utf-8', 'replace').strip()}")

    def close(self) -> None:
        """Stop and reap whatever is still running (an error, or a scan that did not need it)."""
        for proc in (self.front, self.back, self._count, self._refs):
            self.finish(proc, read_all=False)
        self._count = self._refs = None
        self._salt_done()


def _resolve_salt() -> None:
    """``redact.current_salt()`` in a thread; a failure is left for the scan's own call to
    raise (from the main thread, where it is reported)."""
    with contextlib.suppress(Exception):  # asked again, and raised, where it is needed
        redact.current_salt()
