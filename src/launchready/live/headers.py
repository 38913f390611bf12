"""``headers.*``: CSP (and unsafe script sources), nosniff, framing, Referrer-Policy, version disclosure."""

from __future__ import annotations

import re

from launchready.live.base import (
    NETWORK_ERRORS,
    Planned,
    Run,
    cannot_judge,
    errored,
    page_problem,
    result,
)
from launchready.live.config import Target
from launchready.live.http import safe_headers
from launchready.model import CheckResult, Severity, Status

AREA = "headers"
PHASE = 0
IDS = (
    "headers.csp",
    "headers.csp-unsafe",
    "headers.content-type-options",
    "headers.frame-options",
    "headers.referrer-policy",
    "headers.version-disclosure",
)
FIX = {
    "headers.csp": "Send a Content-Security-Policy (start with default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self').",
    "headers.csp-unsafe": "Remove 'unsafe-inline' and 'unsafe-eval' from script-src; use nonces or hashes for inline scripts.",
    "headers.content-type-options": "Send X-Content-Type-Options: nosniff.",
    "headers.frame-options": "Send Content-Security-Policy: frame-ancestors 'self' (or X-Frame-Options: DENY).",
    "headers.referrer-policy": "Send Referrer-Policy: strict-origin-when-cross-origin (or stricter).",
    "headers.version-disclosure": "Remove version numbers from Server and X-Powered-By (e.g. server_tokens off; app.disable('x-powered-by')).",
}
_VERSION = re.compile(r"\d+\.\d+")


def plan(run: Run, target: Target) -> list[Planned]:
    return [Planned("GET", target.url, "shared page fetch")]


def csp_directives(value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in value.split(";"):
        tokens = part.strip().split()
        if tokens:
            out.setdefault(tokens[0].lower(), [t.lower() for t in tokens[1:]])
    return out


def check(run: Run, target: Target) -> list[CheckResult]:
    url = target.url
    try:
        page = run.client.get_shared("headers.csp", url)
    except NETWORK_ERRORS as exc:
        return [errored(i, Severity.MEDIUM, url, exc) for i in IDS]
    problem = page_problem(page)
    if problem:  # headers of a 403/502 page are not the site's: never judge them
        return [cannot_judge(i, Severity.MEDIUM, url, problem, page) for i in IDS]
    h = page.headers
    out: list[CheckResult] = []
    csp = h.get("Content-Security-Policy", "")
    directives = csp_directives(csp) if csp else {}
    if not csp:
        ro = h.get("Content-Security-Policy-Report-Only")
        msg = "no Content-Security-Policy" + (" (only Report-Only, which enforces nothing)" if ro else "")
        out.append(
            result("headers.csp", Status.FAIL, Severity.MEDIUM, url, msg, FIX["headers.csp"], {"status": page.status})
        )
        out.append(result("headers.csp-unsafe", Status.SKIP, Severity.MEDIUM, url, "no CSP to inspect"))
    else:
        ev = {"content-security-policy": csp[:400]}
        out.append(
            result("headers.csp", Status.PASS, Severity.MEDIUM, url, "Content-Security-Policy is sent", evidence=ev)
        )
        script = directives.get("script-src", directives.get("default-src"))
        if script is None:
            out.append(
                result(
                    "headers.csp-unsafe",
                    Status.WARN,
                    Severity.LOW,
                    url,
                    "CSP has neither script-src nor default-src: scripts are unrestricted",
                    FIX["headers.csp-unsafe"],
                    ev,
                )
            )
        else:
            bad = [t.strip("'") for t in script if t in ("'unsafe-inline'", "'unsafe-eval'")]
            has_nonce = any(
                t.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-", "'strict-dynamic'")) for t in script
            )
            if "unsafe-inline" in bad and has_nonce:
                bad.remove("unsafe-inline")  # ignored by browsers when a nonce/hash is present
            if bad:
                out.append(
                    result(
                        "headers.csp-unsafe",
                        Status.FAIL,
                        Severity.MEDIUM,
                        url,
                        f"script-src allows {' and '.join(bad)}",
                        FIX["headers.csp-unsafe"],
                        ev,
                    )
                )
            else:
                out.append(
                    result(
                        "headers.csp-unsafe",
                        Status.PASS,
                        Severity.MEDIUM,
                        url,
                        "script-src allows neither unsafe-inline nor unsafe-eval",
                        evidence=ev,
                    )
                )
    xcto = h.get("X-Content-Type-Options", "")
    if xcto.strip().lower() == "nosniff":
        out.append(
            result("headers.content-type-options", Status.PASS, Severity.LOW, url, "X-Content-Type-Options: nosniff")
        )
    else:
        out.append(
            result(
                "headers.content-type-options",
                Status.FAIL,
                Severity.LOW,
                url,
                f"X-Content-Type-Options is {xcto or 'missing'}",
                FIX["headers.content-type-options"],
                {"x-content-type-options": xcto},
            )
        )
    fa = directives.get("frame-ancestors")
    xfo = h.get("X-Frame-Options", "").strip().upper()
    if fa is not None and "*" not in fa:
        out.append(
            result(
                "headers.frame-options",
                Status.PASS,
                Severity.MEDIUM,
                url,
                "frame-ancestors " + (" ".join(fa) or "'none'"),
            )
        )
    elif xfo in ("DENY", "SAMEORIGIN"):
        out.append(result("headers.frame-options", Status.PASS, Severity.MEDIUM, url, f"X-Frame-Options: {xfo}"))
    else:
        out.append(
            result(
                "headers.frame-options",
                Status.FAIL,
                Severity.MEDIUM,
                url,
                "the page can be framed by any site (no frame-ancestors, no X-Frame-Options)",
                FIX["headers.frame-options"],
                {"x-frame-options": xfo},
            )
        )
    rp = h.get("Referrer-Policy", "").strip().lower()
    weak = {"unsafe-url", "no-referrer-when-downgrade", ""}
    last = rp.split(",")[-1].strip() if rp else ""
    if last in weak:
        out.append(
            result(
                "headers.referrer-policy",
                Status.FAIL,
                Severity.LOW,
                url,
                f"Referrer-Policy is {rp or 'missing'}",
                FIX["headers.referrer-policy"],
                {"referrer-policy": rp},
            )
        )
    else:
        out.append(result("headers.referrer-policy", Status.PASS, Severity.LOW, url, f"Referrer-Policy: {rp}"))
    disclosed = {
        k: v
        for k, v in safe_headers(h, ["server", "x-powered-by", "x-aspnet-version", "x-aspnetmvc-version"]).items()
        if _VERSION.search(v) or k.lower() == "x-powered-by"
    }
    if disclosed:
        out.append(
            result(
                "headers.version-disclosure",
                Status.FAIL,
                Severity.LOW,
                url,
                "software version disclosed: " + ", ".join(f"{k}: {v}" for k, v in disclosed.items()),
                FIX["headers.version-disclosure"],
                disclosed,
            )
        )
    else:
        out.append(
            result(
                "headers.version-disclosure",
                Status.PASS,
                Severity.LOW,
                url,
                "no software versions in Server/X-Powered-By",
            )
        )
    return out
