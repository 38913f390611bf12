"""Which secrets a commit's tree holds, and where: one ``git grep -F`` for many secrets.

History asks this in three places: does HEAD still have a secret (``dedup.present_at_head``),
did a commit too large to diff in memory add a secret or only keep one its parent already had
(``occurrences.Collector.scan_oversized``), and did such a commit remove one
(``dedup.removals``). git reads each file as a stream and prints only the matches (``-o``),
so a file with a 300 MB line costs git's memory, never ours.
"""

from __future__ import annotations

import codecs
import itertools
import re
import subprocess
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from launchready.history.gitlog import Blobs, GitError
from launchready.history.logproc import GIT_CONFIG, MAX_PATHSPEC_BYTES
from launchready.secrets.encoding import SNIFF, sniff_encoding

_SPLIT = re.compile(r"\\n|\\r|[\r\n]")
MIN_FRAGMENT = 8


def fragment(secret: str) -> str:
    """The longest single-line piece of a secret: what ``git grep -F`` and ``-`` lines can show."""
    parts = [p.strip() for p in _SPLIT.split(secret)]
    best = max(parts, key=len, default="")
    return best[:200]


def grep_texts(
    root: Path, rev: str, patterns: Iterable[str], paths: Iterable[str] = (), wide: Iterable[str] = ()
) -> dict[str, set[str]]:
    """path -> the texts matching any of ``patterns`` (fixed strings of at least
    MIN_FRAGMENT characters) in ``rev``'s tree, limited to ``paths`` when given (paths past
    ``MAX_PATHSPEC_BYTES`` in all: the whole tree; callers look their paths up). Content is
    read whatever ``.gitattributes`` says. A rev git cannot resolve (the parent of a root
    commit) holds nothing. git compares bytes, so it never finds a pattern in a UTF-16/32
    file: those of the ``wide`` paths in which git found nothing are decoded and searched
    here (``wide_texts``)."""
    wanted = sorted({p for p in patterns if len(p) >= MIN_FRAGMENT})
    if not wanted:
        return {}
    spec = [f":(literal){p}" for p in dict.fromkeys(paths)]
    if sum(len(s) + 1 for s in spec) > MAX_PATHSPEC_BYTES:
        spec = []  # the whole tree: what it finds is looked up by path, so only their paths count
    proc = subprocess.run(
        [
            "git",
            "-C",
            str(root),
            *GIT_CONFIG,
            "grep",
            "--text",
            "--no-textconv",
            "-F",
            "-o",
            "-z",
            "--no-color",
            "--no-recurse-submodules",
            "-f",
            "-",
            rev,  # a commit id (with ^N) or a resolved HEAD: never an option
            "--",
            *spec,
        ],
        input="\n".join(wanted).encode("utf-8", "surrogateescape") + b"\n",
        capture_output=True,
        check=False,
    )
    prefix = f"{rev}:"
    seen: dict[str, set[str]] = {}
    for ln in proc.stdout.split(b"\n"):
        name, sep, text = ln.partition(b"\0")
        if not sep:
            continue
        path = name.decode("utf-8", "surrogateescape").removeprefix(prefix)
        seen.setdefault(path, set()).add(text.decode("utf-8", "replace"))
    others = [p for p in dict.fromkeys(wide) if p not in seen]
    if others:
        seen.update(wide_texts(root, rev, wanted, others))
    return seen


def wide_texts(root: Path, rev: str, patterns: Collection[str], paths: Iterable[str]) -> dict[str, set[str]]:
    """path -> the ``patterns`` found in those of ``paths`` that are UTF-16/32 text at
    ``rev`` (decoded as ``scan`` decodes them, as a stream: one block in memory at a time).
    Other files are read past after their first 8 KB, unsearched."""
    found: dict[str, set[str]] = {}
    longest = max((len(p) for p in patterns), default=0)
    if not longest:
        return found
    blobs = Blobs(root)
    try:
        for path in paths:
            name = f"{rev}:{path}"
            if "\n" in name:  # the batch protocol is line based
                continue
            try:
                hits = blobs.stream(name, lambda pieces: _wide_hits(pieces, patterns, longest), SNIFF, 1 << 20)
            except GitError:  # git stopped: what it read so far is all there is
                break
            if hits:
                found.setdefault(path, set()).update(hits)
    finally:
        blobs.close()
    return found


def _wide_hits(pieces: Iterator[bytes], patterns: Collection[str], longest: int) -> set[str]:
    """The ``patterns`` in a blob's ``pieces`` if it is UTF-16/32 text, decoded block by block
    (each block searched with the end of the one before, so a pattern across two is found)."""
    head = next(pieces, b"")
    encoding = sniff_encoding(head)
    if encoding is None or encoding.startswith("utf-8"):
        return set()
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    hits: set[str] = set()
    tail = ""
    for block in itertools.chain((head,), pieces, (None,)):
        text = tail + (decoder.decode(b"", final=True) if block is None else decoder.decode(block))
        hits.update(p for p in patterns if p in text)
        tail = text[-(longest - 1) :] if longest > 1 else ""
    return hits


def holds(texts: Collection[str] | None, frag: str) -> bool:
    """Does a file whose matched texts are ``texts`` hold ``frag``? (``git grep -o`` reports
    the leftmost-longest match: a fragment inside another counts.)"""
    return bool(texts) and len(frag) >= MIN_FRAGMENT and any(frag in t for t in texts or ())
