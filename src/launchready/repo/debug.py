"""Debug and production settings: debug modes, wildcard hosts and shipped source maps."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo import pyast
from launchready.repo.checkers import FileContext, Hit, all_of, any_of, file_check, rule

DJANGO_DEBUG = rule(
    "repo.debug-django",
    Severity.HIGH,
    "DEBUG = True in Django settings that are not dev/test-only: tracebacks, settings and SQL are shown to visitors",
    "Read DEBUG from the environment (DEBUG = os.environ.get('DJANGO_DEBUG') == '1') so it is "
    "off unless explicitly enabled, and run `manage.py check --deploy`.",
)
ALLOWED_HOSTS = rule(
    "repo.debug-allowed-hosts-wildcard",
    Severity.MEDIUM,
    "ALLOWED_HOSTS = ['*'] accepts any Host header (host-header poisoning of password-reset links and caches)",
    "List the production host names in ALLOWED_HOSTS (read them from the environment).",
)
SERVER_DEBUG = rule(
    "repo.debug-server",
    Severity.HIGH,
    "Flask/FastAPI debug mode enabled in application code: the debugger or tracebacks are exposed",
    "Remove debug=True (Flask's debugger allows remote code execution); enable it only from an "
    "environment variable in development.",
)
NEXT_SOURCEMAPS = rule(
    "repo.debug-sourcemaps-next",
    Severity.MEDIUM,
    "productionBrowserSourceMaps: true publishes the original front-end source next to the bundle",
    "Remove productionBrowserSourceMaps (default false) or upload source maps to your error "
    "tracker privately instead of serving them.",
)
VITE_SOURCEMAPS = rule(
    "repo.debug-sourcemaps-vite",
    Severity.MEDIUM,
    "Vite build.sourcemap is on: .map files with the original source are served with the app",
    "Set build.sourcemap to false (or 'hidden' and keep the .map files out of the deployed "
    "directory, uploading them to the error tracker).",
)

_DEV_NAME = re.compile(
    r"(^|[_\-./])(dev|devel|development|local|test|tests|testing|ci|example|sample)([_\-./]|$)", re.IGNORECASE
)


def is_dev_only(path: str) -> bool:
    """settings/dev.py, local_settings.py, settings_test.py, config/development.py ..."""
    p = path.replace("\\", "/")
    parts = p.split("/")
    return any(_DEV_NAME.search(x) for x in parts[-2:])


def is_django_settings(ctx: FileContext) -> bool:
    if ctx.name == "settings.py" or "/settings/" in "/" + ctx.path.replace("\\", "/"):
        return True
    return "INSTALLED_APPS" in ctx.text or "ROOT_URLCONF" in ctx.text


@file_check(
    {"py"},
    all_of(
        any_of("DEBUG", "ALLOWED_HOSTS"),
        any_of("INSTALLED_APPS", "ALLOWED_HOSTS", "MIDDLEWARE", "ROOT_URLCONF", "SECRET_KEY"),
    ),
    [DJANGO_DEBUG, ALLOWED_HOSTS],
)
def django_settings(ctx: FileContext) -> Iterator[Hit]:
    if not is_django_settings(ctx) or is_dev_only(ctx.path):
        return
    assigns = pyast.module_assigns(ctx.tree)
    stmt = assigns.get("DEBUG")
    if stmt is not None and pyast.is_true(stmt.value):
        yield Hit(DJANGO_DEBUG, stmt.lineno, stmt.col_offset + 1)
    hosts = assigns.get("ALLOWED_HOSTS")
    if hosts is not None:
        items = pyast.str_items(hosts.value)
        if items is not None and "*" in items:
            yield Hit(ALLOWED_HOSTS, hosts.lineno, hosts.col_offset + 1)


@file_check(
    {"py"},
    all_of(any_of("flask", "fastapi", "starlette", "uvicorn", "quart"), any_of("debug", "DEBUG")),
    [SERVER_DEBUG],
)
def server_debug(ctx: FileContext) -> Iterator[Hit]:
    if is_dev_only(ctx.path):
        return
    imports = pyast.imported_modules(ctx)
    if not imports & {"flask", "fastapi", "starlette", "uvicorn", "quart"}:
        return
    for n in ctx.nodes:
        if isinstance(n, ast.Call):
            fname = pyast.last_name(n.func)
            if fname in ("run", "FastAPI", "Flask", "Starlette", "Quart", "update") and pyast.is_true(
                pyast.kwarg(n, "debug")
            ):
                yield Hit(
                    SERVER_DEBUG,
                    n.lineno,
                    n.col_offset + 1,
                    f"{pyast.dotted(n.func) or fname}(debug=True) in application code",
                )
            elif fname == "update" and pyast.is_true(pyast.kwarg(n, "DEBUG")) and "config" in pyast.dotted(n.func):
                yield Hit(SERVER_DEBUG, n.lineno, n.col_offset + 1, "app.config DEBUG = True in application code")
        elif isinstance(n, ast.Assign) and pyast.is_true(n.value):
            for t in n.targets:
                if isinstance(t, ast.Attribute) and t.attr == "debug" and pyast.dotted(t.value).endswith("app"):
                    yield Hit(SERVER_DEBUG, n.lineno, n.col_offset + 1, "app.debug = True in application code")
                if (
                    isinstance(t, ast.Subscript)
                    and pyast.str_value(t.slice) == "DEBUG"
                    and pyast.dotted(t.value).endswith("config")
                ):
                    yield Hit(
                        SERVER_DEBUG, n.lineno, n.col_offset + 1, "app.config['DEBUG'] = True in application code"
                    )


def _is_config(ctx: FileContext, stem: str) -> bool:
    return ctx.name.startswith(stem + ".") and ctx.name.rsplit(".", 1)[-1] in ("js", "mjs", "cjs", "ts", "mts", "cts")


@file_check({"js"}, any_of("productionBrowserSourceMaps"), [NEXT_SOURCEMAPS])
def next_sourcemaps(ctx: FileContext) -> Iterator[Hit]:
    if not _is_config(ctx, "next.config"):
        return
    js = ctx.js
    for i, t in enumerate(js.toks):
        if (
            t.value == "productionBrowserSourceMaps"
            and t.kind in ("id", "str")
            and js.p(i + 1, ":")
            and js.span_true(i + 2, i + 3)
        ):
            yield Hit(NEXT_SOURCEMAPS, t.line, t.col)


@file_check({"js"}, any_of("sourcemap"), [VITE_SOURCEMAPS])
def vite_sourcemaps(ctx: FileContext) -> Iterator[Hit]:
    if not _is_config(ctx, "vite.config"):
        return
    js = ctx.js
    for i, t in enumerate(js.toks):
        if t.value == "sourcemap" and t.kind in ("id", "str") and js.p(i + 1, ":") and not js.is_property(i):
            v = js.tok(i + 2)
            if v is not None and ((v.is_id("true")) or (v.kind == "str" and v.value == "inline")):
                yield Hit(VITE_SOURCEMAPS, t.line, t.col)
