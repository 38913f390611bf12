"""The one way a config section is read: typed readers that raise a ``ConfigError`` naming
file:line and the key path, and never echo what the file says.

Every section of ``.launchready.yml`` (top level, ``rules``, custom rules, suppressions,
``live``, ``live.email``/``email``, ``journey``) is read by its own function through a
``Reader``::

    r = Reader(config.source)                            # the file and its line map
    live = r.mapping(config.live, "live", SECTION_KEYS)  # type + allowed keys
    timeout = r.number(live.get("timeout", 10), "live.timeout", 0.1)

A reader takes the raw value and its dotted key path (``live.targets.0.url``); the line is
looked up in the YAML line map (the nearest parent key that has one). Defaults are the
caller's ``.get(key, default)``.

A config may be a pull request's, and its values may be secrets (a password pasted where an
environment variable's name belongs) or carry workflow commands. So an error shows the key
path, the line and what was expected; of the value it says only what kind of thing it is
(``describe``: "a string of 23 characters", "a list", "a number"). An allowed set is named
in full, and a near miss is suggested from that set, never from the value. Keys are shown
(they are the path to the problem), except long or credential-shaped ones, shown by their
length (``shown_key``); ids and names likewise (``id_hint``, ``shown_name``). The error
handler also makes every printed line safe (``printable.safe``).

No YAML and nothing third-party here; ``config.py`` imports this module only when there is
a file to read, so a hook run without a config never loads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from launchready.errors import ConfigError
from launchready.model import Severity

# A key segment longer than this is shown by its length only (a key can be data too).
MAX_SHOWN_KEY = 64


def describe(value: Any) -> str:
    """What kind of value this is, never its content: safe in any error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        n = len(value)
        return "an empty string" if not value.strip() else f"a string of {n} character{'s' if n != 1 else ''}"
    if isinstance(value, list):
        n = len(value)
        return f"a list of {n} item{'s' if n != 1 else ''}"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


# Patterns are compiled on first use (``re`` caches them): only an error path needs them.
_NAME_LIKE = r"[a-z0-9]{1,20}(?:[._-][a-z0-9]{1,20}){0,8}"


def id_hint(value: Any) -> str:
    """A rule or check id as written when it has the shape of one (lower-case words of at
    most 20 characters joined by ``.``, ``-`` or ``_``: ``secret.stripe-secret-kye``), else
    ``describe(value)``: a token or a long hex string never has that shape."""
    if isinstance(value, str) and len(value) <= 64 and re.fullmatch(_NAME_LIKE, value):
        return repr(value)
    return describe(value)


_TOKEN_RUN = r"[A-Za-z0-9_+/=-]{16,}"


def token_shaped(text: str) -> bool:
    """Does ``text`` hold a run of 16+ token characters with at least 3 letters and 3 digits
    (``sk_live_4eC39...``, a hex digest)? Names people give keys and variables do not
    (``dkim_selectors``, ``X-Vercel-Protection-Bypass``, ``OPENAI_API_KEY_V2``)."""
    for m in re.finditer(_TOKEN_RUN, text):
        run = m.group(0)
        if sum(c.isdigit() for c in run) >= 3 and sum(c.isalpha() for c in run) >= 3:
            return True
    return False


def shown_name(name: str) -> str:
    """An environment variable's name (or any name a config gives) for a message: as
    written, unless it is shaped like a credential (a token pasted where a name belongs)."""
    if len(name) > MAX_SHOWN_KEY or token_shaped(name):
        return f"<a name of {len(name)} characters, shaped like a credential: not shown>"
    return name


def _segment(part: str) -> str:
    if len(part) > MAX_SHOWN_KEY or token_shaped(part):
        return f"<a key of {len(part)} characters>"
    return part


def shown_key(key: str) -> str:
    """``key`` for an error message: each segment as written (made printable by the error
    handler), except one too long to be a real key or shaped like a credential (a key can be
    data too: a token pasted as a key), shown by its length; the line points at it."""
    return ".".join(_segment(p) for p in key.split("."))


def suggest(value: Any, options: Iterable[str]) -> str:
    """``"; did you mean high?"`` when ``value`` is a near miss of one option, else "".
    Only an option is ever named (what the file says is not repeated)."""
    if not isinstance(value, str) or len(value) > 64:
        return ""
    import difflib  # only on the way to an error: the hook never pays for it

    close = difflib.get_close_matches(value.strip().lower(), [o.lower() for o in options], n=1, cutoff=0.6)
    if not close:
        return ""
    by_lower = {o.lower(): o for o in options}
    return f"; did you mean {by_lower[close[0]]}?"


def url_problem(s: str) -> str | None:
    """Why ``s`` is not an http(s) URL with a host and a valid port (None: it is one)."""
    try:
        parts = urlsplit(s)
    except ValueError:
        return "it cannot be parsed as a URL (an unclosed '[' around an IPv6 address?)"
    if parts.scheme not in ("http", "https"):
        return "it does not start with http:// or https://"
    try:
        _ = parts.port  # raises ValueError for a port out of range or not a number
    except ValueError:
        return "its port is not a number from 1 to 65535"
    if not parts.hostname:
        return "it has no host"
    return None


