"""Suppression governance: what a change adds to silence findings, listed for reviewers.

A pull request that adds an allow comment, a baseline entry, a ``.gitleaksignore`` line, a
disabled rule or an exclude pattern can hide its own leak. Each such addition between the
merge base and the head is listed in the job summary. With ``strict_suppressions`` the
config, baseline and ``.gitleaksignore`` are read from the base commit instead, so a PR
cannot suppress its own findings (its allow comments are still listed here).
"""

from __future__ import annotations

import json
import posixpath
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from launchready.config import CONFIG_NAMES
from launchready.secrets.engine import ALLOW_MARKERS

MAX_LISTED = 50


def show(root: Path, rev: str, path: str) -> bytes | None:
    """The content of ``path`` at ``rev``, or None when it did not exist there."""
    # cat-file, not show: the stored bytes, whatever textconv filters .gitattributes names
    out = subprocess.run(
        ["git", "-C", str(root), "cat-file", "blob", f"{rev}:{path}"], capture_output=True, check=False
    )
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
    """(path, line, text) of every line added between ``base`` and ``head``, read as the
    history scan reads a patch (``history.patch``): UTF-16/32 files decoded, binary ones and
    submodules skipped, quoted names unquoted."""
    from launchready.history.logproc import GIT_CONFIG, PATCH_OPTIONS
    from launchready.history.patch import sections

    # History's pinned patch options, except that git finds renames: a moved file's existing
    # allow comments are not suppressions the pull request added. Pinned either way, so a
    # runner's diff.renames or diff.algorithm cannot change which lines count as added.
    options = ["--find-renames" if o == "--no-renames" else o for o in PATCH_OPTIONS]
    out = subprocess.run(
        [
            "git",
            "-C",
            str(root),
            *GIT_CONFIG,
            "diff",
            *options,
            "--end-of-options",
            base,
            head,
            "--",
        ],
        capture_output=True,
        check=False,
    )
    found: list[tuple[str, int, str]] = []
    for sec in sections(out.stdout):
        raw = None if sec.binary else sec.target()
        adds = sec.adds(raw) if raw is not None else None
        if adds is not None:
            found += [
                (adds.path, n, text.decode("utf-8", "replace"))
                for text, n in zip(adds.lines, adds.numbers, strict=True)
            ]
    return found


