"""Fixtures for the email checks: one real DNS server on loopback serving every test zone,
a silent server that never answers, and an HTTPS server (trustme CA) for MTA-STS policies."""

from __future__ import annotations

import dataclasses
import http.server
import ssl
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from email_dns_server import (
    RunningServer,
    Zone,
    dns_server,
    ed25519_public_key_b64,
    rsa_public_key_b64,
    silent_server,
)

from launchready.email import EmailRun, EmailSettings, run_email
from launchready.email.dns import parse_nameserver

GOOD_DMARC = "v=DMARC1; p=reject; rua=mailto:dmarc@{d}; adkim=s"
TLSRPT = "v=TLSRPTv1; rua=mailto:tls@{d}"


def _base(d: str, spf: str | None, dmarc: str | None = GOOD_DMARC) -> Zone:
    z: Zone = {
        d: [("A", "192.0.2.1"), ("MX", f"10 mx1.{d}."), ("TXT", "site-verification=abc123")],
        f"mx1.{d}": [("A", "192.0.2.10")],
        f"_smtp._tls.{d}": [("TXT", TLSRPT.format(d=d))],
    }
    if spf is not None:
        z[d].append(("TXT", spf))
    if dmarc is not None:
        z[f"_dmarc.{d}"] = [("TXT", dmarc.format(d=d))]
    return z


