"""What a blocked commit says: fixes that fit the moment, where each file stands, how to go on.

In a commit hook the secret has not left the machine yet: the fix is to remove it and load it
from the environment, and rotating it is needed only if it was ever pushed or shipped (the
rules' own fixes, written for secrets found in a repository, history or a deployed site,
start with "revoke"). The env hook also reads files that are not in the commit (git-ignored
``.env.local``): findings there say so, and why such a file still matters.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from launchready.model import Finding

ENV_LOADING = "os.environ / process.env / your platform's secret settings"


def commit_fix(f: Finding) -> Finding:
    """``f`` with a fix for a secret that is about to be committed (not yet pushed)."""
    if f.category != "secret":
        return f
    from launchready.envfiles import is_env_name

    if is_env_name(f.path.rsplit("/", 1)[-1]):  # an env file is where the value belongs: keep it out of git
        action = (
            f"keep {f.path} out of the commit (`git rm --cached {f.path}`, and list it in "
            f".gitignore); commit a .env.example with placeholders instead"
        )
    else:
        action = f"remove it from {f.path} and load it from the environment ({ENV_LOADING})"
    fix = (
        f"Not committed yet, so it has not left this machine: {action}. Rotate it only if it was "
        f"ever pushed or shipped (then: {f.fix})"
    )
    return f.replace(fix=fix)


def staged_paths(root: Path) -> set[str]:
    """Paths (relative to ``root``, '/'-separated) the next commit changes."""
    proc = subprocess.run(
        ["git", "-C", str(root), "diff", "--cached", "--name-only", "--no-renames", "-z"],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:  # no commit yet on an old git: everything in the index
        proc = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached"], capture_output=True, check=False)
    return {os.fsdecode(p) for p in proc.stdout.split(b"\0") if p}


def _where(rel: str, tracked: set[str], ignored: set[str]) -> str:
    if rel in ignored:
        return "git ignores it"
    if rel in tracked:
        return "it is tracked but unchanged in this commit"
    return "it is not staged"


def mark_on_disk(findings: Iterable[Finding], cwd: Path, root: Path) -> tuple[list[Finding], list[str], list[str]]:
    """For the env hook: drop findings in files the commit changes (the secrets hook judges
    their staged content: reporting them here too would print each twice) and say of the
    others that they are on disk only. Returns (findings, on-disk files, files in the commit)."""
    from launchready.secrets.sources import ignored, tracked

    staged = staged_paths(root)
    kept: list[Finding] = []
    rel_of: dict[str, str] = {}
    for f in findings:
        rel_of[f.path] = Path(os.path.relpath((cwd / f.path).resolve(), root)).as_posix()
    on_disk = sorted({rel for rel in rel_of.values() if rel not in staged})
    is_tracked = tracked(root, on_disk)
    is_ignored = ignored(root, on_disk)
    for f in findings:
        rel = rel_of[f.path]
        if rel in staged:
            if f.rule_id == "env.shared-secret-across-envs":
                kept.append(f)  # a pair of files: only this hook looks across them
            continue
        where = _where(rel, is_tracked, is_ignored)
        why = (
            " It still matters: the bundler inlines browser-prefixed variables from env files "
            "on disk into every build made on this machine (`next build`, `vite build`), and "
            "the same variable in production ships the secret to every visitor."
            if f.rule_id == "env.public-prefix-secret"
            else ""
        )
        kept.append(
            f.replace(message=f"{f.message}. {f.path} is not part of this commit ({where}): on disk only.{why}")
        )
    return kept, [p for p in on_disk if p in {rel_of[f.path] for f in kept}], sorted(staged)


def unblock_hints(env_hook: bool) -> list[str]:
    """How to get a blocked commit through, after the fixes (printed when the run fails)."""
    hints = [
        "to get this commit through:",
        "  - fix it as shown above, stage the change and commit again;",
        "  - a false positive or a deliberate test value: add `launchready:allow` (with the "
        "reason) in a comment on that line, e.g. `# launchready:allow test key`;",
        "  - a known finding you will fix later: `launchready baseline create` (or `baseline "
        "update`), then commit .launchready-baseline.json: only new findings block;",
    ]
    if env_hook:
        hints.append(
            "  - these files are not in the commit; to commit anyway this once: "
            "`SKIP=launchready-env git commit ...` (pre-commit's SKIP)."
        )
    return hints
