"""Reading responses for the journey: JSON paths, streamed replies (SSE, chunked), safe excerpts."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

from launchready import redact

_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")
_DONE = re.compile(rb"(?m)^(data:\s*\[DONE\]|event:\s*(done|end|message_stop|complete|completed|finish|finished))\s*$")
_TEXT_KEYS = ("content", "text", "delta", "token", "reply", "answer", "output", "response", "message", "completion")
_SENSITIVE = re.compile(
    r"(token|secret|password|passwd|session|cookie|api[_-]?key|authorization|credential)", re.IGNORECASE
)
_AI_SDK_LINE = re.compile(r'^[0-9a-z]:(".*")\s*$')


def json_get(doc: Any, path: str) -> tuple[bool, Any]:
    """``data.items[0].id`` (an optional leading ``$``) in a parsed JSON document."""
    cur = doc
    p = path[1:] if path.startswith("$") else path
    for m in _TOKEN.finditer(p):
        index, key = m.group(1), m.group(2)
        if index is not None or (key is not None and key.isdigit() and isinstance(cur, list)):
            i = int(index if index is not None else key)
            if not isinstance(cur, list) or i >= len(cur):
                return False, None
            cur = cur[i]
        else:
            if not isinstance(cur, dict) or key not in cur:
                return False, None
            cur = cur[key]
    return True, cur


def as_text(value: Any) -> str:
    """A JSON value as the text ``equals`` compares against (strings as they are)."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def sse_done(body: bytes) -> bool:
    """Has a server-sent event stream said it is finished (OpenAI ``[DONE]``, Anthropic ``message_stop``...)?"""
    return _DONE.search(body[-4096:]) is not None


def _text_of(doc: Any, depth: int = 0) -> str:
    """The generated text in one JSON event or reply, from the common shapes of chat APIs."""
    if depth > 4:
        return ""
    if isinstance(doc, str):
        return doc
    if isinstance(doc, list):
        return "".join(_text_of(x, depth + 1) for x in doc[:8])
    if not isinstance(doc, dict):
        return ""
    choices = doc.get("choices")
    if isinstance(choices, list) and choices:
        return _text_of(choices[0], depth + 1)
    for key in _TEXT_KEYS:
        if key in doc and isinstance(doc[key], (str, dict, list)):
            got = _text_of(doc[key], depth + 1)
            if got:
                return got
    return ""


def sse_events(body: bytes) -> list[str]:
    """The data of each server-sent event (multi-line data joined with newlines)."""
    events: list[str] = []
    data: list[str] = []
    for line in body.decode("utf-8", "replace").splitlines():
        if not line.strip():
            if data:
                events.append("\n".join(data))
                data = []
            continue
        if line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    if data:
        events.append("\n".join(data))
    return events


def reply_text(body: bytes, kind: str) -> str:
    """The model's reply in a streamed (``sse``/``chunked``) or whole response body."""
    if kind == "sse" or (kind == "auto" and b"data:" in body[:4096]):
        out = []
        for data in sse_events(body):
            if data.strip() == "[DONE]":
                continue
            try:
                out.append(_text_of(json.loads(data)))
            except ValueError:
                out.append(data)
        return "".join(out)
    text = body.decode("utf-8", "replace")
    try:
        return _text_of(json.loads(text))
    except ValueError:
        pass
    lines = text.splitlines()
    if lines and all(_AI_SDK_LINE.match(ln) or not ln.strip() or ln[:2] in ("d:", "e:", "f:") for ln in lines):
        parts = []
        for ln in lines:
            m = _AI_SDK_LINE.match(ln)
            if m and ln.startswith("0:"):
                with contextlib.suppress(ValueError):
                    parts.append(str(json.loads(m.group(1))))
        return "".join(parts)
    out = []
    for ln in lines:  # newline-delimited JSON (one event per line), else plain text
        try:
            out.append(_text_of(json.loads(ln)))
        except ValueError:
            return text
    return "".join(out)


def _mask(doc: Any, depth: int = 0) -> Any:
    if depth > 20:
        return "…"
    if isinstance(doc, dict):
        return {
            k: "[redacted]" if _SENSITIVE.search(str(k)) and isinstance(v, (str, int)) else _mask(v, depth + 1)
            for k, v in doc.items()
        }
    if isinstance(doc, list):
        return [_mask(v, depth + 1) for v in doc[:20]]
    return doc


def excerpt(body: bytes, limit: int = 200) -> str:
    """A short, redacted look at a response body for a failed step's evidence.

    JSON values under token/password/session-like keys are masked; every value registered
    for redaction (captures, generated passwords, environment values) is scrubbed.
    """
    text = body[:65536].decode("utf-8", "replace")
    with contextlib.suppress(ValueError):
        text = json.dumps(_mask(json.loads(text)), separators=(",", ":"))
    text = redact.scrub(text)
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")
