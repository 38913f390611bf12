"""``launchready history``: scan what git history added, one finding per secret."""

from __future__ import annotations

import argparse
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from launchready.commands import Console, Context, salt_like
from launchready.config import Config
from launchready.errors import UsageError
from launchready.history import revs
from launchready.history.gitlog import GitError
from launchready.history.logproc import GIT_MEMORY_ENV, workers_wanted
from launchready.history.prefetch import Prefetch
from launchready.model import CheckResult, Report, Severity, Status
from launchready.secrets.sources import git_root

if TYPE_CHECKING:
    from launchready.history.early import EarlyLogs
    from launchready.history.ignore import GitleaksIgnore
    from launchready.history.salvage import Unreadable

MAX_LISTED = 20  # unreadable objects named in the message (all are in the evidence)


def unreadable_check(unreadable: list[Unreadable], scanned: int, walked: int, git_said: str) -> CheckResult:
    """An ``error`` check: the history was scanned only in part, so it cannot pass."""
    commits = sorted({u.commit for u in unreadable if not u.path})
    objects = [u for u in unreadable if u.path]
    parts = []
    if commits:
        parts.append(f"{len(commits)} commit(s)")
    if objects:
        parts.append(f"{len(objects)} file version(s) in {len({u.commit for u in objects})} commit(s)")
    listed = "; ".join(u.describe() for u in unreadable[:MAX_LISTED])
    more = f"; and {len(unreadable) - MAX_LISTED} more" if len(unreadable) > MAX_LISTED else ""
    return CheckResult(
        id="history.objects",
        status=Status.ERROR,
        severity=Severity.HIGH,
        target="git objects",
        message=(
            f"git could not read {' and '.join(parts)}: the history was scanned in part "
            f"({scanned} of {walked} commits read, each as far as git could), so it cannot pass. "
            f"Unreadable: {listed}{more}"
        ),
        fix=(
            "scan a complete clone (a partial clone's objects are not fetched: run history on "
            "a full `git clone --mirror`), or repair the repository (`git fsck --full` names "
            "what is missing; fetch it again from a healthy copy)"
        ),
        evidence={"unreadable": [u.to_json() for u in unreadable], "git_error": git_said},
    )


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
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="processes that scan at once (default: the CPUs, at most 8; env LAUNCHREADY_JOBS)",
    )
    p.add_argument("--repo", metavar="DIR", default=".", help="repository to scan (default: the current directory)")


@dataclass(frozen=True)
class HistoryRequest:
    """Which history ``history`` scans: every ref (the default), ``since_commit`` (REV..HEAD),
    a ``range`` (BASE..HEAD) or one ``branch`` of the repository at ``repo`` (relative to
    ``cwd``; a work tree or a bare mirror). ``jobs``: processes (at most 2; default the CPUs).
    ``ignore``: .gitleaksignore entries to honour instead of the repository's own file."""

    repo: str = "."
    all: bool = False
    since_commit: str | None = None
    range: str | None = None
    branch: str | None = None
    jobs: int | None = None
    baseline: str | None = None
    ignore: GitleaksIgnore | None = None
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> HistoryRequest:
        return cls(args.repo, args.all, args.since_commit, args.range, args.branch, args.jobs, args.baseline, cwd=cwd)


def history(
    request: HistoryRequest,
    config: Config | None = None,
    console: Console | None = None,
    early: EarlyLogs | None = None,
) -> Report:
    """``launchready history`` as a function: one finding per secret the range added, with
    the baseline applied (a progress line on ``console`` when it is a terminal). ``early``:
    git processes the console command started for this scan (``history.early``), taken
    over if they are the ones the range needs, else stopped."""
    try:
        return _history(request, config, console, early)
    finally:
        if early is not None:
            early.discard()  # (nothing left once the scan took them)


def _history(
    request: HistoryRequest, config: Config | None, console: Console | None, early: EarlyLogs | None
) -> Report:
    config = config if config is not None else Config()
    console = console or Console(quiet=True)
    root = repository_root(request.cwd / request.repo)
    if root is None:
        raise UsageError(f"not a git repository: {request.repo}")
    if request.jobs is not None and request.jobs < 1:
        raise UsageError(f"--jobs: expected at least 1 process, got {request.jobs}")
    salt_like(request.baseline, config, request.cwd, root)  # fingerprints match the baseline's
    rng = revs.resolve(root, all_refs=request.all, since=request.since_commit, rng=request.range, branch=request.branch)
    prefetch = Prefetch(root, rng, workers_wanted(request.jobs), early)  # git works while the scanner loads
    try:
        report = history_report(config, console, root, rng, jobs=request.jobs, ignore=request.ignore, prefetch=prefetch)
    finally:
        prefetch.close()
    from launchready.secrets import suppress

    suppress.apply_baseline(report, suppress.resolve(request.baseline, config, root, request.cwd))
    return report


