"""The demo's parts on their own: its DNS server (real UDP/TCP on loopback) and --keep-repo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.resolver
import pytest

from launchready.demo.dns import DNSServer, demo_zone, txt
from launchready.demo.server import dkim_public_der


@pytest.fixture(scope="module")
def server() -> Any:
    with DNSServer(demo_zone(fixed=True, dkim_public_der=dkim_public_der())) as s:
        yield s


def _resolver(port: int) -> dns.resolver.Resolver:
    r = dns.resolver.Resolver(configure=False)
    r.nameservers = ["127.0.0.1"]
    r.port = port
    r.lifetime = 3
    return r


def test_answers_the_fixed_zone(server: DNSServer) -> None:
    r = _resolver(server.port)
    assert [a.to_text() for a in r.resolve("demo-chat.test", "TXT")] == ['"v=spf1 ip4:127.0.0.1 -all"']
    assert "p=reject" in r.resolve("_dmarc.demo-chat.test", "TXT")[0].to_text()
    assert r.resolve("demo-chat.test", "MX")[0].to_text() == "10 mail.demo-chat.test."
    dkim = "".join(s.decode() for s in r.resolve("demo._domainkey.demo-chat.test", "TXT")[0].strings)
    assert dkim.startswith("v=DKIM1; k=rsa; p=MII")


def test_nxdomain_nodata_and_refused_are_told_apart(server: DNSServer) -> None:
    def ask(name: str, rtype: str) -> dns.message.Message:
        return dns.query.udp(dns.message.make_query(name, rtype), "127.0.0.1", port=server.port, timeout=3)

    assert ask("nothing.demo-chat.test", "TXT").rcode() == dns.rcode.NXDOMAIN
    nodata = ask("mail.demo-chat.test", "TXT")
    assert nodata.rcode() == dns.rcode.NOERROR and not nodata.answer and nodata.authority
    assert ask("_domainkey.demo-chat.test", "TXT").rcode() == dns.rcode.NOERROR  # empty non-terminal
    assert ask("example.com", "A").rcode() == dns.rcode.REFUSED


def test_large_answers_truncate_over_udp_and_arrive_over_tcp() -> None:
    zone = {
        "@": [("SOA", "ns1.demo-chat.test. h.demo-chat.test. 1 3600 600 86400 300")],
        "big": [("TXT", txt("x" * 700))],
    }
    with DNSServer(zone) as s:
        q = dns.message.make_query("big.demo-chat.test", "TXT", use_edns=False)
        udp = dns.query.udp(q, "127.0.0.1", port=s.port, timeout=3)
        assert udp.flags & dns.flags.TC and not udp.answer
        tcp = dns.query.tcp(q, "127.0.0.1", port=s.port, timeout=3)
        assert tcp.answer and not tcp.flags & dns.flags.TC
        # with EDNS and a big enough buffer it fits in one UDP answer
        edns = dns.query.udp(
            dns.message.make_query("big.demo-chat.test", "TXT", use_edns=0, payload=1232),
            "127.0.0.1",
            port=s.port,
            timeout=3,
        )
        assert edns.answer


def test_flawed_zone_has_spf_plus_all_and_no_dmarc() -> None:
    with DNSServer(demo_zone(fixed=False, dkim_public_der=dkim_public_der())) as s:
        r = _resolver(s.port)
        assert [a.to_text() for a in r.resolve("demo-chat.test", "TXT")] == ['"v=spf1 +all"']
        with pytest.raises(dns.resolver.NXDOMAIN):
            r.resolve("_dmarc.demo-chat.test", "TXT")


def test_txt_splits_long_strings() -> None:
    assert txt("a" * 300) == '"' + "a" * 255 + '" "' + "a" * 45 + '"'
    assert txt('say "hi"') == '"say \\"hi\\""'


def test_keep_repo_leaves_a_repository_to_explore(tmp_path: Path) -> None:
    env = dict(os.environ, CI="1", LAUNCHREADY_DEMO_SEED="7")
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", "demo", "-q", "--keep-repo", "kept"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    kept = tmp_path / "kept"
    assert (kept / ".launchready.yml").is_file() and (kept / ".git").is_dir()
    staged = subprocess.run(
        ["git", "-C", str(kept), "diff", "--cached", "--name-only"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert staged == ["scripts/seed_admin.py"]
    # a user can run launchready in it: the hook's view still blocks the staged token
    hook = subprocess.run(
        [sys.executable, "-m", "launchready", "scan", "--staged"],
        cwd=kept,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert hook.returncode == 1 and "secret.github" in hook.stdout
    again = subprocess.run(
        [sys.executable, "-m", "launchready", "demo", "--keep-repo", "kept"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2 and "already exists" in again.stderr
