"""Structural validators: cheap offline checks that a candidate really is a key of its kind."""

from __future__ import annotations

import zlib

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = _B62[r] + out
    return out.rjust(width, "0")


def github_checksum(token: str) -> bool:
    """GitHub's new-format tokens end with a base62 CRC32 of the prefix+entropy part."""
    body, check = token[:-6], token[-6:]
    return _base62(zlib.crc32(body.encode()) & 0xFFFFFFFF, 6) == check


def github_checksum_append(body: str) -> str:
    """Build a correctly checksummed token (used by test-data generators)."""
    return body + _base62(zlib.crc32(body.encode()) & 0xFFFFFFFF, 6)
