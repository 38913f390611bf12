"""Parse one commit's ``git log -p -U0`` patch into the lines it added, per file.

Handles plain diffs (``diff --git``) and combined diffs of merges (``diff --cc``): in a
combined diff only lines new relative to every parent (all ``+`` columns) were added by the
merge itself (a conflict resolution or an "evil merge"); lines that came from one side are
attributed to the side branch's own commits, which the log scans anyway.
Submodule pointer changes and deletions add no text and are skipped; a binary file is yielded
without its content so the scan can list it as not scanned.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from launchready.secrets.encoding import SNIFF, sniff_encoding

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@", re.M)
_CC_HUNK = re.compile(rb"^(@{3,}) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,\d+)? @{3,}", re.M)
_ESCAPES = {
    ord("a"): 7,
    ord("b"): 8,
    ord("t"): 9,
    ord("n"): 10,
    ord("v"): 11,
    ord("f"): 12,
    ord("r"): 13,
    ord('"'): 34,
    ord("\\"): 92,
}


@dataclass
class FileAdds:
    """The lines one commit added to one file. Line numbers are worked out only on demand
    (when the engine found something), so the common case is one regex over the hunk text."""

    path: str
    lines: list[bytes]
    body: bytes  # the hunks, for line numbers
    combined: int = 0  # number of parents of a combined (merge) diff, 0 for a plain diff
    _numbers: list[int] | None = field(default=None, repr=False)
    raw_path: str = ""  # the path as git spells it (surrogate-escaped), for ``git cat-file``

    @property
    def numbers(self) -> list[int]:
        if self._numbers is None:
            self._numbers = _combined_numbers(self.body, self.combined) if self.combined else _plain_numbers(self.body)
        return self._numbers


def unquote_path(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a path (``"a\\tb"``, octal escapes for raw bytes)."""
    if not (raw.startswith(b'"') and raw.endswith(b'"') and len(raw) >= 2):
        return raw
    body = raw[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != 0x5C or i + 1 >= len(body):
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        if 0x30 <= nxt <= 0x37:
            out.append(int(body[i + 1 : i + 4], 8) & 0xFF)
            i += 4
        else:
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
    return bytes(out)


@functools.lru_cache(maxsize=1 << 16)
def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _header_name(header: bytes, marker: bytes, prefix: bytes) -> bytes | None:
    """The path on the ``--- a/...`` or ``+++ b/...`` line of a file header."""
    i = header.rfind(marker)
    if i < 0:
        return None
    j = header.find(b"\n", i + len(marker))
    name = header[i + len(marker) : j if j >= 0 else len(header)]
    if name.endswith(b"\t"):  # git appends a tab to names containing spaces
        name = name[:-1]
    if name == b"/dev/null":
        return None
    name = unquote_path(name)
    return name[2:] if name.startswith(prefix) else name


def _is_submodule(header: bytes) -> bool:
    return b" 160000" in header and (b"\nindex " in header or b"mode 160000" in header)


# "\n+" as a literal prefix lets the regex engine jump between candidate lines (a ``^``
# anchor would be tried at every byte); the body starts with a hunk header, never a "+".
_ADDED = re.compile(rb"\n\+([^\n]*)")


@dataclass
class Section:
    """One file of a commit's patch that has hunks, or a deleted file (whose content the scan
    asks git not to print: ``-D``), or a file whose added content is binary (``binary``, no
    body: the collector lists it as skipped). Mode-only and submodule changes are never
    yielded. Paths and added lines are worked out on demand: most sections need neither."""

    header: bytes
    body: bytes  # from the first hunk header on
    parents: int  # 0 for a plain diff, else the parents of a combined diff (a merge)
    deleted: bool = False
    binary: int = 0  # bytes of added content that is binary (not UTF-8/16/32): not scanned
    at: int = -1  # where ``body`` starts in the patch, -1 when it is not the patch's bytes
    end: int = -1  # where it ends there

    def target(self) -> bytes | None:
        """The new path (as git spells it), or None when nothing was added (a deletion)."""
        if self.parents and self.binary:  # "diff --cc NAME" and no ---/+++ lines
            end = self.header.find(b"\n")
            name = unquote_path(self.header[self.header.find(b" ") + 1 : end if end >= 0 else len(self.header)])
            return name if self.objects()[1].strip("0") else None  # an all-zero id: deleted
        return _header_name(self.header, b"\n+++ ", b"b/")

    def objects(self) -> tuple[list[str], str]:
        """(the parents' object ids, the new object id) from the ``index`` line (``--full-index``)."""
        at = self.header.find(b"\nindex ")
        end = self.header.find(b"\n", at + 1)
        line = self.header[at + 7 : end if end >= 0 else len(self.header)].split(b" ")[0] if at >= 0 else b""
        old, _, new = line.decode("ascii", "replace").partition("..")
        return old.split(","), new

    def source(self) -> bytes | None:
        if self.deleted:
            return _deleted_path(self.header)
        return _header_name(self.header, b"\n--- ", b"a/")

    def removes_lines(self) -> bool:
        """A deletion, a plain diff with ``-`` lines, or a file rewritten as binary: where a
        secret can have been removed."""
        return self.deleted or bool(self.binary) or (self.parents == 0 and b"\n-" in self.body)

    def adds(self, raw: bytes) -> FileAdds | None:
        """The lines this section added (for a merge: new relative to every parent)."""
        path = decode_path(raw)
        git_path = raw.decode("utf-8", "surrogateescape")
        if self.parents == 0:
            lines = _ADDED.findall(self.body)
            return FileAdds(path, lines, self.body, raw_path=git_path) if lines else None
        numbers: list[int] = []
        lines = _combined_lines(self.body, self.parents, numbers)
        return FileAdds(path, lines, self.body, self.parents, numbers, git_path) if lines else None


def _files(patch: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(start, end, text) of each file of a commit's patch: its ``diff --`` line without
    that word (``git a/X b/X``, ``cc X``) and everything up to the next file."""
    offset = -len(SPLIT)  # where the current file starts in ``patch``
    for n, section in enumerate(patch.split(SPLIT)):
        offset += len(SPLIT)
        start = offset
        offset += len(section)
        if n == 0:
            at = section.find(b"diff --")
            if at < 0:
                continue
            section = section[at + 7 :]
            start += at + 7
        yield start, offset, section


def sections(patch: bytes) -> Iterator[Section]:
    """Split a commit's patch into its files."""
    for start, offset, section in _files(patch):
        first_hunk = section.find(b"\n@@")
        if first_hunk < 0:  # binary, mode-only change, empty file, or a deletion under -D
            if section.startswith(b"git ") and b"\ndeleted file mode " in section:
                yield Section(section, b"", 0, deleted=True)
            elif section.startswith(b"cc ") and b"\nBinary files " in section and not _is_submodule(section):
                # a merge's combined diff says "Binary files differ" for any content with a NUL
                # byte, --text or not: the collector reads such a file from its blobs instead
                index = section.find(b"\nindex ")
                parents = section[index : section.find(b"..", index)].count(b",") + 1 if index >= 0 else 0
                if parents > 1:
                    yield Section(section, b"", parents, binary=1)
            continue
        header = section[:first_hunk]
        if _is_submodule(header):
            continue
        body = section[first_hunk + 1 :]
        if body.find(b"\0", 0, SNIFF) >= 0 and section.startswith(b"git "):
            # git printed it as text (--text, whatever .gitattributes says): UTF-16/32 is
            # decoded here so the keyword filter and the rules see characters; binary is skipped
            wide = _wide_body(body)
            if wide is None:  # listed as skipped by the collector, never taken for scanned
                yield Section(header, b"", 0, binary=len(body))
                continue
            body = wide
        at = start + first_hunk + 1
        if len(body) != offset - at:  # re-encoded from UTF-16/32
            at = -1
        if section.startswith(b"git "):
            yield Section(header, body, 0, at=at, end=offset)
        elif section.startswith((b"cc ", b"combined ")):
            # "@@@ -a,b -c,d +e,f @@@": parents + 1 '@'
            yield Section(header, body, body.find(b" ") - 1, at=at, end=offset)


SPLIT = b"\ndiff --"


def plain_files(patch: bytes) -> tuple[list[bytes], list[bytes]] | None:
    """(the old paths of the files the patch removes lines from or deletes, the new paths of
    the files it adds lines to), as ``sections(patch)`` gives them (``removes_lines`` and
    ``source``, ``target``), when every file is a plain text diff; None for a merge's combined
    diff or content with NUL bytes (look at those file by file). Cheaper than ``sections``
    for what the collector needs of a commit with no keyword and no line of a key."""
    if b"\0" in patch:
        return None
    removed: list[bytes] = []
    added: list[bytes] = []
    for _, _, section in _files(patch):
        if not section.startswith(b"git "):
            return None  # a merge's combined diff (``cc ``/``combined ``)
        first_hunk = section.find(b"\n@@")
        if first_hunk < 0:  # mode-only change, empty file, or a deletion under -D
            if b"\ndeleted file mode " in section:
                old = _deleted_path(section)
                if old is not None:
                    removed.append(old)
            continue
        header = section[:first_hunk]
        if _is_submodule(header):
            continue
        if section.find(b"\n-", first_hunk + 1) >= 0:
            old = _header_name(header, b"\n--- ", b"a/")
            if old is not None:
                removed.append(old)
        new = _header_name(header, b"\n+++ ", b"b/")
        if new is not None:
            added.append(new)
    return removed, added


def bodies_matching(
    patch: bytes, secs: Sequence[Section], find: Callable[[bytes, int], int], first: int = 0
) -> set[int]:
    """The ``at`` of each section of ``secs`` (``sections(patch)``, in order) whose body
    ``find`` (``find(data, pos)``: where a match starts in ``data[pos:]``, or -1) matches in:
    one pass over the patch that skips the rest of a section once it matched, instead of a
    search of the whole patch and then of each body. Exact for patterns that cannot match
    across a line break into a body or out of one (keywords; a line ending in ``\n`` or the
    text's end); a section whose body is not the patch's bytes (``at`` -1) is never in it.
    ``first``: where the caller found the patch's first match (none starts before it; -1:
    none at all), so the search does not go over that stretch again."""
    spans = [(s.at, s.end) for s in secs if s.at >= 0]
    found: set[int] = set()
    if not spans or first < 0:
        return found
    starts = [a for a, _ in spans]
    pos = max(starts[0], first)
    while True:
        hit = find(patch, pos)
        if hit < 0:
            break
        k = bisect.bisect_right(starts, hit) - 1  # the last body starting at or before the hit
        if k >= 0 and hit < spans[k][1]:
            found.add(starts[k])
            k += 1  # the rest of this body cannot add anything
        else:
            k += 1  # in a header or between files: go on at the next body
        if k >= len(spans):
            break
        pos = starts[k]
    return found


def _wide_body(body: bytes) -> bytes | None:
    """A plain diff's hunks with UTF-16/32 added lines re-encoded as UTF-8, or None when the
    added content is binary. git splits lines at every 0x0A byte, so each hunk's ``+`` lines
    joined again are the file's bytes; a hunk that does not start at line 1 of a UTF-16-LE
    file starts one byte late and reads as UTF-16-BE, which the sniffer recognises."""
    first = _HUNK.search(body)
    eol = body.find(b"\n", first.start()) if first is not None else -1
    if eol >= 0:  # most such files are binary (an image): tell from the first hunk's head alone
        head = _plus_head(body, eol + 1)
        if b"\0" in head and sniff_encoding(head) is None:
            return None
    heads = list(_HUNK.finditer(body))
    out: list[bytes] = []
    for n, m in enumerate(heads):
        end = heads[n + 1].start() if n + 1 < len(heads) else len(body)
        eol = body.find(b"\n", m.start())
        if eol < 0 or eol >= end:
            out.append(body[m.start() : end])
            continue
        rows = body[eol + 1 : end].split(b"\n")
        plus = [r[1:] for r in rows if r.startswith(b"+")]
        joined = b"\n".join(plus)
        enc = sniff_encoding(joined[:SNIFF]) if b"\0" in joined[:SNIFF] else "utf-8"
        if enc is None:
            if n == 0:
                return None
            out.append(body[m.start() : end])
            continue
        text = joined.decode(enc, "replace").split("\n")
        text = (text + [""] * len(plus))[: len(plus)]  # one row per '+' line, so numbers hold
        kept = [r for r in rows if r and not r.startswith(b"+")]
        out.append(b"\n".join([body[m.start() : eol], *kept, *(b"+" + t.encode("utf-8") for t in text)]) + b"\n")
    return b"".join(out)


def _plus_head(body: bytes, pos: int, size: int = SNIFF) -> bytes:
    """The first ``size`` bytes of the ``+`` lines (without their ``+``, joined by newlines)
    of the hunk whose lines start at ``body[pos]``: what ``_wide_body`` sniffs, without
    splitting the whole hunk (a binary file's hunk is the whole file)."""
    rows: list[bytes] = []
    taken = 0
    end = len(body)
    while taken < size + 1 and pos < end:
        nl = body.find(b"\n", pos)
        row = body[pos : nl if nl >= 0 else end]
        if _HUNK.match(row):
            break
        if row.startswith(b"+"):
            rows.append(row[1:])
            taken += len(row)
        if nl < 0:
            break
        pos = nl + 1
    return b"\n".join(rows)[:size]


_QUOTED = re.compile(rb'"((?:[^"\\]|\\.)*)"')


def _deleted_path(header: bytes) -> bytes | None:
    """The path of a deleted file from its ``git a/X b/X`` line (the only one naming it
    when git omits the deleted content): both names are the same, so X is half of it."""
    end = header.find(b"\n")
    line = header[4 : end if end >= 0 else len(header)]
    if line.startswith(b'"'):
        m = _QUOTED.match(line)
        name = unquote_path(m.group(0)) if m else b""
    else:
        n = (len(line) - 5) // 2
        name = line[: n + 2]
        if line != name + b" b/" + name[2:]:
            return None
    return name[2:] if name.startswith(b"a/") else None


def _plain_numbers(body: bytes) -> list[int]:
    numbers: list[int] = []
    heads = list(_HUNK.finditer(body))
    for n, m in enumerate(heads):
        lineno = int(m.group(1))
        end = heads[n + 1].start() if n + 1 < len(heads) else len(body)
        for line in body[m.end() : end].split(b"\n")[1:]:
            if line.startswith(b"+"):
                numbers.append(lineno)
                lineno += 1
    return numbers


def _combined_numbers(body: bytes, parents: int) -> list[int]:
    numbers: list[int] = []
    _combined_lines(body, parents, numbers)
    return numbers


def _combined_lines(body: bytes, parents: int, numbers: list[int]) -> list[bytes]:
    """Lines new relative to every parent (all ``+`` columns), with their line numbers."""
    lines: list[bytes] = []
    heads = list(_CC_HUNK.finditer(body))
    allplus = b"+" * parents
    for n, m in enumerate(heads):
        lineno = int(m.group(2))
        end = heads[n + 1].start() if n + 1 < len(heads) else len(body)
        for line in body[m.end() : end].split(b"\n")[1:]:
            prefix = line[:parents]
            if len(prefix) < parents or b"-" in prefix or prefix.startswith(b"\\"):
                continue
            if prefix == allplus:
                lines.append(line[parents:])
                numbers.append(lineno)
            lineno += 1
    return lines
