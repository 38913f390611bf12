"""``launchready baseline create|update|import``: record known findings so only new ones fail."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from launchready import redact
from launchready.commands import Context
from launchready.errors import ConfigError, UsageError
from launchready.model import Report
from launchready.printable import safe
from launchready.secrets import suppress
from launchready.secrets.sources import display, git_root

HELP = "record current findings in .launchready-baseline.json (or import a detect-secrets baseline)"
DESCRIPTION = (
    "create: scan PATHs (default '.') and write every finding's fingerprint to the baseline "
    "(replacing it). update: add new findings to the existing baseline (--prune also drops "
    "entries no longer found). import FILE: convert a detect-secrets .secrets.baseline. The "
    "baseline is .launchready-baseline.json at the repository root, config 'baseline:', or "
    "--baseline FILE; it holds fingerprints and redacted values only, never a raw secret."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("create", "update", "import"))
    p.add_argument(
        "targets",
        nargs="*",
        metavar="PATH",
        help="create/update: files or directories to scan (default '.'); import: the detect-secrets baseline file",
    )
    p.add_argument("--prune", action="store_true", help="update: drop entries that the scan no longer finds")
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="the baseline to write (default: config 'baseline:', else .launchready-baseline.json at the repository root)",
    )


def _target(ctx: Context, root: Path) -> Path:
    explicit = ctx.args.baseline
    if explicit:
        return Path(explicit) if os.path.isabs(explicit) else ctx.cwd / explicit
    return suppress.default_path(ctx.config, root)


def _scan(ctx: Context, paths: list[str]) -> Report:
    from launchready.commands import Console
    from launchready.commands.scan import ScanRequest, build_report

    return build_report(ScanRequest(paths=paths, cwd=ctx.cwd), ctx.config, Console.of(ctx))


def _existing(target: Path, replacing: bool) -> suppress.Baseline | None:
    """The baseline at ``target``; ``create`` replaces a broken one instead of failing."""
    if not target.is_file():
        return None
    try:
        return suppress.load(target)
    except ConfigError:
        if replacing:
            return None
        raise


def run(ctx: Context) -> Report | None:
    args = ctx.args
    root = git_root(ctx.cwd) or ctx.cwd
    target = _target(ctx, root)
    shown = display(target.resolve(), ctx.cwd.resolve())
    out = ctx.stdout
    existing = _existing(target, replacing=args.action == "create")
    if existing is None or (args.action == "create" and existing.salt is None):
        # a new baseline (or a new version 1 one) gets its own random salt before anything is
        # fingerprinted; update keeps the file's salt (version 1 files: the shared salt)
        salt: str | None = suppress.new_salt()
    else:
        salt = existing.salt
    redact.use_salt(redact.baseline_salt(salt))
    if args.action == "import":
        if len(args.targets) != 1:
            raise UsageError("baseline import takes one file: the detect-secrets baseline (e.g. .secrets.baseline)")
        from launchready import registry
        from launchready.secrets.engine import Engine

        src = Path(args.targets[0])
        src = src if src.is_absolute() else ctx.cwd / src
        baseline = existing or suppress.Baseline(salt=salt)
        # detect-secrets records paths relative to where it ran (normally the repo root)
        res = suppress.import_detect_secrets(
            src, src.resolve().parent, Engine(registry.all_rules(ctx.config)), baseline
        )
        suppress.save(baseline, target)
        if not args.quiet:
            out.write(
                f"imported {res.imported} finding(s) into {shown}"
                f"{f' ({res.by_line} matched by line)' if res.by_line else ''}\n"
            )
            for path, line, kind in res.unmatched:
                out.write(
                    f"  not matched: {safe(str(path))}:{line} ({safe(str(kind))}): no finding of ours there; it stays unsuppressed\n"
                )
        return None
    report = _scan(ctx, args.targets)
    if args.action == "create":
        baseline = suppress.Baseline(salt=salt)
        added = sum(1 for f in report.findings if baseline.add(f))
        existed = target.is_file()
        suppress.save(baseline, target)
        if not args.quiet:
            out.write(f"{'replaced' if existed else 'wrote'} {shown}: {added} finding(s) recorded\n")
        return None
    if not target.is_file():
        raise UsageError(f"no baseline at {shown} to update (run `launchready baseline create`)")
    assert existing is not None
    baseline = existing
    added = sum(1 for f in report.findings if baseline.add(f))
    pruned = 0
    if args.prune:
        current = {f.fingerprint for f in report.findings}
        for fp in [fp for fp in baseline.entries if fp not in current]:
            del baseline.entries[fp]
            pruned += 1
    suppress.save(baseline, target)
    if not args.quiet:
        out.write(f"updated {shown}: {added} added, {pruned} pruned, {len(baseline.entries)} in total\n")
        if baseline.salt is None:
            out.write(
                f"note: {shown} is a version 1 baseline (one salt shared by every user); "
                "`launchready baseline create` rewrites it with a salt of its own\n"
            )
    return None
