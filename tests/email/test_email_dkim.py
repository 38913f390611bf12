"""DKIM against the loopback DNS server, with RSA and ed25519 keys generated at test time."""

from __future__ import annotations

from email_dns_server import by_id

from launchready.email.dkim import COMMON_SELECTORS, parse_key
from launchready.model import Severity, Status

DKIM_ONLY = {"only": ("email.dkim",)}


def test_2048_bit_key_at_a_common_selector_passes(run):
    checks = run("good.test", **DKIM_ONLY).checks
    key = by_id(checks, "email.dkim.key")
    assert key.status is Status.PASS and key.target == "google._domainkey.good.test"
    assert key.evidence["bits"] == 2048 and key.evidence["provider_hint"] == "Google Workspace"
    summary = by_id(checks, "email.dkim.selectors")
    assert summary.status is Status.PASS and summary.evidence["usable"] == ["google"]


def test_512_bit_key_fails(run):
    checks = run("dkim512.test", dkim_selectors=("s512",), **DKIM_ONLY).checks
    key = by_id(checks, "email.dkim.key", "s512._domainkey.dkim512.test")
    assert key.status is Status.FAIL and key.severity is Severity.HIGH
    assert key.evidence["bits"] == 512 and "512-bit" in key.message
    assert 's512._domainkey.dkim512.test. IN TXT "v=DKIM1; k=rsa; p=' in key.fix
    assert by_id(checks, "email.dkim.selectors").status is Status.FAIL


def test_1024_bit_key_warns(run):
    checks = run("dkim1024.test", **DKIM_ONLY).checks
    key = by_id(checks, "email.dkim.key")
    assert key.status is Status.WARN and key.evidence["bits"] == 1024
    assert by_id(checks, "email.dkim.selectors").status is Status.PASS


def test_revoked_key_is_reported(run):
    checks = run("revoked.test", **DKIM_ONLY).checks
    common = by_id(checks, "email.dkim.key", "k1._domainkey.revoked.test")
    assert common.status is Status.WARN and "revoked" in common.message
    checks = run("revoked.test", dkim_selectors=("old",), **DKIM_ONLY).checks
    configured = by_id(checks, "email.dkim.key", "old._domainkey.revoked.test")
    assert configured.status is Status.FAIL and configured.evidence["revoked"] is True


def test_testing_flag_is_reported(run):
    checks = run("dkimtest.test", **DKIM_ONLY).checks
    t = by_id(checks, "email.dkim.testing")
    assert t.status is Status.WARN and t.target == "s1._domainkey.dkimtest.test"
    record = t.fix.split(" IN TXT ", 1)[1]
    assert "t=y" not in record and "p=" in record


def test_ed25519_is_accepted(run):
    key = by_id(run("ed.test", **DKIM_ONLY).checks, "email.dkim.key")
    assert key.status is Status.PASS and key.evidence["key_type"] == "ed25519"


def test_configured_cname_selector_is_followed(run):
    checks = run("ses.test", dkim_selectors=("tok4abc",), **DKIM_ONLY).checks
    key = by_id(checks, "email.dkim.key", "tok4abc._domainkey.ses.test")
    assert key.status is Status.PASS
    assert key.evidence["cname"] == ["tok4abc.dkim.amazonses.test"]


def test_missing_configured_selector_fails(run):
    checks = run("good.test", dkim_selectors=("nope",), **DKIM_ONLY).checks
    c = by_id(checks, "email.dkim.key", "nope._domainkey.good.test")
    assert c.status is Status.FAIL and "NXDOMAIN" in c.message
    assert "nope._domainkey.good.test. IN TXT" in c.fix


def test_no_selector_found_warns_with_the_selectors_tried(run):
    c = by_id(run("nodkim.test", **DKIM_ONLY).checks, "email.dkim.selectors")
    assert c.status is Status.WARN
    assert c.evidence["selectors_tried"] == list(COMMON_SELECTORS)
    assert "google" in c.message and "Amazon SES" in c.message
    assert "--dkim-selector" in c.fix and "dkim_selectors" in c.fix and "_domainkey.nodkim.test" in c.fix


def test_parse_key_errors():
    assert parse_key("v=DKIM1; p=!!!").errors
    assert parse_key("v=DKIM2; p=").errors
    assert parse_key("v=DKIM1; k=dsa; p=AAAA").errors
    assert parse_key("v=DKIM1; k=ed25519; p=AAAA").errors
    assert parse_key("v=DKIM1; k=rsa").errors
    assert parse_key("v=DKIM1; p=").revoked
