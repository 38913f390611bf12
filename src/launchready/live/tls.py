"""``tls.*``: certificate valid for the host, chain trusted, expiry, legacy protocols, key size.

One verified handshake judges host and chain; one unverified handshake reads the leaf
certificate (expiry, key) even when verification fails; two probes offer only TLS 1.0 and
only TLS 1.1 with ``@SECLEVEL=0``. If this machine's OpenSSL cannot offer them at all, the
probe is ``skip`` with the reason (never ``pass``).
"""

from __future__ import annotations

import datetime as dt
import ssl
import warnings
from urllib.parse import urlsplit

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, result, skipped
from launchready.live.config import Target
from launchready.live.http import BudgetExceeded, HostDown, ProbeCut, describe_error, tls_probe
from launchready.model import CheckResult, Severity, Status

AREA = "tls"
PHASE = 0
IDS = ("tls.https", "tls.certificate", "tls.chain", "tls.expiry", "tls.legacy-protocols", "tls.key-size")

FIX = {
    "tls.https": "Serve the site over HTTPS (a free certificate from Let's Encrypt or your host) and redirect HTTP to it.",
    "tls.certificate": "Install a certificate whose subjectAltName covers this host name.",
    "tls.chain": "Serve the full chain (leaf + intermediates) from a publicly trusted CA.",
    "tls.expiry": "Renew the certificate and automate renewal (certbot, your host's managed certificates).",
    "tls.legacy-protocols": "Disable TLS 1.0 and 1.1 on the server or CDN (minimum TLS 1.2).",
    "tls.key-size": "Reissue the certificate with an RSA key of at least 2048 bits or an ECDSA P-256 key.",
}
_CLIENT_CANNOT = (
    "NO_PROTOCOLS_AVAILABLE",
    "NO_CIPHERS_AVAILABLE",
    "NO_SUITABLE_SIGNATURE_ALGORITHM",
    "UNSUPPORTED_PROTOCOL_CLIENT",
)


def _host_port(url: str) -> tuple[str, int]:
    p = urlsplit(url)
    return p.hostname or "", p.port or 443


def tls_hosts(target: Target) -> list[str]:
    """The HTTPS origins of a target (site and API, once each)."""
    out: list[str] = []
    for url in (target.url, target.api_url):
        if url and urlsplit(url).scheme == "https":
            host, port = _host_port(url)
            origin = f"https://{host}:{port}" if port != 443 else f"https://{host}"
            if origin not in out:
                out.append(origin)
    return out


def plan(run: Run, target: Target) -> list[Planned]:
    kinds = (
        "handshake without verification (reads the certificate)",
        "verified handshake (host name, chain)",
        "handshake offering only TLS 1.0",
        "handshake offering only TLS 1.1",
    )
    return [Planned("TLS", o, k) for o in tls_hosts(target) for k in kinds]


def _handshake(host: str, port: int, run: Run, ctx: ssl.SSLContext) -> tuple[bytes | None, str | None, str | None]:
    """One TLS handshake: the TCP connect and the whole handshake within one wall-clock
    deadline, the smaller of ``--timeout`` and what is left of the run's time budget."""
    origin = f"https://{host}:{port}" if port != 443 else f"https://{host}"
    run.client.count_probe("tls", "TLS handshake", origin)
    limit = run.client.time_limit(run.settings.timeout)
    try:
        tls = tls_probe(host, port, run.client.options, ctx, limit)
    except ProbeCut as exc:  # accepted (or not), then no handshake in time: the origin hangs
        what = (
            "TCP connect"
            if exc.stage == "TCP connect"
            else f"TLS handshake {ctx.minimum_version}-{ctx.maximum_version}"
        )
        run.client.note_timeout(origin, what, limit)
        raise
    with tls:
        cipher = tls.cipher()
        run.client.note_answer(origin)
        return tls.getpeercert(binary_form=True), tls.version(), cipher[0] if cipher else None


def check(run: Run, target: Target) -> list[CheckResult]:
    origins = tls_hosts(target)
    if not origins:
        return [
            result(
                "tls.https",
                Status.FAIL,
                Severity.HIGH,
                target.url,
                "the site is served over plain HTTP, not HTTPS",
                FIX["tls.https"],
                {"url": target.url},
            )
        ]
    out: list[CheckResult] = []
    for origin in origins:
        out.extend(_check_origin(run, origin))
    return out


def _verified_context(run: Run) -> ssl.SSLContext:
    ca = run.client.options.ca_bundle
    return ssl.create_default_context(cafile=ca) if ca else ssl.create_default_context()


