"""Bounded reading of the files a repository (so a pull request) controls: configs, ignore
files, baselines, event payloads.

``read_regular(path, limit)`` reads only a regular file (never a FIFO, a device such as
``/dev/zero`` or a directory), of at most ``limit`` bytes, and, given ``inside``, only one
that resolves inside that directory. ``load_yaml(text)`` parses YAML without letting aliases
expand past ``MAX_YAML_NODES`` nodes or nesting past ``MAX_YAML_DEPTH`` (a 503-byte alias
bomb expands to billions). Both raise ``BoundedReadError`` with the reason, which callers turn
into a configuration error (exit 2).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

MAX_CONFIG_BYTES = 1 << 20  # .launchready.yml, .gitleaks.toml, .gitleaksignore
MAX_BASELINE_BYTES = 64 << 20
MAX_EVENT_BYTES = 64 << 20
MAX_YAML_NODES = 100_000
MAX_YAML_DEPTH = 100


class BoundedReadError(Exception):
    """The file or document was refused; the message says why (no path: callers add it)."""


def read_regular(path: str | os.PathLike[str], limit: int, inside: Path | None = None) -> bytes:
    """The bytes of ``path``: a regular file of at most ``limit`` bytes (inside ``inside``).
    FileNotFoundError passes through; every other refusal is a BoundedReadError."""
    p = Path(path)
    if inside is not None:
        real, root = p.resolve(), inside.resolve()
        if real != root and root not in real.parents:
            raise BoundedReadError(f"it resolves outside the repository ({root}); only files inside it are read")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise BoundedReadError(f"cannot open it: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise BoundedReadError("it is not a regular file (a device, FIFO, socket or directory)")
        if st.st_size > limit:
            raise BoundedReadError(f"it is {st.st_size:,} bytes, over the {limit:,}-byte limit")
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise BoundedReadError(f"it grew past the {limit:,}-byte limit while being read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], limit: int, inside: Path | None = None) -> str:
    """``read_regular`` decoded as UTF-8 (a BOM is dropped); UnicodeDecodeError passes through."""
    return read_regular(path, limit, inside).decode("utf-8-sig")


def _expanded_size(root: Any) -> int:
    """Nodes in the tree ``root`` stands for once every alias is expanded (shared nodes are
    counted once per use), computed over the graph without expanding it. Refuses cycles,
    depth past MAX_YAML_DEPTH and sizes past MAX_YAML_NODES as soon as they are seen."""
    import yaml

    size: dict[int, int] = {}
    on_path: set[int] = set()
    # iterative post-order: (node, depth, children pushed?)
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, expanded = stack.pop()
        key = id(node)
        if isinstance(node, yaml.ScalarNode):
            size[key] = 1
            continue
        children: list[Any] = (
            [x for kv in node.value for x in kv] if isinstance(node, yaml.MappingNode) else list(node.value)
        )
        if expanded:
            on_path.discard(key)
            total = 1 + sum(size[id(c)] for c in children)
            if total > MAX_YAML_NODES:
                raise BoundedReadError(
                    f"the YAML expands to more than {MAX_YAML_NODES:,} nodes (aliases re-used too many times)"
                )
            size[key] = total
            continue
        if key in size:
            continue
        if key in on_path:
            raise BoundedReadError("the YAML has an alias that refers to itself (a recursive structure)")
        if depth > MAX_YAML_DEPTH:
            raise BoundedReadError(f"the YAML nests more than {MAX_YAML_DEPTH} levels deep")
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in size)
    return size[id(root)]


def load_yaml(text: str) -> tuple[Any, Any]:
    """(node, data) of one YAML document with the SafeLoader, bounded as the module says.
    yaml.YAMLError passes through for the caller to report with its line."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise BoundedReadError(f"the YAML nests more than {MAX_YAML_DEPTH} levels deep") from None
        if node is None:
            return None, None
        _expanded_size(node)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()
