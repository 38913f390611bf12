"""``launchready inventory``: the launch handover (integrations, secrets per environment,
what to rotate, what to watch)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from launchready import redact
from launchready.commands import Console, Context
from launchready.config import Config
from launchready.errors import UsageError
from launchready.model import Finding, Report

HELP = "list the product's integrations, where each secret lives per environment, what to rotate and watch"
DESCRIPTION = (
    "Find the external services the code uses (SDK imports and packages), the environment "
    "variables it reads, and where each is defined per environment (.env* files, GitHub "
    "workflows, Dockerfiles, compose and deployment configs). Flags variables read with no "
    "fallback but missing for production (env.missing-in-production: the deploy will break) "
    "and variables defined but never read (env.defined-unused); lists keys of each service "
    "ever leaked in git history, with where to rotate them, and what to watch after launch. "
    "--markdown writes a handover document to commit. Names, places and states only: never a value."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", default=".", metavar="DIR", help="the application's repository (default: .)")
    p.add_argument(
        "--markdown", metavar="FILE", help="write the handover document as markdown to FILE ('-' for stdout)"
    )
    p.add_argument("--no-history", action="store_true", help="do not scan git history for leaked keys")


@dataclass(frozen=True)
class InventoryRequest:
    """The application's repository (``path``, relative to ``cwd``); ``markdown``: where to
    write the handover document (a file relative to ``cwd``, or ``'-'`` for the console's
    stdout); ``history``: also list the keys ever leaked in git history (every ref)."""

    path: str = "."
    markdown: str | None = None
    history: bool = True
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> InventoryRequest:
        return cls(args.path, args.markdown, not args.no_history, cwd)


def _history(config: Config, console: Console, root: Path) -> tuple[list[Finding] | None, str]:
    from launchready.secrets.sources import git_root

    repo = git_root(root)
    if repo is None:
        return None, "not a git repository: history not scanned"
    from launchready.commands.history import history_report
    from launchready.history import revs
    from launchready.history.gitlog import GitError

    try:
        rng = revs.resolve(repo, all_refs=True, since=None, rng=None, branch=None)
        part = history_report(config, Console(console.stdout, console.stderr, quiet=True), repo, rng)
    except (UsageError, GitError) as exc:
        return None, f"history not scanned: {redact.scrub(str(exc))}"
    secrets = [f for f in part.findings if f.category == "secret"]
    return secrets, f"scanned {part.summary.commits_scanned} commit(s) of every ref; {len(secrets)} secret(s) found"


def inventory(request: InventoryRequest, config: Config | None = None, console: Console | None = None) -> Report:
    """``launchready inventory`` as a function: the handover as a report (``report.inventory``
    holds services, variables per environment, what to rotate and watch; names, places and
    states, never a value), and the markdown document where ``request.markdown`` says."""
    from launchready.inventory.build import build
    from launchready.inventory.render import markdown, to_json
    from launchready.outfiles import write_text
    from launchready.printable import safe_lines

    config = config if config is not None else Config()
    console = console or Console(quiet=True)
    root = (request.cwd / request.path).resolve()
    if not root.is_dir():
        raise UsageError(f"{request.path}: not a directory")
    history, note = _history(config, console, root) if request.history else (None, "history not scanned (--no-history)")
    inv = build(root, history, note)
    report = Report(command="inventory", root=str(root))
    report.findings.extend(inv.findings)
    report.summary.files_scanned = inv.files_read
    report.ran |= {"env"}
    report.inventory = to_json(inv)
    report.notes.append(
        f"inventory: {len(inv.services)} service(s), {len(inv.variables)} variable(s), environments: "
        f"{', '.join(inv.environments) or 'none found'}; {note}"
    )
    if request.markdown:
        text = redact.scrub(markdown(inv, root.name))
        if request.markdown == "-":
            console.stdout.write(safe_lines(text))  # no line of it obeyed as a workflow command
        else:
            dest = request.cwd / request.markdown
            try:
                write_text(dest, text, f"--markdown {request.markdown}", request.cwd)  # never through a symlink
            except OSError as exc:
                raise UsageError(f"--markdown {request.markdown}: {exc.strerror or exc}") from None
    return report


def run(ctx: Context) -> Report:
    return inventory(InventoryRequest.from_args(ctx.args, ctx.cwd), ctx.config, Console.of(ctx))