def run(ctx: Context) -> Report:
    return history(HistoryRequest.from_args(ctx.args, ctx.cwd), ctx.config, Console.of(ctx), ctx.early)


def repository_root(path: Path) -> Path | None:
    """The work tree's top of a repository, or the git directory of a bare one (a mirror
    made with ``git clone --mirror``): history needs only the object store."""
    root = git_root(path)
    if root is not None or not path.is_dir():
        return root
    out = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--is-bare-repository", "--absolute-git-dir"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = out.stdout.split("\n")
    if out.returncode != 0 or len(lines) < 2 or lines[0] != "true":
        return None
    return Path(lines[1]).resolve()


def history_report(
    config: Config,
    console: Console,
    root: Path,
    rng: revs.Range,
    jobs: int | None = None,
    ignore: GitleaksIgnore | None = None,
    prefetch: Prefetch | None = None,
) -> Report:
    """Scan ``rng`` with the rules ``config`` enables (no baseline applied here)."""
    # Imported here, not at the top: ``run`` starts git first (``Prefetch``), and these
    # imports (the scanner, the rule packs) then overlap with git's walk and diffs.
    from launchready.history.ignore import load as load_gitleaksignore
    from launchready.history.scan import salvage_history, scan_history
    from launchready.progress import Progress
    from launchready.registry import rule_set
    from launchready.secrets.engine import Engine

    rules = rule_set(config, root)
    engine = Engine(rules.rules)
    progress = Progress(console.stderr, quiet=console.quiet)
    started = time.monotonic()

    def show(commits: int, scanned: int) -> None:
        rate = scanned / 1e6 / max(1e-6, time.monotonic() - started)
        progress.update("history", f"{commits} commits, {scanned / 1e6:.1f} MB of patch, {rate:.1f} MB/s")

    ignore = ignore if ignore is not None else load_gitleaksignore(root)
    unreadable: list[Unreadable] | None = None
    try:
        try:
            result = scan_history(
                root,
                rng,
                engine,
                ignore,
                config.exclude,
                jobs=jobs,
                progress=show if progress.enabled else None,
                prefetch=prefetch,
            )
        except GitError as exc:
            # git could not read something (a partial or damaged clone): scan what it can
            # read and list the rest, instead of stopping at the first missing object
            first_error = str(exc)
            if prefetch is not None:
                prefetch.close()
            result, salvaged = salvage_history(
                root, rng, engine, ignore, config.exclude, progress=show if progress.enabled else None
            )
            unreadable, walked = salvaged.unreadable, salvaged.commits_found
            if salvaged.without_deleted:
                merges = ", ".join(salvaged.without_deleted[:5])
                more = f" and {len(salvaged.without_deleted) - 5} more" if len(salvaged.without_deleted) > 5 else ""
                result.notes.append(
                    f"history: git could not read the whole history at once ({first_error}); merge(s) {merges}{more} "
                    "were read again without the files they delete (a deleted file adds nothing; git's combined "
                    f"diff of a large one can take more memory than {GIT_MEMORY_ENV} allows)"
                )
            elif not unreadable:  # the failure was not about missing objects: say what it was
                raise UsageError(first_error) from None
    finally:
        progress.done()
    report = Report(command="history", root=str(root))
    if unreadable:
        report.checks.append(unreadable_check(unreadable, result.commits, walked, first_error))
    report.findings.extend(result.findings)
    report.summary.commits_scanned = result.commits
    report.summary.bytes_scanned = result.bytes
    report.summary.suppressed = result.suppressed
    report.notes.extend(result.notes)
    if result.skipped:
        from launchready.commands.scan import list_skipped

        list_skipped(report, result.skipped, console, "history: ")
    if rules.gitleaks_note:
        report.notes.append(rules.gitleaks_note)
    report.ran.add("secrets")
    if unreadable:
        report.notes.append(
            f"history: PARTIAL: {len(unreadable)} commit(s) or object(s) could not be read; see history.objects"
        )
    return report
