"""History of a repository git cannot read whole: a partial clone (``--filter=blob:none``), a
damaged object store, a mirror with a missing pack. Scan every commit and file git can still
read, and list what it could not, instead of failing on the first missing object.

Used only after the normal scan failed (``git log`` died), so its extra git processes cost
nothing on a healthy repository:

1. which objects are in the local store (``cat-file --batch-all-objects``: it lists, never
   fetches);
2. the commits of the range, walked from its tips here (``git rev-list`` stops at the first
   missing commit); commits that are referenced but absent are listed;
3. one ``git diff-tree --stdin --raw`` names every commit's changed files and their objects
   from trees alone: a commit that needs a missing object is read on its own, limited to the
   files whose objects are present (the others are listed);
4. the other commits through one ``git log --no-walk --stdin``, as the normal scan reads
   them; where git still dies (a corrupt object, a missing tree), the commit it died on is
   redone on its own and the stream resumes after it.

No git process here (or in the normal scan, ``GIT_CONFIG``) may fetch a missing object from a
partial clone's promisor remote: history reads local objects only.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, NamedTuple

from launchready import procs
from launchready.history.gitlog import Commit, GitError, stream_commits
from launchready.history.logproc import GIT_CONFIG, PATCH_OPTIONS, READ_SIZE, log_command, log_input
from launchready.history.occurrences import Collector
from launchready.history.revs import Range

_OID = re.compile(rb"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
BATCH = 2000  # commits per ``git log --stdin`` between possible failures


@dataclass
class Unreadable:
    """What git could not read: a commit (``path`` empty) or an object at a path in a commit."""

    commit: str
    path: str = ""
    object: str = ""
    reason: str = ""

    def describe(self) -> str:
        if not self.path:
            return f"commit {self.commit}: {self.reason or 'not in the object store'}"
        obj = f" (object {self.object})" if self.object else ""
        return f"{self.path} in commit {self.commit}{obj}: {self.reason or 'not in the object store'}"

    def to_json(self) -> dict[str, str]:
        return {"commit": self.commit, "path": self.path, "object": self.object, "reason": self.reason}


@dataclass
class Salvage:
    unreadable: list[Unreadable] = field(default_factory=list)
    commits_found: int = 0  # commits of the range seen in the walk (readable or not)
    # merges read without the files they delete (``Changed.merge_deleted``), after git died
    # on them: nothing is lost, but git failed for a reason it may fail for again
    without_deleted: list[str] = field(default_factory=list)


def _git(root: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(root), *GIT_CONFIG, *args], input=input, capture_output=True, check=False)


def present_objects(root: Path) -> set[bytes]:
    out = _git(root, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
    return set(out.stdout.split())


def _tips(root: Path, rng: Range) -> tuple[list[str], list[str], list[Unreadable]]:
    """(positive tips, negative tips, refs whose object is missing) of ``rng``."""
    pos: list[str] = []
    neg: list[str] = []
    bad: list[Unreadable] = []
    for rev in rng.revs:
        if rev == "--all":
            out = _git(root, "for-each-ref", "--format=%(objectname) %(objecttype) %(*objectname) %(refname)")
            for line in out.stdout.decode("utf-8", "replace").splitlines():
                parts = line.split(" ", 3)
                if len(parts) < 4:
                    continue
                oid, kind, peeled, name = parts
                if kind == "tag":
                    oid = peeled
                if kind in ("commit", "tag") and oid:
                    pos.append(oid)
                elif not kind:  # the ref's object is missing
                    bad.append(Unreadable(oid, reason=f"{name} points to it, and it is not in the object store"))
            if rng.head:
                pos.append(rng.head)
        elif "..." in rev:
            a, _, b = rev.partition("...")
            pos += [a, b]
            base = _git(root, "merge-base", "--all", a, b)
            neg += base.stdout.decode("ascii", "replace").split()
        elif rev.startswith("^"):
            neg.append(rev[1:])
        else:
            pos.append(rev)
    return pos, neg, bad


class _CommitReader:
    """Commit objects through one ``git cat-file --batch``, asked only for present objects."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "-C", str(root), *GIT_CONFIG, "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, sha: str) -> tuple[int, list[str]] | None:
        """(committer time, parents) of commit ``sha``, or None if it cannot be read."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(sha.encode("ascii") + b"\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        header = self.proc.stdout.readline().split()
        if len(header) < 3 or header[1] != b"commit":
            return None
        body = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)
        parents: list[str] = []
        when = 0
        for line in body.split(b"\n\n", 1)[0].split(b"\n"):
            if line.startswith(b"parent "):
                parents.append(line[7:].decode("ascii", "replace"))
            elif line.startswith(b"committer "):
                stamp = line.rsplit(b" ", 2)
                when = int(stamp[1]) if len(stamp) == 3 and stamp[1].isdigit() else 0
        return when, parents

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.close()
        self.proc.stdout.close()
        self.proc.wait()


def _walk(
    reader: _CommitReader, present: set[bytes], tips: list[str], stop: set[str] | None, out: Salvage | None
) -> dict[str, int]:
    """Commits reachable from ``tips`` (not crossing ``stop``) -> committer time. Missing
    commits are listed in ``out``."""
    seen: dict[str, int] = {}
    missing: set[str] = set()
    stack = list(dict.fromkeys(tips))
    while stack:
        sha = stack.pop()
        if sha in seen or sha in missing or (stop is not None and sha in stop):
            continue
        info = reader.read(sha) if sha.encode("ascii") in present else None
        if info is None:
            missing.add(sha)
            if out is not None:
                out.unreadable.append(
                    Unreadable(sha, reason="commit not in the object store (its history beyond it is not scanned)")
                )
            continue
        seen[sha] = info[0]
        stack.extend(info[1])
    return seen


def commits_of(root: Path, rng: Range, present: set[bytes], out: Salvage) -> list[str]:
    """The readable commits of ``rng``, newest first (git log's default order, near enough)."""
    pos, neg, bad = _tips(root, rng)
    out.unreadable.extend(bad)
    reader = _CommitReader(root)
    try:
        excluded = set(_walk(reader, present, neg, None, None)) if neg else set()
        times = _walk(reader, present, pos, excluded, out)
    finally:
        reader.close()
    out.commits_found = len(times) + sum(1 for u in out.unreadable if not u.path)
    order = {sha: i for i, sha in enumerate(times)}
    return sorted(times, key=lambda s: (-times[s], order[s]))


def _raw_files(root: Path, *revs: str) -> tuple[list[Changed], str]:
    """The files ``sha`` changed with the object ids git needs to diff them (combined for a
    merge), read from trees only; or an error when a tree is unreadable."""
    out = _git(root, "diff-tree", "-r", "-z", "--raw", "--no-renames", "--no-commit-id", "-c", "--root", *revs)
    if out.returncode != 0:
        lines = out.stderr.decode("utf-8", "replace").strip().splitlines()
        return [], lines[-1] if lines else "git diff-tree failed"
    items = out.stdout.split(b"\x00")
    files: list[Changed] = []
    i = 0
    while i + 1 < len(items):
        meta, raw_path = items[i], items[i + 1]
        i += 2
        if not meta.startswith(b":"):
            continue
        files.append(_entry(meta, raw_path))
    return files, ""


class Changed(NamedTuple):
    """A file a commit changed (a ``--raw`` entry)."""

    path: str
    oids: list[bytes]  # the (non-zero) object ids git needs to diff it
    merge_deleted: bool  # a merge deleted it (every parent had it): it adds no line


def _entry(meta: bytes, raw_path: bytes) -> Changed:
    """A ``--raw`` entry of ``diff-tree -c`` (``::`` and one mode and object per parent, then
    the result's, for a merge)."""
    fields = [f for f in meta.split(b" ") if _OID.match(f)]
    oids = [f for f in fields if f.strip(b"0")]
    merge_deleted = meta.startswith(b"::") and bool(fields) and not fields[-1].strip(b"0")
    return Changed(raw_path.decode("utf-8", "surrogateescape"), oids, merge_deleted)


def _damaged(root: Path, shas: list[str], present: set[bytes]) -> dict[str, list[Changed]]:
    """The commits of ``shas`` that need an object the store lacks, each with its files
    (``_raw_files``), from one ``git diff-tree --stdin`` (trees only, no blob is read). Read
    as it comes and only those commits kept: a whole history's listing is tens of MB. Stops
    where git does (a missing tree or parent): commits it did not list are left to the
    slower path."""
    args, preexec = procs.dying_with_parent(
        [
            "git",
            "-C",
            str(root),
            *GIT_CONFIG,
            "diff-tree",
            "--stdin",
            "-r",
            "-z",
            "--raw",
            "--no-renames",
            "-c",
            "--root",
        ]
    )
    proc = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=preexec
    )
    assert proc.stdin is not None and proc.stdout is not None
    request = "".join(f"{s}\n" for s in shas).encode()

    def feed() -> None:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(request)
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    found: dict[str, list[Changed]] = {}
    sha, lost = "", False
    files: list[Changed] = []

    def close_commit() -> None:
        if sha and lost:
            found[sha] = files

    try:
        items = _nul_items(proc.stdout)
        for item in items:
            if item.startswith(b":") and sha:
                path = next(items, None)
                if path is None:
                    break
                files.append(_entry(item, path))
                lost = lost or any(o not in present for o in files[-1].oids)
            elif _OID.match(item):
                close_commit()
                sha, files, lost = item.decode("ascii"), [], False
    finally:
        writer.join()
        proc.stdout.close()
        code = proc.wait()
    if code == 0:
        close_commit()  # else git may have died inside the last one
    return found


