"""Where text comes from: files on disk, the git index (staged blobs), stdin.

Every source yields ``Blob``s: a display path and either the bytes (index blobs, stdin) or
the file on disk (``fs_path``), which ``scanner.py`` streams in bounded windows. Decoding,
binary detection and large-file windowing happen in ``scanner.py``.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from launchready.errors import UsageError
from launchready.secrets.encoding import SNIFF

SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".tox",
        ".nox",
        ".hg",
        ".svn",
        "bower_components",
        ".terraform",
        ".pnpm-store",
        ".yarn",
        ".gradle",
        ".cache",
        ".eggs",
        "site-packages",
        ".direnv",
    }
)


@dataclass(frozen=True)
class Blob:
    """Something to scan. ``data`` is None for files on disk (read lazily, streamed)."""

    path: str  # display path, '/'-separated
    data: bytes | None = None
    fs_path: Path | None = None

    def head(self, n: int = SNIFF) -> bytes:
        if self.data is not None:
            return self.data[:n]
        assert self.fs_path is not None
        with open(self.fs_path, "rb") as fh:
            return fh.read(n)

    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.fs_path is not None
        return self.fs_path.stat().st_size

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.fs_path is not None
        return self.fs_path.read_bytes()

    def pieces(self, block: int = 1 << 20) -> Iterator[bytes]:
        """The content in blocks of ``block`` bytes, without holding a large file in memory."""
        if self.data is not None:
            for i in range(0, len(self.data), block):
                yield self.data[i : i + block]
            return
        assert self.fs_path is not None
        with open(self.fs_path, "rb") as fh:
            while chunk := fh.read(block):
                yield chunk

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def vendored(rel_path: str) -> bool:
    """In a dependency, VCS or cache directory (``node_modules/``, a committed virtualenv's
    ``site-packages/``, Go's vendored modules ``vendor/github.com/...``, named by their
    domain): third-party code, skipped by every source alike (files, the hook's staged
    blobs, history) so the three give one answer."""
    parts = rel_path.split("/")[:-1]
    return any(part in SKIP_DIRS for part in parts) or any(
        part == "vendor" and "." in nxt for part, nxt in itertools.pairwise(parts)
    )


def display(path: Path, base: Path) -> str:
    """``path`` relative to ``base``, '/'-separated (``..`` when outside)."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, base)).as_posix()


def git_root(start: Path) -> Path | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(start if start.is_dir() else start.parent), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    if out.returncode != 0 or not out.stdout.strip():
        return None
    return Path(out.stdout.strip()).resolve()


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
            rel_path = os.fsdecode(raw)
            if not vendored(rel_path):
                files.append(root / rel_path)
    return files


def tracked(root: Path, rel_paths: Iterable[str]) -> set[str]:
    """Which of ``rel_paths`` (relative to ``root``) are in the index."""
    rels = list(rel_paths)
    if not rels:
        return set()
    out = _git(root, "ls-files", "-z", "--cached", "--", *rels)
    return {os.fsdecode(p) for p in out.split(b"\0") if p}


def ignored(root: Path, rel_paths: Iterable[str]) -> set[str]:
    """Which of ``rel_paths`` git ignores (``git check-ignore``; tracked files are not ignored)."""
    rels = list(rel_paths)
    if not rels:
        return set()
    proc = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "-z", "--stdin"],
        input=b"\0".join(os.fsencode(r) for r in rels) + b"\0",
        capture_output=True,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise UsageError(f"git check-ignore failed: {proc.stderr.decode(errors='replace').strip()}")
    return {os.fsdecode(p) for p in proc.stdout.split(b"\0") if p}


def walk_files(top: Path, skip_dirs: frozenset[str] = SKIP_DIRS) -> Iterator[Path]:
    """Every file under ``top`` except in dependency/VCS/cache directories (no symlinked dirs)."""
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in skip_dirs)
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if not p.is_symlink() and p.is_file():  # no symlinks, FIFOs or devices
                yield p


