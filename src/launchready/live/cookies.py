"""``cookies.*``: session-like cookies set without Secure, HttpOnly or SameSite.

Only cookie names and attributes are reported; values never leave this module.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from launchready.live.base import Planned, Run, errored, result, skipped
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
SESSION_NAME = re.compile(r"sess|sid$|^sid|auth|token|jwt|login|remember|connect\.sid|csrf|xsrf|user|account|^__host-|^__secure-", re.I)


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
    except Exception as exc:
        return [errored(i, Severity.MEDIUM, url, exc) for i in IDS]
    cookies = [parse_set_cookie(c) for c in page.set_cookies]
    session = [(n, a) for n, a in cookies if SESSION_NAME.search(n) or "httponly" in a]
    if not session:
        names = [n for n, _ in cookies]
        why = "no session-like cookies set by the page" + (f" (saw: {', '.join(names[:10])})" if names else "")
        return [skipped(i, url, why) for i in IDS]
    https = urlsplit(url).scheme == "https"
    names = [n for n, _ in session]
    no_secure = [n for n, a in session if "secure" not in a]
    no_http = [n for n, a in session if "httponly" not in a]
    no_site = [n for n, a in session if a.get("samesite", "").lower() not in ("lax", "strict") and not (a.get("samesite", "").lower() == "none" and "secure" in a)]
    ev = {"cookies": [{"name": n, "attributes": sorted(a)} for n, a in session]}
    out: list[CheckResult] = []
    if no_secure:
        sev = Severity.HIGH if https else Severity.MEDIUM
        out.append(result("cookies.secure", Status.FAIL, sev, url, f"session cookie(s) without Secure: {', '.join(no_secure)}", FIX["cookies.secure"], ev))
    else:
        out.append(result("cookies.secure", Status.PASS, Severity.HIGH, url, f"Secure on {', '.join(names)}", evidence=ev))
    if no_http:
        out.append(result("cookies.httponly", Status.FAIL, Severity.MEDIUM, url, f"session cookie(s) without HttpOnly: {', '.join(no_http)}", FIX["cookies.httponly"], ev))
    else:
        out.append(result("cookies.httponly", Status.PASS, Severity.MEDIUM, url, f"HttpOnly on {', '.join(names)}", evidence=ev))
    if no_site:
        out.append(result("cookies.samesite", Status.FAIL, Severity.LOW, url, f"session cookie(s) without SameSite=Lax/Strict: {', '.join(no_site)}", FIX["cookies.samesite"], ev))
    else:
        out.append(result("cookies.samesite", Status.PASS, Severity.LOW, url, f"SameSite on {', '.join(names)}", evidence=ev))
    return out
