"""``launchready baseline create|update|import``: record known findings so only new ones fail."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from launchready import redact
from launchready.commands import Console, Context
from launchready.config import Config
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


@dataclass(frozen=True)
class BaselineRequest:
    """``create``: scan ``targets`` (default ``.``) and record every finding, replacing the
    baseline; ``update``: add new findings (``prune``: drop entries no longer found);
    ``import``: convert the detect-secrets baseline named in ``targets``. ``baseline``: the
    file to write (default: the config's ``baseline:``, else .launchready-baseline.json at
    the repository root). Paths are relative to ``cwd``."""

    action: Literal["create", "update", "import"]
    targets: list[str] = field(default_factory=list)
    prune: bool = False
    baseline: str | None = None
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> BaselineRequest:
        return cls(args.action, list(args.targets), args.prune, args.baseline, cwd)


@dataclass(frozen=True)
class BaselineResult:
    """What was written to ``path`` (``shown``: as the command line names it)."""

    action: str
    path: Path
    shown: str
    added: int = 0  # create, update: findings recorded
    pruned: int = 0  # update --prune: entries dropped
    total: int = 0  # entries in the baseline now
    replaced: bool = False  # create: a baseline was there before
    version1: bool = False  # update: the file is a version 1 baseline (one shared salt)
    imported: suppress.ImportResult | None = None  # import


def _target(request: BaselineRequest, config: Config, root: Path) -> Path:
    explicit = request.baseline
    if explicit:
        return Path(explicit) if os.path.isabs(explicit) else request.cwd / explicit
    return suppress.default_path(config, root)


def _scan(request: BaselineRequest, config: Config, console: Console) -> Report:
    from launchready.commands.scan import ScanRequest, build_report

    return build_report(ScanRequest(paths=request.targets, cwd=request.cwd), config, console)


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


def baseline(request: BaselineRequest, config: Config | None = None, console: Console | None = None) -> BaselineResult:
    """``launchready baseline`` as a function: write the baseline file and say what it holds.
    It holds fingerprints and redacted values only, never a raw secret."""
    config = config if config is not None else Config()
    console = console or Console(quiet=True)
    root = git_root(request.cwd) or request.cwd
    target = _target(request, config, root)
    shown = display(target.resolve(), request.cwd.resolve())
    existing = _existing(target, replacing=request.action == "create")
    if existing is None or (request.action == "create" and existing.salt is None):
        # a new baseline (or a new version 1 one) gets its own random salt before anything is
        # fingerprinted; update keeps the file's salt (version 1 files: the shared salt)
        salt: str | None = suppress.new_salt()
    else:
        salt = existing.salt
    fixed = redact.baseline_salt(salt)
    redact.set_salt_resolver(lambda: fixed)  # not pinned: a later call picks its own
    if request.action == "import":
        if len(request.targets) != 1:
            raise UsageError("baseline import takes one file: the detect-secrets baseline (e.g. .secrets.baseline)")
        from launchready import registry
        from launchready.secrets.engine import Engine

        src = Path(request.targets[0])
        src = src if src.is_absolute() else request.cwd / src
        into = existing or suppress.Baseline(salt=salt)
        # detect-secrets records paths relative to where it ran (normally the repo root)
        res = suppress.import_detect_secrets(src, src.resolve().parent, Engine(registry.all_rules(config)), into)
        suppress.save(into, target)
        return BaselineResult("import", target, shown, total=len(into.entries), imported=res)
    report = _scan(request, config, console)
    if request.action == "create":
        fresh = suppress.Baseline(salt=salt)
        added = sum(1 for f in report.findings if fresh.add(f))
        existed = target.is_file()
        suppress.save(fresh, target)
        return BaselineResult("create", target, shown, added=added, total=len(fresh.entries), replaced=existed)
    if not target.is_file():
        raise UsageError(f"no baseline at {shown} to update (run `launchready baseline create`)")
    assert existing is not None
    added = sum(1 for f in report.findings if existing.add(f))
    pruned = 0
    if request.prune:
        current = {f.fingerprint for f in report.findings}
        for fp in [fp for fp in existing.entries if fp not in current]:
            del existing.entries[fp]
            pruned += 1
    suppress.save(existing, target)
    return BaselineResult("update", target, shown, added, pruned, len(existing.entries), version1=existing.salt is None)


def baseline_text(result: BaselineResult) -> str:
    """What ``launchready baseline`` prints for ``result`` (nothing with ``-q``)."""
    shown = result.shown
    if result.imported is not None:
        res = result.imported
        lines = [
            f"imported {res.imported} finding(s) into {shown}"
            f"{f' ({res.by_line} matched by line)' if res.by_line else ''}\n"
        ]
        for path, line, kind in res.unmatched:
            lines.append(
                f"  not matched: {safe(str(path))}:{line} ({safe(str(kind))}): no finding of ours there; it stays unsuppressed\n"
            )
        return "".join(lines)
    if result.action == "create":
        return f"{'replaced' if result.replaced else 'wrote'} {shown}: {result.added} finding(s) recorded\n"
    text = f"updated {shown}: {result.added} added, {result.pruned} pruned, {result.total} in total\n"
    if result.version1:
        text += (
            f"note: {shown} is a version 1 baseline (one salt shared by every user); "
            "`launchready baseline create` rewrites it with a salt of its own\n"
        )
    return text


def run(ctx: Context) -> None:
    result = baseline(BaselineRequest.from_args(ctx.args, ctx.cwd), ctx.config, Console.of(ctx))
    if not ctx.args.quiet:
        ctx.stdout.write(baseline_text(result))
