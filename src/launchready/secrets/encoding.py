"""Which codec a file's bytes are in: UTF-8, UTF-16 or UTF-32 (by BOM, or by the zero-byte
pattern of mostly-ASCII text), or binary. Shared by the scanner, the staged reader and
history, so all of them read the same files the same way."""

from __future__ import annotations

import codecs

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _zero_share(head: bytes, offset: int, step: int) -> float:
    picked = head[offset::step]
    return picked.count(0) / len(picked) if picked else 0.0


def _bomless_wide(head: bytes) -> str | None:
    """UTF-16/32 without a BOM, recognised by where the zero bytes of mostly-ASCII text fall
    (every second or every 2nd-4th byte), then confirmed by decoding the head strictly."""
    n = len(head)
    if n < 4:
        return None
    guesses: list[str] = []
    if n >= 8 and all(_zero_share(head, k, 4) > 0.9 for k in (1, 2, 3)) and _zero_share(head, 0, 4) < 0.1:
        guesses.append("utf-32-le")
    if n >= 8 and all(_zero_share(head, k, 4) > 0.9 for k in (0, 1, 2)) and _zero_share(head, 3, 4) < 0.1:
        guesses.append("utf-32-be")
    if _zero_share(head, 1, 2) > 0.6 and _zero_share(head, 0, 2) < 0.1:
        guesses.append("utf-16-le")
    if _zero_share(head, 0, 2) > 0.6 and _zero_share(head, 1, 2) < 0.1:
        guesses.append("utf-16-be")
    for enc in guesses:
        width = 4 if "32" in enc else 2
        sample = head[: n - n % width]
        if enc.startswith("utf-16") and len(sample) >= 2:
            # a surrogate pair may be cut at the end of the head
            last = sample[-2:] if enc.endswith("le") else sample[-2:][::-1]
            if 0xD8 <= last[1] <= 0xDB:
                sample = sample[:-2]
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\0" not in text:
            return enc
    return None


# How much of a file's start tells text from binary (every reader sniffs the same bytes), and
# what a file skipped as binary is listed with.
SNIFF = 8192
BINARY = "binary (NUL bytes in the first 8 KB, not UTF-16/32)"


def sniff_encoding(head: bytes) -> str | None:
    """The codec to read a file whose first bytes are ``head``, or None when it is binary.

    A BOM decides (UTF-8, UTF-16, UTF-32); else text without NUL bytes is UTF-8; else
    UTF-16/32 without a BOM is recognised by its zero-byte pattern; anything else with a NUL
    in its first 8 KB is binary."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    if b"\0" not in head[:SNIFF]:
        return "utf-8-sig"
    return _bomless_wide(head[:SNIFF])
