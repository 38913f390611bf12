"""Env-file hygiene (rule ids ``env.*``): the ``.env*`` files on disk, even when git ignores them.

- ``env.file-not-ignored``: a real env file (``.env``, ``.env.production`` ...) with real values
  that git tracks or does not ignore (the next ``git add .`` commits it).
- ``env.example-real-secret``: ``.env.example`` / ``.sample`` / ``.template`` holding a
  real-looking secret (examples are committed on purpose, so the value is public).
- ``env.public-prefix-secret``: a browser-shipped variable (``NEXT_PUBLIC_``, ``VITE_`` ...)
  holding a secret value or named like a secret: bundlers inline it into the JavaScript that
  every visitor downloads. Critical.
- ``env.shared-secret-across-envs``: the same secret value in two environments' files
  (``.env.development`` and ``.env.production``): one leak compromises both.

Values are never printed: findings carry redacted values and keyed fingerprints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from launchready import redact
from launchready.model import Finding, Severity
from launchready.secrets.engine import ALLOW_MARKERS, Engine
from launchready.secrets.filters import (
    THIS_MACHINE,
    is_placeholder,
    public_by_design_name,
    public_by_design_value,
    shannon_entropy,
)
from launchready.secrets.rule import Rule, named_rule
from launchready.secrets.sources import SKIP_DIRS, display, excluded, ignored, tracked

PUBLIC_PREFIXES = ("NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "NUXT_PUBLIC_", "PUBLIC_", "GATSBY_")
EXAMPLE_SUFFIXES = ("example", "sample", "template", "dist", "defaults", "tmpl", "tpl", "schema")


def _rule(id: str, description: str, severity: Severity, fix: str) -> Rule:
    return named_rule(id, description, severity, fix, "env")


ENV_RULES: tuple[Rule, ...] = (
    _rule(
        "env.file-not-ignored",
        "An env file with real values is tracked by git or not ignored",
        Severity.HIGH,
        "Add the file to .gitignore (e.g. `.env*` plus `!.env.example`), run `git rm --cached <file>` if it is tracked, rotate every secret it held if it was ever pushed, and commit a .env.example with placeholders instead.",
    ),
    _rule(
        "env.example-real-secret",
        "An example/template env file holds a real-looking secret",
        Severity.HIGH,
        "Replace the value with a placeholder (OPENAI_API_KEY=your-key-here) and rotate the real secret at its issuer: example files are committed and public.",
    ),
    _rule(
        "env.public-prefix-secret",
        "A browser-shipped env variable (NEXT_PUBLIC_, VITE_, REACT_APP_ ...) holds or names a secret",
        Severity.CRITICAL,
        "Drop the public prefix and read the secret only in server code (an API route, server action or backend proxy that calls the provider). If a build with this value was ever deployed, rotate the key: the bundler inlined it into the JavaScript every visitor downloads.",
    ),
    _rule(
        "env.shared-secret-across-envs",
        "The same secret value is used in two environments' env files",
        Severity.MEDIUM,
        "Issue a separate credential per environment (development, staging, production) so a leaked dev key cannot reach production data.",
    ),
)
RULES_BY_ID = {r.id: r for r in ENV_RULES}


class _Lazy:
    """A regex compiled on first use: the hook path imports this module only to list rules."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._rx: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(self.pattern, self.flags)
        return self._rx

    def search(self, text: str) -> re.Match[str] | None:
        return self._get().search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self._get().match(text)


