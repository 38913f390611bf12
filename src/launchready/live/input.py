"""``input.*``: malformed and oversized requests to each configured JSON endpoint.

Malformed JSON, a wrong Content-Type, wrong field types and a body over the configured size
must each get a 4xx (400/413/415/422), never a 5xx, a stack trace or a hang. A valid request
(the endpoint's example ``body``) goes first: if it cannot be sent, every case is ``error``.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from launchready.live.base import NETWORK_ERRORS, Planned, Run, errored, result, stack_trace
from launchready.live.config import Endpoint, MissingIdentity, Target
from launchready.live.http import Fetched, safe_headers
from launchready.model import CheckResult, Severity, Status

AREA = "input"
PHASE = 1
IDS = ("input.malformed-json", "input.content-type", "input.field-types", "input.body-size")
FIX = {
    "input.malformed-json": "Parse request bodies inside a try/except (or schema validation) and answer 400 on invalid JSON.",
    "input.content-type": "Reject bodies whose Content-Type is not application/json with 415 (or 400).",
    "input.field-types": "Validate request bodies with a schema (pydantic, zod, ...) and answer 400/422 on wrong types.",
    "input.body-size": "Cap request body size at the server or proxy (e.g. client_max_body_size, express.json({limit})) and answer 413.",
}
GOOD = {400, 401, 403, 404, 405, 409, 411, 413, 415, 422, 429}


def wrong_types(body: Any) -> Any:
    """The example body with every field's type changed (string <-> number, list -> object)."""
    if isinstance(body, dict):
        return {k: _swap(v) for k, v in body.items()} or ["not", "an", "object"]
    if isinstance(body, list):
        return {"launchready": "not a list"}
    return {"launchready": ["unexpected", "type"]}


def _swap(v: Any) -> Any:
    if isinstance(v, bool):
        return "not-a-bool"
    if isinstance(v, (int, float)):
        return "not-a-number"
    if isinstance(v, str):
        return {"launchready": 12345}
    if isinstance(v, list):
        return "not-a-list"
    if isinstance(v, dict):
        return 12345
    return ["unexpected"]


def cases(run: Run, e: Endpoint) -> list[tuple[str, str, bytes]]:
    """(check id, content type, raw body) for each malformed request."""
    example = e.body if e.body is not None else {}
    valid = json.dumps(example).encode()
    size = run.settings.input_max_body + 1024
    pad = b'{"launchready_padding": "' + b"A" * size + b'"}'
    return [
        ("input.malformed-json", "application/json", b'{"launchready": "unterminated'),
        ("input.content-type", "text/plain", valid),
        ("input.field-types", "application/json", json.dumps(wrong_types(example)).encode()),
        ("input.body-size", "application/json", pad),
    ]


def plan(run: Run, target: Target) -> list[Planned]:
    out: list[Planned] = []
    for e in run.settings.input_endpoints:
        url = e.url_for(target.api)
        method = e.method if e.method != "GET" else "POST"
        out.append(Planned(method, url, "input: valid example body first"))
        out += [Planned(method, url, f"{cid} ({ctype}, {len(body)} bytes)") for cid, ctype, body in cases(run, e)]
    return out


def check(run: Run, target: Target) -> list[CheckResult]:
    if not run.settings.input_endpoints:
        return [
            result(i, Status.SKIP, Severity.HIGH, target.api, "needs JSON endpoints in live.input.endpoints")
            for i in IDS
        ]
    out: list[CheckResult] = []
    for e in run.settings.input_endpoints:
        out.extend(_endpoint(run, e, e.url_for(target.api)))
    return out


def _headers(run: Run, e: Endpoint, ctype: str) -> dict[str, str]:
    h = {"Content-Type": ctype, "Accept": "application/json", **dict(e.headers)}
    if e.identity:
        h.update(run.settings.identities[e.identity].headers())
    return h


def _endpoint(run: Run, e: Endpoint, url: str) -> list[CheckResult]:
    method = e.method if e.method != "GET" else "POST"
    try:
        base = run.client.request(
            "input.malformed-json",
            method,
            url,
            headers=_headers(run, e, "application/json"),
            data=json.dumps(e.body if e.body is not None else {}).encode(),
        )
    except MissingIdentity as exc:
        return [result(i, Status.ERROR, Severity.HIGH, url, f"could not check: {exc}") for i in IDS]
    except NETWORK_ERRORS as exc:
        return [errored(i, Severity.HIGH, url, exc) for i in IDS]
    baseline: dict[str, object] = {"status": base.status, "ms": round(base.elapsed_ms)}
    failed = _baseline_failed(e, base)
    if failed:  # the endpoint does not work at all (app down, 502): its answers to bad input say nothing
        return [
            result(i, Status.ERROR, Severity.HIGH, url, f"could not check: {failed}", evidence={"baseline": baseline})
            for i in IDS
            if run.selected(i)
        ]
    out: list[CheckResult] = []
    for cid, ctype, body in cases(run, e):
        if not run.selected(cid):
            continue
        try:
            r = run.client.request(f"{cid} {url}", method, url, headers=_headers(run, e, ctype), data=body)
        except requests.Timeout as exc:
            out.append(
                result(
                    cid,
                    Status.FAIL,
                    Severity.HIGH,
                    url,
                    f"the endpoint hung ({exc.__class__.__name__}) on this input",
                    FIX[cid],
                    {"baseline": baseline},
                )
            )
            continue
        except requests.ConnectionError as exc:
            if cid == "input.body-size":  # closing the connection on an oversized body is a refusal
                out.append(
                    result(
                        cid,
                        Status.PASS,
                        Severity.HIGH,
                        url,
                        "connection closed on the oversized body (refused)",
                        evidence={"baseline": baseline},
                    )
                )
            else:
                out.append(errored(cid, Severity.HIGH, url, exc))
            continue
        except NETWORK_ERRORS as exc:
            out.append(errored(cid, Severity.HIGH, url, exc))
            continue
        out.append(_judge(cid, url, r, len(body), baseline))
    return out


def _baseline_failed(e: Endpoint, base: Fetched) -> str | None:
    """Why the valid example request did not succeed, else None. Without an example body the
    empty object ``{}`` is sent, and a 4xx for it is expected (the endpoint validates)."""
    if base.status >= 500 or (e.body is not None and not 200 <= base.status < 400):
        return f"the valid example request answered {base.status} (it must succeed before bad input can be judged)"
    return None


def _judge(cid: str, url: str, r: Fetched, sent: int, baseline: dict[str, object]) -> CheckResult:
    trace = stack_trace(r.text)
    ev: dict[str, object] = {
        "status": r.status,
        "sent_bytes": sent,
        "ms": round(r.elapsed_ms),
        "baseline": baseline,
        "headers": safe_headers(r.headers, ["content-type", "content-length"]),
    }
    if trace:
        ev["stack_trace"] = trace
        return result(cid, Status.FAIL, Severity.HIGH, url, f"answered {r.status} with a stack trace", FIX[cid], ev)
    if r.status >= 500:
        return result(
            cid, Status.FAIL, Severity.HIGH, url, f"answered {r.status} (server error) instead of a 4xx", FIX[cid], ev
        )
    if r.status in GOOD or 400 <= r.status < 500:
        return result(cid, Status.PASS, Severity.HIGH, url, f"rejected with {r.status}", evidence=ev)
    return result(cid, Status.FAIL, Severity.MEDIUM, url, f"accepted the bad request with {r.status}", FIX[cid], ev)
