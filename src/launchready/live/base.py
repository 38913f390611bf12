"""What every live check module shares: the run context, result helpers and detectors.

A check module defines ``AREA`` (its run kind for the scorecard), ``IDS`` (every check id it
can report), ``PHASE`` (ordering: 0 passive, 1 authz and input, 2 latency, 3 bursts),
``plan(run, target) -> list[Planned]`` (for ``--dry-run``; nothing is sent) and
``check(run, target) -> list[CheckResult]``. The runner turns any exception into ``error``.
"""

from __future__ import annotations

import html
import http.client
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions

from launchready.config import Config
from launchready.live.config import LiveSettings
from launchready.live.http import (
    BudgetExceeded,
    Client,
    CredentialsRefused,
    Fetched,
    ForbiddenAddress,
    HostDown,
    OffTarget,
    describe_error,
)
from launchready.model import CheckResult, Severity, Status


@dataclass
class Run:
    settings: LiveSettings
    client: Client
    selected: Callable[[str], bool] = lambda _id: True
    notes: list[str] = field(default_factory=list)
    config: Config = field(default_factory=Config)  # the rules ``bundle.secret`` scans with


# What a check may catch and turn into ``error``: the network (timeouts, refusals, TLS, broken
# connections), an origin given up as unreachable, the run's budgets, and the client's
# refusals (a page that is not the target's, credentials for another origin, a metadata
# address). Anything else is a bug and reaches the runner, which reports it as an internal
# error (never ``pass``).
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    requests.RequestException,
    OSError,
    http.client.HTTPException,
    urllib3.exceptions.HTTPError,
    BudgetExceeded,
    HostDown,
    OffTarget,
    CredentialsRefused,
    ForbiddenAddress,
)


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
    return result(
        check_id,
        Status.ERROR,
        severity,
        target,
        f"could not check: {describe_error(exc)}",
        fix,
        {"error": describe_error(exc)},
    )


def skipped(check_id: str, target: str, reason: str, severity: Severity = Severity.INFO) -> CheckResult:
    return result(check_id, Status.SKIP, severity, target, reason)


def is_html(page: Fetched) -> bool:
    head = page.body[:512].lstrip().lower()
    return "html" in page.content_type or head.startswith((b"<!doctype html", b"<html"))


def page_problem(page: Fetched, need_html: bool = False) -> tuple[Status, str] | None:
    """Why a page-based check cannot judge ``page``: (``error`` or ``skip``, reason), else None.

    Page checks judge the page a browser gets: it must answer 2xx (a 403 from an empty web
    root, a 502 with the app down or a CDN challenge is not the page: ``error``); checks that
    read scripts also need HTML (a JSON API root is ``skip``).
    """
    if not 200 <= page.status < 300:
        return Status.ERROR, f"could not check: the page answered {page.status}, not a 2xx page ({page.url})"
    if need_html and not is_html(page):
        return Status.SKIP, f"not applicable: the page is not HTML ({page.content_type or 'no Content-Type'})"
    return None


def cannot_judge(
    check_id: str, severity: Severity, target: str, problem: tuple[Status, str], page: Fetched
) -> CheckResult:
    status, reason = problem
    return result(
        check_id, status, severity, target, reason, evidence={"status": page.status, "content_type": page.content_type}
    )


def same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.hostname, pa.port or _default_port(pa.scheme)) == (
        pb.scheme,
        pb.hostname,
        pb.port or _default_port(pb.scheme),
    )


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


# --- detectors shared by exposure, input and bundle ---------------------------------------

STACK_TRACE_PATTERNS = [
    # Python: tracebacks, Werkzeug's debugger, Django's debug pages (Django 5 writes You’re with U+2019)
    re.compile(r"Traceback \(most recent call last\)"),
    re.compile(r"Werkzeug Debugger|werkzeug\.debug|__debugger__"),
    re.compile(r"You[\u2019']re seeing this error because you have (?:<code>)?DEBUG = True"),
    re.compile(r"File \"[^\"]+\.py\", line \d+, in \w+"),
    # Node/Express: "    at fn (/srv/app.js:12:5)" lines (Express's dev handler sends them as HTML)
    re.compile(r"\n\s*at [\w$.<>\[\] ]+ \((?:/|[A-Za-z]:\\|node:|file:)[^)]*:\d+:\d+\)"),
    re.compile(r"\n\s*at (?:/|node:)[\w./@-]+:\d+:\d+"),
    re.compile(r"\bat (?:Object|Module|Function)\.<anonymous> \("),
    # Java/Spring Boot: stack frames and the whitelabel error page
    re.compile(r"\n\s*at [a-z][\w$]*(?:\.[\w$<>]+)+\([\w$]+\.java:\d+\)"),
    re.compile(r"Whitelabel Error Page"),
    # Rails, Laravel/Symfony
    re.compile(
        r"ActionController::RoutingError|ActiveRecord::\w+Error|Action Controller: Exception caught|Whoops, looks like something went wrong"
    ),
    re.compile(r"Illuminate\\\\?[A-Z]\w+|Symfony\\\\?Component\\\\?ErrorHandler"),
    # ASP.NET yellow screen
    re.compile(r"\[Microsoft\]\[ODBC|Server Error in '[^']*' Application|System\.\w+Exception:"),
    # PHP
    re.compile(
        r"<title>phpinfo\(\)</title>|PHP Version \d+\.\d+[^<]{0,40}</h1>|<b>(?:Fatal error|Warning|Parse error)</b>:\s"
    ),
    re.compile(r"goroutine \d+ \[running\]:"),
    # Next.js development overlay / dev-mode error data
    re.compile(r"(?:Unhandled Runtime Error|<nextjs-portal|data-nextjs-dialog|__NEXT_DATA__[^<]{0,200}\"err\":\{)"),
]

_TAG = re.compile(r"<[^>]{0,2000}>")


def normalise_html(text: str) -> str:
    """Text as a person reads it from an HTML error page: ``<br>`` and block ends become newlines,
    tags go, entities (``&nbsp;``, ``&lt;``) are decoded. Stack traces hide behind all three."""
    t = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|pre|tr|h\d)>", "\n", text)
    t = _TAG.sub("", t)
    return html.unescape(t).replace("\xa0", " ")


def stack_trace(text: str) -> str | None:
    """The first stack-trace or debug-page marker in ``text`` (raw, then with HTML normalised;
    a short excerpt), else None."""
    for candidate in (text, normalise_html(text)) if "<" in text or "&" in text else (text,):
        for rx in STACK_TRACE_PATTERNS:
            m = rx.search(candidate)
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
            if (
                (a.get("rel") or "").lower() in ("modulepreload", "preload")
                and (a.get("as") in (None, "script"))
                and a.get("href")
            ):
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
    except (ValueError, AssertionError):  # malformed HTML: keep what was parsed
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
