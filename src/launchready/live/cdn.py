"""``cdn.detected``: whether a CDN/WAF fronts the site, told by its response headers."""

from __future__ import annotations

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, result
from launchready.live.config import Target
from launchready.live.http import Fetched
from launchready.model import CheckResult, Severity, Status

AREA = "cdn"
PHASE = 0
IDS = ("cdn.detected",)
FIX = "Put a CDN/WAF (Cloudflare, CloudFront, Fastly, ...) in front of the site, or drop live.cdn.required."

# (name, header that must exist, or (header, substring in its value))
SIGNATURES: tuple[tuple[str, str, str], ...] = (
    ("Cloudflare", "cf-ray", ""),
    ("Cloudflare", "server", "cloudflare"),
    ("Amazon CloudFront", "x-amz-cf-id", ""),
    ("Amazon CloudFront", "via", "cloudfront"),
    ("Fastly", "x-fastly-request-id", ""),
    ("Fastly", "x-served-by", "cache-"),
    ("Akamai", "x-akamai-transformed", ""),
    ("Akamai", "server", "akamai"),
    ("Vercel", "x-vercel-id", ""),
    ("Netlify", "x-nf-request-id", ""),
    ("Azure Front Door", "x-azure-ref", ""),
    ("Google Cloud CDN", "via", "google"),
    ("Sucuri", "x-sucuri-id", ""),
    ("Imperva", "x-iinfo", ""),
    ("Bunny CDN", "server", "bunnycdn"),
    ("Fly.io", "fly-request-id", ""),
)


def detect(page: Fetched) -> list[str]:
    found: list[str] = []
    for name, header, needle in SIGNATURES:
        value = page.header(header)
        if value is not None and (not needle or needle in value.lower()) and name not in found:
            found.append(name)
    return found


def plan(run: Run, target: Target) -> list[Planned]:
    return [Planned("GET", target.url, "shared page fetch")]


def check(run: Run, target: Target) -> list[CheckResult]:
    url = target.url
    try:
        page = run.client.get_shared("cdn.detected", url)
    except NETWORK_ERRORS as exc:
        return [errored("cdn.detected", Severity.MEDIUM if run.settings.cdn_required else Severity.INFO, url, exc)]
    found = detect(page)
    ev = {"cdn": found}
    if found:
        return [result("cdn.detected", Status.PASS, Severity.INFO, url, f"fronted by {', '.join(found)}", evidence=ev)]
    if run.settings.cdn_required:
        return [
            result(
                "cdn.detected",
                Status.FAIL,
                Severity.MEDIUM,
                url,
                "no CDN/WAF detected and live.cdn.required is true",
                FIX,
                ev,
            )
        ]
    return [
        result(
            "cdn.detected", Status.PASS, Severity.INFO, url, "no CDN/WAF detected by headers (informational)", FIX, ev
        )
    ]