def _nul_items(out: IO[bytes]) -> Iterator[bytes]:
    """The NUL-terminated items of ``out``, read in blocks."""
    rest = b""
    while block := out.read(READ_SIZE):
        parts = (rest + block).split(b"\x00")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def _careful(
    root: Path,
    sha: str,
    present: set[bytes],
    collector: Collector,
    out: Salvage,
    files: list[Changed] | None = None,
) -> None:
    """One commit git could not diff whole: its message and the files whose objects are
    present; the others are listed. ``files``: its changed files, if already known (a commit
    that needs a missing object); None: git died on it in a batch."""
    error = ""
    died_here = files is None
    if files is None:
        files, error = _raw_files(root, sha)
    if error:
        _without_parents(root, sha, present, collector, out, error)
        return
    ok: list[str] = []
    for path, oids, merge_deleted in files:
        lost = [o for o in oids if o not in present]
        if merge_deleted:
            # nothing to read, and git's combined diff of it can take memory quadratic in its
            # length (``logproc.GIT_MEMORY_ENV``): a merge git died on may have died there
            if died_here and sha not in out.without_deleted:
                out.without_deleted.append(sha)
            continue
        if lost:
            out.unreadable.append(Unreadable(sha, path, lost[-1].decode("ascii"), "object not in the object store"))
        else:
            ok.append(path)
    # an empty pathspec would mean every file: with none readable, only the message is scanned
    cmd, stdin = (
        log_input(root, ["--no-walk", sha], ok)
        if ok
        else (log_command(root, ["--no-walk", sha], extra=["--no-patch"]), None)
    )
    try:
        for commit in stream_commits(cmd, stdin):
            collector.add_commit(commit)
    except GitError as exc:
        out.unreadable.append(Unreadable(sha, reason=str(exc).splitlines()[-1]))