class Source:
    """Where a config came from: its path and the line of every key path
    (``"live.targets.0.url" -> 12``). A plain class: built on every error, imported by the hook."""

    __slots__ = ("lines", "path")

    def __init__(self, path: str | None = None, lines: dict[str, int] | None = None) -> None:
        self.path = path
        self.lines = lines if lines is not None else {}

    def line_of(self, key: str) -> int | None:
        """The line of ``key``, else of its nearest parent that has one."""
        line = self.lines.get(key)
        probe = key
        while line is None and "." in probe:
            probe = probe.rsplit(".", 1)[0]
            line = self.lines.get(probe)
        return line

    def error(self, key: str, problem: str) -> ConfigError:
        """A ConfigError pointing at ``key`` (dotted path) in this file."""
        return ConfigError(self.path or "<config>", self.line_of(key), shown_key(key), problem)


class Reader:
    """Typed readers over one config ``Source``; each raises ConfigError at its key."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def err(self, key: str, problem: str) -> ConfigError:
        return self.source.error(key, problem)

    # --- containers -------------------------------------------------------------------

    def mapping(
        self, value: Any, key: str, allowed: Iterable[str] | None = None, what: str = "must be a mapping"
    ) -> dict[str, Any]:
        """A mapping (None: empty) whose keys are all in ``allowed`` (when given)."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.err(key, f"{what} (got {describe(value)})")
        if allowed is not None:
            self.known_keys(value, key, allowed)
        return value

    def known_keys(self, value: Mapping[Any, Any], key: str, allowed: Iterable[str]) -> None:
        allowed = sorted(allowed)
        for k in value:
            if k not in allowed:
                where = f"{key}.{k}" if key else str(k)
                raise self.err(where, f"unknown key (allowed: {', '.join(allowed)}){suggest(k, allowed)}")

    def list_of(self, value: Any, key: str, what: str = "must be a list") -> list[Any]:
        """A list (None: empty)."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.err(key, f"{what} (got {describe(value)})")
        return value

    def strings(self, value: Any, key: str, what: str) -> list[str]:
        """A list of strings (None: empty); ``what`` says what the list holds."""
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.err(key, f"{what} (got {describe(value)})")
        for i, x in enumerate(value):
            if not isinstance(x, str):
                raise self.err(f"{key}.{i}", f"{what} (got {describe(x)})")
        return value

    # --- scalars ----------------------------------------------------------------------

    def string(self, value: Any, key: str) -> str:
        """A non-empty string, stripped."""
        if not isinstance(value, str) or not value.strip():
            raise self.err(key, f"must be a non-empty string (got {describe(value)})")
        return value.strip()

    def text(self, value: Any, key: str, what: str = "must be a string") -> str:
        """Any string, kept as written."""
        if not isinstance(value, str):
            raise self.err(key, f"{what} (got {describe(value)})")
        return value

    def url(self, value: Any, key: str) -> str:
        from launchready import redact

        s = self.string(value, key)
        redact.remember_url(s)
        why = url_problem(s)
        if why is not None:
            raise self.err(key, f"must be an http:// or https:// URL with a host: {why}")
        return s

    def number(
        self, value: Any, key: str, minimum: float = 0, integer: bool = False, maximum: float | None = None
    ) -> float:
        ok = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or value < minimum or (maximum is not None and value > maximum):
            kind = "an integer" if integer else "a number"
            bound = f">= {minimum:g}" if maximum is None else f"from {minimum:g} to {maximum:g}"
            got = "" if ok and not isinstance(value, bool) else f" (got {describe(value)})"
            raise self.err(key, f"must be {kind} {bound}{got}")
        return float(value)

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.err(key, f"must be true or false (got {describe(value)})")
        return value

    def choice(self, value: Any, key: str, options: Iterable[str], what: str = "must be one of") -> str:
        """One of ``options`` (compared as written); the error lists them all."""
        options = list(options)
        if not isinstance(value, str) or value not in options:
            raise self.err(key, f"{what} {', '.join(options)} (got {describe(value)}{suggest(value, options)})")
        return value

    def severity(self, value: Any, key: str) -> Severity:
        try:
            return Severity.parse(value) if isinstance(value, str) else Severity(value)
        except ValueError:
            choices = [s.value for s in Severity]
            raise self.err(
                key,
                f"unknown severity (choose from {', '.join(choices)}; got {describe(value)}{suggest(value, choices)})",
            ) from None

    def env_name(self, value: Any, key: str) -> str:
        s = self.string(value, key)
        if not s.replace("_", "").isalnum() or not s.isascii() or s[0].isdigit():
            raise self.err(
                key,
                "must name an environment variable (like LR_USER_A_TOKEN: letters, digits and _, not starting "
                f"with a digit; got {describe(s)}, not shown in case it is the secret itself)",
            )
        return s
