"""One finding per secret: the introducing sighting, how often it was seen, whether HEAD still
has it and, when it is gone, which commit removed it."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from launchready import redact
from launchready.history.gitlog import GIT_CONFIG, log_command, stream_commits
from launchready.history.occurrences import MESSAGE_PATH, Record
from launchready.model import Finding
from launchready.secrets.engine import Match, to_finding
from launchready.secrets.rule import Rule

_SPLIT = re.compile(r"\\n|\\r|[\r\n]")
MIN_FRAGMENT = 8


def fragment(secret: str) -> str:
    """The longest single-line piece of a secret: what ``git grep -F`` and ``-`` lines can show."""
    parts = [p.strip() for p in _SPLIT.split(secret)]
    best = max(parts, key=len, default="")
    return best[:200]


def paths_by_secret(records: Iterable[Record]) -> dict[str, set[str]]:
    """secret -> every path history saw it added to (commit messages are not files)."""
    where: dict[str, set[str]] = {}
    for r in records:
        where.setdefault(r.secret, set()).update(p for p in r.paths if p != MESSAGE_PATH)
    return where


def present_at_head(root: Path, head: str | None, where: Mapping[str, Collection[str]]) -> set[str]:
    """The secrets still in ``head``'s tree in a file history saw them added to (``where``:
    secret -> those paths; one ``git grep -F`` for all). The same value elsewhere at HEAD
    (a test fixture, a copy in another service) does not make this finding present there."""
    if head is None or not where:
        return set()
    frags = {s: fragment(s) for s in where}
    patterns = sorted({f for f in frags.values() if len(f) >= MIN_FRAGMENT})
    if not patterns:
        return set()
    proc = subprocess.run(
        [
            "git",
            "-C",
            str(root),
            *GIT_CONFIG,
            "grep",
            "--text",
            "--no-textconv",
            "-F",
            "-o",
            "-z",
            "--no-color",
            "--no-recurse-submodules",
            "-f",
            "-",
            head,
            "--",
        ],
        input="\n".join(patterns).encode("utf-8", "surrogateescape") + b"\n",
        capture_output=True,
        check=False,
    )
    prefix = f"{head}:"
    seen: dict[str, set[str]] = {}  # path at HEAD -> the matched texts in it
    for ln in proc.stdout.split(b"\n"):
        name, sep, text = ln.partition(b"\0")
        if not sep:
            continue
        path = name.decode("utf-8", "surrogateescape").removeprefix(prefix)
        seen.setdefault(path, set()).add(text.decode("utf-8", "replace"))
    found: set[str] = set()
    for secret, paths in where.items():
        frag = frags[secret]
        if len(frag) < MIN_FRAGMENT:
            continue
        for path in paths:
            texts = seen.get(path)
            # git grep -o reports the leftmost-longest match; a fragment inside another counts
            if texts and (frag in texts or any(frag in t for t in texts)):
                found.add(secret)
                break
    return found


MAX_CANDIDATES = 5000


def removals(
    root: Path,
    revs: Sequence[str],
    gone: dict[str, Record],
    touched: dict[str, list[tuple[int, int, str]]] | None = None,
) -> dict[str, str]:
    """For secrets gone from HEAD: the oldest commit after the introduction whose ``-`` lines
    carried the secret. A secret can only be removed from a file it was added to: with
    ``touched`` (commits that removed lines, per path, from the main scan) only those
    candidate commits are diffed; otherwise a log limited to those paths is read."""
    if not gone:
        return {}
    paths = sorted({p for r in gone.values() for p in r.paths if p != MESSAGE_PATH})
    if not paths:
        return {}
    frags = {s: fragment(s) for s in gone}
    best: dict[str, tuple[int, int, str]] = {}
    order = 0
    cmd = log_command(root, revs, paths, merges=False)
    rank: dict[str, int] = {}  # sha -> position in the main scan's log order (larger: older)
    if touched is not None:
        cands: set[str] = set()
        for rec in gone.values():
            for p in rec.paths:
                for t, o, sha in touched.get(p, ()):
                    if t >= rec.first.time and sha != rec.first.commit:
                        cands.add(sha)
                        rank[sha] = o
        if not cands:
            return {}
        if len(cands) <= MAX_CANDIDATES:
            cmd = log_command(root, ["--no-walk=unsorted", *sorted(cands)], paths, merges=False)
    for commit in stream_commits(cmd):
        order += 1
        minus = [ln for ln in commit.patch.split(b"\n") if ln.startswith(b"-") and not ln.startswith(b"--- ")]
        if not minus:
            continue
        text = b"\n".join(minus).decode("utf-8", "replace")
        for secret, frag in frags.items():
            rec = gone[secret]
            if frag and frag in text and commit.time >= rec.first.time and commit.sha != rec.first.commit:
                cand = (commit.time, -rank.get(commit.sha, order), commit.sha)
                if secret not in best or cand < best[secret]:
                    best[secret] = cand
    return {s: v[2] for s, v in best.items()}


REMOVED_UNKNOWN = "removed in an unknown commit"


def to_findings(
    rules: Sequence[Rule],
    records: Sequence[Record],
    at_head: set[str],
    removed: dict[str, str] | None,
    head_known: bool,
) -> list[Finding]:
    """Findings in ``records`` order. With ``removed`` None the removal commit is filled in
    later by ``with_removals`` (it is looked up while these are built)."""
    findings = []
    for rec in records:
        s = rec.first
        rule = rules[s.rule_index]
        match = Match(rule, rec.secret, 0, len(rec.secret), s.line, s.column, s.end_line, s.end_column, s.line_text)
        shown = redact.redact(rec.secret, rule.prefix, rule.password_like)
        short = s.commit[:12]
        seen = f"seen {rec.occurrences} time{'s' if rec.occurrences != 1 else ''} in {len(rec.commits)} commit{'s' if len(rec.commits) != 1 else ''}"
        where = "a commit message" if s.path == MESSAGE_PATH else s.path
        present: bool | None = rec.secret in at_head if head_known else None
        if present:
            state = "still present at HEAD: rotate it and remove it"
        elif present is None:
            state = "HEAD has no commits to compare with: rotate it"
        elif s.path == MESSAGE_PATH:
            state = "in a commit message, which stays in history: rotate it"
        else:
            gone_in = (removed or {}).get(rec.secret)
            state = (
                f"{'removed in ' + gone_in[:12] if gone_in else REMOVED_UNKNOWN}, still in history: "
                "rotate it; deleting the file does not help"
            )
        message = f"{rule.description} ({shown}) introduced in {short} in {where}, {seen}; {state}"
        findings.append(
            to_finding(
                match,
                s.path,
                commit=s.commit,
                author=s.author,
                date=s.date,
                introduced_in=s.commit,
                occurrences=rec.occurrences,
                present_at_head=present,
                message=message,
            )
        )
    return findings


def with_removals(findings: list[Finding], records: Sequence[Record], removed: dict[str, str]) -> list[Finding]:
    """Name the removing commit in the messages of findings built before it was known."""
    out = []
    for f, rec in zip(findings, records, strict=True):
        sha = removed.get(rec.secret)
        if sha and REMOVED_UNKNOWN in f.message:
            f = f.replace(message=f.message.replace(REMOVED_UNKNOWN, f"removed in {sha[:12]}", 1))
        out.append(f)
    return out
