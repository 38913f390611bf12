"""``hsts.*``: Strict-Transport-Security on HTTPS responses, its max-age and includeSubDomains."""

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

AREA = "hsts"
PHASE = 0
IDS = ("hsts.present", "hsts.max-age", "hsts.include-subdomains")
FIX = {
    "hsts.present": "Send Strict-Transport-Security: max-age=31536000; includeSubDomains on every HTTPS response.",
    "hsts.max-age": "Raise the HSTS max-age to at least 15552000 (180 days); 31536000 is usual.",
    "hsts.include-subdomains": "Add includeSubDomains once every subdomain serves HTTPS.",
}


def plan(run: Run, target: Target) -> list[Planned]:
    return [Planned("GET", target.url, "shared page fetch")] if urlsplit(target.url).scheme == "https" else []


def check(run: Run, target: Target) -> list[CheckResult]:
    url = target.url
    if urlsplit(url).scheme != "https":
        return [skipped(i, url, "the site is not HTTPS (see tls.https); HSTS only counts on HTTPS") for i in IDS]
    try:
        page = run.client.get_shared("hsts.present", url)
    except NETWORK_ERRORS as exc:
        return [errored(i, Severity.MEDIUM, url, exc) for i in IDS]
    problem = page_problem(page)
    if problem:  # headers of a 403/502 page are not the site's: never judge them
        return [cannot_judge(i, Severity.MEDIUM, url, problem, page) for i in IDS]
    value = page.header("Strict-Transport-Security")
    if not value:
        return [
            result(
                "hsts.present",
                Status.FAIL,
                Severity.MEDIUM,
                url,
                "no Strict-Transport-Security header",
                FIX["hsts.present"],
                {"status": page.status},
            ),
            skipped("hsts.max-age", url, "no HSTS header"),
            skipped("hsts.include-subdomains", url, "no HSTS header"),
        ]
    ev = {"strict-transport-security": value[:200]}
    out = [result("hsts.present", Status.PASS, Severity.MEDIUM, url, "Strict-Transport-Security is sent", evidence=ev)]
    m = re.search(r"max-age\s*=\s*\"?(\d+)", value, re.I)
    age = int(m.group(1)) if m else None
    need = run.settings.hsts_min_age
    if age is None:
        out.append(
            result(
                "hsts.max-age",
                Status.FAIL,
                Severity.MEDIUM,
                url,
                "HSTS header has no valid max-age",
                FIX["hsts.max-age"],
                ev,
            )
        )
    elif age < need:
        out.append(
            result(
                "hsts.max-age",
                Status.FAIL,
                Severity.MEDIUM,
                url,
                f"max-age={age} is under {need}",
                FIX["hsts.max-age"],
                ev,
            )
        )
    else:
        out.append(result("hsts.max-age", Status.PASS, Severity.MEDIUM, url, f"max-age={age}", evidence=ev))
    if re.search(r"includesubdomains", value, re.I):
        out.append(
            result("hsts.include-subdomains", Status.PASS, Severity.INFO, url, "includeSubDomains is set", evidence=ev)
        )
    else:
        out.append(
            result(
                "hsts.include-subdomains",
                Status.PASS,
                Severity.INFO,
                url,
                "includeSubDomains is not set (informational: subdomains are not covered)",
                FIX["hsts.include-subdomains"],
                ev,
            )
        )
    return out
