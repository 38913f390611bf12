"""`launchready live` runs the email area's checks when live.email.domain is set."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dnslib import QTYPE, RCODE, RR, DNSRecord
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from .site import Site, html

ZONE = {
    ("launch.test", "TXT"): 'launch.test. 300 IN TXT "v=spf1 -all"',
    ("_dmarc.launch.test", "TXT"): '_dmarc.launch.test. 300 IN TXT "v=DMARC1; p=reject; rua=mailto:d@launch.test"',
}


class _Zone(BaseResolver):  # type: ignore[misc]
    def __init__(self) -> None:
        self.queries = 0

    def resolve(self, request: DNSRecord, handler: object) -> DNSRecord:
        self.queries += 1
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        record = ZONE.get((name, QTYPE[request.q.qtype]))
        if record:
            reply.add_answer(*RR.fromZone(record))
        elif name != "launch.test" and not name.endswith("launch.test"):
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


class _Quiet(DNSLogger):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)


@contextmanager
def dns() -> Iterator[tuple[str, _Zone]]:
    zone = _Zone()
    server = DNSServer(zone, port=0, address="127.0.0.1", logger=_Quiet())
    server.start_thread()
    try:
        yield f"127.0.0.1:{server.server.server_address[1]}", zone
    finally:
        server.stop()


def test_live_runs_email_checks(tmp_path: Path, run_cli) -> None:
    with dns() as (server, zone), Site({"/": html("ok")}) as site:
        (tmp_path / ".launchready.yml").write_text(
            f"version: 1\nlive:\n  targets: [{{url: '{site.url}'}}]\n  email: {{domain: launch.test, timeout: 1, retries: 0}}\n"
        )
        res = run_cli(
            [
                "live",
                "--resolve",
                site.resolve,
                "--dns-server",
                server,
                "--only",
                "email",
                "--only",
                "headers.csp",
                "--json",
                "-",
            ],
            tmp_path,
        )
        dry = run_cli(
            ["live", "--resolve", site.resolve, "--dns-server", server, "--only", "email", "--dry-run"], tmp_path
        )
    report = json.loads(res.out)
    ids = {c["id"] for c in report["checks"]}
    assert "headers.csp" in ids
    assert any(i.startswith("email.spf") for i in ids) and any(i.startswith("email.dmarc") for i in ids), ids
    assert not any(i.startswith(("tls.", "cors.")) for i in ids)
    assert zone.queries > 0 and report["summary"]["requests_sent"] >= zone.queries
    rows = {r["row"]: r["state"] for r in report["scorecard"]}
    assert rows["Email authentication"] != "not checked"
    assert "launch.test" in dry.out and "email" in dry.out
