"""Which commits a history scan covers, as ``git log`` arguments, with clear errors."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from launchready.errors import UsageError
from launchready.history.gitlog import GitError


@dataclass(frozen=True)
class Range:
    revs: tuple[str, ...]  # git log arguments (never option-like: validated first)
    head: str | None  # the commit whose tree decides present_at_head (None: no commits)
    label: str  # for notes: "every ref", "abc123..def456"
    empty_reason: str = ""  # set when there is nothing to scan, with the reason


class CommitList:
    """``git rev-list`` of a range, started at once and read when needed: ``launchready
    history`` starts it before importing the scanner and compiling rules (~0.05 s), so git
    walks the history meanwhile instead of after."""

    def __init__(self, root: Path, rng: Range) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        if not rng.empty_reason:
            self._proc = subprocess.Popen(
                ["git", "-C", str(root), "rev-list", *rng.revs, "--"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            )  # fmt: skip

    def result(self) -> list[str]:
        """The commits ``git log`` shows for the range, in its order."""
        if self._proc is None:
            return []
        out, err = self._proc.communicate()
        if self._proc.returncode != 0:
            raise GitError(f"git rev-list failed: {err.decode('utf-8', 'replace').strip()}")
        return out.decode("ascii", "replace").split()

    def close(self) -> None:
        """Stop git if the result is never read (an error before the scan started)."""
        if self._proc is not None and self._proc.returncode is None:
            self._proc.kill()
            self._proc.communicate()


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)


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


def resolve(root: Path, *, all_refs: bool = False, since: str | None = None, rng: str | None = None, branch: str | None = None) -> Range:
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
