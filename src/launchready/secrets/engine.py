"""Keyword prefilter -> regex in a window around each hit -> entropy, validators, filters.

The engine works on decoded text and returns ``Match`` objects holding the raw secret.
Matches never leave the process: ``to_finding`` turns them into redacted ``Finding``s.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

from launchready import redact
from launchready.model import Finding
from launchready.secrets.filters import is_placeholder, shannon_entropy
from launchready.secrets.rule import Rule

LONG_LINE = 4096  # longer lines (minified JS) are windowed around the keyword hit
_BEFORE = 512
_AFTER = 2048
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
ALLOW_MARKERS = ("launchready:allow", "pragma: allowlist secret", "gitleaks:allow")


@dataclass(frozen=True)
class Match:
    rule: Rule
    secret: str
    start: int  # offsets of the secret in the scanned text
    end: int
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    end_column: int
    line_text: str  # the (possibly windowed) source line of the start; raw, never print it
    allowed: bool = False  # an inline allow marker on the line


class _Lines:
    """Offset -> (line, column) with a lazily built newline index."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._nl: list[int] | None = None

    def locate(self, offset: int) -> tuple[int, int]:
        if self._nl is None:
            t = self.text
            nl = []
            i = t.find("\n")
            while i != -1:
                nl.append(i)
                i = t.find("\n", i + 1)
            self._nl = nl
        idx = bisect.bisect_left(self._nl, offset)
        line_start = self._nl[idx - 1] + 1 if idx else 0
        return idx + 1, offset - line_start + 1


class Engine:
    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self._compiled: list[Any] = [r.compile() for r in self.rules]
        self._allow = [tuple(__import__("re").compile(a) for a in r.allow) for r in self.rules]
        self._always: list[int] = []
        automaton = ahocorasick.Automaton()
        by_kw: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            if not rule.keywords:
                self._always.append(i)
            for kw in rule.keywords:
                by_kw.setdefault(kw.lower(), []).append(i)
        for kw, idxs in by_kw.items():
            automaton.add_word(kw, tuple(idxs))
        self._automaton: Any = None
        if by_kw:
            automaton.make_automaton()
            self._automaton = automaton
        self._path_re = [
            __import__("re").compile(r.paths) if r.paths else None for r in self.rules
        ]

    def scan(self, text: str, path: str = "") -> list[Match]:
        if not text:
            return []
        low = text.lower()
        if len(low) != len(text):
            low = text.translate(_ASCII_LOWER)
        n = len(text)
        windows: dict[int, list[tuple[int, int]]] = {}

        def add(i: int, pos: int) -> None:
            spans = windows.setdefault(i, [])
            if spans and pos < spans[-1][1]:
                return
            rule = self.rules[i]
            ls = text.rfind("\n", 0, pos) + 1
            if isinstance(rule.window, int):
                ws, we = ls, min(n, pos + rule.window)
            else:
                le = text.find("\n", pos)
                if le == -1:
                    le = n
                ws, we = ls, le
                if we - ws > LONG_LINE:
                    ws, we = max(ls, pos - _BEFORE), min(le, pos + _AFTER)
            if spans and ws <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(we, spans[-1][1]))
            else:
                spans.append((ws, we))

        if self._automaton is not None:
            for end, idxs in self._automaton.iter(low):
                for i in idxs:
                    add(i, end)
        for i in self._always:
            windows[i] = [(0, n)]

        lines = _Lines(text)
        found: list[Match] = []
        for i, spans in windows.items():
            rule = self.rules[i]
            pre = self._path_re[i]
            if pre is not None and not pre.search(path):
                continue
            rx = self._compiled[i]
            for ws, we in spans:
                for m in rx.finditer(text, ws, we):
                    match = self._accept(i, rule, m, text, lines)
                    if match is not None:
                        found.append(match)
        return _drop_overlaps(found)

    def _accept(self, i: int, rule: Rule, m: Any, text: str, lines: _Lines) -> Match | None:
        group = rule.secret_group
        try:
            secret = m.group(group)
            start, end = m.span(group)
        except (IndexError, Exception):  # custom rule without that group
            secret, (start, end) = m.group(0), m.span(0)
        if not secret or start < 0:
            return None
        if rule.entropy is not None and shannon_entropy(secret) < rule.entropy:
            return None
        if is_placeholder(secret):
            return None
        if any(a.search(secret) for a in self._allow[i]):
            return None
        if rule.validator is not None and not rule.validator(secret):
            return None
        line, col = lines.locate(start)
        end_line, end_col = lines.locate(end)
        ls = text.rfind("\n", 0, start) + 1
        le = text.find("\n", start)
        if le == -1:
            le = len(text)
        line_text = text[max(ls, start - _BEFORE) : min(le, end + _BEFORE)]
        allowed = any(marker in line_text for marker in ALLOW_MARKERS)
        if not allowed and end_line > line:  # multi-line secret: allow marker on its last line
            ee = text.find("\n", end)
            tail = text[text.rfind("\n", 0, end) + 1 : ee if ee != -1 else len(text)]
            allowed = any(marker in tail for marker in ALLOW_MARKERS)
        return Match(rule, secret, start, end, line, col, end_line, end_col, line_text, allowed)


def _drop_overlaps(matches: list[Match]) -> list[Match]:
    """One finding per span: specific rules beat generic ones, longer beats shorter."""
    if len(matches) < 2:
        return matches
    matches.sort(key=lambda m: (m.start, m.rule.generic, -(m.end - m.start)))
    kept: list[Match] = []
    for m in matches:
        clash = next((k for k in kept if m.start < k.end and k.start < m.end), None)
        if clash is None:
            kept.append(m)
        elif clash.rule.generic and not m.rule.generic:
            kept[kept.index(clash)] = m
    return kept


def to_finding(match: Match, path: str, line_offset: int = 0, **extra: Any) -> Finding:
    """Redact a match into a Finding. ``line_offset`` shifts lines (chunks of large files)."""
    rule = match.rule
    secret_shown = redact.redact(match.secret, rule.prefix, rule.password_like)
    line_start_in_window = 0  # line_text is a window: locate the secret inside it
    idx = match.line_text.find(match.secret[:64])
    if idx >= 0:
        line_start_in_window = idx
    snippet = redact.redact_line(
        match.line_text, line_start_in_window, line_start_in_window + len(match.secret)
    )
    return Finding(
        rule_id=rule.id,
        severity=extra.pop("severity", rule.severity),
        path=path,
        message=extra.pop("message", f"{rule.description} ({secret_shown})"),
        fix=rule.fix,
        fingerprint=redact.fingerprint(rule.id, match.secret),
        line=match.line + line_offset,
        column=match.column,
        end_line=match.end_line + line_offset,
        end_column=match.end_column,
        secret=secret_shown,
        snippet=snippet,
        **extra,
    )


def scan_to_findings(engine: Engine, text: str, path: str) -> Iterable[tuple[Match, Finding]]:
    for m in engine.scan(text, path):
        yield m, to_finding(m, path)
