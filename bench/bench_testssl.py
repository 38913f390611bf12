"""TLS check benchmark: ``launchready live --only tls`` vs testssl.sh on a loopback HTTPS server.

    python bench/bench_testssl.py [--runs 3] [--write]

Starts, in process, a Python ``http.server`` wrapped in TLS on 127.0.0.1 (port 0) with a
throwaway ``trustme`` CA and an RSA-2048 certificate for ``localhost``, in two set-ups:
``modern`` (Python's defaults: TLS 1.2 and 1.3 only) and ``legacy`` (TLS 1.0 and 1.1 also
accepted, ``@SECLEVEL=0``). For each, runs both tools ``--runs`` times, interleaved, and
reports the median wall time (process start included) and what each says on the
launch-relevant points: trust and host name, expiry, TLS 1.0/1.1, key size.

Network: both tools are pinned to 127.0.0.1 (testssl.sh ``--ip 127.0.0.1 --nodns none``,
no ``--phone-out``; launchready ``--resolve``). If testssl.sh cannot run, the section
records why instead of numbers.
"""

from __future__ import annotations

import argparse
import http.server
import json
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import trustme

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results import replace_section  # noqa: E402

POINTS = ("trust / name", "expiry", "TLS 1.0 / 1.1", "key size")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # testssl.sh aborts many handshakes on purpose


def serve(ca: trustme.CA, legacy: bool) -> tuple[QuietServer, int]:
    cert = ca.issue_cert("localhost", key_type=trustme.KeyType.RSA)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(ctx)
    if legacy:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.TLSv1
    srv = QuietServer(("127.0.0.1", 0), Quiet)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, srv.server_address[1]


def run(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return wall


def ours_points(report: Path) -> list[str]:
    checks = {c.get("check_id") or c.get("id"): c for c in json.loads(report.read_text())["checks"]}

    def show(*ids: str) -> str:
        return "; ".join(f"{checks[i]['status']}: {checks[i]['message']}" for i in ids if i in checks)

    return [
        show("tls.certificate", "tls.chain"),
        show("tls.expiry"),
        show("tls.legacy-protocols"),
        show("tls.key-size"),
    ]


def peer_points(report: Path) -> list[str]:
    items = {e["id"]: e for e in json.loads(report.read_text())}

    def show(*ids: str) -> str:
        return "; ".join(f"{i} {items[i]['severity']}: {items[i]['finding']}" for i in ids if i in items)

    return [
        show("cert_trust", "cert_chain_of_trust"),
        show("cert_expirationStatus"),
        show("TLS1", "TLS1_1"),
        show("cert_keySize"),
    ]


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="replace the section in RESULTS.md")
    args = ap.parse_args()
    command = f"Command: `python bench/bench_testssl.py --runs {args.runs} --write`\n"
    testssl = shutil.which("testssl.sh") or shutil.which("testssl")
    if not testssl or not shutil.which("launchready"):
        body = f"Not measured: {'testssl.sh' if not testssl else 'launchready'} is not installed.\n\n{command}"
        print(body)
        if args.write:
            replace_section("testssl", body)
        return
    version = subprocess.run([testssl, "--version"], capture_output=True, text=True).stdout
    ver = next((w for w in version.split() if w[:1].isdigit()), "?")

    tmp = Path(tempfile.mkdtemp(prefix="bench-testssl-"))
    ca = trustme.CA(key_type=trustme.KeyType.RSA)
    ca_pem = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    rows: list[str] = []
    try:
        for name, legacy in (("modern", False), ("legacy", True)):
            srv, port = serve(ca, legacy)
            url = f"https://localhost:{port}"
            ours_json, peer_json = tmp / f"ours-{name}.json", tmp / f"testssl-{name}.json"
            ours_cmd = [
                "launchready",
                "live",
                "--url",
                url,
                "--only",
                "tls",
                "--ca-bundle",
                str(ca_pem),
                "--resolve",
                f"localhost:{port}:127.0.0.1",
                "--json",
                str(ours_json),
                "--exit-zero",
                "-q",
            ]
            peer_cmd = [
                testssl,
                "--quiet",
                "--fast",
                "--ip",
                "127.0.0.1",
                "--nodns",
                "none",
                "--add-ca",
                str(ca_pem),
                "--warnings",
                "off",
                "--color",
                "0",
                "--jsonfile",
                str(peer_json),
                url,
            ]
            ours_t: list[float] = []
            peer_t: list[float] = []
            try:
                for _ in range(args.runs):
                    ours_t.append(run(ours_cmd))
                    peer_json.unlink(missing_ok=True)  # testssl.sh refuses to overwrite
                    peer_t.append(run(peer_cmd))
                    if not peer_json.exists():
                        raise RuntimeError(f"testssl.sh wrote no report: {' '.join(peer_cmd)}")
            finally:
                srv.shutdown()
                srv.server_close()
            om, pm = statistics.median(ours_t), statistics.median(peer_t)
            print(f"{name}: launchready {[round(t, 2) for t in ours_t]} s, testssl {[round(t, 1) for t in peer_t]} s")
            for tool, med, ratio, points in (
                ("`launchready live --only tls`", om, 1.0, ours_points(ours_json)),
                (f"testssl.sh {ver} `--fast`", pm, pm / om, peer_points(peer_json)),
            ):
                rows.append(
                    f"| {name} | {tool} | {med:.2f} | {ratio:.0f}x | " + " | ".join(cell(p) for p in points) + " |"
                )
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        body = f"Not measured: testssl.sh could not run here: {type(exc).__name__}: {exc}\n\n{command}"
        print(body)
        if args.write:
            replace_section("testssl", body)
        return
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    body = (
        "Loopback HTTPS server (Python `http.server` + `ssl` on 127.0.0.1, throwaway `trustme` CA, "
        "RSA-2048 certificate for `localhost`); `modern` = Python defaults (TLS 1.2/1.3), `legacy` "
        f"= TLS 1.0 and 1.1 also accepted. Median wall time of {args.runs} runs each, interleaved, "
        "process start included. testssl.sh does far more than our six checks (every cipher, "
        "vulnerabilities, 30+ client simulations), so the ratio is the cost of a full audit, not of "
        "the same work; the columns show what each reports on the launch-relevant points.\n\n"
        f"| Server | Tool | wall s (median) | ratio | {' | '.join(POINTS)} |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "testssl.sh command: `testssl --quiet --fast --ip 127.0.0.1 --nodns none --add-ca CA.pem "
        "--warnings off --jsonfile OUT https://localhost:PORT`; ours: `launchready live --url "
        "https://localhost:PORT --only tls --ca-bundle CA.pem --resolve localhost:PORT:127.0.0.1`.\n\n" + command
    )
    print(body)
    if args.write:
        replace_section("testssl", body)


if __name__ == "__main__":
    main()
