"""MTA-STS and TLS-RPT: records over the loopback DNS server, policies over real HTTPS
(trustme CA, --resolve to 127.0.0.1, --ca-bundle)."""

from __future__ import annotations

from email_dns_server import by_id

from launchready.model import Severity, Status

STS = {"only": ("email.mta-sts",)}


def test_enforced_policy_passes(run):
    result = run("good.test", **STS)
    assert {c.id: c.status for c in result.checks} == {
        "email.mta-sts.record": Status.PASS,
        "email.mta-sts.policy": Status.PASS,
        "email.mta-sts.tls-rpt": Status.PASS,
    }
    policy = by_id(result.checks, "email.mta-sts.policy")
    assert policy.evidence["policy"]["mode"] == "enforce" and policy.evidence["status"] == 200
    assert result.http_requests == 1


def test_policy_not_covering_the_mx_fails(run):
    c = by_id(run("ststest.test", **STS).checks, "email.mta-sts.policy")
    assert c.status is Status.FAIL and "mx1.ststest.test" in c.message
    assert "mx: mx1.ststest.test" in c.fix and "_mta-sts.ststest.test. IN TXT" in c.fix


def test_missing_policy_file_fails(run):
    c = by_id(run("stsmissing.test", **STS).checks, "email.mta-sts.policy")
    assert c.status is Status.FAIL and "HTTP 404" in c.message


def test_untrusted_certificate_is_an_error(run):
    c = by_id(run("good.test", ca_bundle=None, **STS).checks, "email.mta-sts.policy")
    assert c.status is Status.ERROR and "TLS" in c.message


def test_no_record_warns_low_and_fetches_nothing(run):
    result = run("plusall.test", **STS)
    c = by_id(result.checks, "email.mta-sts.record")
    assert c.status is Status.WARN and c.severity is Severity.LOW
    assert '_mta-sts.plusall.test. IN TXT "v=STSv1; id=' in c.fix and "mta-sts.txt" in c.fix
    assert "email.mta-sts.policy" not in {x.id for x in result.checks}
    assert result.http_requests == 0


def test_missing_tls_rpt_is_info(run):
    c = by_id(run("host.many.test", **STS).checks, "email.mta-sts.tls-rpt")
    assert c.status is Status.WARN and c.severity is Severity.INFO
    assert '_smtp._tls.host.many.test. IN TXT "v=TLSRPTv1; rua=mailto:tls-reports@host.many.test"' in c.fix


def test_null_mx_skips_mta_sts(run):
    c = by_id(run("nullmx.test", **STS).checks, "email.mta-sts.record")
    assert c.status is Status.SKIP


def test_policy_parsing_and_mx_patterns():
    from launchready.email.mtasts import mx_matches, parse_policy

    policy, errors = parse_policy("version: STSv1\nmode: enforce\nmx: *.example.net\nmax_age: 86400\n")
    assert not errors and policy["mx"] == ["*.example.net"]
    assert mx_matches("mx1.example.net", "*.example.net")
    assert not mx_matches("a.b.example.net", "*.example.net")
    assert not mx_matches("example.net", "*.example.net")
    assert parse_policy("version: STSv1\nmode: strict\nmax_age: 1\n")[1]


def test_testing_mode_warns_with_the_enforce_policy_to_serve(run):
    c = by_id(run("stsmode.test", **STS).checks, "email.mta-sts.policy")
    assert c.status is Status.WARN and "testing mode" in c.message and "max_age=3600" in c.message
    assert "mode: enforce" in c.fix and "mx: *.stsmode.test" in c.fix
    assert '_mta-sts.stsmode.test. IN TXT "v=STSv1; id=' in c.fix