def _check_origin(run: Run, origin: str) -> list[CheckResult]:
    host, port = _host_port(origin)
    out: list[CheckResult] = []
    # 1. unverified handshake: can we talk TLS at all? read the leaf certificate
    loose = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    loose.check_hostname = False
    loose.verify_mode = ssl.CERT_NONE
    try:
        der, version, cipher = _handshake(host, port, run, loose)
    except NETWORK_ERRORS as exc:
        return [errored(i, Severity.HIGH, origin, exc, FIX.get(i, "")) for i in IDS]
    out.append(
        result(
            "tls.https",
            Status.PASS,
            Severity.HIGH,
            origin,
            f"HTTPS answers ({version})",
            evidence={"protocol": version, "cipher": cipher},
        )
    )
    # 2. verified handshake: host name and chain
    try:
        _handshake(host, port, run, _verified_context(run))
        out.append(result("tls.certificate", Status.PASS, Severity.HIGH, origin, f"certificate is valid for {host}"))
        out.append(result("tls.chain", Status.PASS, Severity.HIGH, origin, "certificate chain is trusted"))
    except ssl.SSLCertVerificationError as exc:
        msg = exc.verify_message or str(exc)
        code = exc.verify_code
        ev = {"verify_code": code, "verify_message": msg}
        if code == 62 or "hostname mismatch" in msg.lower() or "ip address mismatch" in msg.lower():
            out.append(
                result(
                    "tls.certificate",
                    Status.FAIL,
                    Severity.HIGH,
                    origin,
                    f"certificate is not valid for {host}: {msg}",
                    FIX["tls.certificate"],
                    ev,
                )
            )
            out.append(
                result(
                    "tls.chain",
                    Status.SKIP,
                    Severity.HIGH,
                    origin,
                    "not judged separately: the host name check failed first",
                )
            )
        else:
            # the name can still be judged from the certificate itself
            named = names_host(der, host)
            if named is True:
                out.append(
                    result(
                        "tls.certificate",
                        Status.PASS,
                        Severity.HIGH,
                        origin,
                        f"certificate names {host} (verification failed for another reason: {msg})",
                        evidence=ev,
                    )
                )
            elif named is False:
                out.append(
                    result(
                        "tls.certificate",
                        Status.FAIL,
                        Severity.HIGH,
                        origin,
                        f"certificate does not name {host}",
                        FIX["tls.certificate"],
                        ev,
                    )
                )
            else:
                out.append(result("tls.certificate", Status.SKIP, Severity.HIGH, origin, f"not judged: {msg}"))
            if code == 66 or "key too weak" in msg.lower() or "key too small" in msg.lower():
                out.append(
                    result(
                        "tls.chain",
                        Status.SKIP,
                        Severity.HIGH,
                        origin,
                        "not judged: the key is too weak to verify (see tls.key-size)",
                        evidence=ev,
                    )
                )
            elif code == 10 or "expired" in msg.lower():
                out.append(
                    result(
                        "tls.chain",
                        Status.SKIP,
                        Severity.HIGH,
                        origin,
                        "not judged: the certificate has expired (see tls.expiry)",
                        evidence=ev,
                    )
                )
            else:
                out.append(
                    result(
                        "tls.chain",
                        Status.FAIL,
                        Severity.HIGH,
                        origin,
                        f"certificate chain is not trusted: {msg}",
                        FIX["tls.chain"],
                        ev,
                    )
                )
    except NETWORK_ERRORS as exc:
        out.append(errored("tls.certificate", Severity.HIGH, origin, exc))
        out.append(errored("tls.chain", Severity.HIGH, origin, exc))
    out.extend(_leaf(run, origin, der))
    out.extend(_legacy(run, origin, host, port))
    return out


def names_host(der: bytes | None, host: str) -> bool | None:
    """Whether the certificate's subjectAltName covers ``host`` (RFC 6125: one-label wildcards)."""
    if not der:
        return None
    import ipaddress

    from cryptography import x509

    try:
        cert = x509.load_der_x509_certificate(der)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None:
        return ip in san.get_values_for_type(x509.IPAddress)
    h = host.lower().rstrip(".")
    for name in san.get_values_for_type(x509.DNSName):
        n = name.lower().rstrip(".")
        if n == h or (n.startswith("*.") and "." in h and h.split(".", 1)[1] == n[2:]):
            return True
    return False


