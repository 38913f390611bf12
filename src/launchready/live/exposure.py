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

from launchready.live.base import Planned, Run, errored, result, scripts_in, stack_trace
from launchready.live.config import Target
from launchready.live.http import Fetched
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
    return len(_ENV_LINE.findall(text)) >= 1 and sum(1 for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#") and "=" not in ln) <= 2


def _is_git_config(body: bytes) -> bool:
    t = body[:8192].decode("utf-8", "replace")
    return "[core]" in t and ("repositoryformatversion" in t or "bare =" in t)


def _is_git_head(body: bytes) -> bool:
    t = body[:200].decode("utf-8", "replace").strip()
    return bool(re.fullmatch(r"ref: refs/[\w./-]+|[0-9a-f]{40}|[0-9a-f]{64}", t))


def _is_sql(body: bytes) -> bool:
    t = body[:65536].decode("utf-8", "replace")
    return bool(re.search(r"^(?:-- (?:MySQL|MariaDB) dump|-- PostgreSQL database dump|CREATE TABLE|INSERT INTO)", t, re.M)) and not t.lstrip().startswith("<")


def _is_archive(body: bytes) -> bool:
    return body[:4] == b"PK\x03\x04" or body[:2] == b"\x1f\x8b" or body[:6] == b"7z\xbc\xaf\x27\x1c"


def _is_source(body: bytes) -> bool:
    t = body[:8192].decode("utf-8", "replace")
    return t.lstrip().startswith("<?php") or bool(re.search(r"^(?:import |from \w+ import |const \w+ = require\()", t, re.M))


def _is_swap(body: bytes) -> bool:
    return body[:6] == b"b0VIM " or body[:8] == b"\x00\x00\x00\x01Bud1"


def _is_htpasswd(body: bytes) -> bool:
    t = body[:4096].decode("utf-8", "replace").strip()
    return bool(t) and all(re.fullmatch(r"[\w.@-]+:(?:\$apr1\$|\$2[aby]\$|\{SHA\}|\$[156]\$)\S+", ln.strip()) for ln in t.splitlines() if ln.strip())


def looks_html(body: bytes) -> bool:
    """An HTML page (an SPA shell, an error page): never one of the files probed for."""
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<!--")) or b"<html" in head


Matcher = Callable[[bytes], bool]
PROBES: dict[str, list[tuple[str, Matcher]]] = {
    "exposure.env-file": [(p, _is_env) for p in (
        "/.env", "/.env.local", "/.env.production", "/.env.production.local", "/.env.development",
        "/.env.backup", "/.env.bak", "/.env.old", "/.env.save", "/api/.env")],
    "exposure.git": [("/.git/config", _is_git_config), ("/.git/HEAD", _is_git_head)],
    "exposure.backup-files": [
        ("/backup.sql", _is_sql), ("/dump.sql", _is_sql), ("/db.sql", _is_sql), ("/database.sql", _is_sql),
        ("/backup.zip", _is_archive), ("/site.tar.gz", _is_archive), ("/.htpasswd", _is_htpasswd),
        ("/.DS_Store", _is_swap), ("/index.php.bak", _is_source), ("/.index.php.swp", _is_swap),
        ("/config.js.bak", _is_source), ("/wp-config.php.bak", _is_source), ("/server.js.bak", _is_source)],
}  # fmt: skip


def _is_source_map(body: bytes) -> bool:
    try:
        data = json.loads(body[:MAX_MAP].decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("version") == 3 and ("mappings" in data or "sections" in data)


MAX_MAP = 2 * 1024 * 1024


def plan(run: Run, target: Target) -> list[Planned]:
    out = [Planned("GET", urljoin(target.url, p), cid) for cid, probes in PROBES.items() for p, _ in probes]
    out += [Planned("GET", urljoin(target.url, p), "exposure.env-file (configured)") for p in run.settings.exposure_paths]
    out.append(Planned("GET", target.url, "shared page fetch; then <script>.map for each same-origin script"))
    out.append(Planned("GET", urljoin(target.url, "/launchready-not-found-<random>"), "exposure.debug-page"))
    return out


def check(run: Run, target: Target) -> list[CheckResult]:
    out: list[CheckResult] = []
    probes = dict(PROBES)
    if run.settings.exposure_paths:
        probes["exposure.env-file"] = probes["exposure.env-file"] + [(p, _is_env) for p in run.settings.exposure_paths]
    jobs = [(cid, path, matcher) for cid, items in probes.items() if run.selected(cid) for path, matcher in items]

    def probe(job: tuple[str, str, Matcher]) -> tuple[str, str, dict[str, object] | None, str | None]:
        cid, path, matcher = job
        url = urljoin(target.url, path)
        try:
            r = run.client.request(cid, "GET", url)
        except Exception as exc:
            return cid, path, None, f"{path}: {type(exc).__name__}"
        hit = {"url": url, "status": r.status, "bytes": len(r.body), "content_type": r.content_type}
        found = 200 <= r.status < 300 and not looks_html(r.body) and matcher(r.body)
        return cid, path, (hit if found else {}), None

    # probes run side by side; the client keeps the number of open requests polite
    with ThreadPoolExecutor(max_workers=max(1, min(4, run.settings.concurrency)), thread_name_prefix="launchready-exposure") as pool:
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
        out.append(_debug(run, target))
    return out


def _judge(cid: str, url: str, hits: list[dict[str, object]], looked: int, errors: list[str]) -> CheckResult:
    sev = {"exposure.env-file": Severity.CRITICAL, "exposure.git": Severity.HIGH}.get(cid, Severity.HIGH)
    if hits:
        paths = ", ".join(str(h["url"]) for h in hits)
        return result(cid, Status.FAIL, sev, url, f"publicly readable: {paths}", FIX[cid], {"exposed": hits})
    if looked == 0 and errors:
        return result(cid, Status.ERROR, sev, url, "could not check: every probe failed (" + "; ".join(errors[:3]) + ")", evidence={"errors": errors})
    ev: dict[str, object] = {"probed": looked}
    if errors:
        ev["errors"] = errors
    return result(cid, Status.PASS, sev, url, f"none of {looked} probed path(s) served that content", evidence=ev)


def _source_maps(run: Run, target: Target) -> CheckResult:
    cid = "exposure.source-maps"
    try:
        page = run.client.get_shared(cid, target.url)
    except Exception as exc:
        return errored(cid, Severity.MEDIUM, target.url, exc)
    scripts, _ = scripts_in(page)
    scripts = scripts[: run.settings.bundle_max_scripts]
    if not scripts:
        return result(cid, Status.PASS, Severity.MEDIUM, target.url, "the page loads no same-origin scripts", evidence={"scripts": 0})
    exposed: list[str] = []
    for script in scripts:
        candidates = [script.split("?", 1)[0] + ".map"]
        try:
            js = run.client.get_shared("bundle.secret", script)
            m = re.search(r"[#@]\s*sourceMappingURL=(\S+)", js.text[-4096:])
            if m and not m.group(1).startswith("data:"):
                mapped = urljoin(script, m.group(1))
                if mapped not in candidates:
                    candidates.insert(0, mapped)
        except Exception:
            pass
        for map_url in candidates:
            try:
                r = run.client.request(cid, "GET", map_url)
            except Exception:
                continue
            if 200 <= r.status < 300 and _is_source_map(r.body):
                exposed.append(map_url)
                break
    if exposed:
        return result(cid, Status.FAIL, Severity.MEDIUM, target.url, f"{len(exposed)} source map(s) public: {', '.join(exposed[:5])}", FIX[cid], {"maps": exposed, "scripts": len(scripts)})
    return result(cid, Status.PASS, Severity.MEDIUM, target.url, f"no source maps served for {len(scripts)} script(s)", evidence={"scripts": len(scripts)})


def _debug(run: Run, target: Target) -> CheckResult:
    cid = "exposure.debug-page"
    seen: list[dict[str, object]] = []
    answered = 0
    urls = [target.url, urljoin(target.url, f"/launchready-not-found-{os.urandom(6).hex()}")]
    for url in urls:
        try:
            r: Fetched = run.client.get_shared(cid, url) if url == target.url else run.client.request(cid, "GET", url)
        except Exception:
            continue
        answered += 1
        marker = stack_trace(r.text)
        if marker:
            seen.append({"url": url, "status": r.status, "marker": marker})
    if seen:
        return result(cid, Status.FAIL, Severity.HIGH, target.url, "debug page or stack trace served: " + str(seen[0]["marker"]), FIX[cid], {"pages": seen})
    if not answered:
        return result(cid, Status.ERROR, Severity.HIGH, target.url, "could not check: no page answered")
    return result(cid, Status.PASS, Severity.HIGH, target.url, "no debug page or stack trace on the page or a not-found path")
