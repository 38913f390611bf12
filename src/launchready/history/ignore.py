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
    from launchready.bounded import MAX_CONFIG_BYTES, BoundedReadError, read_regular
    from launchready.errors import ConfigError

    if not p.exists() and not p.is_symlink():
        return GitleaksIgnore()
    try:
        data = read_regular(p, MAX_CONFIG_BYTES, inside=root)
    except FileNotFoundError:
        return GitleaksIgnore()
    except BoundedReadError as exc:
        raise ConfigError(str(p), None, None, f".gitleaksignore refused: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(p), None, None, f"cannot read .gitleaksignore: {exc}") from None
    return parse(data.decode("utf-8", errors="replace"))
