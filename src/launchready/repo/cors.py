"""CORS configured in code: any origin together with credentials, or the Origin echoed back."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo import pyast
from launchready.repo.checkers import FileContext, Hit, any_of, file_check, rule

WILDCARD_CREDENTIALS = rule(
    "repo.cors-wildcard-credentials",
    Severity.HIGH,
    "CORS allows any origin together with credentials: any website can make logged-in requests and read the answers",
    "List the exact origins of your front end (allow_origins=[...], origin: [...]) or turn "
    "credentials off for the public API.",
)
ORIGIN_ECHO = rule(
    "repo.cors-origin-reflected",
    Severity.HIGH,
    "Access-Control-Allow-Origin is set to the request's Origin header without checking it against an allowlist",
    "Compare the Origin against a fixed list of allowed origins before echoing it (or use the "
    "framework's CORS middleware with an explicit origin list).",
)

_PROBE_ORIGIN = "https://attacker.example"


def _permissive_regex(pattern: str | None) -> bool:
    if not pattern:
        return False
    try:
        return re.fullmatch(pattern, _PROBE_ORIGIN) is not None
    except re.error:
        return False


# -- Python: FastAPI/Starlette, Flask-CORS, Django settings --------------------------------------


def _any_origin_py(ctx: FileContext, origins: ast.expr | None, regex: ast.expr | None) -> bool:
    items = pyast.str_items(pyast.resolve(ctx, origins)) if origins is not None else None
    if items is not None and "*" in items:
        return True
    if items is not None and any(_permissive_regex(x) for x in items):
        return True
    return _permissive_regex(pyast.str_value(pyast.resolve(ctx, regex)))


@file_check({"py"}, any_of("CORSMiddleware", "CORS(", "cross_origin", "CORS_"), [WILDCARD_CREDENTIALS])
def cors_python(ctx: FileContext) -> Iterator[Hit]:
    for call in pyast.calls(ctx):
        fname = pyast.last_name(call.func)
        args_names = [pyast.last_name(a) for a in call.args]
        if "CORSMiddleware" in args_names or fname == "CORSMiddleware":
            creds = pyast.kwarg(call, "allow_credentials")
            if pyast.is_true(pyast.resolve(ctx, creds)) and _any_origin_py(
                ctx, pyast.kwarg(call, "allow_origins"), pyast.kwarg(call, "allow_origin_regex")
            ):
                yield Hit(
                    WILDCARD_CREDENTIALS,
                    call.lineno,
                    call.col_offset + 1,
                    "CORSMiddleware allows any origin with allow_credentials=True",
                )
        elif fname in ("CORS", "cross_origin"):
            if not pyast.is_true(pyast.resolve(ctx, pyast.kwarg(call, "supports_credentials"))):
                continue
            origins = pyast.kwarg(call, "origins")
            resources = pyast.resolve(ctx, pyast.kwarg(call, "resources"))
            wide = False
            if isinstance(resources, ast.Dict):
                for v in resources.values:
                    res_origins = pyast.dict_get(pyast.resolve(ctx, v), "origins")
                    if (res_origins is None and origins is None) or (
                        res_origins is not None and _any_origin_py(ctx, res_origins, None)
                    ):
                        wide = True
            if (
                (origins is None and not isinstance(resources, ast.Dict))
                or wide
                or (origins is not None and _any_origin_py(ctx, origins, None))
            ):
                yield Hit(
                    WILDCARD_CREDENTIALS,
                    call.lineno,
                    call.col_offset + 1,
                    f"Flask-CORS {fname}() allows any origin with supports_credentials=True",
                )
    # Django (django-cors-headers) settings
    assigns = pyast.module_assigns(ctx.tree)
    creds_stmt = assigns.get("CORS_ALLOW_CREDENTIALS")
    if creds_stmt is None or not pyast.is_true(creds_stmt.value):
        return
    for name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"):
        stmt = assigns.get(name)
        if stmt is not None and pyast.is_true(stmt.value):
            yield Hit(
                WILDCARD_CREDENTIALS,
                stmt.lineno,
                stmt.col_offset + 1,
                f"{name} = True together with CORS_ALLOW_CREDENTIALS = True",
            )
    for name in ("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"):
        stmt = assigns.get(name)
        items = pyast.str_items(stmt.value) if stmt is not None else None
        if stmt is not None and items and any(_permissive_regex(x) for x in items):
            yield Hit(
                WILDCARD_CREDENTIALS,
                stmt.lineno,
                stmt.col_offset + 1,
                f"{name} matches any origin, together with CORS_ALLOW_CREDENTIALS = True",
            )


def _reads_origin_py(node: ast.AST) -> bool:
    """request.headers.get('origin'), request.headers['Origin'], request.META['HTTP_ORIGIN']."""
    for n in ast.walk(node):
        if isinstance(n, ast.Subscript):
            key = pyast.str_value(n.slice)
            if key and key.lower() in ("origin", "http_origin"):
                return True
        elif isinstance(n, ast.Call) and pyast.last_name(n.func) == "get" and n.args:
            key = pyast.str_value(n.args[0])
            if key and key.lower() in ("origin", "http_origin"):
                return True
    return False


def _is_acao(node: ast.AST | None) -> bool:
    s = pyast.str_value(node)
    return s is not None and s.lower() == "access-control-allow-origin"


@file_check({"py"}, any_of("ccess-Control-Allow-Origin", "ccess-control-allow-origin"), [ORIGIN_ECHO])
def origin_echo_python(ctx: FileContext) -> Iterator[Hit]:
    for fn in pyast.functions(ctx):
        origin_vars: set[str] = set()
        compared: set[str] = set()
        for n in ast.walk(fn):
            if isinstance(n, ast.Assign) and _reads_origin_py(n.value):
                origin_vars.update(t.id for t in n.targets if isinstance(t, ast.Name))
            elif isinstance(n, ast.Compare):
                compared.update(x.id for x in ast.walk(n) if isinstance(x, ast.Name))
            elif isinstance(n, (ast.If, ast.IfExp, ast.While, ast.Assert)):
                compared.update(x.id for x in ast.walk(n.test) if isinstance(x, ast.Name))
        unchecked = frozenset(origin_vars - compared)

        def tainted(value: ast.AST, unchecked: frozenset[str] = unchecked) -> bool:
            if _reads_origin_py(value):
                return True
            return isinstance(value, ast.Name) and value.id in unchecked

        for n in ast.walk(fn):
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    if isinstance(t, ast.Subscript) and _is_acao(t.slice) and tainted(n.value):
                        yield Hit(ORIGIN_ECHO, n.lineno, n.col_offset + 1)
            elif isinstance(n, ast.Dict):
                for k, v in zip(n.keys, n.values, strict=False):
                    if _is_acao(k) and tainted(v):
                        yield Hit(ORIGIN_ECHO, v.lineno, v.col_offset + 1)
            elif isinstance(n, ast.Call) and len(n.args) >= 2 and _is_acao(n.args[0]) and tainted(n.args[1]):
                yield Hit(ORIGIN_ECHO, n.lineno, n.col_offset + 1)


# -- JavaScript: Express cors() and manual headers ------------------------------------------------


@file_check({"js"}, any_of("cors"), [WILDCARD_CREDENTIALS])
def cors_express(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.js
    if not any(t.value == "cors" for t in js.strings()):
        return
    names = js.imports_of("cors") or {"cors"}
    for i, open_idx in js.calls(frozenset(names)):
        if js.is_property(i):
            continue
        args = js.args(open_idx)
        if not args:
            continue
        brace = js.object_at(*args[0])
        if brace is None:
            continue
        props = js.props(brace)
        origin, creds = props.get("origin"), props.get("credentials")
        if origin is None or creds is None or not js.span_true(creds.start, creds.end):
            continue
        wide = js.span_true(origin.start, origin.end) or (
            js.span_is(origin.start, origin.end, "*") and js.toks[origin.start].kind == "str"
        )
        tok = js.toks[origin.start]
        if tok.kind == "regex" and origin.end - origin.start == 1:
            body = tok.value[1 : tok.value.rfind("/")]
            wide = wide or _permissive_regex(body)
        if wide:
            t = js.toks[i]
            yield Hit(
                WILDCARD_CREDENTIALS,
                origin.key.line,
                origin.key.col,
                f"{t.value}() allows any origin (origin: {tok.value if tok.kind != 'str' else repr(tok.value)}) with credentials: true",
            )


def _origin_read_js(ctx: FileContext, s: int, e: int) -> bool:
    js = ctx.js
    for j in range(s, e):
        t = js.toks[j]
        if t.kind == "id" and not js.is_property(j):
            name, _ = js.chain(j)
            low = name.lower()
            if low.endswith(".headers.origin") or low.endswith(".headers.http_origin"):
                return True
        if t.kind == "str" and t.value.lower() == "origin" and js.p(j - 1, "("):
            f = js.tok(j - 2)
            if f is not None and f.kind == "id" and f.value in ("get", "header", "getHeader"):
                return True
    return False


@file_check({"js"}, any_of("ccess-Control-Allow-Origin", "ccess-control-allow-origin"), [ORIGIN_ECHO])
def origin_echo_js(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.js
    # variables assigned straight from the Origin header and never compared
    tainted: set[str] = set()
    for i, t in enumerate(js.toks):
        if (
            t.kind == "id"
            and js.p(i + 1, "=")
            and js.tok(i - 1) is not None
            and js.toks[i - 1].value in ("const", "let", "var")
        ):
            end = i + 2
            while end < len(js.toks) and not js.p(end, ";") and js.toks[end].line == t.line:
                end += 1
            if _origin_read_js(ctx, i + 2, end):
                tainted.add(t.value)
    checked = set()
    for i, t in enumerate(js.toks):
        if t.kind == "id" and t.value in tainted:
            if (
                js.p(i + 1, "===")
                or js.p(i - 1, "===")
                or js.p(i + 1, "==")
                or js.p(i + 1, "!==")
                or js.p(i - 1, "!==")
            ):
                checked.add(t.value)
            if (
                js.p(i - 1, "(")
                and js.tok(i - 2) is not None
                and js.toks[i - 2].value in ("includes", "has", "indexOf", "test", "some")
            ):
                checked.add(t.value)
    for i, t in enumerate(js.toks):  # any use inside an if (...) condition counts as a check
        if t.is_id("if") and js.p(i + 1, "("):
            for k in range(i + 2, min(js.close(i + 1), len(js.toks))):
                if js.toks[k].kind == "id" and js.toks[k].value in tainted:
                    checked.add(js.toks[k].value)
    tainted -= checked
    for i, t in enumerate(js.toks):
        if t.kind == "str" and t.value.lower() == "access-control-allow-origin" and js.p(i + 1, ","):
            end = i + 2
            depth = 0
            while end < len(js.toks):
                tk = js.toks[end]
                if tk.kind == "punct" and tk.value in "([{":
                    depth += 1
                elif tk.kind == "punct" and tk.value in ")]}":
                    if depth == 0:
                        break
                    depth -= 1
                elif tk.kind == "punct" and tk.value == "," and depth == 0:
                    break
                end += 1
            span_ids = {js.toks[k].value for k in range(i + 2, end) if js.toks[k].kind == "id"}
            if _origin_read_js(ctx, i + 2, end) or (span_ids & tainted and end - (i + 2) == 1):
                yield Hit(ORIGIN_ECHO, t.line, t.col)
