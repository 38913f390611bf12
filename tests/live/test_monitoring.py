"""monitoring.*: a configured health endpoint and status page, against real loopback servers."""

from __future__ import annotations

from launchready.live import monitoring
from launchready.model import Status

from .conftest import one, run_area
from .site import Resp, Site, jsonr


def test_not_configured_is_skip() -> None:
    with Site() as site:
        r = run_area(monitoring, [site])
    assert all(c.status is Status.SKIP for cs in r.values() for c in cs)
    assert site.log == []


def test_healthy_endpoint_and_status_page() -> None:
    with Site({"/health": jsonr({"status": "ok"}), "/status": Resp(200, "All systems operational")}) as site:
        r = run_area(monitoring, [site], monitoring_health="/health", monitoring_status_page=site.url + "status")
    assert one(r, "monitoring.health").status is Status.PASS
    assert one(r, "monitoring.status-page").status is Status.PASS


def test_spa_shell_is_not_a_health_check() -> None:
    with Site(spa=True) as site:
        r = run_area(monitoring, [site], monitoring_health="/health")
    c = one(r, "monitoring.health")
    assert c.status is Status.FAIL and "HTML" in c.message


def test_unhealthy_and_down() -> None:
    with Site(
        {
            "/health": jsonr({"status": "degraded-but-up"}),
            "/ready": jsonr({"status": "down"}, 200),
            "/live": Resp(503, ""),
        }
    ) as site:
        ok = run_area(monitoring, [site], monitoring_health="/health")
        down = run_area(monitoring, [site], monitoring_health="/ready")
        failing = run_area(monitoring, [site], monitoring_health="/live", monitoring_status_page=site.url + "missing")
    assert one(ok, "monitoring.health").status is Status.PASS
    assert one(down, "monitoring.health").status is Status.FAIL
    assert one(failing, "monitoring.health").status is Status.FAIL
    assert one(failing, "monitoring.status-page").status is Status.FAIL
    with Site() as dead:
        pass
    r = run_area(monitoring, [dead], monitoring_health="/health", timeout=0.5)
    assert one(r, "monitoring.health").status is Status.ERROR
