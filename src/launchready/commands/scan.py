"""``launchready scan``: files, directories, the staged index, stdin and build bundles."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from launchready.commands import Context
from launchready.errors import UsageError
from launchready.model import Report
from launchready.registry import all_rules
from launchready.secrets.engine import Engine
from launchready.secrets.scanner import scan_blobs
from launchready.secrets.sources import Blob, git_files, git_root, staged_blobs, walk_files

HELP = "scan files, the staged index, stdin or build output for secrets and launch problems"
DESCRIPTION = (
    "Scan PATHs (default '.') for secrets, env-file and build-bundle problems and repo checks. "
    "In a git work tree .gitignore decides what is scanned. --staged scans what will be "
    "committed (the index), '-' reads stdin."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories ('-' for stdin)")
    p.add_argument("--staged", action="store_true", help="scan the staged content of the index (pre-commit)")
    p.add_argument("--bundle", action="append", default=[], metavar="DIR", help="build output to scan regardless of .gitignore (repeatable)")


def _display(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return os.path.relpath(path, base).replace(os.sep, "/")


def _file_blobs(paths: list[Path], base: Path) -> Iterator[Blob]:
    for p in paths:
        try:
            data = p.read_bytes()
        except (IsADirectoryError, FileNotFoundError, PermissionError):
            continue
        yield Blob(_display(p, base), data, p)


def collect(targets: list[str], cwd: Path) -> list[Path]:
    files: list[Path] = []
    for t in targets:
        p = (cwd / t) if not os.path.isabs(t) else Path(t)
        if not p.exists():
            raise UsageError(f"no such file or directory: {t}")
        if p.is_file():
            files.append(p)
            continue
        root = git_root(p)
        if root is not None:
            files.extend(f for f in git_files(root, p.resolve()) if f.is_file())
        else:
            files.extend(walk_files(p))
    return files


def run(ctx: Context) -> Report:
    args = ctx.args
    engine = Engine(all_rules(ctx.config))
    if args.staged:
        root = git_root(ctx.cwd)
        if root is None:
            raise UsageError("--staged needs a git work tree")
        result = scan_blobs(engine, staged_blobs(root))
        report = Report(command="scan", root=str(root))
    elif args.paths == ["-"]:
        data = sys.stdin.buffer.read()
        result = scan_blobs(engine, [Blob("-", data)])
        report = Report(command="scan", root=str(ctx.cwd))
    else:
        targets = args.paths or ["."]
        if "-" in targets:
            raise UsageError("'-' (stdin) cannot be combined with other paths")
        files = collect(targets, ctx.cwd)
        result = scan_blobs(engine, _file_blobs(files, ctx.cwd))
        report = Report(command="scan", root=str(ctx.cwd))
    report.findings.extend(result.findings)
    report.summary.files_scanned = result.files
    report.summary.bytes_scanned = result.bytes
    report.summary.suppressed = result.suppressed
    report.ran.add("secrets")
    return report
