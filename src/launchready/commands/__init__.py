"""The subcommand registry. Adding a command: write ``commands/<module>.py`` with ``HELP``,
``DESCRIPTION``, ``add_arguments(parser)``, the command as a typed function of a request
dataclass, and ``run(ctx) -> Report | Outcome | None``, the argparse adapter that turns
``ctx.args`` into the request and calls the function; then list it in ``NAMES`` below
(command name -> module name)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from launchready.config import Config
from launchready.errors import UsageError
from launchready.model import Report, Severity

if TYPE_CHECKING:
    from launchready.history.early import EarlyLogs

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


def refuse_report_flags(args: argparse.Namespace, mode: str) -> None:
    """A mode that writes no report (``live --dry-run``) refuses the report options given."""
    options = {
        "--json": args.json,
        "--sarif": args.sarif,
        "--junit": args.junit,
        "--html": args.html,
        "--github": args.github,
        "--fail-on": args.fail_on,
        "--exit-zero": args.exit_zero,
        "--errors-ok": args.errors_ok,
        "--baseline": args.baseline,
    }
    given = [flag for flag, value in options.items() if value]
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
        """The command line's: the process's streams, ``-q`` and ``-v`` as given."""
        return cls(ctx.stdout, ctx.stderr, ctx.args.quiet, ctx.args.verbose)


@dataclass(frozen=True)
class Context:
    """What a command's argparse adapter receives (``run(ctx)``): the parsed arguments, which
    it turns into the command's typed request, the loaded config, and where the process runs
    and talks. Read-only: an adapter hands its result back (a ``Report`` or an ``Outcome``)."""

    args: argparse.Namespace
    config: Config
    cwd: Path
    stdout: TextIO
    stderr: TextIO
    early: EarlyLogs | None = None  # what the console command started first (``history.early``)

    @property
    def fail_on(self) -> Severity:
        """The threshold a report is judged by: ``--fail-on``, else the config's, else high."""
        return self.args.fail_on or self.config.fail_on or Severity.HIGH


@dataclass(frozen=True)
class Outcome:
    """An adapter's result when the report alone does not say how the run ends. ``report``
    None: the command printed its own result and exits ``exit_status``. ``fail_on``: the
    threshold the command settled on itself (the Action's input), for the text summary and
    the exit code. ``forced_exit``: overrides the verdict's exit code (a demo stage that
    crashed: 3)."""

    report: Report | None = None
    exit_status: int = 0
    fail_on: Severity | None = None
    forced_exit: int | None = None


def salt_like(
    baseline: str | None, config: Config, cwd: Path, root: Path | None = None, keep_pinned: bool = True
) -> None:
    """Fingerprints are salted per repository: like the baseline a command applies
    (``baseline``, relative to ``cwd``; else the config's or the default file), else like the
    repository (``root``, default: the one holding ``cwd``). Worked out when the first
    fingerprint is needed (a clean hook run never pays for it). A salt the caller pinned
    (``redact.use_salt``: the Action) is kept, unless ``keep_pinned`` is false (a new run)."""
    from launchready import redact

    if keep_pinned and redact.salt_pinned():
        return

    def resolve() -> bytes:
        from launchready.secrets import suppress
        from launchready.secrets.sources import git_root

        repo = root if root is not None else git_root(cwd)
        if baseline:
            path = Path(baseline) if Path(baseline).is_absolute() else cwd / baseline
        else:
            path = suppress.default_path(config, repo or cwd)
        return suppress.salt_for(path, repo)

    redact.set_salt_resolver(resolve)


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
