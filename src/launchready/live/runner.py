"""Run the live checks: select, order, run concurrently within a phase, never let one stop others.

Phases run in order: 0 passive checks (TLS, redirects, headers, CORS, exposure, bundle;
concurrent, ``live.concurrency`` at a time), 1 input and authorization (before any burst, so
a lockout cannot spoil them), 2 latency (one request at a time), 3 rate-limit bursts (one at a
time, last). Any exception inside a check becomes ``error`` results for its ids, never ``pass``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from launchready.catalogue import LiveArea
from launchready.config import Config
from launchready.live import (
    authz,
    bundle,
    cdn,
    cookies,
    cors,
    exposure,
    headers,
    hsts,
    input,
    latency,
    monitoring,
    ratelimit,
    redirect,
    tls,
)
from launchready.live.base import Planned, Run, result
from launchready.live.config import LiveSettings, Target
from launchready.live.http import Client, describe_error
from launchready.model import CheckResult, Severity, Status

# Every live area, explicitly; each module satisfies ``catalogue.LiveArea`` (mypy checks it).
AREAS: tuple[LiveArea, ...] = (
    tls,
    redirect,
    hsts,
    headers,
    cookies,
    cdn,
    cors,
    exposure,
    bundle,
    monitoring,
    input,
    authz,
    latency,
    ratelimit,
)
SEQUENTIAL_PHASES = {2, 3}


def selector(only: Sequence[str], skip: Sequence[str]) -> Callable[[str], bool]:
    """``--only``/``--skip`` prefixes -> a predicate on check ids (plain prefixes, as in the
    contract: ``tls`` matches ``tls.expiry``, ``cors.null`` matches ``cors.null-origin``)."""

    def selected(check_id: str) -> bool:
        if any(check_id.startswith(s) for s in skip):
            return False
        return not only or any(check_id.startswith(o) for o in only)

    return selected


def area_selected(module: LiveArea, selected: Callable[[str], bool]) -> bool:
    return any(selected(i) for i in module.IDS)


@dataclass
class Outcome:
    checks: list[CheckResult] = field(default_factory=list)
    ran: set[str] = field(default_factory=set)
    planned: list[tuple[str, Planned]] = field(default_factory=list)  # (check area, request)
    notes: list[str] = field(default_factory=list)


def _run_one(module: LiveArea, run: Run, target: Target) -> list[CheckResult]:
    start = time.perf_counter()
    try:
        found = module.check(run, target)
    except Exception as exc:  # checks catch only network and budget errors: this is a bug, never a pass
        reason = describe_error(exc)
        where = f"{module.AREA} on {target.url}"
        found = [
            result(
                i,
                Status.ERROR,
                Severity.HIGH,
                target.url,
                f"internal error (a bug in launchready, please report it): {reason}",
                evidence={"error": reason, "internal": True},
            )
            for i in module.IDS
        ]
        run.notes.append(f"internal error in the {where} checks: {reason}")
    ms = int((time.perf_counter() - start) * 1000)
    return [c if c.duration_ms else c.replace(duration_ms=ms) for c in found]


def plan(settings: LiveSettings, client: Client, selected: Callable[[str], bool]) -> Outcome:
    """Every request the run would send (``--dry-run``); nothing is sent."""
    out = Outcome()
    run = Run(settings, client, selected)
    for module in sorted(AREAS, key=lambda m: m.PHASE):
        if not area_selected(module, selected):
            continue
        for target in settings.targets:
            out.planned += [(module.AREA, p) for p in module.plan(run, target)]
    return out


def run_checks(
    settings: LiveSettings,
    client: Client,
    config: Config,
    selected: Callable[[str], bool],
    on_progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Run every selected area against every target, phase by phase. ``on_progress(done,
    total)`` is called after each area x target finishes (for a progress line)."""
    out = Outcome()
    run = Run(settings, client, selected, config=config)
    phases = sorted({m.PHASE for m in AREAS})
    per_phase = {
        phase: [(m, t) for m in AREAS if phase == m.PHASE and area_selected(m, selected) for t in settings.targets]
        for phase in phases
    }
    total = sum(len(jobs) for jobs in per_phase.values())
    finished = [0]
    lock = threading.Lock()

    def one(job: tuple[LiveArea, Target]) -> list[CheckResult]:
        found = _run_one(job[0], run, job[1])
        if on_progress is not None:
            with lock:
                finished[0] += 1
                on_progress(finished[0], total)
        return found

    for phase in phases:
        jobs = per_phase[phase]
        if not jobs:
            continue
        workers = 1 if phase in SEQUENTIAL_PHASES else max(1, min(settings.concurrency, len(jobs)))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="launchready-live") if workers > 1 else None
        try:
            results = [one(job) for job in jobs] if pool is None else list(pool.map(one, jobs))
        except BaseException:  # Ctrl-C: running checks stop at their next request
            client.cancel()
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        for (module, _target), found in zip(jobs, results, strict=False):
            kept = [c for c in found if selected(c.id)]
            out.checks.extend(kept)
            if any(c.status is not Status.SKIP for c in kept):
                out.ran.add(module.AREA)
    out.notes.extend(run.notes)
    return out
