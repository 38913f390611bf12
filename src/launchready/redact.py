"""Redaction and fingerprints: the only place that turns a raw secret into something printable.

- ``fingerprint(rule_id, secret)``: rule id plus a keyed, salted, deliberately slow hash
  (scrypt), so a committed baseline cannot be brute-forced back into short passwords.
  Stable across machines and runs; set ``LAUNCHREADY_FINGERPRINT_KEY`` to key it per team.
- ``redact(secret, prefix, password_like)``: tokens show only their public prefix, the
  length and a short hash; passwords show no characters at all.
- ``scrub(text)``: last line of defence for logs and tracebacks. Every raw secret the
  engine sees in this process is remembered (in memory only) and replaced on the way out.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from typing import Any

_SALT = b"launchready/fingerprint/v1"
_seen: set[str] = set()
_MIN_SCRUB_LEN = 6


def _key() -> bytes:
    return os.environ.get("LAUNCHREADY_FINGERPRINT_KEY", "").encode()


_hashes: dict[str, str] = {}  # secret -> its hash, computed once per process


def secret_hash(secret: str) -> str:
    """A keyed scrypt hash of the secret (hex, 32 chars). Slow on purpose (~2-7 ms)."""
    known = _hashes.get(secret)
    if known is None:
        digest = hashlib.scrypt(
            secret.encode("utf-8", "surrogatepass"),
            salt=_SALT + b"/" + _key(),
            n=2**11,
            r=8,
            p=1,
            dklen=16,
        )
        known = _hashes[secret] = digest.hex()
    return known


def prehash(secrets: Iterable[str], min_count: int = 32) -> None:
    """Hash many secrets at once on every core (scrypt releases the GIL); few are not worth
    the threads, ``secret_hash`` computes those on demand."""
    todo = [s for s in set(secrets) if s not in _hashes]
    if len(todo) < min_count:
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for _ in pool.map(secret_hash, todo, chunksize=64):
            pass


def known_hashes(secrets: Iterable[str]) -> dict[str, str]:
    """The hashes this process computed for ``secrets`` (worker processes send them along)."""
    return {s: _hashes[s] for s in secrets if s in _hashes}


def preload_hashes(hashes: dict[str, str]) -> None:
    """Hashes computed by a worker process for this one's secrets."""
    _hashes.update(hashes)


def fingerprint(rule_id: str, secret: str) -> str:
    remember(secret)
    return f"{rule_id}:{secret_hash(secret)}"


def location_fingerprint(rule_id: str, *parts: str) -> str:
    """For findings without a secret value (repo checks, file-level findings)."""
    mac = hmac.new(_SALT + _key(), "\x00".join(parts).encode(), hashlib.sha256)
    return f"{rule_id}:{mac.hexdigest()[:32]}"


def redact(secret: str, prefix: str = "", password_like: bool = False) -> str:
    short = secret_hash(secret)[:6]
    remember(secret)
    if password_like or not prefix or not secret.startswith(prefix):
        if password_like:
            return f"[redacted #{short}]"
        return f"[redacted {len(secret)} chars #{short}]"
    return f"{prefix}…[{len(secret)} chars #{short}]"


def remember(secret: str) -> None:
    if len(secret) >= _MIN_SCRUB_LEN and secret not in _seen:
        _seen.add(secret)
        _matcher.add(secret)


class _Matcher:
    """Finds every remembered secret in a text in time linear in the text (plus the matches).

    Secrets are held in an Aho-Corasick automaton, rebuilt only when the secrets added since
    the last build are as many as those in it (so all rebuilds together cost linear time in
    the secrets), or when a large text needs scrubbing. Until then the newer ones are found
    through a dict keyed by their first ``_MIN_SCRUB_LEN`` characters: one lookup per text
    position, whatever the number of secrets. Replaces an alternation of every secret, which
    was recompiled per new secret (quadratic in the findings of one file)."""

    _LARGE = 4096  # texts at least this long rebuild the automaton first

    def __init__(self) -> None:
        self._automaton: Any = None
        self._built = 0
        self._pending: dict[str, list[str]] = {}
        self._npending = 0

    def add(self, secret: str) -> None:
        self._pending.setdefault(secret[:_MIN_SCRUB_LEN], []).append(secret)
        self._npending += 1
        if self._npending > max(64, self._built):
            self._rebuild()

    def _rebuild(self) -> None:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for secret in _seen:
            automaton.add_word(secret, len(secret))
        automaton.make_automaton()
        self._automaton, self._built = automaton, len(_seen)
        self._pending, self._npending = {}, 0

    def spans(self, text: str) -> list[tuple[int, int]]:
        """[start, end) of every occurrence of a remembered secret, sorted by start."""
        if self._npending and len(text) >= self._LARGE:
            self._rebuild()
        found: list[tuple[int, int]] = []
        if self._automaton is not None:
            found += [(end + 1 - n, end + 1) for end, n in self._automaton.iter(text)]
        if self._pending:
            pending, k = self._pending, _MIN_SCRUB_LEN
            for i in range(len(text) - k + 1):
                group = pending.get(text[i : i + k])
                if group is not None:
                    found += [(i, i + len(s)) for s in group if text.startswith(s, i)]
        found.sort(key=lambda span: (span[0], -span[1]))
        return found


_matcher = _Matcher()


def scrub(text: str) -> str:
    """Replace every raw secret seen in this process with a redaction marker. Overlapping
    occurrences are replaced together, so no part of any of them survives."""
    if not _seen or len(text) < _MIN_SCRUB_LEN:
        return text
    spans = _matcher.spans(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(spans):
        start, end = spans[i]
        markers = [text[start:end]]
        i += 1
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] > end:
                markers.append(text[spans[i][0] : spans[i][1]])
                end = spans[i][1]
            i += 1
        out.append(text[pos:start])
        out.append("".join(f"[redacted #{secret_hash(m)[:6]}]" for m in markers))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def redact_line(line: str, start: int, end: int, limit: int = 160) -> str:
    """A source line for display with [start, end) replaced, trimmed around the match."""
    shown = line[:start] + "[REDACTED]" + line[end:]
    if len(shown) > limit:
        lo = max(0, start - limit // 2)
        shown = ("…" if lo else "") + shown[lo : lo + limit] + "…"
    return scrub(shown.strip())
