"""Keyword prefilter -> regex in a window around each hit -> entropy, validators, filters.

The engine works on decoded text and returns ``Match`` objects holding the raw secret.
Matches never leave the process: ``to_finding`` turns them into redacted ``Finding``s.

Speed: one Aho-Corasick pass over the lower-cased text finds every keyword of every rule
(chosen by measurement, see ``bench/RESULTS.md``); a rule's regex only runs on the lines
around its keyword hits, and is compiled the first time it is needed (the hook scans a
handful of files, so most of the ~90 regexes are never compiled in a commit).
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, AnyStr

import ahocorasick

from launchready import redact
from launchready.model import Finding
from launchready.secrets import name_starts
from launchready.secrets.filters import PUBLIC_PREFIXES, is_placeholder, looks_fake_body, shannon_entropy
from launchready.secrets.rule import FIXTURE_PATHS, TOKEN_CHARS, Rule, compile_re2

LONG_LINE = 4096  # longer lines (minified JS) are windowed around the keyword hit
_BEFORE = 512
_AFTER = 2048
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
ALLOW_MARKERS = ("launchready:allow", "pragma: allowlist secret", "gitleaks:allow")
# Keyword prefilter: "re2" (one case-insensitive RE2 alternation over the original text) or
# "ahocorasick" (pyahocorasick over the lower-cased text). Chosen by bench/bench_throughput.py.
PREFILTER = "re2"
# Below this much input (a pre-commit hook's few files) Aho-Corasick is used: RE2's import and
# compile cost more than they save there.
RE2_MIN = 65536
# Tests, fixtures, mocks and translation catalogs: generic (name-based) rules stay quiet there
# (a fixture password or a translated "Password" label is not a credential); provider-shaped
# tokens are still reported.
_FIXTURE_PATH = re.compile(FIXTURE_PATHS)


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


def _alternation(anycase: Sequence[str], cased: Sequence[str], patterns: Sequence[str]) -> str:
    """One RE2 pattern for words in any case, words in their own case, and patterns."""
    parts = [
        f"(?i:{'|'.join(map(re.escape, anycase))})" if anycase else "",
        "|".join(map(re.escape, cased)),
        "|".join(f"(?:{p})" for p in patterns),
    ]
    return "|".join(p for p in parts if p)


def re2_finder(regex: Any) -> Callable[[bytes, int], int]:
    """``find(data, pos)``: where ``regex`` (compiled by ``compile_re2``) first matches in
    ``data[pos:]``, -1 if nowhere; bytes only. Calls RE2's matcher directly, without the
    wrapper's match object; falls back to the wrapper if the binding ever changes shape."""
    match = getattr(getattr(regex, "_regexp", None), "Match", None)
    anchor = getattr(getattr(sys.modules.get("re2"), "_Anchor", None), "UNANCHORED", None)
    if match is not None and anchor is not None:

        def find(data: bytes, pos: int = 0) -> int:
            if pos > len(data):
                return -1
            start: int = match(anchor, data, pos, len(data))[0][0]
            return start

        return find

    def find_slow(data: bytes, pos: int = 0) -> int:
        found = regex.search(data, pos)
        return -1 if found is None else int(found.start())

    return find_slow


# Escapes whose meaning differs between Python's ``re`` (Unicode classes, ``\Z``) and RE2:
# a pattern holding one keeps its own search in ``_any_search``.
_ENGINE_DEPENDENT = re.compile(r"\\[wWdDsSbBZ]")


