"""Static launch checks read from code and config (rule ids ``repo.*``).

Two entry points, called by the scan pipeline:
- ``checks_for_file(path, text)``: per-file rules (run in the staged hook too);
- ``checks_for_app(files)``: whole-application rules (``scan`` and the Action only).

Both return plain lists of findings. Inline ``launchready:allow`` on a finding's line
suppresses it; pass ``stats=RepoStats()`` to learn how many were suppressed, and
``disabled=`` (rule ids from the config) to skip rules. ``rules()`` lists the rule metadata
for ``launchready rules``. Test files (``tests/``, ``__tests__``, ``*.test.ts``,
``test_*.py``, ``*_test.py``, fixtures) never produce findings.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from launchready.model import Finding
from launchready.redact import location_fingerprint
from launchready.repo import (  # noqa: F401  (each module registers its rules on import)
    browser_keys,
    cookies,
    cors,
    debug,
    error_tracking,
    hygiene,
    logging_hygiene,
    ratelimit,
    uploads,
    webhooks,
)
from launchready.repo.checkers import (
    ALLOW_MARKER,
    APP_CHECKERS,
    FILE_CHECKERS,
    RULES,
    AppContext,
    FileContext,
    Hit,
    RepoRule,
    is_test_path,
)

__all__ = ["RepoStats", "checks_for_app", "checks_for_file", "is_test_path", "rules"]


@dataclass
class RepoStats:
    """Optional out-parameter: what the last call(s) did besides returning findings."""

    suppressed: int = 0
    files_parsed: int = 0
    error_tracking: list[str] = field(default_factory=list)  # files that initialise a tracker


def rules() -> list[RepoRule]:
    return sorted(RULES.values(), key=lambda r: r.id)


def _normalized(line: str) -> str:
    return " ".join(line.split())


def _to_findings(
    hits: Iterable[Hit],
    contexts: dict[str, FileContext],
    default_path: str,
    disabled: Collection[str],
    stats: RepoStats | None,
) -> list[Finding]:
    out: list[Finding] = []
    seen: set[tuple[str, str, int | None]] = set()
    for hit in hits:
        if hit.rule_id in disabled:
            continue
        path = hit.path or default_path
        key = (hit.rule_id, path, hit.line)
        if key in seen:
            continue
        seen.add(key)
        meta = RULES[hit.rule_id]
        ctx = contexts.get(path)
        line_text = ctx.line_text(hit.line) if ctx is not None else ""
        if hit.line is not None and ALLOW_MARKER in line_text:
            if stats is not None:
                stats.suppressed += 1
            continue
        context = _normalized(line_text) if hit.line is not None else (hit.context or meta.id)
        out.append(
            Finding(
                rule_id=meta.id,
                severity=meta.severity,
                path=path,
                message=hit.message or meta.description,
                fix=meta.fix,
                fingerprint=location_fingerprint(meta.id, path, context),
                line=hit.line,
                column=hit.column if hit.line is not None else None,
            )
        )
    out.sort(key=lambda f: (f.path, f.line or 0, f.column or 0, f.rule_id))
    return out


MAX_TEXT = 2 * 1024 * 1024  # larger files are data or build output, not hand-written config


def _generated(ctx: FileContext) -> bool:
    """Minified or bundled JavaScript: build output (the bundle scanner's job), not source."""
    if ctx.kind != "js":
        return False
    if ".min." in ctx.name or ".bundle." in ctx.name:
        return True
    text = ctx.text
    return len(text) > 50_000 and (text.count("\n") + 1) * 1000 < len(text)


def checks_for_file(
    path: str,
    text: str,
    *,
    disabled: Collection[str] = (),
    stats: RepoStats | None = None,
) -> list[Finding]:
    """Per-file repo rules on one file. Cheap: rules run only when their keywords match."""
    if is_test_path(path) or len(text) > MAX_TEXT:
        return []
    ctx = FileContext(path, text)
    if _generated(ctx):
        return []
    hits: list[Hit] = []
    for checker in FILE_CHECKERS:
        if ctx.kind not in checker.kinds or not checker.gate(text):
            continue
        if checker.rule_ids and all(r in disabled for r in checker.rule_ids):
            continue
        hits.extend(checker.run(ctx))
    if stats is not None and ("tree" in ctx.__dict__ or "js" in ctx.__dict__ or "yaml" in ctx.__dict__):
        stats.files_parsed += 1
    return _to_findings(hits, {path: ctx}, path, disabled, stats)


def checks_for_app(
    files: Sequence[tuple[str, str]],
    *,
    disabled: Collection[str] = (),
    stats: RepoStats | None = None,
) -> list[Finding]:
    """Whole-application repo rules over ``(path, text)`` pairs (scan and the Action only)."""
    app = AppContext(
        [c for p, t in files if not is_test_path(p) and len(t) <= MAX_TEXT and not _generated(c := FileContext(p, t))]
    )
    contexts = {f.path: f for f in app.files}
    hits: list[Hit] = []
    for checker in APP_CHECKERS:
        if checker.rule_ids and all(r in disabled for r in checker.rule_ids):
            continue
        hits.extend(checker.run(app))
    if stats is not None:
        stats.error_tracking = error_tracking.tracker_files(app)
    return _to_findings(hits, contexts, "", disabled, stats)
