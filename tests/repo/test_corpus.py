"""The corpus: small real-shaped apps (Next.js, FastAPI, Express, Django), flawed and fixed.

Every planted issue in a flawed app carries an ``expect`` marker (see markers.py); the
flawed app must report exactly those (path, line, rule) triples, per-file and whole-app
rules together, and the fixed app must report nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from launchready.repo import RepoStats, checks_for_app, checks_for_file

from .markers import Expected, actual, expected

CORPUS = Path(__file__).parent / "corpus"
APPS = sorted(p.parent.name + "/" + p.name for p in CORPUS.glob("*/*") if p.is_dir())


def _files(root: Path) -> list[tuple[str, str]]:
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and ".git" not in p.parts:
            out.append((p.relative_to(root).as_posix(), p.read_text(encoding="utf-8")))
    return out


def _run(root: Path) -> tuple[Expected, Expected]:
    files = _files(root)
    found = []
    for path, text in files:
        found.extend(checks_for_file(path, text))
    found.extend(checks_for_app(files))
    want: Expected = set()
    for path, text in files:
        want |= expected(path, text)
    return actual(found), want


def test_corpus_has_every_framework_in_both_versions() -> None:
    for fw in ("nextjs", "fastapi", "express", "django"):
        assert f"{fw}/flawed" in APPS and f"{fw}/fixed" in APPS


@pytest.mark.parametrize("app", [a for a in APPS if a.endswith("/flawed")])
def test_flawed_app_reports_every_planted_issue(app: str) -> None:
    got, want = _run(CORPUS / app)
    assert want, "a flawed app must plant issues"
    assert sorted(got - want, key=str) == [], "unexpected findings"
    assert sorted(want - got, key=str) == [], "missed findings"


@pytest.mark.parametrize("app", [a for a in APPS if a.endswith("/fixed")])
def test_fixed_app_reports_nothing(app: str) -> None:
    got, want = _run(CORPUS / app)
    assert want == set(), "fixed apps carry no expect markers"
    assert sorted(got, key=str) == []


def test_corpus_covers_every_rule() -> None:
    from launchready.repo import rules

    planted = set()
    for app in APPS:
        for path, text in _files(CORPUS / app):
            planted |= {r for _, _, r in expected(path, text)}
    missing = {r.id for r in rules()} - planted - {"repo.debug-sourcemaps-vite"}
    assert missing == set()


def test_corpus_holds_no_secret_shaped_literals() -> None:
    """Our own secret engine must find nothing in the corpus (the hook would block it)."""
    from launchready.config import Config
    from launchready.registry import all_rules
    from launchready.secrets.engine import Engine
    from launchready.secrets.scanner import scan_blobs
    from launchready.secrets.sources import Blob

    engine = Engine(all_rules(Config()))
    blobs = [Blob(f"{app}/{p}", t.encode()) for app in APPS for p, t in _files(CORPUS / app)]
    result = scan_blobs(engine, blobs)
    assert [(f.path, f.line, f.rule_id) for f in result.findings if f.rule_id.startswith("secret.")] == []


def test_suppressed_count_for_app_rules(tmp_path: Path) -> None:
    files = [
        (
            "app/main.py",
            "from fastapi import FastAPI\napp = FastAPI()\n"
            '@app.post("/api/chat")  # launchready:allow limited at the gateway\n'
            "async def chat() -> None: ...\n",
        )
    ]
    stats = RepoStats()
    assert checks_for_app(files, stats=stats, disabled={"repo.error-tracking-missing"}) == []
    assert stats.suppressed == 1
