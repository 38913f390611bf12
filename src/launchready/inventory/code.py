"""What the code uses: SDK imports and packages, and the environment variables it reads.

Python is read with ``ast`` (``os.environ[...]``, ``os.environ.get``, ``os.getenv``,
``environ.get``, django-environ's ``env(...)``, python-decouple's ``config(...)``, pydantic
``BaseSettings`` fields); JS/TS with patterns for ``process.env.X``, ``process.env["X"]``,
destructuring from ``process.env``, ``import.meta.env.X``, ``Deno.env.get`` and ``Bun.env``;
Prisma schemas with ``env("X")``. A read with a fallback (``os.getenv("X", "d")``,
``process.env.X ?? "d"``) is marked, since a missing variable then does not break a deploy.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from launchready.inventory.catalog import Service, service_for_import, service_for_npm
from launchready.repo.checkers import is_test_path

NAME = r"[A-Z][A-Z0-9_]*"
_JS_READS = (
    re.compile(rf"\bprocess\.env\.({NAME})\b"),
    re.compile(rf"\bprocess\.env\[\s*['\"`]({NAME})['\"`]\s*\]"),
    re.compile(rf"\bimport\.meta\.env\.({NAME})\b"),
    re.compile(rf"\bDeno\.env\.get\(\s*['\"]({NAME})['\"]"),
    re.compile(rf"\bBun\.env\.({NAME})\b"),
)
_JS_DESTRUCTURE = re.compile(r"\{([^{}]{1,2000})\}\s*=\s*(?:process\.env|import\.meta\.env)\b")
_JS_DEFAULT = re.compile(r"\s*(?:\|\||\?\?)")
_JS_IMPORT = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([@\w][\w@./-]*)['"]""", re.MULTILINE
)
_PRISMA_ENV = re.compile(rf"\benv\(\s*\"({NAME})\"\s*\)")
_JS_EXT = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".vue", ".svelte", ".astro")


@dataclass(frozen=True)
class Read:
    name: str
    path: str
    line: int
    how: str  # "os.getenv", "process.env", ...
    has_default: bool
    client: bool  # read in browser code (NEXT_PUBLIC_/VITE_/import.meta.env)
    strict: bool = (
        False  # fails at once when unset: os.environ["X"], env("X"), a required settings field, process.env.X!
    )


@dataclass(frozen=True)
class Use:
    service: Service
    path: str
    line: int | None
    how: str  # "import openai", "package.json: openai"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _const_str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


_PY_GETTERS = {
    "os.getenv": "os.getenv",
    "getenv": "os.getenv",
    "os.environ.get": "os.environ.get",
    "environ.get": "os.environ.get",
    "env": "env()",
    "config": "config()",
    "env.str": "env()",
    "env.bool": "env()",
    "env.int": "env()",
    "env.float": "env()",
    "env.list": "env()",
    "env.dict": "env()",
    "env.json": "env()",
    "env.url": "env()",
    "env.db": "env()",
    "env.db_url": "env()",
    "env.cache": "env()",
    "env.email": "env()",
}


def python_reads(path: str, tree: ast.Module) -> Iterator[Read]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _dotted(node.value) in ("os.environ", "environ"):
            name = _const_str(node.slice)
            if name and re.fullmatch(NAME, name) and isinstance(node.ctx, ast.Load):
                yield Read(name, path, node.lineno, "os.environ[]", False, False, strict=True)
        elif isinstance(node, ast.Call):
            how = _PY_GETTERS.get(_dotted(node.func))
            name = _const_str(node.args[0]) if node.args else None
            if how and name and re.fullmatch(NAME, name):
                default = len(node.args) > 1 or any(k.arg == "default" for k in node.keywords)
                yield Read(name, path, node.lineno, how, default, False, strict=how in ("env()", "config()"))
        elif isinstance(node, ast.ClassDef) and any(
            _dotted(b).endswith(("BaseSettings", "Settings")) for b in node.bases
        ):
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    field = stmt.target.id
                    if field.startswith("_") or field == "model_config":
                        continue
                    yield Read(
                        field.upper(),
                        path,
                        stmt.lineno,
                        f"{node.name} field",
                        stmt.value is not None,
                        False,
                        strict=stmt.value is None,
                    )


