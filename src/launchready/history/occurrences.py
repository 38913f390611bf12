"""Scan a stream of commits and fold every sighting of a secret into one record per secret.

Runs in worker processes: records hold the raw secret, so they only travel between our own
processes (a pipe) and are turned into redacted findings by ``dedup.py`` in the parent.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import itertools
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from launchready import heap
from launchready.history.gitlog import Blobs, Commit
from launchready.history.ignore import GitleaksIgnore
from launchready.history.logproc import GIT_CONFIG
from launchready.history.patch import FileAdds, Section, bodies_matching, decode_path, plain_files, sections
from launchready.history.treegrep import fragment, grep_texts, holds
from launchready.secrets.encoding import SNIFF, sniff_encoding
from launchready.secrets.engine import Engine, Match, ends_alone, re2_finder
from launchready.secrets.rule import Rule, compile_re2
from launchready.secrets.sources import excluded, vendored

MESSAGE_PATH = "(commit message)"
_OID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
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


def _when(s: Sighting) -> tuple[int, int, str, int, int]:
    return (s.time, -s.order, s.path, s.line, s.column)


@dataclass
class Record:
    secret: str
    first: Sighting
    occurrences: int = 0
    commits: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    # (commit, path) of every sighting: a file read again whole (``_rescan_blob``,
    # ``_rescan_decoded``) does not count again what its added lines showed, nor miss a
    # secret another file of the same commit had, whichever was scanned first
    places: set[tuple[str, str]] = field(default_factory=set)

    def older(self, s: Sighting) -> bool:
        """Is ``s`` an earlier sighting than ``first``: an older commit, or in the same commit
        an earlier place (path, line, column). Places decide only within one commit, so the
        sighting reported does not depend on which of a commit's files was scanned first (a
        batch flushed sooner or later, a file read whole from its blob)."""
        return _when(s) < _when(self.first)

    def merge(self, other: Record) -> None:
        if self.older(other.first):
            self.first = other.first
        self.occurrences += other.occurrences
        self.commits |= other.commits
        self.places |= other.places
        self.paths |= other.paths


@dataclass
class ChunkResult:
    records: dict[tuple[int, str], Record] = field(default_factory=dict)
    commits: int = 0
    bytes: int = 0
    suppressed: int = 0
    excluded_files: int = 0
    # path -> (commit time, log order, sha) of commits that removed lines from it: where to
    # look for the commit that removed a secret (None once it grew past TOUCHED_LIMIT)
    touched: dict[str, list[tuple[int, int, str]]] | None = field(default_factory=dict)
    touched_count: int = 0
    # secret -> redact.secret_hash, sent by a worker with its part (the parent preloads them)
    hashes: dict[str, str] = field(default_factory=dict)
    # commits too large to hold in memory, scanned file by file from their blobs (sha, bytes)
    oversized: list[tuple[str, int]] = field(default_factory=list)
    # path -> (file versions skipped, (time, -order, sha) of the oldest commit that had one):
    # content that is not text (binary, NUL bytes and not UTF-16/32), listed, never scanned
    skipped: dict[str, tuple[int, tuple[int, int, str]]] = field(default_factory=dict)

    def skip(self, path: str, when: tuple[int, int, str]) -> None:
        had = self.skipped.get(path)
        self.skipped[path] = (1, when) if had is None else (had[0] + 1, min(had[1], when))

    def merge(self, other: ChunkResult) -> None:
        if (
            self.touched is not None
            and other.touched is not None
            and self.touched_count + other.touched_count <= TOUCHED_LIMIT
        ):
            for path, seen in other.touched.items():
                self.touched.setdefault(path, []).extend(seen)
            self.touched_count += other.touched_count
        else:
            self.touched = None
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
        self.oversized += other.oversized
        for path, (count, when) in other.skipped.items():
            had = self.skipped.get(path)
            self.skipped[path] = (count, when) if had is None else (had[0] + count, min(had[1], when))


# A commit with a patch this large leaves the heap larger than the scan needs after it
# (``heap.trim``); smaller ones are the steady state.
TRIM_AFTER = 1 << 20
PATH_CACHE = 1 << 16  # paths whose kind is remembered (a history may touch millions)
TOUCHED_LIMIT = 2_000_000  # entries (~100 bytes each); beyond, removals use a path-limited log
BATCH_BYTES = 16 * 1024  # small: the last batch is scanned after the two ends meet, on the critical path
# Two tokens on a line of their own: no logical line (``logical_line_end``: an XML value
# stands alone on its line) runs from one piece into the next, so what a piece's scan finds
# does not depend on the pieces around it in a batch.
BATCH_SEPARATOR = b"\n\x00 \x00\n"
_FENCE = BATCH_SEPARATOR.decode("ascii")
CLEAN_LIMIT = 1 << 16  # lines remembered as clean per process (~80 bytes each), then forgotten


@dataclass
class _Piece:
    commit: Commit
    order: int
    adds: FileAdds | None  # None: the commit message
    lo: int  # slice of adds.lines
    hi: int
    text: bytes
    rows: list[int] | None = None  # the adds.lines (indices) ``text`` holds, when not all of lo:hi
    # per row of ``rows``: the line's key in ``Collector._clean`` when it stands alone (None
    # when it does not): remembered there if the scan finds nothing on it
    keys: list[bytes | None] | None = None


# Four consecutive base64 lines of PEM width: a key body, maybe without its BEGIN line.
# (anchored on a newline literal, which the regex engine finds fast; a PEM body has more
# than four lines, so the first one never needs to match)
_KEY_BODY = re.compile(
    rb"\n[ \t]*[A-Za-z0-9+/=]{60,80}\r?\n(?:[ \t]*[A-Za-z0-9+/=]{60,80}\r?\n){2}[ \t]*[A-Za-z0-9+/=]{60,80}\r?(?:\n|$)"
)


# An added YAML line holding a base64-looking value (a Kubernetes Secret's `data:` entry):
# base64 as ``scan`` decodes it (``formats``: padded, at least 6 bytes), as a value (bare or
# quoted) or as a line of a block scalar (``.dockerconfigjson: |``).
_B64 = rb"(?:[A-Za-z0-9+/]{4}){2,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"
_B64_VALUE_LINE = re.compile(rb"""(?m)^\+[ \t]+(?:[\w.-]+:[ \t]*(["']?)""" + _B64 + rb"\1|" + _B64 + rb")[ \t]*\r?$")
# One added line of such a body, in a patch (``+`` columns first): a cheap test that a
# commit or file can hold one at all. RE2: it runs over every patch, and its automaton does
# not backtrack over the many long ``+`` lines (a third faster than ``re`` here).
_KEY_LINE = compile_re2(rb"\n\+[+ \t]*[A-Za-z0-9+/=]{60,80}\r?(?:\n|$)")
_find_key_line = re2_finder(_KEY_LINE)


def prepare(engine: Engine, sample: Iterable[bytes]) -> None:
    """Build before a fork what each process would otherwise build for itself: the rules
    and filters compiled, and the search automata warmed on ``sample`` (pieces of text of
    the history: RE2 builds an automaton's states as the text it searches needs them)."""
    pieces = list(sample)
    engine.compile_all(warm=pieces)
    for piece in pieces:
        pos = 0
        while (at := _find_key_line(piece, pos)) >= 0:
            pos = at + 1


def reported_rules(engine: Engine) -> tuple[Rule, ...]:
    """What a history's records name by index (``Sighting.rule_index``): the engine's rules,
    then the file rule a Kubernetes Secret's decoded value no rule names is reported as (read
    again whole, ``Collector._rescan_decoded``). The same list in both ends of a scan."""
    from launchready.secrets import formats

    return (*engine.rules, formats.kubernetes_secret_rule())


def _looks_like_key_body(text: bytes) -> bool:
    """A run of base64 lines of PEM width and no BEGIN line among the added lines."""
    return _KEY_BODY.search(text) is not None and b"-----BEGIN" not in text


class Collector:
    def __init__(
        self,
        engine: Engine,
        ignore: GitleaksIgnore,
        exclude: Iterable[str] = (),
        order_base: int = 0,
        root: Path | None = None,
        order_stride: int = 1,
        on_new_secret: Callable[[str], object] | None = None,
    ) -> None:
        self.engine = engine
        self.on_new_secret = on_new_secret  # e.g. start its (slow) hash while the scan goes on
        self._blobs = Blobs(root) if root is not None else None
        self._trim_pending = False
        self.rule_index = {id(r): i for i, r in enumerate(reported_rules(engine))}
        self.ignore = ignore
        self.exclude = list(exclude)
        self.order = order_base  # log position of the last commit seen (larger: older)
        self.stride = order_stride  # this collector sees every stride-th commit of the log
        self.result = ChunkResult()
        self._batch: list[_Piece] = []
        self._batch_bytes = 0
        self._path_scoped: dict[str, bool] = {}  # path -> does a path-scoped rule apply
        self._paths: dict[bytes, tuple[str, bool, bool]] = {}  # raw path -> _path_kind(raw)
        self._clean: set[bytes] = set()  # keys of keyword lines scanned without a match (``_unseen``)
        self._clean_key = os.urandom(16)

    def excluded(self, path: str) -> bool:
        return excluded(path, self.exclude)

    def add_commit(self, c: Commit) -> None:
        """Queue what ``c`` added for scanning. Most of a history holds no rule keyword, and
        a line without one cannot hold a secret (``Engine.keyword_rows``): only the lines
        with a keyword are handed to the engine, which is what makes history scans fast."""
        self.result.commits += 1
        self.result.bytes += (c.oversized or len(c.patch)) + len(c.message)
        self.order += self.stride
        if self._blobs is not None:
            self._blobs.tick()
        if self._trim_pending:  # the commit before was large: give back what it freed
            heap.trim()
        self._trim_pending = len(c.patch) >= TRIM_AFTER or c.oversized > 0
        engine = self.engine
        if c.message and engine.mentions_keyword(c.message):
            self._queue(_Piece(c, self.order, None, 0, 0, c.message))
        if c.oversized:
            self.scan_oversized(c)
            return
        # a UTF-16/32 file's patch is decoded per file (``sections``): its keywords and key
        # lines are only visible there, so a patch with NUL bytes is looked at file by file;
        # any other patch is searched once, for the files whose hunks hold a keyword (or a
        # line that may be part of a key), skipping the rest of a file once it matched
        patch = c.patch
        wide = b"\0" in patch
        whole = wide or not engine.line_keywords  # a keyword with a line break: file by file
        # where the patch's first keyword / line of a key starts (-1: none; None: not asked)
        first_keyword = None if whole else engine.find_keyword(patch)
        first_key_line = None if wide else _find_key_line(patch, 0)
        if first_keyword == -1 and first_key_line == -1:
            # most commits: no keyword, no line of a key; only where lines were removed (and
            # whether a path-scoped rule's file is among them) is worth working out
            files = plain_files(patch)
            if files is not None and not any(self._kind(raw)[2] for raw in files[1]):
                self._touch(c, files[0])
                return
        secs = list(sections(patch))
        keyed: set[int] | None = (
            None if first_keyword is None else bodies_matching(patch, secs, engine.find_keyword, first_keyword)
        )
        key_bodies: set[int] | None = (
            None if first_key_line is None else bodies_matching(patch, secs, _find_key_line, first_key_line)
        )
        removed_from: list[bytes] | None = [] if self.result.touched is not None else None
        for sec in secs:
            if removed_from is not None and sec.removes_lines():
                old = sec.source()
                if old is not None:
                    removed_from.append(old)
            raw = sec.target()
            if raw is None:
                continue
            path, third_party, scoped = self._kind(raw)
            if third_party:
                continue  # third-party code (a committed node_modules or virtualenv), as scan skips it
            if sec.binary:
                if sec.parents:  # a merge's file git would not diff as text: read from blobs
                    self._merged_blob(c, raw, sec)
                else:
                    self._skip_binary(c, path, sec.binary)
                continue
            hit = engine.mentions_keyword(sec.body) if keyed is None else sec.at in keyed
            body_key = _KEY_LINE.search(sec.body) is not None if key_bodies is None else sec.at in key_bodies
            if not (scoped or hit or body_key):
                continue
            if self.exclude and self.excluded(path):
                self.result.excluded_files += 1
                continue
            adds = sec.adds(raw)
            if adds is not None:
                low = path.lower()
                # a notebook is read as ``scan`` reads it: its cells decoded, not its JSON lines
                # (where `\"` hides a name from the rules that read one); raw if it is not JSON
                if hit and low.endswith(".ipynb") and self._rescan_decoded(c, adds):
                    continue
                self._add_file(c, adds, full=scoped, hit=hit, body_key=body_key)
                if low.endswith((".yaml", ".yml")) and _B64_VALUE_LINE.search(sec.body) is not None:
                    self._rescan_decoded(c, adds)
        if removed_from:  # (None: not tracked any more)
            self._touch(c, removed_from)

    def _touch(self, c: Commit, removed_from: list[bytes]) -> None:
        """Note that ``c`` removed lines from these paths (where to look for the commit that
        removed a secret), until there are too many to keep."""
        if self.result.touched is None:
            return
        for raw in removed_from:
            self.result.touched.setdefault(decode_path(raw), []).append((c.time, self.order, c.sha))
        self.result.touched_count += len(removed_from)
        if self.result.touched_count > TOUCHED_LIMIT:
            self.result.touched = None

    def _kind(self, raw: bytes) -> tuple[str, bool, bool]:
        kind = self._paths.get(raw)
        return kind if kind is not None else self._path_kind(raw)

    def _merged_blob(self, c: Commit, raw: bytes, sec: Section) -> None:
        """A merge's file that git's combined diff calls binary (it does for any NUL byte, even
        with ``--text``): scanned whole from its blob, decoded as ``scan`` decodes it, keeping
        the secrets no parent had there (what the combined diff would have shown as added)."""
        root = self._blobs.root if self._blobs is not None else None
        olds, new = sec.objects()
        if root is None or not _OID.fullmatch(new) or not new.strip("0"):
            return
        if self.exclude and self.excluded(decode_path(raw)):
            self.result.excluded_files += 1
            return
        self._scan_whole(c, root, raw, new, [n + 1 for n, o in enumerate(olds) if o.strip("0")])

    def _skip_binary(self, c: Commit, path: str, size: int) -> None:
        """A file version whose content is binary: listed as skipped (as ``scan`` lists it),
        its bytes not counted as scanned."""
        if self.exclude and self.excluded(path):
            self.result.excluded_files += 1
            return
        self.result.bytes -= size
        self.result.skip(path, (c.time, -self.order, c.sha))

    def _add_file(self, c: Commit, adds: FileAdds, full: bool, hit: bool, body_key: bool) -> None:
        """Queue one file's added lines in slices of ``CHUNK_LINES``: whole (``full``: a
        path-scoped rule applies, or a rule spans lines) or just the lines with a keyword."""
        lines = adds.lines
        n = len(lines)
        key_body = False
        for lo in range(0, n, CHUNK_LINES):
            hi = min(n, lo + CHUNK_LINES + SLICE_OVERLAP)
            text = b"\n".join(lines[lo:hi])
            key_body = key_body or (body_key and _looks_like_key_body(text))
            rows = None if full else self.engine.keyword_rows(text) if hit else []
            if rows is None:
                self._queue(_Piece(c, self.order, adds, lo, hi, text))
            elif rows:
                if hi < n:  # the overlap belongs to the next slice
                    rows = [r for r in rows if r < CHUNK_LINES]
                picked, keys = self._unseen(lines, [lo + r for r in rows])
                if picked:
                    text = b"\n".join([lines[i] for i in picked])
                    self._queue(_Piece(c, self.order, adds, lo, hi, text, picked, keys))
        if key_body:
            self._rescan_blob(c, adds)

    def _unseen(self, lines: list[bytes], picked: list[int]) -> tuple[list[int], list[bytes | None]]:
        """The keyword lines of ``picked`` to scan, and each one's key in ``_clean`` (None:
        not a line that stands alone). A history adds the same lines again and again (a file
        moved, a translated page's code samples, a branch's commits merged again): a line
        that stands alone and was scanned before without a match is left out.

        "Stands alone": its logical line is itself and no other line's reaches it, before and
        after leaving lines out (``logical_line_end``: no ``\\``, ``>`` or space at its end or
        at the end of the kept line before it, no ``>`` two kept lines up, no ``</`` at its
        start). Every rule a keyword line's scan runs matches within the logical line (a rule
        whose window spans lines makes ``keyword_rows`` scan the whole text instead), so such a
        line's matches depend on its bytes alone. The key is a keyed hash: a line cannot be
        made to collide with a clean one, and it costs 16 bytes, not the line."""
        kept: list[int] = []
        keys: list[bytes | None] = []
        clean = self._clean
        before = behind = b""  # the two kept lines before this one (b"": none, or the separator)
        for i in picked:
            line = lines[i]
            key = None
            if (
                ends_alone(line[-1:])
                and (not before or ends_alone(before[-1:]))
                and not behind.rstrip().endswith(b">")
                and not line.lstrip().startswith(b"</")
            ):
                key = hashlib.blake2b(line, digest_size=16, key=self._clean_key).digest()
                if key in clean:
                    continue
            kept.append(i)
            keys.append(key)
            before, behind = line, before
        return kept, keys

    def scan_oversized(self, c: Commit) -> None:
        """A commit whose patch is too large to hold: scan each file it added or changed, read
        from git as a stream and scanned in bounded windows (as ``scan`` reads a large file).
        A secret the file already had at a parent (``git grep`` there) is not one this commit
        added, so it is neither counted again nor attributed to it; files it changed or deleted
        are where a later lookup (``dedup.removals``) looks for the commit that removed one."""
        self.result.oversized.append((c.sha, c.oversized))
        root = self._blobs.root if self._blobs is not None else None
        if root is None:
            return
        # -c: a merge lists only the files that differ from every parent, each with the
        # object of every parent (a combined diff's view: what the merge itself added)
        listing = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                *GIT_CONFIG,
                "diff-tree",
                "-r",
                "-z",
                "-c",
                "--no-commit-id",
                "--no-renames",
                "--root",
                "--no-ext-diff",
                "--no-textconv",
                "--end-of-options",
                c.sha,
            ],
            capture_output=True,
            check=False,
        )
        fields = listing.stdout.split(b"\x00")
        touched: list[str] = []
        for meta, raw in zip(fields[0::2], fields[1::2], strict=False):
            parents = len(meta) - len(meta.lstrip(b":"))
            parts = meta.lstrip(b":").split()
            if parents < 1 or len(parts) != 2 * parents + 3:
                continue
            mode, oid = parts[parents], parts[2 * parents + 1]
            olds = [n + 1 for n, o in enumerate(parts[parents + 1 : 2 * parents + 1]) if o.strip(b"0")]
            path = decode_path(raw)
            if parents == 1 and olds:
                touched.append(path)  # changed or deleted: it may have lost a secret here
            if not oid.strip(b"0") or mode == b"160000" or vendored(path):
                continue  # deleted, a submodule, or third-party code (as the patch path skips it)
            if self.exclude and self.excluded(path):
                self.result.excluded_files += 1
                continue
            self._scan_whole(c, root, raw, oid.decode("ascii"), olds)
        if touched and self.result.touched is not None:
            for path in touched:
                self.result.touched.setdefault(path, []).append((c.time, self.order, c.sha))
            self.result.touched_count += len(touched)
            if self.result.touched_count > TOUCHED_LIMIT:
                self.result.touched = None

    def _scan_whole(self, c: Commit, root: Path, raw: bytes, oid: str, parents: list[int]) -> None:
        """Scan blob ``oid`` (the file ``raw`` at ``c``) whole, as a stream, and record the
        secrets that none of ``parents`` (1-based: ``c^N``) had in that file: those ``c`` added."""
        path = decode_path(raw)
        found = self._scan_stream(c, oid, path)
        if found and parents:
            frags = {m.secret: fragment(m.secret) for m, _, _ in found}
            git_path = raw.decode("utf-8", "surrogateescape")
            for n in parents:
                texts = grep_texts(root, f"{c.sha}^{n}", frags.values(), [git_path], wide=[git_path]).get(git_path)
                found = [f for f in found if not holds(texts, frags[f[0].secret])]
        for m, line, col in found:
            end_col = m.end_column + (col - m.column if m.end_line == m.line else 0)
            m = dataclasses.replace(m, column=col, end_column=end_col)
            self._record(c, self.order, m, path, line, line + m.end_line - m.line)

    def _scan_stream(self, c: Commit, oid: str, path: str) -> list[tuple[Match, int, int]]:
        """The matches in blob ``oid``, read from git as a stream and decoded as ``scan``
        decodes a file (UTF-8, UTF-16/32); a binary blob is listed as skipped."""
        from launchready.secrets.scanner import BLOCK, _decoded, windowed_matches

        def matches(pieces: Iterator[bytes]) -> list[tuple[Match, int, int]]:
            head = next(pieces, b"")
            encoding = sniff_encoding(head)
            if encoding is None:
                self.result.skip(path, (c.time, -self.order, c.sha))
                return []
            return list(windowed_matches(self.engine, _decoded(itertools.chain((head,), pieces), encoding), path))

        assert self._blobs is not None
        return self._blobs.stream(oid, matches, head=SNIFF, block=BLOCK) or []

    def _scoped(self, path: str) -> bool:
        """Does a path-scoped rule (``.pgpass``, ``.netrc``...) apply to ``path``?"""
        scoped = self._path_scoped.get(path)
        if scoped is None:
            if len(self._path_scoped) >= PATH_CACHE:
                self._path_scoped.clear()
            scoped = self._path_scoped[path] = self.engine.path_scoped(path)
        return scoped

    def _path_kind(self, raw: bytes) -> tuple[str, bool, bool]:
        """(path, in third-party code, a path-scoped rule applies) for a path as git spells it:
        worked out once per path, not once per commit that touches it."""
        if len(self._paths) >= PATH_CACHE:
            self._paths.clear()
        path = decode_path(raw)
        kind = self._paths[raw] = (path, vendored(path), self._scoped(path))
        return kind

    def finish(self) -> ChunkResult:
        self._flush()
        if self._blobs is not None:
            self._blobs.close()
        return self.result

    # Many small texts are scanned as one (separated by a NUL line no rule crosses): the
    # engine's per-call cost, not the text, dominates a history of small commits.
    def _queue(self, piece: _Piece) -> None:
        if piece.adds is not None and self._scoped(piece.adds.path):
            # A path-scoped rule applies (.pgpass, .s3cfg ...): scan as `scan` does, with the
            # path, so the file rule and the generic rules it beats resolve the same way.
            self._scan_alone(piece)
            return
        self._batch.append(piece)
        self._batch_bytes += len(piece.text)
        if self._batch_bytes >= BATCH_BYTES:
            self._flush()

    def _flush(self) -> None:
        batch, self._batch, self._batch_bytes = self._batch, [], 0
        if not batch:
            return
        starts: list[int] = []
        line = 1
        for piece in batch:
            starts.append(line)
            line += piece.text.count(b"\n") + 2
        text = BATCH_SEPARATOR.join(p.text for p in batch).decode("utf-8", "replace")
        engine = self.engine
        matched: set[int] = set()  # batch lines a match touched
        for m in engine.scan(text, "", dense=True, fence=_FENCE):
            matched.update(range(m.line, m.end_line + 1))
            k = bisect.bisect_right(starts, m.line) - 1
            if k + 1 < len(starts) and m.end_line >= starts[k + 1] - 1:
                continue  # would cross into the next piece
            piece = batch[k]
            if piece.adds is not None and engine.skips_here(m.rule, piece.adds.path):
                continue  # a generic rule in a test fixture or translation catalog, as `scan` does
            self._place(piece, m, m.line - starts[k] + 1, m.end_line - starts[k] + 1)
        self._remember_clean(batch, starts, matched)

    def _remember_clean(self, batch: list[_Piece], starts: list[int], matched: set[int]) -> None:
        """Remember the lines of ``batch`` that stand alone and held no match (``_unseen``)."""
        clean = self._clean
        for piece, start in zip(batch, starts, strict=True):
            if piece.keys is None:
                continue
            for n, key in enumerate(piece.keys, start):
                if key is not None and n not in matched:
                    if len(clean) >= CLEAN_LIMIT:
                        clean.clear()
                    clean.add(key)

    def _scan_alone(self, piece: _Piece) -> None:
        """A piece scanned on its own (a path-scoped rule's file): keyword
        lines, like a batch, so Aho-Corasick finds the hits (``dense``), not the RE2 search
        over every keyword, whose automaton each process would otherwise build for itself."""
        path = piece.adds.path if piece.adds else MESSAGE_PATH
        for m in self.engine.scan(piece.text.decode("utf-8", "replace"), path, dense=True):
            self._place(piece, m, m.line, m.end_line)

    def _place(self, piece: _Piece, m: Match, line: int, end_line: int) -> None:
        adds = piece.adds
        if adds is None:
            self._record(piece.commit, piece.order, m, MESSAGE_PATH, line, end_line)
            return
        numbers = adds.numbers
        if piece.rows is not None:
            self._record(
                piece.commit,
                piece.order,
                m,
                adds.path,
                numbers[piece.rows[line - 1]],
                numbers[piece.rows[end_line - 1]],
            )
            return
        if piece.hi < len(adds.lines) and line > CHUNK_LINES:
            return  # the next slice sees it (and whole)
        self._record(
            piece.commit,
            piece.order,
            m,
            adds.path,
            numbers[piece.lo + line - 1],
            numbers[min(piece.lo + end_line, piece.hi) - 1],
        )

    def _rescan_blob(self, c: Commit, adds: FileAdds) -> None:
        """A diff that replaced only the body of a PEM key (``-U0`` shows no BEGIN/END lines):
        scan the whole file at that commit with the rules whose match spans lines
        (``Engine.spanning``; the others found what they find on the added lines already) and
        keep matches that touch the added lines."""
        if self._blobs is None:
            return
        data = self._blobs.get(c.sha, adds.raw_path)
        encoding = sniff_encoding(data[:SNIFF]) if data is not None else None
        if data is None or encoding is None:  # gone, or binary
            return
        added = set(adds.numbers)
        for m in self.engine.spanning().scan(data.decode(encoding, "replace"), adds.path):
            if any(n in added for n in range(m.line, m.end_line + 1)):
                self._record_reread(c, adds.path, m)

    def _rescan_decoded(self, c: Commit, adds: FileAdds) -> bool:
        """Notebooks and Kubernetes Secrets hide secrets behind JSON escapes and base64: read
        the file at that commit and decode it as ``scan`` does (``formats``), keeping matches
        on the added lines. True when it read a notebook's cells (``scan`` reads nothing else
        of a valid notebook)."""
        if self._blobs is None:
            return False
        from launchready.secrets import formats

        data = self._blobs.get(c.sha, adds.raw_path)
        if data is None or b"\0" in data[:SNIFF]:
            return False
        text = data.decode("utf-8", "replace")
        notebook = adds.path.lower().endswith(".ipynb")
        if notebook:
            located = formats.notebook_matches(self.engine, text, adds.path)
        elif formats.is_k8s_secret(text):
            located = formats.k8s_secret_matches(self.engine, text, adds.path)
        else:
            return False
        if located is None:  # a notebook that is not JSON: read as lines
            return False
        added = set(adds.numbers)
        for m, line, col in located:
            if line in added:
                self._record_reread(
                    c, adds.path, replace(m, line=line, column=col, end_line=line + m.end_line - m.line)
                )
        return notebook

    def _record_reread(self, c: Commit, path: str, m: Match) -> None:
        """Record ``m``, found by reading ``path`` at ``c`` again, unless that commit's file
        already gave that secret (its added lines, scanned in a batch, or another read)."""
        rec = self.result.records.get((self.rule_index[id(m.rule)], m.secret))
        if rec is None or (c.sha, path) not in rec.places:
            self._record(c, self.order, m, path, m.line, m.end_line)

    def _record(self, c: Commit, order: int, m: Match, path: str, line: int, end_line: int) -> None:
        if m.allowed or self.ignore.ignores(c.sha, path, line):
            self.result.suppressed += 1
            return
        idx = self.rule_index[id(m.rule)]
        key = (idx, m.secret)
        s = Sighting(
            idx, c.sha, c.time, order, c.author, c.date, path, line, m.column, end_line, m.end_column, m.line_text
        )
        rec = self.result.records.get(key)
        if rec is None:
            rec = self.result.records[key] = Record(m.secret, s)
            if self.on_new_secret is not None:
                self.on_new_secret(m.secret)
        elif rec.older(s):
            rec.first = s
        rec.occurrences += 1
        rec.commits.add(c.sha)
        rec.places.add((c.sha, path))
        rec.paths.add(path)
