"""Redaction and fingerprints: the only place that turns a raw secret into something printable.

- ``fingerprint(rule_id, secret)``: rule id plus a keyed, salted, deliberately slow hash
  (scrypt). The salt is per repository: the random ``salt`` a baseline file records, else
  one derived from the repository's root commits (``use_salt``/``set_salt_resolver``), so
  no hash can be precomputed for every user and the same password in two repositories
  has two fingerprints. Stable across machines and runs; ``LAUNCHREADY_FINGERPRINT_KEY``
  (a team secret kept out of the repository) is what stops a targeted offline guess.
- ``redact(secret, prefix, password_like)``: tokens show only their public prefix, the
  length and a short hash; passwords show no characters at all. The short hash is keyed
  by ``LAUNCHREADY_FINGERPRINT_KEY`` when it is set, else by a random key of this process,
  so a log never confirms a guess made offline.
- ``scrub(text)``: last line of defence for logs and tracebacks. Every raw secret the
  engine sees in this process is remembered (in memory only) and replaced on the way out.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_SALT = b"launchready/fingerprint/v1"  # shared by every user: only for v1 baselines
_seen: set[str] = set()
_MIN_SCRUB_LEN = 6
# Keys the short hash shown in output when no team key is set: random per process (forked
# history workers inherit it), so the same run's text, JSON and SARIF agree.
_RUN_KEY = os.urandom(16)

_salt: bytes | None = None
_salt_resolver: Callable[[], bytes] | None = None
_salt_pinned = False  # use_salt: the caller chose the salt for the whole run (the Action)
_salt_lock = threading.Lock()  # hashing threads ask at once: the resolver (git) runs once


def _key() -> bytes:
    return os.environ.get("LAUNCHREADY_FINGERPRINT_KEY", "").encode()


def use_salt(salt: bytes) -> None:
    """Fingerprints from now on use ``salt`` (a baseline's, or the repository's), whatever
    the commands' functions would pick for their own request (``salt_pinned``)."""
    global _salt, _salt_pinned
    if salt != _salt:
        _hashes.clear()
    _salt, _salt_pinned = salt, True


def set_salt_resolver(resolver: Callable[[], bytes] | None) -> None:
    """How to find the salt when the first fingerprint is needed (a hook with no finding
    never pays for it). Clears any salt set before."""
    global _salt, _salt_resolver, _salt_pinned
    _salt, _salt_resolver, _salt_pinned = None, resolver, False
    _hashes.clear()


def salt_pinned() -> bool:
    """True after ``use_salt`` (until ``set_salt_resolver``): the salt is the caller's."""
    return _salt_pinned


def baseline_salt(salt_hex: str | None) -> bytes:
    """The salt of a baseline file: its random ``salt`` (version 2) or the shared one (1).
    With a team key the key is what protects, and fingerprints use the one shared salt, so
    they compare across repositories (``launchready merge``/``audit``) and older keyed
    baselines still match."""
    if salt_hex is None or _key():
        return _SALT
    return b"launchready/fingerprint/v2/" + salt_hex.encode("ascii")


def repository_salt(root: Path | None) -> bytes:
    """Derived from the ids of the repository's root commits: the same in every clone, per
    repository (not secret: it stops precomputed tables, not a targeted guess). With a team
    key: the shared salt (see ``baseline_salt``)."""
    if root is None or _key():
        return _SALT
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-list", "--max-parents=0", "HEAD", "--"], capture_output=True, check=False
        )
    except OSError:
        return _SALT
    roots = sorted(out.stdout.split()) if out.returncode == 0 else []
    if not roots:
        return _SALT
    return b"launchready/fingerprint/repo/" + hashlib.sha256(b"\0".join(roots)).hexdigest().encode()


def current_salt() -> bytes:
    global _salt
    if _salt is None:
        with _salt_lock:
            if _salt is None:
                _salt = _salt_resolver() if _salt_resolver is not None else _SALT
    return _salt


