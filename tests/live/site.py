"""Real fixture sites on loopback for the live checks: HTTP and HTTPS (throwaway CA).

``Site(routes, tls=...)`` serves ``routes`` (path -> Resp or callable(Request) -> Resp) from a
ThreadingHTTPServer bound to 127.0.0.1 on a free port; the default route is a 404 (or the
HTML shell with ``spa=True``: 200 HTML for every path). Special responses: ``HANG`` (never
answers), ``RESET`` (closes the connection with a TCP RST) and ``Raw(bytes)`` (written to
the socket as-is, e.g. malformed headers). HTTPS servers use a certificate for
``HOST`` (+ localhost, 127.0.0.1) issued by a trustme CA written to ``ca_path``; tests reach
them through ``--resolve HOST:PORT:127.0.0.1``.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

HOST = "app.launchready.test"
SHELL = b"<!doctype html><html><head><title>App</title></head><body><div id=root></div></body></html>"


@dataclass
class Resp:
    status: int = 200
    body: bytes | str | Any = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0

    def raw_body(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class Raw:
    data: bytes


class _Special:
    def __init__(self, name: str) -> None:
        self.name = name


HANG = _Special("hang")
RESET = _Special("reset")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Route = Resp | Raw | _Special | Callable[[Request], Any]


def html(body: str, headers: list[tuple[str, str]] | None = None, status: int = 200) -> Resp:
    return Resp(status, body, [("Content-Type", "text/html; charset=utf-8"), *(headers or [])])


def js(body: str) -> Resp:
    return Resp(200, body, [("Content-Type", "application/javascript")])


def jsonr(obj: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Resp:
    return Resp(status, json.dumps(obj), [("Content-Type", "application/json"), *(headers or [])])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    site: Site


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(5)
            try:
                self.request.do_handshake()
            except (ssl.SSLError, OSError):
                self.close_connection = True
                self.rfile = self.wfile = None  # type: ignore[assignment]
                self._failed = True
                return
        self._failed = False
        super().setup()

    def handle(self) -> None:
        if getattr(self, "_failed", False):
            return
        with suppress(ConnectionError, ssl.SSLError, TimeoutError, OSError):
            super().handle()

    def finish(self) -> None:
        if getattr(self, "_failed", False):
            return
        with suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        # no automatic "Server: BaseHTTP/x Python/y" (the routes decide what the server discloses)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def _serve(self) -> None:
        site = self.server.site
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length and length <= site.max_read else b""
        if length > site.max_read:
            self.close_connection = True
        path = self.path.split("?", 1)[0]
        req = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        with site.lock:
            site.log.append(req)
        route = site.routes.get(f"{self.command} {path}", site.routes.get(path, site.default))
        out = route(req) if callable(route) and not isinstance(route, (Resp, Raw, _Special)) else route
        if out is HANG:
            site.stop_event.wait(30)
            self.close_connection = True
            return
        if out is RESET:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if isinstance(out, Raw):
            self.wfile.write(out.data)
            self.wfile.flush()
            self.close_connection = True
            return
        assert isinstance(out, Resp), out
        if out.delay:
            time.sleep(out.delay)
        data = out.raw_body()
        self.send_response(out.status)
        names = {k.lower() for k, _ in out.headers}
        for k, v in [*site.headers, *out.headers]:
            self.send_header(k, v)
        if "content-type" not in names:
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(0 if self.command == "HEAD" else len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _serve

    def handle_one_request(self) -> None:  # accept any method token (preflight probes, LRPROBE)
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)


class CA:
    """A throwaway CA (trustme) with its PEM written to ``path`` for --ca-bundle."""

    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA()
        self.path = directory / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.path))

    def server_context(
        self, *names: str, not_after: dt.datetime | None = None, legacy: bool = False, rsa_bits: int | None = None
    ) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if legacy or rsa_bits:
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        if legacy:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx.minimum_version = ssl.TLSVersion.TLSv1
        else:
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        if rsa_bits:
            cert_pem, key_pem = rsa_cert(self, names[0], rsa_bits)
            d = self.path.parent
            (d / "rsa.pem").write_bytes(cert_pem)
            (d / "rsa.key").write_bytes(key_pem)
            ctx.load_cert_chain(str(d / "rsa.pem"), str(d / "rsa.key"))
            return ctx
        kwargs: dict[str, Any] = {}
        if not_after is not None:
            kwargs["not_after"] = not_after
            kwargs["not_before"] = not_after - dt.timedelta(days=90)
        leaf = self.ca.issue_cert(*names, **kwargs)
        leaf.configure_cert(ctx)
        return ctx


def rsa_cert(ca: CA, name: str, bits: int) -> tuple[bytes, bytes]:
    """A leaf with an RSA key of ``bits`` signed by the trustme CA (trustme only makes 2048+)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    ca_key = serialization.load_pem_private_key(ca.ca.private_key_pem.bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate(ca.ca.cert_pem.bytes())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=200))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


class Site:
    def __init__(
        self,
        routes: dict[str, Route] | None = None,
        *,
        tls: ssl.SSLContext | None = None,
        spa: bool = False,
        headers: list[tuple[str, str]] | None = None,
        max_read: int = 4 * 1024 * 1024,
        host: str = HOST,
        bind: str = "127.0.0.1",
    ) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.host = host
        self.default: Route = html(SHELL.decode()) if spa else Resp(404, "not found")
        self.tls = tls
        self.headers = headers or []
        self.max_read = max_read
        self.log: list[Request] = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.bind = bind
        self.server = (_Server6 if ":" in bind else _Server)((bind, 0), _Handler)
        self.server.site = self
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True, do_handshake_on_connect=False)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def resolve(self) -> str:
        return f"{self.host}:{self.port}:[{self.bind}]" if ":" in self.bind else f"{self.host}:{self.port}:{self.bind}"

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()

    def count(self, path: str | None = None, method: str | None = None) -> int:
        with self.lock:
            return sum(
                1
                for r in self.log
                if (path is None or r.path.split("?")[0] == path) and (method is None or r.method == method)
            )


@contextmanager
def serving(routes: dict[str, Route] | None = None, **kwargs: Any) -> Iterator[Site]:
    with Site(routes, **kwargs) as site:
        yield site
