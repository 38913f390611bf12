"""MX: the domain receives mail (replies, bounces, DMARC reports) or says it never does with a
null MX (RFC 7505), and every mail exchanger has an address."""

from __future__ import annotations

from typing import Any

from launchready.email.dns import Answer, DnsClient
from launchready.email.result import AreaResults
from launchready.model import CheckResult, Severity, Status

# The checks this module reports (``catalogue.CheckArea``): id -> what it checks.
CHECKS = {
    "email.mx.present": "the domain publishes MX records (or a null MX when it sends only)",
    "email.mx.hosts": "every MX host resolves to an address",
}


def mx_hosts(answer: Answer) -> list[tuple[int, str]]:
    """(preference, exchange) sorted; the null MX is ``(0, "")``."""
    out = []
    for r in answer.records:
        exchange = r.exchange.to_text(omit_final_dot=True)
        out.append((int(r.preference), "" if exchange in ("", ".") else exchange.lower()))
    return sorted(out)


def is_null_mx(hosts: list[tuple[int, str]]) -> bool:
    return any(h == "" for _, h in hosts)


def check_mx(client: DnsClient, domain: str) -> list[CheckResult]:
    c = AreaResults(domain)
    ans = client.query(domain, "MX")
    example = f"{domain}. IN MX 10 <mail server of your provider>."
    null = f"{domain}. IN MX 0 ."
    if ans.failed:
        c.dns_error("email.mx.present", ans, "the MX records")
        return c.finish()
    if ans.void:
        sev = Severity.HIGH if ans.status.value == "nxdomain" else Severity.MEDIUM
        c.add(
            "email.mx.present",
            Status.FAIL,
            sev,
            f"no MX records for {domain} ({ans.describe()}); replies, bounces and reports to addresses at {domain} "
            + ("cannot be delivered" if sev is Severity.HIGH else "fall back to its A record or bounce"),
            f"Publish your provider's mail exchangers, e.g. {example}; if {domain} never receives mail, publish a null MX: {null}",
            ans.evidence(),
        )
        return c.finish()
    hosts = mx_hosts(ans)
    ev: dict[str, Any] = {**ans.evidence(), "mx": [f"{p} {h or '.'}" for p, h in hosts]}
    if is_null_mx(hosts):
        if len(hosts) > 1:
            c.add(
                "email.mx.present",
                Status.FAIL,
                Severity.MEDIUM,
                "a null MX (0 .) is published next to other MX records; RFC 7505 requires it to be the only one",
                f"Either remove the null MX or keep only it: {null}",
                ev,
            )
        else:
            c.add(
                "email.mx.present",
                Status.PASS,
                Severity.INFO,
                f"null MX: {domain} declares that it receives no mail (RFC 7505)",
                "",
                ev,
            )
        return c.finish()
    c.add(
        "email.mx.present",
        Status.PASS,
        Severity.MEDIUM,
        f"{len(hosts)} MX record(s): {', '.join(h for _, h in hosts)}",
        "",
        ev,
    )
    missing: list[str] = []
    failed: list[Answer] = []
    for _, host in hosts:
        a, aaaa = client.query(host, "A"), client.query(host, "AAAA")
        if a.ok or aaaa.ok:
            continue
        if a.failed or aaaa.failed:
            failed.append(a if a.failed else aaaa)
        else:
            missing.append(f"{host} ({a.describe()})")
    ev_hosts = {"mx": ev["mx"], "without_address": missing}
    if missing:
        all_bad = len(missing) == len(hosts)
        c.add(
            "email.mx.hosts",
            Status.FAIL if all_bad else Status.WARN,
            Severity.HIGH if all_bad else Severity.MEDIUM,
            f"MX host(s) without an A/AAAA address: {'; '.join(missing)}",
            f"Point MX at hosts that resolve (an MX must name a host, not a CNAME or IP), e.g. {example}",
            ev_hosts,
        )
    elif failed:
        c.dns_error("email.mx.hosts", failed[0], "the MX hosts' addresses", Severity.MEDIUM)
    else:
        c.add("email.mx.hosts", Status.PASS, Severity.MEDIUM, "every MX host has an address", "", ev_hosts)
    return c.finish()
