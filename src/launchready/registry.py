"""Every rule the current config enables: the built-in pack, custom and gitleaks rules."""

from __future__ import annotations

from launchready.config import Config
from launchready.model import Severity
from launchready.secrets.rule import Rule
from launchready.secrets.rules import default_rules


def custom_rules(config: Config) -> list[Rule]:
    import re

    out = []
    for i, spec in enumerate(config.custom_rules):
        try:
            re.compile(spec["regex"])
        except re.error as exc:
            raise config.error(f"rules.custom.{i}.regex", f"invalid regular expression: {exc}") from None
        out.append(
            Rule(
                id=spec["id"],
                description=spec.get("description", spec["id"]),
                severity=Severity.parse(spec.get("severity", "high")),
                keywords=tuple(k.lower() for k in spec.get("keywords", [])),
                regex=spec["regex"],
                fix=spec.get("fix", "Rotate the credential at its issuer and remove it from the code."),
                secret_group=spec.get("secret_group", 0),
                entropy=spec.get("entropy"),
                paths=spec.get("paths"),
                allow=tuple(spec.get("allow", [])),
                password_like=bool(spec.get("password_like", False)),
                prefix=spec.get("prefix", ""),
            )
        )
    return out


def all_rules(config: Config) -> list[Rule]:
    rules = [r for r in default_rules() if r.id not in config.disabled_rules]
    rules += [r for r in custom_rules(config) if r.id not in config.disabled_rules]
    return rules
