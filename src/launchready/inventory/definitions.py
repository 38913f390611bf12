"""Where each environment variable is defined, per environment: ``.env*`` files, GitHub
workflow ``env:``/``secrets.*``/``vars.*``, Dockerfiles, compose files and deployment configs
(``vercel.json``, ``fly.toml``, ``render.yaml``, ``netlify.toml``, ``app.yaml``, Kubernetes
manifests).

Environments: the ``.env`` file's suffix (``.env.production`` -> ``production``; ``.env`` and
``.env.local`` -> ``development``), ``example`` for templates, a workflow job's
``environment:`` (else ``ci``; a deploy job without one counts as ``production``),
``image`` for Dockerfile ``ENV``/``ARG``, ``compose`` for compose files, ``production`` for
deployment configs. Only names and a state (``set``, ``empty``, ``placeholder``,
``reference``) are kept: never a value.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from launchready.envfiles import EnvFile, looks_real, parse

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_GH_REF = re.compile(r"\$\{\{\s*(secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_DOCKER_ENV = re.compile(r"^\s*(ENV|ARG)\s+(.*)$", re.IGNORECASE)
PRODUCTION = "production"
_PLACEHOLDER = re.compile(
    r"^(?:your[-_ ].*|.*[-_]here|x{3,}|.*_x{3,}|changeme|change[-_]?me|changethis|replace[-_]?me"
    r"|todo|tbd|<[^>]*>|\.\.\.|…|\*{3,})$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Definition:
    name: str
    environment: str
    path: str
    line: int | None
    how: str  # ".env.production", "workflow env (secrets.X)", "Dockerfile ENV", "fly.toml [env]"
    state: str  # "set", "empty", "placeholder", "reference" (from a secret store or another variable)


def _state(value: str) -> str:
    v = value.strip()
    if not v:
        return "empty"
    if v.startswith(("${", "$")) or "{{" in v:
        return "reference"
    if looks_real(v):
        return "set"
    return "placeholder" if _PLACEHOLDER.search(v) else "set"


def env_file_definitions(f: EnvFile) -> Iterator[Definition]:
    env = "example" if f.is_example else f.environment
    env = "development" if env == "default" else env
    for var in parse(f.text):
        yield Definition(var.name, env, f.path, var.line, f.name, _state(var.value))


def _line_map(text: str) -> dict[str, int]:
    """First line each word appears on (YAML nodes lose lines in safe_load)."""
    out: dict[str, int] = {}
    for i, line in enumerate(text.splitlines(), 1):
        for w in NAME_RE.findall(line):
            out.setdefault(w, i)
    return out


def _env_mapping(block: Any) -> dict[str, str]:
    if isinstance(block, dict):
        return {str(k): "" if v is None else str(v) for k, v in block.items()}
    if isinstance(block, list):  # compose's list form: ["A=1", "B"]
        out = {}
        for item in block:
            if isinstance(item, str):
                k, _, v = item.partition("=")
                out[k.strip()] = v
        return out
    return {}


def _safe_yaml(text: str) -> Any:
    try:
        docs = list(yaml.safe_load_all(text))
    except (yaml.YAMLError, RecursionError):  # nested too deeply: a hostile file
        return None
    return docs


def workflow_definitions(path: str, text: str) -> Iterator[Definition]:
    docs = _safe_yaml(text)
    if not docs or not isinstance(docs[0], dict):
        return
    wf, lines = docs[0], _line_map(text)
    top = _env_mapping(wf.get("env"))
    jobs: dict[str, Any] = wf["jobs"] if isinstance(wf.get("jobs"), dict) else {}
    for job_id, job in jobs.items():
        if not isinstance(job, dict):
            continue
        env_name = job.get("environment")
        if isinstance(env_name, dict):
            env_name = env_name.get("name")
        label = (
            str(env_name).lower()
            if env_name
            else ("production" if re.search(r"deploy|release", str(job_id), re.I) else "ci")
        )
        label = {"prod": PRODUCTION}.get(label, label)
        mapping = dict(top)
        mapping.update(_env_mapping(job.get("env")))
        for step in job.get("steps") or []:
            if isinstance(step, dict):
                mapping.update(_env_mapping(step.get("env")))
                for v in (step.get("with") or {}).values() if isinstance(step.get("with"), dict) else ():
                    for kind, ref in _GH_REF.findall(str(v)):
                        yield Definition(ref, label, path, lines.get(ref), f"workflow {kind}.{ref}", "reference")
        for name, value in mapping.items():
            refs = _GH_REF.findall(value)
            how = f"workflow env ({refs[0][0]}.{refs[0][1]})" if refs else "workflow env"
            yield Definition(name, label, path, lines.get(name), how, "reference" if refs else _state(value))


def dockerfile_definitions(path: str, text: str) -> Iterator[Definition]:
    for i, line in enumerate(text.splitlines(), 1):
        m = _DOCKER_ENV.match(line)
        if not m:
            continue
        kind, rest = m.group(1).upper(), m.group(2).strip()
        if kind == "ARG" or "=" in rest.split(" ", 1)[0]:  # ARG A B=1 / ENV A=1 B="2 3"
            pairs = [
                (t.group(1), t.group(2) or "")
                for t in re.finditer(r"([A-Za-z_][A-Za-z0-9_]*)(?:=(\"[^\"]*\"|'[^']*'|\S*))?", rest)
            ]
        else:  # the legacy ENV NAME value
            name, _, value = rest.partition(" ")
            pairs = [(name, value)]
        for name, value in pairs:
            if NAME_RE.fullmatch(name):
                yield Definition(name, "image", path, i, f"Dockerfile {kind}", _state(value.strip("\"'")))


def compose_definitions(path: str, text: str) -> Iterator[Definition]:
    docs = _safe_yaml(text)
    if not docs or not isinstance(docs[0], dict):
        return
    lines = _line_map(text)
    services = docs[0].get("services")
    for svc in (services or {}).values() if isinstance(services, dict) else ():
        if isinstance(svc, dict):
            for name, value in _env_mapping(svc.get("environment")).items():
                if NAME_RE.fullmatch(name):
                    yield Definition(name, "compose", path, lines.get(name), "compose environment", _state(value))


def _toml(text: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def deploy_definitions(path: str, text: str) -> Iterator[Definition]:
    """Deployment configs: what they name is what production gets (values or dashboard keys)."""
    name = path.rsplit("/", 1)[-1]
    lines = _line_map(text)
    found: list[tuple[str, str, str]] = []  # (variable, how, value)
    if name == "vercel.json":
        import json

        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            data = {}
        if isinstance(data, dict):
            for block, how in (
                (data.get("env"), "vercel.json env"),
                (
                    (data.get("build") or {}).get("env") if isinstance(data.get("build"), dict) else None,
                    "vercel.json build.env",
                ),
            ):
                found += [(k, how, v) for k, v in _env_mapping(block).items()]
    elif name == "fly.toml":
        found += [(k, "fly.toml [env]", v) for k, v in _env_mapping(_toml(text).get("env")).items()]
    elif name == "netlify.toml":
        data = _toml(text)
        build: dict[str, Any] = data["build"] if isinstance(data.get("build"), dict) else {}
        found += [(k, "netlify.toml [build.environment]", v) for k, v in _env_mapping(build.get("environment")).items()]
        ctx: dict[str, Any] = data["context"] if isinstance(data.get("context"), dict) else {}
        prod: dict[str, Any] = ctx["production"] if isinstance(ctx.get("production"), dict) else {}
        found += [(k, "netlify.toml [context.production]", v) for k, v in _env_mapping(prod.get("environment")).items()]
    elif name in ("render.yaml", "render.yml"):
        docs = _safe_yaml(text)
        data = docs[0] if docs and isinstance(docs[0], dict) else {}
        groups = (data.get("services") or []) + (data.get("envVarGroups") or [])
        for svc in groups if isinstance(groups, list) else []:
            for var in (svc.get("envVars") or []) if isinstance(svc, dict) else []:
                if isinstance(var, dict) and isinstance(var.get("key"), str):
                    value = (
                        "${dashboard}"
                        if var.get("sync") is False or "fromDatabase" in var or "generateValue" in var
                        else str(var.get("value", ""))
                    )
                    found.append((var["key"], "render.yaml envVars", value))
    elif name in ("app.yaml", "app.yml"):
        docs = _safe_yaml(text)
        data = docs[0] if docs and isinstance(docs[0], dict) else {}
        found += [(k, "app.yaml env_variables", v) for k, v in _env_mapping(data.get("env_variables")).items()]
    elif path.endswith((".yaml", ".yml")) and "kind:" in text and "containers" in text:
        for doc in _safe_yaml(text) or []:
            if isinstance(doc, dict) and doc.get("kind") in (
                "Deployment",
                "StatefulSet",
                "CronJob",
                "Job",
                "DaemonSet",
            ):
                for env in _k8s_env(doc):
                    if isinstance(env, dict) and isinstance(env.get("name"), str):
                        value = "${secret}" if "valueFrom" in env else str(env.get("value", ""))
                        found.append((env["name"], f"Kubernetes {doc['kind']} env", value))
    for var, how, value in found:
        if NAME_RE.fullmatch(var):
            yield Definition(var, PRODUCTION, path, lines.get(var), how, _state(value))


def _k8s_env(doc: dict[str, Any]) -> Iterator[Any]:
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("env"), list) and "image" in node:
                yield from node["env"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


DEPLOY_FILES = frozenset(
    {"vercel.json", "fly.toml", "netlify.toml", "render.yaml", "render.yml", "app.yaml", "app.yml"}
)


def definitions_in(path: str, text: str) -> list[Definition]:
    """Definitions in one non-.env file, by its name and place."""
    name = path.rsplit("/", 1)[-1]
    low = name.lower()
    if path.startswith(".github/workflows/") and low.endswith((".yml", ".yaml")):
        return list(workflow_definitions(path, text))
    if low == "dockerfile" or low.startswith("dockerfile.") or low.endswith(".dockerfile"):
        return list(dockerfile_definitions(path, text))
    if low.startswith(("docker-compose", "compose")) and low.endswith((".yml", ".yaml")):
        return list(compose_definitions(path, text))
    if low in DEPLOY_FILES or (
        low.endswith((".yaml", ".yml")) and ("k8s/" in path or "kubernetes/" in path or "deploy" in path)
    ):
        return list(deploy_definitions(path, text))
    return []
