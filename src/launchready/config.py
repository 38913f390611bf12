"""``.launchready.yml``: find, load, validate (with file:line:key errors), merge with flags.

Each section is read by its own function with the typed readers of ``section_reader``
(one style everywhere: types, defaults, allowed keys, file:line:key errors that never echo
a value): here the top level, ``rules`` (with custom rule definitions) and the suppression
keys; ``live`` in ``live/config.py``, ``email``/``live.email`` in ``email/settings.py``,
``journey`` in ``journey/config.py``. Those sections are kept as raw mappings here, with the
YAML line map (``Config.source``), and read when a command needs them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launchready.bounded import MAX_CONFIG_BYTES, BoundedReadError, load_yaml, read_text
from launchready.errors import ConfigError
from launchready.model import Severity

if TYPE_CHECKING:
    import yaml  # imported lazily below: most hook runs have no config file to parse

    # the section readers too: imported when there is a file to read (or an error to raise)
    from launchready.section_reader import Reader, Source

CONFIG_NAMES = (".launchready.yml", ".launchready.yaml")
TOP_KEYS = {
    "version",
    "fail_on",
    "rules",
    "exclude",
    "baseline",
    "gitleaks_config",
    "gitleaks_mode",
    "live",
    "email",
    "scan",
    "journey",
}
RULE_KEYS = {"disable", "custom"}
# What a gitleaks config without ``[extend] useDefault = true`` does to the built-in pack.
GITLEAKS_MODES = ("extend", "replace")
CUSTOM_RULE_KEYS = {
    "id",
    "description",
    "severity",
    "regex",
    "keywords",
    "entropy",
    "fix",
    "secret_group",
    "paths",
    "allow",
    "password_like",
    "prefix",
}


@dataclass
class Config:
    path: str | None = None
    fail_on: Severity | None = None
    disabled_rules: set[str] = field(default_factory=set)
    custom_rules: list[dict[str, Any]] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    baseline: str | None = None
    gitleaks_config: str | None = None
    gitleaks_mode: str = "extend"  # "replace": a gitleaks config without useDefault runs alone
    # Set by the Action's strict mode when the base commit has no gitleaks config: the work
    # tree's (the pull request's) is then not read at all.
    gitleaks_off: bool = False
    gitleaks_shown: str | None = None  # how notes name the gitleaks file (strict mode: a copy)
    live: dict[str, Any] = field(default_factory=dict)
    email: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    # "live.targets.0.url" -> line number, for errors raised by section owners
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def source(self) -> Source:
        """This file and its line map, for the section readers (``section_reader.Reader``)."""
        from launchready.section_reader import Source

        return Source(self.path, self.lines)

    def error(self, key: str, problem: str) -> ConfigError:
        """A ConfigError pointing at ``key`` (dotted path) in this file."""
        return self.source.error(key, problem)


def find_config(start: Path) -> Path | None:
    """Walk up from ``start`` to the repository root (a ``.git``) or filesystem root."""
    cur = start.resolve()
    if cur.is_file():
        cur = cur.parent
    for d in (cur, *cur.parents):
        for name in CONFIG_NAMES:
            if (d / name).exists():  # a FIFO or device there is refused by load_config, not skipped
                return d / name
        if (d / ".git").exists():
            return None
    return None


def _line_map(node: yaml.Node, prefix: str, out: dict[str, int]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = f"{prefix}.{k.value}" if prefix else str(k.value)
            out[key] = k.start_mark.line + 1
            _line_map(v, key, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            key = f"{prefix}.{i}"
            out[key] = v.start_mark.line + 1
            _line_map(v, key, out)


def load_config(path: str | os.PathLike[str] | None, start: Path | None = None) -> Config:
    """Load ``path`` or the config found from ``start``; no file -> defaults."""
    if path is None:
        found = find_config(start or Path.cwd())
        if found is None:
            return Config()
        path = found
    p = Path(path)
    shown = str(path)
    try:
        text = read_text(p, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise ConfigError(shown, None, None, "config file not found") from None
    except BoundedReadError as exc:
        raise ConfigError(shown, None, None, f"config refused: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(shown, None, None, f"cannot read config: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(shown, None, None, f"cannot read config: {exc.strerror or exc}") from None
    import yaml

    try:
        node, data = load_yaml(text)
    except BoundedReadError as exc:
        raise ConfigError(shown, None, None, f"config refused: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(shown, line, None, f"invalid YAML: {_yaml_problem(exc.problem)}") from None
    except yaml.YAMLError:
        raise ConfigError(shown, None, None, "invalid YAML") from None
    cfg = Config(path=shown)
    if node is not None:
        _line_map(node, "", cfg.lines)
    if data is None:
        return cfg
    from launchready.section_reader import Reader, describe

    r = Reader(cfg.source)
    if not isinstance(data, dict):
        raise cfg.error("", f"the top level must be a mapping of keys (got {describe(data)})")
    cfg.raw = data
    _read_top(r, data, cfg)
    disable = _read_rules(r, data.get("rules"), cfg)
    _read_suppressions(r, data, cfg)
    for key in ("live", "email", "scan"):  # live and email are read by their owners; scan is reserved
        r.mapping(data.get(key) or None, key)
    cfg.live = data.get("live") or {}
    cfg.email = data.get("email") or {}
    _check_disabled(cfg, disable)
    return cfg


def _yaml_problem(problem: str | None) -> str:
    """PyYAML's problem, keeping what it quotes only when that is a token name (``'<block
    end>'``) or one or two characters (``':'``, ``'\\t'``): longer quotes are text from the
    file (an alias, a tag), which is not repeated; the line is named instead."""

    def keep(m: re.Match[str]) -> str:
        inner = m.group(0)[1:-1]
        return m.group(0) if len(inner) <= 2 or (inner.startswith("<") and inner.endswith(">")) else "(not shown)"

    return re.sub(r"'[^']*'|\"[^\"]*\"", keep, problem or "a syntax error")


def _read_top(r: Reader, data: dict[str, Any], cfg: Config) -> None:
    """The top level: allowed keys, ``version`` and ``fail_on``."""
    from launchready.section_reader import describe

    r.known_keys(data, "", TOP_KEYS)
    version = data.get("version", 1)
    if type(version) is not int or version != 1:  # bool is an int in Python: `true` is refused too
        got = f"version {version}" if type(version) is int else describe(version)
        raise cfg.error("version", f"unsupported version (got {got}; this launchready reads 1)")
    if "fail_on" in data:
        cfg.fail_on = r.severity(data["fail_on"], "fail_on")


def _read_rules(r: Reader, raw: Any, cfg: Config) -> list[str]:
    """``rules``: ``disable`` (ids checked against every rule we know, once the whole file is
    read) and ``custom``. Returns ``disable`` as written."""
    rules = r.mapping(raw or {}, "rules", RULE_KEYS, what="must be a mapping with 'disable' and/or 'custom'")
    disable = r.strings(rules.get("disable") or [], "rules.disable", "must be a list of rule ids")
    cfg.disabled_rules = set(disable)
    custom = r.list_of(rules.get("custom") or [], "rules.custom", what="must be a list of rules")
    cfg.custom_rules = [_read_custom_rule(r, rule, f"rules.custom.{i}") for i, rule in enumerate(custom)]
    return disable


def _read_custom_rule(r: Reader, raw: Any, where: str) -> dict[str, Any]:
    """One custom rule definition's shape (its patterns are checked by RE2 in
    ``registry.custom_rules``, with the same reader)."""
    from launchready.section_reader import describe

    rule = r.mapping(raw, where, CUSTOM_RULE_KEYS, what="each custom rule must be a mapping")
    for req in ("id", "regex"):
        if not isinstance(rule.get(req), str) or not rule.get(req):
            got = f" (got {describe(rule[req])})" if req in rule else ""
            raise r.err(f"{where}.{req}" if req in rule else where, f"'{req}' is required and must be a string{got}")
    if "severity" in rule:
        r.severity(rule["severity"], f"{where}.severity")
    r.strings(rule.get("keywords", []), f"{where}.keywords", "must be a list of strings")
    for key in ("description", "fix", "prefix"):
        if key in rule:
            r.text(rule[key], f"{where}.{key}")
    if "password_like" in rule:
        r.boolean(rule["password_like"], f"{where}.password_like")
    if "allow" in rule:
        r.strings(rule["allow"], f"{where}.allow", "must be a list of regular expressions")
    if "paths" in rule:
        r.text(rule["paths"], f"{where}.paths", "must be a regular expression (a string)")
    if "entropy" in rule and (isinstance(rule["entropy"], bool) or not isinstance(rule["entropy"], (int, float))):
        raise r.err(f"{where}.entropy", f"must be a number (bits per character; got {describe(rule['entropy'])})")
    return rule


def _read_suppressions(r: Reader, data: dict[str, Any], cfg: Config) -> None:
    """What the scan leaves out or reads rules from: ``exclude``, ``baseline``,
    ``gitleaks_config``, ``gitleaks_mode``."""
    cfg.exclude = r.strings(data.get("exclude") or [], "exclude", "must be a list of path globs")
    for key in ("baseline", "gitleaks_config"):
        if key in data:
            r.text(data[key], key, "must be a file path")
    cfg.baseline = data.get("baseline")
    cfg.gitleaks_config = data.get("gitleaks_config")
    if "gitleaks_mode" in data:
        cfg.gitleaks_mode = r.choice(data["gitleaks_mode"], "gitleaks_mode", GITLEAKS_MODES)


def _check_disabled(cfg: Config, disable: list[str]) -> None:
    """Every id in ``rules.disable`` must exist: a typo would silently leave a rule on. Ids
    are looked up cheapest first (this config's custom rules, the secret pack and file checks
    the scan loads anyway); the whole catalogue (which imports the live checks) and a
    gitleaks config only for what is left."""
    prefixed = ("secret.", "env.", "repo.")
    mine = {str(r["id"]) if str(r["id"]).startswith(prefixed) else f"secret.{r['id']}" for r in cfg.custom_rules}
    unknown = [(i, rid) for i, rid in enumerate(disable) if rid not in mine and f"secret.{rid}" not in mine]
    if not unknown:
        return
    from launchready.registry import file_rules
    from launchready.secrets.rules import default_rules

    # the secret pack and the file checks (``env.*``, ``build.*``, key files): what the scan
    # loads anyway. The catalogue imports every live and email check (~0.3 s, on every
    # commit for a hook whose config disables, say, env.file-not-ignored): only for the rest.
    pack = {r.id for r in [*default_rules(), *file_rules()]}
    unknown = [(i, rid) for i, rid in unknown if rid not in pack and f"secret.{rid}" not in pack]
    if not unknown:
        return
    from launchready import catalogue

    unknown = [(i, rid) for i, rid in unknown if not catalogue.known(rid)]
    if unknown:
        gitleaks = _gitleaks_ids(cfg)
        unknown = [(i, rid) for i, rid in unknown if rid not in gitleaks and f"secret.{rid}" not in gitleaks]
    if not unknown:
        return
    import difflib

    from launchready.section_reader import id_hint

    i, rid = unknown[0]
    close = difflib.get_close_matches(rid, [e.id for e in catalogue.builtin()], n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise cfg.error(
        f"rules.disable.{i}", f"unknown rule id {id_hint(rid)} (`launchready rules list` shows every id{hint})"
    )


def _gitleaks_ids(cfg: Config) -> set[str]:
    """The rule ids a gitleaks config next to this one adds (none if it cannot be read: the
    scan reports that itself)."""
    from launchready.registry import find_gitleaks_config
    from launchready.secrets.gitleaks_config import load

    try:
        path = find_gitleaks_config(cfg, None)
        return {r.id for r in load(path, set()).rules} if path is not None else set()
    except Exception:  # reported by the scan that loads it
        return set()
