"""Credentials follow no redirect off the target, link-local and metadata addresses are
never contacted, and a page that is not the target's is never judged as the target's.
Real loopback sites, the real CLI."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.live.site import Resp, Site, html

from launchready.live.http import forbidden_address

from .drive import loopback_only  # noqa: F401

pytestmark = pytest.mark.timeout(60)
OTHER = "elsewhere.launchready.test"


def _live(
    run_cli, tmp_path: Path, sites: list[Site], live: dict[str, Any], *only: str
) -> tuple[Any, dict[str, list[dict[str, Any]]]]:  # type: ignore[no-untyped-def]
    (tmp_path / ".launchready.yml").write_text(yaml.safe_dump({"version": 1, "live": live}))
    args = ["live", "--json", "-", "--timeout", "3"]
    for s in sites:
        args += ["--resolve", s.resolve]
    for o in only:
        args += ["--only", o]
    res = run_cli(args, tmp_path)
    report = json.loads(res.out) if res.out.startswith("{") else {"checks": []}
    checks: dict[str, list[dict[str, Any]]] = {}
    for c in report["checks"]:
        checks.setdefault(c["id"], []).append(c)
    return res, checks


@pytest.fixture
def creds(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "LR_BYPASS": "bypass-" + "5" * 24,
        "LR_PW": "pw-" + "8" * 18,
        "LR_TOKEN_A": "tok-a-" + "1" * 20,
        "LR_TOKEN_B": "tok-b-" + "2" * 20,
    }
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    return values


def _credentialed(target: str, **more: Any) -> dict[str, Any]:
    return {
        "targets": [{"url": target}],
        "headers": {"x-vercel-protection-bypass": {"env": "LR_BYPASS"}},
        "basic_auth": {"username": "preview", "password_env": "LR_PW"},
        **more,
    }


def test_cross_origin_redirect_drops_every_credential_and_is_not_judged(
    run_cli, tmp_path: Path, creds: dict[str, str]
) -> None:
    with (
        Site({"/landing": html("<p>someone else's page</p>")}, host=OTHER) as other,
        Site({"/": Resp(302, "", [("Location", f"{other.url}landing")])}) as site,
    ):
        res, checks = _live(run_cli, tmp_path, [site, other], _credentialed(site.url), "headers", "bundle")
        first = site.log[0].headers
        followed = [r.headers for r in other.log]
    assert first["x-vercel-protection-bypass"] == creds["LR_BYPASS"]
    assert first["authorization"] == "Basic " + base64.b64encode(f"preview:{creds['LR_PW']}".encode()).decode()
    assert followed, "the redirect was followed"
    for h in followed:
        assert "x-vercel-protection-bypass" not in h and "authorization" not in h and "cookie" not in h
    for cid in ("headers.csp", "bundle.secret"):
        [c] = checks[cid]
        assert c["status"] == "error" and "another host" in c["message"] and OTHER in c["message"], c
    assert res.code == 1
    assert creds["LR_BYPASS"] not in res.out + res.err and creds["LR_PW"] not in res.out + res.err


def test_redirect_chain_longer_than_five_is_an_error(run_cli, tmp_path: Path, creds: dict[str, str]) -> None:
    routes: dict[str, Any] = {f"/{i}": Resp(302, "", [("Location", f"/{i + 1}")]) for i in range(8)}
    routes["/"] = Resp(302, "", [("Location", "/0")])
    routes["/8"] = html("<p>finally</p>")
    with Site(routes) as site:
        _res, checks = _live(run_cli, tmp_path, [site], {"targets": [site.url]}, "headers.csp", "bundle")
        sent = len(site.log)
    for cid in ("headers.csp", "bundle.secret"):
        [c] = checks[cid]
        assert c["status"] == "error" and "still redirecting after 5 redirects" in c["message"], c
    assert sent == 6  # the first request and five hops, shared by both checks


def test_same_site_redirects_are_still_followed_and_judged(run_cli, tmp_path: Path, creds: dict[str, str]) -> None:
    with Site({"/": Resp(301, "", [("Location", "/app/")]), "/app/": html("<p>app</p>")}) as site:
        _res, checks = _live(run_cli, tmp_path, [site], _credentialed(site.url), "headers.csp")
        logged = [r.headers for r in site.log]
    [c] = checks["headers.csp"]
    assert c["status"] in ("fail", "warn", "pass") and "another host" not in c["message"]
    assert all(h.get("x-vercel-protection-bypass") == creds["LR_BYPASS"] for h in logged)


@pytest.mark.parametrize(
    "where",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[fd00:ec2::254]/latest/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://[fe80::1]/",
    ],
)
def test_redirect_to_a_metadata_address_is_never_contacted(
    run_cli,
    tmp_path: Path,
    creds: dict[str, str],
    loopback_only: list[str],  # noqa: F811 - the fixture, by name
    where: str,
) -> None:
    with Site({"/": Resp(302, "", [("Location", where)])}) as site:
        _res, checks = _live(run_cli, tmp_path, [site], _credentialed(site.url), "headers.csp", "bundle")
    assert loopback_only == []
    for cid in ("headers.csp", "bundle.secret"):
        [c] = checks[cid]
        assert c["status"] == "error" and "link-local or cloud metadata" in c["message"], c


def test_identity_credentials_are_not_sent_to_an_origin_that_is_not_a_target(
    run_cli, tmp_path: Path, creds: dict[str, str]
) -> None:
    with Site({"/api/chats/1": html("{}")}, host=OTHER) as other, Site({"/": html("<p>app</p>")}) as site:
        live = {
            "targets": [site.url],
            "identities": {"a": {"token_env": "LR_TOKEN_A"}, "b": {"token_env": "LR_TOKEN_B"}},
            "authz": {"resources": [{"url": f"{other.url}api/chats/1"}]},
        }
        _res, checks = _live(run_cli, tmp_path, [site, other], live, "authz")
        seen = [r.headers for r in other.log]
    assert all("authorization" not in h for h in seen)
    assert checks["authz.cross-user"][0]["status"] == "error"
    assert "not a configured target" in checks["authz.cross-user"][0]["message"]


@pytest.mark.parametrize(
    "addr, bad",
    [
        ("169.254.169.254", True),
        ("169.254.0.1", True),
        ("::ffff:169.254.169.254", True),
        ("fe80::1%eth0", True),
        ("fd00:ec2::254", True),
        ("METADATA.google.internal.", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("example.com", False),
    ],
)
def test_forbidden_addresses(addr: str, bad: bool) -> None:
    assert forbidden_address(addr) is bad
