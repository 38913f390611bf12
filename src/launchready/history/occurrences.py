"""Scan a stream of commits and fold every sighting of a secret into one record per secret.

Runs in worker processes: records hold the raw secret, so they only travel between our own
processes (a pipe) and are turned into redacted findings by ``dedup.py`` in the parent.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field

from launchready.history.gitlog import Commit
from launchready.history.ignore import GitleaksIgnore
from launchready.history.patch import parse_patch
from launchready.secrets.engine import Engine, Match

MESSAGE_PATH = "(commit message)"
CHUNK_LINES = 50_000  # a huge added file is scanned in slices of this many lines
SLICE_OVERLAP = 64  # lines repeated between slices so a multi-line key is seen whole


@dataclass
class Sighting:
    """Where one secret was first added (in log order, refined to the oldest later)."""

    rule_index: int
    commit: str
    time: int
    order: int  # position in log output: larger is older at equal commit time
    author: str
    date: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    line_text: str


@dataclass
class Record:
    secret: str
    first: Sighting
    occurrences: int = 0
    commits: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)

    def older(self, s: Sighting) -> bool:
        return (s.time, -s.order) < (self.first.time, -self.first.order)

    def merge(self, other: Record) -> None:
        if self.older(other.first):
            self.first = other.first
        self.occurrences += other.occurrences
        self.commits |= other.commits
        self.paths |= other.paths


@dataclass
class ChunkResult:
    records: dict[tuple[int, str], Record] = field(default_factory=dict)
    commits: int = 0
    bytes: int = 0
    suppressed: int = 0
    excluded_files: int = 0

    def merge(self, other: ChunkResult) -> None:
        for key, rec in other.records.items():
            mine = self.records.get(key)
            if mine is None:
                self.records[key] = rec
            else:
                mine.merge(rec)
        self.commits += other.commits
        self.bytes += other.bytes
        self.suppressed += other.suppressed
        self.excluded_files += other.excluded_files


class Collector:
    def __init__(self, engine: Engine, ignore: GitleaksIgnore, exclude: Iterable[str] = (), order_base: int = 0) -> None:
        self.engine = engine
        self.rule_index = {id(r): i for i, r in enumerate(engine.rules)}
        self.ignore = ignore
        self.exclude = list(exclude)
        self.order = order_base
        self.result = ChunkResult()

    def excluded(self, path: str) -> bool:
        return any(fnmatch.fnmatch(path, pat) or path.startswith(pat.rstrip("/") + "/") for pat in self.exclude)

    def add_commit(self, c: Commit) -> None:
        self.result.commits += 1
        self.result.bytes += len(c.patch) + len(c.message)
        self.order += 1
        if c.message:
            text = c.message.decode("utf-8", "replace")
            for m in self.engine.scan(text, MESSAGE_PATH):
                self._record(c, m, MESSAGE_PATH, m.line, m.end_line)
        for adds in parse_patch(c.patch):
            if self.exclude and self.excluded(adds.path):
                self.result.excluded_files += 1
                continue
            lines = adds.lines
            n = len(lines)
            step = CHUNK_LINES
            for lo in range(0, n, step):
                hi = min(n, lo + step + SLICE_OVERLAP)
                text = b"\n".join(lines[lo:hi]).decode("utf-8", "replace")
                for m in self.engine.scan(text, adds.path):
                    if hi < n and m.line > step:
                        continue  # the next slice sees it (and whole)
                    numbers = adds.numbers
                    line = numbers[lo + m.line - 1]
                    end_line = numbers[min(lo + m.end_line, hi) - 1]
                    self._record(c, m, adds.path, line, end_line)

    def _record(self, c: Commit, m: Match, path: str, line: int, end_line: int) -> None:
        if m.allowed or self.ignore.ignores(c.sha, path, line):
            self.result.suppressed += 1
            return
        idx = self.rule_index[id(m.rule)]
        key = (idx, m.secret)
        s = Sighting(idx, c.sha, c.time, self.order, c.author, c.date, path, line, m.column, end_line, m.end_column, m.line_text)
        rec = self.result.records.get(key)
        if rec is None:
            rec = self.result.records[key] = Record(m.secret, s)
        elif rec.older(s):
            rec.first = s
        rec.occurrences += 1
        rec.commits.add(c.sha)
        rec.paths.add(path)
