"""Reading replies: JSON paths, the text of streamed replies in the common shapes, excerpts."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from launchready import redact
from launchready.journey.reply import excerpt, json_get, reply_text, sse_done

from .app import ChatApp, journey_config, write_config


def _sse(*events: Any) -> bytes:
    return b"".join(b"data: " + (e if isinstance(e, bytes) else json.dumps(e).encode()) + b"\n\n" for e in events)


def test_json_paths() -> None:
    doc = {"data": {"items": [{"id": "a1"}, {"id": 7}]}, "ok": True}
    assert json_get(doc, "data.items[1].id") == (True, 7)
    assert json_get(doc, "$.data.items.0.id") == (True, "a1")
    assert json_get(doc, "ok") == (True, True)
    assert json_get(doc, "data.items[2].id") == (False, None)
    assert json_get(doc, "data.missing") == (False, None)
    assert json_get([1], "a") == (False, None)


def test_reply_text_in_the_shapes_chat_apis_stream() -> None:
    openai = _sse(
        {"choices": [{"delta": {"role": "assistant"}}]},
        {"choices": [{"delta": {"content": "Hel"}}]},
        {"choices": [{"delta": {"content": "lo"}}]},
        b"[DONE]",
    )
    assert reply_text(openai, "sse") == "Hello" and sse_done(openai)
    anthropic = (
        b"event: content_block_delta\n"
        + _sse({"type": "content_block_delta", "delta": {"type": "text_delta", "text": "Hi"}})
        + b'event: message_stop\ndata: {"type": "message_stop"}\n\n'
    )
    assert reply_text(anthropic, "sse") == "Hi" and sse_done(anthropic)
    assert reply_text(b'0:"Hel"\n0:"lo"\ne:{"finishReason":"stop"}\nd:{"finishReason":"stop"}\n', "auto") == "Hello"
    assert reply_text(b'{"token": "a"}\n{"token": "b"}\n', "chunked") == "ab"  # newline-delimited JSON
    assert reply_text(b"plain words", "chunked") == "plain words"
    assert reply_text(b'{"reply": "whole"}', "auto") == "whole"
    assert reply_text(_sse(b"raw text", b"[DONE]"), "auto") == "raw text"
    assert reply_text(_sse({"choices": [{"delta": {}}]}, b"[DONE]"), "sse") == ""  # finished without text
    assert not sse_done(_sse({"choices": [{"delta": {"content": "x"}}]}) + b": ping\n\n")


def test_excerpt_masks_credentials_and_registered_values() -> None:
    captured, token, password = (secrets.token_hex(10) for _ in range(3))  # generated, never literals
    redact.remember(captured)
    body = json.dumps({"access_token": token, "user": {"password": password}, "note": f"{captured} here"})
    text = excerpt(body.encode())
    assert token not in text and password not in text and captured not in text
    assert '"access_token":"[redacted]"' in text and "here" in text
    assert len(excerpt(b"x" * 1000)) == 201


def test_a_stream_that_says_done_but_stays_open_passes_at_once(tmp_path: Path, run_cli: Any) -> None:
    with ChatApp(hold_open_s=5) as app:
        write_config(tmp_path / ".launchready.yml", journey_config(app.url, stream_limit_ms=3000))
        res = run_cli(["journey", "--json", str(tmp_path / "r.json")], tmp_path)
    report = json.loads((tmp_path / "r.json").read_text())
    assert res.code == 0, res.out + res.err
    assert report["checks"][3]["duration_ms"] < 1500  # read until data: [DONE], not until the close
