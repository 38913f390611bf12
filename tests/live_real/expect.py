"""How a senior reviewer judges each deployment, check by check (overridden per framework)."""

from __future__ import annotations

# behind the good nginx: TLS 1.2+, HTTP redirected, HSTS and the usual headers, dotfiles denied
GOOD_SITE = {
    "tls.https": "pass",
    "tls.certificate": "pass",
    "tls.chain": "pass",
    "tls.expiry": "pass",
    "tls.legacy-protocols": "pass",
    "tls.key-size": "pass",
    "redirect.https": "pass",
    "redirect.sensitive-paths": "pass",
    "hsts.present": "pass",
    "hsts.max-age": "pass",
    "hsts.include-subdomains": "pass",
    "headers.csp": "pass",
    "headers.csp-unsafe": "pass",
    "headers.content-type-options": "pass",
    "headers.frame-options": "pass",
    "headers.referrer-policy": "pass",
    "headers.version-disclosure": "pass",
    "cdn.detected": "pass",
    "exposure.env-file": "pass",
    "exposure.git": "pass",
    "exposure.backup-files": "pass",
    "exposure.source-maps": "pass",
    "exposure.debug-page": "pass",
    "bundle.secret": "pass",
    "cors.arbitrary-origin": "pass",
    "cors.null-origin": "pass",
    "cors.origin-bypass": "pass",
    "cors.http-origin": "pass",
    "cors.wildcard-credentials": "pass",
    "cors.preflight-permissive": "pass",
    "input.malformed-json": "pass",
    "input.content-type": "pass",
    "input.field-types": "pass",
    "input.body-size": "pass",
    "ratelimit.burst": "pass",
    "authz.cross-user": "pass",
    "authz.anonymous": "pass",
    "latency.p95": "pass",
    "monitoring.health": "pass",
    "monitoring.status-page": "skip",
    "cookies.secure": "pass",
    "cookies.httponly": "pass",
    "cookies.samesite": "pass",
}

# behind the careless nginx: plain HTTP served, no security headers, version shown, the web root
# holds .env, .git and a bundle with a key and its source map; the app has no rate limit and
# lets any user read any note (anonymous callers are still refused)
FLAWED_SITE = {
    **GOOD_SITE,
    "redirect.https": "fail",
    "redirect.sensitive-paths": "fail",
    "hsts.present": "fail",
    "hsts.max-age": "skip",
    "hsts.include-subdomains": "skip",
    "headers.csp": "fail",
    "headers.csp-unsafe": "skip",
    "headers.content-type-options": "fail",
    "headers.frame-options": "fail",
    "headers.referrer-policy": "fail",
    "headers.version-disclosure": "fail",
    "exposure.env-file": "fail",
    "exposure.git": "fail",
    "exposure.source-maps": "fail",
    "bundle.secret": "fail",
    "ratelimit.burst": "fail",
    "authz.cross-user": "fail",
}

NO_COOKIES = {"cookies.secure": "skip", "cookies.httponly": "skip", "cookies.samesite": "skip"}
EVERY_ID = sorted(GOOD_SITE)
