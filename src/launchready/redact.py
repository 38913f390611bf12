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

import functools
import hashlib
import hmac
import os
import re
from collections.abc import Iterable

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
    if len(secret) >= _MIN_SCRUB_LEN:
        _seen.add(secret)


@functools.lru_cache(maxsize=1)
def _pattern(frozen: frozenset[str]) -> re.Pattern[str] | None:
    if not frozen:
        return None
    ordered = sorted(frozen, key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in ordered))


def scrub(text: str) -> str:
    """Replace every raw secret seen in this process with a redaction marker, and the
    credentials of any URL in ``text`` (see ``redact_url``)."""
    text = redact_url(text)
    pattern = _pattern(frozenset(_seen))
    if pattern is None:
        return text
    return pattern.sub(lambda m: f"[redacted #{secret_hash(m.group(0))[:6]}]", text)


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
