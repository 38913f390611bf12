"""The ``live:`` section of ``.launchready.yml``: validated into ``LiveSettings``.

Read with the typed readers of ``section_reader`` (errors name file:line:key and never echo
a value). Secrets (identity tokens, bypass
headers, basic-auth passwords) are never read from the file: the file names environment
variables and their values are read at run time (``Identity.headers``).
See docs/live-checks.md for the reference and docs/examples/launchready.live.yml.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from launchready import redact
from launchready.config import Config
from launchready.live.http import Budget
from launchready.section_reader import Reader, describe, id_hint, shown_key, shown_name, suggest, url_problem

SECTION_KEYS = {
    "targets",
    "url",
    "allowed_origins",
    "headers",
    "basic_auth",
    "identities",
    "budget",
    "concurrency",
    "timeout",
    "tls",
    "hsts",
    "cdn",
    "redirect",
    "cors",
    "exposure",
    "bundle",
    "input",
    "ratelimit",
    "authz",
    "latency",
    "email",
    "monitoring",
}
TARGET_KEYS = {"url", "api_url", "http_url", "name"}
ENDPOINT_KEYS = {
    "path",
    "url",
    "method",
    "body",
    "headers",
    "identity",
    "model",
    "limit",
    "margin",
    "kind",
    "content_type",
    "owner",
    "markers",
}
IDENTITY_KEYS = {"token_env", "cookie", "header", "value_env", "scheme"}
BASIC_AUTH_KEYS = {"username", "username_env", "password_env"}
# The keys of each live.<area> mapping (the schema lists the same: tests/report/test_schemas.py).
AREA_KEYS: dict[str, set[str]] = {
    "budget": {"requests", "seconds", "per_check"},
    "tls": {"expiry_warn_days", "expiry_fail_days"},
    "hsts": {"min_max_age"},
    "cdn": {"required"},
    "redirect": {"paths"},
    "cors": {"endpoints"},
    "exposure": {"paths"},
    "bundle": {"max_scripts"},
    "input": {"endpoints", "max_body_bytes"},
    "ratelimit": {"endpoints"},
    "authz": {"resources", "writes"},
    "latency": {"endpoints", "samples", "threshold_ms", "model_threshold_ms"},
    "monitoring": {"health", "status_page"},
    "email": {"domain", "dns_servers", "dkim_selectors", "timeout", "retries"},
}
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
WRITE_METHODS = {"PUT", "PATCH", "DELETE", "POST"}


def is_http_url(s: str) -> bool:
    """An http(s) URL with a host and a valid port (``http://[::1`` and ``:99999`` are not)."""
    return url_problem(s) is None


@dataclass(frozen=True)
class Target:
    url: str  # the base URL (the site)
    api_url: str | None = None
    http_url: str | None = None  # the plain-HTTP entry point, when not port 80 of the same host

    @property
    def api(self) -> str:
        return self.api_url or self.url

    @property
    def plain_http(self) -> str | None:
        """Where plain HTTP is served: configured, derived (port 80 of the host) or unknown."""
        if self.http_url:
            return self.http_url
        parts = urlsplit(self.url)
        if parts.scheme == "http":
            return self.url
        if parts.port in (None, 443):
            return f"http://{parts.hostname}/"
        return None


ENV_PREFIXES = ("LR_", "LAUNCHREADY_")
# Variables never read unless named exactly by --allow-env / the allow_env input: the
# runner's own tokens and launchready's key (a config must not be able to send them away).
_NEVER_BY_DEFAULT = ("GITHUB_", "ACTIONS_", "RUNNER_")
_OWN_KEYS = frozenset({"LAUNCHREADY_FINGERPRINT_KEY", "LAUNCHREADY_RAISE", "LAUNCHREADY_JOBS"})


@dataclass(frozen=True)
class EnvPolicy:
    """Which environment variables a config may name (live.headers ``{env: VAR}``,
    ``basic_auth`` ``*_env``, identities ``token_env``/``value_env``).

    By default only ``LR_*`` and ``LAUNCHREADY_*`` (but never launchready's own key);
    ``allowed`` adds names (``VERCEL_AUTOMATION_BYPASS_SECRET``) or prefixes (``VERCEL_*``)
    from ``--allow-env`` / the ``allow_env`` input. ``GITHUB_TOKEN``, ``ACTIONS_*`` and
    ``RUNNER_*`` are read only when allowed by their exact name. ``refuse_all`` (the Action,
    for a config the pull request changed) refuses every reference and says why."""

    allowed: frozenset[str] = frozenset()
    refuse_all: str = ""

    def refusal(self, name: str) -> str | None:
        """None when ``name`` may be read, else why not (the name as ``shown_name`` shows it)."""
        if self.refuse_all:
            return self.refuse_all
        if name in self.allowed:
            return None
        shown = shown_name(name)
        if name.startswith(_NEVER_BY_DEFAULT) or name in _OWN_KEYS:
            return f"{shown} is read only when allowed by its exact name (--allow-env {shown} or the allow_env input)"
        if name.startswith(ENV_PREFIXES) or any(a.endswith("*") and name.startswith(a[:-1]) for a in self.allowed):
            return None
        return (
            f"{shown} is not an allowed variable: a config may name LR_* and LAUNCHREADY_* variables, "
            f"or those allowed with --allow-env {shown} (the allow_env input in the Action)"
        )


def parse_allow_env(values: list[str] | tuple[str, ...]) -> frozenset[str]:
    """``--allow-env`` values (each may hold several names separated by commas or spaces)."""
    out: set[str] = set()
    for value in values:
        for name in value.replace(",", " ").split():
            bare = name[:-1] if name.endswith("*") else name
            if not bare or not bare.replace("_", "").isalnum() or bare[0].isdigit():
                from launchready.errors import UsageError

                raise UsageError(f"--allow-env {name!r}: expected a variable name or a PREFIX_* pattern")
            if name.endswith("*") and bare.startswith(_NEVER_BY_DEFAULT):
                from launchready.errors import UsageError

                raise UsageError(
                    f"--allow-env {name!r}: {bare}* variables can only be allowed one by one, by exact name"
                )
            out.add(name)
    return frozenset(out)


@dataclass(frozen=True)
class Identity:
    name: str
    kind: str  # bearer | cookie | header
    env: str
    header: str = ""  # header name (kind header) or cookie name (kind cookie)
    scheme: str = "Bearer"
    refused: str = ""  # non-empty: the variable may not be read (EnvPolicy), and why
    # where the variable is read, when the check runs (``load_live(env=...)``; default the process's)
    lookup: Callable[[str], str | None] = field(default=os.environ.get, compare=False, repr=False)

    def value(self) -> str | None:
        if self.refused:
            return None
        v = self.lookup(self.env)
        if v:
            redact.remember(v)
        return v or None

    def header_names(self) -> list[str]:
        """The header this identity's credential travels in."""
        return {"bearer": ["Authorization"], "cookie": ["Cookie"]}.get(self.kind, [self.header])

    def headers(self) -> dict[str, str]:
        v = self.value()
        if v is None:
            if self.refused:
                raise MissingIdentity(
                    f"identity {shown_key(self.name)!r}: environment variable not read: {self.refused}"
                )
            raise MissingIdentity(
                f"identity {shown_key(self.name)!r}: environment variable {shown_name(self.env)} is not set"
            )
        if self.kind == "bearer":
            return {"Authorization": f"{self.scheme} {v}".strip()}
        if self.kind == "cookie":
            return {"Cookie": f"{self.header}={v}"}
        return {self.header: v}


class MissingIdentity(Exception):
    """An identity's environment variable is not set (the check reports ``error``)."""


@dataclass(frozen=True)
class Endpoint:
    path: str  # a path (joined to the target's API or base URL) or an absolute URL
    method: str = "GET"
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    identity: str | None = None
    model: bool = False
    limit: int | None = None
    margin: int | None = None
    kind: str = ""
    content_type: str = "application/json"
    owner: str = "a"
    markers: tuple[str, ...] = ()

    def url_for(self, base: str) -> str:
        if self.path.startswith(("http://", "https://")):
            return self.path
        return urljoin(base if base.endswith("/") else base + "/", self.path.lstrip("/"))


@dataclass
class LiveSettings:
    targets: list[Target] = field(default_factory=list)
    allowed_origins: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    basic_auth: tuple[str, str] | None = None
    identities: dict[str, Identity] = field(default_factory=dict)
    budget: Budget = field(default_factory=Budget)
    concurrency: int = 4
    timeout: float = 10.0
    tls_warn_days: int = 30
    tls_fail_days: int = 7
    hsts_min_age: int = 15552000
    cdn_required: bool = False
    redirect_paths: list[str] = field(default_factory=lambda: ["/login", "/api/"])
    cors_endpoints: list[Endpoint] = field(default_factory=list)
    exposure_paths: list[str] = field(default_factory=list)
    bundle_max_scripts: int = 25
    input_endpoints: list[Endpoint] = field(default_factory=list)
    input_max_body: int = 1_048_576
    ratelimit_endpoints: list[Endpoint] = field(default_factory=list)
    authz_resources: list[Endpoint] = field(default_factory=list)
    authz_writes: bool = False
    latency_endpoints: list[Endpoint] = field(default_factory=list)
    latency_samples: int = 10
    latency_threshold_ms: float = 500.0
    latency_model_threshold_ms: float = 10000.0
    monitoring_health: str | None = None
    monitoring_status_page: str | None = None
    email_domain: str | None = None
    email_dns_servers: list[str] = field(default_factory=list)
    email_dkim_selectors: list[str] = field(default_factory=list)
    # which sections the config named (for "needs configuration" skip reasons)
    configured: set[str] = field(default_factory=set)
    # environment references the EnvPolicy refused, one line each (for the notes/summary)
    refused_env: list[str] = field(default_factory=list)

    def credential_origins(self) -> list[str]:
        """The configured targets' URLs: the only origins that receive live.headers,
        basic_auth and identity credentials (a derived plain-HTTP URL is not one of them)."""
        return [u for t in self.targets for u in (t.url, t.api_url, t.http_url) if u]

    def explicit_hosts(self) -> list[str]:
        """Hosts named in the config (targets, monitoring): the only ones that may be
        link-local or metadata addresses."""
        urls = [*self.credential_origins(), self.monitoring_status_page or ""]
        if self.monitoring_health and self.monitoring_health.startswith(("http://", "https://")):
            urls.append(self.monitoring_health)
        return [h for h in (urlsplit(u).hostname for u in urls if u) if h]

    def origins_for(self, target: Target) -> list[str]:
        if self.allowed_origins:
            return self.allowed_origins
        parts = urlsplit(target.url)
        return [f"{parts.scheme}://{parts.netloc}".lower()]


def _defined(identities: Mapping[str, object]) -> str:
    """The identity names a reference may use (keys of the file, shown like key paths)."""
    names = sorted(identities)
    return f"defined: {', '.join(shown_key(n) for n in names)}" if names else "none is defined"


def _endpoint(v: Reader, raw: Any, key: str) -> Endpoint:
    if isinstance(raw, str):
        return Endpoint(path=v.string(raw, key))
    d = v.mapping(raw, key, ENDPOINT_KEYS)
    if "path" in d and "url" in d:
        raise v.err(key, "give either 'path' or 'url', not both")
    if "url" in d:
        path = v.url(d["url"], f"{key}.url")
    elif "path" in d:
        path = v.string(d["path"], f"{key}.path")
    else:
        raise v.err(key, "needs 'path' (relative to the target) or 'url'")
    method = v.string(d.get("method", "GET"), f"{key}.method").upper()
    if method not in METHODS:
        raise v.err(
            f"{key}.method",
            f"unknown method (allowed: {', '.join(sorted(METHODS))}; got {describe(method)}{suggest(method, METHODS)})",
        )
    headers = {
        str(k): v.string(val, f"{key}.headers.{k}") for k, val in v.mapping(d.get("headers"), f"{key}.headers").items()
    }
    markers = tuple(
        v.string(m, f"{key}.markers.{i}") for i, m in enumerate(v.list_of(d.get("markers"), f"{key}.markers"))
    )
    return Endpoint(
        path=path,
        method=method,
        body=d.get("body"),
        headers=headers,
        identity=v.string(d["identity"], f"{key}.identity") if "identity" in d else None,
        model=v.boolean(d["model"], f"{key}.model") if "model" in d else False,
        limit=int(v.number(d["limit"], f"{key}.limit", 1, True)) if "limit" in d else None,
        margin=int(v.number(d["margin"], f"{key}.margin", 0, True)) if "margin" in d else None,
        kind=v.string(d["kind"], f"{key}.kind").lower() if "kind" in d else "",
        content_type=v.string(d.get("content_type", "application/json"), f"{key}.content_type"),
        owner=v.string(d.get("owner", "a"), f"{key}.owner"),
        markers=markers,
    )


def _endpoints(v: Reader, section: dict[str, Any], key: str) -> list[Endpoint]:
    return [
        _endpoint(v, e, f"{key}.endpoints.{i}")
        for i, e in enumerate(v.list_of(section.get("endpoints"), f"{key}.endpoints"))
    ]


def _identity(v: Reader, name: str, raw: Any, key: str) -> Identity:
    if isinstance(raw, dict) and ({"value", "token", "password", "cookie_value"} & set(raw)):
        raise v.err(key, "secrets are never read from the file: name an environment variable (token_env or value_env)")
    d = v.mapping(raw, key, IDENTITY_KEYS)
    if "token_env" in d:
        return Identity(
            name, "bearer", v.env_name(d["token_env"], f"{key}.token_env"), scheme=str(d.get("scheme", "Bearer"))
        )
    if "cookie" in d:
        if "value_env" not in d:
            raise v.err(key, "a cookie identity needs 'value_env' (the variable holding the cookie value)")
        return Identity(
            name,
            "cookie",
            v.env_name(d["value_env"], f"{key}.value_env"),
            header=v.string(d["cookie"], f"{key}.cookie"),
        )
    if "header" in d:
        if "value_env" not in d:
            raise v.err(key, "a header identity needs 'value_env' (the variable holding the header value)")
        return Identity(
            name,
            "header",
            v.env_name(d["value_env"], f"{key}.value_env"),
            header=v.string(d["header"], f"{key}.header"),
        )
    raise v.err(key, "needs 'token_env', or 'cookie' + 'value_env', or 'header' + 'value_env'")


def _section(v: Reader, live: dict[str, Any], name: str) -> dict[str, Any]:
    """``live.<name>``: a mapping of the keys ``AREA_KEYS`` lists (absent: empty)."""
    return v.mapping(live.get(name), f"live.{name}", AREA_KEYS[name])


def load_live(
    config: Config,
    url: str | None = None,
    env: Callable[[str], str | None] = os.environ.get,
    policy: EnvPolicy | None = None,
) -> LiveSettings:
    """Validate ``config.live`` (raising ConfigError) and apply ``--url`` (overrides the base URL).
    Environment references are read only as far as ``policy`` allows; each refusal is
    listed in ``LiveSettings.refused_env``."""
    v = Reader(config.source)
    live = v.mapping(config.live, "live", SECTION_KEYS)
    s = LiveSettings(configured={k for k in live if live.get(k) is not None})
    policy = policy or EnvPolicy()

    def read(name: str, key: str) -> str | None:  # every environment read goes through the policy
        why = policy.refusal(name)
        if why is not None:
            s.refused_env.append(f"{key}: not read: {why}")
            return None
        return env(name)

    raw_targets = v.list_of(live.get("targets"), "live.targets")
    if "url" in live:
        raw_targets = [{"url": live["url"]}, *raw_targets]
    for i, t in enumerate(raw_targets):
        key = f"live.targets.{i}" if "url" not in live else ("live.url" if i == 0 else f"live.targets.{i - 1}")
        if isinstance(t, str):
            t = {"url": t}
        d = v.mapping(t, key, TARGET_KEYS)
        if "url" not in d:
            raise v.err(key, "each target needs 'url' (the deployed site)")
        s.targets.append(
            Target(
                url=v.url(d["url"], f"{key}.url" if "url" not in live or i else key),
                api_url=v.url(d["api_url"], f"{key}.api_url") if "api_url" in d else None,
                http_url=v.url(d["http_url"], f"{key}.http_url") if "http_url" in d else None,
            )
        )
    if url is not None:
        redact.remember_url(url)
        if not is_http_url(url):
            from launchready.errors import UsageError

            raise UsageError(f"--url {url!r}: expected an http:// or https:// URL")
        first = s.targets[0] if s.targets else None
        s.targets[:1] = [
            Target(url=url, api_url=first.api_url if first else None, http_url=first.http_url if first else None)
        ]
    s.allowed_origins = [
        v.url(o, f"live.allowed_origins.{i}").rstrip("/").lower()
        for i, o in enumerate(v.list_of(live.get("allowed_origins"), "live.allowed_origins"))
    ]
    for name, val in v.mapping(live.get("headers"), "live.headers").items():
        key = f"live.headers.{name}"
        if isinstance(val, dict):
            d = v.mapping(val, key, {"env"})
            var = v.env_name(d.get("env"), f"{key}.env")
            got = read(var, f"{key}.env")
            if got:
                redact.remember(got)
                s.headers[str(name)] = got
        else:
            s.headers[str(name)] = v.string(val, key)
    if live.get("basic_auth") is not None:
        d = v.mapping(live["basic_auth"], "live.basic_auth", BASIC_AUTH_KEYS)
        if "password_env" not in d:
            raise v.err("live.basic_auth", "needs 'password_env' (never a password in the file)")
        user = (
            v.string(d["username"], "live.basic_auth.username")
            if "username" in d
            else read(v.env_name(d.get("username_env"), "live.basic_auth.username_env"), "live.basic_auth.username_env")
            or ""
        )
        password = read(v.env_name(d["password_env"], "live.basic_auth.password_env"), "live.basic_auth.password_env")
        if password:
            redact.remember(password)
            s.basic_auth = (user, password)
    for name, raw in v.mapping(live.get("identities"), "live.identities").items():
        ident = dataclasses.replace(_identity(v, str(name), raw, f"live.identities.{name}"), lookup=env)
        why = policy.refusal(ident.env)
        if why is not None:
            s.refused_env.append(f"live.identities.{name}: not read: {why}")
            ident = dataclasses.replace(ident, refused=why)
        s.identities[str(name)] = ident
    b = _section(v, live, "budget")
    s.budget = Budget(
        requests=int(v.number(b.get("requests", 400), "live.budget.requests", 1, True)),
        seconds=v.number(b.get("seconds", 120), "live.budget.seconds", 1),
        per_check=int(v.number(b.get("per_check", 80), "live.budget.per_check", 1, True)),
    )
    if "concurrency" in live:
        s.concurrency = int(v.number(live["concurrency"], "live.concurrency", 1, True))
        if s.concurrency > 16:
            raise v.err("live.concurrency", "at most 16 (be polite to the site)")
    if "timeout" in live:
        s.timeout = v.number(live["timeout"], "live.timeout", 0.1)
    tls = _section(v, live, "tls")
    s.tls_warn_days = int(v.number(tls.get("expiry_warn_days", 30), "live.tls.expiry_warn_days", 0, True))
    s.tls_fail_days = int(v.number(tls.get("expiry_fail_days", 7), "live.tls.expiry_fail_days", 0, True))
    hsts = _section(v, live, "hsts")
    s.hsts_min_age = int(v.number(hsts.get("min_max_age", 15552000), "live.hsts.min_max_age", 0, True))
    cdn = _section(v, live, "cdn")
    s.cdn_required = v.boolean(cdn.get("required", False), "live.cdn.required")
    red = _section(v, live, "redirect")
    if "paths" in red:
        s.redirect_paths = [
            v.string(p, f"live.redirect.paths.{i}")
            for i, p in enumerate(v.list_of(red["paths"], "live.redirect.paths"))
        ]
    cors = _section(v, live, "cors")
    s.cors_endpoints = _endpoints(v, cors, "live.cors")
    exp = _section(v, live, "exposure")
    s.exposure_paths = [
        v.string(p, f"live.exposure.paths.{i}")
        for i, p in enumerate(v.list_of(exp.get("paths"), "live.exposure.paths"))
    ]
    bundle = _section(v, live, "bundle")
    s.bundle_max_scripts = int(v.number(bundle.get("max_scripts", 25), "live.bundle.max_scripts", 0, True))
    inp = _section(v, live, "input")
    s.input_endpoints = _endpoints(v, inp, "live.input")
    s.input_max_body = int(v.number(inp.get("max_body_bytes", 1_048_576), "live.input.max_body_bytes", 1, True))
    rl = _section(v, live, "ratelimit")
    s.ratelimit_endpoints = _endpoints(v, rl, "live.ratelimit")
    for i, e in enumerate(s.ratelimit_endpoints):
        if e.limit is None:
            raise v.err(
                f"live.ratelimit.endpoints.{i}",
                "needs 'limit' (how many requests the endpoint should allow before answering 429)",
            )
    az = _section(v, live, "authz")
    s.authz_resources = [
        _endpoint(v, e, f"live.authz.resources.{i}")
        for i, e in enumerate(v.list_of(az.get("resources"), "live.authz.resources"))
    ]
    s.authz_writes = v.boolean(az.get("writes", False), "live.authz.writes")
    lat = _section(v, live, "latency")
    s.latency_endpoints = _endpoints(v, lat, "live.latency")
    s.latency_samples = int(v.number(lat.get("samples", 10), "live.latency.samples", 1, True))
    s.latency_threshold_ms = v.number(lat.get("threshold_ms", 500), "live.latency.threshold_ms", 1)
    s.latency_model_threshold_ms = v.number(lat.get("model_threshold_ms", 10000), "live.latency.model_threshold_ms", 1)
    mon = _section(v, live, "monitoring")
    if "health" in mon:
        s.monitoring_health = v.string(mon["health"], "live.monitoring.health")
    if "status_page" in mon:
        s.monitoring_status_page = v.url(mon["status_page"], "live.monitoring.status_page")
    em = _section(v, live, "email")
    if em:
        try:  # the email area validates its own keys (file:line:key errors)
            from launchready.email import parse_email_settings
        except ImportError:
            pass
        else:
            parse_email_settings(em, config)
    if "domain" in em:
        s.email_domain = v.string(em["domain"], "live.email.domain")
    s.email_dns_servers = [
        v.string(x, f"live.email.dns_servers.{i}")
        for i, x in enumerate(v.list_of(em.get("dns_servers"), "live.email.dns_servers"))
    ]
    s.email_dkim_selectors = [
        v.string(x, f"live.email.dkim_selectors.{i}")
        for i, x in enumerate(v.list_of(em.get("dkim_selectors"), "live.email.dkim_selectors"))
    ]
    # identities referenced by endpoints must exist
    for key, eps in (
        ("live.input.endpoints", s.input_endpoints),
        ("live.ratelimit.endpoints", s.ratelimit_endpoints),
        ("live.latency.endpoints", s.latency_endpoints),
        ("live.cors.endpoints", s.cors_endpoints),
    ):
        for i, e in enumerate(eps):
            if e.identity and e.identity not in s.identities:
                raise v.err(
                    f"{key}.{i}.identity",
                    f"no identity {id_hint(e.identity)} in live.identities ({_defined(s.identities)})",
                )
    if s.authz_resources and not {"a", "b"} <= set(s.identities):
        raise v.err("live.authz", "needs identities 'a' (the owner) and 'b' (another user) in live.identities")
    for i, e in enumerate(s.authz_resources):
        if e.owner not in s.identities:
            raise v.err(
                f"live.authz.resources.{i}.owner",
                f"no identity {id_hint(e.owner)} in live.identities ({_defined(s.identities)})",
            )
        if e.method in WRITE_METHODS and not s.authz_writes:
            raise v.err(
                f"live.authz.resources.{i}.method", f"{e.method} is a write: set live.authz.writes: true to allow it"
            )
    return s
