"""A whole-history scan's git processes, started before ``launchready`` loads the rest of itself.

``launchready history`` spends its first ~80 ms importing the command line, the config and
the report writers before it can start the two ``git log``s, and both CPUs' work waits on
them. The console command (``entry.run``) calls ``start`` with its arguments first, before
those imports: for a scan of every ref (``--all``, the default) of a work tree it starts
what ``Prefetch`` would start (the ref snapshot, the newest-first log, and with two workers
the oldest-first one), each read ahead by its thread (``ReadAhead``), and hands them over.

``Prefetch`` takes them over only when each command is exactly the one it would run for the
range it resolved (``take``); anything else (another range, other options, a repository this
cannot place) and they are stopped (``discard``). So this can only make a scan start sooner,
never change what it reads. Anything in the arguments this does not know for certain means
no early start: the command line is then read by the CLI alone, as before.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Sequence

from launchready.history.logproc import (
    EARLY_AHEAD_BYTES,
    SNAPSHOT,
    ReadAhead,
    git_args,
    log_args,
    log_command,
    start_git,
    start_log,
    workers_wanted,
)

Popen = subprocess.Popen[bytes]
ALL = ("--all",)
# ``history``'s options (and the common ones) that take a value, and those that take none:
# an argument that is neither (an abbreviation, ``--range``, ``-vv``, ``--``) means no early
# start. None of these changes which commits are read or how.
_VALUED = frozenset(
    {"--repo", "--jobs", "--json", "--sarif", "--junit", "--html", "--fail-on", "--baseline", "--config", "--color"}
)
_FLAGS = frozenset({"--all", "--github", "--exit-zero", "--errors-ok", "-q", "--quiet", "-v", "--verbose"})


def _args(proc: Popen | None) -> object:
    return proc.args if proc is not None else None


def whole_history(argv: Sequence[str]) -> tuple[str, int | None] | None:
    """``(repo, jobs)`` when ``argv`` asks ``history`` for every ref, None otherwise (or when
    unsure)."""
    if not argv or argv[0] != "history":
        return None
    repo, jobs = ".", None
    i = 1
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if name in _VALUED:
            if not eq:
                if i + 1 >= len(argv):
                    return None
                i += 1
                value = argv[i]
            if name == "--repo":
                repo = value
            elif name == "--jobs":
                if not value.isdigit() or int(value) < 1:
                    return None
                jobs = int(value)
        elif eq or arg not in _FLAGS:
            return None
        i += 1
    return repo, jobs


def work_tree_root(path: str) -> str | None:
    """The top of the work tree holding ``path`` (as ``secrets.sources.git_root`` finds it),
    or None: not a work tree (a bare mirror is left to the CLI), or git failed."""
    try:
        out = subprocess.run(
            ["git", "-C", path, "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    top = out.stdout.strip()
    return os.path.realpath(top) if out.returncode == 0 and top else None


class EarlyLogs:
    """The processes ``start`` started, until ``Prefetch`` takes them (``take``) or they are
    stopped (``discard``). Each git dies with this process (``logproc.log_args``)."""

    def __init__(self, root: str, two: bool) -> None:
        self.root = root
        self.refs: Popen | None = None
        self.front: Popen | None = None
        self.back: Popen | None = None
        self.readers: dict[int, ReadAhead] = {}
        self.taken = False  # by a scan (``take``)
        try:
            if two:  # before either walk starts, as ``Prefetch`` takes it
                self.refs = start_git(root, *SNAPSHOT)
            self.front = self._log(log_command(root, ALL))
            if two:
                self.back = self._log(log_command(root, ALL, extra=["--reverse"]))
        except BaseException:
            self.discard()
            raise

    def _log(self, cmd: list[str]) -> Popen:
        proc = start_log(cmd, die_with_parent=True)
        assert proc.stdout is not None
        self.readers[proc.pid] = ReadAhead(proc.stdout, EARLY_AHEAD_BYTES)
        return proc

    def take(
        self, root: os.PathLike[str] | str, revs: Sequence[str], jobs: int
    ) -> tuple[Popen | None, Popen, Popen | None, dict[int, ReadAhead]] | None:
        """``(refs snapshot, front log, back log, their readers)`` if they are exactly what
        ``Prefetch`` would start for ``revs`` of ``root`` with ``jobs`` workers, else None
        (the caller then ``discard``s them). Taken once."""
        front, back, refs = self.front, self.back, self.refs
        if front is None:
            return None
        want_front = log_args(log_command(root, revs), True)[0]
        want_back = log_args(log_command(root, revs, extra=["--reverse"]), True)[0] if jobs == 2 else None
        # as ``Prefetch._snapshot``: with two workers, for every ref
        want_refs = git_args(root, *SNAPSHOT)[0] if jobs == 2 and "--all" in revs else None
        if (front.args, _args(back), _args(refs)) != (want_front, want_back, want_refs):
            return None
        self.front = self.back = self.refs = None
        readers, self.readers = self.readers, {}
        self.taken = True
        return refs, front, back, readers

    def discard(self) -> None:
        """Stop and reap whatever was not taken (idempotent)."""
        procs = [p for p in (self.front, self.back, self.refs) if p is not None]
        self.front = self.back = self.refs = None
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
        for reader in self.readers.values():
            reader.stop()
        self.readers = {}
        for proc in procs:
            proc.communicate()


def start(argv: Sequence[str], cwd: str) -> EarlyLogs | None:
    """Start a whole-history scan's git processes if ``argv`` (the ``launchready`` command's
    arguments) asks for one, in ``cwd``; None when it does not (or this is not sure)."""
    wanted = whole_history(argv)
    if wanted is None:
        return None
    repo, jobs = wanted
    path = os.path.join(cwd, repo)
    if not os.path.isdir(path):
        return None
    root = work_tree_root(path)
    if root is None:
        return None
    # only a head start: if a process cannot start, what did is stopped (``EarlyLogs``) and the
    # CLI starts git itself, and says why it cannot
    try:
        return EarlyLogs(root, workers_wanted(jobs) == 2)
    except Exception:
        return None
