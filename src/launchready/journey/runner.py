"""Run a journey: its steps in order through the live checks' polite ``Client``.

One ``CheckResult`` per step (``journey.<name>``) with the step's latency. A step that fails
(``fail``) or cannot be judged (``error``) ends the journey; the steps after it are ``skip``
with the reason. Results name the step's URL as written (placeholders, not captured values),
so targets are stable from run to run and carry no token.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import requests

from launchready import redact
from launchready.journey.config import JourneySettings, Step
from launchready.journey.reply import as_text, excerpt, json_get, reply_text, sse_done
from launchready.journey.values import MissingValue, Values
from launchready.live.config import Identity, MissingIdentity
from launchready.live.http import (
    BudgetExceeded,
    Cancelled,
    Client,
    CredentialsRefused,
    Fetched,
    ForbiddenAddress,
    HostDown,
    describe_error,
)
from launchready.model import CheckResult, Severity, Status

# One check per step of the journey, named ``journey.<step name>`` (``catalogue``).
CHECKS = {"journey.<step>": "a step of the configured user journey answers as expected (status, body, latency, stream)"}
FIX = (
    "The step a new user goes through is broken: fix the endpoint (or update the journey if "
    "the flow changed on purpose) before users hit it."
)
NEVER_FIX = (
    "The reply started but never finished: make the stream end (a final event such as "
    "data: [DONE], or close the response) and put a timeout on the model call."
)
SLOW_FIX = "The step is slower than its latency limit: find what it waits on (the model, the database) or raise expect.latency_ms if the limit is wrong."


@dataclass(frozen=True)
class Planned:
    step: str
    method: str
    url: str
    note: str


def join(base: str, target: str) -> str:
    if target.startswith(("http://", "https://")):
        return target
    return urljoin(base if base.endswith("/") else base + "/", target.lstrip("/"))


def limit_ms(s: JourneySettings, step: Step) -> float:
    if step.expect.latency_ms is not None:
        return step.expect.latency_ms
    return s.stream_latency_ms if step.stream else s.latency_ms


def plan(s: JourneySettings, base: str) -> list[Planned]:
    out = []
    for st in s.steps:
        notes = [f"limit {limit_ms(s, st):g} ms"]
        if st.stream:
            notes.append(f"streamed ({st.stream})")
        if st.captures:
            notes.append("captures " + ", ".join(c.var for c in st.captures))
        out.append(Planned(st.name, st.method, join(base, st.target.shown()), "; ".join(notes)))
    return out


class StepFailed(Exception):
    """An expectation did not hold (the step is ``fail``)."""

    def __init__(self, message: str, fix: str = FIX) -> None:
        super().__init__(message)
        self.fix = fix


def _request_parts(step: Step, values: Values, identities: Mapping[str, Identity]) -> tuple[dict[str, str], Any, Any]:
    headers: dict[str, str] = {}
    if step.identity:
        headers.update(identities[step.identity].headers())
    for name, t in step.headers:
        headers[name] = values.render(t)
    data: Any = None
    json_body: Any = None
    if step.body_kind == "json":
        json_body = values.render_tree(step.body)
    elif step.body_kind == "form":
        data = urlencode(values.render_tree(step.body))
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif step.body_kind == "raw":
        data = values.render(step.body)
    if step.stream == "sse":
        headers.setdefault("Accept", "text/event-stream")
    return headers, data, json_body


def _cookie(r: Fetched, name: str) -> str | None:
    for sc in r.set_cookies:
        first = sc.split(";", 1)[0]
        k, _, v = first.partition("=")
        if k.strip() == name and v.strip():
            return v.strip()
    return None


def _judge(step: Step, r: Fetched, limit: float, values: Values) -> tuple[str, dict[str, Any]]:
    """Check the expectations and make the captures; raise StepFailed on the first miss."""
    ev: dict[str, Any] = {}
    want = step.expect.status
    if (want and r.status not in want) or (not want and not 200 <= r.status < 300):
        expected = " or ".join(map(str, want)) if want else "2xx"
        raise StepFailed(f"answered {r.status}, expected {expected}")
    if r.elapsed_ms > limit:
        raise StepFailed(f"took {r.elapsed_ms:.0f} ms, over the {limit:g} ms limit", SLOW_FIX)
    doc: Any = None
    if step.expect.json or any(c.source == "json" for c in step.captures):
        try:
            doc = json.loads(r.body)
        except ValueError:
            raise StepFailed(f"the reply is not JSON ({r.content_type or 'no content type'})") from None
    for j in step.expect.json:
        found, value = json_get(doc, j.path)
        if not found:
            raise StepFailed(f"the reply has no {j.path}")
        if j.equals is not None and as_text(value) != values.render(j.equals):
            raise StepFailed(f"{j.path} is not the expected value")
    text = r.text
    for t in step.expect.body_contains:
        if values.render(t) not in text:
            raise StepFailed(f"the reply does not contain {redact.scrub(t.shown())!r}")
    message = f"{r.status} in {r.elapsed_ms:.0f} ms"
    if step.stream:
        reply = reply_text(r.body, step.stream).strip()
        ev["reply_chars"] = len(reply)
        if r.truncated:
            raise StepFailed("the streamed reply is larger than the read cap and was cut off")
        if not reply:
            raise StepFailed("the streamed reply finished without any text")
        for t in step.expect.reply_contains:
            if values.render(t) not in reply:
                raise StepFailed(f"the reply does not contain {redact.scrub(t.shown())!r}")
        message += f", streamed reply of {len(reply)} characters"
    elif step.expect.reply_contains:
        reply = reply_text(r.body, "auto")
        for t in step.expect.reply_contains:
            if values.render(t) not in reply:
                raise StepFailed(f"the reply does not contain {redact.scrub(t.shown())!r}")
    for name in step.expect.cookies:
        if _cookie(r, name) is None:
            raise StepFailed(f"no {name} cookie was set (Set-Cookie: {name}=...)")
    for name in step.expect.headers:
        if r.header(name) is None:
            raise StepFailed(f"no {name} header in the reply")
    captured = []
    for c in step.captures:
        got: str | None
        if c.source == "json":
            found, value = json_get(doc, c.where)
            got = as_text(value) if found and value not in (None, "") else None
        elif c.source == "header":
            got = r.header(c.where)
        else:
            got = _cookie(r, c.where)
        if not got:
            where = {"json": f"{c.where} in the reply", "header": f"{c.where} header", "cookie": f"{c.where} cookie"}[
                c.source
            ]
            raise StepFailed(f"could not capture {c.var}: no {where}")
        values.capture(c.var, got, c.secret)
        captured.append(c.var)
    if captured:
        ev["captured"] = captured
        message += f", captured {', '.join(captured)}"
    return message, ev


def run_step(
    s: JourneySettings, step: Step, base: str, client: Client, values: Values, identities: Mapping[str, Identity]
) -> CheckResult:
    shown = join(base, step.target.shown())
    limit = limit_ms(s, step)
    ev: dict[str, Any] = {"method": step.method, "limit_ms": round(limit)}
    try:
        url = join(base, values.render(step.target))
        headers, data, json_body = _request_parts(step, values, identities)
    except (MissingValue, MissingIdentity) as exc:
        return CheckResult(
            step.check_id,
            Status.ERROR,
            Severity.HIGH,
            shown,
            f"could not run: {exc}",
            "Set the variable in the job's environment (from a secret) or fix the journey.",
            ev,
        )
    if urlsplit(url).scheme not in ("http", "https"):
        return CheckResult(
            step.check_id, Status.ERROR, Severity.HIGH, shown, "could not run: the step's URL is not http(s)", FIX, ev
        )
    until = sse_done if step.stream in ("sse", "auto") else None
    timeout = max(limit / 1000.0, 0.1)
    start = time.perf_counter()
    try:
        r = client.request(
            step.check_id,
            step.method,
            url,
            headers=headers,
            data=data,
            json_body=json_body,
            timeout=timeout,
            until=until,
        )
    except (requests.ReadTimeout, requests.Timeout) as exc:
        took = (time.perf_counter() - start) * 1000
        ev["ms"] = round(took)
        if isinstance(exc, requests.ConnectTimeout):
            return CheckResult(
                step.check_id,
                Status.ERROR,
                Severity.HIGH,
                shown,
                f"could not connect: {describe_error(exc)}",
                FIX,
                ev,
                round(took),
            )
        text = str(exc)
        started = "body still arriving" in text or text.startswith("read timed out after")
        if started:
            what, fix = ("the streamed reply did not finish" if step.stream else "the reply did not finish"), NEVER_FIX
        else:
            what, fix = "no reply", SLOW_FIX
        return CheckResult(
            step.check_id,
            Status.FAIL,
            Severity.HIGH,
            shown,
            f"{what} within the {limit:g} ms limit",
            fix,
            {**ev, "started": started},
            round(took),
        )
    except (BudgetExceeded, HostDown, Cancelled) as exc:
        return CheckResult(step.check_id, Status.ERROR, Severity.HIGH, shown, f"not sent: {exc}", FIX, ev)
    except (CredentialsRefused, ForbiddenAddress) as exc:
        # an identity's credentials for an origin that is neither the journey's site nor a
        # live target, or a link-local/metadata address: refused before sending
        return CheckResult(
            step.check_id, Status.ERROR, Severity.HIGH, shown, describe_error(exc), FIX, {**ev, "refused": True}
        )
    except (requests.RequestException, OSError) as exc:
        took = (time.perf_counter() - start) * 1000
        return CheckResult(
            step.check_id,
            Status.ERROR,
            Severity.HIGH,
            shown,
            f"could not check: {describe_error(exc)}",
            FIX,
            {**ev, "error": describe_error(exc)},
            round(took),
        )
    ev.update({"status": r.status, "ms": round(r.elapsed_ms)})
    try:
        message, extra = _judge(step, r, limit, values)
    except StepFailed as exc:
        ev["body"] = excerpt(r.body)
        return CheckResult(
            step.check_id, Status.FAIL, Severity.HIGH, shown, redact.scrub(str(exc)), exc.fix, ev, round(r.elapsed_ms)
        )
    except MissingValue as exc:
        return CheckResult(
            step.check_id, Status.ERROR, Severity.HIGH, shown, f"could not judge: {exc}", FIX, ev, round(r.elapsed_ms)
        )
    ev.update(extra)
    return CheckResult(step.check_id, Status.PASS, Severity.HIGH, shown, message, "", ev, round(r.elapsed_ms))


def run_journey(
    s: JourneySettings, base: str, client: Client, values: Values, identities: Mapping[str, Identity]
) -> list[CheckResult]:
    """Every step in order; after the first step that does not pass, the rest are ``skip``."""
    out: list[CheckResult] = []
    broken: CheckResult | None = None
    for step in s.steps:
        shown = join(base, step.target.shown())
        if broken is not None:
            out.append(
                CheckResult(
                    step.check_id,
                    Status.SKIP,
                    Severity.INFO,
                    shown,
                    f"not run: step {broken.id.split('.', 1)[1]!r} did not pass ({broken.status.value})",
                )
            )
            continue
        res = run_step(s, step, base, client, values, identities)
        out.append(res)
        if res.status is not Status.PASS:
            broken = res
    return out
