"""``authz.*``: broken object level authorization (OWASP API1) with identities A, B and anonymous.

For each configured resource owned by A: A fetches it first (it must succeed, else ``error``);
then B and an anonymous caller must get 401/403/404 (or a redirect to a login). A 2xx whose
body carries A's data (the same body, a configured marker, or two of A's distinctive JSON
values, one if 20+ characters long) is ``critical``; any other 2xx is a warning with the
evidence. Writes run only with ``live.authz.writes: true`` and are never sent as A.
"""

from __future__ import annotations

import json
import re
from typing import Any

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, result
from launchready.live.config import Endpoint, MissingIdentity, Target
from launchready.live.http import Fetched, safe_headers
from launchready.model import CheckResult, Severity, Status

AREA = "authz"
PHASE = 1
IDS = ("authz.cross-user", "authz.anonymous")
FIX = {
    "authz.cross-user": "Check ownership on every object lookup (WHERE id = ? AND owner_id = current_user), not just that a user is logged in.",
    "authz.anonymous": "Require authentication on this route and check ownership of the object.",
}
DENIED = {401, 403, 404}
# values too common to identify the owner's data: timestamps, dates, status words, booleans
_COMMON = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}[T ]?[\d:.+Z-]*|true|false|null|none|active|inactive|pending|completed|"
    r"published|private|public|application/json|[a-z]+)$",
    re.I,
)


def plan(run: Run, target: Target) -> list[Planned]:
    out: list[Planned] = []
    for e in run.settings.authz_resources:
        url = e.url_for(target.api)
        if e.method in ("GET", "HEAD"):
            out.append(Planned(e.method, url, "as A (owner)"))
        out += [Planned(e.method, url, "as B"), Planned(e.method, url, "anonymous")]
    return out


def distinctive_values(body: bytes) -> list[str]:
    """String and number values of a JSON body that would identify A's data elsewhere."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return []
    out: list[str] = []

    def walk(v: Any, depth: int = 0) -> None:
        if depth > 64:  # a hostile body nests deeper than any real API response
            return
        if isinstance(v, dict):
            for x in v.values():
                walk(x, depth + 1)
        elif isinstance(v, list):
            for x in v[:50]:
                walk(x, depth + 1)
        elif isinstance(v, str) and len(v) >= 8 and not _COMMON.match(v):
            out.append(v)
        elif isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 100000:
            out.append(str(v))

    walk(data)
    return out[:200]


def check(run: Run, target: Target) -> list[CheckResult]:
    if not run.settings.authz_resources:
        return [
            result(
                i,
                Status.SKIP,
                Severity.CRITICAL,
                target.api,
                "needs identities a and b and live.authz.resources owned by a",
            )
            for i in IDS
        ]
    out: list[CheckResult] = []
    for e in run.settings.authz_resources:
        out.extend(_resource(run, e, e.url_for(target.api)))
    return out


def _send(run: Run, cid: str, e: Endpoint, url: str, identity: str | None) -> Fetched:
    headers = dict(e.headers)
    if identity:
        headers.update(run.settings.identities[identity].headers())
    body = None
    if e.body is not None and e.method not in ("GET", "HEAD"):
        body = json.dumps(e.body).encode()
        headers.setdefault("Content-Type", "application/json")
    return run.client.request(f"{cid} {url}", e.method, url, headers=headers, data=body)


def _resource(run: Run, e: Endpoint, url: str) -> list[CheckResult]:
    write = e.method not in ("GET", "HEAD")
    owner_body = b""
    owner_values: list[str] = []
    if not write:
        try:
            owner = _send(run, "authz.cross-user", e, url, e.owner)
        except MissingIdentity as exc:
            return [result(i, Status.ERROR, Severity.CRITICAL, url, f"could not check: {exc}") for i in IDS]
        except NETWORK_ERRORS as exc:
            return [errored(i, Severity.CRITICAL, url, exc) for i in IDS]
        if not 200 <= owner.status < 300:
            return [
                result(
                    i,
                    Status.ERROR,
                    Severity.CRITICAL,
                    url,
                    f"could not check: the owner ({e.owner}) got {owner.status} for their own resource",
                    evidence={"owner_status": owner.status},
                )
                for i in IDS
            ]
        owner_body = owner.body
        owner_values += distinctive_values(owner.body)
    out: list[CheckResult] = []
    for cid, who in (("authz.cross-user", "b"), ("authz.anonymous", None)):
        if not run.selected(cid):
            continue
        if cid == "authz.cross-user" and e.owner == "b":
            who = "a"
        try:
            r = _send(run, cid, e, url, who)
        except MissingIdentity as exc:
            out.append(result(cid, Status.ERROR, Severity.CRITICAL, url, f"could not check: {exc}"))
            continue
        except NETWORK_ERRORS as exc:
            out.append(errored(cid, Severity.CRITICAL, url, exc))
            continue
        out.append(_judge(cid, url, r, who, owner_body, owner_values, list(e.markers), write))
    return out


def _judge(
    cid: str,
    url: str,
    r: Fetched,
    who: str | None,
    owner_body: bytes,
    owner_values: list[str],
    markers: list[str],
    write: bool,
) -> CheckResult:
    caller = f"identity {who}" if who else "an anonymous caller"
    ev: dict[str, object] = {
        "caller": who or "anonymous",
        "status": r.status,
        "bytes": len(r.body),
        "headers": safe_headers(r.headers, ["content-type", "location", "www-authenticate"]),
    }
    if r.status in DENIED:
        return result(cid, Status.PASS, Severity.CRITICAL, url, f"{caller} was refused ({r.status})", evidence=ev)
    if 300 <= r.status < 400:
        return result(cid, Status.PASS, Severity.CRITICAL, url, f"{caller} was redirected ({r.status})", evidence=ev)
    if 200 <= r.status < 300:
        if write:
            return result(
                cid,
                Status.FAIL,
                Severity.CRITICAL,
                url,
                f"{caller} could {r.method} the owner's resource ({r.status})",
                FIX[cid],
                ev,
            )
        same = bool(owner_body) and r.body == owner_body
        text = r.text
        marked = [m for m in markers if m in text]
        leaked = sorted({v for v in owner_values if v in text})
        if same or marked or len(leaked) >= 2 or any(len(v) >= 20 for v in leaked):
            ev["same_body"] = same
            ev["markers_seen"] = len(marked)
            ev["owner_values_seen"] = len(leaked)
            return result(
                cid,
                Status.FAIL,
                Severity.CRITICAL,
                url,
                f"{caller} read the owner's data ({r.status}; OWASP API1 broken object level authorization)",
                FIX[cid],
                ev,
            )
        return result(
            cid,
            Status.WARN,
            Severity.MEDIUM,
            url,
            f"{caller} got {r.status} (no owner data recognised in the body; check it by hand)",
            FIX[cid],
            ev,
        )
    if r.status >= 500 and write:  # no owner request went first: a 502 says the app is down, not that access is refused
        return result(
            cid,
            Status.ERROR,
            Severity.CRITICAL,
            url,
            f"could not check: {caller} got {r.status} (server error; the endpoint may be down)",
            evidence=ev,
        )
    if r.status >= 500:
        return result(
            cid,
            Status.WARN,
            Severity.MEDIUM,
            url,
            f"{caller} got a server error ({r.status}) instead of 401/403/404",
            FIX[cid],
            ev,
        )
    return result(cid, Status.PASS, Severity.CRITICAL, url, f"{caller} was refused ({r.status})", evidence=ev)
