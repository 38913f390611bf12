"""``.launchready.yml``: find, load, validate (with file:line:key errors), merge with flags.

Sections owned by other modules (``live``, ``email``) are kept as raw mappings here, with
their YAML line map, and validated by those modules through ``Config.error``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launchready.bounded import MAX_CONFIG_BYTES, BoundedReadError, load_yaml, read_text
from launchready.errors import ConfigError
from launchready.model import Severity

if TYPE_CHECKING:
    import yaml  # imported lazily below: most hook runs have no config file to parse

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

    def error(self, key: str, problem: str) -> ConfigError:
        """A ConfigError pointing at ``key`` (dotted path) in this file."""
        line = self.lines.get(key)
        probe = key
        while line is None and "." in probe:
            probe = probe.rsplit(".", 1)[0]
            line = self.lines.get(probe)
        return ConfigError(self.path or "<config>", line, key, problem)


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
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(shown, None, None, f"cannot read config: {exc}") from None
    import yaml

    try:
        node, data = load_yaml(text)
    except BoundedReadError as exc:
        raise ConfigError(shown, None, None, f"config refused: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(shown, line, None, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(shown, None, None, f"invalid YAML: {exc}") from None
    cfg = Config(path=shown)
    if node is not None:
        _line_map(node, "", cfg.lines)
    if data is None:
        return cfg
    if not isinstance(data, dict):
        raise cfg.error("", "the top level must be a mapping of keys")
    cfg.raw = data
    for key in data:
        if key not in TOP_KEYS:
            raise cfg.error(str(key), f"unknown key (allowed: {', '.join(sorted(TOP_KEYS))})")
    version = data.get("version", 1)
    if type(version) is not int or version != 1:  # bool is an int in Python: `true` is refused too
        raise cfg.error("version", f"unsupported version {version!r} (this launchready reads 1)")
    if "fail_on" in data:
        try:
            cfg.fail_on = Severity.parse(str(data["fail_on"]))
        except ValueError as exc:
            raise cfg.error("fail_on", str(exc)) from None
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise cfg.error("rules", "must be a mapping with 'disable' and/or 'custom'")
    for key in rules:
        if key not in RULE_KEYS:
            raise cfg.error(f"rules.{key}", f"unknown key (allowed: {', '.join(sorted(RULE_KEYS))})")
    disable = rules.get("disable") or []
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise cfg.error("rules.disable", "must be a list of rule ids")
    cfg.disabled_rules = set(disable)
    custom = rules.get("custom") or []
    if not isinstance(custom, list):
        raise cfg.error("rules.custom", "must be a list of rules")
    for i, rule in enumerate(custom):
        where = f"rules.custom.{i}"
        if not isinstance(rule, dict):
            raise cfg.error(where, "each custom rule must be a mapping")
        for key in rule:
            if key not in CUSTOM_RULE_KEYS:
                raise cfg.error(f"{where}.{key}", f"unknown key (allowed: {', '.join(sorted(CUSTOM_RULE_KEYS))})")
        for req in ("id", "regex"):
            if not isinstance(rule.get(req), str) or not rule.get(req):
                raise cfg.error(f"{where}.{req}" if req in rule else where, f"'{req}' is required and must be a string")
        if "severity" in rule:
            try:
                Severity.parse(str(rule["severity"]))
            except ValueError as exc:
                raise cfg.error(f"{where}.severity", str(exc)) from None
        kws = rule.get("keywords", [])
        if not isinstance(kws, list) or not all(isinstance(k, str) for k in kws):
            raise cfg.error(f"{where}.keywords", "must be a list of strings")
        for key in ("description", "fix", "prefix"):
            if key in rule and not isinstance(rule[key], str):
                raise cfg.error(f"{where}.{key}", "must be a string")
        if "password_like" in rule and not isinstance(rule["password_like"], bool):
            raise cfg.error(f"{where}.password_like", "must be true or false")
        if "allow" in rule and not (isinstance(rule["allow"], list) and all(isinstance(a, str) for a in rule["allow"])):
            raise cfg.error(f"{where}.allow", "must be a list of regular expressions")
        if "paths" in rule and not isinstance(rule["paths"], str):
            raise cfg.error(f"{where}.paths", "must be a regular expression (a string)")
        if "entropy" in rule and (isinstance(rule["entropy"], bool) or not isinstance(rule["entropy"], (int, float))):
            raise cfg.error(f"{where}.entropy", "must be a number (bits per character)")
    cfg.custom_rules = custom
    exclude = data.get("exclude") or []
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise cfg.error("exclude", "must be a list of path globs")
    cfg.exclude = exclude
    for key in ("baseline", "gitleaks_config"):
        if key in data and not isinstance(data[key], str):
            raise cfg.error(key, "must be a file path")
    cfg.baseline = data.get("baseline")
    cfg.gitleaks_config = data.get("gitleaks_config")
    if "gitleaks_mode" in data:
        mode = data["gitleaks_mode"]
        if mode not in GITLEAKS_MODES:
            raise cfg.error("gitleaks_mode", f"must be one of {', '.join(GITLEAKS_MODES)} (got {mode!r})")
        cfg.gitleaks_mode = mode
    for key in ("live", "email"):
        section = data.get(key) or {}
        if not isinstance(section, dict):
            raise cfg.error(key, "must be a mapping")
    cfg.live = data.get("live") or {}
    cfg.email = data.get("email") or {}
    _check_disabled(cfg, disable)
    return cfg


def _check_disabled(cfg: Config, disable: list[str]) -> None:
    """Every id in ``rules.disable`` must exist: a typo would silently leave a rule on. Ids
    are looked up cheapest first (this config's custom rules, the secret pack the scan loads
    anyway); the whole catalogue (which imports the live checks) and a gitleaks config only
    for what is left."""
    prefixed = ("secret.", "env.", "repo.")
    mine = {str(r["id"]) if str(r["id"]).startswith(prefixed) else f"secret.{r['id']}" for r in cfg.custom_rules}
    unknown = [(i, rid) for i, rid in enumerate(disable) if rid not in mine and f"secret.{rid}" not in mine]
    if not unknown:
        return
    from launchready.secrets.rules import default_rules

    pack = {r.id for r in default_rules()}
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

    i, rid = unknown[0]
    close = difflib.get_close_matches(rid, [e.id for e in catalogue.builtin()], n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise cfg.error(f"rules.disable.{i}", f"unknown rule id {rid!r} (`launchready rules list` shows every id{hint})")


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
