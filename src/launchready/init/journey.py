"""The starter journey ``launchready init`` writes: the AI chat shape read from the code.

The app's routes (the repo checks' route finder: FastAPI/Flask decorators, Django urls.py,
Express, Next.js route files) give the signup, login and chat paths; the code tells how the
reply streams (server-sent events, or the Vercel AI SDK's stream) and whether login sets a
cookie or returns a token. Whatever cannot be read falls back to common paths, and the block
is written commented out: a starter to check and uncomment, never an active guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from launchready.init.detect import SKIP, Stack

MAX_FILES = 3000
MAX_BYTES = 512 * 1024
_SIGNUP = re.compile(r"sign[-_]?up|register|create[-_]?account", re.IGNORECASE)
_LOGIN = re.compile(r"log[-_]?in|sign[-_]?in|session|token", re.IGNORECASE)
_CHAT = re.compile(r"chat|completion|message|generate|ask|prompt", re.IGNORECASE)
_PARAM = re.compile(r"\{[^}]*\}|<[^>]*>|/:[^/]+|\[[^\]]*\]")
_SSE = re.compile(r"text/event-stream|EventSourceResponse|StreamingResponse|sse_starlette|ReadableStream")
_AI_SDK = re.compile(r"\bstreamText\b|toDataStreamResponse|toUIMessageStreamResponse|toTextStreamResponse")
_SETS_COOKIE = re.compile(
    r"set_cookie|\.cookie\(|cookies\(\)\.set|Set-Cookie|cookies\.set|login\(request", re.IGNORECASE
)


@dataclass(frozen=True)
class ChatShape:
    signup: str = "/api/auth/signup"
    login: str = "/api/auth/login"
    chat: str = "/api/chat"
    stream: str = "sse"  # sse | auto (the AI SDK's streams)
    session: str = "cookie"  # cookie | token
    ai_sdk: bool = False
    found: tuple[str, ...] = ()  # which of signup/login/chat came from the code


def _sources(root: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    stack = [root]
    while stack and len(out) < MAX_FILES:
        d = stack.pop()
        try:
            entries = sorted(d.iterdir())
        except OSError:
            continue
        for p in entries:
            if p.is_dir():
                if p.name not in SKIP and not p.name.startswith("."):
                    stack.append(p)
            elif p.suffix in (".py", ".js", ".ts", ".mjs", ".tsx", ".jsx") and not p.is_symlink():
                try:
                    if p.stat().st_size <= MAX_BYTES:
                        out.append((p.relative_to(root).as_posix(), p.read_text(encoding="utf-8", errors="replace")))
                except OSError:
                    continue
    return out


def detect_shape(root: Path, stacks: list[Stack]) -> ChatShape:
    """Read the app's routes and streaming style; fall back to common paths."""
    from launchready.repo.checkers import AppContext, FileContext, is_test_path
    from launchready.repo.routes import app_routes

    files = [(p, t) for p, t in _sources(root) if not is_test_path(p)]
    routes = app_routes(AppContext([FileContext(p, t) for p, t in files]))
    posts = [r for r in routes if r.mutating or r.methods == ("ANY",)]

    def pick(rx: re.Pattern[str], avoid: re.Pattern[str] | None = None) -> str | None:
        hits = [r for r in posts if (rx.search(r.url) or rx.search(r.handler)) and not (avoid and avoid.search(r.url))]
        hits.sort(key=lambda r: (bool(_PARAM.search(r.url)), len(r.url)))
        return _PARAM.sub("", hits[0].url).replace("//", "/") if hits else None

    signup = pick(_SIGNUP)
    login = pick(_LOGIN, _SIGNUP)
    chat = pick(_CHAT, re.compile("webhook", re.IGNORECASE))
    text = "\n".join(t for _, t in files)
    ai_sdk = bool(_AI_SDK.search(text))
    login_src = next((r.source for r in posts if login and r.url.startswith(login)), "")
    session = "cookie" if _SETS_COOKIE.search(login_src or text) or not login_src else "token"
    if (
        login_src
        and re.search(r"access_token|\"token\"|'token'|token:", login_src)
        and not _SETS_COOKIE.search(login_src)
    ):
        session = "token"
    found = tuple(n for n, v in (("signup", signup), ("login", login), ("chat", chat)) if v)
    default = ChatShape()
    if not chat and any(s.name == "Next.js" for s in stacks):
        chat = "/api/chat"
    return ChatShape(
        signup or default.signup,
        login or default.login,
        chat or default.chat,
        "auto" if ai_sdk else "sse",
        session,
        ai_sdk,
        found,
    )


def starter(shape: ChatShape) -> list[str]:
    """The commented ``journey:`` block for .launchready.yml."""
    how = (
        "read from your routes: " + ", ".join(shape.found)
        if shape.found
        else "common paths: check them against your app"
    )
    auth_header = (
        'Authorization: "Bearer {var: token}"' if shape.session == "token" else 'Cookie: "session={var: session}"'
    )
    capture = (
        "capture: {token: access_token}  # a JSON path in the login reply"
        if shape.session == "token"
        else "capture: {session: {cookie: session}}  # the session cookie login sets"
    )
    body = (
        '{messages: [{role: user, content: "Reply with the word pong."}]}'
        if shape.ai_sdk
        else '{message: "Reply with the word pong."}'
    )
    stream_note = "the AI SDK's stream" if shape.ai_sdk else "server-sent events"
    return [
        "# A synthetic new user, every 15 minutes (`launchready journey`; docs/journey.md):",
        f"# sign up, log in, chat and read the streamed reply. Paths are {how}.",
        "# Uncomment, check each path and body, then run `launchready journey --url URL --dry-run`.",
        "# journey:",
        "#   url: https://app.example.com/",
        "#   email_domain: example.com  # {email} is new every run; {password} is generated and redacted",
        "#   stream_latency_ms: 30000   # the model's reply must finish within this",
        "#   notify: {webhook_env: LR_JOURNEY_WEBHOOK}  # Slack/Discord/JSON: a message on each change",
        "#   steps:",
        "#     - name: signup",
        f"#       path: {shape.signup}",
        '#       json: {email: "{email}", password: "{password}"}',
        "#       expect: {status: [200, 201]}",
        "#     - name: login",
        f"#       path: {shape.login}",
        '#       json: {email: "{email}", password: "{password}"}',
        f"#       {capture}",
        "#     - name: chat",
        f"#       path: {shape.chat}",
        f"#       headers: {{{auth_header}}}",
        f"#       json: {body}",
        f"#       stream: {shape.stream}  # {stream_note}: read until done, must contain text",
        "#       expect: {reply_contains: pong}",
        "",
    ]
