"""Upload endpoints with no size limit (FastAPI UploadFile, Flask, Django, multer)."""

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
    any_of,
    app_check,
    file_check,
    rule,
)

NO_LIMIT = rule(
    "repo.upload-no-limit",
    Severity.MEDIUM,
    "File upload accepted with no size limit: one request can fill memory or disk",
    "Bound uploads: check file.size (or read in chunks and stop at a maximum) in FastAPI, set "
    "MAX_CONTENT_LENGTH in Flask, check upload.size in Django views (DATA_UPLOAD_MAX_MEMORY_SIZE "
    "does not cover files), multer({ limits: { fileSize } }), and client_max_body_size in the proxy.",
    scope="file+app",
)

_LIMITY = re.compile(r"(max|limit)", re.IGNORECASE)
_PROXY_LIMIT = re.compile(
    r"^\s*(client_max_body_size|request_body|max_request_body_size|maxRequestBodyBytes)\b", re.MULTILINE
)


def size_checked(node: ast.AST) -> bool:
    """A comparison involving .size, .content_length, len(...) or a MAX_*/limit name."""
    for n in ast.walk(node):
        if not isinstance(n, ast.Compare):
            continue
        for x in ast.walk(n):
            if isinstance(x, ast.Attribute) and x.attr in ("size", "content_length", "length"):
                return True
            if isinstance(x, ast.Call) and pyast.last_name(x.func) == "len":
                return True
            if isinstance(x, (ast.Name, ast.Attribute)) and _LIMITY.search(pyast.last_name(x)):
                return True
    return False


def _is_upload_annotation(node: ast.AST | None) -> bool:
    return node is not None and any(
        pyast.last_name(x) == "UploadFile" for x in ast.walk(node) if isinstance(x, (ast.Name, ast.Attribute))
    )


@file_check({"py"}, any_of("UploadFile"), [NO_LIMIT])
def fastapi_uploads(ctx: FileContext) -> Iterator[Hit]:
    if "content-length" in ctx.text.lower() and "413" in ctx.text:
        return  # a body-size middleware in this module
    for fn in pyast.functions(ctx):
        params = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
        uploads = [a for a in params if _is_upload_annotation(a.annotation)]
        if uploads and not size_checked(fn):
            a = uploads[0]
            yield Hit(
                NO_LIMIT,
                a.lineno,
                a.col_offset + 1,
                f"{fn.name}() accepts UploadFile '{a.arg}' without checking its size",
            )


@file_check({"py"}, any_of("DATA_UPLOAD_MAX_MEMORY_SIZE"), [NO_LIMIT])
def django_body_limit_disabled(ctx: FileContext) -> Iterator[Hit]:
    stmt = pyast.module_assigns(ctx.tree).get("DATA_UPLOAD_MAX_MEMORY_SIZE")
    if stmt is not None and isinstance(stmt.value, ast.Constant) and stmt.value.value is None:
        yield Hit(
            NO_LIMIT,
            stmt.lineno,
            stmt.col_offset + 1,
            "DATA_UPLOAD_MAX_MEMORY_SIZE = None turns off Django's request body limit",
        )


@file_check({"js"}, any_of("multer"), [NO_LIMIT])
def multer_uploads(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.js
    names = js.imports_of("multer")
    if not names:
        return
    for i, open_idx in js.calls(frozenset(names)):
        if js.is_property(i):
            continue
        args = js.args(open_idx)
        brace = js.object_at(*args[0]) if args else None
        props = js.props(brace) if brace is not None else {}
        limits = props.get("limits")
        lbrace = js.object_at(limits.start, limits.end) if limits is not None else None
        if limits is None or (lbrace is not None and "fileSize" not in js.props(lbrace)):
            t = js.toks[i]
            yield Hit(NO_LIMIT, t.line, t.col, "multer() without limits.fileSize: uploads of any size are accepted")


@app_check([NO_LIMIT])
def flask_django_uploads(app: AppContext) -> Iterator[Hit]:
    if any(f.kind == "proxy" and _PROXY_LIMIT.search(f.text) for f in app.files):
        return
    flask_limit: bool | None = None
    for f in app.of_kind("py"):
        if "request.files" not in f.text and "request.FILES" not in f.text:
            continue
        flask_file = bool(pyast.imported_modules(f) & {"flask", "quart", "werkzeug"})
        for fn in pyast.functions(f):
            use = next(
                (
                    n
                    for n in ast.walk(fn)
                    if isinstance(n, ast.Attribute)
                    and n.attr in ("files", "FILES")
                    and pyast.dotted(n.value).endswith("request")
                ),
                None,
            )
            if use is None or size_checked(fn) or (use.attr == "files" and not flask_file):
                continue  # (request.files outside a Flask module: e.g. an HTTP client's request object)
            if use.attr == "files":
                if flask_limit is None:
                    flask_limit = pyast.app_defines(app, "MAX_CONTENT_LENGTH")
                if flask_limit:
                    continue
                msg = f"{fn.name}() reads request.files and MAX_CONTENT_LENGTH is never set"
            else:
                msg = f"{fn.name}() reads request.FILES without checking the upload's size"
            yield Hit(NO_LIMIT, use.lineno, use.col_offset + 1, msg, path=f.path)
