"""input.*, ratelimit.*, authz.*, latency.*: API behaviours served by real loopback apps."""

from __future__ import annotations

import json
import threading

import pytest

from launchready.demo.keygen import KeyGen
from launchready.live import authz, input, latency, ratelimit
from launchready.live.config import Endpoint, Identity, Target
from launchready.live.http import Budget
from launchready.model import Severity, Status

from .conftest import one, run_area
from .site import HANG, Request, Resp, Site, html, jsonr

CHAT = Endpoint(path="/api/chat", method="POST", body={"message": "hello", "max_tokens": 5})


def strict_chat(req: Request) -> Resp:
    if req.headers.get("content-type", "").split(";")[0] != "application/json":
        return jsonr({"error": "unsupported media type"}, 415)
    if len(req.body) > 4096:
        return jsonr({"error": "too large"}, 413)
    try:
        data = json.loads(req.body)
    except ValueError:
        return jsonr({"error": "bad json"}, 400)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("message"), str)
        or not isinstance(data.get("max_tokens"), int)
    ):
        return jsonr({"error": "invalid"}, 422)
    return jsonr({"reply": "hi"})


def sloppy_chat(req: Request) -> Resp:
    try:
        data = json.loads(req.body)
        return jsonr({"reply": data["message"].upper()})
    except Exception:
        return Resp(
            500,
            'Traceback (most recent call last):\n  File "/srv/app.py", line 9, in chat\nAttributeError',
            [("Content-Type", "text/plain")],
        )


def test_input_strict_endpoint_passes() -> None:
    with Site({"POST /api/chat": strict_chat}) as site:
        r = run_area(input, [site], input_endpoints=[CHAT], input_max_body=4096)
    for cid in input.IDS:
        assert one(r, cid).status is Status.PASS, one(r, cid)
    assert site.count("/api/chat") == 5


def test_input_sloppy_endpoint_fails() -> None:
    with Site({"POST /api/chat": sloppy_chat}, max_read=64 * 1024) as site:
        r = run_area(input, [site], input_endpoints=[CHAT], input_max_body=4096)
    m = one(r, "input.malformed-json")
    assert m.status is Status.FAIL and "stack trace" in m.message
    assert one(r, "input.field-types").status is Status.FAIL
    assert one(r, "input.content-type").status is Status.FAIL  # accepted text/plain with 200
    assert one(r, "input.body-size").status is Status.FAIL  # 500 with trace (no size limit)


def test_input_hang_is_fail_and_dead_endpoint_is_error() -> None:
    def hang_on_bad(req: Request):
        try:
            json.loads(req.body)
        except ValueError:
            return HANG
        return jsonr({"ok": True})

    with Site({"POST /api/chat": hang_on_bad}) as site:
        r = run_area(input, [site], input_endpoints=[CHAT], input_max_body=4096, timeout=0.5)
    assert one(r, "input.malformed-json").status is Status.FAIL
    assert "hung" in one(r, "input.malformed-json").message
    with Site() as dead:
        pass
    r = run_area(input, [dead], input_endpoints=[CHAT], timeout=0.5)
    assert all(c.status is Status.ERROR for cs in r.values() for c in cs)


def test_input_needs_configuration() -> None:
    with Site() as site:
        r = run_area(input, [site])
    assert all(c.status is Status.SKIP for cs in r.values() for c in cs)


class Limiter:
    def __init__(self, limit: int | None, status: int = 429) -> None:
        self.limit, self.status, self.n = limit, status, 0
        self.lock = threading.Lock()

    def __call__(self, req: Request) -> Resp:
        with self.lock:
            self.n += 1
            n = self.n
        if self.limit is not None and n > self.limit:
            return jsonr({"error": "slow down"}, self.status, [("Retry-After", "30"), ("RateLimit-Remaining", "0")])
        return jsonr({"ok": True}, 200, [("RateLimit-Limit", str(self.limit or 0))])