_hashes: dict[str, str] = {}  # secret -> its hash, computed once per process


def secret_hash(secret: str) -> str:
    """A keyed scrypt hash of the secret (hex, 32 chars). Slow on purpose (~2-7 ms)."""
    known = _hashes.get(secret)
    if known is None:
        digest = hashlib.scrypt(
            secret.encode("utf-8", "surrogatepass"),
            salt=current_salt() + b"/" + _key(),
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

    current_salt()  # resolved once here (it may ask git), not by several threads at once
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


def short_hash(secret: str) -> str:
    """6 hex digits to tell findings apart in output. Keyed by the team key, else by this
    process's random key: never the fingerprint's prefix, so a log cannot confirm a guess."""
    key = _key() or _RUN_KEY
    return hmac.new(key, b"launchready/short/" + secret_hash(secret).encode(), hashlib.sha256).hexdigest()[:6]


def redact(secret: str, prefix: str = "", password_like: bool = False) -> str:
    short = short_hash(secret)
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
    """Replace every raw secret seen in this process with a redaction marker (overlapping
    occurrences together, so no part of any of them survives), and the credentials of any URL
    in ``text`` (see ``redact_url``)."""
    text = redact_url(text)
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
        out.append("".join(f"[redacted #{short_hash(m)}]" for m in markers))
        pos = end
    out.append(text[pos:])
    return "".join(out)


# ``scheme://user:password@`` (userinfo ends at the first '@' before any '/', '?' or '#');
# matched from the literal "://" so the scan stays fast on megabytes of report.
_USERINFO = re.compile(r"://([^/?#@\s\"'<>\\]+)@")
# Query (or fragment) parameters whose names say they carry a credential: token, key, sig,
# secret, password, auth, bypass (x-vercel-protection-bypass), session, credential, jwt, code.
_SECRET_PARAM = re.compile(
    r"(?i)([?&;#](?:[\w.\-\[\]]*?(?:token|key|sig|secret|passw|pwd|auth|bypass|session|credential|jwt)"
    r"[\w.\-\[\]]*|code|pass)=)([^&#\s\"'<>\\]+)"
)


def redact_url(text: str) -> str:
    """Credentials in URLs made unreadable: the userinfo (``http://admin:pw@host`` ->
    ``http://[redacted]@host``) and the values of secret-like query parameters
    (``?x-vercel-protection-bypass=...``, ``token=``, ``key=``, ``sig=`` ...). Works on a
    URL or on any text that contains URLs (messages, JSON, HTML, XML)."""
    if "=" not in text and "://" not in text:
        return text
    text = _USERINFO.sub(lambda m: m.group(0) if m.group(1) == "[redacted]" else "://[redacted]@", text)
    return _SECRET_PARAM.sub(lambda m: f"{m.group(1)}[redacted]" if m.group(2) != "[redacted]" else m.group(0), text)


def remember_url(url: str) -> None:
    """Remember the credentials in a URL (userinfo, secret-like parameter values) so that
    ``scrub`` also hides them where they appear decoded or out of their URL."""
    from urllib.parse import parse_qsl, unquote, urlsplit

    try:
        parts = urlsplit(url)
        password, user = parts.password, parts.username
    except ValueError:
        return
    for value in (password, user if password else None):
        if value:
            remember(unquote(value))
    for query in (parts.query, parts.fragment):
        for name, value in parse_qsl(query, keep_blank_values=False):
            if _SECRET_PARAM.search(f"?{name}=x"):
                remember(value)


def redact_line(line: str, start: int, end: int, limit: int = 160) -> str:
    """A source line for display with [start, end) replaced, trimmed around the match."""
    shown = line[:start] + "[REDACTED]" + line[end:]
    if len(shown) > limit:
        lo = max(0, start - limit // 2)
        shown = ("…" if lo else "") + shown[lo : lo + limit] + "…"
    return scrub(shown.strip())
