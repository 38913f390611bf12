"""``launchready rules list`` and ``launchready rules explain ID``."""

from __future__ import annotations

import argparse

from launchready.commands import Context
from launchready.errors import UsageError
from launchready.model import Report

HELP = "list the detection rules or explain one"
DESCRIPTION = "List every rule (id, severity, description) or explain one rule: what it finds, why it matters and how to fix it."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("list", "explain"), nargs="?", default="list")
    p.add_argument("rule_id", nargs="?", metavar="ID")


def run(ctx: Context) -> Report | None:
    from launchready.registry import all_rules

    rules = all_rules(ctx.config)
    out = ctx.stdout
    if ctx.args.action == "list":
        width = max(len(r.id) for r in rules)
        for r in sorted(rules, key=lambda r: r.id):
            out.write(f"{r.id:<{width}}  {r.severity.value:<8}  {r.description}\n")
        return None
    if not ctx.args.rule_id:
        raise UsageError("rules explain needs a rule id (see `launchready rules list`)")
    rule = next((r for r in rules if r.id == ctx.args.rule_id), None)
    if rule is None:
        close = [r.id for r in rules if ctx.args.rule_id.split(".")[-1] in r.id][:5]
        hint = f" (did you mean: {', '.join(close)})" if close else ""
        raise UsageError(f"unknown rule id {ctx.args.rule_id!r}{hint}")
    out.write(f"{rule.id}\n  {rule.description}\n  severity: {rule.severity.value}\n")
    if rule.keywords:
        out.write(f"  keywords: {', '.join(rule.keywords)}\n")
    if rule.regex:
        out.write(f"  pattern:  {rule.regex}\n")
    if rule.entropy:
        out.write(f"  entropy:  at least {rule.entropy} bits per character\n")
    out.write(f"  fix:      {rule.fix}\n")
    return None