def _without_parents(root: Path, sha: str, present: set[bytes], collector: Collector, out: Salvage, error: str) -> None:
    """A commit git cannot diff because a parent (or its tree) is missing: its whole tree is
    scanned as if added here (the oldest commit still readable is where these secrets are
    first seen), file by file as far as the objects are present."""
    empty = _git(root, "hash-object", "-t", "tree", "/dev/null").stdout.decode("ascii").strip()
    files, own_error = _raw_files(root, empty, sha)
    head = _header(root, sha)  # git log would insist on reading the parents
    if own_error or head is None:
        out.unreadable.append(Unreadable(sha, reason=own_error or error))
        return
    ok: list[str] = []
    for path, oids, _ in files:
        lost = [o for o in oids if o not in present]
        if lost:
            out.unreadable.append(Unreadable(sha, path, lost[-1].decode("ascii"), "object not in the object store"))
        else:
            ok.append(path)
    out.unreadable.append(
        Unreadable(sha, reason=f"a parent is unreadable, so its whole tree was scanned as added here ({error})")
    )
    patch = b""
    if ok:
        diff = _git(
            root,
            "diff-tree",
            "-p",
            *PATCH_OPTIONS,
            empty,
            sha,
            "--",
            *(f":(literal){p}" for p in ok),
        )
        if diff.returncode != 0:
            out.unreadable.append(Unreadable(sha, reason=diff.stderr.decode("utf-8", "replace").strip()))
            return
        patch = diff.stdout
    head.patch = patch
    collector.add_commit(head)


