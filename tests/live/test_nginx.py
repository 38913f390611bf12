"""A real nginx (Debian's nginx-light) where the server configuration is the point: the
default config serves dotfiles and discloses its version; the hardened one does not.

Skipped when nginx is not installed (CI installs it from .ci/apt-packages.txt)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .site import CA, HOST

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx not installed (apt-get install nginx-light)")

HARDENED = """
    server_tokens off;
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
    add_header Content-Security-Policy "default-src 'self'; frame-ancestors 'none'" always;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;
    location ~ /\\. { return 404; }
"""


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@contextmanager
def nginx(tmp: Path, ca: CA, hardened: bool) -> Iterator[tuple[int, int]]:
    root = tmp / "www"
    root.mkdir()
    (root / "index.html").write_text(
        "<!doctype html><html><body><div id=app></div><script src=/app.js></script></body></html>"
    )
    (root / "app.js").write_text("console.log('app');\n")
    (root / ".env").write_text("DATABASE_URL=postgres://app@db/app\nSESSION_SECRET=" + "z" * 12 + "\n")
    leaf = ca.ca.issue_cert(HOST)
    leaf.cert_chain_pems[0].write_to_path(str(tmp / "cert.pem"))
    leaf.private_key_pem.write_to_path(str(tmp / "key.pem"))
    https_port, http_port = _free_port(), _free_port()
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        (tmp / d).mkdir()
    conf = tmp / "nginx.conf"
    # as root, workers would switch to nobody and not read the 0700 pytest temp dirs
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/logs/access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    types {{ text/html html; application/javascript js; }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{http_port};
        server_name {HOST};
        {"return 301 https://$host:" + str(https_port) + "$request_uri;" if hardened else "root " + str(root) + ";"}
    }}
    server {{
        listen 127.0.0.1:{https_port} ssl;
        server_name {HOST};
        ssl_certificate {tmp}/cert.pem;
        ssl_certificate_key {tmp}/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        root {root};
        location / {{ try_files $uri /index.html; }}
        {HARDENED if hardened else ""}
    }}
}}
""")
    proc = subprocess.Popen(
        [str(NGINX), "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(
                        f"nginx did not start: {err} {(tmp / 'logs' / 'error.log').read_text() if (tmp / 'logs' / 'error.log').exists() else ''}"
                    )
                time.sleep(0.05)
        yield https_port, http_port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _run(run_cli, tmp: Path, ca: CA, https_port: int, http_port: int) -> dict[str, str]:
    (tmp / ".launchready.yml").write_text(
        f"version: 1\nlive:\n  targets:\n    - url: https://{HOST}:{https_port}/\n      http_url: http://{HOST}:{http_port}/\n"
        "  redirect: {paths: [/login]}\n  latency: {samples: 3}\n"
    )
    res = run_cli(
        [
            "live",
            "--ca-bundle",
            str(ca.path),
            "--resolve",
            f"{HOST}:{https_port}:127.0.0.1",
            "--resolve",
            f"{HOST}:{http_port}:127.0.0.1",
            "--skip",
            "cors",
            "--json",
            "-",
        ],
        tmp,
    )
    report = json.loads(res.out)
    return {c["id"]: c["status"] for c in report["checks"]}


def test_default_nginx_config_leaks(tmp_path: Path, run_cli) -> None:
    ca = CA(tmp_path)
    with nginx(tmp_path, ca, hardened=False) as (https_port, http_port):
        st = _run(run_cli, tmp_path, ca, https_port, http_port)
    assert st["exposure.env-file"] == "fail"  # nginx serves dotfiles unless told otherwise
    assert st["headers.version-disclosure"] == "fail"  # Server: nginx/1.22.1
    assert st["hsts.present"] == "fail" and st["redirect.https"] == "fail"
    assert st["exposure.git"] == "pass"  # try_files answers the SPA shell: no false positive
    assert st["tls.certificate"] == "pass" and st["tls.legacy-protocols"] == "pass"


def test_hardened_nginx_config_passes(tmp_path: Path, run_cli) -> None:
    ca = CA(tmp_path)
    with nginx(tmp_path, ca, hardened=True) as (https_port, http_port):
        st = _run(run_cli, tmp_path, ca, https_port, http_port)
    for cid in (
        "exposure.env-file",
        "exposure.git",
        "headers.version-disclosure",
        "hsts.present",
        "hsts.max-age",
        "redirect.https",
        "redirect.sensitive-paths",
        "headers.csp",
        "headers.frame-options",
        "tls.chain",
    ):
        assert st[cid] == "pass", (cid, st)
