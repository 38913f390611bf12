"""``launchready inventory``: the launch handover (integrations, secrets per environment,
what to rotate, what to watch)."""

from __future__ import annotations

import argparse
from pathlib import Path

from launchready import redact
from launchready.commands import Context
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


def _history(ctx: Context, root: Path) -> tuple[list[Finding] | None, str]:
    from launchready.secrets.sources import git_root

    repo = git_root(root)
    if repo is None:
        return None, "not a git repository: history not scanned"
    from launchready.commands import Console
    from launchready.commands.history import history_report
    from launchready.history import revs
    from launchready.history.gitlog import GitError

    try:
        rng = revs.resolve(repo, all_refs=True, since=None, rng=None, branch=None)
        part = history_report(ctx.config, Console(ctx.stdout, ctx.stderr, quiet=True), repo, rng)
    except (UsageError, GitError) as exc:
        return None, f"history not scanned: {redact.scrub(str(exc))}"
    secrets = [f for f in part.findings if f.category == "secret"]
    return secrets, f"scanned {part.summary.commits_scanned} commit(s) of every ref; {len(secrets)} secret(s) found"


def run(ctx: Context) -> Report:
    from launchready.inventory.build import build
    from launchready.inventory.render import markdown, to_json
    from launchready.outfiles import write_text
    from launchready.printable import safe_lines

    root = (ctx.cwd / ctx.args.path).resolve()
    if not root.is_dir():
        raise UsageError(f"{ctx.args.path}: not a directory")
    history, note = (None, "history not scanned (--no-history)") if ctx.args.no_history else _history(ctx, root)
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
    if ctx.args.markdown:
        text = redact.scrub(markdown(inv, root.name))
        if ctx.args.markdown == "-":
            ctx.stdout.write(safe_lines(text))  # no line of it obeyed as a workflow command
        else:
            dest = ctx.cwd / ctx.args.markdown
            try:
                write_text(dest, text, f"--markdown {ctx.args.markdown}", ctx.cwd)  # never through a symlink
            except OSError as exc:
                raise UsageError(f"--markdown {ctx.args.markdown}: {exc.strerror or exc}") from None
    return report