def _any_search(patterns: Sequence[Any]) -> Callable[[str], bool]:
    """``search(text)``: does any of ``patterns`` (compiled, Python ``re`` or RE2) match in
    ``text``? Patterns that mean the same in RE2 are searched as one alternation (one pass
    over ``text``); the rest one by one. A text with a line break takes the patterns one by
    one (Python's ``$`` also matches before a final newline, RE2's does not)."""
    if not patterns:
        return lambda text: False
    sources = [p.pattern if isinstance(p.pattern, str) else None for p in patterns]
    joinable = [s for s in sources if s is not None and not _ENGINE_DEPENDENT.search(s)]
    alone = [p for p, s in zip(patterns, sources, strict=True) if s is None or _ENGINE_DEPENDENT.search(s)]
    joined: Any = None
    if len(joinable) > 1:
        try:
            joined = compile_re2("|".join(f"(?:{s})" for s in joinable))
        except Exception:  # an RE2 limit (size): keep them apart
            joined = None

    def search(text: str) -> bool:
        if joined is None or "\n" in text:
            return any(p.search(text) is not None for p in patterns)
        return joined.search(text) is not None or any(p.search(text) is not None for p in alone)

    return search


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
    """Compile a rule set once; ``scan(text, path)`` many times."""

    def __init__(self, rules: Sequence[Rule], prefilter: str = PREFILTER, re2_min: int = RE2_MIN) -> None:
        # Rules without a regex (file-level rules decided by name) never run here.
        self.rules = [r for r in rules if r.regex]
        self._order = {id(r): i for i, r in enumerate(self.rules)}
        self._compiled: list[Any] = [None] * len(self.rules)
        self._pre: list[Any] = [None] * len(self.rules)
        # where a name-first rule's match can start (``name_starts``); Python ``re`` rules only
        self._names = [
            name_starts.Names(r.name_words) if r.name_words and r.syntax == "re" else None for r in self.rules
        ]
        self._allow: list[tuple[tuple[str, Any], ...] | None] = [None] * len(self.rules)
        self._always: list[int] = []
        self._path_re = [r.compile_extra(r.paths) if r.paths else None for r in self.rules]
        self._exclude_re = [r.compile_extra(r.exclude_paths) if r.exclude_paths else None for r in self.rules]
        self._has_paths = any(p is not None for p in self._path_re + self._exclude_re)
        self._scoped_search: Callable[[str], bool] | None = None  # ``path_scoped``, built on first use
        self._spanning: Engine | None = None  # ``spanning``, built on first use
        self._generic = {i for i, r in enumerate(self.rules) if r.generic and r.source == "builtin"}
        by_kw: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            if not rule.keywords:
                self._always.append(i)
            for kw in rule.keywords:
                by_kw.setdefault(kw.lower(), []).append(i)
        # Rules that may match away from a keyword's own line: without keywords (and not
        # limited to some paths), or windows spanning lines. ``keyword_rows`` needs them.
        self._unkeyed = any(not r.keywords and not r.paths for r in self.rules)
        # every keyword fits on one line (a custom rule's could hold a line break)
        self.line_keywords = not any("\n" in kw for kw in by_kw)
        # What ``find_keyword`` and ``keyword_rows`` look for: the keywords of rules that apply
        # to every path. A rule limited to some paths (``.pgpass``, ``.netrc``) runs on the whole
        # of a file it applies to, so its keywords ("pass", "define") only cost lines elsewhere.
        # Keywords a rule spells in one case only (``Rule.cased_keywords``: ``sl.`` of Dropbox
        # tokens) are looked for in that case; the others in any case.
        # A rule with a ``line_trigger`` contributes that pattern instead of its keywords.
        anycase: set[str] = set()
        for r in self.rules:
            if not r.paths and not r.line_trigger:
                spelt = {c.lower() for c in r.cased_keywords}
                anycase.update(kw.lower() for kw in r.keywords if kw.lower() not in spelt)
        cased = {
            kw
            for r in self.rules
            if not r.paths and not r.line_trigger
            for kw in r.cased_keywords
            if kw.lower() not in anycase
        }
        self._line_kw = sorted(anycase, key=lambda k: (-len(k), k))
        self._line_cased = sorted(cased, key=lambda k: (-len(k), k))
        self._line_triggers = sorted({r.line_trigger for r in self.rules if not r.paths and r.line_trigger})
        # rule index -> its head keywords (``Rule.heads``), for a rule whose every keyword is
        # one: its regex only runs around a hit that spells one where a token can start
        self._head_of = {
            i: r.cased_keywords
            for i, r in enumerate(self.rules)
            if r.heads and {k.lower() for k in r.keywords} <= {c.lower() for c in r.cased_keywords}
        }
        # What makes ``keyword_rows`` hand back a whole text: a keyword of a rule whose window
        # spans lines, or, for such a rule with a ``line_trigger``, that pattern (the name
        # ``facebook`` is on thousands of lines of a history, a token of its shape on none)
        spanning = [r for r in self.rules if not isinstance(r.window, str) and not r.paths]
        self._multiline_kw = sorted({kw.lower() for r in spanning if not r.line_trigger for kw in r.keywords})
        self._multi_triggers = sorted({r.line_trigger for r in spanning if r.line_trigger})
        self._multi_re: Any = None
        self._automaton: Any = None
        self._kw_re: Any = None
        self._kw_find: Callable[[bytes, int], int] | None = None
        self._multi_find: Callable[[bytes, int], int] | None = None
        self._kw_hits: dict[bytes, tuple[tuple[int, tuple[int, ...]], ...]] = {}
        self._kw_overlaps: dict[bytes, tuple[tuple[int, bytes], ...]] = {}
        self._kw_next: dict[bytes, frozenset[bytes]] = {}
        if by_kw:
            automaton = ahocorasick.Automaton()
            for kw, idxs in by_kw.items():
                automaton.add_word(kw, tuple(idxs))
            automaton.make_automaton()
            self._automaton = automaton
        self._by_kw = by_kw
        self._prefilter = prefilter if by_kw else "ahocorasick"
        self._scanned = 0  # characters scanned so far: RE2 pays off once the input is large
        self._re2_min = re2_min

    def _keyword_re(self) -> Any:
        """The RE2 keyword alternation, built on first use (None: no rule has keywords).
        Leftmost-first, longest keyword first, so a match is the longest keyword starting at
        its position. ``_kw_hits`` maps each keyword to every keyword occurrence inside it
        (end offset, rule indices), and ``_kw_overlaps`` to the keywords that may begin inside
        it and reach past its end ("smtp" + "password" in "SMTPASSWORD"): together the RE2
        path reports exactly the (end, rules) hits Aho-Corasick reports."""
        if self._kw_re is not None or not self._by_kw:
            return self._kw_re
        ordered = sorted(self._by_kw, key=len, reverse=True)
        by_prefix: dict[str, list[str]] = {}  # every proper prefix of a keyword -> those keywords
        for other in ordered:
            for j in range(1, len(other)):
                by_prefix.setdefault(other[:j], []).append(other)
        for kw in ordered:
            hits = []
            for j in range(len(kw)):  # keywords inside kw: look up each substring
                for k in range(j + 1, len(kw) + 1):
                    sub = kw[j:k]
                    if sub in self._by_kw:
                        hits.append((k - 1, j - k, tuple(self._by_kw[sub])))
            hits.sort()
            key = kw.encode()
            self._kw_hits[key] = tuple((end, idxs) for end, _, idxs in hits)
            # Offsets d where kw[d:] is a proper prefix of another keyword reaching past kw's end,
            # and the bytes that must follow kw for one to occur (a cheap first test).
            overlaps = tuple((d, other.encode()) for d in range(1, len(kw)) for other in by_prefix.get(kw[d:], ()))
            self._kw_overlaps[key] = overlaps
            self._kw_next[key] = frozenset(o[len(kw) - d : len(kw) - d + 1] for d, o in overlaps)
        self._kw_re = compile_re2("|".join(re.escape(k) for k in ordered), case_sensitive=False)
        return self._kw_re

    def _line_finder(self) -> Callable[[bytes, int], int] | None:
        """``find(data, pos)`` for the keywords of rules that apply to every path (built on
        first use; None: there are none)."""
        if self._kw_find is None and (self._line_kw or self._line_cased or self._line_triggers):
            # A line holding a keyword that contains another holds that other one too: only
            # the keywords containing no other are looked for (a smaller, faster automaton).
            anycase_set, cased_set = set(self._line_kw), set(self._line_cased)
            kws = [k for k in self._line_kw if not _holds_another(k, anycase_set)]
            kept = set(kws)
            cased_kws = [
                k
                for k in self._line_cased
                if not _holds_another(k.lower(), kept, count_itself=True) and not _holds_another(k, cased_set)
            ]
            self._kw_find = re2_finder(compile_re2(_alternation(kws, cased_kws, self._line_triggers)))
            if self._multiline_kw or self._multi_triggers:
                self._multi_re = compile_re2(_alternation(self._multiline_kw, (), self._multi_triggers))
                self._multi_find = re2_finder(self._multi_re)
        return self._kw_find

    def compile_all(self, warm: Iterable[bytes] | None = None) -> None:
        """Compile now, before workers are forked, what each would otherwise compile for
        itself. Without ``warm``: every rule. With ``warm``, pieces of text like what the
        workers will scan (samples of both ends of a history): the keyword search is run over
        them (RE2 builds its automaton's states as the text it searches needs them) and the
        rules whose keywords they hold are compiled; a rule first needed later compiles in
        the process that needs it (on requests, 64 of 270 rules are ever needed). Pieces are
        taken one at a time: what the parent holds when it forks, the child holds too."""
        from launchready.secrets import filters, validators

        filters.prepare()
        validators.prepare()
        needed: set[int] | None = None
        find = self._line_finder()
        if warm is not None:
            rows: list[bytes] = []  # the lines of ``warm`` that hold a keyword
            for piece in warm:
                pos = 0
                while self._multi_find is not None and (at := self._multi_find(piece, pos)) >= 0:
                    pos = at + 1
                pos = 0
                while find is not None and (at := find(piece, pos)) >= 0:
                    end = piece.find(b"\n", at)
                    end = len(piece) if end < 0 else end
                    rows.append(piece[piece.rfind(b"\n", 0, at) + 1 : end])
                    pos = end + 1
            needed = set(self._always)
            if self._automaton is not None and rows:
                for _, idxs in self._automaton.iter(_lower(b"\n".join(rows).decode("latin-1"))):
                    needed.update(idxs)
        for i, rule in enumerate(self.rules):
            if needed is not None and i not in needed:
                continue
            self._regex(i)
            if rule.precheck and self._pre[i] is None:
                self._pre[i] = re.compile(rule.precheck)

    def mentions_keyword(self, data: bytes) -> bool:
        """Could ``scan`` find anything in ``data`` (UTF-8 bytes) outside path-scoped rules?
        (A path-scoped rule's file is scanned whole: its keywords are not looked for here.)"""
        return self.find_keyword(data) >= 0

    def find_keyword(self, data: bytes, pos: int = 0) -> int:
        """Where the first keyword in ``data[pos:]`` (UTF-8 bytes) starts, -1 if none (``pos``
        when a rule without keywords could match anywhere). Through RE2's own matcher: the
        Python wrapper builds a match object per call, a few microseconds that a history scan
        pays tens of thousands of times (every commit message, patch and file)."""
        if self._unkeyed:
            return pos if pos <= len(data) else -1
        find = self._kw_find or self._line_finder()
        return -1 if find is None else find(data, pos)

    def keyword_rows(self, data: bytes) -> list[int] | None:
        """The 0-based numbers of the lines of ``data`` (UTF-8 bytes) that hold a keyword, in
        order; ``scan`` of just those lines finds what it finds in the whole text (outside
        path-scoped rules), because every other rule matches within its keyword's line.
        None when that does not hold here (a rule without keywords, or a keyword of a rule
        whose window spans lines): scan the whole text."""
        if self._unkeyed:
            return None
        # One search per line that holds a keyword (not per hit), through RE2's own matcher
        # (``find_keyword``): the Python wrapper's match object dominates on keyword-dense text.
        find = self._kw_find or self._line_finder()
        if find is None:
            return []
        if self._multi_find is not None and self._multi_find(data, 0) >= 0:
            return None
        rows: list[int] = []
        row = pos = 0
        end = len(data)
        while pos < end:
            start = find(data, pos)
            if start < 0:
                break
            row += data.count(b"\n", pos, start)
            rows.append(row)
            nl = data.find(b"\n", start)
            if nl < 0:
                break
            # A logical line that goes on (a shell continuation, an XML value on its own
            # line): its other lines belong with it, as ``scan`` reads them together.
            ls = data.rfind(b"\n", 0, start) + 1
            more = logical_line_end(data, ls, nl)
            if more != nl:
                extra = data.count(b"\n", nl, more)
                rows.extend(range(row + 1, row + 1 + extra))
                row += extra
                nl = more
                if nl >= end:
                    break
            row += 1
            pos = nl + 1
        return rows

    def skips_here(self, rule: Rule, path: str) -> bool:
        """Is ``rule`` silent in ``path`` (``scan`` would not have run it there)? For callers
        that scan many files' text as one (history batches) and place matches afterwards."""
        if rule.generic and rule.source == "builtin" and _FIXTURE_PATH.search(path):
            return True
        i = self._order.get(id(rule))
        if i is None or not self._has_paths:
            return False
        p, x = self._path_re[i], self._exclude_re[i]
        return (p is not None and not p.search(path)) or (x is not None and x.search(path) is not None)

    def path_scoped(self, path: str) -> bool:
        """Does a path-scoped rule (``.pgpass``, ``.netrc``...) apply to ``path``? One RE2
        search for all of them where their patterns allow (history asks once per path it
        meets: each pattern on its own cost ~1 us a pattern)."""
        search = self._scoped_search
        if search is None:
            search = self._scoped_search = _any_search([p for p in self._path_re if p is not None])
        return search(path)

    def spanning(self) -> Engine:
        """The rules whose match may span lines (a window of characters: PEM and PuTTY keys,
        JWKs), as an engine of their own (built on first use): what a whole file is rescanned
        with when its added lines look like the body of a key whose BEGIN line they lack. A
        rule that matches within a line finds the same on the added lines themselves."""
        if self._spanning is None:
            self._spanning = Engine([r for r in self.rules if not isinstance(r.window, str)], re2_min=self._re2_min)
        return self._spanning

    def _regex(self, i: int) -> Any:
        rx = self._compiled[i]
        if rx is None:
            rule = self.rules[i]
            rx = self._compiled[i] = rule.compile()
            allow = []
            for a in rule.allow:
                target, sep, body = a.partition(":")
                if sep and target in ("match", "line"):
                    allow.append((target, rule.compile_extra(body)))
                else:
                    allow.append(("secret", rule.compile_extra(a)))
            self._allow[i] = tuple(allow)
        return rx

    def _hits(self, text: str, dense: bool = False) -> Iterator[tuple[int, tuple[int, ...]]]:
        """(offset of the keyword's last character, rule indices) for every keyword hit."""
        if not dense:  # (dense scans never use RE2: they do not make it pay off sooner)
            self._scanned += len(text)
        use_re2 = (
            not dense
            and self._prefilter == "re2"
            and (len(text) >= self._re2_min or self._scanned >= 4 * self._re2_min)
        )
        if use_re2:
            # RE2 over UTF-8 bytes: no lower-casing. For ASCII text byte offsets are char
            # offsets; otherwise convert them incrementally (google-re2's own str support
            # converts each match offset from the start of the text: quadratic).
            if text.isascii():
                yield from self._re2_hits(text.encode("ascii"))
                return
            data = text.encode("utf-8", "surrogatepass")
            b_prev = c_prev = 0
            for b_end, idxs in self._re2_hits(data):
                if b_end + 1 != b_prev:
                    c_prev += len(data[b_prev : b_end + 1].decode("utf-8", "surrogatepass"))
                    b_prev = b_end + 1
                yield c_prev - 1, idxs
        elif self._automaton is not None:
            yield from self._automaton.iter(_lower(text))

    def _re2_hits(self, data: bytes) -> Iterator[tuple[int, tuple[int, ...]]]:
        """Every keyword occurrence in ``data`` as (offset of its last byte, rule indices), in
        the order Aho-Corasick reports them (by end, longest first). Each RE2 match stands for
        the keywords inside it; where another keyword begins inside a match and reaches past
        its end ("smtp" + "password" in "SMTPASSWORD"), the search resumes there."""
        kw_re = self._keyword_re()
        hits_for, overlaps_for, next_for = self._kw_hits, self._kw_overlaps, self._kw_next
        pos, done, n = 0, 0, len(data)  # done: hits ending before this offset were reported
        while pos < n:
            resume = -1
            for m in kw_re.finditer(data, pos):
                start, end = m.span()
                kw = m.group().lower()
                hits = hits_for.get(kw)
                if hits is None:  # a case-insensitive match outside ASCII (Kelvin sign for k)
                    kw = m.group().decode("utf-8", "surrogatepass").lower().encode("utf-8", "surrogatepass")
                    found = hits_for.get(kw)
                    if found is None:
                        continue
                    hits = tuple((end - start - 1, idxs) for _, idxs in found)  # a char boundary
                for off, idxs in hits:
                    if start + off >= done:
                        yield start + off, idxs
                done = end
                if data[end : end + 1].lower() in next_for[kw]:
                    for d, other in overlaps_for[kw]:
                        if data[start + d : start + d + len(other)].lower() == other:
                            resume = start + d
                            break
                    if resume >= 0:
                        break
            if resume < 0:
                return
            pos = resume

    def scan(self, text: str, path: str = "", dense: bool = False, fence: str = "") -> list[Match]:
        """Every match in ``text`` (the file at ``path``). ``dense``: most lines hold a keyword
        (history hands over only such lines), so the cost per keyword hit matters more than
        scanning speed: Aho-Corasick, not RE2 (whose Python wrapper costs more per hit).
        ``fence``: ``text`` is several texts joined with it, and no window of characters
        (``Rule.window``) reaches past one into the next."""
        if not text:
            return []
        n = len(text)
        skip: set[int] = set()
        if self._has_paths:
            skip = {i for i, p in enumerate(self._path_re) if p is not None and not p.search(path)}
            skip |= {i for i, p in enumerate(self._exclude_re) if p is not None and p.search(path)}
        if path and self._generic and _FIXTURE_PATH.search(path):
            skip = skip | self._generic
        # rule index -> list of [start, end) windows, merged as they grow
        windows: dict[int, list[list[int]]] = {}
        if self._automaton is not None:
            rules = self.rules
            head_of = self._head_of
            line_end = -1
            line_start = 0
            for pos, idxs in self._hits(text, dense):
                if pos >= line_end:  # a hit on a new line: find its bounds once (bounded)
                    lo = max(0, pos - LONG_LINE)
                    line_start = text.rfind("\n", lo, pos) + 1 or lo
                    line_end = text.find("\n", pos, pos + LONG_LINE)
                    if line_end == -1:
                        line_end = min(n, pos + LONG_LINE)
                    else:
                        line_end = logical_line_end(text, line_start, line_end)
                for i in idxs:
                    spans = windows.get(i)
                    w = rules[i].window
                    if spans is not None and pos < spans[-1][1]:
                        if isinstance(w, int):  # a span from this hit on: reach its end too
                            spans[-1][1] = max(spans[-1][1], _reach(text, pos, min(n, pos + w), fence))
                        continue  # already covered by this rule's last window
                    if i in skip:
                        continue
                    heads = head_of.get(i)
                    if heads is not None and not _at_head(text, pos, heads):
                        continue  # no token of this rule starts here: no window
                    if isinstance(w, int):
                        ws, we = line_start, _reach(text, pos, min(n, pos + w), fence)
                    elif line_end - line_start > LONG_LINE:
                        ws, we = max(line_start, pos - _BEFORE), min(line_end, pos + _AFTER)
                    else:
                        ws, we = line_start, line_end
                    if spans is None:
                        windows[i] = [[ws, we]]
                    elif ws <= spans[-1][1]:
                        spans[-1][1] = max(we, spans[-1][1])
                    else:
                        spans.append([ws, we])
        for i in self._always:
            if i not in skip:
                windows[i] = [[0, n]]
        if not windows:
            return []
        lines = _Lines(text)
        found: list[Match] = []
        # the text as a name-first rule's word search reads it (``name_starts.fold``)
        folded = name_starts.fold(text) if any(self._names[i] is not None for i in windows) else None
        for i, spans in windows.items():
            rule = self.rules[i]
            # RE2 (gitleaks rules): `$` only matches at the real end of the text, as in
            # gitleaks, so let the window include the newline for `\s` to match it.
            grow = 1 if rule.syntax == "re2" else 0
            pre = self._pre[i]
            if pre is None and rule.precheck:
                pre = self._pre[i] = re.compile(rule.precheck)
            names = self._names[i]
            for ws, we in spans:
                if pre is not None and not pre.search(text, ws, we):
                    continue  # the expensive regex is compiled only when a window needs it
                end = min(n, we + grow)
                if names is not None:  # faster on every window, a code line's too
                    found_in = names.matches(self._regex(i), text, folded, ws, end)
                else:
                    found_in = self._regex(i).finditer(text, ws, end)
                for m in found_in:
                    match = self._accept(i, rule, m, text, lines)
                    if match is not None:
                        found.append(match)
        return _drop_overlaps(found, self._order)

    def _accept(self, i: int, rule: Rule, m: Any, text: str, lines: _Lines) -> Match | None:
        span = _secret_span(rule.secret_group, m)
        if span is None:
            return None
        start, end = span
        secret = text[start:end]
        if not secret:
            return None
        if rule.entropy is not None and shannon_entropy(secret) < rule.entropy:
            return None
        if is_placeholder(secret, rule.allow_uuid) or secret.startswith(PUBLIC_PREFIXES):
            return None
        if rule.prefix and secret.startswith(rule.prefix) and looks_fake_body(secret[len(rule.prefix) :]):
            return None
        if rule.stopwords:
            low = secret.lower()
            if any(w in low for w in rule.stopwords):
                return None
        if self._allow[i] and self._allowed_by_rule(i, m, secret, text, start):
            return None
        if rule.validator is not None and not rule.validator(secret):
            return None
        if rule.generic and public_jwt(secret):
            return None
        ls = text.rfind("\n", 0, start) + 1
        if _in_data_uri(text, ls, start) or _in_base64_blob(text, start, end):
            return None
        line, col = lines.locate(start)
        end_line, end_col = lines.locate(end)
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

    def _allowed_by_rule(self, i: int, m: Any, secret: str, text: str, start: int) -> bool:
        for target, rx in self._allow[i] or ():
            if target == "secret":
                subject = secret
            elif target == "match":
                subject = m.group(0)
            else:
                ls = text.rfind("\n", 0, start) + 1
                le = text.find("\n", start)
                subject = text[ls : le if le != -1 else len(text)]
            if rx.search(subject):
                return True
        return False


