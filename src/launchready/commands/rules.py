"""``launchready rules list`` and ``launchready rules explain ID``."""

from __future__ import annotations

import argparse

from launchready.commands import Context
from launchready.errors import UsageError
from launchready.model import Report

HELP = "list the detection rules or explain one"
DESCRIPTION = (
    "List every enabled rule (id, severity, description; custom and gitleaks rules marked) or "
    "explain one rule: what it finds, how it decides, and where to rotate the key."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("list", "explain"), nargs="?", default="list")
    p.add_argument("rule_id", nargs="?", metavar="ID")


def run(ctx: Context) -> Report | None:
    from launchready.registry import rule_set

    rs = rule_set(ctx.config, None)
    rules = rs.rules
    out = ctx.stdout
    for w in rs.warnings:
        ctx.stderr.write(f"launchready: warning: {w}\n")
    if ctx.args.action == "list":
        width = max((len(r.id) for r in rules), default=10)
        for r in sorted(rules, key=lambda r: r.id):
            origin = "" if r.source == "builtin" else f"  [{r.source}]"
            out.write(f"{r.id:<{width}}  {r.severity.value:<8}  {r.description}{origin}\n")
        return None
    if not ctx.args.rule_id:
        raise UsageError("rules explain needs a rule id (see `launchready rules list`)")
    wanted = ctx.args.rule_id
    rule = next((r for r in rules if r.id in (wanted, f"secret.{wanted}")), None)
    if rule is None:
        tail = wanted.split(".")[-1]
        close = [r.id for r in rules if tail in r.id or r.id.split(".")[-1].split("-")[0] in tail][:5]
        hint = f" (did you mean: {', '.join(close)})" if close else ""
        raise UsageError(f"unknown rule id {wanted!r}{hint}")
    out.write(f"{rule.id}\n  {rule.description}\n  severity: {rule.severity.value}\n")
    if rule.source != "builtin":
        out.write(f"  source:   {rule.source}\n")
    if rule.keywords:
        out.write(f"  keywords: {', '.join(rule.keywords)}\n")
    if rule.regex:
        out.write(f"  pattern:  {rule.regex}\n")
    else:
        out.write("  matches:  the file by its name (reported with no line)\n")
    if rule.paths:
        out.write(f"  files:    paths matching {rule.paths}\n")
    if rule.entropy:
        out.write(f"  entropy:  at least {rule.entropy} bits per character\n")
    if rule.validator is not None:
        doc = (rule.validator.__doc__ or rule.validator.__name__).strip().splitlines()[0]
        out.write(f"  checks:   {doc}\n")
    out.write(f"  shown as: {'no characters (password-like)' if rule.password_like else 'public prefix, length and a short hash'}\n")
    out.write(f"  fix:      {rule.fix}\n")
    return None
