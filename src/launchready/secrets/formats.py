"""Files whose secrets hide behind an encoding: Jupyter notebooks and Kubernetes Secrets.

- ``.ipynb``: cell sources and outputs are JSON string arrays; each cell is scanned as the
  text a person sees (escapes decoded, lines joined) and every match is reported at the
  line (and column) of the notebook file where that string sits.
- Kubernetes ``kind: Secret`` manifests: ``data:`` values are base64; each is decoded and
  scanned as ``KEY=value`` and reported at the line of the key in the manifest; a real value
  no rule names (a password under ``password:``) is reported as ``secret.kubernetes-secret``.

Both return ``(match, line, column)`` triples in file coordinates; the scanner redacts.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from launchready.secrets.engine import ALLOW_MARKERS, Engine, Match, public_jwt
from launchready.secrets.filters import (
    is_placeholder,
    public_by_design_name,
    public_by_design_value,
    shannon_entropy,
)

if TYPE_CHECKING:
    from launchready.secrets.rule import Rule

Located = tuple[Match, int, int]  # match, file line, file column (1-based)


_DECODER = json.JSONDecoder()


class _Locator:
    """Where successive strings of a notebook sit in its raw JSON text, in document order.

    Every string literal of the text is read once (by the JSON decoder) and indexed by its
    value, so each lookup is a dictionary hit and a bisection: a string written with unusual
    escaping (``\\/``, ``\\u0041``) is found as surely as any other, and a notebook of many
    of them costs no more than one without (a search of the rest of the text per string took
    30 s for a 0.9 MB notebook of such lines: a pull request could stall the check with one)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.pos = 0  # where the last string found ends: the next one is looked for after it
        self._starts: dict[str, list[int]] | None = None  # value -> where its literals start
        self._ends: dict[int, int] = {}  # literal start -> its end

    def _index(self) -> dict[str, list[int]]:
        if self._starts is None:
            starts: dict[str, list[int]] = {}
            raw, ends = self.raw, self._ends
            at = raw.find('"')
            while at >= 0:  # valid JSON (the caller parsed it): a quote outside strings opens one
                try:
                    value, end = _DECODER.raw_decode(raw, at)
                except ValueError:  # not JSON after all: what was read is what can be found
                    break
                starts.setdefault(value, []).append(at)
                ends[at] = end
                at = raw.find('"', end)
            self._starts = starts
        return self._starts

    def find(self, value: str) -> int | None:
        """Where the first literal of ``value`` after the last one found starts (its opening
        quote), or None when there is none."""
        starts = self._index().get(value)
        if not starts:
            return None
        k = bisect.bisect_left(starts, self.pos)
        if k == len(starts):
            return None
        at = starts[k]
        self.pos = self._ends[at]
        return at

    def offset(self, start: int, needle: str, value: str) -> int:
        """Where ``needle`` (part of ``value``, JSON-escaped) sits in ``value``'s literal that
        starts at ``start``: in the literal as written, else as the encoder would write it."""
        at = self.raw.find(needle, start, self._ends.get(start, start))
        if at >= 0:
            return at
        return start + max(json.dumps(value, ensure_ascii=False).find(needle), 0)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.raw.count("\n", 0, offset) + 1
        return line, offset - (self.raw.rfind("\n", 0, offset) + 1) + 1


def _as_lines(value: Any) -> list[str]:
    if isinstance(value, str):  # nbformat allows one string instead of a list of lines
        return [value] if value else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    if isinstance(value, dict):  # application/json outputs are objects
        return [json.dumps(value, ensure_ascii=False)]
    return []


_BINARY_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp")  # base64 pixels


def _as_json(value: Any) -> list[str]:
    """A metadata mapping as the indented JSON a person reads (``"key": "value"`` lines),
    so rules that look for a key name next to its value see both."""
    if not value:
        return []
    return [ln + "\n" for ln in json.dumps(value, ensure_ascii=False, indent=1, default=str).split("\n")]


Texts = Iterator[tuple[list[str], bool]]  # (lines, locate them in the raw file in order)


def _texts_of_output(out: dict[str, Any]) -> Texts:
    yield _as_lines(out.get("text")), True  # stream
    data = out.get("data")  # execute_result, display_data: every MIME type
    if isinstance(data, dict):
        for mime, value in data.items():
            if str(mime) not in _BINARY_MIMES:
                yield _as_lines(value), not isinstance(value, dict)
    for key in ("ename", "evalue"):  # error
        yield _as_lines(out.get(key)), True
    yield _as_lines(out.get("traceback")), True
    yield _as_json(out.get("metadata")), False


