"""Chat, upload and login routes in an application with no rate limiter anywhere (whole-app rule)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo import pyast
from launchready.repo.checkers import ALLOW_MARKER, AppContext, FileContext, Hit, app_check, rule
from launchready.repo.routes import app_routes

MISSING = rule(
    "repo.ratelimit-missing",
    Severity.MEDIUM,
    "Chat, upload or login route with no rate limiter anywhere in the application",
    "Add a rate limiter (slowapi, flask-limiter, django-ratelimit, express-rate-limit, "
    "@upstash/ratelimit) on these routes, or limit_req in the reverse proxy: an unthrottled "
    "model route is an open bill, an unthrottled login a password-guessing service.",
    scope="app",
)

SENSITIVE = re.compile(
    r"(chat|completion|generate|prompt|upload|login|log-in|signin|sign-in|sign_in|signup|sign-up|"
    r"sign_up|register|password|otp|token)",
    re.IGNORECASE,
)
_PY_LIMITERS = frozenset(
    {
        "slowapi",
        "flask_limiter",
        "django_ratelimit",
        "ratelimit",
        "fastapi_limiter",
        "limits",
        "ratelimiter",
        "axes",
        "starlette_limiter",
        "fastapi_rate_limiter",
    }
)
_PY_SETTINGS = ("DEFAULT_THROTTLE_RATES", "DEFAULT_THROTTLE_CLASSES")
_JS_LIMITERS = (
    "express-rate-limit",
    "rate-limiter-flexible",
    "@upstash/ratelimit",
    "express-slow-down",
    "express-brute",
    "@nestjs/throttler",
    "hono-rate-limiter",
    "@fastify/rate-limit",
    "koa-ratelimit",
    "next-rate-limit",
    "@arcjet/",
    "limiter",
)
_PROXY = re.compile(r"^\s*(limit_req\b|limit_req_zone\b|rate_limit\b|ratelimit\b|rateLimit:|rate-limit)", re.MULTILINE)


def _py_has_limiter(f: FileContext) -> bool:
    if not any(w in f.text for w in ("limit", "throttl", "axes", "THROTTLE")):
        return False
    if pyast.imported_modules(f) & _PY_LIMITERS:
        return True
    for n in f.nodes:
        if (
            isinstance(n, ast.Constant)
            and isinstance(n.value, str)
            and (
                n.value in _PY_SETTINGS or n.value.startswith(("django_ratelimit", "axes", "rest_framework.throttling"))
            )
        ):
            return True
        if isinstance(n, ast.Name) and n.id in _PY_SETTINGS:
            return True
    return False


def has_limiter(app: AppContext) -> bool:
    for f in app.files:
        if f.kind == "py" and _py_has_limiter(f):
            return True
        if (
            f.kind == "js"
            and ("limit" in f.text or "throttler" in f.text or "arcjet" in f.text)
            and any(t.value.startswith(_JS_LIMITERS) for t in f.js.strings())
        ):
            return True
        if f.kind == "proxy" and _PROXY.search(f.text):
            return True
        if f.kind == "yaml" and "rateLimit" in f.text and _PROXY.search(f.text):
            return True
    return False


@app_check([MISSING])
def missing_rate_limiter(app: AppContext) -> Iterator[Hit]:
    """One finding per application (the fix is one limiter, not one per route), at its first
    sensitive route, listing every one of them with its place. A route whose line carries
    ``launchready:allow`` is left out of the list (all of them: no finding)."""
    routes = [
        r
        for r in app_routes(app)
        if (r.mutating or "WEBSOCKET" in r.methods) and (SENSITIVE.search(r.url) or SENSITIVE.search(r.handler))
    ]
    routes = [r for r in routes if "webhook" not in r.url.lower() and "webhook" not in r.handler.lower()]
    if not routes or has_limiter(app):
        return
    routes.sort(key=lambda r: (r.path, r.line, r.column))
    by_path = {f.path: f for f in app.files}
    allowed = [r for r in routes if r.path in by_path and ALLOW_MARKER in by_path[r.path].line_text(r.line)]
    if len(allowed) == len(routes):  # reported at an allowed line: the runner counts it suppressed
        yield Hit(MISSING, routes[0].line, routes[0].column, path=routes[0].path)
        return
    routes = [r for r in routes if r not in allowed]
    listed = ", ".join(f"{r.label()} ({r.path}:{r.line})" for r in routes)
    first = routes[0]
    yield Hit(
        MISSING,
        first.line,
        first.column,
        f"{len(routes)} sensitive route(s) and no rate limiter anywhere in the application: {listed}",
        path=first.path,
    )
