"""Run the email checks for one domain: SPF, DKIM, DMARC, MX, MTA-STS and TLS-RPT.

``run_email_checks(settings, session_factory=None)`` is the entry point ``launchready live``
calls; ``run_email`` also returns how many DNS queries and HTTP requests were sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from launchready.email.dkim import check_dkim
from launchready.email.dmarc import check_dmarc
from launchready.email.dns import DnsClient, system_nameservers
from launchready.email.mtasts import check_mta_sts
from launchready.email.mx import check_mx
from launchready.email.settings import EmailSettings
from launchready.email.spf import check_spf
from launchready.errors import UsageError
from launchready.model import CheckResult

SessionFactory = Callable[[], requests.Session]
AREAS = ("email.spf", "email.dkim", "email.dmarc", "email.mx", "email.mta-sts")


@dataclass
class EmailRun:
    checks: list[CheckResult] = field(default_factory=list)
    dns_queries: int = 0
    http_requests: int = 0
    nameservers: list[str] = field(default_factory=list)


def make_client(settings: EmailSettings) -> DnsClient:
    servers = list(settings.dns_servers) or system_nameservers()
    if not servers:
        raise UsageError(
            "no DNS servers: the system has no resolver configuration; "
            "pass --dns-server HOST:PORT or set live.email.dns_servers"
        )
    return DnsClient(servers, timeout=settings.timeout, retries=settings.retries)


def default_session_factory(settings: EmailSettings) -> SessionFactory:
    from launchready.live.http import HttpOptions, make_session

    options = HttpOptions(ca_bundle=settings.ca_bundle, resolve=dict(settings.resolve), timeout=settings.http_timeout)
    return lambda: make_session(options)


def planned(settings: EmailSettings) -> list[str]:
    """The first lookups and requests a run makes (for --dry-run); includes follow from answers."""
    from launchready.email.dkim import COMMON_SELECTORS
    from launchready.email.mtasts import policy_url

    d = settings.domain
    out: list[str] = []
    if settings.wants("email.spf"):
        out.append(f"DNS {d} TXT (SPF, then each include/redirect and a/mx/exists target)")
    if settings.wants("email.dkim"):
        sels = list(dict.fromkeys([*settings.dkim_selectors, *COMMON_SELECTORS]))
        out.extend(f"DNS {s}._domainkey.{d} TXT" for s in sels)
    if settings.wants("email.dmarc"):
        out.append(f"DNS _dmarc.{d} TXT (then the organizational domain and report authorizations)")
    if settings.wants("email.mx"):
        out.append(f"DNS {d} MX (then A/AAAA of each MX host)")
    if settings.wants("email.mta-sts"):
        out.append(f"DNS _mta-sts.{d} TXT, _smtp._tls.{d} TXT")
        out.append(f"HTTPS GET {policy_url(d, settings.mta_sts_port)} (only if _mta-sts exists)")
    return out


def run_email(settings: EmailSettings, session_factory: SessionFactory | None = None) -> EmailRun:
    client = make_client(settings)
    run = EmailRun(nameservers=[str(ns) for ns in client.nameservers])
    d = settings.domain
    results: list[CheckResult] = []
    if settings.wants("email.spf"):
        results += check_spf(client, d)
    if settings.wants("email.dkim"):
        results += check_dkim(client, d, settings.dkim_selectors)
    if settings.wants("email.dmarc"):
        results += check_dmarc(client, d)
    if settings.wants("email.mx"):
        results += check_mx(client, d)
    if settings.wants("email.mta-sts"):
        factory = session_factory or default_session_factory(settings)
        sts, sent = check_mta_sts(client, d, factory, settings.http_timeout, settings.mta_sts_port)
        results += sts
        run.http_requests += sent
    run.checks = [r for r in results if settings.keep(r.id)]
    run.dns_queries = client.queries_sent
    return run


def run_email_checks(settings: EmailSettings, session_factory: SessionFactory | None = None) -> list[CheckResult]:
    """The email checks for ``settings.domain``; DNS failures are ``error`` results, never raised."""
    return run_email(settings, session_factory).checks
