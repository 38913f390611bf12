"""One finding per secret: the introducing sighting, how often it was seen, whether HEAD still
has it and, when it is gone, which commit removed it."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from launchready import redact
from launchready.history.gitlog import Commit, stream_commits
from launchready.history.logproc import log_input
from launchready.history.occurrences import MESSAGE_PATH, Record
from launchready.history.treegrep import MIN_FRAGMENT, fragment, grep_texts, holds
from launchready.model import Finding
from launchready.secrets.encoding import SNIFF, sniff_encoding
from launchready.secrets.engine import Match, to_finding
from launchready.secrets.rule import Rule


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
    every = sorted({p for paths in where.values() for p in paths})
    seen = grep_texts(root, head, frags.values(), every, wide=every)  # path at HEAD -> the matched texts in it
    found: set[str] = set()
    for secret, paths in where.items():
        frag = frags[secret]
        if len(frag) >= MIN_FRAGMENT and any(holds(seen.get(path), frag) for path in paths):
            found.add(secret)
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
    cmd, stdin = log_input(root, revs, paths, merges=False)
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
            cmd, stdin = log_input(root, ["--no-walk=unsorted", *sorted(cands)], paths, merges=False)
    for commit in stream_commits(cmd, stdin):
        order += 1
        if commit.oversized:  # its patch was too large to keep: compare the trees instead
            for secret in _removed_by_oversized(root, commit, frags, gone, paths):
                rec = gone[secret]
                if commit.time >= rec.first.time and commit.sha != rec.first.commit:
                    cand = (commit.time, -rank.get(commit.sha, order), commit.sha)
                    if secret not in best or cand < best[secret]:
                        best[secret] = cand
            continue
        minus = [ln for ln in commit.patch.split(b"\n") if ln.startswith(b"-") and not ln.startswith(b"--- ")]
        if not minus:
            continue
        raw = b"\n".join(minus)
        text = raw.decode("utf-8", "replace")
        if b"\0" in raw:
            text += "\n" + _wide_minus(commit.patch)
        for secret, frag in frags.items():
            rec = gone[secret]
            if frag and frag in text and commit.time >= rec.first.time and commit.sha != rec.first.commit:
                cand = (commit.time, -rank.get(commit.sha, order), commit.sha)
                if secret not in best or cand < best[secret]:
                    best[secret] = cand
    return {s: v[2] for s, v in best.items()}


_HUNK_START = re.compile(rb"\n@@[^\n]*")


def _wide_minus(patch: bytes) -> str:
    """The ``-`` lines of a patch's UTF-16/32 hunks, decoded. git splits lines at every 0x0A
    byte, so a hunk's ``-`` lines joined again are the file's bytes (a hunk that starts past
    line 1 of a UTF-16-LE file starts a byte late and sniffs as UTF-16-BE)."""
    out = []
    for hunk in _HUNK_START.split(patch)[1:]:
        raw = b"\n".join(ln[1:] for ln in hunk.split(b"\n") if ln.startswith(b"-") and not ln.startswith(b"--- "))
        if b"\0" in raw[:SNIFF]:
            encoding = sniff_encoding(raw[:SNIFF])
            if encoding is not None:
                out.append(raw.decode(encoding, "replace"))
    return "\n".join(out)


def _removed_by_oversized(
    root: Path, commit: Commit, frags: dict[str, str], gone: dict[str, Record], paths: list[str]
) -> set[str]:
    """The secrets a commit whose patch was too large to hold removed: in a file at its
    parent and no longer in that file at the commit (what its ``-`` lines would show)."""
    before = grep_texts(root, f"{commit.sha}^", frags.values(), paths, wide=paths)
    if not before:
        return set()
    after = grep_texts(root, commit.sha, frags.values(), paths, wide=paths)
    return {
        secret
        for secret, frag in frags.items()
        if any(holds(before.get(p), frag) and not holds(after.get(p), frag) for p in gone[secret].paths)
    }


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
