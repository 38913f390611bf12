"""Read a gitleaks ``.gitleaks.toml`` so gitleaks users can migrate without losing rules.

Supported: ``[[rules]]`` with ``id``, ``description``, ``regex``, ``secretGroup``,
``entropy``, ``keywords``, ``path``, per-rule ``[[rules.allowlists]]`` (and the older
``[rules.allowlist]``) with ``regexes`` (``regexTarget`` secret/match/line), ``paths`` and
``stopwords``; the global ``[allowlist]`` / ``[[allowlists]]``; ``[extend] useDefault``
(our built-in pack plus these rules) and ``[extend] path`` (another gitleaks file).

gitleaks regexes are RE2 syntax, so they run on google-re2 (``Rule.syntax = "re2"``). Anything
that cannot be used is NAMED in a warning returned to the caller; nothing is dropped
silently.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from launchready.model import Severity
from launchready.secrets.rule import Rule, re2_error, re2_reason
from launchready.section_reader import describe, shown_key

DEFAULT_NAME = ".gitleaks.toml"
_FIX = "Rotate the credential at its issuer, remove it from the code and read it from a secret manager or environment variable at runtime."


@dataclass
class GitleaksRules:
    rules: list[Rule] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    use_default: bool = False
    path: str = ""


class GitleaksConfigError(Exception):
    """The file is not valid TOML or not a gitleaks config; the message names the file."""


_re2_ok = re2_error


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


@dataclass
class _Allow:
    secret: list[str] = field(default_factory=list)
    match: list[str] = field(default_factory=list)
    line: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    stopwords: list[str] = field(default_factory=list)


def _read_allowlists(tables: list[dict[str, Any]], where: str, warnings: list[str]) -> _Allow:
    out = _Allow()
    for table in tables:
        if not isinstance(table, dict):
            continue
        target = str(table.get("regexTarget", "secret"))
        regexes = _list(table.get("regexes"))
        paths = _list(table.get("paths"))
        if str(table.get("condition", "OR")).upper() == "AND" and regexes and paths:
            warnings.append(
                f"{where}: allowlist condition AND is applied as OR (a match is allowed when its path OR its text is listed)"
            )
        for n, rx in enumerate(regexes, start=1):
            err = _re2_ok(rx)
            if err is not None:
                warnings.append(f"{where}: allowlist regex #{n} cannot be used (RE2: {re2_reason(err)}) and is ignored")
                continue
            {"match": out.match, "line": out.line}.get(target, out.secret).append(rx)
        for n, p in enumerate(paths, start=1):
            err = _re2_ok(p)
            if err is not None:
                warnings.append(f"{where}: allowlist path #{n} cannot be used (RE2: {re2_reason(err)}) and is ignored")
                continue
            out.paths.append(p)
        out.stopwords += [s.lower() for s in _list(table.get("stopwords"))]
        for unknown in sorted(
            set(table)
            - {"regexTarget", "regexes", "paths", "stopwords", "condition", "description", "commits", "targetRules"}
        ):
            warnings.append(f"{where}: allowlist key {shown_key(unknown)!r} is not supported and is ignored")
        if table.get("commits"):
            warnings.append(f"{where}: allowlist 'commits' is not supported (use a launchready baseline)")
    return out


def _tables(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


def _re2_alternation(patterns: list[str]) -> str | None:
    if not patterns:
        return None
    return "|".join(f"(?:{p})" for p in patterns)


def _toml() -> ModuleType:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # pragma: no cover - Python 3.10

    return tomli  # type: ignore[no-any-return]  # pragma: no cover


def repo_root(start: Path) -> Path:
    """The repository ``start`` (a file or directory) is in: the nearest ancestor with a
    ``.git``, else ``start``'s own directory."""
    cur = start.resolve()
    if not cur.is_dir():
        cur = cur.parent
    for d in (cur, *cur.parents):
        if (d / ".git").exists():
            return d
    return cur


