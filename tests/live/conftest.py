"""Fixtures for the live checks: a throwaway CA and a helper that runs one check area."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from launchready.live.base import Run
from launchready.live.config import LiveSettings, Target
from launchready.live.http import Budget, Client, HttpOptions, resolve_map
from launchready.live.runner import selector
from launchready.model import CheckResult

from .site import CA, Site


@pytest.fixture
def ca(tmp_path: Path) -> CA:
    return CA(tmp_path)


def client_for(
    sites: Iterable[Site],
    ca: CA | None = None,
    budget: Budget | None = None,
    timeout: float = 3.0,
    credential_origins: Iterable[str] = (),
) -> Client:
    options = HttpOptions(
        ca_bundle=str(ca.path) if ca else None,
        resolve=resolve_map([s.resolve for s in sites]),
        timeout=timeout,
        credential_origins=frozenset(credential_origins),
    )
    return Client(options, budget or Budget())


def run_area(
    module: ModuleType,
    sites: list[Site],
    ca: CA | None = None,
    *,
    url: str | None = None,
    budget: Budget | None = None,
    timeout: float = 3.0,
    **settings: Any,
) -> dict[str, list[CheckResult]]:
    """Run one area's ``check`` against the first site (or ``url``); results grouped by id."""
    target = settings.pop("target", None) or Target(url=url or sites[0].url)
    s = LiveSettings(targets=[target], timeout=timeout, **settings)
    run = Run(s, client_for(sites, ca, budget, timeout, s.credential_origins()), selector([], []))
    found = module.check(run, target)
    out: dict[str, list[CheckResult]] = {}
    for c in found:
        out.setdefault(c.id, []).append(c)
    run.client.close()
    return out


def one(results: dict[str, list[CheckResult]], check_id: str) -> CheckResult:
    got = results.get(check_id, [])
    assert len(got) == 1, f"{check_id}: {got}"
    return got[0]
