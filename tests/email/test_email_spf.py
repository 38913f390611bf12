"""SPF against the loopback DNS server: one record, syntax, all, lookup and void limits, loops."""

from __future__ import annotations

import pytest
from email_dns_server import by_id

from launchready.model import Severity, Status

SPF_ONLY = {"only": ("email.spf",)}


def test_good_domain_passes_every_spf_check(run):
    checks = run("good.test", **SPF_ONLY).checks
    assert checks and {c.status for c in checks} == {Status.PASS}
    assert all(c.id.startswith("email.spf.") and c.target == "good.test" for c in checks)
    lookups = by_id(checks, "email.spf.lookups")
    assert lookups.evidence["lookups"] == 2  # include + mx
    assert by_id(checks, "email.spf.record").evidence["records"] == ["v=spf1 include:_spf.provider.test mx -all"]


@pytest.mark.parametrize(
    ("domain", "status", "severity", "qualifier"),
    [
        ("plusall.test", Status.FAIL, Severity.CRITICAL, "+"),
        ("qall.test", Status.FAIL, Severity.HIGH, "?"),
        ("noall.test", Status.FAIL, Severity.HIGH, None),
        ("softall.test", Status.PASS, Severity.HIGH, "~"),
        ("good.test", Status.PASS, Severity.HIGH, "-"),
        ("redirect.test", Status.PASS, Severity.HIGH, "-"),
    ],
)
def test_all_qualifier(run, domain, status, severity, qualifier):
    c = by_id(run(domain, **SPF_ONLY).checks, "email.spf.all")
    assert (c.status, c.severity, c.evidence["qualifier"]) == (status, severity, qualifier)
    if status is Status.FAIL:
        # the fix is the record to publish, ending in -all
        assert f'{domain}. IN TXT "v=spf1' in c.fix and '-all"' in c.fix
    if qualifier == "~":
        assert "softfail" in c.message
    if domain == "redirect.test":
        assert "redirect" in c.message


def test_eleven_lookups_through_nested_includes_fail(run):
    c = by_id(run("many.test", **SPF_ONLY).checks, "email.spf.lookups")
    assert c.status is Status.FAIL and c.evidence["lookups"] == 11
    assert "11 DNS lookups" in c.message and "limit 10" in c.message
    assert [n["lookups"] for n in c.evidence["tree"]] == [3, 3, 3, 2, 0]
    assert 'IN TXT "v=spf1' in c.fix


def test_exactly_ten_lookups_pass(run):
    c = by_id(run("ten.test", **SPF_ONLY).checks, "email.spf.lookups")
    assert c.status is Status.PASS and c.evidence["lookups"] == 10


def test_include_loop_fails(run):
    checks = run("loop.test", **SPF_ONLY).checks
    c = by_id(checks, "email.spf.include-loop")
    assert c.status is Status.FAIL
    assert c.evidence["loops"] == ["loop.test -> loop-a.test -> loop-b.test -> loop-a.test"]


def test_three_void_lookups_fail(run):
    c = by_id(run("void.test", **SPF_ONLY).checks, "email.spf.void-lookups")
    assert c.status is Status.FAIL and len(c.evidence["void_lookups"]) == 3
    assert "nxdomain" in c.message
    # the suggested record drops the void terms and keeps the rest
    assert "nx1.void.test" not in c.fix and "include:_spf.provider.test" in c.fix


def test_two_spf_records_fail_with_a_merged_record(run):
    checks = run("twospf.test", **SPF_ONLY).checks
    assert [c.id for c in checks] == ["email.spf.record"]
    c = checks[0]
    assert c.status is Status.FAIL and "2 SPF records" in c.message
    assert 'twospf.test. IN TXT "v=spf1 ip4:192.0.2.1 include:_spf.provider.test -all"' in c.fix


def test_ptr_is_deprecated(run):
    c = by_id(run("ptr.test", **SPF_ONLY).checks, "email.spf.ptr")
    assert c.status is Status.WARN and "deprecated" in c.message
    assert "ptr" not in c.fix.split("TXT", 1)[1]


def test_syntax_errors_fail(run):
    c = by_id(run("badsyntax.test", **SPF_ONLY).checks, "email.spf.syntax")
    assert c.status is Status.FAIL
    joined = " ".join(c.evidence["errors"])
    assert "192.0.2.300" in joined and "foo:bar" in joined and "empty domain" in joined
    assert 'badsyntax.test. IN TXT "v=spf1 -all"' in c.fix


def test_long_record_is_fetched_over_tcp_and_flagged(run, dns):
    before = len(dns.tcp_queries())
    checks = run("longspf.test", **SPF_ONLY).checks
    assert by_id(checks, "email.spf.record").status is Status.PASS
    size = by_id(checks, "email.spf.size")
    assert size.status is Status.WARN and size.evidence["truncated_over_udp"] is True
    assert size.evidence["estimated_response_bytes"] > 512
    assert ("longspf.test", "TXT", "tcp") in dns.tcp_queries()[before:]


def test_missing_spf_tells_nodata_from_nxdomain(run):
    nodata = by_id(run("loop-a.test", only=("email.spf.record",)).checks, "email.spf.record")
    # loop-a.test has an SPF record; host.many.test has only an A record -> NODATA
    assert nodata.status is Status.PASS
    c = by_id(run("host.many.test", only=("email.spf.record",)).checks, "email.spf.record")
    assert c.status is Status.FAIL and "NODATA" in c.message
    assert 'host.many.test. IN TXT "v=spf1' in c.fix
    c = by_id(run("absent.test", only=("email.spf.record",)).checks, "email.spf.record")
    assert c.status is Status.FAIL and "NXDOMAIN" in c.message


def test_parse_spf_unit_cases():
    from launchready.email.spf import parse_spf

    assert parse_spf("v=spf1 a/24//64 mx:example.com/30 ip6:2001:db8::/48 exists:%{i}.x.example.com -all").errors == []
    assert parse_spf("v=spf1 a/33").errors
    assert parse_spf("v=spf1 ip4:10.0.0.0/033").errors
    assert parse_spf("v=spf1 ip6:10.0.0.1").errors
    assert parse_spf("v=spf1 include:%{z}.example.com").errors
    assert parse_spf("v=spf1 redirect=a.example.com redirect=b.example.com").errors
    assert parse_spf("v=spf1 include:localhost").errors
    assert parse_spf("spf1 -all").errors
    assert parse_spf("v=spf1 -all ip4:192.0.2.1").notes  # after all: never evaluated
