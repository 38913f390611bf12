"""``launchready email DOMAIN`` end to end: flags, config, exit codes and the JSON report."""

from __future__ import annotations

import json
from pathlib import Path

from launchready.model import Status

SKIP_STS = ["--skip", "email.mta-sts"]


SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "report.schema.json"


def _json(out: str) -> dict:
    report = json.loads(out)
    if SCHEMA.is_file():  # the public contract: every email report validates
        import jsonschema

        jsonschema.validate(report, json.loads(SCHEMA.read_text()))
    return report


def test_clean_domain_exits_0_with_json(run_cli, dns, tmp_path: Path):
    r = run_cli(["email", "example.test", "--dns-server", dns.spec, "--json", "-", *SKIP_STS], tmp_path)
    assert r.code == 0, r.err
    report = _json(r.out)
    assert report["command"] == "email"
    ids = {c["id"] for c in report["checks"]}
    assert {"email.spf.record", "email.spf.lookups", "email.dkim.key", "email.dmarc.policy", "email.mx.present"} <= ids
    assert not any(i.startswith("email.mta-sts") for i in ids)
    assert all(c["target"].endswith("example.test") for c in report["checks"])
    assert {c["status"] for c in report["checks"]} == {"pass"}
    spf_all = next(c for c in report["checks"] if c["id"] == "email.spf.all")
    assert spf_all["evidence"]["qualifier"] == "~" and "softfail" in spf_all["message"]
    assert report["summary"]["requests_sent"] > 0
    row = (
        next(x for x in report.get("scorecard", []) if x["row"] == "Email authentication")
        if report.get("scorecard")
        else None
    )
    if row is not None:
        assert row["state"] == "pass"


def test_plus_all_exits_1_and_prints_the_record(run_cli, dns, tmp_path: Path):
    r = run_cli(["email", "plusall.test", "--dns-server", dns.spec, *SKIP_STS], tmp_path)
    assert r.code == 1
    assert "email.spf.all" in r.out and 'plusall.test. IN TXT "v=spf1 ip4:192.0.2.1 -all"' in r.out


def test_only_and_fail_on(run_cli, dns, tmp_path: Path):
    # p=none is a medium warn: exit 0 at the default threshold, only DMARC ran
    r = run_cli(["email", "pnone.test", "--dns-server", dns.spec, "--only", "email.dmarc", "--json", "-"], tmp_path)
    assert r.code == 0
    checks = _json(r.out)["checks"]
    assert {c["id"].split(".")[1] for c in checks} == {"dmarc"}
    assert next(c for c in checks if c["id"] == "email.dmarc.policy")["status"] == "warn"
    # an external rua without authorization is a medium fail: exit 1 with --fail-on medium
    args = ["email", "extrua.test", "--dns-server", dns.spec, "--only", "email.dmarc"]
    assert run_cli(args, tmp_path).code == 0
    assert run_cli([*args, "--fail-on", "medium"], tmp_path).code == 1


def test_unreachable_dns_is_an_error_exit_1(run_cli, silent, tmp_path: Path):
    args = ["email", "good.test", "--dns-server", silent, "--dns-timeout", "0.2", "--dns-retries", "0", "--json", "-"]
    r = run_cli(args, tmp_path)
    assert r.code == 1
    statuses = {c["status"] for c in _json(r.out)["checks"]}
    assert "pass" not in statuses and "error" in statuses
    assert run_cli([*args, "--errors-ok"], tmp_path).code == 0


def test_dkim_selector_flag_and_config(run_cli, dns, tmp_path: Path):
    r = run_cli(
        [
            "email",
            "dkim512.test",
            "--dns-server",
            dns.spec,
            "--dkim-selector",
            "s512",
            "--only",
            "email.dkim",
            "--json",
            "-",
        ],
        tmp_path,
    )
    assert r.code == 1
    key = next(c for c in _json(r.out)["checks"] if c["id"] == "email.dkim.key")
    assert key["target"] == "s512._domainkey.dkim512.test" and key["status"] == Status.FAIL.value
    (tmp_path / ".launchready.yml").write_text(
        f"version: 1\nlive:\n  email:\n    domain: ignored.test\n    dkim_selectors: [s512]\n    dns_servers: ['{dns.spec}']\n"
    )
    r = run_cli(["email", "dkim512.test", "--only", "email.dkim", "--json", "-"], tmp_path)
    assert r.code == 1
    assert any(c["target"] == "s512._domainkey.dkim512.test" for c in _json(r.out)["checks"])


def test_usage_errors_exit_2(run_cli, dns, tmp_path: Path):
    for args, text in [
        (["email", "https://good.test/", "--dns-server", dns.spec], "not a domain name"),
        (["email", "good.test", "--dns-server", "ns.example:53"], "--dns-server"),
        (["email", "good.test", "--dkim-selector", "bad selector"], "--dkim-selector"),
        (["email", "good.test", "--dns-timeout", "0"], "--dns-timeout"),
        (["email", "good.test", "--ca-bundle", "missing.pem"], "--ca-bundle"),
        (["email", "good.test", "--resolve", "nonsense"], "--resolve"),
    ]:
        r = run_cli(args, tmp_path)
        assert r.code == 2, (args, r.err)
        assert text in r.err, (args, r.err)


def test_config_errors_name_file_line_and_key(run_cli, tmp_path: Path):
    (tmp_path / ".launchready.yml").write_text("version: 1\nlive:\n  email:\n    timeout: soon\n")
    r = run_cli(["email", "good.test"], tmp_path)
    assert r.code == 2
    assert ".launchready.yml:4: live.email.timeout:" in r.err
    (tmp_path / ".launchready.yml").write_text(
        "version: 1\nlive:\n  email:\n    dns_servers:\n      - 127.0.0.1\n      - resolver.example\n"
    )
    r = run_cli(["email", "good.test"], tmp_path)
    assert r.code == 2 and ".launchready.yml:6: live.email.dns_servers.1:" in r.err


def test_dry_run_sends_nothing(run_cli, dns, tmp_path: Path):
    before = len(dns.resolver.queries)
    r = run_cli(["email", "good.test", "--dns-server", dns.spec, "--dkim-selector", "mine", "--dry-run"], tmp_path)
    assert r.code == 0
    assert "DNS good.test TXT" in r.out and "mine._domainkey.good.test" in r.out
    assert "https://mta-sts.good.test/.well-known/mta-sts.txt" in r.out
    assert len(dns.resolver.queries) == before


def test_top_level_email_section_and_ipv6_server(run_cli, zone, tmp_path: Path):
    import socket

    from email_dns_server import dns_server

    try:
        probe = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        import pytest

        pytest.skip("no IPv6 loopback in this environment")
    with dns_server(zone, host="::1") as server:
        (tmp_path / ".launchready.yml").write_text(
            f"version: 1\nemail:\n  dns_servers: ['{server.spec}']\n  retries: 0\n"
        )
        r = run_cli(["email", "good.test", "--only", "email.spf", "--json", "-"], tmp_path)
        assert r.code == 0, r.err
        record = next(c for c in _json(r.out)["checks"] if c["id"] == "email.spf.record")
        assert record["status"] == "pass" and record["evidence"]["server"] == server.spec