_SECRET_NAME = _Lazy(
    r"(?i)(?:SECRET|PRIVATE|PASSWORD|PASSWD|PWD|TOKEN|API_?KEY|ACCESS_?KEY|SERVICE_?ROLE|CREDENTIAL|"
    r"AUTH_?KEY|SIGNING|WEBHOOK|DATABASE_URL|DB_URL|CONNECTION_STRING|DSN_PRIVATE|SMTP_PASS|"
    r"OPENAI|ANTHROPIC|CLAUDE|GEMINI|GROQ|MISTRAL|COHERE|REPLICATE|OPENROUTER|PERPLEXITY|DEEPSEEK|XAI_|"
    r"HUGGING_?FACE|HF_TOKEN|PINECONE|STRIPE_SECRET|SUPABASE_SERVICE|SENDGRID|TWILIO_AUTH|MAILGUN|RESEND)"
)
# Names of settings, not credentials, even under a provider's name (OPENAI_EMBEDDING_MODEL,
# OPENROUTER_MODELS_LIST): the last word says what the value is.
_SETTING_NAME = _Lazy(
    r"(?i)_(?:MODELS?|MODEL_NAME|DEPLOYMENT|DEPLOYMENT_NAME|NAME|FILE|PATH|DIR|LIST|URL|URI|ENDPOINT|HOST|PORT|REGION|VERSION"
    r"|ORG|ORGANIZATION|BASE|BASE_URL|TIMEOUT|LIMIT|ENABLED|DISABLED|TEMPERATURE|MAX_TOKENS|LOCATION|PROVIDER|MODE|LEVEL|TTL)$"
)
_CREDENTIAL_WORD = _Lazy(
    r"(?i)SECRET|PASSWORD|PASSWD|PWD|TOKEN|API_?KEY|ACCESS_?KEY|AUTH_?KEY|PRIVATE|CREDENTIAL|SERVICE_?ROLE|SIGNING"
)
# Keys made to be used from browsers (restricted by referrer/app), public under a public name.
_BROWSER_KEY_RULES = frozenset({"secret.google-api-key", "secret.google-browser-api-key"})
_STATE_TEXT = {
    "staged": "it is staged for commit",
    "tracked": "git tracks it",
    "not ignored": "git does not ignore it (the next `git add .` commits it)",
}
_URL = _Lazy(r"^[a-z][a-z0-9+.-]*://[^:/@\s]*(?::([^@\s]*))?@\[?([^:/?#\s\]]+)", re.IGNORECASE)
_LINE = _Lazy(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$")


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str
    line: int
    column: int  # of the value
    allowed: bool  # an inline allow marker on the line


@dataclass(frozen=True)
class EnvFile:
    path: str  # display path
    fs_path: Path | None
    text: str

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def is_example(self) -> bool:
        parts = self.name.lower().split(".")
        return any(p in EXAMPLE_SUFFIXES for p in parts[1:]) or self.name.lower().endswith(("-example", "_example"))

    @property
    def environment(self) -> str:
        """'development' for .env.development(.local) and development.env, 'default' for .env
        and .env.local."""
        low = self.name.lower()
        names = low.split(".")[2:] if low.startswith(".env") else low.split(".")[:-1]
        parts = [p for p in names if p not in ("local", "")]
        env = parts[0] if parts else "default"
        return {"dev": "development", "prod": "production", "stage": "staging"}.get(env, env)


# Committed by design: dotenv-vault's encrypted file. (Its key file, .env.keys, is not.)
_NOT_ENV = frozenset({".envrc", ".env.vault"})


def is_env_name(name: str) -> bool:
    low = name.lower()
    if low in _NOT_ENV or low.endswith((".py", ".js", ".ts", ".sh", ".md", ".json", ".yml", ".yaml")):
        return False
    return low == ".env" or low.startswith(".env.") or low.endswith(".env")


def parse(text: str) -> list[EnvVar]:
    """dotenv syntax: KEY=VALUE, ``export``, quotes, comments, multi-line quoted values."""
    out: list[EnvVar] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        raw = lines[i]
        m = _LINE.match(raw)
        if not m or raw.lstrip().startswith("#"):
            i += 1
            continue
        name, rest = m.group(1), m.group(2)
        col = m.start(2) + 1
        allowed = any(a in raw for a in ALLOW_MARKERS)
        start_line = i + 1
        value = rest.strip()
        if value[:1] in ("'", '"', "`"):
            q = value[0]
            body = value[1:]
            if q in body:
                value = body[: body.index(q)]
            else:  # multi-line quoted value
                chunks = [body]
                while i + 1 < len(lines):
                    i += 1
                    if q in lines[i]:
                        chunks.append(lines[i][: lines[i].index(q)])
                        allowed = allowed or any(a in lines[i] for a in ALLOW_MARKERS)
                        break
                    chunks.append(lines[i])
                value = "\n".join(chunks)
            col += 1
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        out.append(EnvVar(name, value, start_line, col, allowed))
        i += 1
    return out


def looks_real(value: str) -> bool:
    """A value someone would have to rotate: not empty, not a placeholder or reference."""
    v = value.strip()
    url = _URL.match(v)
    if url:  # a URL is a secret only through the password in it (and not a local dev default)
        password, host = url.group(1), url.group(2).lower()
        if not password or host in _LOCAL_HOSTS:
            return False
        return len(password) >= 6 and not is_placeholder(password)
    if len(v) < 8 or is_placeholder(v):
        return False
    if v.lower() in ("true", "false", "localhost", "development", "production", "staging", "test"):
        return False
    # a number, a local service's URL without credentials (`redis://localhost:6379`,
    # `http://127.0.0.1:9002`), or an e-mail address (`noreply@example.com`: a sender, not a key)
    from launchready.secrets.validators import is_address

    if _NOT_A_CREDENTIAL.match(v) or is_address(v):
        return False
    return shannon_entropy(v) >= 3.0


# Hosts of a developer's own machine (``filters.THIS_MACHINE``) or of a compose file's services:
# their credentials are local defaults.
_LOCAL_HOSTS = (*THIS_MACHINE, "[::1]", "db", "postgres", "mysql", "redis")
_NOT_A_CREDENTIAL = _Lazy(
    r"(?:[0-9.]+"
    r"|[a-z][a-z0-9+.-]*://(?:" + "|".join(re.escape(h) for h in _LOCAL_HOSTS) + r")(?::\d+)?(?:[/?#]\S*)?)$",
    re.IGNORECASE,
)


def _secret_name(name: str) -> bool:
    if not _SECRET_NAME.search(name) or public_by_design_name(name):
        return False
    # a provider's name on a setting (OPENAI_EMBEDDING_MODEL) is not a credential's name
    return not (_SETTING_NAME.search(name) and not _CREDENTIAL_WORD.search(name))


def _example_value(value: str) -> bool:
    """A value written to be replaced: a placeholder, or words naming what goes there
    (``dev_cleanup_token``, ``replace_with_strong_secret``, ``text-embedding-3-small``)."""
    from launchready.secrets.validators import not_identifier

    v = value.strip()
    return is_placeholder(v) or not not_identifier(v) or re.fullmatch(r"[a-z]+(?:[-_.][a-z0-9]+)+", v) is not None


def _public_prefix(name: str) -> str | None:
    upper = name.upper()
    return next((p for p in PUBLIC_PREFIXES if upper.startswith(p)), None)


class EnvChecker:
    """Runs the ``env.*`` rules. ``engine`` recognises provider-shaped secret values."""

    def __init__(self, engine: Engine, disabled: Iterable[str] = ()) -> None:
        self.engine = engine
        self.disabled = set(disabled)
        self.suppressed = 0

    def _engine_hit(self, var: EnvVar, path: str, public_name: bool = False) -> str | None:
        """The description of the secret rule matching this value, if any. Under a
        public-by-design name (FIREBASE_API_KEY, *_ANON_KEY) browser keys and generic
        high-entropy matches do not count: only a provider secret does."""
        for m in self.engine.scan(f"{var.name}={var.value}", path):
            if m.secret not in var.value:
                continue
            if public_name and (
                m.rule.generic
                or m.rule.id in _BROWSER_KEY_RULES
                or (m.rule.password_like and "assignment" in m.rule.id)
            ):
                continue
            return m.rule.description
        return None

    def _make(
        self,
        rule_id: str,
        f: EnvFile,
        var: EnvVar | None,
        message: str,
        secret: str | None = None,
        severity: Severity | None = None,
    ) -> Finding | None:
        if rule_id in self.disabled:
            return None
        if var is not None and var.allowed:
            self.suppressed += 1
            return None
        rule = RULES_BY_ID[rule_id]
        if secret is not None:
            fp = redact.fingerprint(rule_id, secret)
            shown = redact.redact(secret, password_like=True)
        else:
            fp = redact.location_fingerprint(rule_id, f.path, var.name if var else "")
            shown = None
        return Finding(
            rule_id=rule_id,
            severity=severity or rule.severity,
            path=f.path,
            message=message,
            fix=rule.fix,
            fingerprint=fp,
            line=var.line if var else None,
            column=var.column if var else None,
            secret=shown,
        )

    def per_file(self, f: EnvFile, state: str | None) -> list[Finding]:
        """Rules judged from one file. ``state``: "staged", "tracked", "not ignored" or None
        (not in git, or ignored: a local env file is where secrets belong)."""
        out: list[Finding | None] = []
        variables = parse(f.text)
        # what committing the file would leak: not what the bundler ships to every browser anyway
        # (`VITE_GOOGLE_CLIENT_ID`, a notice's text in a Vite `.env.development`, a file Vite's docs
        # say to commit); a secret under such a prefix is `env.public-prefix-secret`'s, below
        real = [v for v in variables if looks_real(v.value) and not _public_prefix(v.name)]
        for v in variables:
            prefix = _public_prefix(v.name)
            if prefix is None:
                continue
            public_name = public_by_design_name(v.name[len(prefix) :])
            hit = self._engine_hit(v, f.path, public_name) if v.value else None
            public_value = public_by_design_value(v.value)
            if hit:
                out.append(
                    self._make(
                        "env.public-prefix-secret",
                        f,
                        v,
                        f"{v.name} holds a secret ({hit}) and the {prefix} prefix makes the bundler put it in the JavaScript every visitor's browser downloads",
                        secret=v.value,
                    )
                )
            elif _secret_name(v.name[len(prefix) :]) and not public_value:
                real_value = looks_real(v.value)
                # A real-looking value is shipped to browsers: critical. A placeholder or a
                # non-secret value (NEXT_PUBLIC_API_KEY_NAME=x-api-key) under a secret's name
                # is a warning (empty too): the day someone fills it in, it ships.
                out.append(
                    self._make(
                        "env.public-prefix-secret",
                        f,
                        v,
                        f"{v.name} is named like a secret and the {prefix} prefix makes the bundler put it in the JavaScript every visitor's browser downloads"
                        + ("" if real_value else " (no real value yet: keep secrets out of public variables)"),
                        secret=v.value if real_value else None,
                        severity=None if real_value else Severity.MEDIUM,
                    )
                )
        if f.is_example:
            for v in variables:
                if _public_prefix(v.name) or not v.value:
                    continue
                hit = self._engine_hit(v, f.path)
                strong = _URL.match(v.value) is not None or shannon_entropy(v.value) >= 3.5
                if hit or (_secret_name(v.name) and looks_real(v.value) and strong and not _example_value(v.value)):
                    what = hit or "high-entropy value"
                    out.append(
                        self._make(
                            "env.example-real-secret",
                            f,
                            v,
                            f"{v.name} in an example file holds a secret ({what}); example files are committed and public",
                            secret=v.value,
                        )
                    )
        elif state and real:
            names = ", ".join(v.name for v in real[:3]) + (" ..." if len(real) > 3 else "")
            out.append(
                self._make(
                    "env.file-not-ignored",
                    f,
                    None,
                    f"{f.name} holds real values ({names}) and {_STATE_TEXT.get(state, state)}",
                )
            )
        return [x for x in out if x is not None]

    def across(self, files: Sequence[EnvFile]) -> list[Finding]:
        """``env.shared-secret-across-envs`` between non-example files of one directory."""
        out: list[Finding] = []
        by_dir: dict[str, list[EnvFile]] = {}
        for f in files:
            if not f.is_example:
                by_dir.setdefault(f.path.rpartition("/")[0], []).append(f)
        for group in by_dir.values():
            seen: dict[str, tuple[EnvFile, EnvVar]] = {}
            for f in sorted(group, key=lambda g: g.path):
                if f.environment == "default":  # .env / .env.local apply to every environment
                    continue
                for v in parse(f.text):
                    if not looks_real(v.value) or _public_prefix(v.name):
                        continue
                    if not (_secret_name(v.name) or self._engine_hit(v, f.path)):
                        continue
                    first = seen.get(v.value)
                    if first is None:
                        seen[v.value] = (f, v)
                        continue
                    of, ov = first
                    if of.environment == f.environment:
                        continue
                    made = self._make(
                        "env.shared-secret-across-envs",
                        f,
                        v,
                        f"{v.name} has the same secret value as {ov.name} in {of.name} ({of.environment} and {f.environment})",
                        secret=v.value,
                    )
                    if made is not None:
                        out.append(made)
        return out


def find_env_files(
    top: Path, base: Path, exclude: Sequence[str] = (), exclude_base: Path | None = None
) -> list[EnvFile]:
    """Every ``.env*`` file under ``top`` on disk, ignored or not (dependency dirs skipped)."""
    found: list[EnvFile] = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if not is_env_name(name):
                continue
            p = Path(dirpath) / name
            if p.is_symlink() or not p.is_file():
                continue
            if exclude and excluded(display(p, exclude_base or base), exclude):
                continue
            try:
                if p.stat().st_size > 1024 * 1024:
                    continue
                text = p.read_bytes().decode("utf-8-sig", errors="replace")
            except OSError:
                continue
            found.append(EnvFile(display(p, base), p, text))
    return found


def _states(files: Sequence[EnvFile], git_root: Path | None) -> dict[str, str | None]:
    """Each file's git state for ``per_file``: "tracked", "not ignored" or None (ignored, or
    not in a git work tree)."""
    state: dict[str, str | None] = {f.path: None for f in files}
    if git_root is not None and files:
        rels = {f.path: display(f.fs_path, git_root) for f in files if f.fs_path is not None}
        is_tracked = tracked(git_root, rels.values())
        is_ignored = ignored(git_root, rels.values())
        for shown, rel in rels.items():
            state[shown] = "tracked" if rel in is_tracked else None if rel in is_ignored else "not ignored"
    return state


def check_tree(
    checker: EnvChecker,
    top: Path,
    base: Path,
    git_root: Path | None,
    exclude: Sequence[str] = (),
    exclude_base: Path | None = None,
) -> tuple[list[Finding], int]:
    """All env rules for the tree under ``top``; returns findings and files read."""
    files = find_env_files(top, base, exclude, exclude_base)
    state = _states(files, git_root)
    findings: list[Finding] = []
    for f in files:
        findings.extend(checker.per_file(f, state[f.path]))
    findings.extend(checker.across(files))
    return findings, len(files)


def check_named(checker: EnvChecker, paths: Sequence[Path], base: Path, git_root: Path | None) -> list[Finding]:
    """The per-file env rules for env files named on the command line (``scan .env.example``
    gets the checks ``scan .`` gives it)."""
    files: list[EnvFile] = []
    for p in paths:
        if not is_env_name(p.name):
            continue
        try:
            text = p.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            continue
        files.append(EnvFile(display(p, base), p, text))
    state = _states(files, git_root)
    return [x for f in files for x in checker.per_file(f, state[f.path])]
