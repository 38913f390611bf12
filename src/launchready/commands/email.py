"""``launchready email DOMAIN``: SPF, DKIM, DMARC, MX, MTA-STS and TLS-RPT for one domain."""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launchready.commands import Context, refuse_report_flags
from launchready.config import Config
from launchready.email.checks import planned, run_email
from launchready.email.dns import parse_nameserver
from launchready.email.settings import EmailSettings, parse_email_settings, validate_selector
from launchready.errors import UsageError
from launchready.model import Report
from launchready.printable import safe

HELP = "check a sending domain's SPF, DKIM, DMARC, MX and MTA-STS records"
DESCRIPTION = (
    "Check that mail from DOMAIN will be authenticated: one valid SPF record within the "
    "10-lookup limit, DKIM keys (configured selectors plus common provider selectors), a "
    "DMARC policy, MX records, MTA-STS and TLS-RPT. Queries go straight to the nameservers "
    "from --dns-server, live.email.dns_servers, or the system resolver configuration. "
    "DNS failures (SERVFAIL, timeout, refused) are errors, never passes. Every failing check "
    "prints the record to publish."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("domain", metavar="DOMAIN", help="the domain you send mail from, e.g. example.com")
    p.add_argument(
        "--dns-server",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="nameserver to query (repeatable; IPv6 as [::1]:53; default: config, then the system resolver)",
    )
    p.add_argument(
        "--dkim-selector",
        action="append",
        default=[],
        metavar="S",
        help="a DKIM selector you sign with (repeatable; added to the common provider selectors)",
    )
    p.add_argument(
        "--dns-timeout", type=float, metavar="SECONDS", help="seconds to wait for each DNS answer (default 3)"
    )
    p.add_argument(
        "--dns-retries", type=int, metavar="N", help="extra rounds over the nameservers after a timeout (default 1)"
    )
    p.add_argument(
        "--ca-bundle", metavar="FILE", help="CA bundle for the MTA-STS policy fetch instead of the system trust store"
    )
    p.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST:PORT:ADDR",
        help="connect to ADDR for HOST:PORT, like curl (repeatable; used for the MTA-STS policy fetch)",
    )
    p.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PREFIX",
        help="run only checks whose id starts with PREFIX (repeatable)",
    )
    p.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="PREFIX",
        help="skip checks whose id starts with PREFIX (repeatable)",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="list the lookups and requests that would be made, send nothing"
    )


@dataclass(frozen=True)
class EmailRequest:
    """What ``email`` checks: ``domain`` (SPF, DKIM, DMARC, MX, MTA-STS), with which
    nameservers, DKIM selectors, timeouts, and how to reach the MTA-STS policy host."""

    domain: str
    dns_server: list[str] = field(default_factory=list)
    dkim_selector: list[str] = field(default_factory=list)
    dns_timeout: float | None = None
    dns_retries: int | None = None
    ca_bundle: str | None = None
    resolve: list[str] = field(default_factory=list)
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> EmailRequest:
        return cls(
            args.domain,
            list(args.dns_server),
            list(args.dkim_selector),
            args.dns_timeout,
            args.dns_retries,
            args.ca_bundle,
            list(args.resolve),
            list(args.only),
            list(args.skip),
            cwd,
        )


def settings_from(args: EmailRequest, config: Config) -> EmailSettings:
    live_email = config.live.get("email") if isinstance(config.live, dict) else None
    section: Any
    if live_email is not None:
        section, key = live_email, "live.email"
    else:
        section, key = config.email or {}, "email"
    settings = parse_email_settings(section, config, key, domain=args.domain)
    changes: dict[str, Any] = {}
    try:
        if args.dns_server:
            changes["dns_servers"] = tuple(parse_nameserver(s) for s in args.dns_server)
    except ValueError as exc:
        raise UsageError(f"--dns-server: {exc}") from None
    try:
        extra = tuple(validate_selector(s) for s in args.dkim_selector)
    except ValueError as exc:
        raise UsageError(f"--dkim-selector: {exc}") from None
    changes["dkim_selectors"] = tuple(dict.fromkeys([*settings.dkim_selectors, *extra]))
    if args.dns_timeout is not None:
        if not 0 < args.dns_timeout <= 60:
            raise UsageError("--dns-timeout must be between 0 and 60 seconds")
        changes["timeout"] = args.dns_timeout
    if args.dns_retries is not None:
        if not 0 <= args.dns_retries <= 10:
            raise UsageError("--dns-retries must be between 0 and 10")
        changes["retries"] = args.dns_retries
    if args.ca_bundle:
        path = Path(args.ca_bundle)
        if not path.is_absolute():
            path = args.cwd / path
        if not path.is_file():
            raise UsageError(f"--ca-bundle: no such file: {args.ca_bundle}")
        changes["ca_bundle"] = str(path)
    if args.resolve:
        from launchready.live.http import resolve_map

        changes["resolve"] = resolve_map(args.resolve)
    changes["only"] = tuple(args.only)
    changes["skip"] = tuple(args.skip)
    return dataclasses.replace(settings, **changes)


def email(request: EmailRequest, config: Config | None = None) -> Report:
    """``launchready email`` as a function: the domain's email checks as a report."""
    config = config if config is not None else Config()
    settings = settings_from(request, config)
    result = run_email(settings)
    report = Report(command="email", root=str(request.cwd))
    report.checks.extend(result.checks)
    report.summary.requests_sent = result.dns_queries + result.http_requests
    report.ran.add("email")
    report.notes.append(
        f"email checks for {settings.domain}: {result.dns_queries} DNS quer{'y' if result.dns_queries == 1 else 'ies'} "
        f"to {', '.join(result.nameservers)}, {result.http_requests} HTTPS request(s)"
    )
    return report


def run(ctx: Context) -> Report | None:
    request = EmailRequest.from_args(ctx.args, ctx.cwd)
    if not ctx.args.dry_run:
        return email(request, ctx.config)
    refuse_report_flags(ctx.args, "email --dry-run")
    settings = settings_from(request, ctx.config)
    ctx.stdout.write(f"launchready email {safe(settings.domain)}: would send (nothing sent)\n")
    for line in planned(settings):
        ctx.stdout.write(f"  {safe(line)}\n")
    return None
