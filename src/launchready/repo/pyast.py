"""Small helpers over Python's ``ast`` used by the repo rules."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from launchready.repo.checkers import AppContext, FileContext

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "fatal", "msg"})


def dotted(node: ast.AST | None) -> str:
    """``a.b.c`` for Name/Attribute chains; ``f()`` suffix for calls; '' otherwise."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            break
        elif isinstance(node, ast.Call):
            inner = dotted(node.func)
            if not inner:
                return ""
            parts.append(inner + "()")
            break
        else:
            return ""
    return ".".join(reversed(parts))


def last_name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def kwarg(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def dict_get(node: ast.AST | None, key: str) -> ast.expr | None:
    """The value for a string key in a dict literal (or ``dict(key=...)``)."""
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values, strict=False):
            if str_value(k) == key:
                return v
    elif isinstance(node, ast.Call) and last_name(node.func) == "dict":
        return kwarg(node, key)
    return None


def is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def is_false(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def str_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def str_items(node: ast.AST | None) -> list[str] | None:
    """String elements of a list/tuple/set literal (or a single string); None if not literal."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        out = []
        for elt in node.elts:
            s = str_value(elt)
            if s is not None:
                out.append(s)
        return out
    s = str_value(node)
    return [s] if s is not None else None


def module_assigns(tree: ast.Module | None) -> dict[str, ast.Assign | ast.AnnAssign]:
    """Top-level ``NAME = value`` statements (last one wins), including inside ``if`` blocks."""
    out: dict[str, ast.Assign | ast.AnnAssign] = {}
    if tree is None:
        return out

    def visit(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    if isinstance(t, ast.Name):
                        out[t.id] = stmt
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                out[stmt.target.id] = stmt
            elif isinstance(stmt, (ast.If, ast.Try)):
                visit(stmt.body)
                visit(stmt.orelse)

    visit(tree.body)
    return out


def resolve(ctx: FileContext, node: ast.expr | None) -> ast.expr | None:
    """Follow a bare Name to its module-level literal assignment (one level)."""
    if isinstance(node, ast.Name):
        stmt = module_assigns(ctx.tree).get(node.id)
        if stmt is not None:
            return stmt.value
    return node


def calls(ctx: FileContext) -> Iterator[ast.Call]:
    for n in ctx.nodes:
        if isinstance(n, ast.Call):
            yield n


def functions(ctx: FileContext) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for n in ctx.nodes:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield n


def imported_modules(ctx: FileContext) -> set[str]:
    """Top-level module names imported anywhere in the file (``a.b`` -> ``a`` and ``a.b``)."""
    out: set[str] = set()
    for n in ctx.nodes:
        names: list[str] = []
        if isinstance(n, ast.Import):
            names = [a.name for a in n.names]
        elif isinstance(n, ast.ImportFrom) and n.module:
            names = [n.module]
        for name in names:
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                out.add(".".join(parts[:i]))
    return out


def is_log_call(call: ast.Call) -> bool:
    """print(...), logger.info(...), logging.warning(...), app.logger.error(...), log.debug(...)."""
    f = call.func
    if isinstance(f, ast.Name):
        return f.id in ("print", "pprint")
    if isinstance(f, ast.Attribute) and f.attr in LOG_METHODS:
        base = dotted(f.value).lower()
        return "log" in base.rsplit(".", 1)[-1] or base in ("logging", "structlog")
    return False


_WRAPPERS = frozenset(
    {
        "dict",
        "str",
        "repr",
        "list",
        "dumps",
        "pformat",
        "format",
        "vars",
        "items",
        "values",
        "copy",
        "jsonable_encoder",
        "to_dict",
    }
)


def exposed(node: ast.AST) -> Iterator[ast.AST]:
    """Expressions whose full value ends up in the output of a log/print argument."""
    if isinstance(node, ast.JoinedStr):
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                yield from exposed(v.value)
    elif isinstance(node, ast.BinOp):
        yield from exposed(node.left)
        yield from exposed(node.right)
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for e in node.elts:
            yield from exposed(e)
    elif isinstance(node, ast.Dict):
        for v in node.values:
            yield from exposed(v)
    elif isinstance(node, ast.Starred):
        yield from exposed(node.value)
    elif isinstance(node, ast.Call):
        name = last_name(node.func)
        if name in _WRAPPERS:
            if name in ("items", "values", "copy", "format") and isinstance(node.func, ast.Attribute):
                if name == "format":
                    for a in node.args:
                        yield from exposed(a)
                    for kw in node.keywords:
                        yield from exposed(kw.value)
                else:
                    yield from exposed(node.func.value)
            else:
                for a in node.args:
                    yield from exposed(a)
        else:
            yield node
    else:
        yield node


def log_args(call: ast.Call) -> Iterator[ast.AST]:
    for a in call.args:
        yield from exposed(a)
    for kw in call.keywords:
        if kw.arg in ("extra", None):
            yield from exposed(kw.value)


# A name is secret-like when its snake_case form ends with one of these (``openai_api_key``,
# ``client_secret``, ``access_token``). A bare ``token`` is not: in AI apps it is usually a
# streamed model token, in parsers a lexer token.
_SECRET_SUFFIXES = (
    "api_key",
    "apikey",
    "secret_key",
    "client_secret",
    "webhook_secret",
    "secret",
    "password",
    "passwd",
    "access_token",
    "refresh_token",
    "auth_token",
    "id_token",
    "api_token",
    "bearer_token",
    "session_token",
    "bot_token",
    "oauth_token",
    "private_key",
    "signing_key",
    "authorization",
    "auth_header",
)
_SECRET_EXACT = frozenset({"credentials", "pwd", "jwt", "bearer"})
_NOT_SECRET_PREFIX = ("is_", "has_", "use_", "ignored_", "no_", "show_", "ask_", "prompt_")


def is_secret_name(name: str) -> bool:
    n = snake(name)
    if not n or n.startswith(_NOT_SECRET_PREFIX):
        return False
    return n in _SECRET_EXACT or n == "secret" or any(n == s or n.endswith("_" + s) for s in _SECRET_SUFFIXES)


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def app_defines(app: AppContext, name: str) -> bool:
    """True if any Python file of the app mentions ``name`` in code (setting, key or keyword)."""
    for f in app.of_kind("py"):
        if name not in f.text:
            continue
        for n in f.nodes:
            if (isinstance(n, ast.Constant) and n.value == name) or (isinstance(n, ast.Name) and n.id == name):
                return True
            if (isinstance(n, ast.keyword) and n.arg == name) or (isinstance(n, ast.Attribute) and n.attr == name):
                return True
    return False