def _texts_of_cell(cell: dict[str, Any]) -> Texts:
    yield _as_lines(cell.get("source")), True
    outputs = cell.get("outputs")
    for out in outputs if isinstance(outputs, list) else []:  # a hostile notebook: "outputs": true
        if isinstance(out, dict):
            yield from _texts_of_output(out)
    yield _as_json(cell.get("metadata")), False
    attachments = cell.get("attachments")
    if isinstance(attachments, dict):
        for bundle in attachments.values():
            if isinstance(bundle, dict):
                for mime, value in bundle.items():
                    if str(mime) not in _BINARY_MIMES:
                        yield _as_lines(value), True


def notebook_matches(engine: Engine, raw: str, path: str) -> list[Located] | None:
    """Matches in a notebook in file coordinates, or None when it is not valid notebook JSON."""
    try:
        nb = json.loads(raw)
    except (ValueError, RecursionError):  # nested too deeply: scanned as plain text instead
        return None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None
    loc = _Locator(raw)
    found: list[Located] = []
    texts: list[tuple[list[str], bool]] = []  # (lines, found in the raw file in document order)
    for cell in nb["cells"]:
        if isinstance(cell, dict):
            texts.extend(_texts_of_cell(cell))
    texts.append((_as_json(nb.get("metadata")), False))  # kernelspec, widget state, anything a tool wrote
    for parts, locate in texts:
        if not parts:
            continue
        # Where each element starts in the raw file (None when it cannot be located; metadata
        # is re-serialised, so it is found by the secret's own text below).
        starts: list[int | None] = [loc.find(p) for p in parts] if locate else [None] * len(parts)
        text = "".join(parts)
        matches = engine.scan(text, path)
        if not matches:
            continue
        # element index of each text line: parts end with '\n' except maybe the last one
        line_elem: list[int] = []
        for i, p in enumerate(parts):
            line_elem.extend([i] * max(1, p.count("\n") + (0 if p.endswith("\n") else 1)))
        for m in matches:
            idx = line_elem[min(m.line - 1, len(line_elem) - 1)] if line_elem else 0
            needle = json.dumps(m.secret[:64], ensure_ascii=False)[1:-1]
            start = starts[idx]
            if start is not None:
                found.append((m, *loc.line_col(loc.offset(start, needle, parts[idx]))))
                continue
            # Not where we expected it (unusual escaping): never drop the finding.
            anywhere = raw.find(needle)
            if anywhere < 0:
                anywhere = next((s for s in starts if s is not None), 0)
            found.append((m, *loc.line_col(anywhere)))
    return found


_KIND_SECRET = re.compile(r"(?im)^[ \t]*kind:[ \t]*[\"']?secret[\"']?[ \t]*(?:#.*)?$")
# data keys that name something other than a secret (shown in clear in any manifest)
_PLAIN_KEY = re.compile(
    r"(?i)(?:^|[._-])(?:user(?:name)?|login|e?mail|host(?:name)?|port|url|uri|endpoint|server|database|db|dbname"
    r"|name|namespace|region|bucket|path|id|prefix|suffix|format|pattern|ttl|timeout|version|mode|level|size|limit"
    r"|ca\.crt|tls\.crt|[\w.-]*\.(?:crt|cer|pub))$"
)
_SECRET_KEY = re.compile(r"(?i)pass|pwd|secret|token|key|credential|auth|private|cookie|salt|seed|dsn|conn")
# where a service listens, with no login and no long path segment (`redis://redis-service:6379/0`,
# a Celery result backend's): an address, not a credential. A URL with a login is read by the
# rules (the probe), and a long random path segment still counts by its shape.
_PLAIN_URL = re.compile(r"^[a-z][a-z0-9+.-]*://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[\w.-]{0,15})*/?$")
_DOCKER_CONFIG_KEY = frozenset({".dockercfg", ".dockerconfigjson"})


def is_k8s_secret(text: str) -> bool:
    """A Kubernetes ``kind: Secret`` manifest (any case or quoting of the kind) with data."""
    return "data:" in text and _KIND_SECRET.search(text) is not None


