"""``cors.*``: real preflight and simple requests with hostile Origins against each API endpoint.

Only the configured origins (``live.allowed_origins``, default: the site's own origin) may be
reflected in Access-Control-Allow-Origin. Every reflection is judged with
Access-Control-Allow-Credentials: with credentials a hostile site reads users' data (critical).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, result
from launchready.live.config import Endpoint, Target
from launchready.live.http import Fetched, safe_headers
from launchready.model import CheckResult, Severity, Status

AREA = "cors"
PHASE = 0
IDS = (
    "cors.arbitrary-origin",
    "cors.null-origin",
    "cors.origin-bypass",
    "cors.http-origin",
    "cors.wildcard-credentials",
    "cors.preflight-permissive",
)
FIX = {
    "cors.arbitrary-origin": "Compare the Origin header against an exact allow-list; never echo it back unchecked.",
    "cors.null-origin": "Never allow the 'null' origin (sandboxed iframes and file: pages send it).",
    "cors.origin-bypass": "Match allowed origins exactly (full string equality, or an anchored regex with escaped dots).",
    "cors.http-origin": "Allow only https:// origins on an HTTPS API.",
    "cors.wildcard-credentials": "Do not combine Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true.",
    "cors.preflight-permissive": "List the methods and headers the API really uses in Access-Control-Allow-Methods/-Headers.",
}
EVIL = "https://evil.launchready.test"
PROBE_METHOD = "LRPROBE"
PROBE_HEADER = "x-launchready-probe"


def endpoints(run: Run, target: Target) -> list[tuple[Endpoint, str]]:
    eps = run.settings.cors_endpoints or [Endpoint(path=target.api)]
    return [(e, e.url_for(target.api)) for e in eps]


def hostile_origins(allowed: list[str], api_url: str) -> dict[str, list[str]]:
    """check id -> hostile origins to try."""
    out: dict[str, list[str]] = {
        "cors.arbitrary-origin": [EVIL],
        "cors.null-origin": ["null"],
        "cors.origin-bypass": [],
        "cors.http-origin": [],
    }
    for origin in allowed:
        p = urlsplit(origin)
        host = p.hostname or ""
        port = f":{p.port}" if p.port else ""
        if not host:
            continue
        bypass = [f"{p.scheme}://{host}.evil.test{port}", f"{p.scheme}://evil{host}{port}"]
        if "." in host and not host.replace(".", "").isdigit():
            bypass.append(f"{p.scheme}://{host.replace('.', 'x', 1)}{port}")
        out["cors.origin-bypass"] += [b for b in bypass if b not in out["cors.origin-bypass"]]
        if urlsplit(api_url).scheme == "https" and p.scheme == "https":
            out["cors.http-origin"].append(f"http://{host}{port}")
    return out


def plan(run: Run, target: Target) -> list[Planned]:
    out: list[Planned] = []
    for e, url in endpoints(run, target):
        for cid, origins in hostile_origins(run.settings.origins_for(target), url).items():
            for o in origins:
                out.append(Planned(_simple_method(e), url, f"{cid}: Origin {o}"))
                out.append(Planned("OPTIONS", url, f"{cid}: preflight from {o}"))
        out.append(Planned("OPTIONS", url, f"cors.preflight-permissive: method {PROBE_METHOD}, header {PROBE_HEADER}"))
    return out


class EndpointDown(Exception):
    """The endpoint answered a gateway error: its CORS policy cannot be seen."""


_CAUGHT: tuple[type[BaseException], ...] = (*NETWORK_ERRORS, EndpointDown)


def _simple_method(e: Endpoint) -> str:
    return e.method if e.method in ("GET", "HEAD") else "GET"


def _acao(r: Fetched) -> tuple[str, bool]:
    return (r.header("Access-Control-Allow-Origin") or "").strip(), (
        r.header("Access-Control-Allow-Credentials") or ""
    ).strip().lower() == "true"


_CORS_HEADERS = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "vary",
]


def check(run: Run, target: Target) -> list[CheckResult]:
    out: list[CheckResult] = []
    for e, url in endpoints(run, target):
        out.extend(_endpoint(run, target, e, url))
    return out


def _endpoint(run: Run, target: Target, e: Endpoint, url: str) -> list[CheckResult]:
    allowed = run.settings.origins_for(target)
    out: list[CheckResult] = []
    wildcard_creds: list[dict[str, object]] = []
    answered = 0
    last_error: BaseException | None = None
    for cid, origins in hostile_origins(allowed, url).items():
        if not run.selected(cid):
            continue
        if not origins:
            out.append(
                result(
                    cid, Status.SKIP, Severity.MEDIUM, url, "not applicable (no https allowed origin on an HTTPS API)"
                )
            )
            continue
        reflected: list[dict[str, object]] = []
        try:
            for o in origins:
                simple = run.client.request(f"{cid} {url}", _simple_method(e), url, headers={"Origin": o})
                pre = run.client.request(
                    f"{cid} {url}",
                    "OPTIONS",
                    url,
                    headers={
                        "Origin": o,
                        "Access-Control-Request-Method": e.method if e.method not in ("GET", "HEAD") else "POST",
                        "Access-Control-Request-Headers": "content-type, authorization",
                    },
                )
                down = next((r.status for r in (simple, pre) if r.status in (502, 503, 504)), None)
                if down is not None:  # a gateway error carries the proxy's headers, not the API's
                    raise EndpointDown(f"the endpoint answered {down} (the app behind it did not answer)")
                answered += 2
                for kind, r in (("simple", simple), ("preflight", pre)):
                    acao, creds = _acao(r)
                    if acao == "*" and creds:
                        wildcard_creds.append(
                            {"origin": o, "request": kind, "headers": safe_headers(r.headers, _CORS_HEADERS)}
                        )
                    if acao and acao != "*" and acao.lower() == o.lower():
                        reflected.append(
                            {
                                "origin": o,
                                "request": kind,
                                "status": r.status,
                                "credentials": creds,
                                "headers": safe_headers(r.headers, _CORS_HEADERS),
                            }
                        )
        except _CAUGHT as exc:
            last_error = exc
            out.append(errored(cid, Severity.HIGH, url, exc, FIX[cid]))
            continue
        if not reflected:
            out.append(
                result(
                    cid,
                    Status.PASS,
                    Severity.MEDIUM,
                    url,
                    f"not trusted: {', '.join(origins)}",
                    evidence={"origins": origins},
                )
            )
            continue
        creds = any(r["credentials"] for r in reflected)
        bad = sorted({str(r["origin"]) for r in reflected})
        if cid == "cors.http-origin":
            sev = Severity.HIGH if creds else Severity.LOW
        else:
            sev = Severity.CRITICAL if creds else Severity.MEDIUM
        what = "with credentials" if creds else "without credentials"
        out.append(
            result(
                cid,
                Status.FAIL,
                sev,
                url,
                f"trusts hostile origin(s) {what}: {', '.join(bad)}",
                FIX[cid],
                {"reflected": reflected, "allowed_origins": allowed},
            )
        )
    if run.selected("cors.wildcard-credentials"):
        if not answered and last_error is not None:
            out.append(errored("cors.wildcard-credentials", Severity.HIGH, url, last_error))
        elif wildcard_creds:
            out.append(
                result(
                    "cors.wildcard-credentials",
                    Status.FAIL,
                    Severity.HIGH,
                    url,
                    "Access-Control-Allow-Origin: * together with Allow-Credentials: true",
                    FIX["cors.wildcard-credentials"],
                    {"responses": wildcard_creds[:4]},
                )
            )
        else:
            out.append(
                result(
                    "cors.wildcard-credentials", Status.PASS, Severity.HIGH, url, "no wildcard origin with credentials"
                )
            )
    if run.selected("cors.preflight-permissive"):
        try:
            r = run.client.request(
                "cors.preflight-permissive",
                "OPTIONS",
                url,
                headers={
                    "Origin": allowed[0],
                    "Access-Control-Request-Method": PROBE_METHOD,
                    "Access-Control-Request-Headers": PROBE_HEADER,
                },
            )
        except NETWORK_ERRORS as exc:
            out.append(errored("cors.preflight-permissive", Severity.LOW, url, exc))
            return out
        if r.status in (502, 503, 504):
            out.append(
                result(
                    "cors.preflight-permissive",
                    Status.ERROR,
                    Severity.LOW,
                    url,
                    f"could not check: the preflight answered {r.status}",
                )
            )
            return out
        methods = (r.header("Access-Control-Allow-Methods") or "").upper()
        hdrs = (r.header("Access-Control-Allow-Headers") or "").lower()
        problems = []
        if "*" in methods or PROBE_METHOD in methods:
            problems.append("any method")
        if "*" in hdrs or PROBE_HEADER in hdrs:
            problems.append("any request header")
        ev = {"status": r.status, "headers": safe_headers(r.headers, _CORS_HEADERS)}
        if problems:
            out.append(
                result(
                    "cors.preflight-permissive",
                    Status.WARN,
                    Severity.LOW,
                    url,
                    f"preflight allows {' and '.join(problems)}",
                    FIX["cors.preflight-permissive"],
                    ev,
                )
            )
        else:
            out.append(
                result(
                    "cors.preflight-permissive",
                    Status.PASS,
                    Severity.LOW,
                    url,
                    "preflight lists specific methods and headers",
                    evidence=ev,
                )
            )
    return out
