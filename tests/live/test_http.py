"""The session factory and client: --resolve (with SNI), --ca-bundle, budgets, caps, failures."""

from __future__ import annotations

import pytest
import requests

from launchready.errors import UsageError
from launchready.live.http import (
    USER_AGENT,
    Budget,
    BudgetExceeded,
    Client,
    DryRun,
    HttpOptions,
    OffTarget,
    make_session,
    parse_resolve,
    resolve_map,
    safe_headers,
)

from .conftest import client_for
from .site import HANG, HOST, RESET, Raw, Resp, Site, html


def test_parse_resolve() -> None:
    assert parse_resolve("Example.com:443:127.0.0.1") == ("example.com", 443, "127.0.0.1")
    assert parse_resolve("example.com:8443:[::1]") == ("example.com", 8443, "::1")
    assert parse_resolve("example.com:8443:::1") == ("example.com", 8443, "::1")
    for bad in ("example.com", "example.com:x:127.0.0.1", "example.com:0:127.0.0.1", ":443:1.2.3.4"):
        with pytest.raises(UsageError):
            parse_resolve(bad)


def test_resolve_keeps_sni_and_verifies_the_original_host(ca) -> None:
    with Site({"/": html("hello")}, tls=ca.server_context(HOST)) as site:
        s = make_session(HttpOptions(ca_bundle=str(ca.path), resolve=resolve_map([site.resolve])))
        r = s.get(site.url, timeout=5)
        assert r.status_code == 200 and r.text == "hello"
        assert site.log[-1].headers["host"] == f"{HOST}:{site.port}"
        assert site.log[-1].headers["user-agent"] == USER_AGENT
        assert USER_AGENT.startswith("launchready/") and "(+https://github.com/launchready/launchready)" in USER_AGENT
        # without the CA bundle the same certificate is not trusted
        plain = make_session(HttpOptions(resolve=resolve_map([site.resolve])))
        with pytest.raises(requests.exceptions.SSLError):
            plain.get(site.url, timeout=5)


