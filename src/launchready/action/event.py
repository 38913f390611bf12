"""From a GitHub event to the commits to scan, fetching more history when the clone is shallow.

- pull_request(_target): ``base.sha..head.sha`` (every commit of the PR, not the API's first 30)
- push: ``before..after``; a new branch (``before`` all zeros): commits reachable from
  ``after`` and not from the default branch; a forced push whose ``before`` is gone: from the
  merge base with the default branch (said in the notes)
- merge_group: ``base_sha..head_sha``
- workflow_dispatch, schedule and anything else: the whole history (every ref)
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launchready import gitrefs
from launchready.errors import UsageError

ZEROS = "0" * 40
MAX_DEEPEN_ROUNDS = 8


@dataclass
class Plan:
    """What the history part of the run scans. ``base`` None means the whole history."""

    head: str | None
    base: str | None = None
    exclude: list[str] = field(default_factory=list)  # extra refs whose history is excluded
    whole: bool = False
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    nothing: str = ""  # non-empty: nothing to scan, and why
    expected_commits: int | None = None  # from the payload (pull_request.commits)

    def history_scope(self) -> dict[str, Any]:
        """Which commits history scans, as ``HistoryRequest`` fields (``all``, ``range`` or ``branch``)."""
        if self.whole:
            return {"all": True}
        if self.head and self.base:
            return {"range": f"{self.base}..{self.head}"}
        if self.head and self.exclude:
            return {"range": f"{self.exclude[0]}..{self.head}"}
        return {"branch": self.head or "HEAD"}


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)


def has_commit(root: Path, sha: str) -> bool:
    return git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{sha}^{{commit}}").returncode == 0


def is_shallow(root: Path) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"


def shallow_commits(root: Path) -> set[str]:
    path = git(root, "rev-parse", "--git-path", "shallow").stdout.strip()
    p = Path(path) if Path(path).is_absolute() else root / path
    try:
        return set(p.read_text().split())
    except FileNotFoundError:
        return set()


def _get(event: dict[str, Any], *keys: str) -> Any:
    cur: Any = event
    for k in keys:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(k)
    return cur


def default_branch_ref(root: Path, event: dict[str, Any]) -> str | None:
    name = _get(event, "repository", "default_branch") or _get(event, "repository", "master_branch")
    if not gitrefs.is_ref(name):
        return None
    for ref in (f"refs/remotes/origin/{name}", f"refs/heads/{name}"):
        if git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", ref).returncode == 0:
            return ref
    return None


def plan_for(root: Path, event_name: str, event: dict[str, Any], base_ref: str = "") -> Plan:
    """The commits to scan. Every ref and commit id taken from the payload or the
    ``base_ref`` input is validated before any git command sees it."""
    if base_ref:
        base_ref = gitrefs.ref(base_ref, "input base_ref")
    if event_name in ("pull_request", "pull_request_target"):
        base = _get(event, "pull_request", "base", "sha")
        head = _get(event, "pull_request", "head", "sha")
        if not base or not head:
            raise UsageError(f"{event_name} payload lacks pull_request.base.sha / head.sha")
        base = gitrefs.sha(base, "event pull_request.base.sha")
        head = gitrefs.sha(head, "event pull_request.head.sha")
        n = _get(event, "pull_request", "commits")
        plan = Plan(
            head=head,
            base=base_ref or base,
            reason=f"pull request: {short(base_ref or base)}..{short(head)}",
            expected_commits=n if isinstance(n, int) and not base_ref else None,
        )
        return plan
    if event_name == "merge_group":
        base = _get(event, "merge_group", "base_sha")
        head = _get(event, "merge_group", "head_sha")
        if base and head:
            base = gitrefs.sha(base, "event merge_group.base_sha")
            head = gitrefs.sha(head, "event merge_group.head_sha")
            return Plan(head=head, base=base_ref or base, reason=f"merge group: {short(base)}..{short(head)}")
    if event_name == "push":
        return _push_plan(root, event, base_ref)
    if base_ref:
        head = git(root, "rev-parse", "--verify", "--quiet", "HEAD").stdout.strip() or "HEAD"
        return Plan(head=head, base=base_ref, reason=f"{event_name}: {base_ref}..HEAD (base_ref input)")
    return Plan(head=None, whole=True, reason=f"{event_name or 'manual run'}: the whole history (every ref)")


def _push_plan(root: Path, event: dict[str, Any], base_ref: str) -> Plan:
    before = gitrefs.sha(event.get("before") or ZEROS, "event before")
    after = str(event.get("after") or "")
    ref = str(event.get("ref") or "")
    if not event.get("after") or event.get("after") == ZEROS:
        return Plan(head=None, nothing=f"push deleted {ref or 'a ref'}: no new commits")
    after = gitrefs.sha(after, "event after")
    if base_ref:
        return Plan(head=after, base=base_ref, reason=f"push: {base_ref}..{short(after)} (base_ref input)")
    default = _get(event, "repository", "default_branch")
    if before == ZEROS:
        dref = default_branch_ref(root, event)
        pushed_default = bool(default) and ref == f"refs/heads/{default}"
        if dref and not pushed_default:
            return Plan(
                head=after,
                exclude=[dref],
                reason=f"push of a new ref {ref}: commits on {short(after)} not on {default}",
            )
        return Plan(
            head=after,
            whole=False,
            reason=f"push of a new ref {ref}: its whole history",
            notes=[]
            if pushed_default
            else [f"default branch {default!r} not found locally: scanning the new ref's whole history"],
        )
    if not has_commit(root, before) and event.get("forced"):
        dref = default_branch_ref(root, event)
        if dref:
            mb = git(root, "merge-base", "--end-of-options", after, dref).stdout.strip()
            if mb and mb != after:
                return Plan(
                    head=after,
                    base=mb,
                    reason=f"forced push: {short(before)} is gone, scanning from the merge base with {default} ({short(mb)})",
                    notes=[
                        f"forced push: the previous tip {short(before)} no longer exists, so the scan starts at the merge base {short(mb)} with {default}"
                    ],
                )
        return Plan(
            head=after,
            reason=f"forced push: {short(before)} is gone, scanning the whole history of {short(after)}",
            notes=[
                f"forced push: the previous tip {short(before)} no longer exists and there is no separate default branch to start from: scanning the whole history of {short(after)}"
            ],
        )
    return Plan(head=after, base=before, reason=f"push: {short(before)}..{short(after)}")


def pr_base_sha(event: dict[str, Any]) -> str | None:
    """The pull request's base commit from the payload, when it is a valid commit id."""
    base = _get(event, "pull_request", "base", "sha")
    return base.lower() if isinstance(base, str) and gitrefs.is_sha(base.lower()) else None


