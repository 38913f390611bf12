"""DMARC and MX against the loopback DNS server."""

from __future__ import annotations

import pytest
from email_dns_server import by_id

from launchready.email.dmarc import organizational_domain, parse_dmarc
from launchready.model import Severity, Status

DMARC = {"only": ("email.dmarc",)}
MX = {"only": ("email.mx",)}


def test_enforced_policy_passes(run):
    checks = run("good.test", **DMARC).checks
    assert {c.id: c.status for c in checks} == {
        "email.dmarc.record": Status.PASS,
        "email.dmarc.syntax": Status.PASS,
        "email.dmarc.policy": Status.PASS,
        "email.dmarc.rua": Status.PASS,
    }
    policy = by_id(checks, "email.dmarc.policy")
    assert policy.evidence["adkim"] == "s" and "adkim=s (strict)" in policy.message


def test_no_dmarc_fails_and_says_nxdomain(run):
    c = by_id(run("nodmarc.test", **DMARC).checks, "email.dmarc.record")
    assert c.status is Status.FAIL and c.severity is Severity.HIGH
    assert "NXDOMAIN" in c.message
    assert '_dmarc.nodmarc.test. IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@nodmarc.test"' in c.fix


def test_p_none_warns_with_an_enforcing_record(run):
    c = by_id(run("pnone.test", **DMARC).checks, "email.dmarc.policy")
    assert c.status is Status.WARN and "monitoring only" in c.message
    assert '_dmarc.pnone.test. IN TXT "v=DMARC1; p=quarantine; rua=mailto:d@pnone.test"' in c.fix


def test_pct_under_100_warns(run):
    c = by_id(run("pct.test", **DMARC).checks, "email.dmarc.policy")
    assert c.status is Status.WARN and "50%" in c.message
    assert c.fix.endswith('_dmarc.pct.test. IN TXT "v=DMARC1; p=reject; rua=mailto:d@pct.test"')


def test_missing_rua_warns(run):
    checks = run("norua.test", **DMARC).checks
    assert by_id(checks, "email.dmarc.policy").status is Status.PASS
    c = by_id(checks, "email.dmarc.rua")
    assert c.status is Status.WARN and "rua=mailto:dmarc-reports@norua.test" in c.fix


def test_duplicate_records_fail(run):
    c = by_id(run("dupdmarc.test", **DMARC).checks, "email.dmarc.record")
    assert c.status is Status.FAIL and "2 DMARC records" in c.message


def test_syntax_errors_fail(run):
    checks = run("baddmarc.test", **DMARC).checks
    c = by_id(checks, "email.dmarc.syntax")
    assert c.status is Status.FAIL and "p=maybe" in c.message and "pct=150" in c.message
    assert '"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@baddmarc.test"' in c.fix
    assert "email.dmarc.policy" not in {x.id for x in checks}


def test_external_rua_needs_authorization(run):
    c = by_id(run("extrua.test", **DMARC).checks, "email.dmarc.report-auth")
    assert c.status is Status.FAIL
    assert 'extrua.test._report._dmarc.reports.vendor.test. IN TXT "v=DMARC1"' in c.fix
    ok = by_id(run("authrua.test", **DMARC).checks, "email.dmarc.report-auth")
    assert ok.status is Status.PASS


def test_subdomain_falls_back_to_the_organizational_domain(run):
    checks = run("sub.orgdmarc.test", **DMARC).checks
    rec = by_id(checks, "email.dmarc.record")
    assert rec.status is Status.PASS and rec.evidence["location"] == "_dmarc.orgdmarc.test"
    assert [lk["query"] for lk in rec.evidence["lookups"]] == [
        "_dmarc.sub.orgdmarc.test TXT",
        "_dmarc.orgdmarc.test TXT",
    ]
    assert by_id(checks, "email.dmarc.policy").evidence["applies_to_domain"] == "quarantine"  # sp=


def test_unit_parsing():
    assert organizational_domain("a.b.example.co.uk") == "example.co.uk"
    assert organizational_domain("mail.example.test") == "example.test"
    tags, errors, notes = parse_dmarc("v=DMARC1; p=reject; foo=bar; rua=mailto:a@example.com!10m")
    assert not errors and notes and tags["p"] == "reject"
    assert parse_dmarc("p=reject; v=DMARC1")[1]
    assert parse_dmarc("v=DMARC1; p=reject; adkim=x")[1]
    assert parse_dmarc("v=DMARC1; p=reject; rua=mailto:nobody")[1]


def test_mx_present(run):
    checks = run("good.test", **MX).checks
    assert [(c.id, c.status) for c in checks] == [("email.mx.present", Status.PASS), ("email.mx.hosts", Status.PASS)]


def test_null_mx_passes_as_info(run):
    checks = run("nullmx.test", **MX).checks
    c = by_id(checks, "email.mx.present")
    assert c.status is Status.PASS and c.severity is Severity.INFO and "null MX" in c.message


@pytest.mark.parametrize(("domain", "word"), [("nomx.test", "NODATA"), ("absent.test", "NXDOMAIN")])
def test_missing_mx_fails_and_names_nodata_or_nxdomain(run, domain, word):
    c = by_id(run(domain, **MX).checks, "email.mx.present")
    assert c.status is Status.FAIL and word in c.message
    assert f"{domain}. IN MX 10 " in c.fix and f"{domain}. IN MX 0 ." in c.fix


def test_mx_host_without_address_fails(run):
    c = by_id(run("badmx.test", **MX).checks, "email.mx.hosts")
    assert c.status is Status.FAIL and "gone.badmx.test" in c.message
