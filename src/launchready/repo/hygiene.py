"""Repository hygiene: .env not ignored, secrets in Dockerfiles, risky GitHub workflows."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from typing import Any

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

DOTENV = rule(
    "repo.secrets-dotenv-not-ignored",
    Severity.HIGH,
    ".env is not listed in .gitignore although the app uses env files: one `git add .` commits every secret",
    "Add `.env` and `.env.*` (with `!.env.example`) to .gitignore.",
    scope="app",
)
DOCKER_SECRET = rule(
    "repo.secrets-dockerfile-secret",
    Severity.HIGH,
    "Secret passed through a Dockerfile ENV/ARG: it is baked into the image layers and visible in `docker history`",
    "Pass secrets at run time (environment of the container, orchestrator secrets) or use "
    "BuildKit `RUN --mount=type=secret` during the build.",
)
DOCKER_COPY_ENV = rule(
    "repo.secrets-dockerfile-copy-env",
    Severity.HIGH,
    "Dockerfile copies a .env file into the image: every secret in it ships with the image",
    "Remove the COPY of .env, add .env to .dockerignore, and provide the variables at run time.",
    scope="file+app",
)
PRT_CHECKOUT = rule(
    "repo.secrets-workflow-pr-target-checkout",
    Severity.CRITICAL,
    "pull_request_target workflow checks out the pull request's head: untrusted code runs with the repository's secrets",
    "Use the pull_request event for building untrusted code, or do not check out "
    "github.event.pull_request.head.* in a pull_request_target job.",
)
SECRET_ECHO = rule(
    "repo.secrets-workflow-secret-echo",
    Severity.HIGH,
    "Workflow step prints a secret to the log",
    "Never echo secrets; pass them through env: to the tool that needs them. Masking is "
    "best-effort and fails for transformed values (base64, substrings).",
)
WRITE_ALL = rule(
    "repo.auth-workflow-write-all",
    Severity.MEDIUM,
    "Workflow grants `permissions: write-all` to GITHUB_TOKEN",
    "Set `permissions: contents: read` at the top and grant only the scopes each job needs.",
)
UNPINNED = rule(
    "repo.secrets-workflow-unpinned-action",
    Severity.MEDIUM,
    "Third-party action pinned to a branch: whoever controls that branch runs code with your secrets",
    "Pin third-party actions to a full commit SHA (uses: owner/action@<40-hex sha> # v1.2.3).",
)

# -- Dockerfiles -------------------------------------------------------------------------------------

_SECRET_PART = frozenset(
    {"KEY", "APIKEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "PASS", "PWD", "CREDENTIALS", "CREDENTIAL", "PRIVATE"}
)
_NOT_SECRET_PART = frozenset(
    {
        "PUBLIC",
        "PUBLISHABLE",
        "FILE",
        "PATH",
        "ID",
        "URL",
        "NAME",
        "USER",
        "HOST",
        "PORT",
        "MIN",
        "MAX",
        "LENGTH",
        "TTL",
        "EXPIRY",
        "EXPIRES",
        "TIMEOUT",
        "ALGORITHM",
        "HEADER",
        "TYPE",
        "ENABLED",
        "REQUIRED",
        "DIR",
    }
)
_DOCKER_INSTR = re.compile(r"^\s*(ENV|ARG)\s+(.*)$", re.IGNORECASE)
_DOCKER_COPY = re.compile(r"^\s*(COPY|ADD)\s+(.*)$", re.IGNORECASE)


def secretish_var(name: str) -> bool:
    parts = set(re.split(r"[_\-.]", name.upper()))
    return bool(parts & _SECRET_PART) and not parts & _NOT_SECRET_PART


def _docker_lines(text: str) -> Iterator[tuple[int, str]]:
    """Logical instructions (continuations joined) with their first line number."""
    buf = ""
    start = 0
    for i, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if not buf:
            start = i
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        buf += stripped
        yield start, buf
        buf = ""
    if buf:
        yield start, buf


@file_check({"dockerfile"}, any_of("ENV", "ARG", "env", "arg", ".env"), [DOCKER_SECRET, DOCKER_COPY_ENV])
def dockerfile(ctx: FileContext) -> Iterator[Hit]:
    for line, instr in _docker_lines(ctx.text):
        m = _DOCKER_INSTR.match(instr)
        if m:
            kind, rest = m.group(1).upper(), m.group(2)
            names: list[tuple[str, bool]] = []
            if kind == "ENV" and "=" not in rest.split(" ", 1)[0]:
                parts = rest.split(None, 1)
                names.append((parts[0], len(parts) > 1 and bool(parts[1].strip())))
            else:
                for tok in re.findall(r"([A-Za-z_][\w]*)(=(\"[^\"]*\"|'[^']*'|\S*))?", rest):
                    names.append((tok[0], bool(tok[2].strip("\"'"))))
            for name, has_value in names:
                if secretish_var(name) and (kind == "ARG" or has_value):
                    yield Hit(
                        DOCKER_SECRET, line, 1, f"{kind} {name}: a secret in a Dockerfile {kind} is stored in the image"
                    )
            continue
        m = _DOCKER_COPY.match(instr)
        if m:
            srcs = [s for s in m.group(2).split() if not s.startswith("--")][:-1]
            for s in srcs:
                base = s.rstrip("/").rsplit("/", 1)[-1]
                if base == ".env" or (
                    base.startswith(".env.") and not base.endswith((".example", ".sample", ".template"))
                ):
                    yield Hit(
                        DOCKER_COPY_ENV, line, 1, f"{m.group(1).upper()} {s}: the env file is baked into the image"
                    )


# -- GitHub workflows --------------------------------------------------------------------------------

_SHA = re.compile(r"^[0-9a-f]{40}$")
_VERSION = re.compile(r"^v?\d+(\.\d+)*(-[\w.]+)?$")
_SECRET_EXPR = re.compile(r"\$\{\{\s*secrets\.(\w+)\s*\}\}")
_PRINTS = re.compile(r"\b(echo|printf|cat|print|Write-Host|Write-Output)\b")
_HEAD_REF = re.compile(r"github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/")
_TRUSTED_OWNERS = ("actions/", "github/", "docker/", "./", "docker://")


def _map_get(node: Any, key: str) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return v
    return None


def _on_events(root: Any) -> set[str]:
    import yaml

    on = _map_get(root, "on") or _map_get(root, "true")  # YAML 1.1 reads a bare `on` key as true
    if on is None:
        return set()
    if isinstance(on, yaml.ScalarNode):
        return {on.value}
    if isinstance(on, yaml.SequenceNode):
        return {n.value for n in on.value if isinstance(n, yaml.ScalarNode)}
    if isinstance(on, yaml.MappingNode):
        return {k.value for k, _ in on.value}
    return set()


def _find_line(ctx: FileContext, node: Any, needle: str) -> int:
    """The 1-based line of needle inside the node's text span (block scalars included)."""
    first = int(node.start_mark.line)
    last = max(first, int(node.end_mark.line))
    for i in range(first, min(last + 1, len(ctx.lines))):
        if needle in ctx.lines[i]:
            return i + 1
    return first + 1


