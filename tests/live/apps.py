"""A whole deployed app on loopback (HTTPS site + plain-HTTP entry), good or flawed, plus
the ``.launchready.yml`` a team would write for it. Used by the CLI tests, the Action
end-to-end test and bench/bench_live.py."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from launchready.demo.keygen import KeyGen

from .site import CA, HOST, Request, Resp, Site, html, js, jsonr

ORIGIN_NOTE = "allowed origin is the site itself"


@dataclass
class App:
    https: Site
    http: Site
    ca: CA
    config: Path
    env: dict[str, str]
    secret: str  # the key shipped in the flawed bundle (to assert it never leaks)

    @property
    def resolves(self) -> list[str]:
        return [self.https.resolve, self.http.resolve]

    def net_args(self) -> list[str]:
        out = ["--ca-bundle", str(self.ca.path)]
        for r in self.resolves:
            out += ["--resolve", r]
        return out


class _Limiter:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.seen: dict[str, int] = {}
        self.lock = threading.Lock()

    def over(self, req: Request) -> bool:
        key = req.headers.get("authorization", "anon")
        with self.lock:
            self.seen[key] = self.seen.get(key, 0) + 1
            return self.seen[key] > self.limit


def _routes(flawed: bool, origin: str, tokens: tuple[str, str], secret: str, endpoints: int) -> dict[str, object]:
    a, _b = tokens
    chat_limit, login_limit = _Limiter(10), _Limiter(5)
    alice_chat = {
        "id": "c_71f3",
        "owner": "alice@example.test",
        "title": "Alice's launch plan",
        "body": "pricing draft v2",
    }

    def cors_headers(req: Request) -> list[tuple[str, str]]:
        o = req.headers.get("origin")
        if not o:
            return []
        if flawed:
            return [("Access-Control-Allow-Origin", o), ("Access-Control-Allow-Credentials", "true")]
        return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")] if o == origin else [("Vary", "Origin")]

    def chat(req: Request) -> Resp:
        h = cors_headers(req)
        if req.method == "OPTIONS":
            return Resp(
                204,
                b"",
                [
                    *h,
                    ("Access-Control-Allow-Methods", "*" if flawed else "POST"),
                    ("Access-Control-Allow-Headers", "*" if flawed else "content-type, authorization"),
                ],
            )
        if req.method != "POST":
            return jsonr({"error": "method not allowed"}, 405, h)
        if not flawed and chat_limit.over(req):
            return jsonr({"error": "rate limited"}, 429, [*h, ("Retry-After", "20"), ("RateLimit-Remaining", "0")])
        if flawed:
            try:
                return jsonr({"reply": json.loads(req.body)["message"].upper()}, 200, h)
            except Exception:
                return Resp(
                    500,
                    'Traceback (most recent call last):\n  File "/srv/app/chat.py", line 41, in chat\nKeyError',
                    [("Content-Type", "text/plain"), *h],
                )
        if req.headers.get("content-type", "").split(";")[0] != "application/json":
            return jsonr({"error": "use application/json"}, 415, h)
        if len(req.body) > 8192:
            return jsonr({"error": "too large"}, 413, h)
        try:
            data = json.loads(req.body)
        except ValueError:
            return jsonr({"error": "invalid JSON"}, 400, h)
        if not isinstance(data, dict) or not isinstance(data.get("message"), str):
            return jsonr({"error": "message must be a string"}, 422, h)
        return jsonr({"reply": "hello"}, 200, h)

    def login(req: Request) -> Resp:
        if not flawed and login_limit.over(req):
            return jsonr({"error": "too many attempts"}, 429, [("Retry-After", "60")])
        return jsonr({"error": "invalid credentials"}, 401)

    def chats(req: Request) -> Resp:
        auth = req.headers.get("authorization", "")
        if auth == f"Bearer {a}" or (flawed and auth):
            return jsonr(alice_chat)
        return jsonr({"error": "not found"}, 404 if auth else 401)

    page = '<!doctype html><html><head><script src="/assets/app.js"></script></head><body><div id="root"></div></body></html>'
    bundle = (
        f'const cfg = {{apiKey: "{secret}"}};\n//# sourceMappingURL=app.js.map\n'
        if flawed
        else "console.log('ready');\n"
    )
    routes: dict[str, object] = {
        "/": html(
            page,
            [
                (
                    "Set-Cookie",
                    "session=s" + "0" * 24 + ("; Path=/" if flawed else "; Path=/; Secure; HttpOnly; SameSite=Lax"),
                )
            ],
        ),
        "/assets/app.js": js(bundle),
        "/api/chat": chat,
        "/api/login": login,
        "/api/chats/c_71f3": chats,
        "/health": Resp(200, '{"ok": true}', [("Content-Type", "application/json")], delay=0.45 if flawed else 0.0),
    }
    for i in range(endpoints):
        routes[f"/api/items/{i}"] = jsonr({"item": i})
    if flawed:
        routes["/assets/app.js.map"] = Resp(
            200, '{"version":3,"sources":["src/app.ts"],"mappings":"AAAA"}', [("Content-Type", "application/json")]
        )
        routes["/.env"] = Resp(200, "NODE_ENV=production\nOPENAI_API_KEY=" + "x" * 12 + "\n")
    return routes


GOOD = [
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Content-Security-Policy", "default-src 'self'; script-src 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Server", "web"),
]
BAD = [("Server", "nginx/1.18.0"), ("X-Powered-By", "Express")]


def live_section(app_url: str, http_url: str, origin: str, endpoints: int = 0) -> dict[str, object]:
    extra = [f"/api/items/{i}" for i in range(endpoints)]
    return {
        "targets": [{"url": app_url, "http_url": http_url}],
        "allowed_origins": [origin],
        "identities": {"a": {"token_env": "LR_E2E_USER_A"}, "b": {"token_env": "LR_E2E_USER_B"}},
        "budget": {"requests": 600, "seconds": 60, "per_check": 40},
        "timeout": 3,
        "redirect": {"paths": ["/api/login"]},
        "cors": {"endpoints": [{"path": "/api/chat", "method": "POST"}, *extra[:3]]},
        "input": {
            "endpoints": [{"path": "/api/chat", "method": "POST", "body": {"message": "hi"}}],
            "max_body_bytes": 8192,
        },
        "ratelimit": {
            "endpoints": [
                {"path": "/api/chat", "method": "POST", "identity": "b", "limit": 10, "body": {"message": "hi"}},
                {
                    "path": "/api/login",
                    "method": "POST",
                    "kind": "login",
                    "limit": 5,
                    "body": {"email": "a@example.test", "password": "wrong"},
                },
            ]
        },
        "authz": {"resources": [{"path": "/api/chats/c_71f3", "markers": ["Alice's launch plan"]}]},
        "latency": {"endpoints": ["/health", *extra], "samples": 5, "threshold_ms": 300},
        "monitoring": {"health": "/health"},
    }


@contextmanager
def deployed(tmp: Path, flawed: bool, endpoints: int = 0, host: str = HOST) -> Iterator[App]:
    """``host``: the name in URLs and the certificate (``127.0.0.1`` needs no --resolve)."""
    kg = KeyGen(41)
    tokens = (kg.jwt({"sub": "alice"}), kg.jwt({"sub": "bob"}))
    secret = kg.openai_project()
    ca = CA(tmp)
    with ExitStack() as stack:
        https = stack.enter_context(Site(tls=ca.server_context(host), headers=BAD if flawed else GOOD, host=host))
        origin = https.origin
        https.routes.update(_routes(flawed, origin, tokens, secret, endpoints))  # type: ignore[arg-type]
        http = stack.enter_context(Site(host=host))
        if flawed:
            http.routes["/"] = html("plain")
            http.routes["/api/login"] = jsonr({"error": "invalid credentials"}, 401)
        else:
            http.default = lambda req: Resp(301, "", [("Location", f"https://{host}:{https.port}{req.path}")])
        config = tmp / ".launchready.yml"
        config.write_text(
            yaml.safe_dump(
                {"version": 1, "live": live_section(https.url, http.url, origin, endpoints)}, sort_keys=False
            )
        )
        env = {"LR_E2E_USER_A": tokens[0], "LR_E2E_USER_B": tokens[1]}
        yield App(https, http, ca, config, env, secret)