_CONTINUED = 16  # at most this many lines joined to one logical line
# standard base64's alphabet, padding included (the data URI and the base64 blob checks)
_BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
_BASE64_RUN = re.compile(f"[{re.escape(_BASE64_ALPHABET)}]*")
_BASE64_CHARS = frozenset(_BASE64_ALPHABET)


def _in_data_uri(text: str, ls: int, start: int) -> bool:
    """Does ``start`` (on the line from ``ls``) lie inside the base64 payload of a data URI
    (an image or font embedded in an SVG or CSS: `data:font/woff2;base64,...`)? A token's
    shape met there is chance (hoppscotch's Poppins font held a Google refresh token's `1//0`
    and a Square token)."""
    k = text.rfind(";base64,", ls, start)
    if k == -1:
        return False
    m = _BASE64_RUN.match(text, k + 8, start)
    return m is not None and m.end() == start


# Base64 around a match that starts inside it, beside the match itself: encoded bytes (a font
# or an image in a source file), not text anyone typed.
_BLOB_AROUND = 32


def _in_base64_blob(text: str, start: int, end: int) -> bool:
    """Does the match ``text[start:end]``, itself base64, start after a ``+`` or ``/`` of a run
    of standard base64 that holds at least ``_BLOB_AROUND`` more characters beside it (a font
    embedded as a base64 string in a `.ts` file: vercel's ai-chatbot history had a Square
    token's shape after a ``+`` in Roboto's bytes)? A token starts where a non-token character
    ends a word; inside base64 those are its own ``+`` and ``/``, so a token's shape met there
    is chance. A token after a quote, a ``:``, an ``=`` or a space, or in a URL's path (a few
    characters of base64 before it), is not inside such a run."""
    if start == 0 or text[start - 1] not in "+/" or not _BASE64_CHARS.issuperset(text[start:end]):
        return False
    lo = start
    floor = max(0, start - _BLOB_AROUND)
    while lo > floor and text[lo - 1] in _BASE64_CHARS:
        lo -= 1
    hi = end
    ceiling = min(len(text), end + _BLOB_AROUND)
    while hi < ceiling and text[hi] in _BASE64_CHARS:
        hi += 1
    return (start - lo) + (hi - end) >= _BLOB_AROUND


