"""``exposure.*``: files and pages that must never be public. Matches on content, not status.

Many sites answer 200 with their HTML shell for every path, so every probe is judged by
what the body is (an env file's KEY=value lines, a git config's [core] section, a source
map's JSON, a stack trace), never by the status code alone.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin

from launchready.live.base import (
    NETWORK_ERRORS,
    Planned,
    Run,
    cannot_judge,
    errored,
    page_problem,
    result,
    scripts_in,
    stack_trace,
)
from launchready.live.config import Target
from launchready.live.http import Fetched, describe_error
from launchready.model import CheckResult, Severity, Status

AREA = "exposure"
PHASE = 0
IDS = ("exposure.env-file", "exposure.git", "exposure.backup-files", "exposure.source-maps", "exposure.debug-page")
FIX = {
    "exposure.env-file": "Remove the env file from the web root, rotate every credential in it, and block dotfiles at the server/CDN.",
    "exposure.git": "Do not deploy the .git directory (or deny /.git/ at the server); assume the source and its history are public.",
    "exposure.backup-files": "Delete backup, dump and editor files from the web root and deny such extensions at the server.",
    "exposure.source-maps": "Do not upload *.map files with the public build (or restrict them to your error tracker).",
    "exposure.debug-page": "Turn off debug mode in production and return generic error pages.",
}
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?[A-Z][A-Z0-9_]{1,63}\s*=", re.M)


def _is_env(body: bytes) -> bool:
    text = body[:65536].decode("utf-8", "replace")
    if text.lstrip()[:1] in ("<", "{", "["):
        return False
    return (
        len(_ENV_LINE.findall(text)) >= 1
        and sum(1 for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#") and "=" not in ln) <= 2
    )


def _is_git_config(body: bytes) -> bool:
    t = body[:8192].decode("utf-8", "replace")
    return "[core]" in t and ("repositoryformatversion" in t or "bare =" in t)


def _is_git_head(body: bytes) -> bool:
    t = body[:200].decode("utf-8", "replace").strip()
    return bool(re.fullmatch(r"ref: refs/[\w./-]+|[0-9a-f]{40}|[0-9a-f]{64}", t))


def _is_sql(body: bytes) -> bool:
    t = body[:65536].decode("utf-8", "replace")
    return bool(
        re.search(r"^(?:-- (?:MySQL|MariaDB) dump|-- PostgreSQL database dump|CREATE TABLE|INSERT INTO)", t, re.M)
    ) and not t.lstrip().startswith("<")


def _is_archive(body: bytes) -> bool:
    return body[:4] == b"PK\x03\x04" or body[:2] == b"\x1f\x8b" or body[:6] == b"7z\xbc\xaf\x27\x1c"


def _is_source(body: bytes) -> bool:
    t = body[:8192].decode("utf-8", "replace")
    return t.lstrip().startswith("<?php") or bool(
        re.search(r"^(?:import |from \w+ import |const \w+ = require\()", t, re.M)
    )


def _is_swap(body: bytes) -> bool:
    return body[:6] == b"b0VIM " or body[:8] == b"\x00\x00\x00\x01Bud1"


def _is_htpasswd(body: bytes) -> bool:
    t = body[:4096].decode("utf-8", "replace").strip()
    return bool(t) and all(
        re.fullmatch(r"[\w.@-]+:(?:\$apr1\$|\$2[aby]\$|\{SHA\}|\$[156]\$)\S+", ln.strip())
        for ln in t.splitlines()
        if ln.strip()
    )


def looks_html(body: bytes) -> bool:
    """An HTML page (an SPA shell, an error page): never one of the files probed for."""
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<!--")) or b"<html" in head


Matcher = Callable[[bytes], bool]
GATEWAY_ERRORS = {502, 503, 504}
PROBES: dict[str, list[tuple[str, Matcher]]] = {
    "exposure.env-file": [
        (p, _is_env)
        for p in (
            "/.env",
            "/.env.local",
            "/.env.production",
            "/.env.production.local",
            "/.env.development",
            "/.env.backup",
            "/.env.bak",
            "/.env.old",
            "/.env.save",
            "/api/.env",
        )
    ],
    "exposure.git": [("/.git/config", _is_git_config), ("/.git/HEAD", _is_git_head)],
    "exposure.backup-files": [
        ("/backup.sql", _is_sql),
        ("/dump.sql", _is_sql),
        ("/db.sql", _is_sql),
        ("/database.sql", _is_sql),
        ("/backup.zip", _is_archive),
        ("/site.tar.gz", _is_archive),
        ("/.htpasswd", _is_htpasswd),
        ("/.DS_Store", _is_swap),
        ("/index.php.bak", _is_source),
        ("/.index.php.swp", _is_swap),
        ("/config.js.bak", _is_source),
        ("/wp-config.php.bak", _is_source),
        ("/server.js.bak", _is_source),
    ],
}


def _is_source_map(body: bytes) -> bool:
    try:
        data = json.loads(body[:MAX_MAP].decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("version") == 3 and ("mappings" in data or "sections" in data)


MAX_MAP = 2 * 1024 * 1024


def _actuator_env(r: Fetched) -> str | None:
    if not 200 <= r.status < 300 or looks_html(r.body):
        return None
    try:
        data = json.loads(r.body[:MAX_MAP].decode("utf-8", "replace"))
    except ValueError:
        return None
    if isinstance(data, dict) and ("propertySources" in data or "activeProfiles" in data):
        return "Spring Boot /actuator/env is public (configuration and environment)"
    return None


def _heapdump(r: Fetched) -> str | None:
    if 200 <= r.status < 300 and (r.body[:18] == b"JAVA PROFILE 1.0.2" or r.body[:18] == b"JAVA PROFILE 1.0.1"):
        return "Spring Boot /actuator/heapdump is public (a memory dump with secrets)"
    return None


def _any_trace(r: Fetched) -> str | None:
    return stack_trace(r.text)


def _console(r: Fetched) -> str | None:
    if "Werkzeug" in r.text and ("console" in r.text.lower() or "__debugger__" in r.text):
        return "Werkzeug debugger console at /console"
    return None


def _phpinfo(r: Fetched) -> str | None:
    if 200 <= r.status < 300 and re.search(r"<title>phpinfo\(\)</title>|>PHP Version \d", r.text):
        return "phpinfo() page is public"
    return None


DebugMatcher = Callable[[Fetched], str | None]
# paths where a framework's debugging tools answer when debug mode or its admin endpoints are left on
DEBUG_PROBES: list[tuple[str, DebugMatcher]] = [
    ("/console", _console),
    ("/actuator/env", _actuator_env),
    ("/actuator/heapdump", _heapdump),
    ("/phpinfo.php", _phpinfo),
    ("/info.php", _phpinfo),
]


def plan(run: Run, target: Target) -> list[Planned]:
    out = [Planned("GET", urljoin(target.url, p), cid) for cid, probes in PROBES.items() for p, _ in probes]
    out += [
        Planned("GET", urljoin(target.url, p), "exposure.env-file (configured)") for p in run.settings.exposure_paths
    ]
    out.append(Planned("GET", target.url, "shared page fetch; then <script>.map for each same-origin script"))
    out.append(Planned("GET", urljoin(target.url, "/launchready-not-found-<random>"), "exposure.debug-page"))
    out += [Planned("GET", urljoin(target.url, p), "exposure.debug-page") for p, _ in DEBUG_PROBES]
    return out


def check(run: Run, target: Target) -> list[CheckResult]:
    out: list[CheckResult] = []
    probes = dict(PROBES)
    if run.settings.exposure_paths:
        probes["exposure.env-file"] = probes["exposure.env-file"] + [(p, _is_env) for p in run.settings.exposure_paths]
    jobs: list[tuple[str, str, Callable[[Fetched], str | None]]] = [
        (cid, path, _file_matcher(matcher))
        for cid, items in probes.items()
        if run.selected(cid)
        for path, matcher in items
    ]
    if run.selected("exposure.debug-page"):
        jobs.append(("exposure.debug-page", f"/launchready-not-found-{os.urandom(6).hex()}", _any_trace))
        jobs += [("exposure.debug-page", path, m) for path, m in DEBUG_PROBES]

    def probe(
        job: tuple[str, str, Callable[[Fetched], str | None]],
    ) -> tuple[str, str, dict[str, object] | None, str | None]:
        cid, path, matcher = job
        url = urljoin(target.url, path)
        try:
            r = run.client.request(cid, "GET", url)
        except NETWORK_ERRORS as exc:
            return cid, path, None, f"{path}: {describe_error(exc)}"
        if r.status in GATEWAY_ERRORS:  # the proxy could not reach the app: what it would serve is unseen
            return cid, path, None, f"{path}: answered {r.status}"
        what = matcher(r)
        hit: dict[str, object] = {"url": url, "status": r.status, "bytes": len(r.body), "content_type": r.content_type}
        if what and cid == "exposure.debug-page":
            hit["marker"] = what
        return cid, path, (hit if what else {}), None

    # probes run side by side; the client keeps the number of open requests polite
    with ThreadPoolExecutor(
        max_workers=max(1, min(4, run.settings.concurrency)), thread_name_prefix="launchready-exposure"
    ) as pool:
        answers = list(pool.map(probe, jobs))
    for cid in probes:
        if not run.selected(cid):
            continue
        mine = [a for a in answers if a[0] == cid]
        hits = [a[2] for a in mine if a[2]]
        errors = [a[3] for a in mine if a[3]]
        looked = sum(1 for a in mine if a[2] is not None)
        out.append(_judge(cid, target.url, hits, looked, errors))
    if run.selected("exposure.source-maps"):
        out.append(_source_maps(run, target))
    if run.selected("exposure.debug-page"):
        out.append(_debug(run, target, [a for a in answers if a[0] == "exposure.debug-page"]))
    return out


def _file_matcher(matcher: Matcher) -> Callable[[Fetched], str | None]:
    def match(r: Fetched) -> str | None:
        return "served" if 200 <= r.status < 300 and not looks_html(r.body) and matcher(r.body) else None

    return match


def _judge(cid: str, url: str, hits: list[dict[str, object]], looked: int, errors: list[str]) -> CheckResult:
    sev = {"exposure.env-file": Severity.CRITICAL, "exposure.git": Severity.HIGH}.get(cid, Severity.HIGH)
    if hits:
        paths = ", ".join(str(h["url"]) for h in hits)
        ev: dict[str, object] = {"exposed": hits}
        if errors:
            ev["errors"] = errors
        return result(cid, Status.FAIL, sev, url, f"publicly readable: {paths}", FIX[cid], ev)
    if errors:  # a path we could not probe may serve it: never pass on it
        return result(
            cid,
            Status.ERROR,
            sev,
            url,
            f"could not check: {len(errors)} of {looked + len(errors)} probe(s) failed (" + "; ".join(errors[:3]) + ")",
            evidence={"errors": errors, "probed": looked},
        )
    return result(
        cid, Status.PASS, sev, url, f"none of {looked} probed path(s) served that content", evidence={"probed": looked}
    )


def _source_maps(run: Run, target: Target) -> CheckResult:
    cid = "exposure.source-maps"
    try:
        page = run.client.get_shared(cid, target.url)
    except NETWORK_ERRORS as exc:
        return errored(cid, Severity.MEDIUM, target.url, exc)
    problem = page_problem(page, need_html=True)
    if problem:
        return cannot_judge(cid, Severity.MEDIUM, target.url, problem, page)
    scripts, _ = scripts_in(page)
    scripts = scripts[: run.settings.bundle_max_scripts]
    if not scripts:
        return result(
            cid,
            Status.PASS,
            Severity.MEDIUM,
            target.url,
            "the page loads no same-origin scripts",
            evidence={"scripts": 0},
        )
    exposed: list[str] = []
    errors: list[str] = []
    for script in scripts:
        candidates = [script.split("?", 1)[0] + ".map"]
        try:
            js = run.client.get_shared("bundle.secret", script)
        except NETWORK_ERRORS as exc:
            errors.append(f"{script}: {describe_error(exc)}")
        else:
            m = re.search(r"[#@]\s*sourceMappingURL=(\S+)", js.text[-4096:])
            if m and not m.group(1).startswith("data:"):
                mapped = urljoin(script, m.group(1))
                if mapped not in candidates:
                    candidates.insert(0, mapped)
        for map_url in candidates:
            try:
                r = run.client.request(cid, "GET", map_url)
            except NETWORK_ERRORS as exc:
                errors.append(f"{map_url}: {describe_error(exc)}")
                continue
            if r.status in GATEWAY_ERRORS:
                errors.append(f"{map_url}: answered {r.status}")
                continue
            if 200 <= r.status < 300 and _is_source_map(r.body):
                exposed.append(map_url)
                break
    ev: dict[str, object] = {"scripts": len(scripts)}
    if errors:
        ev["errors"] = errors
    if exposed:
        ev["maps"] = exposed
        return result(
            cid,
            Status.FAIL,
            Severity.MEDIUM,
            target.url,
            f"{len(exposed)} source map(s) public: {', '.join(exposed[:5])}",
            FIX[cid],
            ev,
        )
    if errors:
        return result(
            cid,
            Status.ERROR,
            Severity.MEDIUM,
            target.url,
            f"could not check: {len(errors)} request(s) for scripts or maps failed ({errors[0]})",
            evidence=ev,
        )
    return result(
        cid,
        Status.PASS,
        Severity.MEDIUM,
        target.url,
        f"no source maps served for {len(scripts)} script(s)",
        evidence=ev,
    )


def _debug(
    run: Run, target: Target, answers: list[tuple[str, str, dict[str, object] | None, str | None]]
) -> CheckResult:
    cid = "exposure.debug-page"
    seen: list[dict[str, object]] = [a[2] for a in answers if a[2]]
    errors = [a[3] for a in answers if a[3]]
    looked = sum(1 for a in answers if a[2] is not None)
    try:
        page = run.client.get_shared(cid, target.url)
    except NETWORK_ERRORS as exc:
        errors.insert(0, f"{target.url}: {describe_error(exc)}")
    else:
        looked += 1
        marker = stack_trace(page.text)
        if marker:
            seen.insert(0, {"url": target.url, "status": page.status, "marker": marker})
    ev: dict[str, object] = {"probed": looked}
    if errors:
        ev["errors"] = errors
    if seen:
        ev["pages"] = seen
        return result(
            cid,
            Status.FAIL,
            Severity.HIGH,
            target.url,
            "debug page or stack trace served: " + str(seen[0]["marker"]),
            FIX[cid],
            ev,
        )
    if errors:
        return result(
            cid,
            Status.ERROR,
            Severity.HIGH,
            target.url,
            f"could not check: {len(errors)} of {looked + len(errors)} request(s) failed ({errors[0]})",
            evidence=ev,
        )
    return result(
        cid,
        Status.PASS,
        Severity.HIGH,
        target.url,
        f"no debug page or stack trace on the page, a not-found path or {len(DEBUG_PROBES)} debug-tool paths",
        evidence=ev,
    )
