"""What a history scan reads, started the moment the range is known.

``launchready history`` creates a ``Prefetch`` before it imports the scanner and compiles the
rules (~0.05 s), so git walks the range and produces the first patches meanwhile:

- ``front``: ``git log -p`` of the range, newest commit first (read by the serial scan, or by
  the parent while a worker reads ``back``);
- ``back`` (two workers): the same log oldest first (``--reverse``), for the worker that scans
  from the other end until the two meet;
- ``shas()`` (three or more workers): the commit list (``git rev-list``), to cut into shares.

A quick ``git rev-list --count --max-count`` first tells a small range (a pull request) from
a long history: a small one is scanned in this process and starts no second ``git log``.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from launchready.history.gitlog import Commit, GitError, log_command, read_commits, start_log
from launchready.history.revs import Range

PARALLEL_MIN_COMMITS = 400  # below this, forking workers costs more than it saves


def workers_wanted(jobs: int | None = None) -> int:
    """``jobs``, else ``LAUNCHREADY_JOBS``, else the CPUs this process may use (at most 8).
    Always 1 where processes cannot be forked (Windows): the scan then runs in one process."""
    if not hasattr(os, "fork"):
        return 1
    if jobs:
        return jobs
    env = os.environ.get("LAUNCHREADY_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


class Prefetch:
    def __init__(self, root: Path, rng: Range, jobs: int) -> None:
        self.root = root
        self.rng = rng
        self.jobs = jobs
        self.front: subprocess.Popen[bytes] | None = None
        self.back: subprocess.Popen[bytes] | None = None
        self._list: subprocess.Popen[bytes] | None = None
        self._count: subprocess.Popen[bytes] | None = None
        self._refs: subprocess.Popen[bytes] | None = None
        self._refs_before = b""
        self._shas: list[str] | None = None
        self._small: bool | None = True
        if rng.empty_reason:
            return
        # Nothing here waits for git: every process runs while Python goes on loading.
        if jobs == 2:
            self._refs = self._snapshot()  # before either walk starts
        self.front = start_log(log_command(root, rng.revs))
        if jobs == 1:
            return
        self._small = None
        self._count = self._git("rev-list", "--count", f"--max-count={PARALLEL_MIN_COMMITS}", *rng.revs, "--")
        if jobs == 2:  # killed unused if the range turns out small
            self.back = start_log(log_command(root, rng.revs, extra=["--reverse"]))
        else:
            self._list = self._git("rev-list", *rng.revs, "--")

    def _git(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(["git", "-C", str(self.root), "-c", "protocol.allow=never", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)  # fmt: skip

    def _snapshot(self) -> subprocess.Popen[bytes] | None:
        """Where HEAD and every ref point, for ``--all``: the two ends of a two-worker scan
        walk separately, so a ref that moved meanwhile must be noticed."""
        return self._git("show-ref", "--head") if "--all" in self.rng.revs else None

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
        return self._small

    def refs_moved(self) -> bool:
        return self._read(self._snapshot()) != self._refs_before

    def shas(self) -> list[str]:
        """The commits of the range in ``git log`` order (waits for ``git rev-list``)."""
        if self._shas is None:
            proc = self._list or self._git("rev-list", *self.rng.revs, "--")
            out, err = proc.communicate()
            self._list = None
            if proc.returncode != 0:
                raise GitError(f"git rev-list failed: {err.decode('utf-8', 'replace').strip()}")
            self._shas = out.decode("ascii", "replace").split()
        return self._shas

    @staticmethod
    def commits(proc: subprocess.Popen[bytes] | None) -> Iterator[Commit]:
        """The commits of a prefetched ``git log`` (to be read by one process only)."""
        if proc is None:
            return iter(())
        return read_commits(cast(io.BufferedReader, proc.stdout))

    @staticmethod
    def finish(proc: subprocess.Popen[bytes] | None, read_all: bool) -> None:
        """Reap a prefetched ``git log`` (this process started it); when its output was read
        to the end, a failure is an error."""
        if proc is None or proc.returncode is not None:
            return
        if not read_all and proc.poll() is None:
            proc.kill()
        _, err = proc.communicate()
        if read_all and proc.returncode != 0:
            raise GitError(f"git log failed ({proc.returncode}): {err.decode('utf-8', 'replace').strip()}")

    def close(self) -> None:
        """Stop and reap whatever is still running (an error, or a scan that did not need it)."""
        for proc in (self.front, self.back, self._list, self._count, self._refs):
            self.finish(proc, read_all=False)
        self._list = self._count = self._refs = None
