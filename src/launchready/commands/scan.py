"""``launchready scan``: files, directories, the staged index, stdin and build bundles.

Modes (one per run):
- PATHs (default ``.``): in a git work tree ``.gitignore`` decides which files are read;
  outside one every file except dependency and VCS directories. A directory also gets the
  env-file checks (``.env*`` on disk, ignored or not), the build output found in it
  (``dist/``, ``build/``, ``.next/static``, ``out/``, ``.output/public``; ``--no-bundles``
  turns that off) and the whole-application repo checks.
- ``--staged``: the index (what the next commit contains), paths relative to the repo root.
- ``--hook FILE...``: what pre-commit passes; each file's staged content when it is staged,
  else the working tree (so ``pre-commit run --all-files`` scans everything).
- ``-``: stdin, shown as path ``-``.
- ``--bundle DIR`` / ``--find-bundles`` / ``--env-only``: only those checks (plus PATHs if given).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from launchready.commands import Console, Context, salt_like
from launchready.config import Config
from launchready.errors import UsageError
from launchready.model import Finding, Report
from launchready.printable import safe
from launchready.secrets import suppress
from launchready.secrets.engine import Engine
from launchready.secrets.scanner import ScanOptions, ScanResult, decode, scan_blobs
from launchready.secrets.sources import (
    Blob,
    display,
    excluded,
    git_files,
    git_root,
    hook_blobs,
    staged_blobs,
    walk_files,
)

if TYPE_CHECKING:
    from launchready.envfiles import EnvChecker

HELP = "scan files, the staged index, stdin or build output for secrets and launch problems"
DESCRIPTION = (
    "Scan PATHs (default '.') for secrets, env-file and build-bundle problems and repo checks. "
    "In a git work tree .gitignore decides what is scanned (env files and build output are "
    "read regardless). --staged scans what will be committed (the index), --hook FILE... the "
    "files pre-commit passes, '-' reads stdin. Known findings in .launchready-baseline.json "
    "(or --baseline FILE) do not fail the run."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default '.'); '-' reads stdin")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--staged", action="store_true", help="scan the staged content of the index (what the next commit contains)"
    )
    mode.add_argument(
        "--hook",
        action="store_true",
        help="pre-commit mode: PATHs are the files pre-commit passes; each is read from the index when staged, else from the working tree; per-file rules only",
    )
    p.add_argument(
        "--bundle",
        action="append",
        default=[],
        metavar="DIR",
        help="build output to scan regardless of .gitignore; secrets in it are critical, shipped source maps are warnings (repeatable)",
    )
    p.add_argument(
        "--find-bundles",
        action="store_true",
        help="scan the build output found under the current directory (dist/, build/, .next/static, out/, .output/public)",
    )
    p.add_argument(
        "--no-bundles", action="store_true", help="do not scan build output found inside scanned directories"
    )
    p.add_argument(
        "--env-only", action="store_true", help="only the env-file checks (.env* files on disk, ignored or not)"
    )
    p.add_argument("--no-env", action="store_true", help="skip the env-file checks")


@dataclass(frozen=True)
class ScanRequest:
    """What ``scan`` scans: PATHs (relative to ``cwd``; ``["-"]`` for stdin), or the index
    (``staged``), or the files pre-commit passes (``hook``); build output; env files.
    ``baseline``: a baseline file (default: the config's, else .launchready-baseline.json)."""

    paths: list[str] = field(default_factory=list)
    staged: bool = False
    hook: bool = False
    bundles: list[str] = field(default_factory=list)
    find_bundles: bool = False
    auto_bundles: bool = True
    env: bool = True
    env_only: bool = False
    baseline: str | None = None
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> ScanRequest:
        return cls(
            paths=list(args.paths),
            staged=args.staged,
            hook=args.hook,
            bundles=list(args.bundle),
            find_bundles=args.find_bundles,
            auto_bundles=not args.no_bundles,
            env=not args.no_env,
            env_only=args.env_only,
            baseline=args.baseline,
            cwd=cwd,
        )


class _Pipeline:
    def __init__(self, request: ScanRequest, config: Config, console: Console) -> None:
        from launchready import registry

        self.config = config
        self.git_root = root = git_root(request.cwd)
        self.engine = Engine(registry.all_rules(config, root))
        if not console.quiet:
            for w in registry.rule_warnings(config, root):
                console.stderr.write(f"launchready: warning: {safe(w)}\n")
        self.disabled = frozenset(config.disabled_rules)
        self.result = ScanResult()
        self.extra: list[Finding] = []
        self.ran: set[str] = set()
        self.notes: list[str] = []
        gitleaks_note = registry.rule_set(config, root).gitleaks_note
        if gitleaks_note:
            self.notes.append(gitleaks_note)
        self._env_checker: EnvChecker | None = None

    @property
    def env_checker(self) -> EnvChecker:
        """Built on first use: a commit without env files never imports the env rules."""
        if self._env_checker is None:
            from launchready.envfiles import EnvChecker

            self._env_checker = EnvChecker(self.engine, self.disabled)
        return self._env_checker

    @property
    def env_suppressed(self) -> int:
        return self._env_checker.suppressed if self._env_checker is not None else 0

    # -- exclude globs are relative to the config file's directory (else the root) --
    def exclude_base(self, root: Path) -> Path:
        return Path(self.config.path).resolve().parent if self.config.path else root

    def keep(self, fs_path: Path | None, shown: str, root: Path) -> bool:
        if not self.config.exclude:
            return True
        rel = display(fs_path.resolve(), self.exclude_base(root)) if fs_path is not None else shown
        return not excluded(rel, self.config.exclude)

    def scan(self, blobs: list[Blob], options: ScanOptions) -> None:
        self.result.merge(scan_blobs(self.engine, blobs, options))
        self.ran.add("secrets")

    def env_blobs(self, blobs: list[Blob]) -> None:
        """Per-file env rules for env files that are being committed (staged/hook modes)."""
        candidates = [b for b in blobs if ".env" in b.name.lower() or b.name.lower().endswith("env")]
        if not candidates:
            return
        from launchready import envfiles

        for b in candidates:
            if not envfiles.is_env_name(b.name):
                continue
            try:
                text = decode(b.read())
            except OSError:
                continue
            self.extra.extend(
                self.env_checker.per_file(
                    envfiles.EnvFile(b.path, b.fs_path, text), "staged" if b.data is not None else "tracked"
                )
            )
            self.ran.add("env")

    def env_named(self, files: list[Path], base: Path) -> None:
        """Env files named as PATHs get the env rules their name calls for."""
        from launchready import envfiles

        named = [f for f in files if envfiles.is_env_name(f.name)]
        if named:
            self.extra.extend(envfiles.check_named(self.env_checker, named, base, git_root(named[0])))
            self.ran.add("env")

    def env_tree(self, top: Path, base: Path, count_files: bool = False) -> None:
        from launchready import envfiles

        root = git_root(top)
        found, n = envfiles.check_tree(
            self.env_checker, top, base, root, self.config.exclude, self.exclude_base(root or base)
        )
        self.extra.extend(found)
        if count_files:  # --env-only: the env files are all that was read
            self.result.files += n
        self.ran.add("env")

    def bundles(self, dirs: list[Path], base: Path) -> None:
        from launchready.build_output import BundleScanner

        scanner = BundleScanner(self.engine, base, self.config.exclude, self.exclude_base(base), self.disabled)
        self.result.merge(scanner.scan(dirs))
        self.ran.add("bundle")
        for d in dirs:
            self.notes.append(f"scanned build output {display(d, base)}/")


def _collect(targets: list[str], cwd: Path, skip_under: list[Path]) -> list[Path]:
    files: list[Path] = []
    for t in targets:
        p = Path(t) if os.path.isabs(t) else cwd / t
        if not p.exists():
            raise UsageError(f"no such file or directory: {t}")
        if p.is_file():
            files.append(p)
            continue
        root = git_root(p)
        found = (
            [f for f in git_files(root, p.resolve()) if f.is_file() and not f.is_symlink()]
            if root
            else list(walk_files(p))
        )
        files.extend(found)
    skip = [d.resolve() for d in skip_under]
    seen: set[Path] = set()
    unique: list[Path] = []
    for f in files:  # overlapping PATHs (`scan . src`) read each file once
        r = f.resolve()
        if r in seen or any(r.is_relative_to(d) for d in skip):
            continue
        seen.add(r)
        unique.append(f)
    return unique


def build_report(plan: ScanRequest, config: Config, console: Console) -> Report:
    """Everything ``scan`` finds for ``plan``, before the baseline is applied."""
    pipe = _Pipeline(plan, config, console)
    cwd = plan.cwd
    root_shown = cwd
    hints: list[str] = []
    if plan.env_only and plan.hook:
        # the env hook: every .env* file on disk, minus those the commit changes (the secrets
        # hook judges their staged content), each saying it is not part of the commit
        root = pipe.git_root
        if root is None:
            raise UsageError("--hook needs a git work tree")
        if plan.paths:
            raise UsageError("--env-only --hook takes no PATHs (it reads every env file on disk)")
        pipe.env_tree(cwd, cwd, count_files=True)
        from launchready.commit_context import mark_on_disk, unblock_hints

        pipe.extra, on_disk, staged = mark_on_disk(pipe.extra, cwd, root)
        if on_disk:
            pipe.notes.append(
                f"on disk only, not part of this commit: {', '.join(on_disk)}; this commit changes "
                f"{len(staged)} file(s), whose env files launchready-secrets judges as staged"
            )
        hints = unblock_hints(env_hook=True)
    elif plan.staged or plan.hook:
        root = pipe.git_root
        if root is None:
            raise UsageError(f"--{'staged' if plan.staged else 'hook'} needs a git work tree")
        root_shown = root
        if plan.staged:
            if plan.paths:
                raise UsageError("--staged takes no PATHs (it scans the whole index)")
            blobs = list(staged_blobs(root))
        else:
            blobs = list(hook_blobs(root, cwd, plan.paths))
        blobs = [b for b in blobs if pipe.keep(b.fs_path, b.path, root)]
        pipe.scan(blobs, ScanOptions(file_checks=True, disabled=pipe.disabled))
        if plan.env:
            pipe.env_blobs(blobs)
        from launchready.commit_context import commit_fix, unblock_hints

        pipe.result.findings[:] = [commit_fix(f) for f in pipe.result.findings]
        hints = unblock_hints(env_hook=False)
    elif plan.paths == ["-"]:
        pipe.scan([Blob("-", sys.stdin.buffer.read())], ScanOptions(file_checks=False, disabled=pipe.disabled))
    else:
        if "-" in plan.paths:
            raise UsageError("'-' (stdin) cannot be combined with other paths")
        bundle_dirs: list[Path] = []
        for b in plan.bundles:
            d = Path(b) if os.path.isabs(b) else cwd / b
            if not d.is_dir():
                raise UsageError(f"--bundle {b}: no such directory")
            bundle_dirs.append(d)
        from launchready.build_output import detect

        if plan.find_bundles:
            found = detect(cwd)
            bundle_dirs.extend(found)
            if not found:
                pipe.notes.append(
                    "no build output found (looked for dist/, build/, .next/static, out/, .output/public)"
                )
        explicit_only = bool(plan.bundles or plan.find_bundles or plan.env_only)
        targets = plan.paths or ([] if explicit_only else ["."])
        dirs = [cwd / t if not os.path.isabs(t) else Path(t) for t in targets]
        dirs = [d for d in dirs if d.is_dir()]
        # a directory inside another PATH is covered by it (env files, bundles counted once)
        dirs = [d for d in dirs if not any(o != d and d.resolve().is_relative_to(o.resolve()) for o in dirs)]
        dirs = list({d.resolve(): d for d in dirs}.values())
        if plan.auto_bundles and not plan.env_only:
            for d in dirs:
                bundle_dirs.extend(x for x in detect(d) if x not in bundle_dirs)
        if plan.env_only:
            for d in dirs or [cwd]:
                pipe.env_tree(d, cwd, count_files=True)
        else:
            files = _collect(targets, cwd, bundle_dirs)
            blobs = [Blob(display(f, cwd), None, f) for f in files]
            repo_root = pipe.git_root or cwd
            blobs = [b for b in blobs if pipe.keep(b.fs_path, b.path, repo_root)]
            if targets:
                pipe.scan(blobs, ScanOptions(file_checks=True, keep_texts=bool(dirs), disabled=pipe.disabled))
            if plan.env:
                for d in dirs:
                    pipe.env_tree(d, cwd)
                named = [Path(t) if os.path.isabs(t) else cwd / t for t in targets]
                named = [
                    f for f in named if f.is_file() and not any(f.resolve().is_relative_to(d.resolve()) for d in dirs)
                ]
                pipe.env_named(named, cwd)
            if bundle_dirs:
                pipe.bundles(bundle_dirs, cwd)
            if dirs:
                from launchready import repo

                stats = repo.RepoStats()
                pipe.extra.extend(repo.checks_for_app(pipe.result.texts, disabled=pipe.disabled, stats=stats))
                pipe.result.suppressed += stats.suppressed
                pipe.ran.add("repo")
                if stats.error_tracking:  # the scorecard's Monitoring row: error tracking found
                    pipe.ran.add("error-tracking")
    report = Report(command="scan", root=str(root_shown))
    report.findings.extend(_dedupe(pipe.result.findings, pipe.extra))
    report.summary.files_scanned = pipe.result.files
    report.summary.bytes_scanned = pipe.result.bytes
    report.summary.suppressed = pipe.result.suppressed + pipe.env_suppressed
    report.ran |= pipe.ran
    report.notes.extend(pipe.notes)
    report.hints.extend(hints)
    list_skipped(report, pipe.result.skipped, console)
    return report


def list_skipped(report: Report, skipped: list[tuple[str, str]], console: Console, label: str = "") -> None:
    """What was not read goes into the report (``skipped_files``, ``summary.files_skipped``, a
    note; each one on stderr with ``-v``): a file we could not read is never a pass."""
    report.skipped.extend(skipped)
    report.summary.files_skipped = len(skipped)
    if skipped:
        report.notes.append(label + skipped_note(skipped))
    if console.verbose:
        for path, why in skipped:
            console.stderr.write(f"launchready: skipped {safe(path)}: {safe(why)}\n")


SKIPPED_LISTED = 10


def skipped_note(skipped: list[tuple[str, str]]) -> str:
    """One line naming the files that were not scanned and why (the first few; all in JSON)."""
    shown = "; ".join(f"{path!r}: {why}" for path, why in skipped[:SKIPPED_LISTED])
    more = (
        f"; and {len(skipped) - SKIPPED_LISTED} more (see skipped_files in the JSON report)"
        if len(skipped) > SKIPPED_LISTED
        else ""
    )
    n = len(skipped)
    return f"{n} file{'s' if n != 1 else ''} not scanned (skipped, not counted as scanned): {shown}{more}"


def _dedupe(secrets: list[Finding], extra: list[Finding]) -> list[Finding]:
    """One fact, one finding: an env.* finding on a line replaces the secret.* finding on the
    same line, and an env file that git does not ignore (``env.file-not-ignored``, which names
    the file and says to add it to .gitignore) replaces the preventive
    ``repo.secrets-dotenv-not-ignored`` (.gitignore lacks .env) that says the same."""
    at = {(f.path, f.line) for f in extra if f.line is not None and f.category == "env"}
    kept = [f for f in secrets if not (f.category == "secret" and (f.path, f.line) in at)]
    if any(f.rule_id == "env.file-not-ignored" for f in extra):
        extra = [f for f in extra if f.rule_id != "repo.secrets-dotenv-not-ignored"]
    return kept + extra


def scan(request: ScanRequest, config: Config | None = None, console: Console | None = None) -> Report:
    """``launchready scan`` as a function: the report for ``request`` with the baseline
    applied (nothing is printed but warnings, to ``console``)."""
    config = config if config is not None else Config()
    salt_like(request.baseline, config, request.cwd)  # fingerprints match the baseline's
    report = build_report(request, config, console or Console(quiet=True))
    root = Path(report.root) if request.staged or request.hook else git_root(request.cwd) or request.cwd
    baseline = suppress.resolve(request.baseline, config, root, request.cwd)
    suppress.apply_baseline(report, baseline)
    return report


def run(ctx: Context) -> Report:
    return scan(ScanRequest.from_args(ctx.args, ctx.cwd), ctx.config, Console.of(ctx))