def _reach(text: str, pos: int, end: int, fence: str) -> int:
    """Where a window from ``pos`` to ``end`` stops: at the first ``fence`` in between."""
    if fence:
        at = text.find(fence, pos, end)
        if at >= 0:
            return at
    return end


# a line ending so may take in the lines after it (kept apart: str never compared with bytes)
_GOES_ON_STR = frozenset({"\\", ">"})
_GOES_ON_BYTES = frozenset({b"\\", b">"})


def ends_alone(last: AnyStr) -> bool:
    """Does a line whose last character is ``last`` end its logical line, whatever follows
    (``logical_line_end``'s first test): not empty, no ``\\``, ``>`` or white space?"""
    goes_on = _GOES_ON_BYTES if isinstance(last, bytes) else _GOES_ON_STR
    return bool(last) and last not in goes_on and not last.isspace()


def logical_line_end(text: AnyStr, start: int, end: int) -> int:
    """Where the logical line that physically ends at ``end`` (a newline at ``text[end]``)
    ends: a shell command continued with a trailing backslash goes on to the next lines
    (``curl ... \\`` then ``-u user:pass``), and an XML element whose value sits alone on
    the next line (``<apiKey>``, the value, ``</apiKey>``) takes in the value and the closing
    tag. Returns ``end`` when the line stands alone. Works on ``str`` and UTF-8 ``bytes``."""
    nl, bs, gt, close = (b"\n", b"\\", b">", b"</") if isinstance(text, bytes) else ("\n", "\\", ">", "</")
    if ends_alone(text[end - 1 : end] if end > start else text[:0]):
        return end  # most lines: neither continued nor an opening tag (no slice, no strip)
    n = len(text)
    for _ in range(_CONTINUED):
        line = text[start:end].rstrip()
        if line.endswith(bs) and end < n:
            nxt = text.find(nl, end + 1, end + 1 + LONG_LINE)  # type: ignore[arg-type]
            start, end = end + 1, (nxt if nxt != -1 else min(n, end + 1 + LONG_LINE))
            continue
        if line.endswith(gt) and not line.lstrip().startswith(close) and close not in line and end < n:
            value_end = text.find(nl, end + 1, end + 1 + LONG_LINE)  # type: ignore[arg-type]
            if value_end == -1:
                return end
            value = text[end + 1 : value_end].strip()
            if not value or len(value.split()) != 1 or value.startswith(b"<" if isinstance(text, bytes) else "<"):
                return end
            close_end = text.find(nl, value_end + 1, value_end + 1 + LONG_LINE)  # type: ignore[arg-type]
            if close_end == -1:
                close_end = n if n - value_end <= LONG_LINE else value_end
            if text[value_end + 1 : close_end].lstrip().startswith(close):  # type: ignore[arg-type]
                return close_end
        return end
    return end


