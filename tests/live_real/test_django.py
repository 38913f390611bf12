"""Django on gunicorn behind nginx: good (limits like django-ratelimit: 403) and flawed (DEBUG)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("django", reason="django not installed (pip install -e '.[test]')")
pytest.importorskip("gunicorn", reason="gunicorn not installed (pip install -e '.[test]')")

from .conftest import assert_statuses
from .expect import FLAWED_SITE, GOOD_SITE
from .servers import Deployment, Stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("django")
    with Stack(tmp, [Deployment("good", "django", True), Deployment("flawed", "django", False)]) as s:
        yield s


def test_good_django(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["good"])
    assert_statuses(run, GOOD_SITE)
    # csrftoken is meant to be read by scripts: left out of the HttpOnly check, and the message says so
    httponly = run.check("cookies.httponly")
    assert "csrftoken" in httponly["message"] and "left out" in httponly["message"]
    # django-ratelimit's way: 403 once the limit is reached, shown in the evidence
    burst = run.check("ratelimit.burst")
    assert burst["evidence"]["limited_status"] == 403 and burst["evidence"]["statuses"]["403"] == 2
    assert run.code == 0


def test_flawed_django(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["flawed"])
    assert_statuses(
        run,
        {
            **FLAWED_SITE,
            # DEBUG = True: the not-found page is Django's debug page (You’re, with U+2019)
            "exposure.debug-page": "fail",
            # unvalidated json.loads: a 500 debug page for bad JSON, types and the oversized body
            "input.malformed-json": "fail",
            "input.field-types": "fail",
            "input.body-size": "fail",
            "input.content-type": "fail",
            # sessionid without HttpOnly/Secure, csrftoken without Secure
            "cookies.secure": "fail",
            "cookies.httponly": "fail",
        },
    )
    assert "DEBUG = True" in run.check("exposure.debug-page")["message"]
    assert "sessionid" in run.check("cookies.httponly")["message"]
    assert run.code == 1