def _header(root: Path, sha: str) -> Commit | None:
    """A commit's header fields as ``git log`` would give them, from the raw commit object."""
    raw = _git(root, "cat-file", "commit", sha)
    if raw.returncode != 0:
        return None
    head, _, message = raw.stdout.partition(b"\n\n")
    author, when, date = b"", 0, b""
    for line in head.split(b"\n"):
        if line.startswith(b"author "):
            ident, _, stamp = line[7:].rpartition(b"> ")
            author = ident + b">"
            secs, _, tz = stamp.partition(b" ")
            if secs.isdigit() and len(tz) == 5:
                sign = -1 if tz[:1] == b"-" else 1
                offset = timedelta(minutes=sign * (int(tz[1:3]) * 60 + int(tz[3:5])))
                date = datetime.fromtimestamp(int(secs), timezone(offset)).isoformat().encode()
        elif line.startswith(b"committer "):
            fields = line.rsplit(b" ", 2)
            when = int(fields[1]) if len(fields) == 3 and fields[1].isdigit() else 0
    return Commit(sha, when, author, date, message, b"")


def scan_salvage(
    root: Path, rng: Range, collector: Collector, progress: Callable[[int, int], None] | None = None
) -> Salvage:
    """Scan what git can read of ``rng`` into ``collector``; return what it could not read."""
    out = Salvage()
    present = present_objects(root)
    shas = commits_of(root, rng, present, out)
    # which commits need a missing object, from their trees alone (one git process): in a
    # partial clone that is most of them, and each is then read with just its present files
    damaged = _damaged(root, shas, present)
    for sha in [s for s in shas if s in damaged]:
        _careful(root, sha, present, collector, out, damaged[sha])
    shas = [s for s in shas if s not in damaged]
    pos = 0
    while pos < len(shas):
        batch = shas[pos : pos + BATCH]
        got = 0  # records begun; only the last is held (a batch's patches can be hundreds of MB)
        last: Commit | None = None
        try:
            for commit in stream_commits(
                log_command(root, ["--no-walk=unsorted", "--stdin"]), stdin="".join(f"{s}\n" for s in batch).encode()
            ):
                got += 1
                if last is not None:  # a record is whole once the next one has begun
                    collector.add_commit(last)
                    if progress is not None and got % 64 == 0:
                        progress(collector.result.commits, collector.result.bytes)
                last = commit
        except GitError:
            # git died in the last record it began (or just before the next): redo that one
            # carefully, the one after it too when it turns out whole, then go on
            done = got - 1 if got else 0
            for sha in batch[done : done + 2]:
                _careful(root, sha, present, collector, out)
            pos += done + 2
            continue
        if last is not None:
            collector.add_commit(last)
        pos += len(batch)
    return out


def iter_summary(unreadable: list[Unreadable], limit: int = 20) -> Iterator[str]:
    for u in unreadable[:limit]:
        yield u.describe()
    if len(unreadable) > limit:
        yield f"... and {len(unreadable) - limit} more (all of them in the check's evidence)"
