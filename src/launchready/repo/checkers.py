"""The repo-rule registry: rule metadata, per-file and whole-application checkers.

A *rule* is metadata (id, severity, description, fix). A *checker* is a function that
produces :class:`Hit` objects for one or more rules. Per-file checkers are gated by the
file's kind (``py``, ``js``, ``dockerfile``, ...) and cheap keyword tests on the raw text,
so the parser only runs on files that could match. Whole-application checkers see every
(non-test) file of the application at once.

Adding a rule touches its area module (which calls :func:`rule` and decorates a checker
with :func:`file_check` or :func:`app_check`) plus its test.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from launchready.model import Severity

ALLOW_MARKER = "launchready:allow"


@dataclass(frozen=True)
class RepoRule:
    id: str
    severity: Severity
    description: str
    fix: str
    # "file": runs in the staged hook; "app": whole-application, scan and the Action only;
    # "file+app": both parts.
    scope: str = "file"


@dataclass(frozen=True)
class Hit:
    """A checker's raw result; turned into a Finding (with suppression) by the runner."""

    rule_id: str
    line: int | None
    column: int | None = None
    message: str = ""
    path: str | None = None  # app checkers name the file; file checkers leave it None
    context: str = ""  # stable fingerprint context when there is no line


RULES: dict[str, RepoRule] = {}


def rule(id: str, severity: Severity, description: str, fix: str, scope: str = "file") -> str:
    """Register a rule and return its id (so area modules keep ids in constants)."""
    if not id.startswith("repo."):
        raise ValueError(f"repo rule ids start with 'repo.': {id}")
    if id in RULES:
        raise ValueError(f"repo rule registered twice: {id}")
    RULES[id] = RepoRule(id, severity, description, fix, scope)
    return id


# -- file kinds --------------------------------------------------------------------------

JS_EXTS = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
_TEST_DIRS = frozenset(
    {"tests", "test", "__tests__", "__mocks__", "fixtures", "fixture", "testdata", "spec", "e2e", "cypress"}
)
_JS_TEST = re.compile(r"\.(test|spec|stories)\.[cm]?[jt]sx?$")


def file_kind(path: str) -> str:
    p = path.replace("\\", "/")
    name = p.rsplit("/", 1)[-1]
    low = name.lower()
    if low.endswith(".py"):
        return "py"
    if low.endswith(JS_EXTS) and not low.endswith(".d.ts"):
        return "js"
    if low == "dockerfile" or low.startswith("dockerfile.") or low.endswith(".dockerfile"):
        return "dockerfile"
    if "/.github/workflows/" in "/" + p and low.endswith((".yml", ".yaml")):
        return "workflow"
    if low == ".gitignore":
        return "gitignore"
    if low.endswith(".conf") or low in ("nginx.conf", "caddyfile"):
        return "proxy"
    if low.endswith((".yml", ".yaml")):
        return "yaml"
    if low == "package.json":
        return "package"
    return "other"


def is_test_path(path: str) -> bool:
    """Tests, fixtures and mocks never raise repo findings."""
    parts = path.replace("\\", "/").split("/")
    if any(p in _TEST_DIRS for p in parts[:-1]):
        return True
    name = parts[-1]
    if name.endswith(".py"):
        return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
    return bool(_JS_TEST.search(name))


# -- per-file context ------------------------------------------------------------------------


class FileContext:
    """One file's text with lazily built views (lines, Python AST, JS tokens, YAML nodes)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.kind = file_kind(path)
        self.name = path.replace("\\", "/").rsplit("/", 1)[-1]

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def line_text(self, line: int | None) -> str:
        if line is None or line < 1 or line > len(self.lines):
            return ""
        return self.lines[line - 1]

    @functools.cached_property
    def tree(self) -> ast.Module | None:
        try:
            return ast.parse(self.text, filename=self.path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None

    @functools.cached_property
    def nodes(self) -> list[ast.AST]:
        return list(ast.walk(self.tree)) if self.tree is not None else []

    @functools.cached_property
    def js(self) -> Any:
        from launchready.repo.jstokens import JsFile

        return JsFile(self.text)

    @functools.cached_property
    def yaml(self) -> Any:
        import yaml

        try:
            return yaml.compose(self.text, Loader=yaml.SafeLoader)
        except (yaml.YAMLError, RecursionError):
            return None


Gate = Callable[[str], bool]


def any_of(*words: str) -> Gate:
    return lambda text: any(w in text for w in words)


def matches(pattern: str, flags: int = 0) -> Gate:
    """Gate on a regular expression (still far cheaper than a parse)."""
    rx = re.compile(pattern, flags)
    return lambda text: rx.search(text) is not None


def all_of(*gates: Gate) -> Gate:
    return lambda text: all(g(text) for g in gates)


@dataclass(frozen=True)
class FileChecker:
    name: str
    kinds: frozenset[str]
    gate: Gate
    run: Callable[[FileContext], Iterable[Hit]]
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AppChecker:
    name: str
    run: Callable[[AppContext], Iterable[Hit]]
    rule_ids: tuple[str, ...] = ()


FILE_CHECKERS: list[FileChecker] = []
APP_CHECKERS: list[AppChecker] = []


def file_check(
    kinds: Iterable[str], gate: Gate, rules: Sequence[str] = ()
) -> Callable[[Callable[[FileContext], Iterable[Hit]]], Callable[[FileContext], Iterable[Hit]]]:
    def deco(fn: Callable[[FileContext], Iterable[Hit]]) -> Callable[[FileContext], Iterable[Hit]]:
        FILE_CHECKERS.append(FileChecker(fn.__qualname__, frozenset(kinds), gate, fn, tuple(rules)))
        return fn

    return deco


def app_check(
    rules: Sequence[str] = (),
) -> Callable[[Callable[[AppContext], Iterable[Hit]]], Callable[[AppContext], Iterable[Hit]]]:
    def deco(fn: Callable[[AppContext], Iterable[Hit]]) -> Callable[[AppContext], Iterable[Hit]]:
        APP_CHECKERS.append(AppChecker(fn.__qualname__, fn, tuple(rules)))
        return fn

    return deco


@dataclass
class AppContext:
    """Every non-test file of one application, each as a lazily parsed FileContext."""

    files: list[FileContext] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> Iterator[FileContext]:
        return (f for f in self.files if f.kind in kinds)

    def by_path(self, path: str) -> FileContext | None:
        for f in self.files:
            if f.path == path:
                return f
        return None