def build_zone(keys: dict[str, str]) -> Zone:
    z: Zone = {}
    provider = "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all"
    z["_spf.provider.test"] = [("TXT", provider)]
    # a healthy domain
    z.update(_base("good.test", "v=spf1 include:_spf.provider.test mx -all"))
    z["google._domainkey.good.test"] = [("TXT", f"v=DKIM1; k=rsa; p={keys['rsa2048']}")]
    z["_mta-sts.good.test"] = [("TXT", "v=STSv1; id=20260101T000000")]
    z.update(_base("example.test", "v=spf1 include:_spf.provider.test ~all"))
    z["s1._domainkey.example.test"] = [("TXT", f"v=DKIM1; k=rsa; p={keys['rsa2048']}")]
    # SPF all qualifiers
    for d, spf in {
        "plusall.test": "v=spf1 ip4:192.0.2.1 +all",
        "qall.test": "v=spf1 ip4:192.0.2.1 ?all",
        "noall.test": "v=spf1 ip4:192.0.2.1",
        "softall.test": "v=spf1 ip4:192.0.2.1 ~all",
        "redirect.test": "v=spf1 redirect=_spf.provider.test",
        "ptr.test": "v=spf1 ptr ip4:192.0.2.1 -all",
        "badsyntax.test": "v=spf1 ip4:192.0.2.300 include: foo:bar -all",
    }.items():
        z.update(_base(d, spf))
    # 11 DNS-querying terms through nested includes (3 + 3 + 3 + 2)
    z.update(_base("many.test", "v=spf1 include:l1.many.test a mx -all"))
    z["l1.many.test"] = [("TXT", "v=spf1 include:l2.many.test a:host.many.test mx:many.test -all")]
    z["l2.many.test"] = [("TXT", "v=spf1 include:l3.many.test exists:host.many.test a:host.many.test -all")]
    z["l3.many.test"] = [("TXT", "v=spf1 a:host.many.test include:l4.many.test -all")]
    z["l4.many.test"] = [("TXT", provider)]
    z["host.many.test"] = [("A", "192.0.2.5")]
    # exactly 10 (the limit is inclusive)
    z.update(_base("ten.test", "v=spf1 include:l1.ten.test a mx -all"))
    z["l1.ten.test"] = [("TXT", "v=spf1 include:l2.ten.test a:host.ten.test mx:ten.test -all")]
    z["l2.ten.test"] = [("TXT", "v=spf1 include:l3.ten.test a:host.ten.test -all")]
    z["l3.ten.test"] = [("TXT", "v=spf1 a:host.ten.test include:_spf.provider.test -all")]
    z["host.ten.test"] = [("A", "192.0.2.5")]
    # include loop
    z.update(_base("loop.test", "v=spf1 include:loop-a.test -all"))
    z["loop-a.test"] = [("TXT", "v=spf1 include:loop-b.test -all")]
    z["loop-b.test"] = [("TXT", "v=spf1 include:loop-a.test -all")]
    # three void lookups (NXDOMAIN names)
    z.update(
        _base("void.test", "v=spf1 a:nx1.void.test a:nx2.void.test mx:nx3.void.test include:_spf.provider.test -all")
    )
    # an include whose target has TXT records but no SPF record (permerror; not a void lookup)
    z.update(_base("nospfinc.test", "v=spf1 include:txtonly.test -all"))
    z["txtonly.test"] = [("TXT", "some-verification=1")]
    # two SPF records
    z.update(_base("twospf.test", "v=spf1 ip4:192.0.2.1 -all"))
    z["twospf.test"].append(("TXT", "v=spf1 include:_spf.provider.test ~all"))
    # a TXT answer too big for 512-byte UDP (truncated, retried over TCP)
    ranges = " ".join(f"ip4:198.51.100.{i}" for i in range(1, 40))
    z.update(_base("longspf.test", f"v=spf1 {ranges} -all"))
    # DMARC cases
    z.update(_base("nodmarc.test", "v=spf1 mx -all", dmarc=None))
    z.update(_base("pnone.test", "v=spf1 mx -all", dmarc="v=DMARC1; p=none; rua=mailto:d@{d}"))
    z.update(_base("norua.test", "v=spf1 mx -all", dmarc="v=DMARC1; p=quarantine"))
    z.update(_base("pct.test", "v=spf1 mx -all", dmarc="v=DMARC1; p=reject; pct=50; rua=mailto:d@{d}"))
    z.update(_base("dupdmarc.test", "v=spf1 mx -all"))
    z["_dmarc.dupdmarc.test"].append(("TXT", "v=DMARC1; p=none"))
    z.update(_base("baddmarc.test", "v=spf1 mx -all", dmarc="v=DMARC1; p=maybe; pct=150"))
    z.update(_base("extrua.test", "v=spf1 mx -all", dmarc="v=DMARC1; p=reject; rua=mailto:d@reports.vendor.test"))
    z.update(_base("authrua.test", "v=spf1 mx -all", dmarc="v=DMARC1; p=reject; rua=mailto:d@reports.other.test"))
    z["authrua.test._report._dmarc.reports.other.test"] = [("TXT", "v=DMARC1")]
    z.update(_base("orgdmarc.test", "v=spf1 mx -all", dmarc="v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@{d}"))
    z.update(_base("sub.orgdmarc.test", "v=spf1 mx -all", dmarc=None))
    # DKIM cases
    z.update(_base("dkim512.test", "v=spf1 mx -all"))
    z["s512._domainkey.dkim512.test"] = [("TXT", f"v=DKIM1; k=rsa; p={keys['rsa512']}")]
    z.update(_base("dkim1024.test", "v=spf1 mx -all"))
    z["selector1._domainkey.dkim1024.test"] = [("TXT", f"v=DKIM1; k=rsa; p={keys['rsa1024']}")]
    z.update(_base("revoked.test", "v=spf1 mx -all"))
    z["k1._domainkey.revoked.test"] = [("TXT", "v=DKIM1; k=rsa; p=")]
    z["old._domainkey.revoked.test"] = [("TXT", "v=DKIM1; p=")]
    z.update(_base("dkimtest.test", "v=spf1 mx -all"))
    z["s1._domainkey.dkimtest.test"] = [("TXT", f"v=DKIM1; k=rsa; t=y; p={keys['rsa2048']}")]
    z.update(_base("ed.test", "v=spf1 mx -all"))
    z["resend._domainkey.ed.test"] = [("TXT", f"v=DKIM1; k=ed25519; p={keys['ed25519']}")]
    z.update(_base("ses.test", "v=spf1 include:amazonses.test -all"))
    z["amazonses.test"] = [("TXT", provider)]
    z["tok4abc._domainkey.ses.test"] = [("CNAME", "tok4abc.dkim.amazonses.test.")]
    z["tok4abc.dkim.amazonses.test"] = [("TXT", f"p={keys['rsa2048']}")]
    z.update(_base("nodkim.test", "v=spf1 mx -all"))
    # MX cases
    z.update(_base("nullmx.test", "v=spf1 -all"))
    z["nullmx.test"] = [("MX", "0 ."), ("TXT", "v=spf1 -all")]
    z.update(_base("nomx.test", "v=spf1 -all"))
    z["nomx.test"] = [("A", "192.0.2.1"), ("TXT", "v=spf1 -all")]
    z.update(_base("badmx.test", "v=spf1 mx -all"))
    z["badmx.test"] = [("MX", "10 gone.badmx.test."), ("TXT", "v=spf1 mx -all")]
    # MTA-STS in testing mode, and a record whose policy is missing
    z.update(_base("ststest.test", "v=spf1 mx -all"))
    z["_mta-sts.ststest.test"] = [("TXT", "v=STSv1; id=1")]
    z.update(_base("stsmode.test", "v=spf1 mx -all"))
    z["_mta-sts.stsmode.test"] = [("TXT", "v=STSv1; id=2")]
    z.update(_base("stsmissing.test", "v=spf1 mx -all"))
    z["_mta-sts.stsmissing.test"] = [("TXT", "v=STSv1; id=1")]
    return z


