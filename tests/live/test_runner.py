"""The runner: --only/--skip selection, exceptions become error, phases in order."""

from __future__ import annotations

import types

from launchready.config import Config
from launchready.live import authz, ratelimit, runner, tls
from launchready.live.base import Run
from launchready.live.config import LiveSettings, Target
from launchready.live.http import Budget, Client, HttpOptions
from launchready.live.runner import _run_one, area_selected, selector
from launchready.model import Status


def test_selector_prefixes() -> None:
    sel = selector(["tls", "cors.null-origin"], ["tls.legacy"])
    assert sel("tls.expiry") and sel("cors.null-origin")
    assert not sel("tls.legacy-protocols") and not sel("cors.arbitrary-origin")
    assert selector([], [])("anything.at.all")
    assert area_selected(tls, sel) and not area_selected(authz, sel)


def test_exception_in_a_check_is_error_never_pass() -> None:
    def boom(run: Run, target: Target) -> list[object]:
        raise KeyError("unexpected shape")

    broken = types.ModuleType("broken")
    broken.AREA, broken.IDS, broken.PHASE, broken.check = "broken", ("broken.one", "broken.two"), 0, boom  # type: ignore[attr-defined]
    target = Target(url="https://example.test/")
    run = Run(LiveSettings(targets=[target]), Client(HttpOptions(), Budget()), selector([], []))
    found = _run_one(broken, run, target)  # type: ignore[arg-type]
    assert [c.id for c in found] == ["broken.one", "broken.two"]
    assert all(c.status is Status.ERROR and "unexpected shape" in c.message for c in found)


def test_bursts_run_last_and_alone() -> None:
    phases = {m.AREA: m.PHASE for m in runner.AREAS}
    assert phases["ratelimit"] == max(phases.values()) and ratelimit.PHASE in runner.SEQUENTIAL_PHASES
    assert phases["authz"] < phases["ratelimit"] and phases["input"] < phases["ratelimit"]
    assert phases["latency"] in runner.SEQUENTIAL_PHASES


def test_progress_counts_every_area_and_target_once() -> None:
    import socket

    with socket.socket() as s:  # a loopback port with nothing listening: every check errors fast
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    targets = [Target(url=f"https://127.0.0.1:{port}/"), Target(url=f"https://localhost:{port}/")]
    settings = LiveSettings(targets=targets)
    sel = selector(["tls", "headers", "hsts"], [])
    seen: list[tuple[int, int]] = []
    client = Client(HttpOptions(timeout=1.0), Budget())
    try:
        out = runner.run_checks(settings, client, Config(), sel, on_progress=lambda d, t: seen.append((d, t)))
    finally:
        client.close()
    areas = [m for m in runner.AREAS if area_selected(m, sel)]
    total = len(areas) * len(targets)
    assert seen == [(i, total) for i in range(1, total + 1)]
    assert out.checks and all(c.status is not Status.PASS for c in out.checks)
