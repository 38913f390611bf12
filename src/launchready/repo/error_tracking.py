"""Error tracking: a server app with no error tracker initialised anywhere (whole-app rule).

A server entry point is a module that builds the app (``FastAPI()``, ``Flask()``,
``Starlette()``, Django settings or ``wsgi.py``/``asgi.py``, ``express()``, ``fastify()``,
``new Hono()``, ``new Koa()``) or a Next.js app (``next`` in package.json). A tracker counts
when it is *initialised* for the server: ``sentry_sdk.init``, ``Sentry.init`` (not from a
browser-only SDK or a ``*.client.*`` file), Bugsnag, Rollbar, Datadog (``ddtrace``,
``dd-trace``, ``ddtrace-run``), Honeybadger, or an OpenTelemetry exporter / SDK
(``opentelemetry-instrument``, ``@opentelemetry/sdk-node``, ``@vercel/otel``). Python is
read through its AST (source inside a string is neither an app nor a tracker); commented-out
JavaScript lines do not count. ``tracker_files(app)`` lists where one was found (the scorecard's
Monitoring row needs it).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo import pyast
from launchready.repo.checkers import AppContext, FileContext, Hit, app_check, rule

MISSING = rule(
    "repo.error-tracking-missing",
    Severity.LOW,
    "No error tracker is initialised in the server app: a crash at midnight reaches users before it reaches you",
    "Initialise an error tracker where the server starts (sentry_sdk.init / Sentry.init in "
    "instrumentation.ts, Bugsnag, Rollbar, Datadog ddtrace, Honeybadger or an OpenTelemetry "
    "exporter), with send_default_pii off, and alert on new errors.",
    scope="app",
)

# Python is read through its AST, so application source held in a string (a template, a test
# fixture) counts neither as an app nor as a tracker.
_PY_GATE = re.compile(r"sentry_sdk|bugsnag|rollbar|ddtrace|honeybadger|opentelemetry|azure_monitor|patch_all")
_PY_TRACKER_CALLS = frozenset(
    {
        "sentry_sdk.init",
        "bugsnag.configure",
        "rollbar.init",
        "honeybadger.configure",
        "ddtrace.patch_all",
        "ddtrace.patch",
        "configure_azure_monitor",
    }
)
_PY_TRACKER_IMPORTS = ("ddtrace.auto", "opentelemetry.exporter", "azure.monitor.opentelemetry")
_PY_TRACKER_SETTINGS = re.compile(r"^(honeybadger\.contrib\.\w+|rollbar\.contrib\.[\w.]+|bugsnag\.django\.[\w.]+)$")
_PY_APP_CLASSES = frozenset({"FastAPI", "Flask", "Starlette", "Quart", "Sanic"})
_PY_APP_WORDS = ("FastAPI", "Flask", "Starlette", "Quart", "Sanic", "INSTALLED_APPS", "_application")
_JS_TRACKER = re.compile(
    r"\bSentry\s*\.\s*init\s*\(|\bBugsnag\s*\.\s*start\s*\(|\bnew\s+Rollbar\s*\(|\bRollbar\s*\.\s*init\s*\(|"
    r"[\"']dd-trace(?:/init)?[\"']|\bHoneybadger\s*\.\s*configure\s*\(|"
    r"[\"']@opentelemetry/(?:exporter-[\w-]+|sdk-node|auto-instrumentations-node)[\"']|[\"']@vercel/otel[\"']"
)
_CMD_TRACKER = re.compile(r"\b(ddtrace-run|opentelemetry-instrument)\b")
_BROWSER_SDK = re.compile(r"[\"']@sentry/(?:browser|react|vue|angular|svelte|ember)[\"']|[\"']@bugsnag/browser[\"']")

_JS_APP = re.compile(r"=\s*(?:await\s+)?(?:express\s*\(\s*\)|fastify\s*\(|Fastify\s*\(|new\s+(?:Hono|Koa)\s*\()")
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


def _py_tracker(f: FileContext) -> bool:
    if not _PY_GATE.search(f.text):
        return False
    for n in f.nodes:
        if isinstance(n, ast.Call):
            if pyast.dotted(n.func) in _PY_TRACKER_CALLS or (
                pyast.last_name(n.func) == "patch_all" and "ddtrace" in f.text
            ):
                return True
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            mods = [a.name for a in n.names] if isinstance(n, ast.Import) else [n.module or ""]
            if any(m.startswith(_PY_TRACKER_IMPORTS) for m in mods):
                return True
        elif isinstance(n, ast.Constant) and isinstance(n.value, str) and _PY_TRACKER_SETTINGS.match(n.value):
            return True  # Django MIDDLEWARE / INSTALLED_APPS entries
    return False


def _py_entry(f: FileContext) -> tuple[int, str] | None:
    """The module-level statement that builds the app, or a Django project's settings/WSGI entry."""
    if f.tree is None:
        return None
    for stmt in f.tree.body:
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, ast.Call) and pyast.last_name(value.func) in _PY_APP_CLASSES:
            return stmt.lineno, "the app"
    if f.name in ("settings.py", "wsgi.py", "asgi.py") or "/settings/" in "/" + f.path.replace("\\", "/"):
        for stmt in f.tree.body:
            if not isinstance(stmt, ast.Assign):
                continue
            names = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
            wsgi = isinstance(stmt.value, ast.Call) and pyast.last_name(stmt.value.func) in (
                "get_wsgi_application",
                "get_asgi_application",
            )
            if "INSTALLED_APPS" in names or ("application" in names and wsgi):
                return stmt.lineno, "the Django project"
    return None


def tracker_files(app: AppContext) -> list[str]:
    """Files that initialise an error tracker for the server."""
    out = []
    for f in app.files:
        if f.kind == "py":
            found = _py_tracker(f)
        elif f.kind == "js":
            found = not _client_only(f) and _live_lines(f.text, _JS_TRACKER)
        else:
            found = (f.kind in ("dockerfile", "yaml") or f.name in ("Procfile", "package.json")) and bool(
                _CMD_TRACKER.search(f.text)
            )
        if found:
            out.append(f.path)
    return out


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def entry_points(app: AppContext) -> Iterator[tuple[str, int | None, str]]:
    """(path, line, what) for each place a server app is built, in path order."""
    for f in sorted(app.files, key=lambda f: f.path):
        if f.kind == "py":
            entry = _py_entry(f) if any(w in f.text for w in _PY_APP_WORDS) else None
            if entry is not None:
                yield f.path, entry[0], entry[1]
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
    yield Hit(
        MISSING,
        line,
        1 if line else None,
        f"No error tracker is initialised in the server app ({what}, {path}): errors in production go unseen",
        path=path,
        context="error-tracking",
    )
