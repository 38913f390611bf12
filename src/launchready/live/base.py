"""What every live check module shares: the run context, result helpers and detectors.

A check module defines ``AREA`` (its run kind for the scorecard), ``IDS`` (every check id it
can report), ``PHASE`` (ordering: 0 passive, 1 authz and input, 2 latency, 3 bursts),
``plan(run, target) -> list[Planned]`` (for ``--dry-run``; nothing is sent) and
``check(run, target) -> list[CheckResult]``. The runner turns any exception into ``error``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from launchready.live.config import LiveSettings
from launchready.live.http import Client, Fetched, describe_error
from launchready.model import CheckResult, Severity, Status


@dataclass
class Run:
    settings: LiveSettings
    client: Client
    selected: Callable[[str], bool] = lambda _id: True
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    method: str
    url: str
    note: str = ""


def result(
    check_id: str,
    status: Status,
    severity: Severity,
    target: str,
    message: str,
    fix: str = "",
    evidence: dict[str, Any] | None = None,
) -> CheckResult:
    return CheckResult(check_id, status, severity, target, message, fix, evidence or {})


def errored(check_id: str, severity: Severity, target: str, exc: BaseException, fix: str = "") -> CheckResult:
    return result(check_id, Status.ERROR, severity, target, f"could not check: {describe_error(exc)}", fix,
                  {"error": describe_error(exc)})  # fmt: skip


def skipped(check_id: str, target: str, reason: str, severity: Severity = Severity.INFO) -> CheckResult:
    return result(check_id, Status.SKIP, severity, target, reason)



def same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port or _default_port(pa.scheme)) == (
        pb.scheme, pb.hostname, pb.port or _default_port(pb.scheme))  # fmt: skip


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


# --- detectors shared by exposure, input and bundle ---------------------------------------

STACK_TRACE_PATTERNS = [
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"Werkzeug Debugger|werkzeug\.debug"),
    re.compile(r"You're seeing this error because you have <code>DEBUG = True</code>"),
    re.compile(r"\n\s+at [\w$.<>\[\] ]+ \((?:/|[A-Za-z]:\\|node:|file:)[^)]*:\d+:\d+\)"),
    re.compile(r"\bat (?:Object|Module|Function)\.<anonymous> \("),
    re.compile(r"\n\s+at [a-z][\w$]*(?:\.[\w$<>]+)+\([\w$]+\.java:\d+\)"),
    re.compile(r"ActionController::RoutingError|ActiveRecord::\w+Error|Whoops, looks like something went wrong"),
    re.compile(r"Illuminate\\\\?[A-Z]\w+|Symfony\\\\?Component\\\\?ErrorHandler"),
    re.compile(r"\[Microsoft\]\[ODBC|Server Error in '/' Application|System\.\w+Exception:"),
    re.compile(r"File \"[^\"]+\.py\", line \d+, in \w+"),
    re.compile(r"goroutine \d+ \[running\]:"),
    re.compile(r"(?:Unhandled Runtime Error|__NEXT_DATA__[^<]{0,200}\"err\":\{)"),
]


def stack_trace(text: str) -> str | None:
    """The first stack-trace or debug-page marker in ``text`` (a short excerpt), else None."""
    for rx in STACK_TRACE_PATTERNS:
        m = rx.search(text)
        if m:
            return m.group(0).strip()[:120]
    return None


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.srcs: list[str] = []
        self.inline: list[str] = []
        self._in_script = False
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            src = dict(attrs).get("src")
            if src:
                self.srcs.append(src)
            else:
                self._in_script = True
                self._buf = []
        elif tag == "link":
            a = dict(attrs)
            if (a.get("rel") or "").lower() in ("modulepreload", "preload") and (a.get("as") in (None, "script")) and a.get("href"):
                href = a["href"] or ""
                if href.endswith((".js", ".mjs")) or a.get("as") == "script":
                    self.srcs.append(href)

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            self.inline.append("".join(self._buf))
            self._in_script = False


def scripts_in(page: Fetched) -> tuple[list[str], list[str]]:
    """(same-origin absolute script URLs, inline script texts) of an HTML page."""
    if "html" not in page.content_type and not page.text.lstrip()[:200].lower().startswith(("<!doctype", "<html")):
        return [], []
    parser = _Scripts()
    try:
        parser.feed(page.text)
        parser.close()
    except Exception:  # malformed HTML: keep what was parsed
        pass
    urls: list[str] = []
    for src in parser.srcs:
        full = urljoin(page.url, src.strip())
        if same_origin(full, page.url) and full not in urls:
            urls.append(full)
    return urls, parser.inline


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]
