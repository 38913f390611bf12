"""Scan a range of history in one process or from both ends at once (two processes), and fold what was found into one finding per secret (``scan_history``; the
pipeline is described in ``launchready/history/__init__.py``)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from launchready import redact
from launchready.history import dedup
from launchready.history.forked import Claims, fork
from launchready.history.gitlog import GitError
from launchready.history.ignore import GitleaksIgnore
from launchready.history.logproc import workers_wanted
from launchready.history.occurrences import ChunkResult, Collector, Record, prepare, reported_rules
from launchready.history.prefetch import Prefetch
from launchready.history.revs import Range
from launchready.history.salvage import Salvage, scan_salvage
from launchready.model import Finding
from launchready.secrets.encoding import BINARY
from launchready.secrets.engine import Engine

PROGRESS_EVERY = 64  # commits between progress updates
# When about this much log is left between the two ends, each stops reading its git ahead
# (``Prefetch.hold_back``): what git diffed past the meeting point is thrown away, and up to
# ~3 MB per end was (5% of fastapi's log diffed twice: bench/RESULTS.md, history-git-side).
NEAR_BYTES = 8 << 20
WARM_BYTES = 1 << 20  # of each end's log the parent searches before it forks (bench/RESULTS.md)

Progress = Callable[[int, int], None]  # (commits scanned, patch bytes scanned)


@dataclass
class HistoryResult:
    findings: list[Finding] = field(default_factory=list)
    commits: int = 0
    bytes: int = 0
    suppressed: int = 0
    notes: list[str] = field(default_factory=list)
    # (path, reason) of file versions whose content was not scanned (binary): listed, as
    # ``scan`` lists what it skips, never taken for scanned
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Worker:
    """What every end of a scan reads: passed to each function, inherited by a forked child
    with the rest of the parent's memory (compiled rules, the prefetched ``git log`` pipes)."""

    engine: Engine
    ignore: GitleaksIgnore
    exclude: tuple[str, ...]
    root: Path
    pre: Prefetch

    def collector(
        self, order_base: int = 0, order_stride: int = 1, on_new_secret: Callable[[str], object] | None = None
    ) -> Collector:
        return Collector(self.engine, self.ignore, self.exclude, order_base, self.root, order_stride, on_new_secret)

    @contextlib.contextmanager
    def hashing_collector(self, order_base: int, order_stride: int = 1) -> Iterator[Collector]:
        """A collector for a worker process that hashes each new secret in a thread as it is
        found (scrypt releases the GIL: it overlaps waiting for git), and sends the hashes
        with its result so the parent does not compute them again at the end."""
        hasher = ThreadPoolExecutor(max_workers=1)
        collector = self.collector(order_base, order_stride, lambda secret: hasher.submit(redact.secret_hash, secret))
        try:
            yield collector
        finally:
            hasher.shutdown(wait=True)
        collector.result.hashes = redact.known_hashes(r.secret for r in collector.result.records.values())


def _scan_serial(
    worker: _Worker, pre: Prefetch, progress: Progress | None, hash_secret: Callable[[str], object]
) -> ChunkResult:
    """The whole range in this process, from the prefetched ``git log`` stream."""
    collector = worker.collector(on_new_secret=hash_secret)
    for commit in pre.commits(pre.front):
        collector.add_commit(commit)
        if progress is not None and collector.result.commits % PROGRESS_EVERY == 0:
            progress(collector.result.commits, collector.result.bytes)
    pre.finish(pre.front, read_all=True)
    return collector.finish()


def _stop_git(proc: subprocess.Popen[bytes] | None) -> None:
    """Stop a prefetched ``git log`` nobody will read further. (The parent started it and
    reaps it later, so its pid cannot have been reused meanwhile.)"""
    if proc is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)


def _scan_end(
    worker: _Worker, side: int, collector: Collector, claims: Claims, progress: Progress | None = None
) -> tuple[list[str], bool]:
    """Scan one end's prefetched ``git log`` until it meets the other end."""
    pre = worker.pre
    proc = pre.back if side else pre.front
    seen: list[str] = []
    first = 0
    near = False
    for commit in pre.commits(proc):
        if not claims.take(side, commit.sha):
            _stop_git(proc)
            return seen, True
        collector.add_commit(commit)
        seen.append(commit.sha)
        first = first or commit.time
        if len(seen) % PROGRESS_EVERY == 0:
            claims.count(side, len(seen), collector.result.bytes, first, commit.time)
            if progress is not None:
                progress(*claims.counts())
            if not near:
                left = claims.left()
                if left is not None and left < NEAR_BYTES:
                    pre.hold_back(proc)
                    near = True
    return seen, False


