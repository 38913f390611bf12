"""Real server software on loopback for the live checks, started without root.

``Stack`` runs one nginx (Debian's nginx-light, in the foreground, prefix/config/logs/pid in a
temp dir) in front of any number of ``Deployment``s: a framework app process (uvicorn,
gunicorn, Werkzeug's dev server, node) in a good or flawed configuration, an upstream that
is down (502) or an empty web root (403). ``hanging_server`` accepts connections and never
answers. Every port is a free loopback port, so modules run side by side under xdist.

A missing program or package skips the test with the reason, unless
``LAUNCHREADY_REQUIRE_REAL_SERVERS=1`` (set by ``.ci/run``): then it fails.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import trustme

from launchready.demo.keygen import KeyGen

HOST = "app.localhost"  # Werkzeug's debugger only answers hosts like *.localhost (its trusted hosts)
APPS = Path(__file__).parent / "apps"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
REQUIRED = os.environ.get("LAUNCHREADY_REQUIRE_REAL_SERVERS") == "1"


def unavailable(reason: str) -> None:
    """Skip (or, where real servers are required, fail) with the reason."""
    if REQUIRED:
        pytest.fail(f"real-server fixture cannot start: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(
    port: int, proc: subprocess.Popen[bytes] | None, what: str, log: Path | None = None, limit: float = 20.0
) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
                text = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
                unavailable(f"{what} did not start on port {port}: {text}")
            time.sleep(0.05)


@contextmanager
def process(argv: list[str], env: dict[str, str], cwd: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Secrets:
    """Per-session values the apps and the run share; generated now, never committed."""

    token_a: str = field(default_factory=lambda: secrets.token_hex(16))
    token_b: str = field(default_factory=lambda: secrets.token_hex(16))
    note_a: str = field(default_factory=lambda: "note of a: " + secrets.token_hex(12))
    bundle_key: str = field(default_factory=lambda: KeyGen(13).openai_project())


@dataclass
class Deployment:
    """One site behind nginx. ``kind``: an app name, ``down`` (502) or ``empty`` (403)."""

    name: str
    kind: str
    good: bool
    https_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    app_port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.https_port}/"

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.https_port}"


def app_command(d: Deployment, node_modules: Path | None) -> tuple[list[str], dict[str, str]]:
    py = sys.executable
    port = str(d.app_port)
    env: dict[str, str] = {}
    if d.kind == "fastapi":
        return [
            py,
            "-m",
            "uvicorn",
            "fastapi_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            port,
            "--log-level",
            "warning",
        ], env
    if d.kind == "django":
        return [
            py,
            "-m",
            "gunicorn",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--threads",
            "4",
            "django_app:application",
        ], env
    if d.kind == "flask":
        if d.good:
            return [py, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "4", "flask_app:app"], env
        return [py, "flask_app.py"], env
    if d.kind == "express":
        assert node_modules is not None
        node = shutil.which("node")
        assert node is not None
        env = {"NODE_PATH": str(node_modules), "NODE_ENV": "production" if d.good else "development"}
        return [node, "express_app.js"], env
    raise ValueError(d.kind)


def write_root(root: Path, d: Deployment, s: Secrets) -> None:
    """The web root nginx serves: the built front end, and (flawed) what a careless deploy leaves."""
    (root / "static").mkdir(parents=True)
    if d.kind == "empty":
        return
    if d.good:
        (root / "static" / "app.js").write_text("document.getElementById('app').textContent = 'notes';\n")
        return
    js = f'const client = new OpenAI({{apiKey: "{s.bundle_key}", dangerouslyAllowBrowser: true}});\n//# sourceMappingURL=app.js.map\n'
    (root / "static" / "app.js").write_text(js)
    (root / "static" / "app.js.map").write_text(
        json.dumps({"version": 3, "sources": ["src/app.ts"], "names": [], "mappings": "AAAA"})
    )
    (root / ".env").write_text(f"DATABASE_URL=postgres://app@db/app\nSESSION_SECRET={secrets.token_hex(8)}\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n")


GOOD_HEADERS = """
        server_tokens off;
        add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
        add_header Content-Security-Policy "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'" always;
        add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy strict-origin-when-cross-origin always;
        location ~ /\\. { return 404; }
        client_max_body_size 1m;
