"""Build output (``dist/``, ``build/``, ``.next/static``, ``out/``, ``.output/public``): what
ships to every visitor's browser.

- Secrets in shipped JS/HTML/JSON/CSS are escalated to ``critical`` whatever the rule says,
  and the message says the file ships to every visitor's browser.
- ``build.source-map-shipped``: a ``*.map`` file in the output (it hands over the original
  source); ``build.source-map-inline``: a ``sourceMappingURL=data:`` map embedded in a file;
  ``build.source-map-reference``: a ``sourceMappingURL`` to a map that is not in this output
  (it may be served from elsewhere). All warnings (medium/low).
- Secrets inside a map's ``sourcesContent`` are found and reported on the map file, naming
  the original source file and line in the message.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from launchready import redact
from launchready.model import Finding, Severity
from launchready.secrets.engine import Engine, to_finding
from launchready.secrets.rule import Rule, named_rule
from launchready.secrets.scanner import ScanOptions, ScanResult, scan_blob
from launchready.secrets.sources import SKIP_DIRS, Blob, display, excluded, walk_files

BUNDLE_DIRS = ("dist", "build", ".next/static", "out", ".output/public")
WEB_EXTS = (
    ".js",
    ".mjs",
    ".cjs",
    ".jsx",
    ".html",
    ".htm",
    ".json",
    ".css",
    ".txt",
    ".xml",
    ".webmanifest",
    ".map",
    ".svg",
    ".wasm.map",
)
_SHIPS = "ships to every visitor's browser"
_MAP_URL = re.compile(r"[#@]\s*sourceMappingURL\s*=\s*(\S+?)(?:\s*\*/)?\s*$", re.MULTILINE)
MAX_MAP_BYTES = 64 * 1024 * 1024


def _rule(id: str, description: str, severity: Severity, fix: str) -> Rule:
    return named_rule(id, description, severity, fix, "build")


_MAP_FIX = (
    "Stop publishing source maps: Next.js `productionBrowserSourceMaps: false` (the default), Vite "
    "`build.sourcemap: false` or 'hidden', webpack `devtool: false` or 'hidden-source-map'; upload maps "
    "to your error tracker (Sentry) privately instead of serving them."
)
BUILD_RULES: tuple[Rule, ...] = (
    _rule(
        "build.source-map-shipped",
        "A source map ships with the build output and hands the original source to anyone",
        Severity.MEDIUM,
        _MAP_FIX,
    ),
    _rule(
        "build.source-map-inline",
        "A shipped file embeds its source map (sourceMappingURL=data:...)",
        Severity.MEDIUM,
        _MAP_FIX,
    ),
    _rule(
        "build.source-map-reference",
        "A shipped file points to a source map that is not in this build output",
        Severity.LOW,
        "Make sure the map is not served publicly (check the URL), or build without sourceMappingURL comments ('hidden' source maps).",
    ),
)
RULES_BY_ID = {r.id: r for r in BUILD_RULES}


def detect(root: Path, depth: int = 2) -> list[Path]:
    """Build-output directories that hold web assets: in ``root`` and, for monorepos, in its
    sub-directories down to ``depth`` levels (``apps/web/.next/static``, ``packages/ui/dist``)."""
    found: list[Path] = []
    projects = [root]
    frontier = [root]
    for _ in range(depth):
        nxt = []
        for d in frontier:
            try:
                children = sorted(c for c in d.iterdir() if c.is_dir() and not c.is_symlink())
            except OSError:
                continue
            nxt += [
                c
                for c in children
                if c.name not in SKIP_DIRS and not c.name.startswith(".") and c.name not in BUNDLE_DIRS
            ]
        projects += nxt
        frontier = nxt
    for project in projects:
        for rel in BUNDLE_DIRS:
            d = project / rel
            if d.is_dir() and not d.is_symlink() and any(p.suffix in (".js", ".html", ".mjs") for p in walk_files(d)):
                found.append(d)
    return found


_BROWSER_KEY_CONTEXT = re.compile(r"(?i)authDomain|firebase|maps\.googleapis|google\.maps|messagingSenderId")


def _escalate(f: Finding) -> Finding:
    if f.category != "secret":
        return f
    if f.rule_id == "secret.google-browser-api-key" or (
        f.rule_id == "secret.google-api-key" and f.snippet and _BROWSER_KEY_CONTEXT.search(f.snippet)
    ):
        # A Firebase/Maps web config: a browser key by design. Not critical, but say how to fence it.
        return f.replace(
            severity=Severity.LOW,
            message=f"{f.message}; a Firebase/Maps browser key that {_SHIPS}: "
            "restrict it by HTTP referrer and API in the Google Cloud console",
        )
    return f.replace(severity=Severity.CRITICAL, message=f"{f.message}; this file {_SHIPS}")


class BundleScanner:
    def __init__(
        self,
        engine: Engine,
        base: Path,
        exclude: Sequence[str] = (),
        exclude_base: Path | None = None,
        disabled: Iterable[str] = (),
    ) -> None:
        self.engine = engine
        self.base = base
        self.exclude = list(exclude)
        self.exclude_base = exclude_base or base
        self.disabled = set(disabled)

    def _build(self, rule_id: str, path: str, line: int | None, message: str, key: str) -> Finding | None:
        if rule_id in self.disabled:
            return None
        rule = RULES_BY_ID[rule_id]
        return Finding(
            rule_id=rule_id,
            severity=rule.severity,
            path=path,
            message=message,
            fix=rule.fix,
            fingerprint=redact.location_fingerprint(rule_id, key),
            line=line,
        )

    def files(self, bundle_dir: Path) -> list[Path]:
        out = []
        for p in walk_files(bundle_dir, frozenset({".git"})):
            if not p.name.lower().endswith(WEB_EXTS):
                continue
            if self.exclude and excluded(display(p, self.exclude_base), self.exclude):
                continue
            out.append(p)
        return out

    def scan(self, bundle_dirs: Sequence[Path]) -> ScanResult:
        result = ScanResult()
        for d in bundle_dirs:
            paths = self.files(d)
            names = {p.resolve() for p in paths}
            for p in paths:
                shown = display(p, self.base)
                if p.name.endswith(".map"):
                    self._scan_map(p, shown, result)
                    continue
                scan_blob(
                    self.engine, Blob(shown, None, p), result, ScanOptions(file_checks=False, transform=_escalate)
                )
                if p.suffix in (".js", ".mjs", ".cjs", ".css"):
                    self._map_refs(p, shown, names, result)
        return result

    def _add(self, result: ScanResult, f: Finding | None) -> None:
        if f is not None:
            result.findings.append(f)

    def _scan_map(self, p: Path, shown: str, result: ScanResult) -> None:
        result.files += 1
        try:
            size = p.stat().st_size
            result.bytes += size
            if size > MAX_MAP_BYTES:
                result.skipped.append((shown, "source map larger than 64 MB"))
                raw = b""
            else:
                raw = p.read_bytes()
        except OSError as exc:
            result.skipped.append((shown, f"unreadable: {exc.strerror or exc}"))
            return
        self._add(
            result,
            self._build(
                "build.source-map-shipped",
                shown,
                None,
                f"{shown} is a source map in the build output: it {_SHIPS} with your original source",
                shown,
            ),
        )
        if raw:
            self._sources_content(raw, shown, result)

    def _sources_content(self, raw: bytes, shown: str, result: ScanResult) -> None:
        try:
            data: Any = json.loads(raw.decode("utf-8-sig", errors="replace"))
        except ValueError:
            result.skipped.append((shown, "source map is not valid JSON"))
            return
        except RecursionError:
            result.skipped.append((shown, "source map JSON is nested too deeply to read"))
            return
        if not isinstance(data, dict):
            return
        sources = data.get("sources") or []
        sources = sources if isinstance(sources, list) else []
        contents = data.get("sourcesContent") or []
        if not isinstance(contents, list):
            return
        for i, content in enumerate(contents):
            if not isinstance(content, str) or not content:
                continue
            name = sources[i] if i < len(sources) and isinstance(sources[i], str) else f"source #{i}"
            for m in self.engine.scan(content, name):
                if m.allowed:
                    result.suppressed += 1
                    continue
                f = to_finding(m, shown)
                result.findings.append(
                    f.replace(
                        severity=Severity.CRITICAL,
                        line=None,
                        column=None,
                        end_line=None,
                        end_column=None,
                        message=f"{f.message} in sourcesContent of {name} line {m.line}; the map {_SHIPS}",
                    )
                )

    def _map_refs(self, p: Path, shown: str, names: set[Path], result: ScanResult) -> None:
        try:
            with open(p, "rb") as fh:
                fh.seek(max(0, p.stat().st_size - 1024 * 1024))
                tail = fh.read().decode("utf-8", errors="replace")
                head_offset = max(0, p.stat().st_size - 1024 * 1024)
        except OSError:
            return
        for m in _MAP_URL.finditer(tail):
            url = m.group(1)
            line = None
            if head_offset == 0:
                line = tail.count("\n", 0, m.start()) + 1
            if url.startswith("data:"):
                self._add(
                    result,
                    self._build(
                        "build.source-map-inline",
                        shown,
                        line,
                        f"{shown} embeds its source map (and so its original source); it {_SHIPS}",
                        shown,
                    ),
                )
                payload = url.split(",", 1)[1] if "," in url else ""
                try:
                    raw = base64.b64decode(payload, validate=False) if ";base64" in url[:80] else payload.encode()
                except (binascii.Error, ValueError):
                    continue
                self._sources_content(raw, shown, result)
                continue
            if url.startswith(("http://", "https://", "//")):
                target = None
            else:
                target = (p.parent / url.split("?", 1)[0]).resolve()
            if target is not None and target in names:
                continue  # the map itself is reported as build.source-map-shipped
            self._add(
                result,
                self._build(
                    "build.source-map-reference",
                    shown,
                    line,
                    f"{shown} points to a source map ({url[:80]}) that is not in this build output",
                    shown + url,
                ),
            )