def _holds_another(word: str, words: set[str], count_itself: bool = False) -> bool:
    """Does ``word`` contain one of ``words`` (``word`` itself only with ``count_itself``)?
    By looking its substrings up (a keyword is short): each keyword against every other
    took ~15 ms for the 500 keywords of every history run."""
    n = len(word)
    return any(
        word[i:j] in words for i in range(n) for j in range(i + 1, n + 1) if count_itself or not (i == 0 and j == n)
    )


def _at_head(text: str, end: int, heads: Sequence[str]) -> bool:
    """Does a keyword hit ending at ``end`` spell one of ``heads`` where a token can start
    (``Rule.heads``): at the text's start, after a character no token holds (``B`` in
    ``rules/_common.py``), or after the `m` that ends a colour code?"""
    for k in heads:
        start = end - len(k) + 1
        if start >= 0 and text.startswith(k, start):
            if start == 0:
                return True
            before = text[start - 1]
            if before not in TOKEN_CHARS or before == "m":
                return True
    return False


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # only U+0130 (İ) lowers to two characters
        low = text.replace("\u0130", "I").lower()
        if len(low) != len(text):
            low = text.translate(_ASCII_LOWER)
    return low


def _secret_span(group: int | str | tuple[int | str, ...], m: Any) -> tuple[int, int] | None:
    groups = group if isinstance(group, tuple) else (group,)
    for g in groups:
        try:
            start, end = m.span(g)
        except (IndexError, KeyError, ValueError):  # a custom rule without that group
            start, end = m.span(0)
        except Exception:
            start, end = m.span(0)
        if start >= 0 and end > start:
            return start, end
    return None