def _leaf(run: Run, origin: str, der: bytes | None) -> list[CheckResult]:
    if not der:
        return [
            result(i, Status.ERROR, Severity.HIGH, origin, "the server sent no certificate")
            for i in ("tls.expiry", "tls.key-size")
        ]
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    cert = x509.load_der_x509_certificate(der)
    s = run.settings
    not_after = cert.not_valid_after_utc
    days = (not_after - dt.datetime.now(dt.timezone.utc)).total_seconds() / 86400
    ev = {
        "not_after": not_after.isoformat(),
        "days_left": round(days, 1),
        "subject": cert.subject.rfc4514_string()[:200],
    }
    if days < 0:
        r = result(
            "tls.expiry",
            Status.FAIL,
            Severity.CRITICAL,
            origin,
            f"certificate expired {-days:.0f} day(s) ago",
            FIX["tls.expiry"],
            ev,
        )
    elif days < s.tls_fail_days:
        r = result(
            "tls.expiry",
            Status.FAIL,
            Severity.HIGH,
            origin,
            f"certificate expires in {days:.0f} day(s) (under {s.tls_fail_days})",
            FIX["tls.expiry"],
            ev,
        )
    elif days < s.tls_warn_days:
        r = result(
            "tls.expiry",
            Status.WARN,
            Severity.MEDIUM,
            origin,
            f"certificate expires in {days:.0f} day(s) (under {s.tls_warn_days})",
            FIX["tls.expiry"],
            ev,
        )
    else:
        r = result(
            "tls.expiry",
            Status.PASS,
            Severity.HIGH,
            origin,
            f"certificate valid for {days:.0f} more day(s)",
            evidence=ev,
        )
    out = [r]
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        bits = key.key_size
        if bits < 2048:
            out.append(
                result(
                    "tls.key-size",
                    Status.FAIL,
                    Severity.HIGH,
                    origin,
                    f"RSA key is {bits} bits (under 2048)",
                    FIX["tls.key-size"],
                    {"key": f"RSA-{bits}"},
                )
            )
        else:
            out.append(
                result(
                    "tls.key-size",
                    Status.PASS,
                    Severity.HIGH,
                    origin,
                    f"RSA key is {bits} bits",
                    evidence={"key": f"RSA-{bits}"},
                )
            )
    elif isinstance(key, ec.EllipticCurvePublicKey):
        out.append(
            result(
                "tls.key-size",
                Status.PASS,
                Severity.HIGH,
                origin,
                f"ECDSA key ({key.curve.name})",
                evidence={"key": key.curve.name},
            )
        )
    else:
        out.append(
            result(
                "tls.key-size", Status.PASS, Severity.HIGH, origin, f"{type(key).__name__.replace('PublicKey', '')} key"
            )
        )
    return out


def _legacy(run: Run, origin: str, host: str, port: int) -> list[CheckResult]:
    accepted: list[str] = []
    refused: dict[str, str] = {}
    cannot: dict[str, str] = {}
    errors: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        versions = (("TLSv1.0", ssl.TLSVersion.TLSv1), ("TLSv1.1", ssl.TLSVersion.TLSv1_1))
        for name, version in versions:
            try:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
                ctx.minimum_version = version
                ctx.maximum_version = version
            except (ssl.SSLError, ValueError) as exc:
                cannot[name] = f"this machine's OpenSSL cannot offer {name}: {exc}"
                continue
            try:
                _handshake(host, port, run, ctx)
                accepted.append(name)
            except ssl.SSLError as exc:
                reason = str(getattr(exc, "reason", "") or "")
                if reason in _CLIENT_CANNOT or "no protocols available" in str(exc).lower():
                    cannot[name] = f"this machine's OpenSSL refuses to offer {name} ({reason or exc})"
                else:
                    refused[name] = reason or str(exc)[:120]
            except (ConnectionResetError, BrokenPipeError, ssl.SSLEOFError, EOFError) as exc:
                refused[name] = f"connection closed during the handshake ({type(exc).__name__})"
            except (TimeoutError, OSError, BudgetExceeded, HostDown) as exc:
                errors[name] = describe_error(exc)
    ev = {"accepted": accepted, "refused": refused, "not_probed": cannot, "errors": errors}
    if accepted:
        return [
            result(
                "tls.legacy-protocols",
                Status.FAIL,
                Severity.MEDIUM,
                origin,
                f"server accepts {' and '.join(accepted)}",
                FIX["tls.legacy-protocols"],
                ev,
            )
        ]
    if errors:
        return [
            result(
                "tls.legacy-protocols",
                Status.ERROR,
                Severity.MEDIUM,
                origin,
                "could not probe: " + "; ".join(f"{k}: {v}" for k, v in errors.items()),
                evidence=ev,
            )
        ]
    if cannot and not refused:
        return [skipped("tls.legacy-protocols", origin, "not probed: " + "; ".join(cannot.values()), Severity.MEDIUM)]
    if cannot:
        return [
            result(
                "tls.legacy-protocols",
                Status.SKIP,
                Severity.MEDIUM,
                origin,
                f"{', '.join(refused)} refused; not probed: " + "; ".join(cannot.values()),
                evidence=ev,
            )
        ]
    return [
        result("tls.legacy-protocols", Status.PASS, Severity.MEDIUM, origin, "TLS 1.0 and 1.1 are refused", evidence=ev)
    ]