def test_ratelimit_passes_and_stops_at_first_429() -> None:
    lim = Limiter(10)
    ep = Endpoint(path="/api/chat", method="POST", body={"message": "hi"}, limit=10)
    with Site({"POST /api/chat": lim}) as site:
        r = run_area(ratelimit, [site], ratelimit_endpoints=[ep])
    c = one(r, "ratelimit.burst")
    assert c.status is Status.PASS and c.evidence["limited_at"] == 11
    assert c.evidence["rate_headers"]["Retry-After"] == "30"
    assert lim.n == 11  # stopped at the first 429


def test_ratelimit_503_with_retry_after_counts() -> None:
    ep = Endpoint(path="/api/chat", method="POST", limit=5)
    with Site({"POST /api/chat": Limiter(5, 503)}) as site:
        r = run_area(ratelimit, [site], ratelimit_endpoints=[ep])
    assert one(r, "ratelimit.burst").status is Status.PASS


def test_ratelimit_missing_fails_within_limit_plus_margin() -> None:
    lim = Limiter(None)
    ep = Endpoint(path="/api/chat", method="POST", limit=10, margin=3)
    with Site({"POST /api/chat": lim}) as site:
        r = run_area(ratelimit, [site], ratelimit_endpoints=[ep])
    c = one(r, "ratelimit.burst")
    assert c.status is Status.FAIL and c.severity is Severity.HIGH
    assert lim.n == 13


def test_ratelimit_late_limiter_fails() -> None:
    lim = Limiter(20)
    ep = Endpoint(path="/api/chat", method="POST", limit=10, margin=2)
    with Site({"POST /api/chat": lim}) as site:
        r = run_area(ratelimit, [site], ratelimit_endpoints=[ep])
    assert one(r, "ratelimit.burst").status is Status.FAIL and lim.n == 12


def test_ratelimit_never_exceeds_the_per_check_cap() -> None:
    lim = Limiter(None)
    ep = Endpoint(path="/api/chat", method="POST", limit=100)
    with Site({"POST /api/chat": lim}) as site:
        r = run_area(ratelimit, [site], ratelimit_endpoints=[ep], budget=Budget(requests=500, seconds=60, per_check=15))
    c = one(r, "ratelimit.burst")
    assert lim.n == 15 and c.status is Status.WARN and "cap" in c.message


def test_login_lockout() -> None:
    login = Endpoint(
        path="/api/login", method="POST", body={"email": "a@example.test", "password": "wrong"}, limit=5, kind="login"
    )
    with Site({"POST /api/login": Limiter(5, 423)}) as site:
        r = run_area(ratelimit, [site], ratelimit_endpoints=[login])
    assert one(r, "ratelimit.login-lockout").status is Status.PASS
    with Site({"POST /api/login": jsonr({"error": "invalid credentials"}, 401)}) as site:
        r = run_area(ratelimit, [site], ratelimit_endpoints=[login])
    c = one(r, "ratelimit.login-lockout")
    assert c.status is Status.FAIL and "lockout" in c.message


