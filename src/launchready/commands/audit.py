"""``launchready audit --mirrors DIR``: the organisation audit on one machine."""

from __future__ import annotations

import argparse
import os

from launchready.audit.merge import merge_reports
from launchready.audit.mirrors import audit, find_mirrors
from launchready.commands import Context
from launchready.commands.merge import write_step_summary
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


def run(ctx: Context) -> Report:
    root = (ctx.cwd / ctx.args.mirrors).resolve()
    if not root.is_dir():
        raise UsageError(f"--mirrors {ctx.args.mirrors}: not a directory")
    jobs = ctx.args.jobs if ctx.args.jobs is not None else min(8, os.cpu_count() or 1)
    if jobs < 1:
        raise UsageError(f"--jobs: expected at least 1, got {jobs}")
    mirrors = find_mirrors(root)
    if not mirrors:
        raise UsageError(
            f"--mirrors {ctx.args.mirrors}: no bare repositories found (make them with `git clone --mirror URL`)"
        )
    tty = ctx.stderr.isatty() and not ctx.args.quiet

    def progress(done: int, total: int) -> None:
        if tty:
            ctx.stderr.write(f"\raudit: {done}/{total} repositories scanned")
            ctx.stderr.flush()

    sources, key_note = audit(mirrors, jobs, progress)
    if tty:
        ctx.stderr.write("\n")
    report = merge_reports(sources, command="audit")
    report.root = str(root)
    report.notes.append(f"audited {len(mirrors)} repositories under {root} with {jobs} job(s); {key_note}")
    write_step_summary(ctx, report)
    return report
