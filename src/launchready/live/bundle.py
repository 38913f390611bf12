"""``bundle.secret``: secrets shipped to browsers in the page's same-origin JavaScript.

The HTML page's inline scripts and same-origin ``<script src>`` files are scanned with the
secret engine. Design decision: this yields the ``bundle.secret`` check (one per target,
``critical`` fail with the rule ids, script URLs and redacted values as evidence) and no
separate findings, so a live run stays one list of checks and the same secret is not
counted twice; rules whose own severity is low/info (publishable keys) only warn.
"""

from __future__ import annotations

from launchready.config import Config
from launchready.live.base import (
    NETWORK_ERRORS,
    Planned,
    Run,
    cannot_judge,
    errored,
    page_problem,
    result,
    scripts_in,
)
from launchready.live.config import Target
from launchready.live.http import describe_error
from launchready.model import CheckResult, Severity, Status

AREA = "bundle"
PHASE = 0
IDS = ("bundle.secret",)
FIX = (
    "Remove the secret from client code, rotate it now, and call the provider from your server "
    "(only publishable keys belong in a browser bundle)."
)

_ENGINE: dict[int, tuple[Config, object]] = {}


def _engine(config: Config) -> object:
    """One engine per config object (building one compiles every rule)."""
    from launchready.registry import all_rules
    from launchready.secrets.engine import Engine

    cached = _ENGINE.get(id(config))
    if cached is None or cached[0] is not config:
        cached = (config, Engine(all_rules(config)))
        _ENGINE.clear()
        _ENGINE[id(config)] = cached
    return cached[1]


def plan(run: Run, target: Target) -> list[Planned]:
    return [
        Planned(
            "GET", target.url, f"shared page fetch; then up to {run.settings.bundle_max_scripts} same-origin scripts"
        )
    ]


def check(run: Run, target: Target) -> list[CheckResult]:
    from launchready.secrets.engine import Engine, to_finding

    url = target.url
    try:
        page = run.client.get_shared("bundle.secret", url)
    except NETWORK_ERRORS as exc:
        return [errored("bundle.secret", Severity.CRITICAL, url, exc, FIX)]
    problem = page_problem(page, need_html=True)
    if problem:
        return [cannot_judge("bundle.secret", Severity.CRITICAL, url, problem, page)]
    engine = _engine(run.config)
    assert isinstance(engine, Engine)
    scripts, inline = scripts_in(page)
    texts: list[tuple[str, str]] = [(f"{url} (inline script {i + 1})", t) for i, t in enumerate(inline)]
    fetched = 0
    errors: list[str] = []
    missing: list[str] = []
    for s in scripts[: run.settings.bundle_max_scripts]:
        try:
            js = run.client.get_shared("bundle.secret", s)
        except NETWORK_ERRORS as exc:
            errors.append(f"{s}: {describe_error(exc)}")
            continue
        if 200 <= js.status < 300:
            fetched += 1
            texts.append((s, js.text))
        else:
            missing.append(f"{s}: {js.status}")
    hits: list[dict[str, object]] = []
    worst = Severity.INFO
    for where, text in texts:
        for m in engine.scan(text, where):
            if m.allowed:
                continue
            f = to_finding(m, where)
            hits.append(
                {
                    "rule_id": f.rule_id,
                    "script": where,
                    "line": f.line,
                    "column": f.column,
                    "secret": f.secret,
                    "fingerprint": f.fingerprint,
                    "rule_severity": f.severity.value,
                }
            )
            if f.severity.rank > worst.rank:
                worst = f.severity
    ev: dict[str, object] = {"scripts_scanned": fetched, "inline_scripts": len(inline)}
    if errors:
        ev["errors"] = errors
    if missing:
        ev["not_served"] = missing
    if hits:
        ev["secrets"] = hits
        rules = sorted({str(h["rule_id"]) for h in hits})
        if worst.rank >= Severity.MEDIUM.rank:
            return [
                result(
                    "bundle.secret",
                    Status.FAIL,
                    Severity.CRITICAL,
                    url,
                    f"{len(hits)} secret(s) shipped in client JavaScript ({', '.join(rules)})",
                    FIX,
                    ev,
                )
            ]
        return [
            result(
                "bundle.secret",
                Status.WARN,
                worst,
                url,
                f"{len(hits)} low-severity key(s) in client JavaScript ({', '.join(rules)}): check they are meant to be public",
                FIX,
                ev,
            )
        ]
    if errors:  # a script we could not read may hold the secret: never pass on it
        return [
            result(
                "bundle.secret",
                Status.ERROR,
                Severity.CRITICAL,
                url,
                f"could not check: {len(errors)} of {len(scripts[: run.settings.bundle_max_scripts])} script(s) could not be fetched "
                f"({errors[0]}); none of the {fetched} fetched held a secret",
                evidence=ev,
            )
        ]
    return [
        result(
            "bundle.secret",
            Status.PASS,
            Severity.CRITICAL,
            url,
            f"no secrets in {fetched} script(s) and {len(inline)} inline script(s)",
            evidence=ev,
        )
    ]