def _scan_back(worker: _Worker, claims: Claims) -> tuple[ChunkResult, list[str], bool, set[str]]:
    """In the child: the oldest end, up to where it meets the newest (scanned by the parent).
    Log positions count down from far above any the newest end reaches. Also which of its
    secrets HEAD still has (its ``git grep`` runs while the parent runs one for its own)."""
    worker.pre.forget(worker.pre.front)
    with worker.hashing_collector(order_base=1 << 40, order_stride=-1) as collector:
        seen, stopped = _scan_end(worker, 1, collector, claims)
        collector.finish()
    return collector.result, seen, stopped, _at_head(worker.pre, collector.result)


def _at_head(pre: Prefetch, part: ChunkResult) -> set[str]:
    return dedup.present_at_head(pre.root, pre.rng.head, dedup.paths_by_secret(part.records.values()))


def _scan_both_ends(
    worker: _Worker,
    take: Callable[[ChunkResult], None],
    hash_secret: Callable[[str], object],
    progress: Progress | None,
) -> set[str] | None:
    """Two processes: this one reads the prefetched ``git log`` from the newest commit down,
    a forked child the same log from the oldest up (``--reverse``); they stop where they
    meet. Both git processes start with the scan (no commit list to wait for), the split
    balances itself, and each commit is diffed once. If a ref moved meanwhile (the two walks
    could differ) one process redoes the scan from a fresh walk. Returns the secrets HEAD
    still has (each end looked up its own), or None when it was not looked up."""
    pre = worker.pre
    claims = Claims()
    # known before the fork (Prefetch's thread asked git for it; a failure there is raised
    # here), so neither process asks again
    redact.current_salt()
    pre.pause()  # the threads reading both logs ahead: what they read is inherited
    try:
        child = fork(lambda: _scan_back(worker, claims))  # forked now, before any thread of ours exists
    except BaseException:
        claims.close()
        raise
    pre.forget(pre.back)
    try:
        collector = worker.collector(on_new_secret=hash_secret)
        seen, stopped = _scan_end(worker, 0, collector, claims, progress)
        pre.finish(pre.front, read_all=not stopped)
        front = collector.finish()
        front_at_head = _at_head(pre, front)
        back: tuple[ChunkResult, list[str], bool, set[str]] = child.result()
        back_part, back_seen, back_stopped, back_at_head = back
        pre.finish(pre.back, read_all=not back_stopped)
    finally:
        child.stop()
        claims.close()
    if set(seen).isdisjoint(back_seen) and not pre.refs_moved():
        take(front)
        take(back_part)
        if progress is not None:
            progress(len(seen) + len(back_seen), front.bytes + back_part.bytes)
        return front_at_head | back_at_head
    # rare: redo it in one process from a fresh walk
    again = Prefetch(pre.root, pre.rng, 1)
    try:
        take(_scan_serial(worker, again, progress, hash_secret))
    finally:
        again.close()
    return None


def scan_history(
    root: Path,
    rng: Range,
    engine: Engine,
    ignore: GitleaksIgnore | None = None,
    exclude: Sequence[str] = (),
    jobs: int | None = None,
    progress: Progress | None = None,
    prefetch: Prefetch | None = None,
) -> HistoryResult:
    """``progress(commits, bytes)`` is called now and then from this thread (for a tty line).
    ``prefetch``: the range's git processes, if the caller started them early."""
    result = HistoryResult()
    if rng.empty_reason:
        result.notes.append(f"history: nothing to scan, {rng.empty_reason}")
        return result
    pre = prefetch or Prefetch(root, rng, workers_wanted(jobs))
    merged = ChunkResult()
    hasher = ThreadPoolExecutor(max_workers=2)  # scrypt releases the GIL: hash while slices run
    hashed: set[str] = set()

    def prehash(secret: str) -> None:
        if secret not in hashed:
            hashed.add(secret)
            hasher.submit(redact.secret_hash, secret)  # warms the cache to_findings reads

    def take(part: ChunkResult) -> None:
        redact.preload_hashes(part.hashes)  # computed by the worker that found them
        merged.merge(part)
        for rec in part.records.values():
            prehash(rec.secret)

    known_at_head: set[str] | None = None
    try:
        worker = _Worker(engine, ignore or GitleaksIgnore(), tuple(exclude), root, pre)
        if pre.small:  # one worker wanted, or a small range: one process is quickest
            take(_scan_serial(worker, pre, progress, prehash))  # rules compile as their keywords occur
        else:
            # before forking: once, not in each process (the keyword search's automaton is
            # built as text meets it: warmed on a sample of what both logs read ahead, it is
            # inherited built)
            prepare(engine, pre.sample(WARM_BYTES))
            known_at_head = _scan_both_ends(worker, take, prehash, progress)
    finally:
        pre.close()
        hasher.shutdown(wait=True)
    _conclude(root, rng, engine, merged, known_at_head, result)
    return result