def test_ca_bundle_wins_over_environment(ca, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    with Site({"/": html("ok")}, tls=ca.server_context(HOST)) as site:
        s = make_session(HttpOptions(ca_bundle=str(ca.path), resolve=resolve_map([site.resolve])))
        assert s.get(site.url, timeout=5).status_code == 200


def test_wrong_host_certificate_is_refused(ca) -> None:
    with Site({"/": html("x")}, tls=ca.server_context("other.launchready.test")) as site:
        s = make_session(HttpOptions(ca_bundle=str(ca.path), resolve=resolve_map([site.resolve])))
        with pytest.raises(requests.exceptions.SSLError):
            s.get(site.url, timeout=5)


def test_budget_and_per_check_cap() -> None:
    with Site({"/": Resp(200, "x")}) as site:
        c = client_for([site], budget=Budget(requests=3, seconds=30, per_check=2))
        c.request("a", "GET", site.url)
        c.request("a", "GET", site.url)
        with pytest.raises(BudgetExceeded, match="per-check cap"):
            c.request("a", "GET", site.url)
        c.request("b", "GET", site.url)
        with pytest.raises(BudgetExceeded, match="request budget"):
            c.request("c", "GET", site.url)
        assert c.sent == 3 and site.count("/") == 3


def test_time_budget() -> None:
    with Site({"/": Resp(200, "x")}) as site:
        c = client_for([site], budget=Budget(requests=10, seconds=0.001, per_check=10))
        import time

        time.sleep(0.01)
        with pytest.raises(BudgetExceeded, match="time budget"):
            c.request("a", "GET", site.url)
        assert site.count() == 0


def test_dry_run_sends_nothing() -> None:
    with Site({"/": Resp(200, "x")}) as site:
        c = Client(HttpOptions(resolve=resolve_map([site.resolve])), Budget(), dry_run=True)
        with pytest.raises(DryRun):
            c.request("a", "GET", site.url)
        assert c.planned == [("a", "GET", site.url)] and c.sent == 0 and site.count() == 0


@pytest.mark.parametrize(
    "route",
    [
        HANG,
        RESET,
        Raw(b"HTTX/1.1 200 OK\r\nServer: x\r\n\r\nbody"),
        Raw(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n"),
    ],
)
def test_network_failures_raise(route: object) -> None:
    with Site({"/": route}) as site:  # type: ignore[dict-item]
        c = client_for([site], timeout=0.5)
        with pytest.raises(requests.RequestException):
            c.request("a", "GET", site.url)
        assert c.sent == 1


def test_body_is_capped() -> None:
    from launchready.live.http import MAX_BODY

    with Site({"/": Resp(200, b"A" * (MAX_BODY + 5000))}) as site:
        r = client_for([site]).request("a", "GET", site.url)
        assert r.truncated and len(r.body) == MAX_BODY


def test_safe_headers_redact_credentials() -> None:
    shown = safe_headers(
        {"Authorization": "Bearer abcdefgh123", "Set-Cookie": "sid=abcdef123456; HttpOnly", "Server": "nginx"}
    )
    assert shown["Authorization"] == "[redacted]"
    assert shown["Set-Cookie"] == "sid=[redacted]; HttpOnly"
    assert "abcdef123456" not in str(shown) and shown["Server"] == "nginx"


def test_shared_get_fetches_once() -> None:
    with Site({"/": Resp(200, "x")}) as site:
        c = client_for([site])
        a = c.get_shared("a", site.url)
        b = c.get_shared("b", site.url)
        assert a is b and site.count("/") == 1


def test_shared_page_follows_redirects_and_counts_hops() -> None:
    with Site(
        {
            "/": Resp(301, "", [("Location", "/home")]),
            "/home": Resp(302, "", [("Location", "/app/")]),
            "/app/": html("<p>the app</p>"),
        }
    ) as site:
        c = client_for([site])
        page = c.get_shared("a", site.url)
        assert page.status == 200 and page.url.endswith("/app/") and c.sent == 3
    with Site({"/": Resp(301, "", [("Location", "/")])}) as loop:  # a redirect loop stops: nothing to judge
        c = client_for([loop])
        with pytest.raises(OffTarget, match="redirect loop"):
            c.get_shared("a", loop.url)
        assert c.sent <= 2


def test_resolve_to_ipv6_loopback(ca) -> None:
    import socket

    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with Site({"/": html("v6")}, tls=ca.server_context(HOST), bind="::1") as site:
        assert site.resolve.endswith(":[::1]")
        s = make_session(HttpOptions(ca_bundle=str(ca.path), resolve=resolve_map([site.resolve])))
        assert s.get(site.url, timeout=5).text == "v6"


def test_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with Site({}) as proxy:
        proxy.default = Resp(200, "via proxy")
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        c = Client(HttpOptions(), Budget())
        r = c.request("a", "GET", "http://far-away.launchready.test/page")
        assert r.text == "via proxy"
        assert proxy.log[0].path == "http://far-away.launchready.test/page"
        assert proxy.log[0].headers["user-agent"] == USER_AGENT


def test_requests_in_flight_stay_within_concurrency() -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow(req):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        import time

        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return Resp(200, "ok")

    with Site({"/": slow}) as site:
        c = Client(HttpOptions(resolve=resolve_map([site.resolve])), Budget(), in_flight=2)
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda i: c.request(f"c{i}", "GET", site.url), range(12)))
    assert state["max"] == 2 and c.sent == 12


def test_an_origin_that_keeps_refusing_is_given_up() -> None:
    from launchready.live.http import DOWN_AFTER, HostDown

    with Site() as dead:
        pass
    c = client_for([dead], timeout=1)
    for _ in range(DOWN_AFTER):
        with pytest.raises(requests.ConnectionError):
            c.request("a", "GET", dead.url)
    with pytest.raises(HostDown, match="in a row"):
        c.request("a", "GET", dead.url + "other")
    assert c.sent == DOWN_AFTER


def test_a_hanging_endpoint_does_not_mark_the_origin_down() -> None:
    with Site({"/hang": HANG, "/": Resp(200, "ok")}) as site:
        c = client_for([site], timeout=0.3)
        # the site answered before (an origin that never answered is given up at its first timeout)
        assert c.request("a", "GET", site.url).status == 200
        for _ in range(4):
            with pytest.raises(requests.RequestException):
                c.request("a", "GET", site.url + "hang")
        assert c.request("a", "GET", site.url).status == 200