"""


def server_blocks(d: Deployment, tmp: Path) -> str:
    root = tmp / d.name
    upstream = f"""
            proxy_pass http://127.0.0.1:{d.app_port};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_read_timeout 10s;"""
    app = "" if d.kind == "empty" else f"location / {{ try_files $uri @app; }}\n        location @app {{ {upstream} }}"
    plain = f"return 301 https://$host:{d.https_port}$request_uri;" if d.good else f"location / {{ {upstream} }}"
    return f"""
    server {{
        listen 127.0.0.1:{d.http_port};
        server_name {HOST};
        {plain}
    }}
    server {{
        listen 127.0.0.1:{d.https_port} ssl;
        server_name {HOST};
        ssl_certificate {tmp}/cert.pem;
        ssl_certificate_key {tmp}/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        root {root};
        {GOOD_HEADERS if d.good else "client_max_body_size 20m;"}
        {app}
    }}
"""


class Stack:
    """nginx and the apps of some deployments, all on loopback; ``ca`` is the CA to trust."""

    def __init__(self, tmp: Path, deployments: list[Deployment], node_modules: Path | None = None) -> None:
        self.tmp = tmp
        self.deployments = {d.name: d for d in deployments}
        self.node_modules = node_modules
        self.secrets = Secrets()
        self.ca = trustme.CA()
        self.ca_path = tmp / "ca.pem"
        self._exit = ExitStack()

    def __enter__(self) -> Stack:
        if NGINX is None:
            unavailable("nginx not installed (apt-get install nginx-light)")
        try:
            self._start()
        except BaseException:
            self._exit.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._exit.close()

    def app_env(self, d: Deployment) -> dict[str, str]:
        s = self.secrets
        return {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.tmp),
            "MODE": "good" if d.good else "flawed",
            "PORT": str(d.app_port),
            "TOKEN_A": s.token_a,
            "TOKEN_B": s.token_b,
            "NOTE_A": s.note_a,
            "SITE_ORIGIN": d.origin,
            "DJANGO_KEY": secrets.token_hex(25),
            "FLASK_KEY": secrets.token_hex(16),
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def _start(self) -> None:
        tmp = self.tmp
        self.ca.cert_pem.write_to_path(str(self.ca_path))
        leaf = self.ca.issue_cert(HOST)
        leaf.cert_chain_pems[0].write_to_path(str(tmp / "cert.pem"))
        leaf.private_key_pem.write_to_path(str(tmp / "key.pem"))
        for d in self.deployments.values():
            write_root(tmp / d.name, d, self.secrets)
        # apps first, so nginx never answers 502 for a deployment that should be up
        started: list[tuple[Deployment, subprocess.Popen[bytes], Path]] = []
        for d in self.deployments.values():
            if d.kind in ("down", "empty"):
                continue
            argv, extra = app_command(d, self.node_modules)
            log = tmp / f"{d.name}.log"
            proc = self._exit.enter_context(process(argv, {**self.app_env(d), **extra}, APPS, log))
            started.append((d, proc, log))
        for d, proc, log in started:
            wait_port(d.app_port, proc, f"{d.kind} app ({d.name})", log)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
            (tmp / sub).mkdir(exist_ok=True)
        user = "user root;" if os.geteuid() == 0 else ""  # as root, workers would switch to nobody
        conf = tmp / "nginx.conf"
        conf.write_text(f"""
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/logs/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/logs/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    types {{ text/html html; application/javascript js; application/json map; }}
    default_type application/octet-stream;
    {"".join(server_blocks(d, tmp) for d in self.deployments.values())}
}}
""")
        assert NGINX is not None
        proc = self._exit.enter_context(
            process(
                [NGINX, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
                {"PATH": os.environ.get("PATH", "")},
                tmp,
                tmp / "logs" / "nginx.out",
            )
        )
        for d in self.deployments.values():
            wait_port(d.https_port, proc, "nginx", tmp / "logs" / "error.log")


@contextmanager
def hanging_server() -> Iterator[int]:
    """A TCP server that accepts every connection and never sends a byte."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(128)
    held: list[socket.socket] = []
    stop = threading.Event()

    def loop() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                held.append(conn)
            except OSError:
                continue

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        yield int(srv.getsockname()[1])
    finally:
        stop.set()
        t.join()
        for c in held:
            c.close()
        srv.close()


def node_modules_for_express(tmp: Path) -> Path:
    """node_modules with Express 5: the one .ci/run installs next to the apps, else a fresh
    ``npm install`` into ``tmp``."""
    if shutil.which("node") is None:
        unavailable("node not installed (apt-get install nodejs npm)")
    fixed = APPS / "node_modules"
    if (fixed / "express" / "package.json").exists():
        return fixed
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm not installed and tests/live_real/apps/node_modules missing (apt-get install npm)")
    assert npm is not None
    shutil.copy(APPS / "package.json", tmp / "package.json")
    try:
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
            timeout=180,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        unavailable(f"npm install express@5 failed: {exc}")
    return tmp / "node_modules"
