"""A small AI chat app on loopback for the journey: sign up, log in (session cookie or
token), create a chat, send a message and read the streamed reply. ``broken`` picks one way
to break it; ``Receiver`` is a webhook endpoint that records what it is sent.

Used by tests/journey and bench/bench_journey.py. Real sockets, real HTTP/1.1 (chunked
transfer for the streamed replies); nothing is mocked.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

BROKEN = ("signup-500", "login-no-cookie", "reply-never-finishes", "reply-too-slow")
REPLY = ("Hello", " from", " the", " loopback", " model", ".")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class ChatApp:
    """``with ChatApp(broken=None) as app: app.url``; ``app.log`` lists (method, path) seen."""

    def __init__(
        self, broken: str | None = None, slow_s: float = 1.0, auth: str = "cookie", hold_open_s: float = 0.0
    ) -> None:
        assert broken is None or broken in BROKEN, broken
        self.broken = broken
        self.slow_s = slow_s
        self.auth = auth  # cookie | token
        self.hold_open_s = hold_open_s  # keep the stream open this long after `data: [DONE]`
        self.users: dict[str, str] = {}
        self.sessions: dict[str, str] = {}
        self.chats: dict[str, str] = {}
        self.log: list[tuple[str, str]] = []
        self.tokens: list[str] = []  # every session token handed out (to assert none leaks)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self._server: _Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> ChatApp:
        app = self

        class Handler(_Handler):
            state = app

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: ChatApp

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _read(self) -> dict[str, Any]:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            d = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return d if isinstance(d, dict) else {}

    def _user(self) -> str | None:
        st = self.state
        token = ""
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[7:]
        for part in (self.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "session":
                token = v
        with st.lock:
            return st.sessions.get(token)

    def do_GET(self) -> None:
        self.state.log.append(("GET", self.path))
        if self.path == "/health":
            return self._json(200, {"status": "ok"})
        self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        st = self.state
        st.log.append(("POST", self.path))
        body = self._read()
        if self.path == "/api/signup":
            if st.broken == "signup-500":
                return self._json(500, {"error": "database unavailable"})
            email, password = str(body.get("email", "")), str(body.get("password", ""))
            if "@" not in email or len(password) < 12:
                return self._json(422, {"error": "email and a 12+ character password"})
            with st.lock:
                if email in st.users:
                    return self._json(409, {"error": "already registered"})
                st.users[email] = password
            return self._json(201, {"user": {"id": uuid.uuid4().hex[:10], "email": email}})
        if self.path == "/api/login":
            email, password = str(body.get("email", "")), str(body.get("password", ""))
            with st.lock:
                ok = st.users.get(email) == password and password != ""
            if not ok:
                return self._json(401, {"error": "wrong email or password"})
            token = "sess_" + secrets.token_urlsafe(24)
            with st.lock:
                st.sessions[token] = email
                st.tokens.append(token)
            if st.auth == "token":
                return self._json(200, {"token": token, "user": email})
            headers = (
                {}
                if st.broken == "login-no-cookie"
                else {"Set-Cookie": f"session={token}; Path=/; HttpOnly; SameSite=Lax"}
            )
            return self._json(200, {"user": email}, headers)
        if self.path == "/api/chats":
            user = self._user()
            if user is None:
                return self._json(401, {"error": "sign in first"})
            chat_id = "c_" + uuid.uuid4().hex[:8]
            with st.lock:
                st.chats[chat_id] = user
            return self._json(201, {"id": chat_id, "title": "New chat"})
        if self.path.startswith("/api/chats/") and self.path.endswith("/messages"):
            chat_id = self.path.split("/")[3]
            user = self._user()
            if user is None or st.chats.get(chat_id) != user:
                return self._json(404 if user else 401, {"error": "no such chat"})
            return self._stream(sse=True)
        if self.path == "/api/complete":  # a plain chunked text stream (no SSE framing)
            if self._user() is None:
                return self._json(401, {"error": "sign in first"})
            return self._stream(sse=False)
        self._json(404, {"error": "not found"})

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _stream(self, sse: bool) -> None:
        st = self.state
        if st.broken == "reply-too-slow":
            st.stop.wait(st.slow_s)  # the model takes longer than the limit to answer at all
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream" if sse else "text/plain; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for piece in REPLY:
                if sse:
                    self._chunk(b"data: " + json.dumps({"choices": [{"delta": {"content": piece}}]}).encode() + b"\n\n")
                else:
                    self._chunk(piece.encode())
                time.sleep(0.005)
            if st.broken == "reply-never-finishes":
                while not st.stop.wait(0.05):  # keep-alive comments, never the end
                    self._chunk(b": ping\n\n" if sse else b" ")
                return
            if sse:
                self._chunk(b"data: [DONE]\n\n")
                st.stop.wait(st.hold_open_s)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:  # the client gave up
            self.close_connection = True


class Receiver:
    """A webhook endpoint on loopback that records every JSON body it is posted."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.bodies: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        self._server: _Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/T000/B000/journey"

    def __enter__(self) -> Receiver:
        rec = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                rec.raw.append(raw + b"\n" + str(self.headers).encode())
                rec.bodies.append(json.loads(raw))
                self.send_response(rec.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


def journey_config(url: str, stream_limit_ms: int = 3000, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The four-step journey a team would write for this app."""
    doc: dict[str, Any] = {
        "version": 1,
        "journey": {
            "url": url,
            "email_domain": "example.test",
            "latency_ms": 2000,
            "stream_latency_ms": stream_limit_ms,
            "steps": [
                {
                    "name": "signup",
                    "path": "/api/signup",
                    "json": {"email": "{email}", "password": "{password}"},
                    "expect": {"status": 201, "json": [{"path": "user.email", "equals": "{email}"}]},
                },
                {
                    "name": "login",
                    "path": "/api/login",
                    "json": {"email": "{email}", "password": "{password}"},
                    "expect": {"status": 200},
                    "capture": {"session": {"cookie": "session"}},
                },
                {
                    "name": "create-chat",
                    "path": "/api/chats",
                    "json": {"title": "journey {timestamp}"},
                    "headers": {"Cookie": "session={var: session}"},
                    "expect": {"status": 201, "json": ["id"]},
                    "capture": {"chat": {"json": "id", "secret": False}},
                },
                {
                    "name": "send-message",
                    "path": "/api/chats/{var: chat}/messages",
                    "json": {"message": "Say hello"},
                    "headers": {"Cookie": "session={var: session}"},
                    "stream": "sse",
                    "expect": {"reply_contains": "loopback"},
                },
            ],
        },
    }
    doc["journey"].update(extra or {})
    return doc


def write_config(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path
