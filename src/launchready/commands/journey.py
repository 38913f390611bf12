"""``launchready journey``: the synthetic user journey (see docs/journey.md)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from launchready import redact
from launchready.commands import Console, Context, refuse_report_flags
from launchready.config import Config
from launchready.errors import UsageError
from launchready.journey.config import JourneySettings, load_journey
from launchready.journey.notify import (
    STATE_HINT,
    change,
    detect_format,
    message,
    next_state,
    outcome,
    payload,
    post,
    read_state,
    write_state,
)
from launchready.journey.runner import limit_ms, plan, run_journey
from launchready.journey.values import Values
from launchready.live.config import EnvPolicy, Identity, LiveSettings, load_live, parse_allow_env
from launchready.live.http import Budget, Client, HttpOptions, make_session, resolve_map
from launchready.model import CheckResult, Report
from launchready.outfiles import refuse_unreplaceable
from launchready.printable import safe

HELP = "run the synthetic user journey (sign up, log in, chat) and alert when it breaks"
DESCRIPTION = (
    "Run the journey: section of .launchready.yml against the deployed site, step by step, "
    "the way a new user would: each step is an HTTP request with expectations (status, JSON, "
    "text, latency, a streamed reply that finishes) and captures for later steps. One check "
    "per step (journey.<step>); the first step that does not pass ends the journey and the "
    "rest are skipped. With --state FILE and a webhook, posts a short redacted message when "
    "the journey goes from passing to failing and back."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("journey options")
    g.add_argument(
        "--url",
        metavar="URL",
        help="the deployed site the step paths are joined to (overrides journey.url and live.targets)",
    )
    g.add_argument("--ca-bundle", metavar="FILE", help="trust these CA certificates instead of the system store")
    g.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST:PORT:ADDR",
        help="connect to ADDR for HOST:PORT, like curl (repeatable)",
    )
    g.add_argument("--dry-run", action="store_true", help="list the steps and their requests, send none")
    g.add_argument(
        "--allow-env",
        action="append",
        default=[],
        metavar="NAME",
        help="environment variable the config may name ({env: VAR}, webhook_env, identities) besides LR_* and LAUNCHREADY_* (repeatable; PREFIX_* allows a prefix; GITHUB_*/ACTIONS_*/RUNNER_* only by exact name)",
    )
    g.add_argument(
        "--state",
        metavar="FILE",
        help="journey state between runs (JSON; created when missing); needed for change alerts",
    )
    g.add_argument(
        "--notify-webhook",
        metavar="URL",
        help="post to this webhook when the journey starts failing or recovers (default: the variable journey.notify.webhook_env names)",
    )
    g.add_argument(
        "--notify-format",
        choices=("auto", "slack", "discord", "json"),
        help="webhook message shape (default auto: from the URL)",
    )


@dataclass(frozen=True)
class JourneyRequest:
    """Where ``journey`` runs the configured steps (``url``, else journey.url, else the first
    live target), how to reach it, and the state file and webhook for change alerts.
    ``environ``: where identities' and the webhook's variables are read (default: the
    process's environment)."""

    url: str | None = None
    ca_bundle: str | None = None
    resolve: list[str] = field(default_factory=list)
    state: str | None = None
    notify_webhook: str | None = None
    notify_format: str | None = None
    environ: Mapping[str, str] | None = None
    cwd: Path = field(default_factory=Path.cwd)
    allow_env: list[str] = field(default_factory=list)  # --allow-env (EnvPolicy, as for live)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> JourneyRequest:
        return cls(
            args.url,
            args.ca_bundle,
            list(args.resolve or []),
            args.state,
            args.notify_webhook,
            args.notify_format,
            cwd=cwd,
            allow_env=list(getattr(args, "allow_env", None) or []),
        )


@dataclass(frozen=True)
class _Prepared:
    settings: JourneySettings
    live: LiveSettings | None
    base: str
    webhook: str | None
    state_path: Path | None
    policy: EnvPolicy = field(default_factory=EnvPolicy)
    refused: tuple[str, ...] = ()  # environment references the policy refused (for the notes)


def _base(request: JourneyRequest, s: JourneySettings, live: LiveSettings | None) -> str:
    if request.url:
        return str(request.url)
    if s.url:
        return s.url
    if live is not None and live.targets:
        return live.targets[0].api
    raise UsageError(
        "no site to run the journey against: pass --url URL or set journey.url (or live.targets) in .launchready.yml"
    )


def _prepare(request: JourneyRequest, config: Config) -> _Prepared:
    env = request.environ if request.environ is not None else os.environ
    s = load_journey(config)
    if not s.steps:
        raise UsageError(
            "no journey configured: add a journey: section to .launchready.yml (see docs/journey.md; `launchready init` writes a starter)"
        )
    if request.url:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"--url {request.url!r}: expected an http:// or https:// URL")
    # the same rule as live: a config names LR_*/LAUNCHREADY_* variables, others need --allow-env
    policy = EnvPolicy(allowed=parse_allow_env(request.allow_env))
    live = load_live(config, env=env.get, policy=policy) if config.live else None
    refused = list(live.refused_env) if live else []
    base = _base(request, s, live)
    ca = request.ca_bundle
    if ca and not Path(ca).is_file():
        raise UsageError(f"--ca-bundle {ca}: no such file")
    hook_from_env: str | None = None
    if s.webhook_env and not request.notify_webhook:
        why = policy.refusal(s.webhook_env)
        if why:
            refused.append(f"journey.notify.webhook_env: not read: {why}")
        else:
            hook_from_env = env.get(s.webhook_env)
    webhook = request.notify_webhook or hook_from_env or None
    if webhook:
        redact.remember(webhook)  # a webhook URL is a credential (Slack's and Discord's are)
        if urlsplit(webhook).scheme not in ("http", "https"):
            raise UsageError("the journey webhook must be an http:// or https:// URL")
    state_path = Path(request.state) if request.state else (Path(s.state_file) if s.state_file else None)
    if state_path is not None:  # before the journey runs, not when its state is written
        refuse_unreplaceable(state_path, "--state", STATE_HINT)
    return _Prepared(s, live, base, webhook, state_path, policy, tuple(refused))


