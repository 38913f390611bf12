"""The subcommand registry. Adding a command: write ``commands/<module>.py`` with ``HELP``,
``DESCRIPTION``, ``add_arguments(parser)`` and ``run(ctx) -> Report | None``, and list it in
``NAMES`` below (command name -> module name)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TextIO

from launchready.config import Config
from launchready.errors import UsageError
from launchready.model import Severity

NAMES: dict[str, str] = {
    "scan": "scan",
    "history": "history",
    "live": "live",
    "email": "email",
    "journey": "journey",
    "action": "action",
    "demo": "demo",
    "init": "init",
    "baseline": "baseline",
    "install-hook": "install_hook",
    "rules": "rules",
    "merge": "merge",
    "audit": "audit",
    "inventory": "inventory",
}

# Commands that print their own result and produce no report: they are not offered the
# report options (--json, --sarif, --junit, --html, --github, --fail-on, --exit-zero,
# --errors-ok, --baseline), which would do nothing there.
REPORTLESS = frozenset({"rules", "init", "baseline", "install-hook"})
REPORT_FLAGS = ("json", "sarif", "junit", "html", "github", "fail_on", "exit_zero", "errors_ok", "baseline")


def refuse_report_flags(args: argparse.Namespace, mode: str) -> None:
    """A mode that writes no report (``live --dry-run``) refuses the report options given."""
    given = [f"--{name.replace('_', '-')}" for name in REPORT_FLAGS if getattr(args, name, None)]
    if given:
        raise UsageError(f"{mode} writes no report: {', '.join(given)} cannot be used with it")


@dataclass(frozen=True)
class Console:
    """Where a command may talk while it runs (warnings, progress, ``-v`` detail): its report
    is its result. Defaults: the process's streams."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    quiet: bool = False
    verbose: int = 0

    @classmethod
    def of(cls, ctx: Context) -> Console:
        return cls(
            ctx.stdout, ctx.stderr, bool(getattr(ctx.args, "quiet", False)), int(getattr(ctx.args, "verbose", 0) or 0)
        )


@dataclass
class Context:
    """What the command-line adapter of a command receives (``run(ctx)``): the parsed
    arguments, which it turns into the command's typed request."""

    args: argparse.Namespace
    config: Config
    cwd: Path
    stdout: TextIO
    stderr: TextIO
    exit_status: int = 0  # for commands that return no report
    forced_exit: int | None = None  # overrides the verdict's exit code (a demo stage that crashed: 3)
    fail_on: Severity | None = None  # the threshold the command settled on (the Action's fail-on input)


class _Commands(Mapping[str, ModuleType]):
    """Command modules, imported on first use: the pre-commit hook runs `scan` only, so it
    must not pay for importing `live`/`email` (HTTP and DNS stacks). Iterating imports all."""

    def __init__(self) -> None:
        self._cache: dict[str, ModuleType | None] = {}

    def _import(self, name: str) -> ModuleType | None:
        if name not in self._cache:
            module = NAMES.get(name)
            found: ModuleType | None = None
            if module is not None:
                full = f"launchready.commands.{module}"
                try:
                    found = importlib.import_module(full)
                except ModuleNotFoundError as exc:
                    if exc.name != full:  # a real missing dependency, not an absent command
                        raise
            self._cache[name] = found
        return self._cache[name]

    def __getitem__(self, name: str) -> ModuleType:
        found = self._import(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._import(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter([n for n in NAMES if self._import(n) is not None])

    def __len__(self) -> int:
        return sum(1 for _ in self)


COMMANDS: Mapping[str, ModuleType] = _Commands()
