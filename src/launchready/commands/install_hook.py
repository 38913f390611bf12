"""``launchready install-hook``: install the plain git pre-commit hook (``hooks/pre-commit``).

Respects ``core.hooksPath``. Never clobbers a hook that is not ours: it refuses with a clear
message, or ``--chain`` keeps the existing hook (renamed ``pre-commit.launchready-chained``,
run first by ours), or ``--force`` replaces it (a backup is kept). Re-running updates our own
hook in place. The installed script prefers ``launchready`` on PATH and falls back to the
Python that ran ``install-hook``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from launchready.commands import Context
from launchready.errors import UsageError
from launchready.secrets.sources import git_root

HELP = "install the plain git pre-commit hook (for teams without the pre-commit framework)"
DESCRIPTION = (
    "Install launchready's pre-commit hook into the repository's hooks directory (core.hooksPath "
    "respected). It scans the staged content before every commit. An existing hook that is not "
    "launchready's is never overwritten silently: use --chain to keep running it first, or "
    "--force to replace it (a backup is kept)."
)
MARKER = "launchready-hook v1"
CHAINED = "pre-commit.launchready-chained"
BACKUP = "pre-commit.launchready-backup"

# Identical to hooks/pre-commit in the repository (a test keeps them in sync).
HOOK_SCRIPT = """#!/bin/sh
# launchready pre-commit hook (launchready-hook v1), for teams without the pre-commit framework.
# Install: `launchready install-hook` (or copy this file to .git/hooks/pre-commit, chmod +x).
# It scans what the commit will contain (the index) and blocks the commit on a secret at or
# above the fail threshold (.launchready.yml fail_on, default high). Known findings go in
# .launchready-baseline.json (`launchready baseline create`); a false positive on one line:
# add a `launchready:allow` comment. Bypass once, knowingly: git commit --no-verify
LAUNCHREADY_PY="${LAUNCHREADY_PY:-python3}"

hook_dir=$(dirname "$0")
if [ -x "$hook_dir/pre-commit.launchready-chained" ]; then
  # the hook that was here before `launchready install-hook --chain`
  "$hook_dir/pre-commit.launchready-chained" "$@" || exit $?
fi

if command -v launchready >/dev/null 2>&1; then
  exec launchready scan --staged
fi
if "$LAUNCHREADY_PY" -c "import launchready" >/dev/null 2>&1; then
  exec "$LAUNCHREADY_PY" -m launchready scan --staged
fi
echo "launchready: not installed, so this commit was not checked for secrets and is blocked." >&2
echo "  install it (pip install launchready) or commit with --no-verify if you must." >&2
exit 1
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--chain", action="store_true", help="keep an existing pre-commit hook and run it before launchready"
    )
    mode.add_argument(
        "--force",
        action="store_true",
        help="replace an existing pre-commit hook (kept as pre-commit.launchready-backup)",
    )


def hooks_dir(root: Path) -> Path:
    """The hooks directory git uses (``core.hooksPath`` when set)."""
    out = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--git-path", "hooks"], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise UsageError(f"cannot find the git hooks directory: {out.stderr.strip()}")
    p = Path(out.stdout.strip())
    return p if p.is_absolute() else root / p


def script() -> str:
    """The hook with the current interpreter as its fallback Python."""
    return HOOK_SCRIPT.replace(
        'LAUNCHREADY_PY="${LAUNCHREADY_PY:-python3}"',
        f'LAUNCHREADY_PY="${{LAUNCHREADY_PY:-{shlex.quote(sys.executable)}}}"',
    )


def _write(path: Path) -> None:
    path.write_text(script(), encoding="utf-8")
    path.chmod(0o755)


@dataclass(frozen=True)
class InstallHookRequest:
    """Install into the repository at ``cwd``. An existing hook that is not launchready's is
    kept and run first (``chain``) or replaced, with a backup (``force``); neither: refused."""

    chain: bool = False
    force: bool = False
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> InstallHookRequest:
        return cls(args.chain, args.force, cwd)


@dataclass(frozen=True)
class HookInstalled:
    """Where the hook went (``path``; ``shown`` relative to ``cwd``) and how: ``installed``,
    ``updated`` (ours was there), ``chained`` or ``replaced``."""

    path: Path
    shown: str
    how: Literal["installed", "updated", "chained", "replaced"]

    @property
    def message(self) -> str:
        """What ``launchready install-hook`` prints."""
        return {
            "installed": f"installed the launchready hook at {self.shown}",
            "updated": f"updated the launchready hook at {self.shown}",
            "chained": f"installed the launchready hook at {self.shown}; your previous hook now runs first from {CHAINED}",
            "replaced": f"replaced {self.shown} with the launchready hook (the old one is {BACKUP})",
        }[self.how]


def install_hook(request: InstallHookRequest) -> HookInstalled:
    """``launchready install-hook`` as a function: the plain git pre-commit hook installed in
    the repository's hooks directory (``core.hooksPath`` respected)."""
    if request.chain and request.force:
        raise UsageError("install-hook: --chain and --force cannot be used together")
    root = git_root(request.cwd)
    if root is None:
        raise UsageError("install-hook needs a git work tree (run it inside your repository)")
    hooks = hooks_dir(root)
    hooks.mkdir(parents=True, exist_ok=True)
    target = hooks / "pre-commit"
    shown = os.path.relpath(target, request.cwd)
    if target.exists() or target.is_symlink():
        try:
            existing = target.read_text(encoding="utf-8", errors="replace")
        except OSError:
            existing = ""
        if MARKER in existing:
            _write(target)
            return HookInstalled(target, shown, "updated")
        if request.chain:
            chained = hooks / CHAINED
            if chained.exists():
                raise UsageError(f"{os.path.relpath(chained, request.cwd)} already exists; remove it or use --force")
            target.rename(chained)
            _write(target)
            return HookInstalled(target, shown, "chained")
        if request.force:
            target.replace(hooks / BACKUP)
            _write(target)
            return HookInstalled(target, shown, "replaced")
        framework = (
            "pre-commit framework" if "pre-commit.com" in existing or "File generated by pre-commit" in existing else ""
        )
        hint = (
            " It is the pre-commit framework's hook: add launchready to .pre-commit-config.yaml instead (docs/hooks.md)."
            if framework
            else ""
        )
        raise UsageError(
            f"a pre-commit hook already exists at {shown} and it is not launchready's; nothing changed. "
            f"Use --chain to keep it and run launchready after it, or --force to replace it (a backup is kept).{hint}"
        )
    _write(target)
    return HookInstalled(target, shown, "installed")


def run(ctx: Context) -> None:
    done = install_hook(InstallHookRequest.from_args(ctx.args, ctx.cwd))
    if not ctx.args.quiet:
        ctx.stdout.write(done.message + "\n")
