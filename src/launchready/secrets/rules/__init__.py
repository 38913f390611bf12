"""The built-in rule pack. ``default_rules()`` is the registry every source uses."""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules.pack import RULES


def default_rules() -> list[Rule]:
    return list(RULES)


def rule_by_id(rule_id: str) -> Rule | None:
    return next((r for r in RULES if r.id == rule_id), None)