def _unpinned(uses: Any) -> Iterator[Hit]:
    ref = uses.value
    if "@" in ref and not ref.startswith(_TRUSTED_OWNERS):
        version = ref.rsplit("@", 1)[1]
        if not _SHA.match(version) and not _VERSION.match(version):
            yield Hit(
                UNPINNED,
                uses.start_mark.line + 1,
                uses.start_mark.column + 1,
                f"{ref}: third-party action pinned to the branch '{version}'",
            )


_PIPED = re.compile(r"^[^;&]*(?:\||>)")


def _printed_secret(cmd: str) -> str | None:
    """secrets.X when this shell line prints it to the log (not piped, redirected or masked)."""
    code = cmd.split(" #", 1)[0]
    for m in _SECRET_EXPR.finditer(code):
        before, after = code[: m.start()], code[m.end() :]
        seg = re.split(r"&&|;|\|\|", before)[-1]
        if not _PRINTS.search(seg) or "::add-mask::" in seg or _PIPED.match(after):
            continue
        return m.group(1)
    return None


@file_check(
    {"workflow"},
    any_of("uses:", "run:", "permissions", "pull_request_target"),
    [PRT_CHECKOUT, SECRET_ECHO, WRITE_ALL, UNPINNED],
)
def workflow(ctx: FileContext) -> Iterator[Hit]:
    import yaml

    root = ctx.yaml
    if not isinstance(root, yaml.MappingNode):
        return
    prt = "pull_request_target" in _on_events(root)
    perms = _map_get(root, "permissions")
    if isinstance(perms, yaml.ScalarNode) and perms.value == "write-all":
        yield Hit(WRITE_ALL, perms.start_mark.line + 1, perms.start_mark.column + 1)
    jobs = _map_get(root, "jobs")
    if not isinstance(jobs, yaml.MappingNode):
        return
    for _, job in jobs.value:
        job_uses = _map_get(job, "uses")  # a reusable workflow
        if isinstance(job_uses, yaml.ScalarNode):
            yield from _unpinned(job_uses)
        jperms = _map_get(job, "permissions")
        if isinstance(jperms, yaml.ScalarNode) and jperms.value == "write-all":
            yield Hit(WRITE_ALL, jperms.start_mark.line + 1, jperms.start_mark.column + 1)
        steps = _map_get(job, "steps")
        if not isinstance(steps, yaml.SequenceNode):
            continue
        for step in steps.value:
            uses = _map_get(step, "uses")
            if isinstance(uses, yaml.ScalarNode):
                if prt and uses.value.startswith("actions/checkout"):
                    with_ = _map_get(step, "with")
                    r = _map_get(with_, "ref") if with_ is not None else None
                    if isinstance(r, yaml.ScalarNode) and _HEAD_REF.search(r.value):
                        yield Hit(PRT_CHECKOUT, r.start_mark.line + 1, r.start_mark.column + 1)
                yield from _unpinned(uses)
            run = _map_get(step, "run")
            if isinstance(run, yaml.ScalarNode):
                for cmd in run.value.splitlines():
                    name = _printed_secret(cmd)
                    if name:
                        line = _find_line(ctx, run, cmd.strip())
                        yield Hit(SECRET_ECHO, line, 1, f"secrets.{name} is printed to the workflow log")


