"""Stack detection from manifests: ``package.json`` dependencies, Python requirements,
``pyproject.toml``, ``Pipfile`` and ``manage.py``. Reads files only; runs nothing."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SKIP = {"node_modules", ".git", ".venv", "venv", "dist", "build", ".next", "__pycache__", "out"}


@dataclass(frozen=True)
class Stack:
    name: str  # "Next.js", "Vite", ...
    path: str  # directory relative to the root, "." for the root
    kind: str  # "frontend" or "backend"
    build_dirs: tuple[str, ...] = ()  # shipped build output, relative to ``path``
    public_prefix: str = ""  # env prefix that reaches the browser

    @property
    def where(self) -> str:
        return "" if self.path == "." else f" ({self.path}/)"

    def build_paths(self) -> list[str]:
        base = "" if self.path == "." else self.path + "/"
        return [base + d for d in self.build_dirs]


JS_STACKS = (  # (dependency, name, kind, build dirs, public env prefix); first match wins per group
    ("next", "Next.js", "frontend", (".next/static", "out"), "NEXT_PUBLIC_"),
    ("react-scripts", "Create React App", "frontend", ("build",), "REACT_APP_"),
    ("vite", "Vite", "frontend", ("dist",), "VITE_"),
)
PY_STACKS = (("fastapi", "FastAPI"), ("flask", "Flask"), ("django", "Django"))
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _js(directory: Path, rel: str) -> list[Stack]:
    manifest = directory / "package.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    if not isinstance(data, dict):
        return []
    deps: set[str] = set()
    for key in ("dependencies", "devDependencies"):
        section = data.get(key)
        if isinstance(section, dict):
            deps |= {str(k).lower() for k in section}
    found = []
    for dep, name, kind, build, prefix in JS_STACKS:
        if dep in deps:
            found.append(Stack(name, rel, kind, build, prefix))
            break  # Next.js bundles its own tooling; CRA and Vite exclude each other
    if "express" in deps:
        found.append(Stack("Express", rel, "backend"))
    return found


def _python_requirements(directory: Path) -> set[str]:
    names: set[str] = set()
    texts = []
    for pattern in ("requirements*.txt", "requirements/*.txt"):
        for p in sorted(directory.glob(pattern)):
            texts.append(_read(p))
    for line in "\n".join(texts).splitlines():
        m = _REQ_NAME.match(line)
        if m and not line.lstrip().startswith(("#", "-")):
            names.add(m.group(1).lower().replace("_", "-"))
    for name in ("pyproject.toml", "Pipfile", "setup.py", "setup.cfg"):
        text = _read(directory / name).lower()
        for dep, _ in PY_STACKS:
            if re.search(rf"""["'\s=]{dep}(?:\[[^\]]*\])?\s*(?:[<>=~!]|["',\n]|$)""", text, re.M):
                names.add(dep)
    return names


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _py(directory: Path, rel: str) -> list[Stack]:
    deps = _python_requirements(directory)
    if (directory / "manage.py").is_file() and "django" in _read(directory / "manage.py").lower():
        deps.add("django")
    return [Stack(name, rel, "backend") for dep, name in PY_STACKS if dep in deps]


def detect(root: Path) -> list[Stack]:
    """Stacks at ``root`` and in its direct subdirectories, in a stable order."""
    dirs = [(root, ".")]
    try:
        children = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        children = []
    dirs += [(p, p.name) for p in children if p.name not in SKIP and not p.name.startswith(".")]
    found: list[Stack] = []
    for directory, rel in dirs:
        found += _js(directory, rel)
        found += _py(directory, rel)
    return found