def added_suppressions(
    root: Path, base: str, head: str, config_path: str | None, baseline_path: str | None
) -> list[str]:
    """Human-readable lines, one per suppression the change adds."""
    mb = (
        subprocess.run(
            ["git", "-C", str(root), "merge-base", "--end-of-options", base, head],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        or base
    )
    notes: list[str] = []
    lines = _added_lines(root, mb, head)
    for path, line, text in lines:
        if path == ".gitleaksignore" and text.strip() and not text.lstrip().startswith("#"):
            notes.append(f"adds a .gitleaksignore entry at .gitleaksignore:{line}")
        elif any(m in text for m in ALLOW_MARKERS):
            marker = next(m for m in ALLOW_MARKERS if m in text)
            notes.append(f"adds an allow comment ({marker}) at {path}:{line}")
    cfg_name = config_path or next(
        (n for n in CONFIG_NAMES if show(root, head, n) is not None or show(root, mb, n) is not None), None
    )
    if cfg_name:
        old, new = _yaml(show(root, mb, cfg_name)), _yaml(show(root, head, cfg_name))
        old_rules: dict[str, Any] = old["rules"] if isinstance(old.get("rules"), dict) else {}
        new_rules: dict[str, Any] = new["rules"] if isinstance(new.get("rules"), dict) else {}
        for rule in sorted(set(_strs(new_rules.get("disable"))) - set(_strs(old_rules.get("disable")))):
            notes.append(f"disables rule {rule} in {cfg_name}")
        for pat in [p for p in _strs(new.get("exclude")) if p not in set(_strs(old.get("exclude")))]:
            notes.append(f"excludes paths matching {pat!r} in {cfg_name}")
        if new.get("fail_on") != old.get("fail_on") and new.get("fail_on") is not None:
            notes.append(
                f"sets fail_on: {new.get('fail_on')} in {cfg_name} (was {old.get('fail_on') or 'the default, high'})"
            )
        if new.get("gitleaks_mode") == "replace" and old.get("gitleaks_mode") != "replace":
            notes.append(
                f"sets gitleaks_mode: replace in {cfg_name} (a gitleaks config without useDefault then turns the built-in rules off)"
            )
        if new.get("gitleaks_config") != old.get("gitleaks_config") and new.get("gitleaks_config"):
            notes.append(f"points gitleaks_config: at {new.get('gitleaks_config')} in {cfg_name}")
        if new.get("baseline") != old.get("baseline") and new.get("baseline"):
            notes.append(f"points baseline: at {new.get('baseline')} in {cfg_name}")
        baseline_path = baseline_path or (new.get("baseline") if isinstance(new.get("baseline"), str) else None)
    bl = baseline_path or ".launchready-baseline.json"
    old_e, new_e = _json_entries(show(root, mb, bl)), _json_entries(show(root, head, bl))
    for fp in sorted(set(new_e) - set(old_e)):
        e = new_e[fp] if isinstance(new_e[fp], dict) else {}
        notes.append(
            f"adds a baseline entry in {bl} for {e.get('rule_id', fp.split(':')[0])} at {e.get('path', '?')}:{e.get('line', '?')}"
        )
    notes += _detection_files_changed(root, mb, head, cfg_name, bl)
    if len(notes) > MAX_LISTED:
        more = len(notes) - MAX_LISTED
        notes = [*notes[:MAX_LISTED], f"... and {more} more suppressions added"]
    return [f"Suppression added by this change: {n}" for n in notes]


GITLEAKS_DEFAULT = ".gitleaks.toml"
OTHER_DETECTION_FILES = (".gitleaksignore", ".secrets.baseline")


def _gitleaks_names(root: Path, rev: str, cfg_name: str | None) -> list[str]:
    """The gitleaks config ``rev`` uses (``gitleaks_config`` or the default) and what its
    ``[extend] path`` names."""
    cfg = _yaml(show(root, rev, cfg_name)) if cfg_name else {}
    named = cfg.get("gitleaks_config")
    first = str(PurePosixPath(cfg_name).parent / named) if cfg_name and isinstance(named, str) else GITLEAKS_DEFAULT
    names = [posixpath.normpath(first)]
    extended = _toml_extend_path(show(root, rev, names[0]))
    if extended and not posixpath.isabs(extended):
        names.append(posixpath.normpath(posixpath.join(posixpath.dirname(names[0]), extended)))
    return names


def _toml(data: bytes | None) -> dict[str, Any]:
    if not data:
        return {}
    from launchready.secrets.gitleaks_config import _toml as toml_module

    try:
        loaded = toml_module().loads(data.decode("utf-8", "replace"))
    except Exception:  # a broken file is reported by the scan itself
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _toml_extend_path(data: bytes | None) -> str | None:
    extend = _toml(data).get("extend")
    target = extend.get("path") if isinstance(extend, dict) else None
    return target if isinstance(target, str) and target else None


def _gitleaks_details(old: bytes | None, new: bytes | None) -> list[str]:
    """What a changed gitleaks config does to detection, in words."""
    o, n = _toml(old), _toml(new)
    out: list[str] = []
    o_ext: dict[str, Any] = o["extend"] if isinstance(o.get("extend"), dict) else {}
    n_ext: dict[str, Any] = n["extend"] if isinstance(n.get("extend"), dict) else {}
    if new is not None and not n_ext.get("useDefault") and (old is None or o_ext.get("useDefault")):
        out.append(
            "has no [extend] useDefault = true (its rules are added to the built-in pack unless gitleaks_mode: replace)"
        )
    for rid in sorted(set(_strs(n_ext.get("disabledRules"))) - set(_strs(o_ext.get("disabledRules")))):
        out.append(f"disables rule {rid}")
    if n_ext.get("path") != o_ext.get("path") and n_ext.get("path"):
        out.append(f"extends {n_ext.get('path')!r}")

    def allows(doc: dict[str, Any]) -> set[str]:
        found: set[str] = set()
        tables = [doc.get("allowlist"), *_items(doc.get("allowlists"))]
        for rule in _items(doc.get("rules")):
            if isinstance(rule, dict):
                tables += [rule.get("allowlist"), *_items(rule.get("allowlists"))]
        for t in tables:
            if isinstance(t, dict):
                for key in ("regexes", "paths", "stopwords", "commits"):
                    found |= {f"{key}: {v}" for v in _strs(t.get(key))}
        return found

    for entry in sorted(allows(n) - allows(o))[:10]:
        out.append(f"adds an allowlist entry ({entry})")
    return out


def _detection_files_changed(root: Path, mb: str, head: str, cfg_name: str | None, baseline: str) -> list[str]:
    """Every file that changes what is detected (config, gitleaks config and what it extends,
    baseline, .gitleaksignore, a detect-secrets baseline) that differs between the merge
    base and the head, named so a reviewer sees it; strict mode reads them from the base."""
    names: list[str] = []
    for n in [
        *CONFIG_NAMES,
        *([cfg_name] if cfg_name else []),
        baseline,
        *OTHER_DETECTION_FILES,
        *_gitleaks_names(root, mb, cfg_name),
        *_gitleaks_names(root, head, cfg_name),
    ]:
        if n not in names:
            names.append(n)
    gitleaks = set(_gitleaks_names(root, mb, cfg_name)) | set(_gitleaks_names(root, head, cfg_name))
    notes = []
    for name in names:
        old, new = show(root, mb, name), show(root, head, name)
        if old == new:
            continue
        verb = "adds" if old is None else "deletes" if new is None else "changes"
        line = f"{verb} detection config {name}"
        if name in gitleaks:
            details = _gitleaks_details(old, new)
            if details:
                line += ": " + "; ".join(details)
        notes.append(line)
    return notes


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strs(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
