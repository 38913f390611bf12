"""A tiny authoritative DNS server for the demo's mail domain, on loopback (UDP and TCP).

Built on dnspython's message parsing (``dns.message.from_wire`` and ``make_response``), so the
demo needs no extra runtime dependency. It answers only for its own zone: names it holds get
their records (or NODATA with the SOA), other names under the zone get NXDOMAIN, anything
outside the zone is REFUSED.
"""

from __future__ import annotations

import base64
import socket
import struct
import threading

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from launchready.demo import DOMAIN

TTL = 300

# name (relative to the zone, "@" for the apex) -> [(type, text)]
Zone = dict[str, list[tuple[str, str]]]


def txt(value: str) -> str:
    """TXT rdata text, split into quoted 255-byte strings."""
    parts = [value[i : i + 255] for i in range(0, len(value), 255)] or [""]
    return " ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in parts)


def demo_zone(fixed: bool, dkim_public_der: bytes) -> Zone:
    """The demo-chat.test zone: the flawed one has SPF ``+all`` and no DMARC."""
    dkim = "v=DKIM1; k=rsa; p=" + base64.b64encode(dkim_public_der).decode()
    zone: Zone = {
        "@": [
            ("SOA", f"ns1.{DOMAIN}. hostmaster.{DOMAIN}. 2026010101 3600 600 86400 300"),
            ("NS", f"ns1.{DOMAIN}."),
            ("MX", f"10 mail.{DOMAIN}."),
            ("TXT", txt("v=spf1 ip4:127.0.0.1 -all" if fixed else "v=spf1 +all")),
            ("A", "127.0.0.1"),
        ],
        "ns1": [("A", "127.0.0.1")],
        "mail": [("A", "127.0.0.1")],
        "app": [("A", "127.0.0.1")],
        "demo._domainkey": [("TXT", txt(dkim))],
    }
    if fixed:
        zone["_dmarc"] = [("TXT", txt(f"v=DMARC1; p=reject; rua=mailto:dmarc@{DOMAIN}; adkim=s; aspf=s"))]
        zone["_smtp._tls"] = [("TXT", txt(f"v=TLSRPTv1; rua=mailto:tlsrpt@{DOMAIN}"))]
    return zone


class DNSServer:
    """Serve ``zone`` for ``origin`` on 127.0.0.1:port over UDP and TCP (same port)."""

    def __init__(self, zone: Zone, origin: str = DOMAIN, host: str = "127.0.0.1") -> None:
        self.origin = dns.name.from_text(origin)
        self.records: dict[dns.name.Name, list[dns.rrset.RRset]] = {}
        for rel, items in zone.items():
            name = self.origin if rel == "@" else dns.name.from_text(rel, self.origin)
            by_type: dict[str, list[str]] = {}
            for rtype, text in items:
                by_type.setdefault(rtype, []).append(text)
            self.records[name] = [
                dns.rrset.from_text_list(name, TTL, "IN", rtype, texts) for rtype, texts in by_type.items()
            ]
        self.host = host
        # Bind UDP first on a free port, then TCP on the same port (retry if it is taken).
        for _ in range(20):
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind((host, 0))
            port = udp.getsockname()[1]
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                tcp.bind((host, port))
            except OSError:
                udp.close()
                tcp.close()
                continue
            break
        else:  # pragma: no cover - 20 collisions in a row
            raise OSError("could not bind a UDP and TCP port pair for the demo DNS server")
        tcp.listen(16)
        self.udp, self.tcp, self.port = udp, tcp, port
        self.udp.settimeout(0.2)
        self.tcp.settimeout(0.2)
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._serve_udp, name="demo-dns-udp", daemon=True),
            threading.Thread(target=self._serve_tcp, name="demo-dns-tcp", daemon=True),
        ]

    @property
    def address(self) -> str:
        """``HOST:PORT`` as ``--dns-server`` takes it."""
        return f"{self.host}:{self.port}"

    def start(self) -> DNSServer:
        for t in self._threads:
            t.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=2)
        self.udp.close()
        self.tcp.close()

    def __enter__(self) -> DNSServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def answer(self, wire: bytes) -> bytes | None:
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None
        response = dns.message.make_response(query)
        if len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            return response.to_wire()
        q = query.question[0]
        if q.rdclass != dns.rdataclass.IN or not q.name.is_subdomain(self.origin):
            response.set_rcode(dns.rcode.REFUSED)
            return response.to_wire()
        response.flags |= dns.flags.AA
        soa = next(r for r in self.records[self.origin] if r.rdtype == dns.rdatatype.SOA)
        rrsets = self.records.get(q.name)
        if rrsets is None:
            # An empty non-terminal (a parent of a held name) is NODATA, not NXDOMAIN.
            if not any(n.is_subdomain(q.name) for n in self.records):
                response.set_rcode(dns.rcode.NXDOMAIN)
            response.authority.append(soa)
            return response.to_wire()
        hits = [r for r in rrsets if q.rdtype in (r.rdtype, dns.rdatatype.ANY)]
        if hits:
            response.answer.extend(hits)
        else:
            response.authority.append(soa)
        return response.to_wire()

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.udp.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            reply = self.answer(data)
            if reply is None:
                continue
            limit = 512
            try:
                q = dns.message.from_wire(data)
                if q.edns >= 0:
                    limit = max(512, min(q.payload, 4096))
            except dns.exception.DNSException:
                pass
            if len(reply) > limit:
                # Too big for plain UDP: truncate so the client retries over TCP.
                query = dns.message.from_wire(data)
                short = dns.message.make_response(query)
                short.flags |= dns.flags.TC | dns.flags.AA
                reply = short.to_wire()
            try:
                self.udp.sendto(reply, peer)
            except OSError:
                continue

    def _serve_tcp(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.tcp.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._tcp_conn, args=(conn,), daemon=True).start()

    def _tcp_conn(self, conn: socket.socket) -> None:
        conn.settimeout(2)
        with conn:
            try:
                while True:
                    head = _recv_exact(conn, 2)
                    if head is None:
                        return
                    body = _recv_exact(conn, struct.unpack("!H", head)[0])
                    if body is None:
                        return
                    reply = self.answer(body)
                    if reply is None:
                        return
                    conn.sendall(struct.pack("!H", len(reply)) + reply)
            except OSError:
                return


def _recv_exact(conn: socket.socket, n: int) -> bytes | None:
    chunks: list[bytes] = []
    while n:
        chunk = conn.recv(n)
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)
