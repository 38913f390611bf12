"""Error tracking: a server app with no error tracker initialised anywhere (whole-app rule).

A server entry point is a module that builds the app (``FastAPI()``, ``Flask()``,
``Starlette()``, Django settings or ``wsgi.py``/``asgi.py``, ``express()``, ``fastify()``,
``new Hono()``, ``new Koa()``) or a Next.js app (``next`` in package.json). A tracker counts
when it is *initialised* for the server: ``sentry_sdk.init``, ``Sentry.init`` (not from a
browser-only SDK or a ``*.client.*`` file), Bugsnag, Rollbar, Datadog (``ddtrace``,
``dd-trace``, ``ddtrace-run``), Honeybadger, or an OpenTelemetry exporter / SDK
(``opentelemetry-instrument``, ``@opentelemetry/sdk-node``, ``@vercel/otel``). Commented-out
lines do not count. ``tracker_files(app)`` lists where one was found (the scorecard's
Monitoring row needs it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo.registry import AppContext, FileContext, Hit, app_check, rule

MISSING = rule(
    "repo.error-tracking-missing",
    Severity.LOW,
    "No error tracker is initialised in the server app: a crash at midnight reaches users before it reaches you",
    "Initialise an error tracker where the server starts (sentry_sdk.init / Sentry.init in "
    "instrumentation.ts, Bugsnag, Rollbar, Datadog ddtrace, Honeybadger or an OpenTelemetry "
    "exporter), with send_default_pii off, and alert on new errors.",
    scope="app",
)

_PY_TRACKER = re.compile(
    r"\bsentry_sdk\s*\.\s*init\s*\(|\bbugsnag\s*\.\s*configure\s*\(|\brollbar\s*\.\s*init\s*\(|"
    r"\bimport\s+ddtrace\.auto\b|\bddtrace\b[^\n]*\bpatch(?:_all)?\b|\bpatch_all\s*\(|"
    r"\bhoneybadger\s*\.\s*configure\s*\(|\bopentelemetry\.exporter\b|\bconfigure_azure_monitor\s*\(|"
    r"[\"'](?:honeybadger\.contrib\.\w+|rollbar\.contrib\.[\w.]+|bugsnag\.django\.[\w.]+)[\"']"
)
_JS_TRACKER = re.compile(
    r"\bSentry\s*\.\s*init\s*\(|\bBugsnag\s*\.\s*start\s*\(|\bnew\s+Rollbar\s*\(|\bRollbar\s*\.\s*init\s*\(|"
    r"[\"']dd-trace(?:/init)?[\"']|\bHoneybadger\s*\.\s*configure\s*\(|"
    r"[\"']@opentelemetry/(?:exporter-[\w-]+|sdk-node|auto-instrumentations-node)[\"']|[\"']@vercel/otel[\"']"
)
_CMD_TRACKER = re.compile(r"\b(ddtrace-run|opentelemetry-instrument)\b")
_BROWSER_SDK = re.compile(r"[\"']@sentry/(?:browser|react|vue|angular|svelte|ember)[\"']|[\"']@bugsnag/browser[\"']")

_PY_APP = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?:[\w.]+\.)?(?:FastAPI|Flask|Starlette|Quart|Sanic)\s*\(", re.MULTILINE)
_JS_APP = re.compile(r"=\s*(?:await\s+)?(?:express\s*\(\s*\)|fastify\s*\(|Fastify\s*\(|new\s+(?:Hono|Koa)\s*\()")
_DJANGO_ENTRY = re.compile(r"^(INSTALLED_APPS\s*=|application\s*=\s*get_[aw]sgi_application\s*\()", re.MULTILINE)
_COMMENT = ("#", "//", "*", "/*")


def _live_lines(text: str, pattern: re.Pattern[str]) -> bool:
    """Does ``pattern`` match outside comment lines?"""
    for m in pattern.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if not text[start : m.start()].lstrip().startswith(_COMMENT):
            return True
    return False


def _client_only(f: FileContext) -> bool:
    low = f.path.replace("\\", "/").lower()
    if ".client." in f.name.lower() or "/client/" in "/" + low or "/components/" in "/" + low:
        return True
    head = f.text.lstrip()[:40]
    return head.startswith(("'use client'", '"use client"')) or bool(_BROWSER_SDK.search(f.text))


def tracker_files(app: AppContext) -> list[str]:
    """Files that initialise an error tracker for the server."""
    out = []
    for f in app.files:
        if (f.kind == "py" and _live_lines(f.text, _PY_TRACKER)) or (f.kind == "js" and not _client_only(f) and _live_lines(f.text, _JS_TRACKER)) or ((f.kind in ("dockerfile", "yaml") or f.name in ("Procfile", "package.json")) and _CMD_TRACKER.search(f.text)):
            out.append(f.path)
    return out


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def entry_points(app: AppContext) -> Iterator[tuple[str, int | None, str]]:
    """(path, line, what) for each place a server app is built, in path order."""
    for f in sorted(app.files, key=lambda f: f.path):
        if f.kind == "py":
            m = _PY_APP.search(f.text)
            if m:
                yield f.path, _line_of(f.text, m.start()), "the app"
                continue
            if f.name in ("settings.py", "wsgi.py", "asgi.py") or "/settings/" in "/" + f.path:
                d = _DJANGO_ENTRY.search(f.text)
                if d:
                    yield f.path, _line_of(f.text, d.start()), "the Django project"
        elif f.kind == "js" and not _client_only(f):
            m = _JS_APP.search(f.text)
            if m and _live_lines(f.text, _JS_APP):
                yield f.path, _line_of(f.text, m.start()), "the server"
        elif f.kind == "package" and re.search(r"\"next\"\s*:", f.text):
            configs = sorted(g.path for g in app.files if g.name.startswith("next.config."))
            yield (configs[0] if configs else f.path), None, "the Next.js app"


@app_check([MISSING])
def missing_error_tracker(app: AppContext) -> Iterator[Hit]:
    entry = next(entry_points(app), None)
    if entry is None or tracker_files(app):
        return
    path, line, what = entry
    yield Hit(MISSING, line, 1 if line else None,
              f"No error tracker is initialised in the server app ({what}, {path}): errors in production go unseen",
              path=path, context="error-tracking")  # fmt: skip
