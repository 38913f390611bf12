"""Journey state between runs and the webhook that says when it changed.

The state file (``--state FILE`` or ``journey.notify.state_file``) holds the last run's
outcome: ``{"version": 1, "status": "pass"|"fail", "since": ..., "updated": ..., "step": ...}``.
A scheduled workflow keeps it between runs with Actions' cache (docs/workflows/journey.yml).

A message is posted only when the status changes: passing -> failing ("journey failing at
step X"), failing -> passing ("journey recovered"), and on a first run that fails (no state
yet: nobody has been told). A first run that passes, and every run that repeats the last
status, posts nothing. Messages are short and pass through ``redact.scrub``; they name the
step and its reason, never a captured value.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from launchready import redact
from launchready.bounded import BoundedReadError, read_regular
from launchready.model import CheckResult, Status
from launchready.outfiles import replace_text

STATE_VERSION = 1
MAX_STATE_BYTES = 1 << 20  # a state file is a few hundred bytes
STATE_HINT = "name a file to keep the journey's state in"


@dataclass(frozen=True)
class State:
    status: str  # pass | fail
    since: str  # when this status started (UTC, ISO 8601)
    updated: str
    step: str = ""  # the step that did not pass
    reason: str = ""


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def outcome(checks: list[CheckResult]) -> tuple[str, CheckResult | None]:
    """("pass", None) when every step passed; ("fail", the first step that did not)."""
    for c in checks:
        if c.status is not Status.PASS:
            return "fail", c
    return ("pass", None) if checks else ("fail", None)


def read_state(path: Path) -> tuple[State | None, str]:
    """The last state, or (None, why) when there is none or it cannot be read (never fatal)."""
    try:
        # never a FIFO or a device (a read would wait, or never end), never a huge file
        raw = read_regular(path, MAX_STATE_BYTES).decode("utf-8")
    except FileNotFoundError:
        return None, ""
    except BoundedReadError as exc:
        return None, f"journey state {path}: cannot read ({exc}); starting fresh"
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"journey state {path}: cannot read ({exc.__class__.__name__}); starting fresh"
    try:
        d = json.loads(raw)
        if not isinstance(d, dict) or d.get("version") != STATE_VERSION or d.get("status") not in ("pass", "fail"):
            raise ValueError("not a journey state file")
        return State(
            str(d["status"]),
            str(d.get("since", "")),
            str(d.get("updated", "")),
            str(d.get("step", "")),
            str(d.get("reason", "")),
        ), ""
    except ValueError:
        return None, f"journey state {path}: not a launchready journey state file; starting fresh"


def next_state(prev: State | None, status: str, broken: CheckResult | None) -> State:
    stamp = now_iso()
    since = prev.since if prev is not None and prev.status == status and prev.since else stamp
    step = broken.id.split(".", 1)[1] if broken is not None else ""
    reason = redact.scrub(broken.message)[:200] if broken is not None else ""
    return State(status, since, stamp, step, reason)


def write_state(path: Path, state: State) -> None:
    """Write atomically (``outfiles.replace_text``): a killed run loses nothing."""
    data = {
        "version": STATE_VERSION,
        "status": state.status,
        "since": state.since,
        "updated": state.updated,
        "step": state.step,
        "reason": state.reason,
    }
    replace_text(path, json.dumps(data, indent=2) + "\n", "--state", STATE_HINT)


def change(prev: State | None, now: State) -> str | None:
    """``failing``, ``recovered`` or None (nothing to say)."""
    if now.status == "fail" and (prev is None or prev.status == "pass"):
        return "failing"
    if now.status == "pass" and prev is not None and prev.status == "fail":
        return "recovered"
    return None


def message(event: str, target: str, now: State, prev: State | None, run_url: str = "") -> str:
    if event == "failing":
        text = f"launchready journey FAILING on {target}: step '{now.step}' {now.reason}".rstrip()
    else:
        since = f" (failing since {prev.since})" if prev is not None and prev.since else ""
        text = f"launchready journey recovered on {target}: every step passes again{since}"
    if run_url:
        text += f" - {run_url}"
    return redact.scrub(text)


def detect_format(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    path = urlsplit(url).path
    if host == "hooks.slack.com" or host.endswith(".slack.com"):
        return "slack"
    if host in ("discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com") and path.startswith(
        "/api/webhooks/"
    ):
        return "discord"
    return "json"


def payload(fmt: str, event: str, text: str, target: str, now: State) -> dict[str, Any]:
    if fmt == "slack":
        return {"text": text}
    if fmt == "discord":
        return {"content": text[:2000], "allowed_mentions": {"parse": []}}
    return {
        "event": f"journey.{event}",
        "status": now.status,
        "target": target,
        "step": now.step or None,
        "reason": now.reason or None,
        "since": now.since,
        "text": text,
    }


def post(session: requests.Session, url: str, body: dict[str, Any], timeout: float = 10.0) -> str:
    """POST the message (one wall-clock limit of ``timeout`` for the whole exchange, no
    redirects followed); returns '' on success or a short, redacted reason."""
    from launchready.live.http import describe_error, within

    deadline = within(timeout)
    try:
        with deadline:
            r = session.post(
                url,
                data=json.dumps(body),
                headers={"Content-Type": "application/json"},
                timeout=timeout,
                allow_redirects=False,
            )
            r.close()
    except (requests.RequestException, OSError) as exc:
        if deadline.expired or deadline.passed():
            return f"no complete answer within {timeout:g}s: cut at the time limit"
        return redact.scrub(describe_error(exc))
    if deadline.expired:
        return f"no complete answer within {timeout:g}s: cut at the time limit"
    if not 200 <= r.status_code < 300:
        return f"the webhook answered {r.status_code}"
    return ""
