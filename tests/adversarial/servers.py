"""Loopback servers the adversarial tests share: an HTTPS (CONNECT) proxy and a DNS zone
with an MTA-STS record, so ``launchready email`` reaches a test server for
``https://mta-sts.DOMAIN/`` (port 443) without binding port 443."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any


@contextmanager
def serving(serve: Callable[[socket.socket], None], stop: threading.Event, backlog: int = 64) -> Iterator[int]:
    """A TCP server on 127.0.0.1 that hands each connection to ``serve`` on a thread of its
    own. Yields the port; when the block ends, ``stop`` is set (servers that stall wait on
    it), the socket closed and the accepting thread joined."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(backlog)
    srv.settimeout(0.2)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop.set()
        srv.close()
        t.join(5)


@contextmanager
def connect_proxy(upstream: int) -> Iterator[tuple[str, list[str]]]:
    """An HTTPS proxy on loopback: answers ``CONNECT host:443`` and tunnels to 127.0.0.1:upstream
    whatever the host (so a URL on port 443 reaches a test server). Yields its URL and the
    CONNECT lines it receives."""
    seen: list[str] = []
    stop = threading.Event()

    def pipe(a: socket.socket, b: socket.socket) -> None:
        with suppress(OSError):
            while data := a.recv(65536):
                b.sendall(data)
        with suppress(OSError):
            b.shutdown(socket.SHUT_WR)

    def serve(conn: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            head += chunk
        seen.append(head.split(b"\r\n", 1)[0].decode())
        up = socket.create_connection(("127.0.0.1", upstream))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        threading.Thread(target=pipe, args=(conn, up), daemon=True).start()
        threading.Thread(target=pipe, args=(up, conn), daemon=True).start()

    with serving(serve, stop, backlog=16) as port:
        yield f"http://127.0.0.1:{port}", seen


def sts_zone(domain: str) -> dict[str, list[tuple[str, str]]]:
    """A zone (``launchready.demo.dns`` format) with one MX and an MTA-STS record."""
    from launchready.demo.dns import txt

    return {
        "@": [
            ("SOA", f"ns1.{domain}. hostmaster.{domain}. 1 3600 600 86400 300"),
            ("NS", f"ns1.{domain}."),
            ("MX", f"10 mail.{domain}."),
        ],
        "mail": [("A", "127.0.0.1")],
        "_mta-sts": [("TXT", txt("v=STSv1; id=20260101"))],
    }


def mta_sts_args(domain: str, dns_server: str, ca_bundle: Path) -> list[str]:
    """``launchready email`` running only the MTA-STS check of ``domain`` (``sts_zone``)
    against a loopback DNS server, trusting ``ca_bundle``, with a JSON report."""
    return [
        "email",
        domain,
        "--dns-server",
        dns_server,
        "--only",
        "email.mta-sts",
        "--ca-bundle",
        str(ca_bundle),
        "--json",
        "r.json",
    ]


@contextmanager
def dns_for(zone: dict[str, list[tuple[str, str]]], domain: str) -> Iterator[Any]:
    from launchready.demo.dns import DNSServer

    server = DNSServer(zone, origin=domain).start()
    try:
        yield server
    finally:
        server.stop()
