"""``latency.p95``: p50/p95/p99 over N sequential samples per endpoint.

Fails when p95 exceeds the threshold (default 500 ms; endpoints marked ``model: true`` use
``live.latency.model_threshold_ms``). Runs in its own phase, one request at a time, so other
checks do not skew the timings.
"""

from __future__ import annotations

import json

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, percentile, result
from launchready.live.config import Endpoint, MissingIdentity, Target
from launchready.model import CheckResult, Severity, Status

AREA = "latency"
PHASE = 2
IDS = ("latency.p95",)
FIX = "Profile the slow endpoint (database queries, cold starts, region far from users); cache or stream model answers."


def endpoints(run: Run, target: Target) -> list[tuple[Endpoint, str]]:
    eps = run.settings.latency_endpoints or [Endpoint(path=target.url)]
    return [(e, e.url_for(target.api if run.settings.latency_endpoints else target.url)) for e in eps]


def plan(run: Run, target: Target) -> list[Planned]:
    n = run.settings.latency_samples
    return [
        Planned(e.method, url, f"latency sample {i}/{n}") for e, url in endpoints(run, target) for i in range(1, n + 1)
    ]


def check(run: Run, target: Target) -> list[CheckResult]:
    eps = endpoints(run, target)
    if not run.settings.latency_endpoints:
        # the default endpoint is the page a browser lands on (``https://example.com`` may
        # redirect to ``https://www.example.com/``): its samples must answer 2xx to count
        try:
            page = run.client.get_shared("latency.p95", target.url)
        except NETWORK_ERRORS:
            pass  # the samples will say why
        else:
            if page.url != target.url and 200 <= page.status < 300:
                eps = [(eps[0][0], page.url)]
    return [_endpoint(run, e, url) for e, url in eps]


def _endpoint(run: Run, e: Endpoint, url: str) -> CheckResult:
    s = run.settings
    threshold = s.latency_model_threshold_ms if e.model else s.latency_threshold_ms
    headers = dict(e.headers)
    try:
        if e.identity:
            headers.update(s.identities[e.identity].headers())
    except MissingIdentity as exc:
        return result("latency.p95", Status.ERROR, Severity.MEDIUM, url, f"could not check: {exc}")
    body = None
    if e.body is not None and e.method not in ("GET", "HEAD"):
        body = json.dumps(e.body).encode()
        headers.setdefault("Content-Type", "application/json")
    samples: list[float] = []
    statuses: dict[str, int] = {}
    for _ in range(s.latency_samples):
        try:
            r = run.client.request(f"latency.p95 {url}", e.method, url, headers=headers, data=body)
        except NETWORK_ERRORS as exc:
            return errored("latency.p95", Severity.MEDIUM, url, exc, FIX)
        samples.append(r.elapsed_ms)
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    ordered = sorted(samples)
    p50, p95, p99 = (percentile(ordered, p) for p in (50, 95, 99))
    ev = {
        "samples": len(samples),
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(ordered[-1], 1),
        "threshold_ms": threshold,
        "model": e.model,
        "statuses": statuses,
    }
    bad = {k: n for k, n in statuses.items() if not k.startswith("2")}
    if bad:  # timings of an error page (a 403, a 502 from a proxy with the app down) say nothing
        seen = ", ".join(f"{k} x{n}" for k, n in sorted(bad.items()))
        return result(
            "latency.p95",
            Status.ERROR,
            Severity.MEDIUM,
            url,
            f"could not check: {sum(bad.values())} of {len(samples)} samples did not answer 2xx ({seen})",
            evidence=ev,
        )
    msg = f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms over {len(samples)} samples"
    if p95 > threshold:
        return result("latency.p95", Status.FAIL, Severity.MEDIUM, url, f"{msg} (p95 over {threshold:.0f} ms)", FIX, ev)
    return result("latency.p95", Status.PASS, Severity.MEDIUM, url, msg, evidence=ev)
