"""redirect.*, hsts.*, headers.*, cookies.*, cdn.*: passing and failing loopback sites."""

from __future__ import annotations

from launchready.live import cdn, cookies, headers, hsts, redirect
from launchready.live.config import Target
from launchready.model import Severity, Status

from .conftest import one, run_area
from .site import HOST, Resp, Site, html

GOOD_HEADERS = [
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Content-Security-Policy", "default-src 'self'; script-src 'self'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Server", "nginx"),
    ("Set-Cookie", "session=abc123def456; Path=/; Secure; HttpOnly; SameSite=Lax"),
    ("CF-RAY", "8a1b2c3d4e5f-AMS"),
]
BAD_HEADERS = [
    ("Strict-Transport-Security", "max-age=3600"),
    ("Content-Security-Policy", "default-src *; script-src 'self' 'unsafe-inline' 'unsafe-eval'"),
    ("Server", "Apache/2.4.41 (Ubuntu)"),
    ("X-Powered-By", "Express"),
    ("Referrer-Policy", "unsafe-url"),
    ("Set-Cookie", "connect.sid=s%3Aabcdef1234567890; Path=/"),
    ("Set-Cookie", "theme=dark; Path=/"),
]


def test_good_site(ca) -> None:
    with Site({"/": html("<p>ok</p>", GOOD_HEADERS)}, tls=ca.server_context(HOST)) as site:
        results = {}
        for m in (hsts, headers, cookies, cdn):
            results.update(run_area(m, [site], ca))
    for cid in (
        "hsts.present",
        "hsts.max-age",
        "hsts.include-subdomains",
        "headers.csp",
        "headers.csp-unsafe",
        "headers.content-type-options",
        "headers.frame-options",
        "headers.referrer-policy",
        "headers.version-disclosure",
        "cookies.secure",
        "cookies.httponly",
        "cookies.samesite",
        "cdn.detected",
    ):
        assert one(results, cid).status is Status.PASS, one(results, cid)
    assert "Cloudflare" in one(results, "cdn.detected").message
    assert "abc123def456" not in str(results)  # cookie values never in evidence


def test_bad_site(ca) -> None:
    with Site({"/": html("<p>ok</p>", BAD_HEADERS)}, tls=ca.server_context(HOST)) as site:
        results = {}
        for m in (hsts, headers, cookies):
            results.update(run_area(m, [site], ca))
        required = run_area(cdn, [site], ca, cdn_required=True)
    assert one(results, "hsts.present").status is Status.PASS
    assert one(results, "hsts.max-age").status is Status.FAIL
    assert one(results, "headers.csp").status is Status.PASS
    c = one(results, "headers.csp-unsafe")
    assert c.status is Status.FAIL and "unsafe-inline" in c.message and "unsafe-eval" in c.message
    assert one(results, "headers.content-type-options").status is Status.FAIL
    assert one(results, "headers.frame-options").status is Status.FAIL
    assert one(results, "headers.referrer-policy").status is Status.FAIL
    v = one(results, "headers.version-disclosure")
    assert v.status is Status.FAIL and "Apache/2.4.41" in v.message
    assert one(results, "cookies.secure").status is Status.FAIL
    assert "connect.sid" in one(results, "cookies.httponly").message
    assert "theme" not in one(results, "cookies.httponly").message
    assert one(results, "cookies.samesite").status is Status.FAIL
    assert "abcdef1234567890" not in str(results)
    assert one(required, "cdn.detected").status is Status.FAIL


def test_missing_headers(ca) -> None:
    with Site({"/": html("<p>ok</p>")}, tls=ca.server_context(HOST)) as site:
        r = run_area(hsts, [site], ca)
        h = run_area(headers, [site], ca)
        c = run_area(cookies, [site], ca)
    assert one(r, "hsts.present").status is Status.FAIL
    assert one(h, "headers.csp").status is Status.FAIL
    assert all(x.status is Status.SKIP for xs in c.values() for x in xs)


def test_nonce_makes_unsafe_inline_harmless(ca) -> None:
    csp = [("Content-Security-Policy", "script-src 'self' 'nonce-abc' 'unsafe-inline'; frame-ancestors 'self'")]
    with Site({"/": html("ok", csp)}, tls=ca.server_context(HOST)) as site:
        h = run_area(headers, [site], ca)
    assert one(h, "headers.csp-unsafe").status is Status.PASS
    assert one(h, "headers.frame-options").status is Status.PASS


def test_hsts_skipped_on_plain_http() -> None:
    with Site({"/": html("ok")}) as site:
        r = run_area(hsts, [site])
    assert all(c.status is Status.SKIP for cs in r.values() for c in cs)


def test_redirects_good(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST)) as https_site:

        def to_https(req):
            return Resp(301, "", [("Location", f"https://{HOST}:{https_site.port}{req.path}")])

        with Site({"/": to_https, "/login": to_https, "/api/": to_https}) as http_site:
            target = Target(url=https_site.url, http_url=http_site.url)
            r = run_area(redirect, [https_site, http_site], ca, target=target)
    assert one(r, "redirect.https").status is Status.PASS
    assert one(r, "redirect.sensitive-paths").status is Status.PASS


def test_redirects_bad(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST)) as https_site:
        with Site(
            {
                "/": html("plain page"),
                "/login": html("<form>"),
                "/api/": Resp(302, "", [("Location", "http://elsewhere.test/")]),
            }
        ) as http_site:
            target = Target(url=https_site.url, http_url=http_site.url)
            r = run_area(redirect, [https_site, http_site], ca, target=target)
        with Site({"/": Resp(301, "", [("Location", "https://other.launchready.test/")])}) as other:
            r2 = run_area(redirect, [https_site, other], ca, target=Target(url=https_site.url, http_url=other.url))
    c = one(r, "redirect.https")
    assert c.status is Status.FAIL and c.severity is Severity.HIGH
    s = one(r, "redirect.sensitive-paths")
    assert s.status is Status.FAIL and "2 login/API path(s)" in s.message
    assert one(r2, "redirect.https").status is Status.FAIL
    assert "another host" in one(r2, "redirect.https").message


def test_redirect_unknown_http_url_skips(ca) -> None:
    with Site({"/": html("ok")}, tls=ca.server_context(HOST)) as site:
        r = run_area(redirect, [site], ca)
    assert all(c.status is Status.SKIP and "http_url" in c.message for cs in r.values() for c in cs)
