"""Every rule the current config enables: the built-in pack, custom and gitleaks rules.

``all_rules(config, root)`` is what sources and commands call; ``rule_set(config, root)``
also returns the warnings (gitleaks patterns that could not be used, named one by one) for
the caller to print. Results are cached per (config, root) for the process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from launchready.config import Config
from launchready.errors import ConfigError
from launchready.model import Severity
from launchready.secrets.rule import Rule, compile_re2, re2_error, re2_reason
from launchready.secrets.rules import default_rules
from launchready.section_reader import Reader, describe, shown_key


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gitleaks_path: str | None = None
    # What the gitleaks config did to the rule set, for the report's notes (None: no config).
    gitleaks_note: str | None = None


DEFAULT_NAME = ".gitleaks.toml"
_CACHE: dict[tuple[int, str], tuple[Config, RuleSet]] = {}


def _re2_checked(r: Reader, key: str, rule_id: str, pattern: object, what: str) -> str:
    """``pattern`` if RE2 can run it; else a ConfigError naming the rule and RE2's reason.
    Patterns from a config run on RE2 only (linear time: ``(a+)+$`` cannot stall a scan)."""
    if not isinstance(pattern, str) or not pattern:
        raise r.err(key, f"rule {rule_id!r}: {what} must be a non-empty string (got {describe(pattern)})")
    err = re2_error(pattern)
    if err is not None:
        raise r.err(
            key,
            f"rule {rule_id!r}: {what} cannot be used: RE2 (the only engine run on a config's patterns) refuses it: "
            f"{re2_reason(err)}",
        )
    return pattern


def custom_rules(config: Config) -> list[Rule]:
    """The custom rule definitions (their shape read by ``config._read_custom_rule``) as
    rules: each pattern checked by RE2, ``secret_group`` against the regex's groups."""
    r = Reader(config.source)
    out = []
    for i, spec in enumerate(config.custom_rules):
        where = f"rules.custom.{i}"
        rid = shown_key(str(spec["id"]))
        _re2_checked(r, f"{where}.regex", rid, spec["regex"], "regex")
        if spec.get("paths") is not None:
            _re2_checked(r, f"{where}.paths", rid, spec["paths"], "paths")
        allows = r.list_of(
            spec.get("allow", []) or [], f"{where}.allow", f"rule {rid!r}: allow must be a list of regular expressions"
        )
        for j, allow in enumerate(allows):
            _re2_checked(r, f"{where}.allow.{j}", rid, allow, "allow pattern")
        group = spec.get("secret_group", 0)
        compiled = compile_re2(spec["regex"])
        if isinstance(group, bool) or not isinstance(group, (int, str)):
            raise r.err(
                f"{where}.secret_group",
                f"rule {rid!r}: secret_group must be a group number or name (got {describe(group)})",
            )
        if (isinstance(group, int) and not 0 <= group <= compiled.groups) or (
            isinstance(group, str) and group not in compiled.groupindex
        ):
            names = (
                f" or one of its named groups ({', '.join(sorted(compiled.groupindex))})" if compiled.groupindex else ""
            )
            raise r.err(
                f"{where}.secret_group",
                f"rule {rid!r}: the regex has no such group (it has groups 0 to {compiled.groups}{names})",
            )
        syntax = "re2"
        rule_id = spec["id"]
        if not rule_id.startswith(("secret.", "repo.", "env.")):
            rule_id = f"secret.{rule_id}"
        out.append(
            Rule(
                id=rule_id,
                description=spec.get("description", spec["id"]),
                severity=Severity.parse(spec.get("severity", "high")),
                keywords=tuple(k.lower() for k in spec.get("keywords", [])),
                regex=spec["regex"],
                fix=spec.get("fix", "Rotate the credential at its issuer and remove it from the code."),
                secret_group=spec.get("secret_group", 0),
                entropy=spec.get("entropy"),
                paths=spec.get("paths"),
                allow=tuple(spec.get("allow", []) or []),
                password_like=bool(spec.get("password_like", False)),
                prefix=spec.get("prefix", ""),
                syntax=syntax,
                source="custom",
            )
        )
    return out


