"""``.gitleaksignore``: gitleaks fingerprints ``<commit>:<file>:<rule>:<line>`` (and the
directory-mode form ``<file>:<rule>:<line>``), honoured by commit, file and line, any rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_SHA = re.compile(r"^[0-9a-fA-F]{7,40}$")


@dataclass
class GitleaksIgnore:
    # (path, line) -> commit prefixes ("" = any commit)
    entries: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(v) for v in self.entries.values())

    def ignores(self, commit: str, path: str, line: int) -> bool:
        prefixes = self.entries.get((path, line))
        if not prefixes:
            return False
        return any(commit.startswith(p) for p in prefixes)


def parse(text: str) -> GitleaksIgnore:
    ign = GitleaksIgnore()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, sep, lineno = line.rpartition(":")
        if not sep or not lineno.isdigit():
            continue
        rest, sep, _rule = head.rpartition(":")  # the rule id never contains ':'
        if not sep:
            continue
        commit, sep2, path = rest.partition(":")
        if not sep2 or not _SHA.match(commit):
            commit, path = "", rest
        ign.entries.setdefault((path, int(lineno)), []).append(commit.lower())
    return ign


def load(root: Path) -> GitleaksIgnore:
    p = root / ".gitleaksignore"
    try:
        return parse(p.read_text(encoding="utf-8", errors="replace"))
    except (FileNotFoundError, IsADirectoryError):
        return GitleaksIgnore()
