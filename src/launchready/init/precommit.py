"""Merge our hook block into an existing ``.pre-commit-config.yaml`` without clobbering it.

Why text-level and not a YAML dump: pyyaml cannot round-trip comments, and a user's config
is full of them (ruamel.yaml can, but is not a dependency and would be one just for this).
So we insert our ``- repo:`` block as text after the last item of the block-style ``repos:``
list, with the file's own indentation, and then prove the edit with a round trip: the new
file must parse to exactly the old data plus our one repo. Anything we cannot edit safely
(flow-style ``repos: [...]``, unparsable YAML) is left untouched with a clear message.
"""

from __future__ import annotations

from typing import Any

import yaml

from launchready.errors import UsageError
from launchready.init import templates
from launchready.init.detect import Stack

NAME = ".pre-commit-config.yaml"


def has_ours(data: Any) -> bool:
    repos = data.get("repos") if isinstance(data, dict) else None
    if not isinstance(repos, list):
        return False
    for r in repos:
        if not isinstance(r, dict):
            continue
        if str(r.get("repo", "")).rstrip("/").removesuffix(".git").endswith("/launchready"):
            return True
        hooks = r.get("hooks")
        if (
            r.get("repo") == "local"
            and isinstance(hooks, list)
            and any(isinstance(h, dict) and str(h.get("id", "")).startswith("launchready-") for h in hooks)
        ):
            return True
    return False


def _refuse(problem: str, block: str) -> UsageError:
    return UsageError(f"{NAME}: {problem}; left untouched. Add this under 'repos:' yourself:\n{block.rstrip()}")


def merge(existing: str | None, stacks: list[Stack], local: bool = False) -> str:
    """The new file text (``existing`` itself when our hooks are already there). ``local``:
    hooks that run the installed launchready (``repo: local``), else the published release."""
    if existing is None or not existing.strip():
        return templates.precommit_file(stacks, local)
    block2 = templates.precommit_hooks(stacks, 2, local)
    try:
        data = yaml.safe_load(existing)
        root = yaml.compose(existing, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _refuse(f"is not valid YAML ({str(exc).splitlines()[0]})", block2) from None
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(root, (yaml.MappingNode, type(None))):
        raise _refuse("the top level is not a mapping", block2)
    if has_ours(data):
        return existing
    newline = "\r\n" if "\r\n" in existing else "\n"
    lines = existing.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the text ended with a newline
    value = None
    if root is not None:
        for k, v in root.value:
            if k.value == "repos":
                value = v
    if value is None:
        if "repos" in data:
            raise _refuse("'repos' is not a list", block2)
        new_lines = [*lines, "repos:", *block2.rstrip("\n").split("\n")]
    else:
        if not isinstance(value, yaml.SequenceNode):
            raise _refuse("'repos' is not a list", block2)
        if value.flow_style or not value.value:
            raise _refuse("'repos' is written in flow style ([...])", block2)
        first = value.value[0].start_mark
        head = lines[first.line][: first.column]
        if not head.rstrip().endswith("-") or head.rstrip()[:-1].strip():
            raise _refuse("cannot tell the indentation of the 'repos' list", block2)
        indent = len(head.rstrip()) - 1
        last = value.value[-1]
        at = last.end_mark.line if last.end_mark.column == 0 else last.end_mark.line + 1
        # keep trailing blank lines and comments of the list where they are: insert right
        # after the last line that holds content of the last item
        while at > 0 and at - 1 < len(lines) and lines[at - 1].strip() == "":
            at -= 1
        block = templates.precommit_hooks(stacks, indent, local).rstrip("\n").split("\n")
        new_lines = lines[:at] + block + lines[at:]
    text = newline.join(new_lines) + newline
    # prove it: the old data plus exactly our repo
    try:
        new_data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise _refuse("the merged file would not parse", block2) from None
    expected = dict(data)
    ours = yaml.safe_load(templates.precommit_hooks(stacks, 0, local))
    expected["repos"] = [*(data.get("repos") or []), *ours]
    if new_data != expected:
        raise _refuse("the merged file would not mean what it meant plus our hooks", block2)
    return text
