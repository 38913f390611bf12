"""``launchready init``: detect the stack and write the starter files.

Writes a commented ``.launchready.yml``, our hooks into ``.pre-commit-config.yaml`` (merged,
never clobbered) and ``.github/workflows/launchready.yml`` (PR check, nightly history audit,
post-deploy live checks). Existing files are never overwritten; re-running changes nothing;
``--dry-run`` prints the unified diff and writes nothing.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from launchready.commands import Context
from launchready.config import CONFIG_NAMES
from launchready.init import precommit, templates
from launchready.init.detect import Stack, detect
from launchready.init.install import Install, detect_install
from launchready.init.journey import detect_shape, starter
from launchready.printable import safe, safe_lines

HELP = "detect your stack and write .launchready.yml, the pre-commit hooks and a GitHub workflow"
DESCRIPTION = (
    "Detect the stack (Next.js, Vite, Create React App, FastAPI, Flask, Django, Express) and "
    "write a commented .launchready.yml, the launchready hooks in .pre-commit-config.yaml "
    "(merged into an existing file, never clobbering it) and .github/workflows/launchready.yml "
    "(pull-request check, nightly history audit, post-deploy live checks), and adds .env* to "
    ".gitignore unless it already ignores env files. Existing files are kept; re-running "
    "changes nothing. Hooks run the installed launchready (`repo: local`) when it was installed "
    "from a checkout or a wheel, else the published release. Works in the repository root (or "
    "the current directory outside git)."
)

WORKFLOW = ".github/workflows/launchready.yml"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true", help="show the changes as a unified diff and write nothing")
    p.add_argument(
        "--hooks",
        choices=("auto", "local", "published"),
        default="auto",
        help="pre-commit hooks that run the launchready installed here (local: `repo: local`, "
        "language: system) or the published release (repo URL and tag); auto (default) "
        "picks by how launchready was installed: a checkout or a wheel gets local hooks",
    )
    p.add_argument("--no-gitignore", action="store_true", help="do not add .env* to .gitignore")


@dataclass(frozen=True)
class Change:
    path: str  # relative to the root, '/'-separated
    old: str | None  # None: the file does not exist
    new: str
    note: str = ""

    @property
    def action(self) -> str:
        if self.old is None:
            return "create"
        return "unchanged" if self.old == self.new else "update"


def _root(cwd: Path) -> Path:
    try:
        out = subprocess.run(
            ["git", "-C", str(cwd), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return cwd
    return Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else cwd


def default_branch(root: Path) -> str:
    for args in (["symbolic-ref", "--short", "refs/remotes/origin/HEAD"], ["symbolic-ref", "--short", "HEAD"]):
        try:
            out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
        except FileNotFoundError:
            break
        name = out.stdout.strip()
        if out.returncode == 0 and name:
            return name.split("/", 1)[1] if name.startswith("origin/") else name
    return "main"


def _read(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as fh:  # keep CRLF files CRLF
            return fh.read()
    except FileNotFoundError:
        return None


def gitignore_change(root: Path) -> Change:
    """``.env*`` (and ``!.env.example``) appended to ``.gitignore`` unless it already ignores
    ``.env`` and ``.env.local``: the first scan would otherwise fail on every env file."""
    from launchready.repo.hygiene import ignored

    old = _read(root / ".gitignore")
    lines = (old or "").splitlines()
    if old is not None and ignored(lines, ".env") and ignored(lines, ".env.local"):
        return Change(".gitignore", old, old, "already ignores .env files")
    newline = "\r\n" if old and "\r\n" in old else "\n"
    head = old or ""
    if head and not head.endswith(("\n", "\r")):
        head += newline
    if head.strip():
        head += newline
    new = head + templates.GITIGNORE_BLOCK.replace("\n", newline)
    return Change(".gitignore", old, new, "added .env* (env files hold secrets)")


def plan(root: Path, stacks: list[Stack], local: bool = False, gitignore: bool = True) -> list[Change]:
    changes: list[Change] = []
    existing_config = next((n for n in CONFIG_NAMES if (root / n).is_file()), None)
    if existing_config is not None:
        text = _read(root / existing_config) or ""
        changes.append(Change(existing_config, text, text, "exists; kept as is"))
    else:
        changes.append(Change(CONFIG_NAMES[0], None, templates.config(stacks, starter(detect_shape(root, stacks)))))
    old = _read(root / precommit.NAME)
    new = precommit.merge(old, stacks, local)
    note = "already has the launchready hooks" if old is not None and old == new else ""
    changes.append(Change(precommit.NAME, old, new, note or ("added the launchready hooks" if old else "")))
    wf = _read(root / WORKFLOW)
    if wf is not None:
        changes.append(Change(WORKFLOW, wf, wf, "exists; kept as is"))
    else:
        changes.append(Change(WORKFLOW, None, templates.workflow(stacks, default_branch(root))))
    if gitignore:
        changes.append(gitignore_change(root))
    return changes


def diff(change: Change) -> str:
    old = [] if change.old is None else change.old.splitlines(keepends=True)
    lines = difflib.unified_diff(
        old,
        change.new.splitlines(keepends=True),
        fromfile="/dev/null" if change.old is None else f"a/{change.path}",
        tofile=f"b/{change.path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclass(frozen=True)
class InitRequest:
    """Where to set up (``cwd``: its repository root, or ``cwd`` itself outside git);
    ``dry_run``: plan only, write nothing; ``hooks``: pre-commit hooks that run the launchready
    installed here (``local``) or the published release (``published``); ``auto`` picks by
    how launchready was installed; ``gitignore``: add ``.env*`` to ``.gitignore``."""

    dry_run: bool = False
    hooks: Literal["auto", "local", "published"] = "auto"
    gitignore: bool = True
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> InitRequest:
        return cls(args.dry_run, args.hooks, not args.no_gitignore, cwd)


@dataclass(frozen=True)
class InitResult:
    """What ``init`` found and did: each ``Change`` was written unless ``dry_run`` (or
    ``unchanged``)."""

    root: Path
    stacks: list[Stack]
    install: Install
    local: bool  # the hooks run the installed `launchready` (`repo: local`)
    on_path: bool  # `launchready` is on PATH (local hooks need it there)
    changes: list[Change]
    dry_run: bool


def init(request: InitRequest) -> InitResult:
    """``launchready init`` as a function: detect the stack and write the starter files that
    do not exist yet (nothing with ``dry_run``); existing files are kept or merged into."""
    root = _root(request.cwd)
    stacks = detect(root)
    install = detect_install()
    local = install.local if request.hooks == "auto" else request.hooks == "local"
    changes = plan(root, stacks, local, gitignore=request.gitignore)
    if not request.dry_run:
        for ch in changes:
            if ch.action != "unchanged":
                target = root / ch.path
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "w", encoding="utf-8", newline="") as fh:
                    fh.write(ch.new)
    on_path = shutil.which("launchready") is not None
    return InitResult(root, stacks, install, local, on_path, changes, request.dry_run)


def init_text(result: InitResult, quiet: bool = False) -> str:
    """What ``launchready init`` prints for ``result``: the diffs of a dry run always, the
    rest unless ``quiet``."""
    lines: list[str] = []
    say = (lambda text: None) if quiet else lines.append
    found = (
        safe(", ".join(s.name + s.where for s in result.stacks))
        or "no known framework (the generic setup works for any repo)"
    )
    say(f"launchready init: {result.root}\n  detected: {found}\n")
    hooks = (
        "local hooks running the installed `launchready`"
        if result.local
        else f"the published release {templates.rev()}"
    )
    say(f"  launchready {result.install.why}: pre-commit hooks use {hooks}\n")
    if result.local and not result.on_path:
        say(
            "  note: `launchready` is not on PATH: activate the environment it is installed in before\n"
            "        committing (or install it with pipx), or the hooks cannot start\n"
        )
    for ch in result.changes:
        if result.dry_run and ch.action != "unchanged":
            lines.append(safe_lines(diff(ch)))
            continue
        say(f"  {ch.action:<9} {safe(ch.path)}{f' ({safe(ch.note)})' if ch.note else ''}\n")
    if result.dry_run:
        say("dry run: nothing written\n")
    elif any(ch.action != "unchanged" for ch in result.changes):
        say(
            "next: `pre-commit install` and `pre-commit install --hook-type pre-push` (the hooks; "
            "the second runs the build-output check before each push), commit the files, then "
            "`launchready scan`\n"
        )
    else:
        say("nothing to change\n")
    return "".join(lines)


def run(ctx: Context) -> None:
    ctx.stdout.write(init_text(init(InitRequest.from_args(ctx.args, ctx.cwd)), quiet=ctx.args.quiet))