def short(sha: str) -> str:
    return sha[:12] if len(sha) == 40 else sha


# --- shallow clones ------------------------------------------------------------------------


def _complete(root: Path, plan: Plan) -> bool:
    """Is every commit the plan asks for present (no range commit sits on a shallow cut)?"""
    if plan.whole or (plan.base is None and not plan.exclude):
        return not is_shallow(root)
    tips = [plan.head] if plan.head else []
    stops = [plan.base] if plan.base else list(plan.exclude)
    if not all(has_commit(root, x) for x in tips + stops):
        return False
    if not is_shallow(root):
        return True
    cut = shallow_commits(root)
    out = git(root, "rev-list", "--end-of-options", *tips, *(f"^{s}" for s in stops), "--")
    if out.returncode != 0:
        return False
    listed = out.stdout.split()
    if any(c in cut for c in listed):
        return False
    # the base's side too: without a merge base the range would swallow older history
    return bool(git(root, "merge-base", "--end-of-options", *tips, *stops).stdout.strip())


def needed_depth(plan: Plan) -> str:
    if plan.expected_commits:
        return f"fetch-depth: 0 (the whole history; at least {plan.expected_commits + 2} for this pull request's {plan.expected_commits} commits)"
    return "fetch-depth: 0 (the whole history)"


def ensure_history(root: Path, plan: Plan) -> list[str]:
    """Deepen a shallow clone until the plan's commits are all present, or fail clearly.

    Returns notes about what was fetched. Never scans less than asked: if fetching is not
    possible the run stops with exit 2 and names the ``fetch-depth`` to set.
    """
    if plan.nothing or _complete(root, plan):
        return []
    if not is_shallow(root):
        missing = [x for x in (plan.head, plan.base, *plan.exclude) if x and not has_commit(root, x)]
        if missing:
            fetched = _fetch(root, ["--no-tags"], ["origin", *missing])
            if fetched is None and _complete(root, plan):
                return [f"fetched {', '.join(short(m) for m in missing)} from origin"]
        if _complete(root, plan):
            return []
        raise UsageError(
            f"the commits to scan ({plan.reason}) are not in this clone and could not be fetched; "
            "check out with actions/checkout and fetch-depth: 0"
        )
    depth = max(50, (plan.expected_commits or 0) + 2)
    wanted = [x for x in (plan.head, plan.base) if x and len(x) == 40]
    errors = ""
    for _ in range(MAX_DEEPEN_ROUNDS):
        if plan.whole:
            err = _fetch(root, ["--unshallow", "--no-tags"], ["origin"])
        else:
            err = _fetch(root, [f"--deepen={depth}", "--no-tags"], ["origin", *wanted])
            if err is not None and wanted:  # the server may refuse bare SHAs: deepen the refs
                err = _fetch(root, [f"--deepen={depth}", "--no-tags"], ["origin"])
        if err is not None:
            errors = err
            break
        if _complete(root, plan):
            how = "the whole history" if plan.whole else f"{depth} more commits"
            return [f"shallow clone: fetched {how} from origin to cover {plan.reason}"]
        if not is_shallow(root):
            break
        depth *= 2
    if not errors and is_shallow(root):
        err = _fetch(root, ["--unshallow", "--no-tags"], ["origin"])
        if err is None and _complete(root, plan):
            return [f"shallow clone: fetched the whole history from origin to cover {plan.reason}"]
        errors = err or ""
    raise UsageError(
        f"this is a shallow clone and the history to scan ({plan.reason}) is not all here; "
        f"fetching more failed{': ' + errors if errors else ''}. Set {needed_depth(plan)} on actions/checkout."
    )


def _fetch(root: Path, options: list[str], operands: list[str]) -> str | None:
    """Run ``git fetch OPTIONS -- OPERANDS`` (the remote and commits never read as options);
    None on success, else its error text."""
    bad = next((x for x in operands if x.startswith("-")), None)
    if bad is not None:
        raise UsageError(f"refusing to pass {bad!r} to git fetch")
    out = subprocess.run(
        ["git", "-C", str(root), "fetch", "--quiet", *options, "--", *operands],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        timeout=600,
    )
    if out.returncode == 0:
        return None
    return (out.stderr.strip().splitlines() or ["git fetch failed"])[-1]
