"""A real authoritative DNS server on loopback (dnslib, UDP and TCP on the same port).

Zones are plain data: ``{name: [(type, value), ...]}``. The server answers like an
authoritative server: records of the asked type, CNAMEs followed inside the data, NODATA for
names that exist (or have names below them) without that type, NXDOMAIN otherwise.
Names under ``servfail.test`` answer SERVFAIL and names under ``refused.test`` REFUSED.
UDP answers over 512 bytes are truncated (TC), so clients must retry over TCP.

Not a package module name clash: this directory has no ``__init__.py`` on purpose (a package
called ``email`` would shadow the standard library).
"""

from __future__ import annotations

import base64
import random
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from dnslib import QTYPE, RCODE, RR, DNSRecord
from dnslib.server import BaseResolver, DNSHandler, DNSLogger, DNSServer

from launchready.model import CheckResult, Status

Zone = dict[str, list[tuple[str, str]]]
_RNG = random.SystemRandom()


class ZoneResolver(BaseResolver):  # type: ignore[misc]
    def __init__(self, zone: Zone) -> None:
        self.zone = {k.lower().rstrip("."): v for k, v in zone.items()}
        self.queries: list[tuple[str, str, str]] = []  # (name, type, protocol)
        self.lock = threading.Lock()

    def _exists(self, name: str) -> bool:
        return name in self.zone or any(k.endswith("." + name) for k in self.zone)

    def resolve(self, request: DNSRecord, handler: DNSHandler) -> DNSRecord:
        reply = request.reply()
        reply.header.aa = 1
        reply.header.ra = 0
        qname = str(request.q.qname).lower().rstrip(".")
        qtype = QTYPE[request.q.qtype]
        with self.lock:
            self.queries.append((qname, qtype, handler.protocol))
        if qname == "servfail.test" or qname.endswith(".servfail.test"):
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        if qname == "refused.test" or qname.endswith(".refused.test"):
            reply.header.rcode = RCODE.REFUSED
            return reply
        name = qname
        for _ in range(8):
            records = self.zone.get(name, [])
            matching = [(t, v) for t, v in records if t == qtype]
            if matching:
                for t, v in matching:
                    reply.add_answer(*RR.fromZone(_zone_line(name, t, v)))
                return reply
            cname = [v for t, v in records if t == "CNAME"]
            if cname and qtype != "CNAME":
                reply.add_answer(*RR.fromZone(_zone_line(name, "CNAME", cname[0])))
                name = cname[0].lower().rstrip(".")
                continue
            break
        if not self._exists(name):
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


def _zone_line(name: str, rtype: str, value: str) -> str:
    if rtype == "TXT":
        chunks = [value[i : i + 255] for i in range(0, len(value), 255)] or [""]
        value = " ".join('"' + c.replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)
    return f"{name}. 60 IN {rtype} {value}"


class TruncatingHandler(DNSHandler):  # type: ignore[misc]
    """UDP answers over 512 bytes become an empty reply with TC set (and, like real servers,
    the question kept; dnslib's own truncation drops it)."""

    def get_reply(self, data: bytes) -> bytes:
        request = DNSRecord.parse(data)
        reply = self.server.resolver.resolve(request, self)
        packed: bytes = reply.pack()
        if self.protocol == "udp" and len(packed) > 512:
            short = request.reply()
            short.header.aa = 1
            short.header.tc = 1
            packed = short.pack()
        return packed


class _Quiet(DNSLogger):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(log="-request,-reply,-truncated,-error,-recv,-send,-data", logf=lambda _s: None)


@dataclass
class RunningServer:
    host: str
    port: int
    resolver: ZoneResolver
    servers: list[DNSServer] = field(default_factory=list)

    @property
    def spec(self) -> str:
        """``--dns-server`` form."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def tcp_queries(self) -> list[tuple[str, str, str]]:
        return [q for q in self.resolver.queries if q[2] == "tcp"]


@contextmanager
def dns_server(zone: Zone, host: str = "127.0.0.1") -> Iterator[RunningServer]:
    """UDP and TCP on one free port of ``host``."""
    resolver = ZoneResolver(zone)
    last: OSError | None = None
    for _ in range(20):
        udp = DNSServer(resolver, port=0, address=host, handler=TruncatingHandler, logger=_Quiet())
        port = udp.server.server_address[1]
        try:
            tcp = DNSServer(resolver, port=port, address=host, tcp=True, handler=TruncatingHandler, logger=_Quiet())
        except OSError as exc:  # the port is taken for TCP: try another
            last = exc
            udp.server.server_close()
            continue
        udp.start_thread()
        tcp.start_thread()
        running = RunningServer(host, port, resolver, [udp, tcp])
        try:
            yield running
        finally:
            for s in running.servers:
                s.stop()
                s.server.server_close()
        return
    raise RuntimeError(f"no free port for UDP+TCP: {last}")


@contextmanager
def silent_server(host: str = "127.0.0.1") -> Iterator[str]:
    """A UDP socket that receives queries and never answers; yields its ``HOST:PORT``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind((host, 0))
    try:
        port = sock.getsockname()[1]
        yield f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    finally:
        sock.close()


# --- keys generated at test time -------------------------------------------------------------


def _is_probable_prime(n: int, rounds: int = 24) -> bool:
    if n < 4:
        return n in (2, 3)
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for _ in range(rounds):
        a = _RNG.randrange(0, n - 3) + 2
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int) -> int:
    while True:
        c = _RNG.getrandbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if _is_probable_prime(c):
            return c


def rsa_public_key_b64(bits: int) -> str:
    """A fresh RSA public key (SubjectPublicKeyInfo, base64) of exactly ``bits`` bits.

    ``cryptography`` refuses to generate keys under 1024 bits, so small ones are built from
    two random primes of half the size (a real, if weak, RSA key).
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    if bits >= 1024:
        pub = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key()
    else:
        while True:
            n = _prime(bits // 2) * _prime(bits - bits // 2)
            if n.bit_length() == bits:
                break
        pub = rsa.RSAPublicNumbers(65537, n).public_key()
    der = pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


def ed25519_public_key_b64() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    raw = (
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode()


# --- assertions helpers ----------------------------------------------------------------


def by_id(checks: list[CheckResult], check_id: str, target: str | None = None) -> CheckResult:
    found = [c for c in checks if c.id == check_id and (target is None or c.target == target)]
    assert len(found) == 1, f"{check_id}: {[(c.id, c.target) for c in checks]}"
    return found[0]


def statuses(checks: list[CheckResult]) -> dict[str, Status]:
    return {c.id: c.status for c in checks}
