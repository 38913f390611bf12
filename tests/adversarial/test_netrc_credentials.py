"""No HTTP client of ours takes credentials from ``~/.netrc`` (or ``$NETRC``), while proxies
still come from the environment.

requests with ``trust_env`` (which we keep for HTTPS_PROXY/NO_PROXY) reads the netrc file and
attaches its login, as ``Authorization: Basic``, to every request whose caller gave no
credentials, redirect targets included: a runner's netrc (written by a setup action for a
package registry, say) went to whatever host a deployed site redirected to. Real loopback
sites, a real HOME with a real ``.netrc``, the real CLI in a subprocess."""

from __future__ import annotations

import base64
import json
import os
import secrets
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.live.site import CA, Request, Resp, Site, html, jsonr

from .conftest import Run
from .servers import connect_proxy, dns_for, mta_sts_args, sts_zone

pytestmark = pytest.mark.timeout(120)
OTHER = "elsewhere.launchready.test"
HOOK = "hooks.launchready.test"
PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


def _netrc(path: Path, hosts: list[str]) -> dict[str, str]:
    """A netrc file (mode 600, as the netrc module requires) with a login for each host and a
    ``default`` login for every other host. Returns host -> password (generated)."""
    passwords = {h: "netrc-" + secrets.token_hex(12) for h in [*hosts, "default"]}
    lines = [f"machine {h} login netrc-user password {pw}" for h, pw in passwords.items() if h != "default"]
    lines.append(f"default login netrc-default password {passwords['default']}")
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return passwords


def _cli(args: list[str], cwd: Path, home: Path, env: dict[str, str] | None = None) -> Run:
    """The real CLI with HOME=home, no NETRC and no proxies unless ``env`` sets them."""
    full = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != "NETRC"}
    full.update({"HOME": str(home), **(env or {})})
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", *args], cwd=cwd, capture_output=True, text=True, timeout=90, env=full
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


def _config(tmp_path: Path, doc: dict[str, Any]) -> None:
    (tmp_path / ".launchready.yml").write_text(yaml.safe_dump({"version": 1, **doc}))


def _headers_through_redirect(site: Site, other: Site) -> list[str]:
    """``launchready live`` running the header checks on ``site``, whose page redirects to
    ``other`` (both resolved to loopback), with a JSON report."""
    return ["live", "--only", "headers", "--resolve", site.resolve, "--resolve", other.resolve, "--json", "r.json"]


def _auth(req: Request) -> str | None:
    return req.headers.get("authorization")


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize("where", ["home", "NETRC"])
def test_netrc_never_reaches_the_target_or_a_redirect_target(tmp_path: Path, where: str) -> None:
    """The target redirects off-site; the netrc has a login for both hosts and a default.
    Nothing is configured, so no request carries Authorization. The target's
    ``Domain=`` cookie does not follow the redirect to the sibling host either."""
    home = _home(tmp_path)
    netrc = home / ".netrc" if where == "home" else tmp_path / "elsewhere.netrc"
    with Site({"/landing": html("<p>someone else's page</p>")}, host=OTHER) as other:
        to_other = [("Location", f"{other.url}landing"), ("Set-Cookie", "sid=s3ss10n; Domain=launchready.test; Path=/")]
        with Site({"/": Resp(302, "", to_other)}) as site:
            _netrc(netrc, [site.host, OTHER])
            _config(tmp_path, {"live": {"targets": [{"url": site.url}]}})
            run = _cli(
                _headers_through_redirect(site, other),
                tmp_path,
                home,
                {"NETRC": str(netrc)} if where == "NETRC" else None,
            )
            sent, followed = list(site.log), list(other.log)
    assert run.code in (0, 1), run.err
    assert sent and followed, "the target and the redirect were requested: the attack was exercised"
    assert [_auth(r) for r in sent + followed] == [None] * len(sent + followed)
    assert all("cookie" not in r.headers for r in followed), followed[0].headers


def test_configured_basic_auth_goes_to_the_target_only_and_netrc_to_nobody(tmp_path: Path) -> None:
    home = _home(tmp_path)
    pw = "pw-" + secrets.token_hex(10)
    with (
        Site({"/landing": html("<p>elsewhere</p>")}, host=OTHER) as other,
        Site({"/": Resp(302, "", [("Location", f"{other.url}landing")])}) as site,
    ):
        _netrc(home / ".netrc", [site.host, OTHER])
        _config(
            tmp_path,
            {
                "live": {
                    "targets": [{"url": site.url}],
                    "basic_auth": {"username": "preview", "password_env": "LR_PW"},
                }
            },
        )
        run = _cli(
            _headers_through_redirect(site, other),
            tmp_path,
            home,
            {"LR_PW": pw},
        )
        sent, followed = list(site.log), list(other.log)
    assert run.code in (0, 1), run.err
    assert sent and followed
    assert {_auth(r) for r in sent} == {_basic("preview", pw)}  # ours, not the netrc's
    assert [_auth(r) for r in followed] == [None] * len(followed)
    assert pw not in run.out + run.err


