"""``launchready audit --mirrors DIR``: the organisation audit on one machine."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

from launchready.audit.merge import merge_reports
from launchready.audit.mirrors import audit as audit_mirrors
from launchready.audit.mirrors import find_mirrors
from launchready.commands import Console, Context
from launchready.commands.merge import step_summary_option
from launchready.errors import UsageError
from launchready.model import Report

HELP = "scan the history of every bare repository (mirror) under a directory, merged into one report"
DESCRIPTION = (
    "Find every bare repository under DIR (as `git clone --mirror` makes them), scan each "
    "one's whole history with `launchready history --all` in its own process, N at a time, "
    "and merge the reports as `launchready merge` does: one finding per secret with every "
    "repository it leaked in, one scorecard row per repository, and repositories that could "
    "not be scanned listed with the reason (an error, never a pass)."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--mirrors", required=True, metavar="DIR", help="directory holding bare repositories (searched recursively)"
    )
    p.add_argument("--jobs", type=int, metavar="N", help="repositories scanned at once (default: the CPUs, at most 8)")
    p.add_argument("--step-summary", metavar="FILE", help="append the scorecard and top findings as markdown to FILE")


@dataclass(frozen=True)
class AuditRequest:
    """The directory holding the bare repositories (relative to ``cwd``; searched
    recursively) and how many are scanned at once (default: the CPUs, at most 8)."""

    mirrors: str
    jobs: int | None = None
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> AuditRequest:
        return cls(args.mirrors, args.jobs, cwd)


def audit(request: AuditRequest, console: Console | None = None) -> Report:
    """``launchready audit`` as a function: every mirror's history scanned in its own
    process, merged into one report. Progress goes to ``console.stderr`` when it is a
    terminal and the console is not quiet (the default console is)."""
    console = console or Console(quiet=True)
    root = (request.cwd / request.mirrors).resolve()
    if not root.is_dir():
        raise UsageError(f"--mirrors {request.mirrors}: not a directory")
    jobs = request.jobs if request.jobs is not None else min(8, os.cpu_count() or 1)
    if jobs < 1:
        raise UsageError(f"--jobs: expected at least 1, got {jobs}")
    mirrors = find_mirrors(root)
    if not mirrors:
        raise UsageError(
            f"--mirrors {request.mirrors}: no bare repositories found (make them with `git clone --mirror URL`)"
        )
    tty = console.stderr.isatty() and not console.quiet

    def progress(done: int, total: int) -> None:
        if tty:
            console.stderr.write(f"\raudit: {done}/{total} repositories scanned")
            console.stderr.flush()

    sources, key_note = audit_mirrors(mirrors, jobs, progress)
    if tty:
        console.stderr.write("\n")
    report = merge_reports(sources, command="audit")
    report.root = str(root)
    report.notes.append(f"audited {len(mirrors)} repositories under {root} with {jobs} job(s); {key_note}")
    return report


def run(ctx: Context) -> Report:
    report = audit(AuditRequest.from_args(ctx.args, ctx.cwd), Console.of(ctx))
    step_summary_option(ctx, report)
    return report