def journey(request: JourneyRequest, config: Config | None = None, console: Console | None = None) -> Report:
    """``launchready journey`` as a function: one check per step, and the change alert."""
    config = config if config is not None else Config()
    console = console or Console(quiet=True)
    p = _prepare(request, config)
    s, live, base = p.settings, p.live, p.base
    # credentials (live.headers, basic_auth, identities, the journey's cookies) go to the site
    # the journey runs against and the configured live targets only (docs/security.md)
    origins = [base, *(live.credential_origins() if live else [])]
    resolve = resolve_map(request.resolve)
    options = HttpOptions(
        ca_bundle=request.ca_bundle,
        resolve=resolve,
        timeout=max(s.latency_ms, s.stream_latency_ms) / 1000.0,
        headers=live.headers if live else {},
        basic_auth=live.basic_auth if live else None,
        credential_origins=frozenset(origins),
        credential_headers=frozenset(
            [
                *(live.headers if live else {}),
                *(h for i in (live.identities.values() if live else []) for h in i.header_names()),
            ]
        ),
        explicit_hosts=frozenset(
            [urlsplit(base).hostname or "", *(live.explicit_hosts() if live else []), *(h for h, _port in resolve)]
        ),
    )
    seconds = sum(limit_ms(s, st) for st in s.steps) / 1000.0 + 30.0 * len(s.steps)
    client = Client(options, Budget(requests=s.requests, seconds=seconds, per_check=s.requests), in_flight=1)
    identities: dict[str, Identity] = dict(live.identities) if live else {}
    values = Values(email_domain=s.email_domain, refusal=p.policy.refusal)
    try:
        checks = run_journey(s, base, client, values, identities)
    finally:
        client.close()
    report = Report(command="journey", root=str(request.cwd))
    report.checks.extend(checks)
    report.ran.add("journey")
    report.summary.requests_sent = client.sent
    report.notes.extend(f"environment reference refused: {r}" for r in p.refused)
    status, broken = outcome(checks)
    total = sum(c.duration_ms for c in checks)
    if status == "pass":
        report.notes.append(f"journey: {len(checks)} step(s) passed in {total} ms against {base}")
    else:
        report.notes.append(f"journey: failed at step {broken.id.split('.', 1)[1] if broken else '?'!r} against {base}")
    if p.state_path is not None:
        _state_and_notify(
            request,
            console,
            report,
            p.state_path,
            p.webhook,
            request.notify_format or s.webhook_format,
            base,
            status,
            broken,
        )
    elif p.webhook:
        report.notes.append(
            "journey: a webhook is configured but no --state FILE: changes cannot be seen, nothing posted"
        )
    return report


def run(ctx: Context) -> Report | None:
    args = ctx.args
    request = JourneyRequest.from_args(args, ctx.cwd)
    if not args.dry_run:
        return journey(request, ctx.config, Console.of(ctx))
    p = _prepare(request, ctx.config)
    refuse_report_flags(args, "journey --dry-run")
    ctx.stdout.write(
        f"launchready journey --dry-run: {len(p.settings.steps)} step(s) against {safe(redact.redact_url(p.base))}, none sent\n"
    )
    for step in plan(p.settings, p.base):
        ctx.stdout.write(
            f"  {safe(step.step):<16} {safe(step.method):<7} {safe(redact.redact_url(step.url))}  ({safe(step.note)})\n"
        )
    if p.webhook:
        ctx.stdout.write(
            "webhook: a message on each change"
            + (f" (state in {p.state_path})" if p.state_path else " (needs --state to know a change)")
            + "\n"
        )
    ctx.stdout.flush()
    return None


def _state_and_notify(
    request: JourneyRequest,
    console: Console,
    report: Report,
    path: Path,
    webhook: str | None,
    fmt: str,
    base: str,
    status: str,
    broken: CheckResult | None,
) -> None:
    prev, why = read_state(path)
    if why:
        report.notes.append(why)
        console.stderr.write(f"launchready: warning: {why}\n")
    now = next_state(prev, status, broken)
    event = change(prev, now)
    if event and webhook:
        text = message(event, base, now, prev, _run_url())
        shape = detect_format(webhook) if fmt in ("", "auto") else fmt
        session = make_session(HttpOptions(ca_bundle=request.ca_bundle, resolve=resolve_map(request.resolve)))
        try:
            failed = post(session, webhook, payload(shape, event, text, base, now))
        finally:
            session.close()
        if failed:
            # keep the old state: the next run sees the same change and tries again
            report.notes.append(f"journey: the {event} message was not delivered ({failed}); will retry next run")
            console.stderr.write(f"launchready: warning: journey webhook not delivered: {failed}\n")
            return
        report.notes.append(f"journey: posted '{event}' to the webhook")
    elif event:
        report.notes.append(f"journey: {event} (no webhook configured)")
    try:
        write_state(path, now)
    except OSError as exc:
        raise UsageError(f"--state {path}: cannot write ({exc.strerror or exc})") from None


def _run_url() -> str:
    server, repo, run_id = (os.environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    return f"{server}/{repo}/actions/runs/{run_id}" if server and repo and run_id else ""
