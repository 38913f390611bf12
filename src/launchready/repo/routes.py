"""HTTP routes of an application: FastAPI/Flask decorators, Django urls.py, Express, Next.js."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from launchready.repo import pyast
from launchready.repo.checkers import AppContext, FileContext

_PY_VERBS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route", "websocket"})
_PY_ROUTE_DECORATOR = re.compile(
    r"^[ \t]*@[\w.]+\.(?:get|post|put|patch|delete|route|api_route|websocket)\(", re.MULTILINE
)
_JS_VERBS = frozenset({"get", "post", "put", "patch", "delete", "all"})
_JS_SERVER_MODULES = ("express", "fastify", "hono", "koa-router", "@koa/router", "restify")
_JS_CLIENTS = frozenset(
    {
        "axios",
        "http",
        "https",
        "fetch",
        "client",
        "request",
        "superagent",
        "ky",
        "got",
        "api",
        "$",
        "cy",
        "supertest",
        "agent",
        "instance",
    }
)
_NEXT_APP = re.compile(r"(?:^|/)app/(.*?)/?route\.(?:ts|js|mjs|tsx|jsx)$")
_NEXT_PAGES = re.compile(r"(?:^|/)pages/(api/.*)\.(?:ts|js|mjs|tsx|jsx)$")
_NEXT_VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    path: str  # the file
    line: int
    column: int
    url: str
    methods: tuple[str, ...]  # ("ANY",) when unknown
    handler: str  # function name, '' when anonymous
    source: str  # handler text used to guess what it does (webhook provider ...)

    @property
    def mutating(self) -> bool:
        return any(m != "GET" for m in self.methods)

    def label(self) -> str:
        methods = "/".join(m for m in self.methods if m != "ANY") or "ANY"
        return f"{methods} {self.url}"


def python_routes(f: FileContext) -> Iterator[Route]:
    if f.tree is None:
        return
    for fn in pyast.functions(f):
        for dec in fn.decorator_list:
            if not isinstance(dec, ast.Call) or not isinstance(dec.func, ast.Attribute):
                continue
            verb = dec.func.attr
            if verb not in _PY_VERBS:
                continue
            url = (
                pyast.str_value(dec.args[0])
                if dec.args
                else pyast.str_value(pyast.kwarg(dec, "path") or pyast.kwarg(dec, "rule"))
            )
            if url is None:
                continue
            if verb in ("route", "api_route"):
                items = pyast.str_items(pyast.kwarg(dec, "methods"))
                methods = tuple(m.upper() for m in items) if items else ("GET",)
            elif verb == "websocket":
                methods = ("WEBSOCKET",)
            else:
                methods = (verb.upper(),)
            src = ast.get_source_segment(f.text, fn) or ""
            yield Route(f.path, dec.lineno, dec.col_offset + 1, url, methods, fn.name, src)
    if f.name == "urls.py":
        for call in pyast.calls(f):
            if pyast.last_name(call.func) in ("path", "re_path", "url") and len(call.args) >= 2:
                url = pyast.str_value(call.args[0])
                if url is None:
                    continue
                view = pyast.dotted(call.args[1])
                yield Route(
                    f.path,
                    call.lineno,
                    call.col_offset + 1,
                    "/" + url.lstrip("^/"),
                    ("ANY",),
                    view.rsplit(".", 1)[-1].replace("()", ""),
                    view,
                )


def js_routes(f: FileContext) -> Iterator[Route]:
    p = f.path.replace("\\", "/")
    m = _NEXT_APP.search(p)
    if m:
        url = "/" + "/".join(x for x in m.group(1).split("/") if x and not x.startswith("("))
        js = f.js
        for i, t in enumerate(js.toks):
            if not t.is_id("export"):
                continue
            k = i + 1
            if js.toks[k : k + 1] and js.toks[k].is_id("async"):
                k += 1
            if (
                k + 1 < len(js.toks)
                and js.toks[k].value in ("function", "const", "let")
                and js.toks[k + 1].value in _NEXT_VERBS
            ):
                yield Route(f.path, t.line, t.col, url, (js.toks[k + 1].value,), js.toks[k + 1].value, f.text)
        return
    m = _NEXT_PAGES.search(p)
    if m:
        url = "/" + re.sub(r"/index$", "", m.group(1))
        js = f.js
        for i, t in enumerate(js.toks):
            if t.is_id("export") and js.tok(i + 1) is not None and js.toks[i + 1].is_id("default"):
                yield Route(f.path, t.line, t.col, url, ("ANY",), "default", f.text)
                return
        return
    if not any(s in f.text for s in _JS_SERVER_MODULES):
        return
    js = f.js
    if not any(t.value in _JS_SERVER_MODULES for t in js.strings()):
        return
    for i, open_idx in js.calls(_JS_VERBS):
        if not js.is_property(i) or i < 2:
            continue
        recv = js.toks[i - 2]
        if recv.kind != "id" or recv.value in _JS_CLIENTS or js.is_property(i - 2):
            continue
        args = js.args(open_idx)
        if not args:
            continue
        first = js.toks[args[0][0]]
        if first.kind != "str" or not first.value.startswith("/"):
            continue
        verb = js.toks[i].value.upper()
        end = js.close(open_idx)
        src_start = js.toks[open_idx]
        last = js.toks[min(end, len(js.toks) - 1)]
        lines = f.lines[src_start.line - 1 : last.line]
        handler = ""
        if len(args) >= 2:
            h = js.toks[args[-1][0]]
            handler = h.value if h.kind == "id" and args[-1][1] - args[-1][0] == 1 else ""
        yield Route(
            f.path, recv.line, recv.col, first.value, ("ANY",) if verb == "ALL" else (verb,), handler, "\n".join(lines)
        )


def app_routes(app: AppContext) -> list[Route]:
    out: list[Route] = []
    for f in app.files:
        if f.kind == "py" and (_PY_ROUTE_DECORATOR.search(f.text) or (f.name == "urls.py" and "path(" in f.text)):
            out.extend(python_routes(f))
        elif f.kind == "js":
            out.extend(js_routes(f))
    return out
