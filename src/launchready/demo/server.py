"""Start and stop the demo deployment: HTTPS API + plain-HTTP port + DNS, all on 127.0.0.1.

``Deployment`` is a context manager; leaving it (normally, on an exception or on Ctrl-C)
shuts every server down and closes every socket.
"""

from __future__ import annotations

import socket
import ssl
import threading
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from launchready.demo import APP_HOST, DOMAIN
from launchready.demo.app import DemoState, handler_class
from launchready.demo.ca import Certs, make_certs
from launchready.demo.dns import DNSServer, demo_zone
from launchready.demo.frontend import build
from launchready.demo.values import DemoValues

LOOPBACK = "127.0.0.1"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a probe that hangs up mid-request is not the demo's problem


class _TLSServer(_Server):
    """Handshakes happen in the request thread, so a slow or failing client blocks no one."""

    ssl_context: ssl.SSLContext

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(10)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)  # type: ignore[arg-type]
        finally:
            with suppress(OSError):
                tls.close()


def env_file(values: DemoValues) -> str:
    """The flawed deployment's ``.env`` (served at ``/.env`` and committed in the repo)."""
    return (
        "# production settings\n"
        f"OPENAI_API_KEY={values.openai_server_key}\n"
        f"DATABASE_URL=postgres://chat:{values.db_password}@db.internal:5432/chat\n"
        "DEBUG=true\n"
    )


def dkim_public_der() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


@dataclass
class Endpoints:
    https_port: int
    http_port: int
    dns: str  # HOST:PORT
    ca_bundle: Path

    @property
    def base_url(self) -> str:
        return f"https://{APP_HOST}:{self.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://{APP_HOST}:{self.http_port}"

    @property
    def resolves(self) -> list[str]:
        """``--resolve`` values that send the demo host names to loopback."""
        return [f"{APP_HOST}:{self.https_port}:{LOOPBACK}", f"{APP_HOST}:{self.http_port}:{LOOPBACK}"]


class Deployment:
    """The demo chatbot on loopback. ``with Deployment(...) as d: d.endpoints``."""

    def __init__(self, workdir: Path, values: DemoValues, fixed: bool) -> None:
        self.workdir = workdir
        self.values = values
        self.fixed = fixed
        self.state = DemoState(fixed=fixed, values=values, frontend=build(values, fixed), env_file=env_file(values))
        self._stack = ExitStack()
        self.endpoints: Endpoints | None = None
        self.certs: Certs | None = None

    def _http(self, server: _Server) -> None:
        t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        t.start()

        def stop() -> None:
            server.shutdown()
            server.server_close()
            t.join(timeout=2)

        self._stack.callback(stop)

    def start(self) -> Endpoints:
        try:
            self.certs = make_certs(self.workdir / "tls", [APP_HOST, f"mta-sts.{DOMAIN}", "localhost", LOOPBACK])
            https = _TLSServer((LOOPBACK, 0), handler_class(self.state, tls=True), bind_and_activate=True)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(str(self.certs.cert_pem), str(self.certs.key_pem))
            https.ssl_context = ctx
            self.state.https_port = https.server_address[1]
            self._http(https)
            plain = _Server((LOOPBACK, 0), handler_class(self.state, tls=False))
            self._http(plain)
            dns_server = DNSServer(demo_zone(self.fixed, dkim_public_der()))
            self._stack.enter_context(dns_server)
        except BaseException:
            self._stack.close()
            raise
        self.endpoints = Endpoints(
            https.server_address[1], plain.server_address[1], dns_server.address, self.certs.ca_pem
        )
        return self.endpoints

    def stop(self) -> None:
        self._stack.close()

    def __enter__(self) -> Deployment:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def alice_chat(self) -> str:
        return self.state.alice_chat


def port_open(port: int, host: str = LOOPBACK) -> bool:
    """True when something accepts TCP connections on ``host:port`` (used by the tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0
