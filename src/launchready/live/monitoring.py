"""``monitoring.*``: what an uptime monitor would watch, when the config names it.

``live.monitoring.health`` (a path or URL) must answer 2xx with a health document, not the
site's HTML shell (many single-page apps answer 200 HTML for every path) and not a JSON
body that reports itself down. ``live.monitoring.status_page`` (a URL) must answer 2xx.
Without configuration both are ``skip``: readiness cannot be seen from outside.
"""

from __future__ import annotations

import json

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, result, skipped
from launchready.live.config import Endpoint, Target
from launchready.live.exposure import looks_html
from launchready.model import CheckResult, Severity, Status

AREA = "monitoring"
PHASE = 0
IDS = ("monitoring.health", "monitoring.status-page")
FIX = {
    "monitoring.health": 'Serve a cheap health endpoint (e.g. /health answering 200 {"status": "ok"} after checking the database) and point an uptime monitor at it.',
    "monitoring.status-page": "Publish a status page (or fix the configured URL) so users can see incidents.",
}
_DOWN = {"down", "error", "fail", "failing", "unhealthy", "critical"}


def _health_url(run: Run, target: Target) -> str | None:
    h = run.settings.monitoring_health
    return Endpoint(path=h).url_for(target.api) if h else None


def plan(run: Run, target: Target) -> list[Planned]:
    out = []
    url = _health_url(run, target)
    if url:
        out.append(Planned("GET", url, "monitoring.health"))
    if run.settings.monitoring_status_page:
        out.append(Planned("GET", run.settings.monitoring_status_page, "monitoring.status-page"))
    return out


def check(run: Run, target: Target) -> list[CheckResult]:
    out: list[CheckResult] = []
    url = _health_url(run, target)
    if url is None:
        out.append(
            skipped(
                "monitoring.health", target.url, "not checked from outside: set live.monitoring.health (e.g. /health)"
            )
        )
    else:
        out.append(_health(run, url))
    page = run.settings.monitoring_status_page
    if not page:
        out.append(
            skipped("monitoring.status-page", target.url, "no status page configured (live.monitoring.status_page)")
        )
    else:
        try:
            r = run.client.request("monitoring.status-page", "GET", page, allow_redirects=True)
        except NETWORK_ERRORS as exc:
            out.append(errored("monitoring.status-page", Severity.LOW, page, exc))
        else:
            ok = 200 <= r.status < 300
            out.append(
                result(
                    "monitoring.status-page",
                    Status.PASS if ok else Status.FAIL,
                    Severity.LOW,
                    page,
                    f"status page answers {r.status}",
                    "" if ok else FIX["monitoring.status-page"],
                    {"status": r.status},
                )
            )
    return out


def _health(run: Run, url: str) -> CheckResult:
    cid = "monitoring.health"
    try:
        r = run.client.request(cid, "GET", url)
    except NETWORK_ERRORS as exc:
        return errored(cid, Severity.MEDIUM, url, exc, FIX[cid])
    ev: dict[str, object] = {"status": r.status, "ms": round(r.elapsed_ms), "content_type": r.content_type}
    if not 200 <= r.status < 300:
        return result(cid, Status.FAIL, Severity.MEDIUM, url, f"health endpoint answers {r.status}", FIX[cid], ev)
    if looks_html(r.body):
        return result(
            cid,
            Status.FAIL,
            Severity.MEDIUM,
            url,
            "answers an HTML page, not a health check (an uptime monitor would always see 'up')",
            FIX[cid],
            ev,
        )
    try:
        doc = json.loads(r.body) if r.body.strip() else None
    except (ValueError, RecursionError):
        doc = None
    if isinstance(doc, dict):
        state = str(doc.get("status", doc.get("state", ""))).lower()
        ev["reported"] = state[:40]
        if state in _DOWN:
            return result(cid, Status.FAIL, Severity.MEDIUM, url, f"health endpoint reports {state!r}", FIX[cid], ev)
    return result(
        cid,
        Status.PASS,
        Severity.MEDIUM,
        url,
        f"health endpoint answers {r.status} in {r.elapsed_ms:.0f} ms",
        evidence=ev,
    )
