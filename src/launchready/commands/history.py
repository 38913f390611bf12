"""``launchready history``: scan what git history added, one finding per secret."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from launchready.commands import Context
from launchready.errors import UsageError
from launchready.history import revs
from launchready.history.gitlog import GitError
from launchready.history.prefetch import Prefetch, workers_wanted
from launchready.model import Report
from launchready.secrets.sources import git_root

if TYPE_CHECKING:
    from launchready.history.ignore import GitleaksIgnore

HELP = "scan git history (every commit's added lines and messages) for secrets"
DESCRIPTION = (
    "Scan what each commit added, and each commit message, for secrets. The same secret seen "
    "in many commits is one finding with the commit that introduced it, how often it was seen "
    "and whether HEAD still has it. A secret removed from HEAD is still in history: rotate it. "
    "Default: every ref (--all). Merge commits contribute only what their conflict resolution "
    "added (combined diff); .gitleaksignore entries are honoured."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--all", action="store_true", help="every ref: branches, tags, remotes (default)")
    g.add_argument("--since-commit", metavar="REV", help="commits reachable from HEAD but not from REV (REV..HEAD)")
    g.add_argument("--range", metavar="BASE..HEAD", help="the commits of a range, as git understands BASE..HEAD")
    g.add_argument("--branch", metavar="NAME", help="the whole history of one branch")
    p.add_argument("--jobs", type=int, metavar="N", help="processes that scan at once (default: the CPUs, at most 8; env LAUNCHREADY_JOBS)")
    p.add_argument("--repo", metavar="DIR", default=".", help="repository to scan (default: the current directory)")


def run(ctx: Context) -> Report:
    args = ctx.args
    root = git_root(ctx.cwd / args.repo)
    if root is None:
        raise UsageError(f"not a git repository: {args.repo}")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs: expected at least 1 process, got {args.jobs}")
    rng = revs.resolve(root, all_refs=args.all, since=args.since_commit, rng=args.range, branch=args.branch)
    prefetch = Prefetch(root, rng, workers_wanted(args.jobs))  # git works while the scanner loads
    try:
        report = history_report(ctx, root, rng, jobs=args.jobs, prefetch=prefetch)
    finally:
        prefetch.close()
    from launchready.secrets import suppress

    suppress.apply_baseline(report, suppress.resolve(args.baseline, ctx.config, root, ctx.cwd))
    return report


def history_report(
    ctx: Context, root: Path, rng: revs.Range, jobs: int | None = None, ignore: GitleaksIgnore | None = None,
    prefetch: Prefetch | None = None,
) -> Report:
    """Scan ``rng`` with the rules ``ctx.config`` enables (no baseline applied here)."""
    # Imported here, not at the top: ``run`` starts git first (``Prefetch``), and these
    # imports (the scanner, the rule packs) then overlap with git's walk and diffs.
    from launchready.history.ignore import load as load_gitleaksignore
    from launchready.history.scan import scan_history
    from launchready.progress import Progress
    from launchready.registry import rule_set
    from launchready.secrets.engine import Engine

    rules = rule_set(ctx.config, root)
    engine = Engine(rules.rules)
    progress = Progress(ctx.stderr, quiet=getattr(ctx.args, "quiet", False))
    started = time.monotonic()

    def show(commits: int, scanned: int) -> None:
        rate = scanned / 1e6 / max(1e-6, time.monotonic() - started)
        progress.update("history", f"{commits} commits, {scanned / 1e6:.1f} MB of patch, {rate:.1f} MB/s")

    try:
        result = scan_history(
            root, rng, engine, ignore if ignore is not None else load_gitleaksignore(root), ctx.config.exclude,
            jobs=jobs, progress=show if progress.enabled else None, prefetch=prefetch,
        )  # fmt: skip
    except GitError as exc:
        raise UsageError(str(exc)) from None
    finally:
        progress.done()
    report = Report(command="history", root=str(root))
    report.findings.extend(result.findings)
    report.summary.commits_scanned = result.commits
    report.summary.bytes_scanned = result.bytes
    report.summary.suppressed = result.suppressed
    report.notes.extend(result.notes)
    if rules.gitleaks_note:
        report.notes.append(rules.gitleaks_note)
    report.ran.add("secrets")
    return report
