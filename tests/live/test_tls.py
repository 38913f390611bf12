"""tls.*: real handshakes against loopback servers with throwaway certificates."""

from __future__ import annotations

import datetime as dt
import socket
import threading

from launchready.live import tls
from launchready.live.config import Target
from launchready.model import Severity, Status

from .conftest import one, run_area
from .site import HOST, Site, html


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def test_good_certificate_passes(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST)) as site:
        r = run_area(tls, [site], ca)
    for cid in ("tls.https", "tls.certificate", "tls.chain", "tls.expiry", "tls.key-size", "tls.legacy-protocols"):
        assert one(r, cid).status is Status.PASS, one(r, cid)
    assert one(r, "tls.legacy-protocols").evidence["refused"]


def test_wrong_host(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context("other.launchready.test")) as site:
        r = run_area(tls, [site], ca)
    c = one(r, "tls.certificate")
    assert c.status is Status.FAIL and HOST in c.message
    assert one(r, "tls.chain").status is Status.SKIP


def test_untrusted_chain(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST)) as site:
        r = run_area(tls, [site], None)  # system trust store: the throwaway CA is unknown
    assert one(r, "tls.chain").status is Status.FAIL
    assert one(r, "tls.certificate").status is Status.PASS  # the name is right; the CA is unknown


def test_expired_certificate_fails(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST, not_after=_now() - dt.timedelta(days=3))) as site:
        r = run_area(tls, [site], ca)
    c = one(r, "tls.expiry")
    assert c.status is Status.FAIL and c.severity is Severity.CRITICAL and "expired" in c.message
    assert c.evidence["days_left"] < 0
    assert one(r, "tls.certificate").status is Status.PASS and one(r, "tls.chain").status is Status.SKIP


def test_untrusted_and_wrong_name_both_reported(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context("other.launchready.test")) as site:
        r = run_area(tls, [site], None)  # untrusted CA and the wrong name
    assert one(r, "tls.chain").status is Status.FAIL
    assert one(r, "tls.certificate").status is Status.FAIL


def test_names_host_wildcards() -> None:
    import trustme

    from launchready.live.tls import names_host

    leaf = trustme.CA().issue_cert("*.example.test", "127.0.0.1")
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    der = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes()).public_bytes(serialization.Encoding.DER)
    assert names_host(der, "app.example.test") and names_host(der, "127.0.0.1")
    assert (
        not names_host(der, "example.test") and not names_host(der, "a.b.example.test") and not names_host(der, "::1")
    )


def test_expiry_soon_warns_and_very_soon_fails(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST, not_after=_now() + dt.timedelta(days=20))) as site:
        r = run_area(tls, [site], ca)
    assert one(r, "tls.expiry").status is Status.WARN
    with Site({"/": html("ok")}, tls=ca.server_context(HOST, not_after=_now() + dt.timedelta(days=3))) as site:
        r = run_area(tls, [site], ca)
    assert one(r, "tls.expiry").status is Status.FAIL
    with Site({"/": html("ok")}, tls=ca.server_context(HOST, not_after=_now() + dt.timedelta(days=20))) as site:
        r = run_area(tls, [site], ca, tls_warn_days=10)
    assert one(r, "tls.expiry").status is Status.PASS


def test_legacy_protocols_accepted_fail(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST, legacy=True)) as site:
        r = run_area(tls, [site], ca)
    c = one(r, "tls.legacy-protocols")
    # if this machine's OpenSSL cannot offer TLS 1.0/1.1 at all the probe says skip, never pass
    assert c.status in (Status.FAIL, Status.SKIP)
    if c.status is Status.FAIL:
        assert "TLSv1.0" in c.message or "TLSv1.1" in c.message
    else:
        assert "not probed" in c.message


def test_small_rsa_key_fails(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST, rsa_bits=1024)) as site:
        r = run_area(tls, [site], ca)
    c = one(r, "tls.key-size")
    assert c.status is Status.FAIL and "1024" in c.message
    assert one(r, "tls.chain").status is Status.SKIP and "tls.key-size" in one(r, "tls.chain").message


def test_rsa_2048_passes(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST, rsa_bits=2048)) as site:
        r = run_area(tls, [site], ca)
    assert one(r, "tls.key-size").status is Status.PASS


def test_plain_http_site_fails_https() -> None:
    with Site({"/": html("ok")}) as site:
        r = run_area(tls, [site])
    assert one(r, "tls.https").status is Status.FAIL


def test_refused_port_is_error(ca) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with Site({"/": html("ok")}, tls=ca.server_context(HOST)) as site:
        target = Target(url=f"https://{HOST}:{port}/")
        site.port, real = port, site.port  # resolve the closed port, not the site
        r = run_area(tls, [site], ca, target=target)
        site.port = real
    assert r and all(c.status is Status.ERROR for cs in r.values() for c in cs), r


def test_server_that_never_completes_the_handshake_is_error(ca) -> None:
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(8)
    port = lsock.getsockname()[1]
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        lsock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = lsock.accept()
                held.append(conn)  # never answer
            except OSError:
                continue

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    try:
        from launchready.live.base import Run
        from launchready.live.config import LiveSettings
        from launchready.live.http import Budget, Client, HttpOptions, resolve_map
        from launchready.live.runner import selector

        target = Target(url=f"https://{HOST}:{port}/")
        client = Client(HttpOptions(resolve=resolve_map([f"{HOST}:{port}:127.0.0.1"]), timeout=0.5), Budget())
        found = tls.check(Run(LiveSettings(targets=[target], timeout=0.5), client, selector([], [])), target)
    finally:
        stop.set()
        t.join()
        for c in held:
            c.close()
        lsock.close()
    assert found and all(c.status is Status.ERROR for c in found)
    assert "timed out" in found[0].message


def test_client_that_cannot_offer_legacy_tls_reports_skip_never_pass(ca, tmp_path) -> None:
    """An OpenSSL configured to refuse TLS 1.0/1.1 on the client side (as some distributions
    ship it) must make the probe `skip` with the reason, even against a server that would
    accept them."""
    import json
    import os
    import subprocess
    import sys

    conf = tmp_path / "openssl.cnf"
    conf.write_text(
        "openssl_conf = default_conf\n[default_conf]\nssl_conf = ssl_sect\n[ssl_sect]\n"
        "system_default = system_default_sect\n[system_default_sect]\nProtocol = ALL, -TLSv1, -TLSv1.1\n"
    )
    with Site({"/": html("ok")}, tls=ca.server_context(HOST, legacy=True)) as site:
        cmd = [
            sys.executable,
            "-m",
            "launchready",
            "live",
            "--url",
            site.url,
            "--resolve",
            site.resolve,
            "--ca-bundle",
            str(ca.path),
            "--only",
            "tls.legacy",
            "--json",
            "-",
        ]
        res = subprocess.run(
            cmd, env={**os.environ, "OPENSSL_CONF": str(conf)}, capture_output=True, text=True, cwd=tmp_path
        )
    checks = json.loads(res.stdout)["checks"]
    assert [c["status"] for c in checks] == ["skip"], checks
    assert "cannot" in checks[0]["message"] or "refuses" in checks[0]["message"]