def _conclude(
    root: Path, rng: Range, engine: Engine, merged: ChunkResult, known_at_head: set[str] | None, result: HistoryResult
) -> None:
    """One finding per secret of ``merged``: whether HEAD still has it, which commit removed it."""
    result.commits = merged.commits
    result.bytes = merged.bytes
    result.suppressed = merged.suppressed
    # newest introduction first, in an order that does not depend on where the two ends met
    # (dict order did: a finding list could come out reordered from one run to the next)
    records = sorted(merged.records.values(), key=_report_order)
    secrets = [r.secret for r in records]
    at_head = (
        known_at_head
        if known_at_head is not None
        else dedup.present_at_head(root, rng.head, dedup.paths_by_secret(records))
    )
    gone = {r.secret: r for r in records if r.secret not in at_head}
    for secret in secrets:
        redact.remember(secret)  # once, so scrub's pattern is built once, not per finding
    with ThreadPoolExecutor(max_workers=1) as threads:  # git releases the GIL
        pending = threads.submit(_removals, root, rng.revs, gone if rng.head else {}, merged.touched)
        findings = dedup.to_findings(reported_rules(engine), records, at_head, None, rng.head is not None)
        removed = pending.result()
    result.findings = dedup.with_removals(findings, records, removed)
    result.notes.append(f"history: scanned {merged.commits} commits ({rng.label})")
    for sha, size in merged.oversized:
        result.notes.append(
            f"history: commit {sha[:12]} has a {size / 1048576:.0f} MB patch, too large to hold in memory: "
            "its added and changed files were read whole, as streams (what a file already held at "
            "the parent commit is not counted as added there)"
        )
    result.skipped = skipped_files(merged.skipped)
    if merged.excluded_files:
        result.notes.append(f"history: skipped {merged.excluded_files} file changes matching exclude patterns")


def _report_order(rec: Record) -> tuple[int, str, str, int, int, int]:
    s = rec.first
    return (-s.time, s.commit, s.path, s.line, s.column, s.rule_index)


def skipped_files(skipped: dict[str, tuple[int, tuple[int, int, str]]]) -> list[tuple[str, str]]:
    """One (path, reason) per path with binary versions, naming the oldest commit that had one."""
    out = []
    for path, (count, (_, _, sha)) in sorted(skipped.items()):
        where = f"in commit {sha[:12]}" if count == 1 else f"in {count} commits, the first {sha[:12]}"
        out.append((path, f"{BINARY}, {where}"))
    return out


def _removals(
    root: Path, revs: Sequence[str], gone: dict[str, Record], touched: dict[str, list[tuple[int, int, str]]] | None
) -> dict[str, str]:
    try:
        return dedup.removals(root, revs, gone, touched)
    except GitError:  # a damaged repository: "removed in an unknown commit"
        return {}


def salvage_history(
    root: Path,
    rng: Range,
    engine: Engine,
    ignore: GitleaksIgnore | None = None,
    exclude: Sequence[str] = (),
    progress: Progress | None = None,
) -> tuple[HistoryResult, Salvage]:
    """What ``scan_history`` finds, for a repository git cannot read whole (``salvage.py``):
    the result, and what could not be read (with how many commits the range holds as far
    as they could be walked)."""
    result = HistoryResult()
    collector = Collector(engine, ignore or GitleaksIgnore(), exclude, 0, root)
    found = scan_salvage(root, rng, collector, progress)
    merged = collector.finish()
    _conclude(root, rng, engine, merged, None, result)
    return result, found
