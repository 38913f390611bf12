"""Suppression governance: what a change adds to silence findings, listed for reviewers.

A pull request that adds an allow comment, a baseline entry, a ``.gitleaksignore`` line, a
disabled rule or an exclude pattern can hide its own leak. Each such addition between the
merge base and the head is listed in the job summary. With ``strict_suppressions`` the
config, baseline and ``.gitleaksignore`` are read from the base commit instead, so a PR
cannot suppress its own findings (its allow comments are still listed here).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

from launchready.config import CONFIG_NAMES
from launchready.secrets.engine import ALLOW_MARKERS

MAX_LISTED = 50


def show(root: Path, rev: str, path: str) -> bytes | None:
    """The content of ``path`` at ``rev``, or None when it did not exist there."""
    out = subprocess.run(["git", "-C", str(root), "show", f"{rev}:{path}"], capture_output=True, check=False)
    return out.stdout if out.returncode == 0 else None


def _yaml(data: bytes | None) -> dict[str, Any]:
    if not data:
        return {}
    from launchready.bounded import BoundedReadError, load_yaml

    try:
        loaded = load_yaml(data.decode("utf-8", "replace"))[1]
    except (yaml.YAMLError, BoundedReadError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _json_entries(data: bytes | None) -> dict[str, Any]:
    if not data:
        return {}
    try:
        loaded = json.loads(data.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return {}
    entries = loaded.get("entries") if isinstance(loaded, dict) else None
    return entries if isinstance(entries, dict) else {}


def _added_lines(root: Path, base: str, head: str) -> list[tuple[str, int, str]]:
    """(path, line, text) of every line added between ``base`` and ``head``."""
    out = subprocess.run(
        ["git", "-C", str(root), "-c", "core.quotePath=false", "diff", "-U0", "--no-color",
         "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", base, head, "--"],
        capture_output=True, check=False,
    )  # fmt: skip
    found: list[tuple[str, int, str]] = []
    path = ""
    lineno = 0
    for raw in out.stdout.split(b"\n"):
        if raw.startswith(b"+++ "):
            name = raw[4:].rstrip(b"\t").decode("utf-8", "replace")
            path = name[2:] if name.startswith("b/") else name
        elif raw.startswith(b"@@ "):
            plus = raw.split(b" ")[2]
            lineno = int(plus[1:].split(b",")[0])
        elif raw.startswith(b"+"):
            found.append((path, lineno, raw[1:].decode("utf-8", "replace")))
            lineno += 1
    return found


def added_suppressions(root: Path, base: str, head: str, config_path: str | None, baseline_path: str | None) -> list[str]:
    """Human-readable lines, one per suppression the change adds."""
    mb = subprocess.run(["git", "-C", str(root), "merge-base", base, head], capture_output=True, text=True, check=False).stdout.strip() or base
    notes: list[str] = []
    lines = _added_lines(root, mb, head)
    for path, line, text in lines:
        if path == ".gitleaksignore" and text.strip() and not text.lstrip().startswith("#"):
            notes.append(f"adds a .gitleaksignore entry at .gitleaksignore:{line}")
        elif any(m in text for m in ALLOW_MARKERS):
            marker = next(m for m in ALLOW_MARKERS if m in text)
            notes.append(f"adds an allow comment ({marker}) at {path}:{line}")
    cfg_name = config_path or next((n for n in CONFIG_NAMES if show(root, head, n) is not None or show(root, mb, n) is not None), None)
    if cfg_name:
        old, new = _yaml(show(root, mb, cfg_name)), _yaml(show(root, head, cfg_name))
        old_rules: dict[str, Any] = old["rules"] if isinstance(old.get("rules"), dict) else {}
        new_rules: dict[str, Any] = new["rules"] if isinstance(new.get("rules"), dict) else {}
        for rule in sorted(set(_strs(new_rules.get("disable"))) - set(_strs(old_rules.get("disable")))):
            notes.append(f"disables rule {rule} in {cfg_name}")
        for pat in [p for p in _strs(new.get("exclude")) if p not in set(_strs(old.get("exclude")))]:
            notes.append(f"excludes paths matching {pat!r} in {cfg_name}")
        if new.get("fail_on") != old.get("fail_on") and new.get("fail_on") is not None:
            notes.append(f"sets fail_on: {new.get('fail_on')} in {cfg_name} (was {old.get('fail_on') or 'the default, high'})")
        if new.get("baseline") != old.get("baseline") and new.get("baseline"):
            notes.append(f"points baseline: at {new.get('baseline')} in {cfg_name}")
        baseline_path = baseline_path or (new.get("baseline") if isinstance(new.get("baseline"), str) else None)
    bl = baseline_path or ".launchready-baseline.json"
    old_e, new_e = _json_entries(show(root, mb, bl)), _json_entries(show(root, head, bl))
    for fp in sorted(set(new_e) - set(old_e)):
        e = new_e[fp] if isinstance(new_e[fp], dict) else {}
        notes.append(f"adds a baseline entry in {bl} for {e.get('rule_id', fp.split(':')[0])} at {e.get('path', '?')}:{e.get('line', '?')}")
    if len(notes) > MAX_LISTED:
        more = len(notes) - MAX_LISTED
        notes = [*notes[:MAX_LISTED], f"... and {more} more suppressions added"]
    return [f"Suppression added by this change: {n}" for n in notes]


def _strs(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
