"""Put the inventory together: services used, variables read and defined per environment,
webhook routes, keys ever leaked in history; and the two findings it can back with
evidence: ``env.missing-in-production`` and ``env.defined-unused``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launchready.envfiles import find_env_files
from launchready.inventory.catalog import (
    BY_ID,
    Service,
    is_platform_variable,
    service_for_rule,
    service_for_variable,
)
from launchready.inventory.code import Read, Use, read_file
from launchready.inventory.definitions import (
    PRODUCTION,
    Definition,
    definitions_in,
    env_file_definitions,
)
from launchready.model import Finding, Severity
from launchready.redact import location_fingerprint
from launchready.repo.checkers import is_test_path
from launchready.secrets.encoding import SNIFF
from launchready.secrets.sources import SKIP_DIRS, git_files, walk_files

MAX_FILE = 1024 * 1024
_STATE_RANK = {"set": 3, "reference": 2, "placeholder": 1, "empty": 0}
MISSING = "env.missing-in-production"
PARTIAL = ("fly.toml", "vercel.json", "netlify.toml")
UNUSED = "env.defined-unused"
# What this module reports (``catalogue``): id -> what it checks, its fix and severity.
CHECKS = {
    MISSING: "a variable the code reads with no fallback is not defined for production: the deploy will break",
    UNUSED: "a variable the env files define that no code or config reads",
}
FIXES = {
    MISSING: "Define the variable for production (your host's environment settings or the deploy config) before you deploy, or give the code a safe fallback.",
    UNUSED: "Delete the variable from the env files (and your host) if nothing uses it: an unused secret is one more to rotate.",
}
SEVERITIES = {MISSING: Severity.LOW, UNUSED: Severity.INFO}


@dataclass
class Variable:
    name: str
    service: str | None
    reads: list[Read] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    implicit_by: str | None = None  # a used SDK that reads it by itself
    mentioned: bool = False  # named somewhere in code or config other than an env file

    @property
    def read(self) -> bool:
        return bool(self.reads) or self.implicit_by is not None

    def environments(self) -> dict[str, str]:
        """environment -> the best state defined there."""
        out: dict[str, str] = {}
        for d in self.definitions:
            if d.environment not in out or _STATE_RANK[d.state] > _STATE_RANK[out[d.environment]]:
                out[d.environment] = d.state
        return out

    @property
    def has_default(self) -> bool:
        return bool(self.reads) and all(r.has_default for r in self.reads)


@dataclass
class ServiceUse:
    service: Service
    uses: list[Use] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    leaks: list[Finding] = field(default_factory=list)
    webhooks: list[str] = field(default_factory=list)


@dataclass
class Inventory:
    root: str
    services: list[ServiceUse]
    variables: list[Variable]
    environments: list[str]
    production_sources: list[str]
    webhooks: list[dict[str, Any]]
    history: str  # what the history part did
    findings: list[Finding] = field(default_factory=list)
    files_read: int = 0
    app_roots: set[str] = field(default_factory=set)  # directories holding a package manifest
    source_texts: dict[str, str] = field(default_factory=dict)  # production workflow texts, by path


def _files(root: Path) -> list[Path]:
    try:
        files = git_files(root, root)
    except Exception:  # not a git repository: every file but dependency directories
        files = list(walk_files(root, SKIP_DIRS))
    return [p for p in files if p.is_file() and not p.is_symlink() and not (set(p.relative_to(root).parts) & SKIP_DIRS)]


def _text(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_FILE:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:SNIFF]:
        return None
    return data.decode("utf-8", errors="replace")


_APP_MARKERS = ("package.json", "pyproject.toml", "requirements.txt", "manage.py", "Gemfile", "go.mod")
_WORD = re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b")
_CODE_EXT = (
    ".py",
    ".js",
    ".jsx",
    ".ts",
    ".tsx",
    ".mjs",
    ".cjs",
    ".vue",
    ".svelte",
    ".astro",
    ".rb",
    ".go",
    ".php",
    ".java",
    ".kt",
    ".rs",
    ".cs",
    ".prisma",
    ".sh",
    ".toml",
    ".json",
    ".yml",
    ".yaml",
)


@dataclass
class Collected:
    reads: list[Read] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    files_read: int = 0
    words: set[str] = field(default_factory=set)  # upper-case words the code and configs mention
    app_roots: set[str] = field(default_factory=set)
    workflow_texts: dict[str, str] = field(default_factory=dict)


def collect(root: Path) -> Collected:
    """Everything the inventory reads from the files. ``words``: a variable read indirectly
    (``process.env[key]``, a helper taking its name) is at least mentioned somewhere."""
    c = Collected()
    app_files: list[tuple[str, str]] = []
    for path in _files(root):
        rel = path.relative_to(root).as_posix()
        name = rel.rsplit("/", 1)[-1]
        if name.lower().startswith(".env"):
            continue  # read below, ignored ones included
        text = _text(path)
        if text is None:
            continue
        c.files_read += 1
        if name in _APP_MARKERS and "/" in rel and not is_test_path(rel):
            c.app_roots.add(rel.rsplit("/", 1)[0])
        r, u = read_file(rel, text)
        c.reads += r
        c.uses += u
        c.definitions += definitions_in(rel, text)
        if rel.startswith(".github/workflows/"):
            c.workflow_texts[rel] = text
        if rel.endswith((".py", ".js", ".ts", ".tsx", ".jsx", ".mjs")):
            app_files.append((rel, text))
        if rel.endswith(_CODE_EXT) or "Dockerfile" in rel:
            c.words.update(_WORD.findall(text))
    for env_file in find_env_files(root, root):
        c.files_read += 1
        c.definitions += env_file_definitions(env_file)
    c.webhooks = _webhooks(app_files)
    return c


def _webhooks(files: list[tuple[str, str]]) -> list[dict[str, Any]]:
    from launchready.repo.checkers import AppContext, FileContext, is_test_path
    from launchready.repo.routes import app_routes
    from launchready.repo.webhooks import provider

    app = AppContext([FileContext(p, t) for p, t in files if not is_test_path(p)])
    out = []
    for route in app_routes(app):
        name = f"{route.url} {route.handler}".lower()
        if "webhook" not in name and "hook" not in name and not provider(route):
            continue
        out.append({"route": route.label(), "path": route.path, "line": route.line, "provider": provider(route) or ""})
    return out


def build(root: Path, history: list[Finding] | None, history_note: str) -> Inventory:
    c = collect(root)
    reads, uses, defs, webhooks, n, words = c.reads, c.uses, c.definitions, c.webhooks, c.files_read, c.words
    by_service: dict[str, ServiceUse] = {}

    def svc(s: Service) -> ServiceUse:
        return by_service.setdefault(s.id, ServiceUse(s))

    for u in uses:
        svc(u.service).uses.append(u)
    variables: dict[str, Variable] = {}
    for r in reads:
        v = variables.setdefault(r.name, Variable(r.name, None))
        v.reads.append(r)
    for d in defs:
        variables.setdefault(d.name, Variable(d.name, None)).definitions.append(d)
    used_ids = {u.service.id for u in uses}
    for v in variables.values():
        v.mentioned = v.name in words
        s = service_for_variable(v.name)
        if s is None:
            continue
        v.service = s.id
        if not v.reads and s.id in used_ids and v.name in s.implicit:
            v.implicit_by = s.name
        if v.read or s.id in used_ids:
            svc(s).variables.append(v.name)
    for f in history or []:
        s = service_for_rule(f.rule_id)
        if s is not None:
            svc(s).leaks.append(f)
    for hook in webhooks:
        s = BY_ID.get(hook["provider"]) if hook["provider"] else None
        if s is not None:
            svc(s).webhooks.append(hook["route"])
    envs = sorted({d.environment for d in defs})
    # Sources that list every production variable (a .env.production file, a deploy job's env,
    # render.yaml keys, Kubernetes env); fly.toml/vercel.json/netlify.toml list only the
    # non-secret ones (secrets live in the host's dashboard), so they cannot show one missing.
    prod_sources = sorted({d.path for d in defs if d.environment == PRODUCTION and not d.how.startswith(PARTIAL)})
    inv = Inventory(
        root=str(root),
        services=sorted(by_service.values(), key=lambda x: (x.service.kind, x.service.name)),
        variables=sorted(variables.values(), key=lambda v: v.name),
        environments=envs,
        production_sources=prod_sources,
        webhooks=webhooks,
        history=history_note,
        files_read=n,
        app_roots=c.app_roots,
        source_texts=c.workflow_texts,
    )
    inv.findings = _findings(inv)
    return inv


def _app_root(path: str, roots: set[str]) -> str:
    """The innermost application directory (one holding a package manifest) above ``path``."""
    parts = path.split("/")[:-1]
    for i in range(len(parts), 0, -1):
        d = "/".join(parts[:i])
        if d in roots:
            return d
    return ""


def _applies(source: str, app: str, texts: dict[str, str]) -> bool:
    """Does a production definition file speak for the application at ``app``? A file inside
    it does; a workflow does when it names the application's directory; a repository-root
    file speaks for the root application only (a monorepo's frontend deploys elsewhere)."""
    if not app:
        return True
    if source.startswith(app + "/"):
        return True
    return source.startswith(".github/workflows/") and (
        f"{app}/" in texts.get(source, "") or f": {app}\n" in texts.get(source, "")
    )


def _findings(inv: Inventory) -> list[Finding]:
    out: list[Finding] = []
    for v in inv.variables:
        if is_platform_variable(v.name):
            continue
        envs = v.environments()
        elsewhere = sorted(e for e in envs if e not in ("example", PRODUCTION, "ci") and envs[e] != "empty")
        baked = envs.get("image") in ("set", "reference")
        needed = [r for r in v.reads if not r.has_default and (r.strict or elsewhere)]
        if needed and not baked:
            first = needed[0]
            app = _app_root(first.path, inv.app_roots)
            sources = [p for p in inv.production_sources if _applies(p, app, inv.source_texts)]
            mine = [d for d in v.definitions if d.environment == PRODUCTION and d.path in sources]
            state = max((d.state for d in mine), key=lambda x: _STATE_RANK[x], default=None)
            if sources and (state is None or state == "empty"):
                why = "raises when unset" if first.strict else f"set for {', '.join(elsewhere)}"
                out.append(
                    Finding(
                        rule_id=MISSING,
                        severity=Severity.LOW,
                        path=first.path,
                        line=first.line,
                        message=(
                            f"{v.name} is read with no fallback ({first.how}; {why}) but production ("
                            + ", ".join(sources)
                            + ") "
                            + ("sets it empty" if state == "empty" else "does not define it")
                            + ": the deploy will break"
                        ),
                        fix=(
                            f"Define {v.name} for production (your host's environment settings, or the deploy config "
                            "named above) before you deploy, or give the code a safe fallback."
                        ),
                        fingerprint=location_fingerprint(MISSING, v.name),
                    )
                )
        env_defs = [d for d in v.definitions if d.path.rsplit("/", 1)[-1].lower().startswith(".env")]
        if env_defs and not v.read and not v.mentioned:
            d = env_defs[0]
            out.append(
                Finding(
                    rule_id=UNUSED,
                    severity=Severity.INFO,
                    path=d.path,
                    line=d.line,
                    message=f"{v.name} is defined ({', '.join(sorted({x.path for x in env_defs}))}) but no code reads it",
                    fix=f"Delete {v.name} from the env files (and your host) if nothing uses it: an unused secret is one more to rotate.",
                    fingerprint=location_fingerprint(UNUSED, v.name),
                )
            )
    return out