def staged_entries(root: Path) -> dict[str, str]:
    """Added/copied/modified/renamed paths in the index (what the next commit will contain),
    each with the object id of its staged content.

    One ``git diff --cached --raw -z`` call: names arrive NUL-separated as bytes (a newline
    or a ``:`` in a name is just a byte), and the blob is later addressed by its object id,
    never as ``:<path>`` (``0:config.py`` would read as a stage spec). Submodule entries
    (commits, not blobs) are left out.
    """
    out = _git(root, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--diff-filter=ACMR", "--no-renames")
    entries: dict[str, str] = {}
    fields = out.split(b"\0")
    for i in range(0, len(fields) - 1, 2):
        meta, raw_path = fields[i], fields[i + 1]
        parts = meta.split()
        if len(parts) < 5 or not raw_path:
            continue
        new_mode, new_oid = parts[1], parts[3].decode("ascii", "replace")
        if new_mode == b"160000" or not new_oid.strip("0"):
            continue  # a submodule pointer, or nothing in the index to read
        path = os.fsdecode(raw_path)
        if not vendored(path):  # third-party code: skipped by every source alike
            entries[path] = new_oid
    return entries


def staged_paths(root: Path) -> list[str]:
    """Added/copied/modified/renamed paths in the index (what the next commit will contain)."""
    return list(staged_entries(root))


def staged_blobs(root: Path, only: set[str] | None = None) -> Iterator[Blob]:
    """The index content of every staged path (partially staged files: the staged part)."""
    entries = staged_entries(root)
    if only is not None:
        entries = {p: oid for p, oid in entries.items() if p in only}
    yield from index_blobs(root, entries)


def read_batch_header(out: IO[bytes]) -> tuple[bool, bytes, int]:
    """The header of one answer of ``git cat-file --batch``: (False, b"", 0) when the output
    ended, (True, b"", 0) for a missing object, else (True, its type, its size); its content
    and a newline follow."""
    header = out.readline().split()
    if not header:
        return False, b"", 0
    if len(header) < 3 or header[-1] == b"missing":
        return True, b"", 0
    return True, header[1], int(header[2])


def read_batch_blob(out: IO[bytes]) -> tuple[bool, bytes | None]:
    """One answer of ``git cat-file --batch``: (False, None) when the output ended, else
    (True, the content) for a blob and (True, None) for a missing object or a non-blob (a
    submodule's commit entry)."""
    more, kind, size = read_batch_header(out)
    if not kind:
        return more, None
    data = out.read(size)
    out.read(1)  # the newline after each object
    return True, data if kind == b"blob" else None


def index_blobs(root: Path, entries: dict[str, str]) -> Iterator[Blob]:
    """Read the staged content of ``entries`` (path -> object id) with one ``git cat-file
    --batch`` process. Requests are object ids (hex), so no file name reaches git's parser."""
    if not entries:
        return
    paths = list(entries)
    request = "".join(f"{entries[p]}\n" for p in paths).encode("ascii")
    # Stream the answers (one blob in memory at a time) while a thread feeds the requests.
    proc = subprocess.Popen(
        ["git", "-C", str(root), "cat-file", "--batch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None

    def feed() -> None:
        assert proc.stdin is not None
        try:
            proc.stdin.write(request)
        except BrokenPipeError:
            pass
        finally:
            proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for p in paths:
            more, data = read_batch_blob(proc.stdout)
            if not more:
                raise UsageError(f"git cat-file ended before the staged content of {p!r} was read")
            if data is None:
                raise UsageError(f"the staged content of {p!r} ({entries[p]}) is missing from the object store")
            yield Blob(p, data, root / p)
    finally:
        writer.join()
        proc.stdout.close()
        err = proc.stderr.read() if proc.stderr else b""
        if proc.stderr:
            proc.stderr.close()
        if proc.wait() != 0:
            raise UsageError(f"git cat-file failed: {err.decode(errors='replace').strip()}")


def hook_blobs(root: Path, cwd: Path, files: list[str]) -> Iterator[Blob]:
    """For pre-commit: each file's staged content when it is staged, else the working tree.

    So ``pre-commit run`` judges what will be committed, and ``pre-commit run --all-files``
    (nothing staged) scans every file it passes instead of passing by scanning nothing.
    Paths are shown relative to the repository root.
    """
    staged = staged_entries(root)
    rels: list[tuple[str, Path]] = []
    for f in files:
        p = Path(f) if os.path.isabs(f) else cwd / f
        rels.append((display(p.resolve() if p.exists() else p, root), p))
    yield from index_blobs(root, {r: staged[r] for r, _ in rels if r in staged})
    for rel, p in rels:
        if rel in staged:
            continue
        if not p.is_file():
            raise UsageError(f"no such file: {rel}")
        yield Blob(rel, None, p)


# ---- exclude globs (config ``exclude``) ------------------------------------------------------


@lru_cache(maxsize=256)
def _glob_re(pattern: str) -> Any:
    """gitignore-like: ``*`` within a segment, ``**`` across, a pattern without '/' matches a
    name at any depth, a trailing '/' means a directory (everything below it)."""
    pat = pattern.strip()
    anchored = pat.startswith("/") or "/" in pat.rstrip("/")
    pat = pat.lstrip("/")
    directory = pat.endswith("/")
    pat = pat.rstrip("/")
    out = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pat.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(c))
        i += 1
    body = "".join(out)
    prefix = "" if anchored else "(?:.*/)?"
    suffix = "/.*" if directory else "(?:/.*)?"
    from launchready.secrets.rule import compile_re2  # a config's globs run on RE2: linear time

    return compile_re2(f"^{prefix}{body}{suffix}$")


def excluded(rel_path: str, patterns: Iterable[str]) -> bool:
    return any(_glob_re(p).match(rel_path) for p in patterns if p.strip())
