"""``cookies.*``: session-like cookies set without Secure, HttpOnly or SameSite.

Only cookie names and attributes are reported; values never leave this module.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from launchready.live.base import (
    NETWORK_ERRORS,
    Planned,
    Run,
    cannot_judge,
    errored,
    page_problem,
    result,
    skipped,
)
from launchready.live.config import Target
from launchready.model import CheckResult, Severity, Status

AREA = "cookies"
PHASE = 0
IDS = ("cookies.secure", "cookies.httponly", "cookies.samesite")
FIX = {
    "cookies.secure": "Set the Secure attribute on session cookies so they never travel over plain HTTP.",
    "cookies.httponly": "Set HttpOnly on session cookies so page scripts (and XSS) cannot read them.",
    "cookies.samesite": "Set SameSite=Lax (or Strict) on session cookies; SameSite=None needs Secure and a reason.",
}
# CSRF tokens meant to be read by page scripts (Django's csrftoken, Angular's XSRF-TOKEN,
# csurf's _csrf, Rails/Laravel XSRF cookies): left out of the HttpOnly check, never of the others
CSRF_NAME = re.compile(r"^(?:__host-|__secure-)?_?(?:csrf|xsrf)(?:[-_.]?token)?$|^csrftoken$|^x-?xsrf-token$", re.I)
SESSION_NAME = re.compile(
    r"sess|sid$|^sid|auth|token|jwt|login|remember|connect\.sid|csrf|xsrf|user|account|^__host-|^__secure-", re.I
)


def plan(run: Run, target: Target) -> list[Planned]:
    return [Planned("GET", target.url, "shared page fetch")]


def parse_set_cookie(value: str) -> tuple[str, dict[str, str]]:
    first, *attrs = value.split(";")
    name = first.split("=", 1)[0].strip()
    out: dict[str, str] = {}
    for a in attrs:
        k, _, v = a.strip().partition("=")
        if k:
            out[k.strip().lower()] = v.strip()
    return name, out


def check(run: Run, target: Target) -> list[CheckResult]:
    url = target.url
    try:
        page = run.client.get_shared("cookies.secure", url)
    except NETWORK_ERRORS as exc:
        return [errored(i, Severity.MEDIUM, url, exc) for i in IDS]
    problem = page_problem(page)
    if problem:  # headers of a 403/502 page are not the site's: never judge them
        return [cannot_judge(i, Severity.MEDIUM, url, problem, page) for i in IDS]
    cookies = [parse_set_cookie(c) for c in page.set_cookies]
    session = [(n, a) for n, a in cookies if SESSION_NAME.search(n) or "httponly" in a]
    if not session:
        names = [n for n, _ in cookies]
        why = "no session-like cookies set by the page" + (f" (saw: {', '.join(names[:10])})" if names else "")
        return [skipped(i, url, why) for i in IDS]
    https = urlsplit(url).scheme == "https"
    names = [n for n, _ in session]
    no_secure = [n for n, a in session if "secure" not in a]
    csrf = [n for n, _ in session if CSRF_NAME.match(n)]
    no_http = [n for n, a in session if "httponly" not in a and n not in csrf]
    no_site = [
        n
        for n, a in session
        if a.get("samesite", "").lower() not in ("lax", "strict")
        and not (a.get("samesite", "").lower() == "none" and "secure" in a)
    ]
    ev: dict[str, object] = {"cookies": [{"name": n, "attributes": sorted(a)} for n, a in session]}
    out: list[CheckResult] = []
    if no_secure:
        sev = Severity.HIGH if https else Severity.MEDIUM
        out.append(
            result(
                "cookies.secure",
                Status.FAIL,
                sev,
                url,
                f"session cookie(s) without Secure: {', '.join(no_secure)}",
                FIX["cookies.secure"],
                ev,
            )
        )
    else:
        out.append(
            result("cookies.secure", Status.PASS, Severity.HIGH, url, f"Secure on {', '.join(names)}", evidence=ev)
        )
    left_out = f" (CSRF cookie(s) {', '.join(csrf)} left out: scripts are meant to read them)" if csrf else ""
    judged = [n for n in names if n not in csrf]
    if csrf:
        ev["csrf_cookies_not_judged_for_httponly"] = csrf
    if no_http:
        out.append(
            result(
                "cookies.httponly",
                Status.FAIL,
                Severity.MEDIUM,
                url,
                f"session cookie(s) without HttpOnly: {', '.join(no_http)}{left_out}",
                FIX["cookies.httponly"],
                ev,
            )
        )
    elif not judged:
        out.append(
            result(
                "cookies.httponly",
                Status.SKIP,
                Severity.MEDIUM,
                url,
                f"only CSRF cookie(s) set by the page{left_out}",
                evidence=ev,
            )
        )
    else:
        out.append(
            result(
                "cookies.httponly",
                Status.PASS,
                Severity.MEDIUM,
                url,
                f"HttpOnly on {', '.join(judged)}{left_out}",
                evidence=ev,
            )
        )
    if no_site:
        out.append(
            result(
                "cookies.samesite",
                Status.FAIL,
                Severity.LOW,
                url,
                f"session cookie(s) without SameSite=Lax/Strict: {', '.join(no_site)}",
                FIX["cookies.samesite"],
                ev,
            )
        )
    else:
        out.append(
            result("cookies.samesite", Status.PASS, Severity.LOW, url, f"SameSite on {', '.join(names)}", evidence=ev)
        )
    return out
