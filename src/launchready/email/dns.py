"""A small DNS client for the email checks: real UDP queries, TCP on truncation, a per-run
cache, and answers classified so that checks can tell NXDOMAIN from NODATA and never turn a
SERVFAIL, timeout or refusal into a pass.

Nameservers come from ``--dns-server HOST:PORT`` (IPv6 as ``[::1]:53``), the config, or the
system resolver configuration (``/etc/resolv.conf``), in that order.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import threading
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.resolver

MAX_CNAME_HOPS = 8


class DnsStatus(str, Enum):
    OK = "ok"
    NXDOMAIN = "nxdomain"
    NODATA = "nodata"
    SERVFAIL = "servfail"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    ERROR = "error"


_DESCRIBE = {
    DnsStatus.NXDOMAIN: "NXDOMAIN: the name does not exist",
    DnsStatus.NODATA: "NODATA: the name exists but has no {rdtype} records",
    DnsStatus.SERVFAIL: "SERVFAIL: the nameserver could not answer",
    DnsStatus.TIMEOUT: "timeout: no answer from {servers}",
    DnsStatus.REFUSED: "refused by {servers}",
    DnsStatus.ERROR: "DNS error",
}


@dataclass(frozen=True)
class Nameserver:
    host: str
    port: int = 53

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_nameserver(text: str) -> Nameserver:
    """``1.2.3.4``, ``1.2.3.4:5353``, ``[::1]:53``, ``[::1]`` or a bare IPv6 address. Errors
    never repeat ``text`` (it may come from a pull request's config)."""
    s = text.strip()
    if not s:
        raise ValueError("empty nameserver")
    if s.startswith("["):
        end = s.find("]")
        if end < 0:
            raise ValueError("missing ']' (IPv6 is written [::1]:53)")
        host, rest = s[1:end], s[end + 1 :]
        if rest and not rest.startswith(":"):
            raise ValueError("expected ':PORT' after ']'")
        port_text = rest[1:] if rest else "53"
    elif s.count(":") == 1:
        host, port_text = s.split(":")
    else:
        host, port_text = s, "53"
    try:
        port = int(port_text)
    except ValueError:
        raise ValueError("the port is not a number") from None
    if not 0 < port < 65536:
        raise ValueError("the port must be 1-65535")
    if not host:
        raise ValueError("missing host")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ValueError("the nameserver must be an IP address (HOST[:PORT], IPv6 as [::1]:53)") from None
    return Nameserver(host, port)


def system_nameservers() -> list[Nameserver]:
    """Nameservers from the system resolver configuration; empty if there is none."""
    try:
        resolver = dns.resolver.Resolver(configure=True)
    except (dns.resolver.NoResolverConfiguration, OSError):
        return []
    found = []
    for ns in resolver.nameservers:
        try:
            found.append(Nameserver(str(ns), resolver.port))
        except ValueError:  # pragma: no cover - non Do53 entries
            continue
    return found


@dataclass(frozen=True)
class Answer:
    """One classified lookup. ``records`` are dnspython rdata objects of the asked type."""

    name: str
    rdtype: str
    status: DnsStatus
    records: tuple[Any, ...] = ()
    server: str = ""
    tcp: bool = False
    truncated: bool = False
    cnames: tuple[str, ...] = ()
    detail: str = ""
    response_size: int = 0

    @property
    def ok(self) -> bool:
        return self.status is DnsStatus.OK

    @property
    def void(self) -> bool:
        """No data: NXDOMAIN or NODATA (RFC 7208 "void lookup")."""
        return self.status in (DnsStatus.NXDOMAIN, DnsStatus.NODATA)

    @property
    def failed(self) -> bool:
        """Could not judge: SERVFAIL, timeout, refused or a transport error."""
        return self.status in (DnsStatus.SERVFAIL, DnsStatus.TIMEOUT, DnsStatus.REFUSED, DnsStatus.ERROR)

    def texts(self) -> list[str]:
        """TXT records as strings (character-strings concatenated, RFC 7208 3.3)."""
        out = []
        for r in self.records:
            strings = getattr(r, "strings", None)
            if strings is None:
                continue
            out.append(b"".join(strings).decode("utf-8", "replace"))
        return out

    def describe(self) -> str:
        """A human explanation, e.g. ``NODATA: the name exists but has no TXT records``."""
        if self.ok:
            return f"{len(self.records)} {self.rdtype} record(s)"
        text = _DESCRIBE[self.status].format(rdtype=self.rdtype, servers=self.server or "the nameserver")
        if self.detail and self.status is DnsStatus.ERROR:
            text = f"{text}: {self.detail}"
        return text

    def evidence(self) -> dict[str, Any]:
        ev: dict[str, Any] = {"query": f"{self.name} {self.rdtype}", "answer": self.status.value}
        if self.server:
            ev["server"] = self.server
        if self.tcp:
            ev["tcp"] = True
        if self.cnames:
            ev["cname"] = list(self.cnames)
        if self.detail:
            ev["detail"] = self.detail
        return ev


@dataclass
class DnsClient:
    """Queries the configured nameservers directly (no system stub), with a per-run cache.

    ``retries`` is the number of extra rounds over all nameservers after a timeout.
    Thread-safe: DKIM selector probes run in a small thread pool.
    """

    nameservers: list[Nameserver]
    timeout: float = 3.0
    retries: int = 1
    edns_payload: int = 1232
    # After this many lookups in a row where every server timed out, stop asking (each later
    # lookup is a timeout at once), so a dead resolver costs seconds, not minutes.
    give_up_after: int = 3
    queries_sent: int = 0
    _timeout_streak: int = 0
    _cache: dict[tuple[str, str], Answer] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def query(self, name: str, rdtype: str) -> Answer:
        key = (name.lower().rstrip("."), rdtype.upper())
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        try:  # a name from a record (a..b.test, a 64-character label) is an answer, not a crash
            dns.name.from_text(key[0])
        except (dns.exception.DNSException, ValueError, UnicodeError) as exc:
            return Answer(key[0], key[1], DnsStatus.ERROR, detail=f"not a valid DNS name: {exc}")
        answer = self._resolve(key[0], key[1])
        with self._lock:
            self._cache[key] = answer
        return answer

    def txt(self, name: str) -> Answer:
        return self.query(name, "TXT")

    # -- internals ---------------------------------------------------------------------

    def _resolve(self, name: str, rdtype: str, origin: str = "", hops: tuple[str, ...] = ()) -> Answer:
        origin = origin or name
        raw = self._ask(name, rdtype)
        if isinstance(raw, Answer):
            return dataclasses.replace(raw, name=origin, cnames=hops)
        response, server, tcp, truncated, size = raw
        rcode = response.rcode()
        qname = dns.name.from_text(name)
        want = dns.rdatatype.from_text(rdtype)
        current = qname
        chain = list(hops)
        records: list[Any] = []
        for _ in range(MAX_CNAME_HOPS + 1):
            rrset = _find(response, current, want)
            if rrset is not None:
                records = list(rrset)
                break
            cname = _find(response, current, dns.rdatatype.CNAME)
            if cname is None or want == dns.rdatatype.CNAME:
                break
            current = next(iter(cname)).target
            chain.append(current.to_text(omit_final_dot=True))
        common: dict[str, Any] = {
            "server": server,
            "tcp": tcp,
            "truncated": truncated,
            "response_size": size,
            "cnames": tuple(chain),
        }
        if records:
            return Answer(origin, rdtype, DnsStatus.OK, tuple(records), **common)
        if current != qname and rcode == dns.rcode.NOERROR and len(chain) <= MAX_CNAME_HOPS:
            # The server gave the CNAME but not the target's data: follow it ourselves.
            return self._resolve(current.to_text(omit_final_dot=True), rdtype, origin, tuple(chain))
        status = {
            dns.rcode.NOERROR: DnsStatus.NODATA,
            dns.rcode.NXDOMAIN: DnsStatus.NXDOMAIN,
            dns.rcode.SERVFAIL: DnsStatus.SERVFAIL,
            dns.rcode.REFUSED: DnsStatus.REFUSED,
        }.get(rcode, DnsStatus.ERROR)
        detail = "" if status is not DnsStatus.ERROR else f"rcode {dns.rcode.to_text(rcode)}"
        return Answer(origin, rdtype, status, detail=detail, **common)

    def _ask(self, name: str, rdtype: str) -> tuple[dns.message.Message, str, bool, bool, int] | Answer:
        """Send the query to each nameserver in turn, retrying rounds on timeouts.

        Returns the first usable response (NOERROR or NXDOMAIN). SERVFAIL and REFUSED move on
        to the next server; if every server fails, the last failure is returned as an Answer.
        """
        if not self.nameservers:
            return Answer(name, rdtype, DnsStatus.ERROR, detail="no nameservers configured")
        servers = ", ".join(str(ns) for ns in self.nameservers)
        with self._lock:
            dead = self.give_up_after > 0 and self._timeout_streak >= self.give_up_after
        if dead:
            return Answer(
                name,
                rdtype,
                DnsStatus.TIMEOUT,
                server=servers,
                detail=f"not asked: the nameservers timed out on {self.give_up_after} lookups in a row",
            )
        last: Answer | None = None
        timeouts: list[str] = []
        for _round in range(max(0, self.retries) + 1):
            for ns in self.nameservers:
                q = dns.message.make_query(name, rdtype, use_edns=0, payload=self.edns_payload)
                with self._lock:
                    self.queries_sent += 1
                try:
                    resp = dns.query.udp(q, ns.host, timeout=self.timeout, port=ns.port, ignore_unexpected=True)
                    tcp = truncated = False
                    size = len(resp.to_wire())
                    if resp.flags & dns.flags.TC:
                        truncated = tcp = True
                        with self._lock:
                            self.queries_sent += 1
                        resp = dns.query.tcp(q, ns.host, timeout=self.timeout, port=ns.port)
                        size = len(resp.to_wire())
                except dns.exception.Timeout:
                    timeouts.append(str(ns))
                    last = Answer(
                        name, rdtype, DnsStatus.TIMEOUT, server=str(ns), detail=f"no answer within {self.timeout:g}s"
                    )
                    continue
                except ConnectionRefusedError:
                    last = Answer(name, rdtype, DnsStatus.REFUSED, server=str(ns), detail="connection refused")
                    continue
                except (OSError, dns.exception.DNSException) as exc:
                    last = Answer(name, rdtype, DnsStatus.ERROR, server=str(ns), detail=f"{type(exc).__name__}: {exc}")
                    continue
                with self._lock:
                    self._timeout_streak = 0
                rcode = resp.rcode()
                if rcode in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                    return resp, str(ns), tcp, truncated, size
                status = (
                    DnsStatus.SERVFAIL
                    if rcode == dns.rcode.SERVFAIL
                    else (DnsStatus.REFUSED if rcode == dns.rcode.REFUSED else DnsStatus.ERROR)
                )
                last = Answer(name, rdtype, status, server=str(ns), detail=f"rcode {dns.rcode.to_text(rcode)}")
            if last is not None and last.status is not DnsStatus.TIMEOUT:
                break  # only timeouts are worth another round
        assert last is not None
        if last.status is DnsStatus.TIMEOUT:
            if len(set(timeouts)) == len(self.nameservers):
                with self._lock:
                    self._timeout_streak += 1
            servers = ", ".join(dict.fromkeys(timeouts))
            tries = max(0, self.retries) + 1
            return Answer(
                name,
                rdtype,
                DnsStatus.TIMEOUT,
                server=servers,
                detail=f"no answer within {self.timeout:g}s, {tries} attempt(s) per server",
            )
        return last


def _find(response: dns.message.Message, name: dns.name.Name, rdtype: int) -> Any:
    for rrset in response.answer:
        if rrset.name == name and rrset.rdtype == rdtype:
            return rrset
    return None