@pytest.fixture(scope="session")
def dkim_keys() -> dict[str, str]:
    return {
        "rsa512": rsa_public_key_b64(512),
        "rsa1024": rsa_public_key_b64(1024),
        "rsa2048": rsa_public_key_b64(2048),
        "ed25519": ed25519_public_key_b64(),
    }


@pytest.fixture(scope="session")
def zone(dkim_keys: dict[str, str]) -> Zone:
    return build_zone(dkim_keys)


@pytest.fixture(scope="session")
def dns(zone: Zone) -> Iterator[RunningServer]:
    with dns_server(zone) as server:
        yield server


@pytest.fixture
def silent() -> Iterator[str]:
    with silent_server() as spec:
        yield spec


# --- HTTPS for MTA-STS policies ------------------------------------------------------------

POLICIES: dict[str, tuple[int, str, str]] = {
    "mta-sts.good.test": (
        200,
        "text/plain",
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.good.test\r\nmax_age: 604800\r\n",
    ),
    "mta-sts.ststest.test": (200, "text/plain", "version: STSv1\nmode: testing\nmx: *.other.test\nmax_age: 86400\n"),
    "mta-sts.stsmode.test": (
        200,
        "text/plain; charset=utf-8",
        "version: STSv1\nmode: testing\nmx: *.stsmode.test\nmax_age: 3600\n",
    ),
}


class _PolicyHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        status, ctype, body = POLICIES.get(host, (404, "text/plain", "not found"))
        if self.path != "/.well-known/mta-sts.txt":
            status, body = 404, "not found"
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def policy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """(port, CA bundle path) of an HTTPS server for mta-sts.<domain> hosts."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert(*POLICIES, "mta-sts.stsmissing.test")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PolicyHandler)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    bundle = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    try:
        yield server.server_address[1], str(bundle)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Policy fetches go to the loopback HTTPS server, never through a proxy from the env."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


Runner = Callable[..., EmailRun]


@pytest.fixture
def run(dns: RunningServer, policy_server: tuple[int, str]) -> Runner:
    """Run the email checks for a test domain against the loopback DNS and HTTPS servers."""
    port, bundle = policy_server

    def _run(domain: str, **changes: Any) -> EmailRun:
        resolve = {(f"mta-sts.{domain}", port): "127.0.0.1"}
        settings = EmailSettings(
            domain=domain,
            dns_servers=(parse_nameserver(dns.spec),),
            timeout=2.0,
            retries=0,
            ca_bundle=bundle,
            resolve=resolve,
            mta_sts_port=port,
        )
        return run_email(dataclasses.replace(settings, **changes))

    return _run