def load(path: Path, builtin_ids: set[str] | None = None, _depth: int = 0, inside: Path | None = None) -> GitleaksRules:
    """Turn a gitleaks TOML file into launchready rules plus warnings. Only a regular file of
    at most MAX_CONFIG_BYTES is read; ``[extend] path`` only inside ``inside`` (default: the
    repository ``path`` is in), so a PR cannot point it at /dev/zero, a FIFO or /etc."""
    from launchready.bounded import MAX_CONFIG_BYTES, BoundedReadError, read_text

    tomllib = _toml()
    shown = str(path)
    if inside is None:
        inside = repo_root(path)
    try:
        data = tomllib.loads(read_text(path, MAX_CONFIG_BYTES, inside=inside if _depth else None))
    except FileNotFoundError:
        raise GitleaksConfigError(f"{shown}: gitleaks config not found") from None
    except BoundedReadError as exc:
        raise GitleaksConfigError(f"{shown}: gitleaks config refused: {exc}") from None
    except RecursionError:
        raise GitleaksConfigError(f"{shown}: invalid TOML: nested too deeply") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GitleaksConfigError(f"{shown}: cannot read gitleaks config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise GitleaksConfigError(f"{shown}: invalid TOML: {exc}") from None
    out = GitleaksRules(path=shown)
    warnings = out.warnings
    builtin_ids = builtin_ids or set()

    extend = data.get("extend") or {}
    if isinstance(extend, dict):
        out.use_default = bool(extend.get("useDefault", False))
        if extend.get("path"):
            target = path.parent / str(extend["path"])
            if _depth >= 2:
                warnings.append(f"{shown}: [extend] path {extend['path']!r} nests too deeply and is ignored")
            else:
                try:
                    base = load(target, builtin_ids, _depth + 1, inside)
                except GitleaksConfigError as exc:
                    if "refused:" in str(exc):  # /dev/zero, a FIFO, a huge file, outside the repo
                        raise GitleaksConfigError(f"{shown}: [extend] path {extend['path']!r}: {exc}") from None
                    warnings.append(f"{shown}: [extend] path ignored: {exc}")
                else:
                    out.rules += base.rules
                    warnings += base.warnings
                    out.use_default = out.use_default or base.use_default
        disabled = set(_list(extend.get("disabledRules")))
    else:
        disabled = set()

    global_allow = _read_allowlists(
        _tables(data.get("allowlist")) + _tables(data.get("allowlists")), f"{shown} [allowlist]", warnings
    )

    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise GitleaksConfigError(f"{shown}: 'rules' must be an array of tables ([[rules]])")
    seen: set[str] = {r.id for r in out.rules}
    for n, spec in enumerate(rules, start=1):
        if not isinstance(spec, dict):
            warnings.append(f"{shown}: rules entry #{n} is not a table and is ignored")
            continue
        gid = str(spec.get("id") or f"rule-{n}")
        where = f"{shown} rule {shown_key(gid)!r}"
        if gid in disabled:
            continue
        regex = spec.get("regex")
        if not regex:
            if spec.get("path"):
                warnings.append(
                    f"{where}: path-only rule (matches file names, not content) is not run; "
                    "launchready's credential-file rules cover key stores, state files and key files"
                )
            else:
                warnings.append(f"{where}: has no regex and is ignored")
            continue
        regex = str(regex)
        syntax = "re2"  # never Python's re: a config's pattern must not be able to stall the scan
        err = _re2_ok(regex)
        if err is not None:
            warnings.append(f"{where}: regex cannot be used (RE2: {re2_reason(err)}); rule skipped")
            continue
        rule_id = "secret." + re.sub(r"[^a-z0-9-]+", "-", gid.lower()).strip("-")
        if rule_id in builtin_ids or rule_id in seen:
            rule_id += "-gitleaks"
        seen.add(rule_id)
        allow = _read_allowlists(_tables(spec.get("allowlists")) + _tables(spec.get("allowlist")), where, warnings)
        keywords = tuple(k.lower() for k in _list(spec.get("keywords")))
        entropy = spec.get("entropy")
        if entropy is not None and not isinstance(entropy, (int, float)):
            warnings.append(f"{where}: entropy is not a number (got {describe(entropy)}) and is ignored")
            entropy = None
        group = spec.get("secretGroup", 0)
        if not isinstance(group, int):
            warnings.append(f"{where}: secretGroup is not an integer (got {describe(group)}); using the whole match")
            group = 0
        path_rx = spec.get("path")
        if path_rx:
            err = _re2_ok(str(path_rx))
            if err is not None:
                warnings.append(f"{where}: path cannot be used (RE2: {re2_reason(err)}); rule skipped")
                continue
        for unknown in sorted(
            set(spec)
            - {
                "id",
                "description",
                "regex",
                "secretGroup",
                "entropy",
                "keywords",
                "path",
                "allowlists",
                "allowlist",
                "tags",
                "skipReport",
            }
        ):
            warnings.append(f"{where}: key {shown_key(unknown)!r} is not supported and is ignored")
        if spec.get("skipReport"):
            warnings.append(f"{where}: skipReport (composite rules) is not supported; the rule reports normally")
        excludes = allow.paths + global_allow.paths
        out.rules.append(
            Rule(
                id=rule_id,
                description=str(spec.get("description") or f"gitleaks rule {gid}"),
                severity=Severity.HIGH,
                keywords=keywords,
                regex=regex,
                fix=_FIX,
                secret_group=group,
                entropy=float(entropy) if entropy is not None else None,
                syntax=syntax,
                paths=str(path_rx) if path_rx else None,
                allow=tuple(allow.secret + global_allow.secret)
                + tuple("match:" + r for r in allow.match + global_allow.match)
                + tuple("line:" + r for r in allow.line + global_allow.line),
                stopwords=tuple(allow.stopwords + global_allow.stopwords),
                exclude_paths=_re2_alternation(excludes),
                password_like=True,
                source="gitleaks",
                tags=tuple(_list(spec.get("tags"))),
            )
        )
    for unknown in sorted(
        set(data) - {"title", "description", "extend", "allowlist", "allowlists", "rules", "minVersion"}
    ):
        warnings.append(f"{shown}: top-level key {shown_key(unknown)!r} is not supported and is ignored")
    return out
