"""Session and auth cookies without Secure/HttpOnly (Django, Flask, Starlette, Express)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo import pyast
from launchready.repo.checkers import (
    AppContext,
    FileContext,
    Hit,
    all_of,
    any_of,
    app_check,
    file_check,
    matches,
    rule,
)
from launchready.repo.debug import is_dev_only, is_django_settings

COOKIE_INSECURE = rule(
    "repo.auth-cookie-insecure",
    Severity.MEDIUM,
    "Session or auth cookie configured without Secure/HttpOnly (or with SameSite=None and no Secure)",
    "Set Secure and HttpOnly on session and token cookies (Django SESSION_COOKIE_SECURE = True, "
    "Flask SESSION_COOKIE_SECURE=True, express-session cookie: { secure: true, httpOnly: true, "
    "sameSite: 'lax' }, set_cookie(..., secure=True, httponly=True)).",
    scope="file+app",
)
_FLAGS_FALSE = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "REMEMBER_COOKIE_SECURE",
    "REMEMBER_COOKIE_HTTPONLY",
)
_SAMESITE = ("SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE")
_AUTH_COOKIE = re.compile(r"(session|sess|sid|token|auth|jwt|refresh|remember|login)", re.IGNORECASE)


def _setting_hits(name: str, value: ast.AST, node: ast.AST) -> Iterator[Hit]:
    line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1
    if name in _FLAGS_FALSE and pyast.is_false(value):
        yield Hit(COOKIE_INSECURE, line, col, f"{name} = False: the session cookie is sent without that protection")
    if name in _SAMESITE and pyast.str_value(value) in ("None", "none"):
        yield Hit(COOKIE_INSECURE, line, col, f"{name} = 'None': the cookie is sent on cross-site requests")


@file_check(
    {"py"},
    all_of(
        any_of("COOKIE_", "set_cookie("),
        matches(r"COOKIE_(?:SECURE|HTTPONLY|SAMESITE)|set_cookie\(\s*(?:key\s*=\s*)?[rbuf]?[\"']"),
    ),
    [COOKIE_INSECURE],
)
def cookies_python(ctx: FileContext) -> Iterator[Hit]:
    if is_dev_only(ctx.path):
        return
    for n in ctx.nodes:
        if isinstance(n, (ast.Assign, ast.AnnAssign)):
            targets = n.targets if isinstance(n, ast.Assign) else [n.target]
            for t in targets:
                name = (
                    t.id
                    if isinstance(t, ast.Name)
                    else pyast.str_value(t.slice)
                    if isinstance(t, ast.Subscript)
                    else None
                )
                if name and n.value is not None:
                    yield from _setting_hits(name, n.value, n)
        elif isinstance(n, ast.Call):
            fname = pyast.last_name(n.func)
            if fname == "update" and "config" in pyast.dotted(n.func):
                for kw in n.keywords:
                    if kw.arg:
                        yield from _setting_hits(kw.arg, kw.value, kw.value)
            elif fname == "set_cookie":
                key = pyast.kwarg(n, "key") or (n.args[0] if n.args else None)
                cname = pyast.str_value(key)
                if cname is None or not _AUTH_COOKIE.search(cname):
                    continue
                missing = [f for f in ("secure", "httponly") if not pyast.is_true(pyast.kwarg(n, f))]
                if missing:
                    yield Hit(
                        COOKIE_INSECURE,
                        n.lineno,
                        n.col_offset + 1,
                        f"cookie {cname!r} set without {' and '.join(m + '=True' for m in missing)}",
                    )


@app_check([COOKIE_INSECURE])
def django_session_secure_absent(app: AppContext) -> Iterator[Hit]:
    """Django sets SESSION_COOKIE_SECURE = False by default: production settings must turn it on."""
    settings = [f for f in app.of_kind("py") if "INSTALLED_APPS" in f.text and is_django_settings(f)]
    if not settings or any("SESSION_COOKIE_SECURE" in f.text for f in app.of_kind("py")):
        return
    for f in settings:
        if is_dev_only(f.path):
            continue
        stmt = pyast.module_assigns(f.tree).get("INSTALLED_APPS")
        if stmt is None or not isinstance(stmt.value, (ast.List, ast.Tuple)):
            continue
        for elt in stmt.value.elts:
            if pyast.str_value(elt) == "django.contrib.sessions":
                yield Hit(
                    COOKIE_INSECURE,
                    elt.lineno,
                    elt.col_offset + 1,
                    "Django sessions are enabled but SESSION_COOKIE_SECURE is never set (default False)",
                    path=f.path,
                )


# -- Express: express-session, cookie-session, res.cookie -------------------------------------------


@file_check({"js"}, any_of("express-session", "cookie-session", ".cookie("), [COOKIE_INSECURE])
def cookies_express(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.js
    for module, nested in (("express-session", True), ("cookie-session", False)):
        names = js.imports_of(module)
        for i, open_idx in js.calls(frozenset(names)):
            if js.is_property(i):
                continue
            t = js.toks[i]
            args = js.args(open_idx)
            brace = js.object_at(*args[0]) if args else None
            props = js.props(brace) if brace is not None else {}
            if nested:
                cookie = props.get("cookie")
                cbrace = js.object_at(cookie.start, cookie.end) if cookie is not None else None
                if cbrace is None:
                    if cookie is None:
                        yield Hit(
                            COOKIE_INSECURE,
                            t.line,
                            t.col,
                            f"{module} without a cookie option: the session cookie is not Secure",
                        )
                    continue
                props = js.props(cbrace)
            yield from _js_cookie_opts(ctx, props, t.line, t.col, module)
    for i, open_idx in js.calls(frozenset({"cookie"})):
        if not js.is_property(i):
            continue
        args = js.args(open_idx)
        if not args or js.toks[args[0][0]].kind != "str" or not _AUTH_COOKIE.search(js.toks[args[0][0]].value):
            continue
        t = js.toks[i]
        opts = js.object_at(*args[2]) if len(args) >= 3 else None
        props = js.props(opts) if opts is not None else {}
        yield from _js_cookie_opts(
            ctx, props, t.line, t.col, f"cookie {js.toks[args[0][0]].value!r}", require_httponly=True
        )


def _js_cookie_opts(
    ctx: FileContext, props: dict[str, object], line: int, col: int, what: str, require_httponly: bool = False
) -> Iterator[Hit]:
    from launchready.repo.jstokens import Prop

    js = ctx.js
    problems = []
    secure = props.get("secure")
    if not isinstance(secure, Prop) or js.span_false(secure.start, secure.end):
        problems.append("secure is not set" if secure is None else "secure: false")
    http_only = props.get("httpOnly")
    if isinstance(http_only, Prop) and js.span_false(http_only.start, http_only.end):
        problems.append("httpOnly: false")
    elif http_only is None and require_httponly:
        problems.append("httpOnly is not set")
    if problems:
        at = secure if isinstance(secure, Prop) else None
        yield Hit(
            COOKIE_INSECURE, at.key.line if at else line, at.key.col if at else col, f"{what}: {', '.join(problems)}"
        )


@app_check([COOKIE_INSECURE])
def flask_session_secure_absent(app: AppContext) -> Iterator[Hit]:
    """Flask's SESSION_COOKIE_SECURE defaults to False: an app using ``session`` must set it."""
    users = []
    for f in app.of_kind("py"):
        if "flask" not in f.text or "session" not in f.text or is_dev_only(f.path):
            continue
        for n in f.nodes:
            if isinstance(n, ast.ImportFrom) and n.module == "flask" and any(a.name == "session" for a in n.names):
                users.append((f, n))
                break
    if not users or pyast.app_defines(app, "SESSION_COOKIE_SECURE"):
        return
    if any("from_prefixed_env" in f.text or "from_envvar" in f.text for f in app.of_kind("py")):
        return  # configured from the environment: cannot judge from the code
    for f, node in users:
        yield Hit(
            COOKIE_INSECURE,
            node.lineno,
            node.col_offset + 1,
            "Flask session is used but SESSION_COOKIE_SECURE is never set (default False)",
            path=f.path,
        )
