"""``redirect.*``: plain HTTP redirects to HTTPS on the same host; login/API paths never served over HTTP."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, result, skipped
from launchready.live.config import Target
from launchready.live.http import safe_headers
from launchready.model import CheckResult, Severity, Status

AREA = "redirect"
# the application itself answered (a login form or API over plain HTTP), not a refusal
APP_ANSWERS = {401, 403, 405, 409, 422, 429}
PHASE = 0
IDS = ("redirect.https", "redirect.sensitive-paths")
FIX = {
    "redirect.https": "Answer every plain-HTTP request with a 301/308 to https:// on the same host (then HSTS).",
    "redirect.sensitive-paths": "Never serve login or API routes over plain HTTP: redirect them to HTTPS or refuse them.",
}


def _http_base(target: Target) -> str | None:
    return target.plain_http


def plan(run: Run, target: Target) -> list[Planned]:
    base = _http_base(target)
    if base is None:
        return []
    return [Planned("GET", base, "no redirects followed")] + [
        Planned("GET", urljoin(base, p), "sensitive path over plain HTTP") for p in run.settings.redirect_paths
    ]


def _https_host(target: Target) -> str:
    return (urlsplit(target.url).hostname or "").lower()


def check(run: Run, target: Target) -> list[CheckResult]:
    base = _http_base(target)
    if base is None:
        reason = "plain-HTTP URL unknown (the site is not on port 443): set live.targets[].http_url"
        return [skipped(i, target.url, reason) for i in IDS]
    out: list[CheckResult] = []
    host = urlsplit(base).hostname or ""
    try:
        r = run.client.request("redirect.https", "GET", base)
    except NETWORK_ERRORS as exc:
        out.append(errored("redirect.https", Severity.HIGH, base, exc, FIX["redirect.https"]))
    else:
        loc = r.header("Location") or ""
        first = urljoin(base, loc) if loc else ""
        fp = urlsplit(first)
        ev = {"status": r.status, "location": first[:300]}
        same_host = (fp.hostname or "").lower() in (host.lower(), _https_host(target))
        if urlsplit(base).scheme == "https":
            out.append(skipped("redirect.https", base, "the configured http_url is HTTPS"))
        elif r.status in (301, 302, 303, 307, 308) and fp.scheme == "https" and same_host:
            out.append(
                result("redirect.https", Status.PASS, Severity.HIGH, base, f"{r.status} to {first[:120]}", evidence=ev)
            )
        elif r.status in (301, 302, 303, 307, 308) and fp.scheme == "https":
            out.append(
                result(
                    "redirect.https",
                    Status.FAIL,
                    Severity.MEDIUM,
                    base,
                    f"first redirect goes to another host ({fp.hostname}); redirect to HTTPS on {host} first (HSTS needs it)",
                    FIX["redirect.https"],
                    ev,
                )
            )
        elif r.status in (301, 302, 303, 307, 308):
            out.append(
                result(
                    "redirect.https",
                    Status.FAIL,
                    Severity.HIGH,
                    base,
                    f"redirect stays on plain HTTP ({first[:120]})",
                    FIX["redirect.https"],
                    ev,
                )
            )
        else:
            out.append(
                result(
                    "redirect.https",
                    Status.FAIL,
                    Severity.HIGH,
                    base,
                    f"plain HTTP answers {r.status} without redirecting to HTTPS",
                    FIX["redirect.https"],
                    ev,
                )
            )
    served: list[dict[str, object]] = []
    safe: list[dict[str, object]] = []
    failures: list[str] = []
    if target.api_url and urlsplit(target.api_url).scheme == "http":
        served.append({"url": target.api_url, "status": "API URL is http://"})
    for path in run.settings.redirect_paths:
        url = urljoin(base, path)
        try:
            r = run.client.request("redirect.sensitive-paths", "GET", url)
        except NETWORK_ERRORS as exc:
            failures.append(f"{url}: {exc.__class__.__name__}")
            safe.append({"url": url, "status": "no answer over HTTP"})
            continue
        loc = urljoin(url, r.header("Location") or "")
        if 200 <= r.status < 300 or r.status in APP_ANSWERS:
            served.append({"url": url, "status": r.status, "headers": safe_headers(r.headers, ["content-type"])})
        elif 300 <= r.status < 400 and urlsplit(loc).scheme != "https":
            served.append({"url": url, "status": r.status, "location": loc[:200]})
        else:
            safe.append({"url": url, "status": r.status})
    if urlsplit(base).scheme == "https":
        out.append(skipped("redirect.sensitive-paths", base, "the configured http_url is HTTPS"))
    elif failures and len(failures) == len(run.settings.redirect_paths) and not served:
        out.append(
            result(
                "redirect.sensitive-paths",
                Status.ERROR,
                Severity.HIGH,
                base,
                "could not check: no login/API path answered over plain HTTP (" + "; ".join(failures[:3]) + ")",
                evidence={"errors": failures},
            )
        )
    elif served:
        out.append(
            result(
                "redirect.sensitive-paths",
                Status.FAIL,
                Severity.HIGH,
                base,
                f"{len(served)} login/API path(s) answered over plain HTTP",
                FIX["redirect.sensitive-paths"],
                {"served": served, "safe": safe},
            )
        )
    else:
        out.append(
            result(
                "redirect.sensitive-paths",
                Status.PASS,
                Severity.HIGH,
                base,
                f"{len(safe)} login/API path(s) not served over plain HTTP",
                evidence={"safe": safe},
            )
        )
    return out