# -- .env and .gitignore (whole app) -----------------------------------------------------------------

_ENV_READERS_PY = frozenset({"load_dotenv", "dotenv_values", "find_dotenv", "read_env", "Env", "environ.Env"})


def ignored(patterns: list[str], name: str = ".env") -> bool:
    result = False
    for raw in patterns:
        p = raw.strip()
        if not p or p.startswith("#"):
            continue
        neg = p.startswith("!")
        p = p.lstrip("!").lstrip("/")
        if p.startswith("**/"):
            p = p[3:]
        p = p.rstrip("/")
        if fnmatch.fnmatchcase(name, p):
            result = not neg
    return result


def _reads_env_files(app: AppContext) -> FileContext | None:
    for f in app.files:
        if f.kind == "py" and ("dotenv" in f.text or "read_env" in f.text or "env_file" in f.text):
            if pyast.imported_modules(f) & {"dotenv", "environ", "decouple"}:
                return f
            if any(pyast.last_name(c.func) in _ENV_READERS_PY for c in pyast.calls(f)):
                return f
        elif f.kind == "js" and "dotenv" in f.text:
            if any(t.value in ("dotenv", "dotenv/config", "dotenv-flow") for t in f.js.strings()):
                return f
        elif (f.kind == "package" and '"dotenv' in f.text) or (
            f.name in ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")
            and "env_file" in f.text
        ):
            return f
    return None


@app_check([DOTENV])
def dotenv_not_ignored(app: AppContext) -> Iterator[Hit]:
    """Preventive: the app loads env files but .gitignore does not cover .env. An existing
    .env with real values that is not ignored is env.file-not-ignored (envfiles.py)."""
    why = _env_loaded_by(app)
    if why is None:
        return
    ignores = [f for f in app.files if f.name == ".gitignore"]
    if any(ignored(gi.lines) for gi in ignores):
        return
    where = min(ignores, key=lambda g: g.path.count("/")).path if ignores else ".gitignore"
    yield Hit(DOTENV, None, None, f".env is not in .gitignore and {why}", path=where, context=why)


def _env_loaded_by(app: AppContext) -> str | None:
    """Why the app uses env files: its code loads one, or its framework does (Next.js, Vite,
    Nuxt, CRA load .env files themselves)."""
    reader = _reads_env_files(app)
    if reader is not None:
        return f"{reader.path} loads env files"
    for f in app.of_kind("package"):
        for fw in ('"next"', '"vite"', '"nuxt"', '"react-scripts"'):
            if fw in f.text:
                return f"{fw.strip(chr(34))} loads .env files"
    return None


@app_check([DOCKER_COPY_ENV])
def docker_copy_context(app: AppContext) -> Iterator[Hit]:
    """``COPY . .`` ships the whole build context, .env included, unless .dockerignore excludes it."""
    copies = []
    for f in app.of_kind("dockerfile"):
        for line, instr in _docker_lines(f.text):
            m = _DOCKER_COPY.match(instr)
            if not m:
                continue
            args = m.group(2).split()
            if any(a.startswith("--from") for a in args):
                continue
            srcs = [a for a in args if not a.startswith("--")][:-1]
            if any(s in (".", "./") for s in srcs):
                copies.append((f, line))
    if not copies:
        return
    if any(f.name.endswith(".dockerignore") and ignored(f.lines) for f in app.files):
        return
    exists = any(
        f.name == ".env" or (f.name.startswith(".env.") and not f.name.endswith((".example", ".sample", ".template")))
        for f in app.files
    )
    why = "an env file exists" if exists else _env_loaded_by(app)
    if why is None:
        return
    for f, line in copies:
        yield Hit(
            DOCKER_COPY_ENV,
            line,
            1,
            f"COPY . copies the whole build context and no .dockerignore excludes .env ({why})",
            path=f.path,
        )
