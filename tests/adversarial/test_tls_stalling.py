"""A server that accepts TCP and then stalls or trickles the TLS handshake cannot hold a TLS
probe (or an HTTPS request) past the run's time budget: every raw probe and every
connection has one wall-clock deadline for the connect and the whole handshake, derived
from ``--max-seconds``. Real loopback servers, the real CLI in a subprocess."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest
from tests.live.site import CA

from .conftest import launchready
from .servers import connect_proxy, dns_for, mta_sts_args, serving, sts_zone

pytestmark = pytest.mark.timeout(120)
BUDGET = 3  # --max-seconds
SLACK = 8  # start-up, reporting, the last probe's rounding
TLS_IDS = ("tls.https", "tls.certificate", "tls.chain", "tls.expiry", "tls.key-size", "tls.legacy-protocols")


def _trickle(conn: socket.socket, stop: threading.Event) -> None:
    """A ServerHello record that never completes: its 5-byte header announces 16 KiB, then
    one byte every 0.3 s, each well within any socket timeout."""
    for b in b"\x16\x03\x03\x40\x00" + b"\x02" * 0x4000:
        if stop.wait(0.3):
            return
        conn.sendall(bytes([b]))


def _silent(conn: socket.socket, stop: threading.Event) -> None:
    """Accepts, reads the ClientHello and never answers it."""
    stop.wait(60)


@contextmanager
def stalling_tls_server(
    stall: Callable[[socket.socket, threading.Event], None], ctx: ssl.SSLContext | None = None
) -> Iterator[tuple[int, list[str]]]:
    """A loopback server that stalls every TLS handshake, or with ``ctx`` only the ones
    offering TLS 1.0 or 1.1 (the others complete normally). Yields the port and the
    client_version of every ClientHello seen."""
    stop = threading.Event()
    seen: list[str] = []

    def serve(conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(10)
                head = b""
                while len(head) < 11:  # record header (5) + handshake type and length (4) + client_version (2)
                    head = conn.recv(11, socket.MSG_PEEK)
                    if not head:
                        return
                    if len(head) < 11 and stop.wait(0.01):
                        return
                version = head[9:11].hex()
                seen.append(version)
                if ctx is not None and version not in ("0301", "0302"):
                    with ctx.wrap_socket(conn, server_side=True) as tls, suppress(OSError):
                        tls.recv(1)
                    return
                conn.recv(65536)  # the ClientHello
                stall(conn, stop)
            except OSError:
                return

    with serving(serve, stop) as port:
        yield port, seen


def _report(tmp_path: Path) -> dict[str, dict[str, Any]]:
    report = json.loads((tmp_path / "r.json").read_text())
    return {c["id"]: c for c in report["checks"]}


@pytest.mark.parametrize("stall", [_trickle, _silent], ids=["trickled-handshake", "clienthello-never-answered"])
def test_a_stalled_tls_handshake_is_cut_at_the_run_budget(tmp_path: Path, stall: Any) -> None:
    """Before: each TLS probe waited for the socket timeout (60 s here) whatever the budget;
    ``--max-seconds 3`` ran 20 s with ``--timeout 20``. The HTTPS page fetches go through
    requests and get the same bound for their handshake."""
    with stalling_tls_server(stall) as (port, seen):
        run = launchready(
            [
                "live",
                "--url",
                f"https://127.0.0.1:{port}/",
                "--max-seconds",
                str(BUDGET),
                "--timeout",
                "60",
                "--json",
                "r.json",
            ],
            tmp_path,
            timeout=90,
        )
    assert seen, "the server saw no ClientHello: the attack was not exercised"
    assert run.seconds < BUDGET + SLACK, run.seconds
    assert run.code == 1, run.err
    checks = _report(tmp_path)
    assert "pass" not in {c["status"] for c in checks.values()}
    for cid in TLS_IDS:
        c = checks[cid]
        assert c["status"] == "error", c
        assert "TLS handshake not finished" in c["message"] and "time limit" in c["message"], c
    for cid in ("headers.csp", "hsts.present", "bundle.secret"):
        assert checks[cid]["status"] == "error", checks[cid]


def test_a_stalled_legacy_protocol_probe_is_cut_at_the_run_budget(tmp_path: Path) -> None:
    """The modern handshakes complete; the probes offering only TLS 1.0 and 1.1 get a
    ClientHello that is never answered. ``tls.legacy-protocols`` is ``error`` (it could not
    see whether the server accepts them), never ``pass``, and the run ends within budget."""
    ca = CA(tmp_path)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.ca.issue_cert("127.0.0.1").configure_cert(server)
    with stalling_tls_server(_silent, server) as (port, seen):
        run = launchready(
            [
                "live",
                "--url",
                f"https://127.0.0.1:{port}/",
                "--only",
                "tls",
                "--ca-bundle",
                str(ca.path),
                "--max-seconds",
                str(BUDGET),
                "--timeout",
                "60",
                "--json",
                "r.json",
            ],
            tmp_path,
            timeout=90,
        )
    assert run.seconds < BUDGET + SLACK, run.seconds
    checks = _report(tmp_path)
    assert checks["tls.https"]["status"] == "pass", checks["tls.https"]
    assert checks["tls.certificate"]["status"] == "pass", checks["tls.certificate"]
    legacy = checks["tls.legacy-protocols"]
    if "0301" in seen or "0302" in seen:  # this machine's OpenSSL offered a legacy protocol
        assert legacy["status"] == "error", legacy
        assert "time limit" in legacy["message"] or "budget" in legacy["message"], legacy
    else:  # it cannot offer them at all: not probed (never pass)
        assert legacy["status"] == "skip" and "not probed" in legacy["message"], legacy


@contextmanager
def trickling_policy_server(ctx: ssl.SSLContext) -> Iterator[int]:
    """An HTTPS server that answers the policy request with a complete head announcing a
    large body, then sends the body one byte every 0.2 s."""
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls:
                tls.settimeout(10)
                tls.recv(65536)
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 60000\r\n\r\n")
                for b in b"version: STSv1\nmode: enforce\n" * 2000:
                    if stop.wait(0.2):
                        return
                    tls.sendall(bytes([b]))
        except OSError:
            return

    with serving(serve, stop, backlog=16) as port:
        yield port


def test_a_trickled_mta_sts_policy_is_cut_at_the_time_limit(tmp_path: Path) -> None:
    """``launchready email``: the policy server sends its body a byte at a time. Before, the
    read of up to 64 KiB waited on it for hours (each byte within the socket timeout); now
    the fetch has one 10 s wall-clock limit and the check is ``error``, never ``pass``."""
    domain = "trickle-sts.test"
    ca = CA(tmp_path)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.ca.issue_cert(f"mta-sts.{domain}").configure_cert(server)
    with (
        dns_for(sts_zone(domain), domain) as dns_server,
        trickling_policy_server(server) as port,
        connect_proxy(port) as (proxy, seen),
    ):
        run = launchready(
            mta_sts_args(domain, dns_server.address, ca.path),
            tmp_path,
            timeout=90,
            env={"HTTPS_PROXY": proxy, "https_proxy": proxy, "NO_PROXY": "", "no_proxy": ""},
        )
    assert seen, "the policy fetch went through the tunnel: the attack was exercised"
    assert run.seconds < 10 + SLACK, run.seconds
    c = _report(tmp_path)["email.mta-sts.policy"]
    assert c["status"] == "error" and "time limit" in c["message"], c


def test_a_trickling_proxy_is_cut_at_the_run_budget(tmp_path: Path) -> None:
    """Through HTTP_PROXY the connections were urllib3's own, which the request deadline could
    not cut: a proxy (or the site behind it) trickling the body held every request until the
    socket timeout. Proxied connections are ours now; the budget holds."""
    from .test_stalling import trickling_server

    with trickling_server(headers_too=False) as port:
        run = launchready(
            [
                "live",
                "--url",
                "http://far-away.launchready.test/",
                "--max-seconds",
                str(BUDGET),
                "--timeout",
                "60",
                "--only",
                "headers",
                "--json",
                "r.json",
            ],
            tmp_path,
            timeout=90,
            env={
                "HTTP_PROXY": f"http://127.0.0.1:{port}",
                "http_proxy": f"http://127.0.0.1:{port}",
                "NO_PROXY": "",
                "no_proxy": "",
            },
        )
    assert run.seconds < BUDGET + SLACK, run.seconds
    checks = _report(tmp_path)
    assert checks["headers.csp"]["status"] == "error" and "time limit" in checks["headers.csp"]["message"]


def test_a_trickling_journey_webhook_is_cut_at_its_time_limit(tmp_path: Path) -> None:
    """The journey's change message: a webhook that answers its head and then trickles the
    body held the run for as long as it kept sending; the post now has one 10 s limit and
    is reported as not delivered (the state is kept for the next run)."""
    import yaml
    from tests.live.site import Resp, Site

    from .test_stalling import trickling_server

    with Site({"/": Resp(500, "down")}) as site, trickling_server(headers_too=False) as hook:
        doc = {"version": 1, "journey": {"url": site.url, "steps": [{"name": "home", "path": "/"}]}}
        (tmp_path / ".launchready.yml").write_text(yaml.safe_dump(doc))
        run = launchready(
            [
                "journey",
                "--resolve",
                site.resolve,
                "--state",
                "state.json",
                "--notify-webhook",
                f"http://127.0.0.1:{hook}/hook",
                "--json",
                "r.json",
            ],
            tmp_path,
            timeout=90,
        )
    assert run.seconds < 10 + SLACK, run.seconds
    assert run.code == 1, run.err
    notes = json.loads((tmp_path / "r.json").read_text())["notes"]
    assert any("not delivered" in n and "time limit" in n for n in notes), notes
