"""Flask behind nginx: on gunicorn (good) and on Werkzeug's dev server with the debugger (flawed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="flask not installed (pip install -e '.[test]')")
pytest.importorskip("gunicorn", reason="gunicorn not installed (pip install -e '.[test]')")

from .conftest import assert_statuses
from .expect import FLAWED_SITE, GOOD_SITE
from .servers import Deployment, Stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp: Path = tmp_path_factory.mktemp("flask")
    with Stack(tmp, [Deployment("good", "flask", True), Deployment("flawed", "flask", False)]) as s:
        yield s


def test_flask_on_gunicorn(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["good"])
    assert_statuses(run, GOOD_SITE)
    assert run.code == 0


def test_flask_on_werkzeug_with_debugger(stack: Stack, live) -> None:
    run = live(stack, stack.deployments["flawed"])
    assert_statuses(
        run,
        {
            **FLAWED_SITE,
            # the Werkzeug debugger: its console at /console
            "exposure.debug-page": "fail",
            # Werkzeug refuses bad JSON itself (400); the rest reaches unvalidated code: 500 with a traceback
            "input.content-type": "fail",
            "input.field-types": "fail",
            "input.body-size": "fail",
            # Flask's session cookie: HttpOnly by default, but neither Secure nor SameSite here
            "cookies.secure": "fail",
            "cookies.samesite": "fail",
        },
    )
    pages = run.check("exposure.debug-page")["evidence"]["pages"]
    assert any(p["url"].endswith("/console") for p in pages)
    assert run.code == 1
