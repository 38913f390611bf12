"""One report from the reports of several commands run on the same repository: the one place
that decides how parts are merged (the Action's scan + history + live, the demo's stages).

- Tree parts (``scan``; the demo's staged ``hook`` scan, a subset of the same tree): each
  finding once (by fingerprint), files counted once (the largest part).
- History parts: a secret also in the tree is one finding, at the tree's location, with the
  history's commit, author, date and occurrence count; secrets gone from the tree are added.
- Check parts (``live``, ``journey``, ``email``): each (check id, target) once.
- Counters that do not overlap (bytes, commits, requests, suppressed) are summed; notes,
  skipped files and what ran are gathered.

Merging whole repositories' reports into an organisation's verdict is another layer
(``audit/merge.py``): it groups the same secret across repositories and names each one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from launchready.model import Finding, Report


def join_history(tree: Sequence[Finding], history: Sequence[Finding]) -> list[Finding]:
    """The same secret in the tree and in history is one finding: the tree's location, with
    the history's commit, author, date and occurrence count."""
    by_fp = {f.fingerprint: f for f in history}
    merged = []
    for f in tree:
        h = by_fp.pop(f.fingerprint, None)
        if h is not None and f.category == "secret":
            f = f.replace(
                commit=h.commit,
                author=h.author,
                date=h.date,
                introduced_in=h.introduced_in,
                occurrences=h.occurrences,
                present_at_head=True,
            )
        elif h is not None:
            by_fp[h.fingerprint] = h
        merged.append(f)
    return merged + list(by_fp.values())


def _unique(parts: Iterable[Report]) -> list[Finding]:
    """Each part's findings, less those an earlier part already reported (the same secret
    at two places in one part is two findings, and stays so)."""
    seen: set[tuple[str, str]] = set()
    out: list[Finding] = []
    for part in parts:
        out.extend(f for f in part.findings if (f.rule_id, f.fingerprint) not in seen)
        seen.update((f.rule_id, f.fingerprint) for f in part.findings)
    return out


def _counters(into: Report, part: Report) -> None:
    into.summary.commits_scanned += part.summary.commits_scanned
    into.summary.bytes_scanned += part.summary.bytes_scanned
    into.summary.requests_sent += part.summary.requests_sent
    into.summary.suppressed += part.summary.suppressed
    into.summary.files_skipped += part.summary.files_skipped
    into.skipped.extend(s for s in part.skipped if s not in into.skipped)
    into.notes.extend(part.notes)
    into.ran |= part.ran


def combine(
    command: str,
    root: str,
    tree: Sequence[Report] = (),
    history: Sequence[Report] = (),
    checks: Sequence[Report] = (),
    notes: Sequence[str] = (),
) -> Report:
    """One report from ``tree``, ``history`` and ``checks`` parts (see the module docstring);
    ``notes`` come first. Notes said twice (scan and history both describe the rules) once."""
    out = Report(command=command, root=root)
    out.notes.extend(notes)
    for part in tree:
        out.summary.files_scanned = max(out.summary.files_scanned, part.summary.files_scanned)
        _counters(out, part)
    for part in history:
        out.summary.files_scanned += part.summary.files_scanned
        _counters(out, part)
    for part in checks:
        out.summary.files_scanned += part.summary.files_scanned
        have = {(c.id, c.target) for c in out.checks}
        out.checks.extend(c for c in part.checks if (c.id, c.target) not in have)
        _counters(out, part)
    out.findings = join_history(_unique(tree), _unique(history)) + _unique(checks)
    out.notes = list(dict.fromkeys(out.notes))
    return out
