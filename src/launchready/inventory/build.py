"""Put the inventory together: services used, variables read and defined per environment,
webhook routes, keys ever leaked in history; and the two findings it can back with
evidence: ``env.missing-in-production`` and ``env.defined-unused``."""

from __future__ import annotations

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
from launchready.secrets.sources import SKIP_DIRS, git_files, walk_files

MAX_FILE = 1024 * 1024
_STATE_RANK = {"set": 3, "reference": 2, "placeholder": 1, "empty": 0}
MISSING = "env.missing-in-production"
PARTIAL = ("fly.toml", "vercel.json", "netlify.toml")
UNUSED = "env.defined-unused"


@dataclass
class Variable:
    name: str
    service: str | None
    reads: list[Read] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)
    implicit_by: str | None = None  # a used SDK that reads it by itself

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
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def collect(root: Path) -> tuple[list[Read], list[Use], list[Definition], list[dict[str, Any]], int]:
    reads: list[Read] = []
    uses: list[Use] = []
    defs: list[Definition] = []
    app_files: list[tuple[str, str]] = []
    n = 0
    for path in _files(root):
        rel = path.relative_to(root).as_posix()
        if rel.rsplit("/", 1)[-1].lower().startswith(".env"):
            continue  # read below, ignored ones included
        text = _text(path)
        if text is None:
            continue
        n += 1
        r, u = read_file(rel, text)
        reads += r
        uses += u
        defs += definitions_in(rel, text)
        if rel.endswith((".py", ".js", ".ts", ".tsx", ".jsx", ".mjs")):
            app_files.append((rel, text))
    for env_file in find_env_files(root, root):
        n += 1
        defs += env_file_definitions(env_file)
    return reads, uses, defs, _webhooks(app_files), n


def _webhooks(files: list[tuple[str, str]]) -> list[dict[str, Any]]:
    from launchready.repo.registry import AppContext, FileContext, is_test_path
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
    reads, uses, defs, webhooks, n = collect(root)
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
    )
    inv.findings = _findings(inv)
    return inv


def _findings(inv: Inventory) -> list[Finding]:
    out: list[Finding] = []
    for v in inv.variables:
        if is_platform_variable(v.name):
            continue
        envs = v.environments()
        if v.reads and inv.production_sources and not v.has_default:
            state = envs.get(PRODUCTION)
            if state is None or state == "empty":
                first = v.reads[0]
                where = ", ".join(sorted({e for e in envs if e != "example"})) or "nowhere"
                out.append(Finding(
                    rule_id=MISSING, severity=Severity.LOW, path=first.path, line=first.line,
                    message=(f"{v.name} is read with no fallback ({first.how}) but production ("
                             + ", ".join(inv.production_sources) + ") "
                             + ("sets it empty" if state == "empty" else "does not define it")
                             + f"; defined for: {where}: the deploy will break"),
                    fix=(f"Define {v.name} for production (your host's environment settings, or the deploy config "
                         "named above) before you deploy, or give the code a safe fallback."),
                    fingerprint=location_fingerprint(MISSING, v.name),
                ))  # fmt: skip
        env_defs = [d for d in v.definitions if d.path.rsplit("/", 1)[-1].lower().startswith(".env")]
        if env_defs and not v.read:
            d = env_defs[0]
            out.append(Finding(
                rule_id=UNUSED, severity=Severity.INFO, path=d.path, line=d.line,
                message=f"{v.name} is defined ({', '.join(sorted({x.path for x in env_defs}))}) but no code reads it",
                fix=f"Delete {v.name} from the env files (and your host) if nothing uses it: an unused secret is one more to rotate.",
                fingerprint=location_fingerprint(UNUSED, v.name),
            ))  # fmt: skip
    return out
