"""The DNS client against real servers on loopback: answer classes, TCP fallback, timeouts,
failover, IPv6, CNAME chains and the per-run cache. And: DNS failures never become a pass."""

from __future__ import annotations

import socket
import time

import pytest
from email_dns_server import dns_server, silent_server

from launchready.email.dns import DnsClient, DnsStatus, parse_nameserver
from launchready.model import Status


def client(spec: str, timeout: float = 2.0, retries: int = 0) -> DnsClient:
    return DnsClient([parse_nameserver(spec)], timeout=timeout, retries=retries)


def test_answer_classes(dns):
    c = client(dns.spec)
    assert c.txt("good.test").status is DnsStatus.OK
    nx = c.txt("absent.test")
    assert nx.status is DnsStatus.NXDOMAIN and "NXDOMAIN" in nx.describe()
    nodata = c.txt("host.many.test")
    assert nodata.status is DnsStatus.NODATA and "NODATA" in nodata.describe() and "TXT" in nodata.describe()
    # an empty non-terminal exists: NODATA, not NXDOMAIN
    assert c.txt("_report._dmarc.reports.other.test").status is DnsStatus.NODATA
    sf = c.txt("x.servfail.test")
    assert sf.status is DnsStatus.SERVFAIL and sf.failed and not sf.void
    rf = c.txt("x.refused.test")
    assert rf.status is DnsStatus.REFUSED and rf.failed


def test_truncated_answer_is_retried_over_tcp(dns):
    c = client(dns.spec)
    ans = c.txt("longspf.test")
    assert ans.ok and ans.truncated and ans.tcp
    assert any(t.startswith("v=spf1 ip4:198.51.100.1 ") for t in ans.texts())
    assert c.queries_sent == 2  # UDP (TC set), then TCP


def test_cname_chain_is_followed(dns):
    ans = client(dns.spec).txt("tok4abc._domainkey.ses.test")
    assert ans.ok and ans.cnames == ("tok4abc.dkim.amazonses.test",)
    assert ans.name == "tok4abc._domainkey.ses.test"


def test_cache_sends_each_question_once(dns):
    c = client(dns.spec)
    c.txt("good.test")
    sent = c.queries_sent
    c.txt("GOOD.test.")
    assert c.queries_sent == sent


def test_timeout_counts_retries_and_is_bounded():
    with silent_server() as spec:
        c = client(spec, timeout=0.2, retries=1)
        start = time.monotonic()
        ans = c.txt("good.test")
        elapsed = time.monotonic() - start
    assert ans.status is DnsStatus.TIMEOUT and ans.failed
    assert c.queries_sent == 2 and 0.35 < elapsed < 2.0
    assert "2 attempt(s)" in ans.detail


def test_dead_nameserver_is_not_asked_forever():
    with silent_server() as spec:
        c = client(spec, timeout=0.1, retries=0)
        for name in ("a.test", "b.test", "c.test"):
            assert c.txt(name).status is DnsStatus.TIMEOUT
        sent = c.queries_sent
        start = time.monotonic()
        ans = c.txt("d.test")
    assert ans.status is DnsStatus.TIMEOUT and "not asked" in ans.detail
    assert c.queries_sent == sent and time.monotonic() - start < 0.5


def test_failover_to_the_next_nameserver(dns):
    with silent_server() as spec:
        c = DnsClient([parse_nameserver(spec), parse_nameserver(dns.spec)], timeout=0.2, retries=0)
        ans = c.txt("good.test")
    assert ans.ok and ans.server == dns.spec


def test_ipv6_loopback(zone):
    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("no IPv6 loopback in this environment")
    with dns_server(zone, host="::1") as server:
        assert server.spec.startswith("[::1]:")
        ans = client(server.spec).txt("good.test")
        assert ans.ok and ans.server == server.spec
        assert client(server.spec).txt("longspf.test").tcp


def test_parse_nameserver():
    assert str(parse_nameserver("127.0.0.1:5353")) == "127.0.0.1:5353"
    assert str(parse_nameserver("9.9.9.9")) == "9.9.9.9:53"
    assert parse_nameserver("[::1]:53").host == "::1"
    assert parse_nameserver("2001:db8::1").port == 53
    for bad in ("", "dns.example:53", "1.2.3.4:x", "[::1", "1.2.3.4:70000", "[::1]x"):
        with pytest.raises(ValueError):
            parse_nameserver(bad)


def test_servfail_domain_never_passes(run):
    checks = run("mail.servfail.test").checks
    assert checks
    assert {c.status for c in checks} <= {Status.ERROR, Status.SKIP}
    assert any("SERVFAIL" in c.message for c in checks)


def test_server_that_never_answers_is_error_not_pass(run, silent):
    start = time.monotonic()
    result = run("good.test", dns_servers=(parse_nameserver(silent),), timeout=0.2, retries=0)
    assert time.monotonic() - start < 5
    assert result.dns_queries < 15  # the client stops asking a server that never answers
    checks = result.checks
    ids = {c.id for c in checks}
    assert {"email.spf.record", "email.dkim.selectors", "email.dmarc.record", "email.mx.present"} <= ids
    assert {c.status for c in checks} <= {Status.ERROR, Status.SKIP}
    spf = next(c for c in checks if c.id == "email.spf.record")
    assert "timeout" in spf.message and spf.evidence["answer"] == "timeout"
