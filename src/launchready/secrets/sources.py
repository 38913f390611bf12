"""Where text comes from: files on disk, the git index (staged blobs), stdin.

Every source yields ``Blob``s: a display path, bytes, and whether it came from git.
Decoding, binary detection and large-file windowing happen in ``scanner.py``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from launchready.errors import UsageError

SKIP_DIRS = frozenset(
    {".git", "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache", ".ruff_cache",
     ".pytest_cache", ".tox", ".hg", ".svn", "bower_components", ".terraform", ".idea"}
)  # fmt: skip


@dataclass(frozen=True)
class Blob:
    path: str  # display path, '/'-separated
    data: bytes
    fs_path: Path | None = None  # for size checks and name-based credential files


def git_root(start: Path) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(start), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    except FileNotFoundError:
        return None
    if out.returncode != 0:
        return None
    return Path(out.stdout.strip())


def _git(root: Path, *args: str, input: bytes | None = None) -> bytes:
    proc = subprocess.run(["git", "-C", str(root), *args], input=input, capture_output=True, check=False)
    if proc.returncode != 0:
        raise UsageError(f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def git_files(root: Path, under: Path) -> list[Path]:
    """Tracked and untracked-but-not-ignored files under ``under`` (``.gitignore`` governs)."""
    rel = os.path.relpath(under, root)
    out = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", rel)
    seen = set()
    files = []
    for raw in out.split(b"\0"):
        if raw and raw not in seen:
            seen.add(raw)
            files.append(root / os.fsdecode(raw))
    return files


def walk_files(top: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            yield Path(dirpath) / name


def staged_blobs(root: Path, only: set[str] | None = None) -> Iterator[Blob]:
    """The index content of every added/copied/modified/renamed path (what will be committed)."""
    out = _git(root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--no-renames")
    paths = [os.fsdecode(p) for p in out.split(b"\0") if p]
    if only is not None:
        paths = [p for p in paths if p in only]
    yield from index_blobs(root, paths)


def index_blobs(root: Path, paths: list[str]) -> Iterator[Blob]:
    """Read the staged content of ``paths`` with one ``git cat-file --batch`` process."""
    if not paths:
        return
    request = "".join(f":{p}\n" for p in paths).encode("utf-8", "surrogateescape")
    out = _git(root, "cat-file", "--batch", input=request)
    pos = 0
    for p in paths:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        yield Blob(p, out[pos : pos + size], root / p)
        pos += size + 1
