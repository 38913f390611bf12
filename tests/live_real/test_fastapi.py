"""FastAPI on uvicorn behind nginx: good and flawed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="fastapi not installed (pip install -e '.[test]')")
pytest.importorskip("uvicorn", reason="uvicorn not installed (pip install -e '.[test]')")

from .conftest import assert_statuses
from .expect import FLAWED_SITE, GOOD_SITE, NO_COOKIES
from .servers import Deployment, Stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("fastapi")
    with Stack(tmp, [Deployment("good", "fastapi", True), Deployment("flawed", "fastapi", False)]) as s:
        yield s


def test_good_fastapi(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["good"])
    assert_statuses(run, {**GOOD_SITE, **NO_COOKIES})
    assert run.code == 0


def test_flawed_fastapi(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["flawed"])
    assert_statuses(
        run,
        {
            **FLAWED_SITE,
            **NO_COOKIES,
            # debug=True, hand-parsed JSON: every bad body is a 500 with a traceback; text/plain is accepted
            "input.malformed-json": "fail",
            "input.content-type": "fail",
            "input.field-types": "fail",
            "input.body-size": "fail",
            # allow_origin_regex=".*" with credentials: every origin is trusted
            "cors.arbitrary-origin": "fail",
            "cors.null-origin": "fail",
            "cors.origin-bypass": "fail",
            "cors.http-origin": "fail",
            "cors.preflight-permissive": "warn",
        },
    )
    assert "Traceback" in run.check("input.malformed-json")["evidence"]["stack_trace"]
    assert run.check("cors.arbitrary-origin")["severity"] == "critical"
    assert run.code == 1


def test_small_budget_never_passes_what_it_could_not_see(stack: Stack, live) -> None:
    # the flawed site serves .env, .git/config, a key in its bundle and the bundle's source map
    run = live(stack, stack.deployments["flawed"], "--only", "exposure", "--only", "bundle", "--max-requests", "12")
    st = run.status()
    assert set(st) == {
        "exposure.env-file",
        "exposure.git",
        "exposure.backup-files",
        "exposure.source-maps",
        "exposure.debug-page",
        "bundle.secret",
    }
    assert all(s in ("fail", "error") for s in st.values()), st
    assert run.report["summary"]["requests_sent"] <= 12
