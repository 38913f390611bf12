"""Scan every bare repository under a directory (``git clone --mirror`` copies) with
``launchready history``, several at once, each in its own process.

One process per repository keeps a crash, a hang or a damaged repository to itself: its
report is missing and the merge lists why. The processes share one fingerprint key so that
the same secret in two repositories is one finding.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from launchready import redact
from launchready.audit.merge import Source
from launchready.model import Report
from launchready.report.load import ReportError, load_report

KEY_ENV = "LAUNCHREADY_FINGERPRINT_KEY"
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}


@dataclass(frozen=True)
class Mirror:
    name: str  # path under the audited directory, without a trailing ".git"
    path: Path


def _is_bare(path: Path) -> bool:
    if not ((path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()):
        return False
    out = subprocess.run(
        ["git", "--git-dir", str(path), "rev-parse", "--is-bare-repository"],
        capture_output=True,
        text=True,
        env={**os.environ, **_GIT_ENV},
        check=False,
    )
    return out.returncode == 0 and out.stdout.strip() == "true"


def find_mirrors(root: Path) -> list[Mirror]:
    """Bare repositories under ``root`` (``root`` itself included), not descending into one,
    never following symlinked directories."""
    found: list[Mirror] = []

    def walk(d: Path) -> Iterator[Path]:
        if _is_bare(d):
            yield d
            return
        try:
            children = sorted(p for p in d.iterdir() if p.is_dir() and not p.is_symlink())
        except OSError:
            return
        for child in children:
            yield from walk(child)

    for path in walk(root):
        rel = path.relative_to(root).as_posix() if path != root else path.name
        name = rel[:-4] if rel.endswith(".git") and len(rel) > 4 else rel
        found.append(Mirror(name or path.name, path))
    return found


def _has_refs(path: Path) -> bool:
    out = subprocess.run(
        ["git", "--git-dir", str(path), "for-each-ref", "--count=1", "--format=%(refname)"],
        capture_output=True,
        text=True,
        env={**os.environ, **_GIT_ENV},
        check=False,
    )
    return bool(out.stdout.strip())


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return redact.scrub(lines[-1])[:500] if lines else ""


def scan_mirror(mirror: Mirror, out_dir: Path, env: dict[str, str], history_jobs: int) -> Source:
    if not _has_refs(mirror.path):
        empty = Report(command="history", root=str(mirror.path), repository=mirror.name)
        empty.ran.add("history")
        empty.notes.append("empty repository: no commits to scan")
        return Source(mirror.name, empty)
    fd, name = tempfile.mkstemp(prefix="report-", suffix=".json", dir=out_dir)
    os.close(fd)
    out = Path(name)
    cmd = [
        sys.executable,
        "-m",
        "launchready",
        "history",
        "--all",
        "--repo",
        str(mirror.path),
        "--jobs",
        str(history_jobs),
        "--json",
        str(out),
        "--exit-zero",
        "-q",
        "--color",
        "never",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, cwd=out_dir)
    if proc.returncode not in (0, 1):
        why = _last_line(proc.stderr) or f"launchready history exited {proc.returncode}"
        return Source(mirror.name, None, why)
    try:
        report = load_report(out)
    except ReportError as exc:
        return Source(mirror.name, None, f"no usable report: {exc}")
    report.repository = mirror.name
    return Source(mirror.name, report)


def audit(
    mirrors: list[Mirror], jobs: int, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Source], str]:
    """Scan ``mirrors`` with ``jobs`` processes at once. Returns the sources in the mirrors'
    order and a note on the fingerprint key."""
    env = {**os.environ, **_GIT_ENV}
    if env.get(KEY_ENV):
        note = f"fingerprints keyed with {KEY_ENV}: comparable with other runs that use the same key"
    else:
        env[KEY_ENV] = secrets.token_hex(32)
        note = (
            f"fingerprints keyed with a one-off key: the same secret matches across this audit's "
            f"repositories only; set {KEY_ENV} to compare runs"
        )
    cpus = os.cpu_count() or 1
    history_jobs = max(1, cpus // max(1, jobs))
    done = 0
    with tempfile.TemporaryDirectory(prefix="launchready-audit-") as tmp, ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(scan_mirror, m, Path(tmp), env, history_jobs) for m in mirrors]
        results: list[Source] = []
        for fut in futures:
            results.append(fut.result())
            done += 1
            if progress is not None:
                progress(done, len(mirrors))
    return results, note
