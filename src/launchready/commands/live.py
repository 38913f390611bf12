"""``launchready live``: post-deploy checks against the deployed site (see docs/live-checks.md)."""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from launchready.commands import Console, Context, refuse_report_flags
from launchready.config import Config
from launchready.errors import UsageError
from launchready.live.config import EnvPolicy, LiveSettings, load_live, parse_allow_env
from launchready.live.http import Budget, Client, HttpOptions, resolve_map
from launchready.live.runner import plan, run_checks, selector
from launchready.model import CheckResult, Report
from launchready.printable import safe
from launchready.progress import Progress
from launchready.redact import redact_url

HELP = "post-deploy checks against the live site: TLS, headers, CORS, exposure, input, rate limits, authz, latency"
DESCRIPTION = (
    "Check a deployed site from the outside. Reads the live: section of .launchready.yml "
    "(targets, identities from environment variables, endpoints per check); --url alone runs "
    "every check that needs no configuration. Safe by default: a request and time budget, "
    "polite concurrency, bursts only against configured endpoints and after the authorization "
    "checks. A check that cannot judge (timeout, DNS, TLS failure) is 'error', never 'pass'."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("live options")
    g.add_argument("--url", metavar="URL", help="the deployed site (overrides live.targets[0].url)")
    g.add_argument("--ca-bundle", metavar="FILE", help="trust these CA certificates instead of the system store")
    g.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST:PORT:ADDR",
        help="connect to ADDR for HOST:PORT, like curl (repeatable; TLS still verifies HOST)",
    )
    g.add_argument(
        "--dns-server",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="DNS server for the email checks run by live.email (repeatable; IPv6 as [::1]:53)",
    )
    g.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PREFIX",
        help="run only checks whose id starts with PREFIX (repeatable, e.g. --only tls --only cors.null-origin)",
    )
    g.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="PREFIX",
        help="skip checks whose id starts with PREFIX (repeatable)",
    )
    g.add_argument("--dry-run", action="store_true", help="list every request the run would send, and send none")
    g.add_argument(
        "--allow-env",
        action="append",
        default=[],
        metavar="NAME",
        help="environment variable the config may name besides LR_* and LAUNCHREADY_* (repeatable; PREFIX_* allows a prefix; GITHUB_*/ACTIONS_*/RUNNER_* only by exact name)",
    )
    g.add_argument(
        "--max-requests",
        type=_positive_int,
        metavar="N",
        help="request budget for the whole run (default 400, or live.budget.requests)",
    )
    g.add_argument(
        "--max-seconds",
        type=_positive_float,
        metavar="S",
        help="time budget for the whole run (default 120, or live.budget.seconds)",
    )
    g.add_argument(
        "--concurrency",
        type=_positive_int,
        metavar="N",
        help="requests in flight at once across all checks (default 4, max 16)",
    )
    g.add_argument("--timeout", type=_positive_float, metavar="S", help="seconds per request (default 10)")


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _positive_float(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return n


@dataclass(frozen=True)
class LiveRequest:
    """What ``live`` checks: ``url`` (else live.targets from the config), how to reach it
    (``ca_bundle``, ``resolve`` like curl's, ``dns_server`` for live.email), which checks
    (``only``/``skip`` id prefixes), budgets. ``environ``: where identities' variables are
    read (default: the process's environment), ``allow_env`` which variables the config may
    name besides LR_* and LAUNCHREADY_*, ``env_refused`` why none may be read at all (the
    Action, when the pull request changed the config)."""

    url: str | None = None
    ca_bundle: str | None = None
    resolve: list[str] = field(default_factory=list)
    dns_server: list[str] = field(default_factory=list)
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    max_requests: int | None = None
    max_seconds: float | None = None
    concurrency: int | None = None
    timeout: float | None = None
    environ: Mapping[str, str] | None = None
    allow_env: list[str] = field(default_factory=list)
    env_refused: str = ""
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> LiveRequest:
        return cls(
            args.url,
            args.ca_bundle,
            list(args.resolve),
            list(args.dns_server),
            list(args.only),
            list(args.skip),
            args.max_requests,
            args.max_seconds,
            args.concurrency,
            args.timeout,
            allow_env=list(args.allow_env),
            cwd=cwd,
        )


def settings_from(request: LiveRequest, config: Config) -> LiveSettings:
    env = request.environ if request.environ is not None else os.environ
    policy = EnvPolicy(allowed=parse_allow_env(request.allow_env), refuse_all=request.env_refused)
    s = load_live(config, url=request.url, env=env.get, policy=policy)
    if not s.targets:
        raise UsageError(
            "nothing to check: pass --url URL or set live.targets in .launchready.yml (see docs/live-checks.md)"
        )
    if request.max_requests:
        s.budget = dataclasses.replace(s.budget, requests=request.max_requests)
    if request.max_seconds:
        s.budget = dataclasses.replace(s.budget, seconds=request.max_seconds)
    if request.concurrency:
        s.concurrency = min(request.concurrency, 16)
    if request.timeout:
        s.timeout = request.timeout
    return s


def http_options(request: LiveRequest, s: LiveSettings) -> HttpOptions:
    ca = request.ca_bundle
    if ca and not Path(ca).is_file():
        raise UsageError(f"--ca-bundle {ca}: no such file")
    resolve = resolve_map(request.resolve)
    # A config the pull request changed (the Action) names no host explicitly: only --url
    # and --resolve may point at a link-local or metadata address.
    explicit = [urlsplit(request.url).hostname or ""] if request.url else []
    if not request.env_refused:
        explicit += s.explicit_hosts()
    return HttpOptions(
        ca_bundle=ca,
        resolve=resolve,
        timeout=s.timeout,
        headers=s.headers,
        basic_auth=s.basic_auth,
        credential_origins=frozenset(s.credential_origins()),
        credential_headers=frozenset([*s.headers, *(h for i in s.identities.values() for h in i.header_names())]),
        explicit_hosts=frozenset([*explicit, *(h for h, _port in resolve)]),
    )


def live(request: LiveRequest, config: Config | None = None, console: Console | None = None) -> Report:
    """``launchready live`` as a function: every selected check against the deployed site
    (and live.email's checks), as a report of check results."""
    config = config if config is not None else Config()
    console = console or Console(quiet=True)
    s = settings_from(request, config)
    options = http_options(request, s)
    selected = selector(request.only, request.skip)
    client = Client(options, s.budget, in_flight=s.concurrency)
    progress = Progress(console.stderr, quiet=console.quiet)
    try:
        outcome = run_checks(
            s,
            client,
            config,
            selected,
            on_progress=lambda done, total: progress.update("live", f"checks {done}/{total} done", force=done == total),
        )
    finally:
        progress.done()
        client.close()
    report = Report(command="live", root=str(request.cwd))
    report.checks.extend(outcome.checks)
    report.ran |= outcome.ran
    report.notes.extend(outcome.notes)
    report.notes.extend(f"environment reference refused: {r}" for r in s.refused_env)
    email_checks, email_requests = _email(request, config, selected)
    report.checks.extend(email_checks)
    if email_checks:
        report.ran.add("email")
    report.summary.requests_sent = client.sent + email_requests
    # the same total as summary.requests_sent, with its parts: a reader compares the two
    dns = (
        f" + {email_requests} DNS quer{'y' if email_requests == 1 else 'ies'} for the email checks"
        if email_requests
        else ""
    )
    report.notes.append(
        f"live: {client.sent + email_requests} request(s) sent: {client.sent} HTTP request(s)/TLS "
        f"handshake(s) to {len(s.targets)} target(s){dns} (HTTP budget {s.budget.requests}, "
        f"{client.remaining_seconds():.0f}s of {s.budget.seconds:g}s left)"
    )
    return report


def run(ctx: Context) -> Report | None:
    args = ctx.args
    request = LiveRequest.from_args(args, ctx.cwd)
    if not args.dry_run:
        return live(request, ctx.config, Console.of(ctx))
    refuse_report_flags(args, "live --dry-run")
    s = settings_from(request, ctx.config)
    options = http_options(request, s)
    selected = selector(request.only, request.skip)
    if args.dry_run:
        client = Client(options, Budget(requests=10**9, seconds=10**9, per_check=10**9), dry_run=True)
        outcome = plan(s, client, selected)
        planned, seen = [], set()
        for area, p in outcome.planned:
            if p.note.startswith("shared page fetch") and (p.method, p.url) in seen:
                continue  # fetched once per run and shared by the page checks
            seen.add((p.method, p.url))
            planned.append((area, p))
        ctx.stdout.write(f"launchready live --dry-run: {len(planned)} planned request(s)/handshake(s), none sent\n")
        for area, p in planned:
            ctx.stdout.write(
                f"  {area:<10} {safe(p.method):<7} {safe(redact_url(p.url))}"
                + (f"  ({safe(p.note)})" if p.note else "")
                + "\n"
            )
        for line in _email_plan(request, ctx.config, selected):
            ctx.stdout.write(f"  {'email':<10} {safe(line)}\n")
        for r in s.refused_env:
            ctx.stdout.write(f"environment reference refused: {safe(r)}\n")
        ctx.stdout.write(
            f"budget: {s.budget.requests} request(s), {s.budget.seconds:g}s, {s.budget.per_check} per check\n"
        )
        ctx.stdout.flush()
    return None


def _email_section(config: Config) -> dict[str, Any] | None:
    section = config.live.get("email") if isinstance(config.live, dict) else None
    return section if isinstance(section, dict) and section.get("domain") else None


def _email_settings(request: LiveRequest, config: Config, selected: Any) -> Any:
    """The EmailSettings for live.email (with --dns-server/--resolve/--ca-bundle), or None."""
    section = _email_section(config)
    if section is None or not any(selected(f"email.{k}.any") for k in ("spf", "dkim", "dmarc", "mx", "mta-sts")):
        return None
    from launchready.email import parse_email_settings
    from launchready.email.dns import parse_nameserver

    settings = parse_email_settings(section, config)
    changes: dict[str, Any] = {
        "ca_bundle": request.ca_bundle,
        "only": tuple(request.only),
        "skip": tuple(request.skip),
        "resolve": resolve_map(request.resolve),
    }
    try:
        if request.dns_server:
            changes["dns_servers"] = tuple(parse_nameserver(x) for x in request.dns_server)
    except ValueError as exc:
        raise UsageError(f"--dns-server: {exc}") from None
    return dataclasses.replace(settings, **changes)


def _email_plan(request: LiveRequest, config: Config, selected: Any) -> list[str]:
    settings = _email_settings(request, config, selected)
    if settings is None:
        return []
    from launchready.email.checks import planned

    return list(planned(settings))


def _email(request: LiveRequest, config: Config, selected: Any) -> tuple[list[CheckResult], int]:
    """Run the email area's checks when live.email.domain is set (launchready.email.run_email)."""
    settings = _email_settings(request, config, selected)
    if settings is None:
        return [], 0
    from launchready.email import run_email

    outcome = run_email(settings)
    return [c for c in outcome.checks if selected(c.id)], outcome.dns_queries + outcome.http_requests