@pytest.fixture
def tokens(monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    kg = KeyGen(11)
    a, b = kg.jwt({"sub": "alice"}), kg.jwt({"sub": "bob"})
    monkeypatch.setenv("LR_TEST_A", a)
    monkeypatch.setenv("LR_TEST_B", b)
    return a, b


IDS = {"a": Identity("a", "bearer", "LR_TEST_A"), "b": Identity("b", "bearer", "LR_TEST_B")}
CHAT_A = {
    "id": "chat_8f2k",
    "owner": "alice@example.test",
    "title": "Alice's launch plan",
    "messages": ["secret roadmap for Q3"],
}


def chats(tokens: tuple[str, str], mode: str):
    a, _b = tokens

    def handler(req: Request) -> Resp:
        auth = req.headers.get("authorization", "")
        if auth == f"Bearer {a}":
            return jsonr(CHAT_A)
        if mode == "bola":
            return jsonr(CHAT_A)
        if mode == "other" and auth:
            return jsonr({"id": "chat_other", "title": "a different chat object"})
        if mode == "other":
            return jsonr({"error": "login"}, 401)
        return jsonr({"error": "not found"}, 404)

    return handler


RES = Endpoint(path="/api/chats/chat_8f2k")


def test_authz_enforced(tokens) -> None:
    with Site({"/api/chats/chat_8f2k": chats(tokens, "ok")}) as site:
        r = run_area(authz, [site], identities=IDS, authz_resources=[RES])
    assert one(r, "authz.cross-user").status is Status.PASS
    assert one(r, "authz.anonymous").status is Status.PASS
    assert tokens[0] not in str(r) and tokens[1] not in str(r)


def test_authz_bola_is_critical(tokens) -> None:
    with Site({"/api/chats/chat_8f2k": chats(tokens, "bola")}) as site:
        r = run_area(authz, [site], identities=IDS, authz_resources=[RES])
        order = [req.headers.get("authorization", "anon")[:10] for req in site.log]
    for cid in authz.IDS:
        c = one(r, cid)
        assert c.status is Status.FAIL and c.severity is Severity.CRITICAL and "API1" in c.message
    assert order[0] == f"Bearer {tokens[0]}"[:10]  # the owner fetched first
    assert tokens[0] not in str(r)


def test_authz_other_2xx_is_warning(tokens) -> None:
    with Site({"/api/chats/chat_8f2k": chats(tokens, "other")}) as site:
        r = run_area(authz, [site], identities=IDS, authz_resources=[RES])
    assert one(r, "authz.cross-user").status is Status.WARN
    assert one(r, "authz.anonymous").status is Status.PASS


def test_authz_missing_token_or_owner_failure_is_error(tokens, monkeypatch: pytest.MonkeyPatch) -> None:
    with Site({"/api/chats/chat_8f2k": jsonr({"error": "nope"}, 403)}) as site:
        r = run_area(authz, [site], identities=IDS, authz_resources=[RES])
    assert all(c.status is Status.ERROR and "owner" in c.message for cs in r.values() for c in cs)
    monkeypatch.delenv("LR_TEST_A")
    with Site({"/api/chats/chat_8f2k": chats(tokens, "ok")}) as site:
        r = run_area(authz, [site], identities=IDS, authz_resources=[RES])
        assert site.count() == 0
    assert all(c.status is Status.ERROR and "LR_TEST_A" in c.message for cs in r.values() for c in cs)


def test_authz_write_as_other_user(tokens) -> None:
    def delete(req: Request) -> Resp:
        return Resp(204) if req.headers.get("authorization") else jsonr({"error": "login"}, 401)

    with Site({"DELETE /api/chats/chat_8f2k": delete}) as site:
        r = run_area(
            authz,
            [site],
            identities=IDS,
            authz_resources=[Endpoint(path="/api/chats/chat_8f2k", method="DELETE")],
            authz_writes=True,
        )
        methods = [(q.method, q.headers.get("authorization", "")) for q in site.log]
    assert one(r, "authz.cross-user").status is Status.FAIL
    assert one(r, "authz.anonymous").status is Status.PASS
    assert all(auth != f"Bearer {tokens[0]}" for _, auth in methods)  # never as the owner


def test_latency_pass_fail_and_model_threshold() -> None:
    with Site(
        {"/": Resp(200, "fast"), "/slow": Resp(200, "slow", delay=0.12), "POST /api/chat": Resp(200, "ai", delay=0.12)}
    ) as site:
        ok = run_area(latency, [site], latency_samples=4)
        eps = [Endpoint(path="/slow"), Endpoint(path="/api/chat", method="POST", body={"m": 1}, model=True)]
        r = run_area(
            latency,
            [site],
            latency_endpoints=eps,
            latency_samples=4,
            latency_threshold_ms=80,
            latency_model_threshold_ms=2000,
        )
        assert site.count("/slow") == 4
    c = one(ok, "latency.p95")
    assert (
        c.status is Status.PASS
        and c.evidence["samples"] == 4
        and c.evidence["p50_ms"] <= c.evidence["p95_ms"] <= c.evidence["p99_ms"]
    )
    by = {x.target: x for x in r["latency.p95"]}
    assert by[site.url + "slow"].status is Status.FAIL
    assert by[site.url + "api/chat"].status is Status.PASS


def test_latency_errors() -> None:
    with Site({"/": Resp(502, "bad gateway")}) as site:
        r = run_area(latency, [site], latency_samples=3)
    assert one(r, "latency.p95").status is Status.ERROR
    with Site({"/": HANG}) as site:
        r = run_area(latency, [site], latency_samples=3, timeout=0.3)
    assert one(r, "latency.p95").status is Status.ERROR


def test_target_for_api_paths() -> None:
    t = Target(url="https://app.example.com/", api_url="https://api.example.com/v1")
    assert CHAT.url_for(t.api) == "https://api.example.com/v1/api/chat"
    assert Endpoint(path="https://x.example.com/y").url_for(t.api) == "https://x.example.com/y"


def test_authz_shared_common_values_are_not_owner_data(tokens) -> None:
    a, _b = tokens

    def handler(req: Request) -> Resp:
        if req.headers.get("authorization") == f"Bearer {a}":
            return jsonr(
                {
                    "id": "chat_8f2k",
                    "status": "completed",
                    "created": "2026-01-01T10:00:00Z",
                    "title": "Alice's launch plan",
                }
            )
        return jsonr({"id": "chat_x", "status": "completed", "created": "2026-01-01T10:00:00Z", "title": "Bob's notes"})

    with Site({"/api/chats/chat_8f2k": handler}) as site:
        r = run_area(authz, [site], identities=IDS, authz_resources=[RES])
    assert one(r, "authz.cross-user").status is Status.WARN  # a 2xx, but not A's data
    with Site({"/api/chats/chat_8f2k": handler}) as site:
        r = run_area(
            authz, [site], identities=IDS, authz_resources=[Endpoint(path="/api/chats/chat_8f2k", markers=("Bob's",))]
        )
    assert one(r, "authz.cross-user").status is Status.FAIL  # a configured marker decides


def test_cookie_and_header_identities(monkeypatch: pytest.MonkeyPatch) -> None:
    kg = KeyGen(5)
    cookie, key = kg.chars(32), kg.chars(40)
    monkeypatch.setenv("LR_T_COOKIE", cookie)
    monkeypatch.setenv("LR_T_KEY", key)
    ids = {
        "a": Identity("a", "header", "LR_T_KEY", header="X-Api-Key"),
        "b": Identity("b", "cookie", "LR_T_COOKIE", header="sid"),
    }

    def handler(req: Request) -> Resp:
        if req.headers.get("x-api-key") == key:
            return jsonr(CHAT_A)
        if req.headers.get("cookie") == f"sid={cookie}":
            return jsonr({"error": "forbidden"}, 403)
        return jsonr({"error": "login"}, 401)

    with Site({"/api/chats/chat_8f2k": handler}) as site:
        r = run_area(authz, [site], identities=ids, authz_resources=[RES])
        assert site.log[1].headers.get("cookie") == f"sid={cookie}"
    assert one(r, "authz.cross-user").status is Status.PASS and "403" in one(r, "authz.cross-user").message
    assert one(r, "authz.anonymous").status is Status.PASS
    assert cookie not in str(r) and key not in str(r)


def test_latency_samples_the_page_a_redirect_lands_on_and_needs_2xx() -> None:
    with Site(
        {"/": Resp(301, "", [("Location", "/home")]), "/home": html("<p>home</p>"), "/denied": Resp(403, "no")}
    ) as site:
        landed = run_area(latency, [site], latency_samples=3)
        denied = run_area(latency, [site], url=site.url + "denied", latency_samples=3)
    c = one(landed, "latency.p95")
    assert c.status is Status.PASS and c.target.endswith("/home") and c.evidence["statuses"] == {"200": 3}
    d = one(denied, "latency.p95")  # timings of an error page say nothing
    assert d.status is Status.ERROR and "403 x3" in d.message
