"""cors.*: real preflights and simple requests against APIs with good and broken CORS logic."""

from __future__ import annotations

import re

from launchready.live import cors
from launchready.live.config import Endpoint, Target
from launchready.model import Severity, Status

from .conftest import one, run_area
from .site import HOST, Request, Resp, Site

APP = "https://app.example.com"


def api(decide, credentials: bool = True, methods: str = "GET, POST", headers: str = "content-type, authorization"):
    """An API whose CORS answer is decided by ``decide(origin) -> allowed origin or None``."""

    def handler(req: Request) -> Resp:
        origin = req.headers.get("origin", "")
        allowed = decide(origin) if origin else None
        h = [("Content-Type", "application/json"), ("Vary", "Origin")]
        if allowed:
            h.append(("Access-Control-Allow-Origin", allowed))
            if credentials:
                h.append(("Access-Control-Allow-Credentials", "true"))
        if req.method == "OPTIONS":
            if allowed:
                h += [("Access-Control-Allow-Methods", methods), ("Access-Control-Allow-Headers", headers)]
            return Resp(204, b"", h)
        return Resp(200, b'{"ok": true}', h)

    return handler


def run(site: Site, **kw):
    target = Target(url=site.url, api_url=site.url + "api/chat")
    return run_area(cors, [site], None, target=target, allowed_origins=[APP], **kw)


def test_exact_allow_list_passes() -> None:
    with Site({"/api/chat": api(lambda o: o if o == APP else None)}) as site:
        r = run(site)
    for cid in (
        "cors.arbitrary-origin",
        "cors.null-origin",
        "cors.origin-bypass",
        "cors.wildcard-credentials",
        "cors.preflight-permissive",
    ):
        assert one(r, cid).status is Status.PASS, one(r, cid)
    assert one(r, "cors.http-origin").status is Status.SKIP  # plain-HTTP API: not applicable


def test_reflect_any_origin_with_credentials_is_critical() -> None:
    with Site({"/api/chat": api(lambda o: o)}) as site:
        r = run(site)
    c = one(r, "cors.arbitrary-origin")
    assert c.status is Status.FAIL and c.severity is Severity.CRITICAL
    assert one(r, "cors.null-origin").status is Status.FAIL
    assert one(r, "cors.origin-bypass").status is Status.FAIL


def test_reflection_without_credentials_is_medium() -> None:
    with Site({"/api/chat": api(lambda o: o, credentials=False)}) as site:
        r = run(site)
    c = one(r, "cors.arbitrary-origin")
    assert c.status is Status.FAIL and c.severity is Severity.MEDIUM


def test_null_trusted() -> None:
    with Site({"/api/chat": api(lambda o: o if o in (APP, "null") else None)}) as site:
        r = run(site)
    assert one(r, "cors.null-origin").status is Status.FAIL
    assert one(r, "cors.arbitrary-origin").status is Status.PASS


def test_suffix_and_unescaped_dot_bypasses() -> None:
    loose = re.compile(r"https://app.example.com")  # unanchored, unescaped dots
    with Site({"/api/chat": api(lambda o: o if loose.match(o) else None)}) as site:
        r = run(site)
    c = one(r, "cors.origin-bypass")
    assert c.status is Status.FAIL and "https://app.example.com.evil.test" in c.message
    assert "https://appxexample.com" in c.message
    with Site({"/api/chat": api(lambda o: o if o.endswith("app.example.com") else None)}) as site:
        r = run(site)
    assert "https://evilapp.example.com" in one(r, "cors.origin-bypass").message
    assert one(r, "cors.arbitrary-origin").status is Status.PASS


def test_wildcard_with_credentials_and_permissive_preflight() -> None:
    with Site({"/api/chat": api(lambda o: "*", methods="*", headers="*")}) as site:
        r = run(site)
    assert one(r, "cors.wildcard-credentials").status is Status.FAIL
    assert one(r, "cors.preflight-permissive").status is Status.WARN
    assert one(r, "cors.arbitrary-origin").status is Status.PASS  # '*' is not a reflection


def test_preflight_echoing_requested_method_and_header(ca) -> None:
    def echo(req: Request) -> Resp:
        h = [("Access-Control-Allow-Origin", APP if req.headers.get("origin") == APP else "")]
        if req.method == "OPTIONS":
            h += [
                ("Access-Control-Allow-Methods", req.headers.get("access-control-request-method", "")),
                ("Access-Control-Allow-Headers", req.headers.get("access-control-request-headers", "")),
            ]
        return Resp(204 if req.method == "OPTIONS" else 200, b"", h)

    with Site({"/api/chat": echo}) as site:
        r = run(site)
    assert one(r, "cors.preflight-permissive").status is Status.WARN


def test_http_origin_trusted_by_https_api(ca) -> None:
    with Site(
        {"/api/chat": api(lambda o: o if o.endswith("://app.example.com") else None)}, tls=ca.server_context(HOST)
    ) as site:
        target = Target(url=site.url, api_url=site.url + "api/chat")
        r = run_area(cors, [site], ca, target=target, allowed_origins=[APP])
    c = one(r, "cors.http-origin")
    assert c.status is Status.FAIL and c.severity is Severity.HIGH and "http://app.example.com" in c.message


def test_configured_endpoints_and_errors() -> None:
    with Site({"/api/a": api(lambda o: o), "/api/b": api(lambda o: None)}) as site:
        target = Target(url=site.url)
        r = run_area(
            cors,
            [site],
            None,
            target=target,
            allowed_origins=[APP],
            cors_endpoints=[Endpoint(path="/api/a"), Endpoint(path="/api/b")],
        )
    by_target = {c.target: c.status for c in r["cors.arbitrary-origin"]}
    assert by_target == {site.url + "api/a": Status.FAIL, site.url + "api/b": Status.PASS}
    # a dead API is error, never pass
    r = run_area(cors, [site], None, target=Target(url=site.url), allowed_origins=[APP])
    assert all(c.status is Status.ERROR for cs in r.values() for c in cs if c.id != "cors.http-origin")
