"""MTA-STS (RFC 8461) and SMTP TLS reporting (RFC 8460): reported as info or warn.

The policy is fetched from ``https://mta-sts.<domain>/.well-known/mta-sts.txt`` with the
run's HTTP session, which honours ``--resolve`` and ``--ca-bundle``. Redirects are not
followed (RFC 8461 3.3).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import requests
import urllib3.exceptions

from launchready.email.dns import DnsClient
from launchready.email.mx import is_null_mx, mx_hosts
from launchready.email.result import AreaResults, txt_line
from launchready.live.http import within
from launchready.model import CheckResult, Severity, Status

MAX_POLICY = 64 * 1024
MAX_AGE_LIMIT = 31557600
_ID = re.compile(r"^[A-Za-z0-9]{1,32}$")


# The checks this module reports (``catalogue.CheckArea``): id -> what it checks.
CHECKS = {
    "email.mta-sts.record": "an MTA-STS record (_mta-sts.<domain>) with a policy id",
    "email.mta-sts.policy": "the MTA-STS policy is served over HTTPS, parses, and covers every MX",
    "email.mta-sts.tls-rpt": "TLS reporting (_smtp._tls.<domain>) is set up",
}


def policy_url(domain: str, port: int = 443) -> str:
    netloc = f"mta-sts.{domain}" + ("" if port == 443 else f":{port}")
    return f"https://{netloc}/.well-known/mta-sts.txt"


def _tags(record: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in record.split(";"):
        if "=" in part:
            k, _, v = part.partition("=")
            out[k.strip().lower()] = v.strip()
    return out


def parse_policy(text: str) -> tuple[dict[str, Any], list[str]]:
    policy: dict[str, Any] = {"mx": []}
    errors: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        if not sep:
            errors.append(f"line {line[:60]!r} is not 'key: value'")
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "mx":
            policy["mx"].append(value.lower().rstrip("."))
        else:
            policy[key] = value
    if policy.get("version") != "STSv1":
        errors.append("version must be STSv1")
    if policy.get("mode") not in ("enforce", "testing", "none"):
        errors.append(f"mode must be enforce, testing or none (got {policy.get('mode')!r})")
    age = str(policy.get("max_age", ""))
    if not age.isdigit() or int(age) > MAX_AGE_LIMIT:
        errors.append(f"max_age must be seconds up to {MAX_AGE_LIMIT} (got {age!r})")
    if policy.get("mode") in ("enforce", "testing") and not policy["mx"]:
        errors.append("no mx: lines")
    return policy, errors


def mx_matches(host: str, pattern: str) -> bool:
    host, pattern = host.lower().rstrip("."), pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return host == pattern


def check_mta_sts(
    client: DnsClient,
    domain: str,
    session_factory: Callable[[], requests.Session],
    timeout: float = 10.0,
    port: int = 443,
) -> tuple[list[CheckResult], int]:
    """Results and the number of HTTP requests sent."""
    c = AreaResults(domain)
    sent = 0
    mx = client.query(domain, "MX")
    hosts = [h for _, h in mx_hosts(mx)] if mx.ok else []
    if mx.ok and is_null_mx(mx_hosts(mx)):
        c.add(
            "email.mta-sts.record",
            Status.SKIP,
            Severity.INFO,
            f"{domain} has a null MX (receives no mail), so MTA-STS does not apply",
        )
        _tls_rpt(c, client, domain)
        return c.finish(), sent
    url = policy_url(domain, port)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    sample_policy = (
        "version: STSv1\\nmode: testing\\n"
        + "".join(f"mx: {h}\\n" for h in (hosts or ["<your MX host>"]))
        + "max_age: 604800"
    )
    how = (
        f"publish {txt_line(f'_mta-sts.{domain}', f'v=STSv1; id={stamp}')} and serve "
        f"{url} over HTTPS with a valid certificate, containing: {sample_policy}"
    )
    name = f"_mta-sts.{domain}"
    ans = client.txt(name)
    if ans.failed:
        c.dns_error("email.mta-sts.record", ans, "the MTA-STS record", Severity.LOW)
        _tls_rpt(c, client, domain)
        return c.finish(), sent
    records = [t for t in ans.texts() if t.lower().startswith("v=stsv1")]
    if not records:
        why = ans.describe() if ans.void else "TXT records exist but none starts with v=STSv1"
        c.add(
            "email.mta-sts.record",
            Status.WARN,
            Severity.LOW,
            f"no MTA-STS record at {name} ({why}): sending servers may deliver to you without TLS if an attacker strips STARTTLS",
            f"To require TLS for mail to {domain}, {how}",
            ans.evidence(),
        )
        _tls_rpt(c, client, domain)
        return c.finish(), sent
    tags = _tags(records[0])
    problems = []
    if len(records) > 1:
        problems.append(f"{len(records)} STSv1 records (senders treat that as no policy)")
    if not _ID.match(tags.get("id", "")):
        problems.append("id= must be 1-32 letters and digits")
    ev: dict[str, Any] = {**ans.evidence(), "records": records}
    if problems:
        c.add(
            "email.mta-sts.record",
            Status.FAIL,
            Severity.LOW,
            f"invalid MTA-STS record at {name}: {'; '.join(problems)}",
            f"Publish exactly one record: {txt_line(name, f'v=STSv1; id={stamp}')}",
            ev,
        )
    else:
        c.add("email.mta-sts.record", Status.PASS, Severity.LOW, f"MTA-STS record: {records[0]}", "", ev)
    sent += 1
    _policy(c, domain, url, hosts, how, session_factory, timeout)
    _tls_rpt(c, client, domain)
    return c.finish(), sent


def _policy(
    c: AreaResults,
    domain: str,
    url: str,
    hosts: list[str],
    how: str,
    session_factory: Callable[[], requests.Session],
    timeout: float,
) -> None:
    ev: dict[str, Any] = {"url": url}
    # one wall-clock limit for connecting, the handshake, the headers and the body: a server
    # trickling the policy a byte at a time (each within the socket timeout) is cut at it
    deadline = within(timeout)
    cut = (
        f"could not fetch {url}: no complete policy within {timeout:g}s: cut at the time limit "
        "(a slow or trickling server)"
    )
    try:
        with session_factory() as session, deadline:
            resp = session.get(url, timeout=timeout, allow_redirects=False, stream=True)
            body = resp.raw.read(MAX_POLICY + 1, decode_content=True)
            resp.close()
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        if deadline.expired or deadline.passed():
            c.add("email.mta-sts.policy", Status.ERROR, Severity.MEDIUM, cut, f"Serve the policy promptly; {how}", ev)
        elif isinstance(exc, requests.exceptions.SSLError):
            c.add(
                "email.mta-sts.policy",
                Status.ERROR,
                Severity.MEDIUM,
                f"TLS handshake with mta-sts.{domain} failed ({_short(exc)}); senders cannot fetch the policy",
                f"Serve the policy with a certificate valid for mta-sts.{domain}; {how}",
                ev,
            )
        else:
            c.add(
                "email.mta-sts.policy",
                Status.ERROR,
                Severity.MEDIUM,
                f"could not fetch {url}: {_short(exc)}",
                f"Make mta-sts.{domain} resolve and serve the policy over HTTPS; {how}",
                ev,
            )
        return
    if deadline.expired:  # a body delimited by the connection's end looks complete when cut
        c.add("email.mta-sts.policy", Status.ERROR, Severity.MEDIUM, cut, f"Serve the policy promptly; {how}", ev)
        return
    ev["status"] = resp.status_code
    ev["content_type"] = resp.headers.get("Content-Type", "")
    if 300 <= resp.status_code < 400:
        c.add(
            "email.mta-sts.policy",
            Status.FAIL,
            Severity.MEDIUM,
            f"{url} redirects (HTTP {resp.status_code}); senders must not follow redirects (RFC 8461 3.3)",
            f"Serve the policy directly at that URL; {how}",
            ev,
        )
        return
    if resp.status_code != 200:
        c.add(
            "email.mta-sts.policy",
            Status.FAIL,
            Severity.MEDIUM,
            f"{url} answered HTTP {resp.status_code}; the MTA-STS record points at a policy that does not exist",
            f"Serve the policy; {how}",
            ev,
        )
        return
    if len(body) > MAX_POLICY:
        c.add(
            "email.mta-sts.policy",
            Status.FAIL,
            Severity.MEDIUM,
            f"the policy is larger than {MAX_POLICY} bytes",
            f"Serve a short policy; {how}",
            ev,
        )
        return
    policy, errors = parse_policy(body.decode("utf-8", "replace"))
    ev["policy"] = policy
    notes = []
    if not ev["content_type"].lower().startswith("text/plain"):
        errors.append(f"Content-Type is {ev['content_type'] or 'missing'!r}, must be text/plain")
    unmatched = [h for h in hosts if not any(mx_matches(h, p) for p in policy["mx"])]
    if unmatched and policy.get("mode") in ("enforce", "testing"):
        errors.append(f"MX host(s) not covered by the policy's mx: lines: {', '.join(unmatched)}")
    if errors:
        c.add(
            "email.mta-sts.policy",
            Status.FAIL,
            Severity.MEDIUM,
            f"the MTA-STS policy is invalid: {'; '.join(errors)}",
            f"Fix the policy (senders in enforce mode would refuse to deliver); {how}",
            ev,
        )
        return
    age = int(policy["max_age"])
    if age < 86400:
        notes.append(f"max_age={age} is under a day; weeks (e.g. 604800 or more) are recommended")
    mode = policy["mode"]
    if mode == "enforce":
        status = Status.WARN if notes else Status.PASS
        msg = "MTA-STS policy in enforce mode" + (f" ({'; '.join(notes)})" if notes else "")
    else:
        status = Status.WARN
        msg = f"MTA-STS policy in {mode} mode: TLS is not yet required" + (f" ({'; '.join(notes)})" if notes else "")
    mx_lines = "".join(f"mx: {p}\\n" for p in policy["mx"]) or "mx: <your MX host>\\n"
    enforce = f"version: STSv1\\nmode: enforce\\n{mx_lines}max_age: 1209600"
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    c.add(
        "email.mta-sts.policy",
        status,
        Severity.LOW,
        msg,
        f"When TLS-RPT reports look clean, serve {url} containing: {enforce}; then publish a new id: "
        f"{txt_line(f'_mta-sts.{domain}', f'v=STSv1; id={stamp}')}",
        ev,
    )


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 240 else text[:240] + "..."


def _tls_rpt(c: AreaResults, client: DnsClient, domain: str) -> None:
    name = f"_smtp._tls.{domain}"
    fix = txt_line(name, f"v=TLSRPTv1; rua=mailto:tls-reports@{domain}")
    ans = client.txt(name)
    if ans.failed:
        c.dns_error("email.mta-sts.tls-rpt", ans, "the TLS-RPT record", Severity.INFO)
        return
    records = [t for t in ans.texts() if t.lower().startswith("v=tlsrptv1")]
    ev: dict[str, Any] = {**ans.evidence(), "records": records}
    if not records:
        why = ans.describe() if ans.void else "TXT records exist but none starts with v=TLSRPTv1"
        c.add(
            "email.mta-sts.tls-rpt",
            Status.WARN,
            Severity.INFO,
            f"no TLS-RPT record at {name} ({why}): you will not hear about TLS failures delivering to you",
            f"Publish: {fix}",
            ev,
        )
        return
    rua = _tags(records[0]).get("rua", "")
    uris = [u.strip() for u in rua.split(",") if u.strip()]
    bad = [u for u in uris if not u.lower().startswith(("mailto:", "https://"))]
    if len(records) > 1 or not uris or bad:
        c.add(
            "email.mta-sts.tls-rpt",
            Status.WARN,
            Severity.LOW,
            f"invalid TLS-RPT record at {name}: "
            + ("more than one record" if len(records) > 1 else "rua= must list mailto: or https: URIs"),
            f"Publish exactly one record: {fix}",
            ev,
        )
        return
    c.add("email.mta-sts.tls-rpt", Status.PASS, Severity.INFO, f"TLS reports go to {', '.join(uris)}", "", ev)