def _k8s_docs(text: str) -> list[Any]:
    import yaml  # lazy: only manifests that look like Secrets pay for it

    for candidate in (
        text,
        text.replace("\t", "  "),
    ):  # tab-indented manifests (kubectl accepts no tabs, editors write them)
        try:
            return list(yaml.compose_all(candidate, Loader=yaml.SafeLoader))
        except (yaml.YAMLError, RecursionError):  # nested too deeply: scanned as plain text anyway
            continue
    return []


def _docker_config_secret(value: str) -> bool:
    """A ``.dockerconfigjson`` / ``.dockercfg`` value that holds a registry credential."""
    try:
        cfg = json.loads(value)
    except (ValueError, RecursionError):
        return False
    if not isinstance(cfg, dict):
        return False
    auths = cfg.get("auths", cfg)
    if not isinstance(auths, dict):
        return False
    for entry in auths.values():
        if isinstance(entry, dict):
            for field in ("auth", "password", "identitytoken"):
                v = entry.get(field)
                if isinstance(v, str) and v and not is_placeholder(v):
                    return True
    return False


def _k8s_value_is_secret(key: str, value: str) -> bool:
    """Is a Secret's decoded value a credential worth reporting by itself (no rule matched it)?"""
    if key in _DOCKER_CONFIG_KEY:
        return _docker_config_secret(value)
    v = value.strip()
    if "\n" in v or "-----BEGIN" in v or len(v) < 6 or _PLAIN_KEY.search(key) or is_placeholder(v):
        return False  # a file (scanned by the rules), a certificate, a short or plain setting
    if public_by_design_name(key) or public_by_design_value(v) or public_jwt(v):
        return False  # a browser key, an anon JWT, a publishable key: public wherever it is kept
    if _PLAIN_URL.match(v):
        return False
    return _SECRET_KEY.search(key) is not None or (len(v) >= 12 and shannon_entropy(v) >= 3.0)


def kubernetes_secret_rule() -> Rule:
    """``secret.kubernetes-secret``: what a Secret's decoded value no rule names is reported as
    (a file rule, not one of the engine's)."""
    from launchready.secrets.credfiles import FILE_RULES

    return next(r for r in FILE_RULES if r.id == "secret.kubernetes-secret")


def k8s_secret_matches(engine: Engine, text: str, path: str) -> list[Located]:
    """Matches inside ``data:`` (base64) values of ``kind: Secret`` documents: each value is decoded and scanned as ``KEY=value``; a value no rule names is
    still reported (``secret.kubernetes-secret``) when it is a credential by its key or shape."""
    import yaml

    rule = kubernetes_secret_rule()

    found: list[Located] = []
    lines = text.splitlines()
    for doc in _k8s_docs(text):
        if not isinstance(doc, yaml.MappingNode):
            continue
        fields = {k.value: v for k, v in doc.value if isinstance(k, yaml.ScalarNode)}
        kind = fields.get("kind")
        if not (isinstance(kind, yaml.ScalarNode) and str(kind.value).lower() == "secret"):
            continue
        # (``stringData`` values are plain text: the scan of the manifest itself reads them)
        data = fields.get("data")
        if not isinstance(data, yaml.MappingNode):
            continue
        for knode, vnode in data.value:
            if not (isinstance(knode, yaml.ScalarNode) and isinstance(vnode, yaml.ScalarNode)):
                continue
            raw = "".join(str(vnode.value).split())
            try:
                decoded = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                continue
            if b"\0" in decoded:
                continue
            value = decoded.decode("utf-8", errors="replace")
            key = str(knode.value)
            probe = value if "\n" in value.strip() else f"{key}={value}"
            line, col = knode.start_mark.line + 1, knode.start_mark.column + 1
            # the inline allow marker of the manifest line still counts
            marker_line = lines[line - 1] if line - 1 < len(lines) else ""
            marked = any(a in marker_line for a in ALLOW_MARKERS)
            matches = engine.scan(probe, path)
            for m in matches:
                found.append((replace(m, allowed=m.allowed or marked), line, col))
            if not matches and raw and _k8s_value_is_secret(key, value):
                vline, vcol = vnode.start_mark.line + 1, vnode.start_mark.column + 1
                m = Match(rule, raw, 0, len(raw), 1, 1, 1, len(raw) + 1, marker_line, marked)
                found.append((m, vline, vcol))
    return found
