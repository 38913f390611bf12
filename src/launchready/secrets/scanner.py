"""Blobs -> findings: binary detection, decoding, large-file windows, the engine, suppression.

Large content is decoded incrementally and scanned in windows: window ``k`` accepts the
matches that START in ``[cut_k, cut_k + CHUNK)`` and sees ``BACK`` characters before that
range (so a match is found whole from its real start, never as a truncated tail) and
``OVERLAP`` after it (so a match that starts near the cut is seen to its end). Every match
is therefore reported exactly once, with the line and column it has in the whole file.
Memory stays bounded by about ``CHUNK + OVERLAP + BACK`` characters whatever the file size.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from launchready import redact
from launchready.model import Finding
from launchready.secrets import credfiles, formats
from launchready.secrets.encoding import BINARY, SNIFF, sniff_encoding
from launchready.secrets.engine import Engine, Match, to_finding
from launchready.secrets.sources import Blob

CHUNK = 4 * 1024 * 1024  # characters accepted per window
OVERLAP = 64 * 1024  # look-ahead past the cut: longer than any rule's match window
BACK = 4 * 1024  # look-behind before the cut: context for the leftmost match start
BLOCK = 1024 * 1024  # bytes read (and decoded) at a time
KEEP_TEXT_LIMIT = 1024 * 1024  # texts kept for whole-application repo checks

Transform = Callable[[Finding], Finding]


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    files: int = 0
    bytes: int = 0
    # (path, reason) for files that were not scanned: binary, unreadable
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # (path, text) of scanned text files, for ``repo.checks_for_app`` (when asked for)
    texts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def skipped_binary(self) -> list[str]:
        return [p for p, why in self.skipped if why.startswith("binary")]

    def merge(self, other: ScanResult) -> None:
        self.findings.extend(other.findings)
        self.suppressed += other.suppressed
        self.files += other.files
        self.bytes += other.bytes
        self.skipped.extend(other.skipped)
        self.texts.extend(other.texts)


@dataclass(frozen=True)
class ScanOptions:
    file_checks: bool = True  # run ``launchready.repo.checks_for_file`` on text files
    keep_texts: bool = False  # keep small texts in ``ScanResult.texts``
    disabled: frozenset[str] = frozenset()  # rule ids disabled by config (file-level rules)
    transform: Transform | None = None  # e.g. bundles escalate severity


def is_binary(data: bytes) -> bool:
    return sniff_encoding(data[:SNIFF]) is None


def decode(data: bytes, encoding: str = "utf-8-sig") -> str:
    """``encoding`` (a BOM dropped); invalid bytes become U+FFFD instead of failing the scan."""
    return data.decode(encoding, errors="replace")


def _decoded(pieces: Iterable[bytes], encoding: str = "utf-8-sig") -> Iterator[str]:
    dec = codecs.getincrementaldecoder(encoding)(errors="replace")
    for piece in pieces:
        text = dec.decode(piece)
        if text:
            yield text
    tail = dec.decode(b"", final=True)
    if tail:
        yield tail


def windowed_matches(engine: Engine, pieces: Iterable[str], path: str) -> Iterator[tuple[Match, int, int]]:
    """Every match in the concatenation of ``pieces`` as (match, line, column) of the whole text."""
    it = iter(pieces)
    buf = ""
    buf_abs = 0  # absolute offset of buf[0]
    buf_line = 1  # line number of buf[0]
    buf_col0 = 0  # characters between the start of that line and buf[0]
    cut = 0  # absolute offset where the accepted range of the current window starts
    eof = False
    while True:
        need = (cut - buf_abs) + CHUNK + OVERLAP
        parts = [buf]
        have = len(buf)
        while have < need and not eof:
            try:
                nxt = next(it)
            except StopIteration:
                eof = True
                break
            parts.append(nxt)
            have += len(nxt)
        buf = "".join(parts)
        last = eof and len(buf) <= need
        window = buf if last else buf[:need]
        lo = cut - buf_abs
        hi = len(window) if last else lo + CHUNK
        for m in engine.scan(window, path):
            if lo <= m.start < hi:
                col = m.column + (buf_col0 if m.line == 1 else 0)
                yield m, m.line + buf_line - 1, col
        if last:
            return
        cut += CHUNK
        drop = max(0, cut - BACK - buf_abs)
        dropped = buf[:drop]
        nl = dropped.rfind("\n")
        if nl >= 0:
            buf_line += dropped.count("\n")
            buf_col0 = drop - nl - 1
        else:
            buf_col0 += drop
        buf = buf[drop:]
        buf_abs += drop


def _finding(m: Match, path: str, line: int, column: int) -> Finding:
    f = to_finding(m, path)
    end_line = line + (m.end_line - m.line)
    end_column = m.end_column + (column - m.column if m.end_line == m.line else 0)
    return f.replace(line=line, column=column, end_line=end_line, end_column=end_column)


def _add(result: ScanResult, located: Iterable[tuple[Match, int, int]], path: str, transform: Transform | None) -> int:
    located = list(located)
    # Many distinct secrets in one file: hash them on every core first (scrypt releases the GIL)
    redact.prehash({m.secret for m, _, _ in located if not m.allowed})
    n = 0
    for m, line, col in located:
        n += 1
        if m.allowed:
            result.suppressed += 1
            continue
        f = _finding(m, path, line, col)
        result.findings.append(transform(f) if transform else f)
    return n


def scan_text(engine: Engine, text: str, path: str, result: ScanResult, transform: Transform | None = None) -> int:
    """Scan one decoded text (windowed when large); returns the number of matches (allowed too)."""
    located: Iterable[tuple[Match, int, int]]
    low = path.lower()  # as history reads them (``Collector``)
    if low.endswith(".ipynb"):
        nb = formats.notebook_matches(engine, text, path)
        if nb is not None:
            return _add(result, nb, path, transform)
    located = windowed_matches(engine, [text], path)
    n = _add(result, located, path, transform)
    if low.endswith((".yaml", ".yml")) and formats.is_k8s_secret(text):
        n += _add(result, formats.k8s_secret_matches(engine, text, path), path, transform)
    return n


def _file_checks(path: str, text: str, disabled: frozenset[str], result: ScanResult) -> list[Finding]:
    from launchready import repo  # the static checks live with their owner

    stats = repo.RepoStats()
    found = list(repo.checks_for_file(path, text, disabled=disabled, stats=stats))
    result.suppressed += stats.suppressed
    return found


def _digest(blob: Blob) -> str:
    try:
        return credfiles.content_digest(blob.pieces(BLOCK))
    except OSError:
        return credfiles.content_digest([blob.path.encode()])


def scan_blob(engine: Engine, blob: Blob, result: ScanResult, options: ScanOptions = ScanOptions()) -> None:
    by_name = credfiles.match_name(blob.path)
    if by_name is not None and by_name.id in options.disabled:
        by_name = None
    try:
        size = blob.size()
        head = blob.head()
    except OSError as exc:
        result.skipped.append((blob.path, f"unreadable: {exc.strerror or exc}"))
        if by_name is not None:
            result.findings.append(
                credfiles.file_finding(by_name, blob.path, credfiles.content_digest([blob.path.encode()]), binary=False)
            )
        return
    encoding = sniff_encoding(head)
    if encoding is None:
        if by_name is not None:
            result.files += 1
            result.bytes += size
            result.findings.append(credfiles.file_finding(by_name, blob.path, _digest(blob), binary=True))
        else:  # not read, so never counted as scanned
            result.skipped.append((blob.path, BINARY))
        return
    result.files += 1
    result.bytes += size
    transform = options.transform
    before = len(result.findings)
    try:
        if size <= CHUNK:
            text = decode(blob.read(), encoding)
            n = scan_text(engine, text, blob.path, result, transform)
            if options.file_checks:
                result.findings.extend(_file_checks(blob.path, text, options.disabled, result))
            if options.keep_texts and size <= KEEP_TEXT_LIMIT:
                result.texts.append((blob.path, text))
        else:
            located = windowed_matches(engine, _decoded(blob.pieces(BLOCK), encoding), blob.path)
            n = _add(result, located, blob.path, transform)
    except OSError as exc:
        result.files -= 1
        result.bytes -= size
        result.skipped.append((blob.path, f"unreadable: {exc.strerror or exc}"))
        return
    if by_name is not None and n == 0 and len(result.findings) == before and size > 0:
        result.findings.append(credfiles.file_finding(by_name, blob.path, _digest(blob), binary=False))


def scan_blobs(engine: Engine, blobs: Iterable[Blob], options: ScanOptions = ScanOptions()) -> ScanResult:
    result = ScanResult()
    for blob in blobs:
        scan_blob(engine, blob, result, options)
    return result
