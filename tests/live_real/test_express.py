"""Express 5 on node behind nginx: production (good) and development mode (flawed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import assert_statuses
from .expect import FLAWED_SITE, GOOD_SITE
from .servers import Deployment, Stack, node_modules_for_express


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("express")
    modules = node_modules_for_express(tmp_path_factory.mktemp("npm"))
    with Stack(tmp, [Deployment("good", "express", True), Deployment("flawed", "express", False)], modules) as s:
        yield s


def test_good_express(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["good"])
    assert_statuses(run, GOOD_SITE)
    assert run.code == 0


def test_flawed_express(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["flawed"])
    assert_statuses(
        run,
        {
            **FLAWED_SITE,
            # the development error handler: a 400 whose HTML body is the stack trace (<br> &nbsp;&nbsp;at ...)
            "input.malformed-json": "fail",
            "input.content-type": "fail",
            "input.field-types": "fail",
            "input.body-size": "fail",
            # Origin reflected with credentials, any method and header allowed
            "cors.arbitrary-origin": "fail",
            "cors.null-origin": "fail",
            "cors.origin-bypass": "fail",
            "cors.http-origin": "fail",
            "cors.preflight-permissive": "warn",
            # connect.sid without any attribute
            "cookies.secure": "fail",
            "cookies.httponly": "fail",
            "cookies.samesite": "fail",
        },
    )
    malformed = run.check("input.malformed-json")
    assert malformed["evidence"]["status"] == 400 and "stack_trace" in malformed["evidence"]
    assert "X-Powered-By" in run.check("headers.version-disclosure")["message"]
    assert run.code == 1
