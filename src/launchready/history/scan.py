"""Scan a range of history: split its commits between worker processes, fold what they
found into one finding per secret (``scan_history``; the pipeline is described in
``launchready/history/__init__.py``)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launchready import redact
from launchready.history import dedup
from launchready.history.gitlog import log_command, stream_commits
from launchready.history.ignore import GitleaksIgnore
from launchready.history.occurrences import ChunkResult, Collector
from launchready.history.revs import CommitList, Range
from launchready.model import Finding
from launchready.secrets.engine import Engine

PARALLEL_MIN_COMMITS = 400  # below this, forking workers costs more than it saves
PROGRESS_EVERY = 64  # commits between progress updates

Progress = Callable[[int, int], None]  # (commits scanned, patch bytes scanned)


@dataclass
class HistoryResult:
    findings: list[Finding] = field(default_factory=list)
    commits: int = 0
    bytes: int = 0
    suppressed: int = 0
    notes: list[str] = field(default_factory=list)


# Set in the parent before forking; workers inherit it (compiled rules, the commit list)
# instead of unpickling it.
_WORKER: tuple[Engine, GitleaksIgnore, tuple[str, ...], Path, tuple[str, ...], list[str]] | None = None
# Per-share (commits, bytes) counters in shared memory, written by workers, summed by the parent.
_COUNTERS: Any = None


def _scan_all(progress: Progress | None = None) -> ChunkResult:
    assert _WORKER is not None
    engine, ignore, exclude, root, revs, _shas = _WORKER
    collector = Collector(engine, ignore, exclude, root=root)
    for commit in stream_commits(log_command(root, revs)):
        collector.add_commit(commit)
        if progress is not None and collector.result.commits % PROGRESS_EVERY == 0:
            progress(collector.result.commits, collector.result.bytes)
    return collector.finish()


def _scan_share(start: int, end: int) -> ChunkResult:
    """Commits ``start:end`` of the log, read by one ``git log --no-walk --stdin``: no walk
    repeated per share, and consecutive commits keep git's delta cache warm."""
    assert _WORKER is not None
    engine, ignore, exclude, root, _revs, shas = _WORKER
    collector = Collector(engine, ignore, exclude, order_base=start, root=root)
    mine = "".join(f"{sha}\n" for sha in shas[start:end]).encode()
    slot = 2 * (start // max(1, end - start))
    for commit in stream_commits(log_command(root, ["--no-walk=unsorted", "--stdin"]), stdin=mine):
        collector.add_commit(commit)
        if _COUNTERS is not None and collector.result.commits % PROGRESS_EVERY == 0:
            _COUNTERS[slot], _COUNTERS[slot + 1] = collector.result.commits, collector.result.bytes
    return collector.finish()


def warm_up(engine: Engine) -> None:
    """Let the engine compile its rules once, here, instead of in every worker after fork:
    one scan of a text holding every keyword reaches every keyword rule's regex."""
    engine.scan("\n".join(f"{kw} = x" for rule in engine.rules for kw in rule.keywords), "")


def workers_wanted() -> int:
    env = os.environ.get("LAUNCHREADY_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def scan_history(
    root: Path,
    rng: Range,
    engine: Engine,
    ignore: GitleaksIgnore | None = None,
    exclude: Sequence[str] = (),
    jobs: int | None = None,
    progress: Progress | None = None,
    commits: CommitList | None = None,
) -> HistoryResult:
    """``progress(commits, bytes)`` is called now and then from this thread (for a tty line).
    ``commits``: the range's ``git rev-list``, if the caller started it early."""
    global _WORKER, _COUNTERS
    result = HistoryResult()
    if rng.empty_reason:
        result.notes.append(f"history: nothing to scan, {rng.empty_reason}")
        return result
    listing = commits or CommitList(root, rng)
    warm_up(engine)  # while git lists the commits
    shas = listing.result()
    total = len(shas)
    jobs = jobs or workers_wanted()
    _WORKER = (engine, ignore or GitleaksIgnore(), tuple(exclude), root, rng.revs, shas)
    merged = ChunkResult()
    hasher = ThreadPoolExecutor(max_workers=2)  # scrypt releases the GIL: hash while slices run
    hashed: set[str] = set()

    def take(part: ChunkResult) -> None:
        merged.merge(part)
        fresh = [r.secret for r in part.records.values() if r.secret not in hashed]
        hashed.update(fresh)
        for secret in fresh:
            hasher.submit(redact.secret_hash, secret)  # warms the cache to_findings reads

    try:
        if total < PARALLEL_MIN_COMMITS or jobs == 1:
            take(_scan_all(progress))
        else:
            # Two shares per worker: history is uneven (big early imports, small fixes) and
            # the first results (secrets to hash) arrive while the rest is scanned; more
            # shares cost more than they balance (measured on requests: 4 best, 8 +8%).
            shares = jobs * 2
            size = -(-total // shares)
            ctx = multiprocessing.get_context("fork")
            starts = range(0, total, size)
            _COUNTERS = ctx.RawArray("q", 2 * len(starts)) if progress is not None else None
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
            try:
                # every worker is forked here, before any thread of ours exists
                futures = {pool.submit(_scan_share, i, i + size): n for n, i in enumerate(starts)}
                running: set[Future[ChunkResult]] = set(futures)
                final: dict[int, tuple[int, int]] = {}  # share -> its totals once finished
                while running:
                    finished, running = wait(running, timeout=0.25, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        part = fut.result()
                        final[futures[fut]] = (part.commits, part.bytes)
                        take(part)
                    if progress is not None:
                        counted = [final.get(n, (_COUNTERS[2 * n], _COUNTERS[2 * n + 1])) for n in range(len(starts))]
                        progress(sum(c for c, _ in counted), sum(b for _, b in counted))
            finally:
                pool.shutdown(wait=False)  # workers wind down while we finish the findings
    finally:
        _WORKER = None
        _COUNTERS = None
        hasher.shutdown(wait=True)
    result.commits = merged.commits
    result.bytes = merged.bytes
    result.suppressed = merged.suppressed
    records = list(merged.records.values())
    secrets = [r.secret for r in records]
    at_head = dedup.present_at_head(root, rng.head, secrets)
    gone = {r.secret: r for r in records if r.secret not in at_head}
    for secret in secrets:
        redact.remember(secret)  # once, so scrub's pattern is built once, not per finding
    with ThreadPoolExecutor(max_workers=1) as threads:  # git releases the GIL
        pending = threads.submit(dedup.removals, root, rng.revs, gone if rng.head else {}, merged.touched)
        findings = dedup.to_findings(engine.rules, records, at_head, None, rng.head is not None)
        removed = pending.result()
    result.findings = dedup.with_removals(findings, records, removed)
    result.notes.append(f"history: scanned {merged.commits} commits ({rng.label})")
    if merged.excluded_files:
        result.notes.append(f"history: skipped {merged.excluded_files} file changes matching exclude patterns")
    return result
