"""The ``journey:`` section of ``.launchready.yml``, validated into ``JourneySettings``.

Read with the typed readers of ``section_reader``, like every section (errors name
file:line:key and never echo a value). Secrets are
never read from the file: values come from the environment (``{env: VAR}``), from a live
identity (``identity: a``), from a capture of an earlier step (``{var: token}``), or are
generated per run (``{uuid}``, ``{timestamp}``, ``{email}``, ``{password}``).
See docs/journey.md and docs/examples/launchready.journey.yml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from launchready.config import Config
from launchready.journey.values import Template, parse_template
from launchready.live.config import METHODS
from launchready.section_reader import Reader, describe, id_hint, shown_key, suggest

SECTION_KEYS = {"url", "steps", "email_domain", "latency_ms", "stream_latency_ms", "notify", "budget"}
STEP_KEYS = {
    "name",
    "method",
    "path",
    "url",
    "json",
    "form",
    "body",
    "headers",
    "identity",
    "stream",
    "expect",
    "capture",
}
EXPECT_KEYS = {"status", "json", "body_contains", "reply_contains", "cookie", "header", "latency_ms"}
CAPTURE_KEYS = {"json", "header", "cookie", "secret"}
NOTIFY_KEYS = {"webhook_env", "format", "state_file"}
JSON_EXPECT_KEYS = {"path", "equals", "exists"}
BUDGET_KEYS = {"requests"}
STREAMS = {"sse", "chunked", "auto"}
FORMATS = {"slack", "discord", "json", "auto"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Each name and index is matched whole (the lookaheads), so a long near-miss is refused in
# linear time: the former ``(\.?[A-Za-z_][\w-]*|...)*`` backtracked exponentially.
_PATH = re.compile(r"\$?(?:\.?[A-Za-z_][\w-]*(?![\w-])|\[\d+\]|\.\d+(?!\d))*")


@dataclass(frozen=True)
class JsonExpect:
    path: str
    equals: Template | None = None  # None: the path must exist


@dataclass(frozen=True)
class Capture:
    var: str
    source: str  # json | header | cookie
    where: str  # the JSON path, header name or cookie name
    secret: bool = True


@dataclass(frozen=True)
class Expect:
    status: tuple[int, ...] = ()  # empty: any 2xx
    json: tuple[JsonExpect, ...] = ()
    body_contains: tuple[Template, ...] = ()
    reply_contains: tuple[Template, ...] = ()
    cookies: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    latency_ms: float | None = None  # None: the journey's default for the step's kind


@dataclass(frozen=True)
class Step:
    name: str
    method: str
    target: Template  # a path (joined to the journey URL) or an absolute URL
    body_kind: str = ""  # json | form | raw | ""
    body: Any = None  # a structure of Templates (json, form) or a Template (raw)
    headers: tuple[tuple[str, Template], ...] = ()
    identity: str | None = None
    stream: str = ""  # sse | chunked | auto | "" (not streamed)
    expect: Expect = field(default_factory=Expect)
    captures: tuple[Capture, ...] = ()

    @property
    def check_id(self) -> str:
        return f"journey.{self.name}"


@dataclass
class JourneySettings:
    url: str | None = None
    steps: list[Step] = field(default_factory=list)
    email_domain: str | None = None
    latency_ms: float = 5000.0
    stream_latency_ms: float = 30000.0
    webhook_env: str | None = None
    webhook_format: str = "auto"
    state_file: str | None = None
    requests: int = 50

    def uses(self, name: str) -> bool:
        """Does any step use the generated value ``name`` (``email``, ``password`` ...)?"""
        return any(name in placeholders(s, "gen") for s in self.steps)


def placeholders(step: Step, kind: str) -> set[str]:
    """Names of the ``kind`` placeholders (``var``, ``env``, ``gen``) a step uses."""
    out: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, Template):
            out.update(x.placeholders(kind))
        elif isinstance(x, dict):
            for val in x.values():
                walk(val)
        elif isinstance(x, (list, tuple)):
            for val in x:
                walk(val)

    walk(
        [
            step.target,
            step.body,
            [h for _, h in step.headers],
            [j.equals for j in step.expect.json],
            step.expect.body_contains,
            step.expect.reply_contains,
        ]
    )
    return out


def _template(v: Reader, raw: Any, key: str) -> Template:
    try:
        return parse_template(raw)
    except ValueError as exc:
        raise v.err(key, str(exc)) from None


def _structure(v: Reader, raw: Any, key: str) -> Any:
    """A JSON body: every string (and every ``{env: X}``-style mapping) becomes a Template."""
    if isinstance(raw, dict):
        if len(raw) == 1 and next(iter(raw)) in ("env", "var") and isinstance(next(iter(raw.values())), str):
            return _template(v, raw, key)
        return {str(k): _structure(v, val, f"{key}.{k}") for k, val in raw.items()}
    if isinstance(raw, list):
        return [_structure(v, val, f"{key}.{i}") for i, val in enumerate(raw)]
    if isinstance(raw, str):
        return _template(v, raw, key)
    return raw


def _strings(v: Reader, raw: Any, key: str) -> tuple[Template, ...]:
    items = raw if isinstance(raw, list) else [raw]
    return tuple(_template(v, x, f"{key}.{i}" if isinstance(raw, list) else key) for i, x in enumerate(items))


def _json_path(v: Reader, raw: Any, key: str) -> str:
    s = v.string(raw, key)
    if not _PATH.fullmatch(s):
        raise v.err(key, f"not a JSON path like token, data.user.id or items[0].id (got {describe(s)})")
    return s


def _expect(v: Reader, raw: Any, key: str) -> Expect:
    d = v.mapping(raw, key, EXPECT_KEYS)
    status: tuple[int, ...] = ()
    if "status" in d:
        items = d["status"] if isinstance(d["status"], list) else [d["status"]]
        status = tuple(int(v.number(x, f"{key}.status", 100, True)) for x in items)
        if any(s > 599 for s in status):
            raise v.err(f"{key}.status", "HTTP status codes are 100-599")
    jsons: list[JsonExpect] = []
    for i, j in enumerate(v.list_of(d.get("json"), f"{key}.json")):
        jk = f"{key}.json.{i}"
        if isinstance(j, str):
            jsons.append(JsonExpect(_json_path(v, j, jk)))
            continue
        jd = v.mapping(j, jk, JSON_EXPECT_KEYS)
        if "path" not in jd:
            raise v.err(jk, "needs 'path' (and 'equals' to compare a value)")
        if "exists" in jd and v.boolean(jd["exists"], f"{jk}.exists") is False:
            raise v.err(f"{jk}.exists", "only 'exists: true' is supported (leave it out to mean the same)")
        eq = jd.get("equals")
        jsons.append(
            JsonExpect(
                _json_path(v, jd["path"], f"{jk}.path"),
                None
                if "equals" not in jd
                else _template(v, eq if isinstance(eq, (str, dict)) else _literal(eq), f"{jk}.equals"),
            )
        )
    latency = v.number(d["latency_ms"], f"{key}.latency_ms", 1) if "latency_ms" in d else None
    return Expect(
        status=status,
        json=tuple(jsons),
        body_contains=_strings(v, d["body_contains"], f"{key}.body_contains") if "body_contains" in d else (),
        reply_contains=_strings(v, d["reply_contains"], f"{key}.reply_contains") if "reply_contains" in d else (),
        cookies=tuple(
            v.string(c, f"{key}.cookie") for c in (d["cookie"] if isinstance(d.get("cookie"), list) else [d["cookie"]])
        )
        if "cookie" in d
        else (),
        headers=tuple(
            v.string(c, f"{key}.header") for c in (d["header"] if isinstance(d.get("header"), list) else [d["header"]])
        )
        if "header" in d
        else (),
        latency_ms=latency,
    )


def _literal(x: Any) -> str:
    """``equals: 3`` / ``equals: true`` compare against the JSON text of the value."""
    import json

    return json.dumps(x)


def _captures(v: Reader, raw: Any, key: str) -> tuple[Capture, ...]:
    out = []
    for var, spec in v.mapping(raw, key).items():
        ck = f"{key}.{var}"
        if not _NAME.match(str(var)):
            raise v.err(ck, "variable names are lower-case letters, digits, - and _")
        if isinstance(spec, str):
            spec = {"json": spec}
        d = v.mapping(spec, ck, CAPTURE_KEYS)
        sources = [s for s in ("json", "header", "cookie") if s in d]
        if len(sources) != 1:
            raise v.err(ck, "give exactly one of 'json' (a path), 'header' or 'cookie' (a name)")
        src = sources[0]
        where = _json_path(v, d[src], f"{ck}.json") if src == "json" else v.string(d[src], f"{ck}.{src}")
        secret = v.boolean(d.get("secret", True), f"{ck}.secret")
        out.append(Capture(str(var), src, where, secret))
    return tuple(out)


def _step(v: Reader, raw: Any, key: str, names: dict[str, int], identities: set[str]) -> Step:
    d = v.mapping(raw, key, STEP_KEYS)
    if "name" not in d:
        raise v.err(key, "each step needs a 'name' (its check id is journey.<name>)")
    name = v.string(d["name"], f"{key}.name")
    if not _NAME.match(name):
        raise v.err(f"{key}.name", f"step names are lower-case letters, digits, - and _ (got {describe(name)})")
    if name in names:
        raise v.err(
            f"{key}.name", f"the same name as step {names[name]} (journey.steps.{names[name]}): names must differ"
        )
    names[name] = int(key.rsplit(".", 1)[1])
    if ("path" in d) == ("url" in d):
        raise v.err(key, "give either 'path' (joined to journey.url) or 'url'")
    target = _template(v, d.get("path", d.get("url")), f"{key}.{'path' if 'path' in d else 'url'}")
    bodies = [b for b in ("json", "form", "body") if b in d]
    if len(bodies) > 1:
        raise v.err(key, "give at most one of 'json', 'form' and 'body'")
    method = v.string(d.get("method", "POST" if bodies else "GET"), f"{key}.method").upper()
    if method not in METHODS:
        raise v.err(
            f"{key}.method",
            f"unknown method (allowed: {', '.join(sorted(METHODS))}; got {describe(method)}{suggest(method, METHODS)})",
        )
    body_kind: str = ""
    body: Any = None
    if bodies:
        body_kind = {"json": "json", "form": "form", "body": "raw"}[bodies[0]]
        if body_kind == "form":
            body = {
                str(k): _template(v, val if isinstance(val, (str, dict)) else str(val), f"{key}.form.{k}")
                for k, val in v.mapping(d["form"], f"{key}.form").items()
            }
        elif body_kind == "raw":
            body = _template(v, d["body"], f"{key}.body")
        else:
            body = _structure(v, d["json"], f"{key}.json")
    headers = tuple(
        (str(k), _template(v, val, f"{key}.headers.{k}"))
        for k, val in v.mapping(d.get("headers"), f"{key}.headers").items()
    )
    identity = None
    if "identity" in d:
        identity = v.string(d["identity"], f"{key}.identity")
        if identity not in identities:
            defined = (
                f"defined: {', '.join(shown_key(n) for n in sorted(identities))}" if identities else "none is defined"
            )
            raise v.err(f"{key}.identity", f"no identity {id_hint(identity)} in live.identities ({defined})")
    stream = ""
    if "stream" in d:
        stream = v.string(d["stream"], f"{key}.stream").lower() if d["stream"] is not True else "auto"
        if stream not in STREAMS:
            raise v.err(f"{key}.stream", f"one of {', '.join(sorted(STREAMS))} (or true for auto)")
    return Step(
        name,
        method,
        target,
        body_kind,
        body,
        headers,
        identity,
        stream,
        _expect(v, d.get("expect"), f"{key}.expect"),
        _captures(v, d.get("capture"), f"{key}.capture"),
    )


def load_journey(config: Config) -> JourneySettings:
    """Validate ``journey:`` (raising ConfigError). No section: settings with no steps."""
    v = Reader(config.source)
    raw = config.raw.get("journey")
    d = v.mapping(raw, "journey", SECTION_KEYS)
    s = JourneySettings()
    if "url" in d:
        s.url = v.url(d["url"], "journey.url")
    if "email_domain" in d:
        dom = v.string(d["email_domain"], "journey.email_domain").lower().lstrip("@")
        if not re.match(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", dom):
            raise v.err("journey.email_domain", f"not a domain name like example.com (got {describe(dom)})")
        s.email_domain = dom
    if "latency_ms" in d:
        s.latency_ms = v.number(d["latency_ms"], "journey.latency_ms", 1)
    if "stream_latency_ms" in d:
        s.stream_latency_ms = v.number(d["stream_latency_ms"], "journey.stream_latency_ms", 1)
    notify = v.mapping(d.get("notify"), "journey.notify", NOTIFY_KEYS)
    if "webhook_env" in notify:
        s.webhook_env = v.env_name(notify["webhook_env"], "journey.notify.webhook_env")
    if "format" in notify:
        s.webhook_format = v.string(notify["format"], "journey.notify.format").lower()
        if s.webhook_format not in FORMATS:
            raise v.err("journey.notify.format", f"one of {', '.join(sorted(FORMATS))}")
    if "state_file" in notify:
        s.state_file = v.string(notify["state_file"], "journey.notify.state_file")
    budget = v.mapping(d.get("budget"), "journey.budget", BUDGET_KEYS)
    s.requests = int(v.number(budget.get("requests", 50), "journey.budget.requests", 1, True))
    live = config.live if isinstance(config.live, dict) else {}
    idents = live.get("identities") if isinstance(live.get("identities"), dict) else {}
    identities = {str(k) for k in (idents or {})}
    names: dict[str, int] = {}
    s.steps = [
        _step(v, st, f"journey.steps.{i}", names, identities)
        for i, st in enumerate(v.list_of(d.get("steps"), "journey.steps"))
    ]
    if raw is not None and not s.steps:
        raise v.err("journey.steps", "a journey needs at least one step")
    # every {var: x} must be captured by an earlier step; {email} needs a domain
    captured: set[str] = set()
    for i, st in enumerate(s.steps):
        for var in sorted(placeholders(st, "var")):
            if var not in captured:
                raise v.err(f"journey.steps.{i}", f"uses {{var: {var}}} before any earlier step captures it")
        captured.update(c.var for c in st.captures)
    if s.uses("email") and not s.email_domain:
        raise v.err("journey", "{email} needs journey.email_domain (the domain signup emails are made under)")
    return s
