"""The demo "AI chatbot" HTTP application: one handler, flawed or fixed.

Routes: ``/`` and ``/static/*`` (frontend), ``GET /health``, ``POST /api/signup``,
``POST /api/login``, ``POST /api/chat/stream`` (the reply as server-sent events),
``POST /api/chat`` (send), ``GET /api/chats/{id}`` (read by id), ``GET /api/history`` (the
slow one when flawed), ``POST /api/echo`` (JSON echo), ``POST /api/upload``, and ``/.env``.

Flawed: ``/health`` is only the frontend's HTML shell, any caller with a token reads any chat, no rate limits, CORS reflects any origin with
credentials, ``/.env`` is served, no HSTS or security headers, a key in the client bundle and
a source map, a 500 with a stack trace on malformed JSON and on every signup, ``/api/history`` takes ~650 ms, and
the plain-HTTP port serves the app. Fixed: each of those behaves as a launch-ready API should.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar
from urllib.parse import urlsplit

from launchready.demo import APP_HOST
from launchready.demo.frontend import BUNDLE_NAME, Frontend
from launchready.demo.values import DemoValues

CHAT_LIMIT = 10  # chat sends per identity per window (fixed)
LOGIN_LIMIT = 5  # failed logins per user per window before lockout (fixed)
WINDOW_S = 60
JSON_LIMIT = 64 * 1024  # bytes accepted by JSON endpoints (fixed)
UPLOAD_LIMIT = 1024 * 1024  # bytes accepted by /api/upload (fixed)
READ_CAP = 8 * 1024 * 1024  # never buffer more than this, flawed or not
SLOW_S = 0.65  # /api/history latency when flawed
STATUS_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo Chat status</title>'
    "</head><body><h1>Demo Chat status</h1><p>All systems operational.</p></body></html>\n"
)


@dataclass
class DemoState:
    fixed: bool
    values: DemoValues
    frontend: Frontend
    env_file: str  # what a flawed /.env serves
    https_port: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    chats: dict[str, dict[str, Any]] = field(default_factory=dict)
    hits: dict[str, list[float]] = field(default_factory=dict)
    requests: int = 0
    accounts: dict[str, str] = field(default_factory=dict)  # signed-up email -> password
    sessions: dict[str, str] = field(default_factory=dict)  # session token -> signed-up email

    def __post_init__(self) -> None:
        self.alice_chat = "c" + uuid.uuid4().hex[:12]
        self.chats[self.alice_chat] = {
            "id": self.alice_chat,
            "owner": "alice",
            "title": "Alice's launch plan",
            "messages": [
                {"role": "user", "content": "Draft the investor update: runway 14 months, churn 2.1%."},
                {"role": "assistant", "content": "Here is a draft for Alice's investor update..."},
            ],
        }

    @property
    def users(self) -> dict[str, str]:
        """bearer token -> user"""
        with self.lock:
            signed_up = dict(self.sessions)
        return {self.values.alice_token: "alice", self.values.bob_token: "bob", **signed_up}

    @property
    def allowed_origins(self) -> set[str]:
        return {f"https://{APP_HOST}:{self.https_port}", f"https://{APP_HOST}"}

    def limited(self, key: str, limit: int) -> bool:
        """Record a hit for ``key``; True when it is over ``limit`` in the window."""
        now = time.monotonic()
        with self.lock:
            recent = [t for t in self.hits.get(key, []) if now - t < WINDOW_S]
            recent.append(now)
            self.hits[key] = recent
            return len(recent) > limit


class DemoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: ClassVar[DemoState]
    tls: ClassVar[bool]
    server_version = "BaseHTTP/0.6"

    # -- plumbing ---------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the demo's own output is the report

    def version_string(self) -> str:
        if self.state.fixed:
            return "demo-chat"
        return super().version_string()  # "BaseHTTP/0.6 Python/3.x.y": version disclosure

    def _headers(self, status: int, ctype: str, length: int, extra: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        if self.state.fixed and self.tls:
            self.send_header("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
            self.send_header(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
            )
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        elif not self.state.fixed:
            self.send_header("X-Powered-By", "DemoChat/0.3.1 (Python)")
        for k, v in self._cors().items():
            self.send_header(k, v)
        for k, v in extra.items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _send(
        self, status: int, body: bytes | str, ctype: str = "application/json", extra: dict[str, str] | None = None
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self._headers(status, ctype, len(data), extra or {})
        if self.command != "HEAD":
            self.wfile.write(data)

    def _json(self, status: int, obj: Any, extra: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj), "application/json", extra)

    def _cors(self) -> dict[str, str]:
        origin = self.headers.get("Origin")
        if not origin or not urlsplit(self.path).path.startswith("/api/"):
            return {}
        if self.state.fixed:
            if origin not in self.state.allowed_origins:
                return {"Vary": "Origin"}
            return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true", "Vary": "Origin"}
        return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true"}

    def _body(self, limit: int) -> bytes | None:
        """Read the request body; None (and the connection closed) when over ``limit``."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _user(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return self.state.users.get(auth[7:].strip())
        cookie = self.headers.get("Cookie", "")
        for part in cookie.split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session":
                return self.state.users.get(value)
        return None

    def _caller_key(self) -> str:
        return self._user() or self.client_address[0]

    # -- dispatch ---------------------------------------------------------------------------
    def _dispatch(self) -> None:
        with self.state.lock:
            self.state.requests += 1
        path = urlsplit(self.path).path
        if not self.tls and self.state.fixed:
            host = (self.headers.get("Host") or APP_HOST).split(":")[0]
            self._body(0)
            self.close_connection = True
            self._send(301, "", "text/plain", {"Location": f"https://{host}:{self.state.https_port}{self.path}"})
            return
        try:
            self._route(self.command, path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    def _route(self, method: str, path: str) -> None:
        st = self.state
        if method == "OPTIONS":
            return self._preflight(path)
        if method in ("GET", "HEAD"):
            if path in ("/", "/index.html"):
                cookie = f"session_id={uuid.uuid4().hex}; Path=/"
                if st.fixed:
                    cookie += "; Secure; HttpOnly; SameSite=Lax"
                return self._send(200, st.frontend.index_html, "text/html; charset=utf-8", {"Set-Cookie": cookie})
            if path == f"/static/{BUNDLE_NAME}":
                return self._send(200, st.frontend.bundle_js, "application/javascript")
            if path == f"/static/{BUNDLE_NAME}.map" and st.frontend.source_map is not None:
                return self._send(200, st.frontend.source_map, "application/json")
            if path == "/health":
                if not st.fixed:  # no real health endpoint: the SPA shell answers every path
                    return self._send(200, st.frontend.index_html, "text/html; charset=utf-8")
                return self._json(200, {"status": "ok", "database": "ok"})
            if path == "/status":
                return self._send(200, STATUS_PAGE, "text/html; charset=utf-8")
            if path == "/.env" and not st.fixed:
                return self._send(200, st.env_file, "text/plain")
            if path.startswith("/api/chats/"):
                return self._read_chat(path.rsplit("/", 1)[1])
            if path == "/api/history":
                return self._history()
        if method == "POST":
            if path == "/api/signup":
                return self._signup()
            if path == "/api/login":
                return self._login()
            if path == "/api/chat/stream":
                return self._chat_stream()
            if path == "/api/chat":
                return self._chat()
            if path == "/api/echo":
                return self._echo()
            if path == "/api/upload":
                return self._upload()
        self._body(JSON_LIMIT)
        known = {
            "/",
            "/index.html",
            "/health",
            "/status",
            "/api/login",
            "/api/chat",
            "/api/echo",
            "/api/upload",
            "/api/history",
            "/api/signup",
            "/api/chat/stream",
        }
        if path in known or path.startswith("/api/chats/"):
            return self._json(405, {"error": "method not allowed"}, {"Allow": "GET, POST, OPTIONS"})
        return self._json(404, {"error": "not found"})

    # -- endpoints --------------------------------------------------------------------------
    def _preflight(self, path: str) -> None:
        st = self.state
        origin = self.headers.get("Origin")
        extra: dict[str, str] = {"Access-Control-Max-Age": "600"}
        if not path.startswith("/api/") or not origin:
            return self._send(204, b"", "text/plain")
        if st.fixed:
            if origin in st.allowed_origins:
                extra["Access-Control-Allow-Methods"] = "GET, POST"
                extra["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
        else:
            extra["Access-Control-Allow-Methods"] = (
                self.headers.get("Access-Control-Request-Method") or "GET, POST, PUT, DELETE, PATCH"
            )
            extra["Access-Control-Allow-Headers"] = self.headers.get("Access-Control-Request-Headers") or "*"
        self._send(204, b"", "text/plain", extra)

    def _parse_json(self, limit: int, required: dict[str, type]) -> dict[str, Any] | None:
        """Fixed: validate like a framework would (413/415/400/422). Flawed: trust the input."""
        st = self.state
        if not st.fixed:
            raw = self._body(READ_CAP) or b""
            try:
                data = json.loads(raw)
                for key in required:
                    data[key].strip()  # crashes on a wrong type: AttributeError -> 500
            except Exception:
                self._json_crash()
                return None
            return data if isinstance(data, dict) else {}
        raw_body = self._body(limit)
        if raw_body is None:
            self._json(413, {"error": f"body over {limit} bytes"})
            return None
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            self._json(415, {"error": "send application/json"})
            return None
        try:
            data = json.loads(raw_body)
        except ValueError:
            self._json(400, {"error": "malformed JSON"})
            return None
        if not isinstance(data, dict):
            self._json(422, {"error": "expected a JSON object"})
            return None
        for key, typ in required.items():
            if not isinstance(data.get(key), typ):
                self._json(422, {"error": f"'{key}' must be a {typ.__name__}"})
                return None
        return data

    def _json_crash(self) -> None:
        """The flawed app's unhandled exception: a 500 with the Python stack trace."""
        trace = traceback.format_exc()
        self.close_connection = True
        self._send(500, "Internal Server Error\n\n" + trace, "text/plain; charset=utf-8")

    def _login(self) -> None:
        st = self.state
        data = self._parse_json(JSON_LIMIT, {"username": str, "password": str})
        if data is None:
            return
        user = str(data.get("username", ""))
        if st.fixed and st.limited(f"login:{user}:{self.client_address[0]}", LOGIN_LIMIT):
            return self._json(429, {"error": "too many attempts"}, {"Retry-After": str(WINDOW_S)})
        if user == "alice" and data.get("password") == st.values.alice_password:
            cookie = f"session={st.values.alice_token}; Path=/"
            if st.fixed:
                cookie += "; Secure; HttpOnly; SameSite=Lax"
            return self._json(200, {"user": "alice"}, {"Set-Cookie": cookie})
        with st.lock:
            known = user in st.accounts and st.accounts[user] == data.get("password")
        if known:  # a user who signed up (the synthetic journey's)
            token = "demo_sess_" + secrets.token_urlsafe(24)
            with st.lock:
                st.sessions[token] = user
            cookie = f"session={token}; Path=/" + ("; Secure; HttpOnly; SameSite=Lax" if st.fixed else "")
            return self._json(200, {"user": user}, {"Set-Cookie": cookie})
        return self._json(401, {"error": "wrong username or password"})

    def _signup(self) -> None:
        """Fixed: creates the account. Flawed: the welcome email's SMTP call crashes the request."""
        st = self.state
        data = self._parse_json(JSON_LIMIT, {"email": str, "password": str})
        if data is None:
            return
        email, password = str(data.get("email", "")), str(data.get("password", ""))
        if not st.fixed:
            try:
                raise ConnectionRefusedError(
                    f"welcome email to {email}: SMTP relay localhost:25 refused the connection"
                )
            except ConnectionRefusedError:
                return self._json_crash()
        if "@" not in email or len(password) < 12:
            return self._json(422, {"error": "an email address and a password of 12+ characters"})
        with st.lock:
            if email in st.accounts:
                return self._json(409, {"error": "already signed up"})
            st.accounts[email] = password
        self._json(201, {"user": {"email": email}})

    def _chat_stream(self) -> None:
        """The chat reply as server-sent events (chunked), ending with ``data: [DONE]``."""
        self._body(JSON_LIMIT)
        if self._user() is None:
            return self._json(401, {"error": "sign in first"})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in self._cors().items():
            self.send_header(k, v)
        self.end_headers()
        for piece in ("Hi!", " The demo", " model", " says", " hello."):
            event = b"data: " + json.dumps({"choices": [{"delta": {"content": piece}}]}).encode() + b"\n\n"
            self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
        done = b"data: [DONE]\n\n"
        self.wfile.write(f"{len(done):x}\r\n".encode() + done + b"\r\n0\r\n\r\n")

    def _chat(self) -> None:
        st = self.state
        if st.fixed:
            if self._user() is None:
                self._body(JSON_LIMIT)
                return self._json(401, {"error": "sign in first"})
            if st.limited(f"chat:{self._caller_key()}", CHAT_LIMIT):
                self._body(JSON_LIMIT)
                return self._json(
                    429, {"error": "slow down"}, {"Retry-After": str(WINDOW_S), "RateLimit-Limit": str(CHAT_LIMIT)}
                )
        data = self._parse_json(JSON_LIMIT, {"message": str})
        if data is None:
            return
        owner = self._user() or "anonymous"
        chat_id = "c" + uuid.uuid4().hex[:12]
        with st.lock:
            st.chats[chat_id] = {
                "id": chat_id,
                "owner": owner,
                "title": "New chat",
                "messages": [{"role": "user", "content": str(data.get("message"))}],
            }
        self._json(201, {"id": chat_id, "reply": "Thanks! (the demo model is a placeholder)"})

    def _read_chat(self, chat_id: str) -> None:
        st = self.state
        user = self._user()
        if user is None:
            return self._json(401, {"error": "sign in first"})
        chat = st.chats.get(chat_id)
        if chat is None or (st.fixed and chat["owner"] != user):
            return self._json(404, {"error": "no such chat"})
        self._json(200, chat)  # flawed: any signed-in user reads any chat

    def _history(self) -> None:
        st = self.state
        user = self._user()
        if user is None:
            return self._json(401, {"error": "sign in first"})
        if not st.fixed:
            time.sleep(SLOW_S)  # an unindexed query over every chat
        mine = [{"id": c["id"], "title": c["title"]} for c in st.chats.values() if c["owner"] == user]
        self._json(200, {"chats": mine})

    def _echo(self) -> None:
        data = self._parse_json(JSON_LIMIT, {"message": str})
        if data is None:
            return
        self._json(200, {"echo": data.get("message")})

    def _upload(self) -> None:
        st = self.state
        if st.fixed and self._user() is None:
            self._body(0)
            return self._json(401, {"error": "sign in first"})
        body = self._body(UPLOAD_LIMIT if st.fixed else READ_CAP)
        if body is None:
            return self._json(413, {"error": f"uploads are limited to {UPLOAD_LIMIT} bytes"})
        self._json(201, {"bytes": len(body)})


def handler_class(state: DemoState, tls: bool) -> type[DemoHandler]:
    return type("DemoHandlerTLS" if tls else "DemoHandlerPlain", (DemoHandler,), {"state": state, "tls": tls})