def test_proxies_from_the_environment_still_work(tmp_path: Path) -> None:
    """HTTP_PROXY is honoured (the request goes to the proxy, absolute-form) and NO_PROXY
    exempts a host; the netrc login for the proxied host is sent to neither."""
    home = _home(tmp_path)
    far = "far-away.launchready.test"
    with Site({}) as proxy, Site({"/": html("<p>direct</p>")}, host=OTHER) as direct:
        proxy.default = html("<p>via proxy</p>")
        _netrc(home / ".netrc", [far, OTHER, "127.0.0.1"])
        _config(tmp_path, {"live": {"targets": [{"url": f"http://{far}/"}, {"url": direct.url}]}})
        run = _cli(
            ["live", "--only", "headers", "--resolve", direct.resolve, "--json", "r.json"],
            tmp_path,
            home,
            {"HTTP_PROXY": f"http://127.0.0.1:{proxy.port}", "NO_PROXY": OTHER},
        )
        via, straight = list(proxy.log), list(direct.log)
    assert run.code in (0, 1), run.err
    assert via and all(r.path.startswith(f"http://{far}/") for r in via), [r.path for r in via]
    assert straight, "NO_PROXY host was contacted directly"
    assert [_auth(r) for r in via + straight] == [None] * len(via + straight)


def test_journey_and_its_webhook_take_nothing_from_netrc(tmp_path: Path) -> None:
    """A journey whose login sets a ``Domain=`` session cookie, a step on another host
    (configured by URL), a step back on the site, a failing step, and the change webhook.
    netrc logins exist for every host: none is sent. The session cookie is kept for the
    site (like a browser) but not sent to the other host."""
    home = _home(tmp_path)
    session = "sess-" + secrets.token_hex(8)
    routes = {
        "/login": jsonr({"ok": True}, headers=[("Set-Cookie", f"sid={session}; Domain=launchready.test; Path=/")]),
        "/me": jsonr({"user": "u"}),
    }
    with (
        Site(routes) as site,
        Site({"/ping": jsonr({"ok": True})}, host=OTHER) as other,
        Site({"/hook": Resp(200, "ok")}, host=HOOK) as hook,
    ):
        _netrc(home / ".netrc", [site.host, OTHER, HOOK])
        steps = [
            {"name": "login", "path": "/login", "method": "POST", "json": {"u": "x"}},
            {"name": "other", "url": f"{other.url}ping"},
            {"name": "me", "path": "/me"},
            {"name": "broken", "path": "/missing"},
        ]
        _config(tmp_path, {"journey": {"url": site.url, "steps": steps}})
        run = _cli(
            [
                "journey",
                "--state",
                str(tmp_path / "state.json"),
                "--notify-webhook",
                f"{hook.url}hook",
                "--resolve",
                site.resolve,
                "--resolve",
                other.resolve,
                "--resolve",
                hook.resolve,
                "--json",
                "r.json",
            ],
            tmp_path,
            home,
        )
        sent, elsewhere, posted = list(site.log), list(other.log), list(hook.log)
    assert run.code == 1, run.out + run.err
    report = {c["id"]: c["status"] for c in json.loads((tmp_path / "r.json").read_text())["checks"]}
    assert report == {"journey.login": "pass", "journey.other": "pass", "journey.me": "pass", "journey.broken": "fail"}
    assert elsewhere and posted, "the other host and the webhook were contacted"
    everyone = sent + elsewhere + posted
    assert [_auth(r) for r in everyone] == [None] * len(everyone)
    me = next(r for r in sent if r.path == "/me")
    assert me.headers.get("cookie") == f"sid={session}"  # kept for the site
    assert "cookie" not in elsewhere[0].headers  # not sent to another host


def test_mta_sts_policy_fetch_takes_nothing_from_netrc_and_keeps_https_proxy(tmp_path: Path) -> None:
    """``launchready email``: the policy at https://mta-sts.DOMAIN/ (port 443) is fetched through
    HTTPS_PROXY (a CONNECT tunnel to a loopback TLS server); the netrc login for that host is
    not sent inside the tunnel."""
    domain = "netrc-sts.test"
    home = _home(tmp_path)
    ca = CA(tmp_path)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.ca.issue_cert(f"mta-sts.{domain}").configure_cert(server)
    policy = f"version: STSv1\nmode: enforce\nmx: mail.{domain}\nmax_age: 604800\n"
    routes = {"/.well-known/mta-sts.txt": Resp(200, policy, [("Content-Type", "text/plain")])}
    with (
        dns_for(sts_zone(domain), domain) as dns_server,
        Site(routes, tls=server, host=f"mta-sts.{domain}") as site,
        connect_proxy(site.port) as (proxy, seen),
    ):
        _netrc(home / ".netrc", [f"mta-sts.{domain}"])
        run = _cli(
            mta_sts_args(domain, dns_server.address, ca.path),
            tmp_path,
            home,
            {"HTTPS_PROXY": proxy},
        )
        fetched = list(site.log)
    assert run.code in (0, 1), run.err
    assert any(line.startswith(f"CONNECT mta-sts.{domain}:443") for line in seen), seen
    assert fetched and [_auth(r) for r in fetched] == [None] * len(fetched)
    checks = {c["id"]: c for c in json.loads((tmp_path / "r.json").read_text())["checks"]}
    assert checks["email.mta-sts.policy"]["status"] == "pass", checks["email.mta-sts.policy"]
