"""Blobs -> findings: binary detection, decoding, large-file windows, the engine, suppression."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from launchready.model import Finding
from launchready.secrets.engine import Engine, to_finding
from launchready.secrets.sources import Blob

CHUNK = 4 * 1024 * 1024  # large files are scanned in windows of this many characters
OVERLAP = 16 * 1024


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    suppressed: int = 0
    files: int = 0
    bytes: int = 0
    skipped_binary: list[str] = field(default_factory=list)


def is_binary(data: bytes) -> bool:
    return b"\0" in data[:8192]


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def scan_text(engine: Engine, text: str, path: str, result: ScanResult) -> None:
    """Scan ``text`` in bounded windows so a huge file never builds huge intermediate state."""
    if len(text) <= CHUNK + OVERLAP:
        chunks = [(0, text)]
    else:
        chunks = []
        start = 0
        while start < len(text):
            chunks.append((start, text[start : start + CHUNK + OVERLAP]))
            start += CHUNK
    line_base = 0
    prev_start = 0
    for start, chunk in chunks:
        if start:
            line_base += text.count("\n", prev_start, start)
            prev_start = start
        for m in engine.scan(chunk, path):
            if start and m.start < OVERLAP and chunks.index((start, chunk)) > 0:
                # seen in the previous window's overlap
                pass
            if start and m.start < 0:
                continue
            if m.allowed:
                result.suppressed += 1
                continue
            if start and m.start >= CHUNK and (start + CHUNK) < len(text):
                continue  # the next window starts here and will see it whole
            result.findings.append(to_finding(m, path, line_offset=line_base))


def scan_blobs(engine: Engine, blobs: Iterable[Blob]) -> ScanResult:
    result = ScanResult()
    for blob in blobs:
        result.files += 1
        result.bytes += len(blob.data)
        if is_binary(blob.data):
            result.skipped_binary.append(blob.path)
            continue
        scan_text(engine, decode(blob.data), blob.path, result)
    return result