def file_rules() -> list[Rule]:
    """File-level rules (credential files by name, env.*, build.*): listed, never run by the engine."""
    from launchready.build_output import BUILD_RULES
    from launchready.envfiles import ENV_RULES
    from launchready.secrets.credfiles import FILE_RULES

    return [*FILE_RULES, *ENV_RULES, *BUILD_RULES]


def find_gitleaks_config(config: Config, root: Path | None) -> Path | None:
    """``gitleaks_config`` from the config (relative to the config file), else ``.gitleaks.toml``
    in ``root`` (default: the directory of the config file, else the repo root above cwd)."""
    if config.gitleaks_off:
        return None
    base = Path(config.path).resolve().parent if config.path else None
    if config.gitleaks_config:
        p = Path(config.gitleaks_config)
        if not p.is_absolute():
            p = (base or root or Path.cwd()) / p
        if not p.exists():
            raise config.error("gitleaks_config", f"file not found: {p}")
        if config.path:  # named by a config file (maybe a PR's): only a file in its repository
            from launchready.secrets.gitleaks_config import repo_root

            inside = repo_root(Path(config.path))
            real = p.resolve()
            if real != inside and inside not in real.parents:
                raise config.error(
                    "gitleaks_config", f"{p} is outside the repository ({inside}); only files inside it are read"
                )
        return p
    for d in _candidate_dirs(root, base):
        if (d / DEFAULT_NAME).exists():  # a FIFO or device there is refused by load(), not skipped
            return d / DEFAULT_NAME
    return None


def _candidate_dirs(root: Path | None, base: Path | None) -> list[Path]:
    if root is not None:
        return [root]
    if base is not None:
        return [base]
    cur = Path.cwd()
    for d in (cur, *cur.parents):
        if (d / ".git").exists():
            return [d]
    return [cur]


def rule_set(config: Config, root: Path | None = None) -> RuleSet:
    key = (id(config), str(root))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is config:
        return hit[1]
    result = RuleSet()
    builtin = default_rules()
    use_builtin = True
    extra: list[Rule] = []
    gl_path = find_gitleaks_config(config, root)
    if gl_path is not None:
        from launchready.secrets.gitleaks_config import GitleaksConfigError, load

        try:
            gl = load(gl_path, {r.id for r in builtin})
        except GitleaksConfigError as exc:
            problem = str(exc).removeprefix(f"{gl_path}: ")
            raise ConfigError(str(gl_path), None, None, problem) from None
        result.gitleaks_path = str(gl_path)
        result.warnings += gl.warnings
        extra += gl.rules
        shown = config.gitleaks_shown or _shown(gl_path, root)
        if gl.use_default:
            result.gitleaks_note = f"gitleaks config {shown}: its {len(gl.rules)} rule(s) run with launchready's built-in pack ([extend] useDefault = true)"
        elif config.gitleaks_mode == "replace":
            # Only an explicit choice in .launchready.yml lets a gitleaks file turn the pack off:
            # a .gitleaks.toml alone (one a pull request can add) never does.
            use_builtin = False
            result.gitleaks_note = (
                f"gitleaks config {shown}: only its {len(gl.rules)} rule(s) run, instead of launchready's "
                "built-in pack (gitleaks_mode: replace)"
            )
            result.warnings.append(result.gitleaks_note)
        else:
            result.gitleaks_note = (
                f"gitleaks config {shown}: its {len(gl.rules)} rule(s) run in addition to launchready's built-in "
                "pack (it has no [extend] useDefault = true; gitleaks_mode: replace in .launchready.yml runs it alone)"
            )
    rules = (builtin if use_builtin else []) + file_rules() + custom_rules(config) + extra
    off = config.disabled_rules
    result.rules = [r for r in rules if r.id not in off and r.id.removeprefix("secret.") not in off]
    _CACHE[key] = (config, result)
    return result


def _shown(path: Path, root: Path | None) -> str:
    try:
        return path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return str(path)


def all_rules(config: Config, root: Path | None = None) -> list[Rule]:
    return rule_set(config, root).rules


def rule_warnings(config: Config, root: Path | None = None) -> list[str]:
    return rule_set(config, root).warnings
