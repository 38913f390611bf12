"""Invariants over every test zone: DNS trouble is never a pass, and every failing or warning
check's fix carries the record (or policy file) to publish."""

from __future__ import annotations

import pytest

from launchready.model import Status

RECORD_MARKERS = (" IN TXT ", " IN MX ", "version: STSv1")


def _apex_domains(zone) -> list[str]:
    """Domains with their own MX in the test zones (each is one test case)."""
    return sorted(name for name, records in zone.items() if any(t == "MX" for t, _ in records))


def test_every_fail_or_warn_fix_has_a_record(run, zone):
    domains = _apex_domains(zone)
    assert len(domains) > 30
    seen_ids = set()
    for domain in domains:
        for c in run(domain).checks:
            seen_ids.add(c.id)
            assert c.duration_ms >= 0 and c.target.endswith(domain)
            if c.status in (Status.FAIL, Status.WARN):
                assert any(m in c.fix for m in RECORD_MARKERS), (domain, c.id, c.fix)
    # the zones exercise every check id we emit
    assert {
        "email.spf.all",
        "email.spf.size",
        "email.dkim.testing",
        "email.dmarc.report-auth",
        "email.mx.hosts",
        "email.mta-sts.policy",
        "email.mta-sts.tls-rpt",
    } <= seen_ids


@pytest.mark.parametrize("domain", ["x.servfail.test", "x.refused.test"])
def test_failing_nameserver_never_passes(run, domain):
    checks = run(domain).checks
    assert checks and all(c.status in (Status.ERROR, Status.SKIP) for c in checks)