def python_uses(path: str, tree: ast.Module) -> Iterator[Use]:
    for node in ast.walk(tree):
        modules: list[str] = []
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif node.module and not node.level:
            modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for m in modules:
            service = service_for_import(m)
            if service is not None:
                yield Use(service, path, node.lineno, f"import {m}")
                break


_JS_HOW = ("process.env", "process.env", "import.meta.env", "Deno.env", "Bun.env")
PUBLIC_PREFIXES = ("NEXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_", "EXPO_PUBLIC_", "NUXT_PUBLIC_", "GATSBY_")


def js_reads(path: str, text: str) -> Iterator[Read]:
    for rx, how in zip(_JS_READS, _JS_HOW, strict=True):
        for m in rx.finditer(text):
            name = m.group(1)
            default = bool(_JS_DEFAULT.match(text, m.end()))
            asserted = text[m.end() : m.end() + 2].startswith("!") and not text[m.end() : m.end() + 2].startswith("!=")
            yield Read(
                name, path, _line_of(text, m.start()), how, default, name.startswith(PUBLIC_PREFIXES), strict=asserted
            )
    for m in _JS_DESTRUCTURE.finditer(text):
        for part in m.group(1).split(","):
            item = part.strip()
            found = re.match(rf"({NAME})\b", item)
            if found:
                name = found.group(1)
                yield Read(
                    name, path, _line_of(text, m.start()), "process.env", "=" in item, name.startswith(PUBLIC_PREFIXES)
                )


def js_uses(path: str, text: str) -> Iterator[Use]:
    seen: set[str] = set()
    for m in _JS_IMPORT.finditer(text):
        service = service_for_npm(m.group(1))
        if service is not None and service.id not in seen:
            seen.add(service.id)
            yield Use(service, path, _line_of(text, m.start()), f"import {m.group(1)}")


def package_uses(path: str, text: str) -> Iterator[Use]:
    """Dependencies declared in package.json, requirements*.txt and pyproject.toml."""
    name = path.rsplit("/", 1)[-1]
    if name == "package.json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return
        if not isinstance(data, dict):
            return
        for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
            deps = data.get(key)
            if isinstance(deps, dict):
                for pkg in deps:
                    service = service_for_npm(str(pkg))
                    if service is not None:
                        yield Use(service, path, None, f"package.json: {pkg}")
        return
    for i, line in enumerate(text.splitlines(), 1):
        m = re.match(r"""\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)""", line)
        if not m or line.lstrip().startswith(("#", "[")):
            continue
        module = m.group(1).lower().replace("-", "_")
        service = service_for_import(module)
        if service is not None:
            yield Use(service, path, i, f"{name}: {m.group(1)}")


def read_file(path: str, text: str) -> tuple[list[Read], list[Use]]:
    """Env reads and service uses in one file (tests excluded)."""
    if is_test_path(path):
        return [], []
    name = path.rsplit("/", 1)[-1]
    if name in ("package.json", "pyproject.toml") or (name.startswith("requirements") and name.endswith(".txt")):
        return [], list(package_uses(path, text))
    if path.endswith(".py"):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return [], []
        return list(python_reads(path, tree)), list(python_uses(path, tree))
    if path.endswith(_JS_EXT):
        return list(js_reads(path, text)), list(js_uses(path, text))
    if path.endswith(".prisma"):
        return [
            Read(m.group(1), path, _line_of(text, m.start()), "prisma env()", False, False)
            for m in _PRISMA_ENV.finditer(text)
        ], []
    return [], []