def public_jwt(value: str) -> bool:
    """Supabase anon / authenticated JWTs are public by design."""
    if not value.startswith("eyJ") or value.count(".") != 2:
        return False
    from launchready.secrets.validators import jwt_claims

    claims = jwt_claims(value)
    return claims is not None and claims.get("role") in ("anon", "authenticated")


def _drop_overlaps(matches: list[Match], order: dict[int, int]) -> list[Match]:
    """One finding per span: specific rules beat generic ones, longer beats shorter, then
    the rule listed first in the pack wins."""
    if len(matches) < 2:
        return matches
    matches.sort(key=lambda m: (m.start, m.rule.generic, -(m.end - m.start), order.get(id(m.rule), 0)))
    # Sweep: the kept spans never overlap and are sorted by start, and each new match starts
    # at or after all of them, so only the last kept span can overlap it.
    kept: list[Match] = []
    for m in matches:
        if not kept or kept[-1].end <= m.start:
            kept.append(m)
        elif kept[-1].rule.generic and not m.rule.generic:
            kept[-1] = m
    return kept


def to_finding(match: Match, path: str, line_offset: int = 0, **extra: Any) -> Finding:
    """Redact a match into a Finding. ``line_offset`` shifts lines (chunks of large files)."""
    rule = match.rule
    secret_shown = redact.redact(match.secret, rule.prefix, rule.password_like)
    line_start_in_window = 0  # line_text is a window: locate the secret inside it
    idx = match.line_text.find(match.secret[:64])
    if idx >= 0:
        line_start_in_window = idx
    snippet = redact.redact_line(match.line_text, line_start_in_window, line_start_in_window + len(match.secret))
    severity = extra.pop("severity", rule.severity)
    message = extra.pop("message", f"{rule.description} ({secret_shown})")
    graded = rule.grade(match.secret) if rule.grade is not None else None
    if graded is not None:  # the secret itself says it weighs less (an expired token)
        severity = min(severity, graded[0], key=lambda s: s.rank)
        message = f"{message}; {graded[1]}"
    return Finding(
        rule_id=rule.id,
        severity=severity,
        path=path,
        message=message,
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
