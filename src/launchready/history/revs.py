"""Which commits a history scan covers, as ``git log`` arguments, with clear errors."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from launchready.errors import UsageError


@dataclass(frozen=True)
class Range:
    revs: tuple[str, ...]  # git log arguments (never option-like: validated first)
    head: str | None  # the commit whose tree decides present_at_head (None: no commits)
    label: str  # for notes: "every ref", "abc123..def456"
    empty_reason: str = ""  # set when there is nothing to scan, with the reason


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # no fetching of a partial clone's missing objects (see logproc.GIT_CONFIG)
    return subprocess.run(
        ["git", "-C", str(root), "-c", "protocol.allow=never", *args], capture_output=True, text=True, check=False
    )


def resolve_commit(root: Path, rev: str, what: str) -> str:
    if not rev or rev.startswith("-"):
        raise UsageError(f"{what}: {rev!r} is not a revision")
    out = git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if out.returncode != 0:
        hint = ""
        if is_shallow(root):
            hint = " (this is a shallow clone: fetch more history, e.g. actions/checkout with fetch-depth: 0)"
        raise UsageError(f"{what}: unknown revision {rev!r}{hint}")
    return out.stdout.strip()


def is_shallow(root: Path) -> bool:
    out = git(root, "rev-parse", "--is-shallow-repository")
    return out.stdout.strip() == "true"


def head_commit(root: Path) -> str | None:
    out = git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return out.stdout.strip() or None if out.returncode == 0 else None


def has_any_ref(root: Path) -> bool:
    out = git(root, "for-each-ref", "--count=1", "--format=%(objectname)")
    return bool(out.stdout.strip())


def current_branch(root: Path) -> str:
    out = git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    return out.stdout.strip() or "HEAD"


def resolve(
    root: Path, *, all_refs: bool = False, since: str | None = None, rng: str | None = None, branch: str | None = None
) -> Range:
    chosen = [x for x in (since, rng, branch) if x]
    if len(chosen) > 1 or (chosen and all_refs):
        raise UsageError("choose one of --all, --since-commit, --range and --branch")
    head = head_commit(root)
    if rng:
        base, dots, tip = rng.partition("...") if "..." in rng else rng.partition("..")
        if not dots or not base or not tip:
            raise UsageError(f"--range: expected BASE..HEAD, got {rng!r}")
        b = resolve_commit(root, base, "--range base")
        t = resolve_commit(root, tip, "--range head")
        if dots == "...":
            return Range((f"{b}...{t}",), t, f"{base}...{tip}")
        return Range((t, f"^{b}"), t, f"{base}..{tip}")
    if since:
        if head is None:
            raise UsageError(f"--since-commit: HEAD has no commits yet (unborn branch {current_branch(root)})")
        s = resolve_commit(root, since, "--since-commit")
        return Range((head, f"^{s}"), head, f"{since}..HEAD")
    if branch:
        t = resolve_commit(root, branch, "--branch")
        return Range((t,), t, f"branch {branch}")
    if not has_any_ref(root):
        return Range((), None, "every ref", "the repository has no commits yet")
    return Range(("--all",), head, "every ref")
