"""``ratelimit.*``: a bounded burst just above each configured endpoint's limit.

Runs last (after authz, so a lockout cannot spoil those checks), one request at a time, and
stops at the first 429 (or 503 with Retry-After). Never sends more than ``limit + margin``
requests nor the per-check cap. Login endpoints (``kind: login``) are judged for lockout or
backoff: a 429/423, a Retry-After, or answers that slow down markedly.
"""

from __future__ import annotations

import json
import re

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, result
from launchready.live.config import Endpoint, MissingIdentity, Target
from launchready.live.http import BudgetExceeded, Fetched, describe_error
from launchready.model import CheckResult, Severity, Status

AREA = "ratelimit"
PHASE = 3
IDS = ("ratelimit.burst", "ratelimit.login-lockout")
FIX = {
    "ratelimit.burst": "Add a per-user and per-IP rate limit (429 with Retry-After) in front of this endpoint; model endpoints cost money per call.",
    "ratelimit.login-lockout": "Slow down or lock out repeated failed logins per account and per IP (429/423 with Retry-After).",
}


def margin(e: Endpoint) -> int:
    limit = e.limit or 1
    return e.margin if e.margin is not None else max(2, limit // 5)


def burst_size(run: Run, e: Endpoint) -> int:
    return min((e.limit or 1) + margin(e), run.client.budget.per_check)


def plan(run: Run, target: Target) -> list[Planned]:
    out: list[Planned] = []
    for e in run.settings.ratelimit_endpoints:
        n = burst_size(run, e)
        out += [
            Planned(e.method, e.url_for(target.api), f"{_id(e)}: burst {i}/{n}, stops at the first 429")
            for i in range(1, n + 1)
        ]
    return out


def _id(e: Endpoint) -> str:
    return "ratelimit.login-lockout" if e.kind == "login" else "ratelimit.burst"


def _limited(r: Fetched) -> bool:
    return r.status in (429, 423) or (r.status == 503 and r.header("Retry-After") is not None)


_LOCKOUT = re.compile(
    r"too many (?:requests|attempts|login|failed)|rate.?limit(?:ed)?\b|locked out|account (?:is )?locked|"
    r"try again (?:later|in \d+)|slow down",
    re.I,
)


def _lockout_message(r: Fetched) -> str | None:
    m = _LOCKOUT.search(r.text[:65536])
    return m.group(0)[:60] if m else None


def _example_failed(cid: str, first: Fetched) -> str | None:
    """Why the first (example) request shows the endpoint does not work, else None. A burst
    endpoint's example must succeed; a login's may be refused (a wrong password), but not
    with a server error or a missing route."""
    if _limited(first):
        return None
    if first.status >= 500:
        return f"the first request answered {first.status} (server error) before any limit"
    if cid == "ratelimit.burst" and not 200 <= first.status < 400:
        return f"the example request answered {first.status}: it must succeed before a limit can be seen (check path, body, identity)"
    if first.status in (404, 405):
        return f"the login endpoint answered {first.status} (no such route)"
    return None


def _changed(first: Fetched, r: Fetched) -> bool:
    """A limit that does not answer 429: the status turns to 403/429/423 (django-ratelimit
    answers 403), or a lockout message appears that the first answer did not carry."""
    if r.status in (403, 429, 423) and r.status != first.status:
        return True
    return _lockout_message(r) is not None and _lockout_message(first) is None


def _rate_headers(r: Fetched) -> dict[str, str]:
    return {
        k: v[:100]
        for k, v in r.headers.items()
        if k.lower() == "retry-after" or k.lower().startswith(("ratelimit", "x-ratelimit", "x-rate-limit"))
    }


def check(run: Run, target: Target) -> list[CheckResult]:
    if not run.settings.ratelimit_endpoints:
        return [
            result(
                i, Status.SKIP, Severity.HIGH, target.api, "needs endpoints with a 'limit' in live.ratelimit.endpoints"
            )
            for i in IDS
        ]
    out = []
    for e in run.settings.ratelimit_endpoints:
        if run.selected(_id(e)):
            out.append(_burst(run, e, e.url_for(target.api)))
    return out


def _burst(run: Run, e: Endpoint, url: str) -> CheckResult:
    cid = _id(e)
    limit = e.limit or 1
    allowed = limit + margin(e)
    cap = burst_size(run, e)
    headers = {"Content-Type": e.content_type, **dict(e.headers)}
    try:
        if e.identity:
            headers.update(run.settings.identities[e.identity].headers())
    except MissingIdentity as exc:
        return result(cid, Status.ERROR, Severity.HIGH, url, f"could not check: {exc}")
    body = (
        None
        if e.method in ("GET", "HEAD")
        else (
            json.dumps(e.body).encode()
            if e.body is not None and "json" in e.content_type
            else (str(e.body).encode() if e.body is not None else None)
        )
    )
    statuses: dict[str, int] = {}
    times: list[float] = []
    hit: Fetched | None = None
    how = ""
    sent = 0
    last: Fetched | None = None
    first: Fetched | None = None
    confirming: Fetched | None = None  # a 403 or lockout message after other answers, to be seen again
    while sent < cap or confirming is not None:
        try:
            r = run.client.request(f"{cid} {url}", e.method, url, headers=headers, data=body)
        except NETWORK_ERRORS as exc:
            if sent == 0:
                return errored(cid, Severity.HIGH, url, exc, FIX[cid])
            if confirming is not None and isinstance(exc, BudgetExceeded):  # seen once, no budget to see it again
                hit, how = (
                    confirming,
                    f"{confirming.status} after {first.status if first else '?'}; not confirmed: {describe_error(exc)}",
                )
                break
            return result(
                cid,
                Status.ERROR,
                Severity.HIGH,
                url,
                f"could not check: request {sent + 1} failed ({describe_error(exc)}) after {sent} answered",
                evidence={"sent": sent, "statuses": statuses},
            )
        sent += 1
        last = r
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
        times.append(r.elapsed_ms)
        if first is None:
            first = r
            failed = _example_failed(cid, r)
            if failed:  # the app is down (502), the endpoint missing (404) or the example refused
                return result(
                    cid,
                    Status.ERROR,
                    Severity.HIGH,
                    url,
                    f"could not check: {failed}",
                    evidence={"sent": sent, "statuses": statuses},
                )
        if _limited(r):
            hit, how = r, str(r.status)
            break
        if confirming is not None:
            if _changed(first, r):
                hit, how = r, f"{r.status}, twice in a row after {first.status}"
                break
            confirming = None
        elif r is not first and _changed(first, r):
            confirming = r
    ev: dict[str, object] = {"limit": limit, "allowed_until": allowed, "sent": sent, "cap": cap, "statuses": statuses}
    if hit is not None:
        ev["limited_at"] = sent
        ev["limited_status"] = hit.status
        ev["rate_headers"] = _rate_headers(hit)
        message = _lockout_message(hit)
        if message:
            ev["lockout_message"] = message
        what = "locked out / slowed" if cid == "ratelimit.login-lockout" else "rate-limited"
        return result(
            cid, Status.PASS, Severity.HIGH, url, f"{what} at request {sent} ({how}) within {allowed}", evidence=ev
        )
    if statuses and all(k.startswith("5") for k in statuses):
        return result(
            cid,
            Status.ERROR,
            Severity.HIGH,
            url,
            f"could not check: every answer was a server error ({', '.join(statuses)})",
            evidence=ev,
        )
    if last is not None:
        ev["rate_headers"] = _rate_headers(last)
    if cid == "ratelimit.login-lockout" and len(times) >= 6:
        first_ms = sorted(times[:3])[1]
        final_ms = sorted(times[-3:])[1]
        ev["first_ms"], ev["last_ms"] = round(first_ms), round(final_ms)
        if final_ms > max(4 * first_ms, first_ms + 1000):
            return result(
                cid,
                Status.PASS,
                Severity.HIGH,
                url,
                f"answers slowed from {first_ms:.0f} ms to {final_ms:.0f} ms (backoff)",
                evidence=ev,
            )
    if cap < allowed:
        return result(
            cid,
            Status.WARN,
            Severity.MEDIUM,
            url,
            f"no 429 within the per-check cap of {cap} (limit {limit} + margin is {allowed}); raise live.budget.per_check to judge",
            FIX[cid],
            ev,
        )
    sev = Severity.HIGH
    msg = (
        f"no lockout or backoff after {sent} failed logins"
        if cid == "ratelimit.login-lockout"
        else f"no 429 after {sent} requests (configured limit {limit})"
    )
    return result(cid, Status.FAIL, sev, url, msg, FIX[cid], ev)
