"""Sites that cannot be judged must never pass: the app down behind nginx (502), an empty web
root (nginx's 403), and a server that accepts connections and never answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import assert_statuses
from .expect import EVERY_ID, GOOD_SITE
from .servers import Deployment, Stack, hanging_server


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("outages")
    with Stack(tmp, [Deployment("down", "down", True), Deployment("empty", "empty", True)]) as s:
        yield s


PAGE_CHECKS = (
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
    "bundle.secret",
    "exposure.source-maps",
)
EXAMPLE_CHECKS = (
    "input.malformed-json",
    "input.content-type",
    "input.field-types",
    "input.body-size",
    "ratelimit.burst",
    "authz.cross-user",
    "authz.anonymous",
)


def test_app_down_behind_nginx(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["down"])
    assert_statuses(
        run,
        {
            **GOOD_SITE,  # nginx itself (TLS, redirect, dotfile rule) still judged
            **{cid: "error" for cid in PAGE_CHECKS + EXAMPLE_CHECKS},
            # a 502 is not the app's CORS policy, not its debug page, not its absence of backups
            **{cid: "error" for cid in EVERY_ID if cid.startswith("cors.")},
            "exposure.backup-files": "error",
            "exposure.debug-page": "error",
            "latency.p95": "error",
            "monitoring.health": "fail",
        },
    )  # an uptime monitor would see exactly this
    assert "502" in run.check("input.malformed-json")["message"]
    assert "502" in run.check("ratelimit.burst")["message"]
    assert "502" in run.check("headers.csp")["message"]
    assert run.code == 1


def test_empty_web_root(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["empty"])
    assert_statuses(
        run,
        {
            **GOOD_SITE,
            **{cid: "error" for cid in PAGE_CHECKS + EXAMPLE_CHECKS},
            "latency.p95": "error",
            "monitoring.health": "fail",
        },
    )
    bundle = run.check("bundle.secret")
    assert "403" in bundle["message"] and "no secrets" not in bundle["message"]
    assert run.code == 1


def test_site_that_hangs_after_accept(tmp_path: Path, live, stack: Stack) -> None:
    timeout = 2.0
    with hanging_server() as https_port, hanging_server() as http_port:
        d = Deployment("hang", "hang", True, https_port=https_port, http_port=http_port)
        run = live(stack, d, "--timeout", str(timeout))
    st = run.status()
    assert {cid: s for cid, s in st.items() if s not in ("error", "skip")} == {}
    assert set(st) == set(EVERY_ID)
    assert [cid for cid, s in st.items() if s == "skip"] == ["monitoring.status-page"]
    assert run.seconds < 2 * timeout, run.seconds
    messages = {c["message"] for c in run.report["checks"] if c["status"] == "error"}
    assert any("target unreachable" in m and "timed out after 2 s" in m for m in messages), messages
    assert run.code == 1
