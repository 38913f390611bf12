"""``launchready rules list`` and ``launchready rules explain ID``."""

from __future__ import annotations

import argparse
import io
from dataclasses import dataclass
from typing import Literal

from launchready.commands import Console, Context
from launchready.config import Config
from launchready.errors import UsageError
from launchready.printable import safe

HELP = "list every rule and check (secret, env, build, repo, live, email, ...) or explain one"
DESCRIPTION = (
    "List every enabled rule and check (id, severity, description; custom and gitleaks rules "
    "marked): secret.*, env.*, build.* and repo.* rules, live and email checks, and the checks "
    "of history, merge/audit, inventory and journey. Or explain one: what it finds, how it "
    "decides, and how to fix it. (Live and email checks set their severity per result.)"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("list", "explain"), nargs="?", default="list")
    p.add_argument("rule_id", nargs="?", metavar="ID")


@dataclass(frozen=True)
class RulesRequest:
    """``list`` every enabled rule and check, or ``explain`` one (``rule_id``; ``secret.`` and
    ``repo.`` may be left off)."""

    action: Literal["list", "explain"] = "list"
    rule_id: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> RulesRequest:
        return cls(args.action, args.rule_id)


def rules(request: RulesRequest, config: Config | None = None, console: Console | None = None) -> str:
    """``launchready rules`` as a function: the text it prints (one line per rule for
    ``list``, the explanation for ``explain``). Warnings about the config's custom and
    gitleaks rules go to ``console.stderr``; an unknown id is a ``UsageError``."""
    config = config if config is not None else Config()
    console = console or Console(quiet=True)
    out = io.StringIO()
    _rules(request, config, console, out)
    return out.getvalue()


def run(ctx: Context) -> None:
    # `rules` prints its warnings and its answer with or without -q
    ctx.stdout.write(rules(RulesRequest.from_args(ctx.args), ctx.config, Console(ctx.stdout, ctx.stderr)))


def _rules(request: RulesRequest, config: Config, console: Console, out: io.StringIO) -> None:
    from launchready import catalogue, repo
    from launchready.registry import rule_set

    rs = rule_set(config, None)
    rules = rs.rules
    for w in [] if console.quiet else rs.warnings:
        console.stderr.write(f"launchready: warning: {safe(w)}\n")
    listed = catalogue.entries(config)
    repo_rules = [r for r in repo.rules() if r.id not in config.disabled_rules]
    if request.action == "list":
        from launchready.secrets.rules.families import FAMILIES, family_of

        by_id = {r.id: r for r in rules}
        kinds = {
            "repo": "repository checks",
            "live": "live checks",
            "email": "email checks",
            "history": "history",
            "audit": "merged reports",
            "inventory": "inventory",
            "journey": "journey",
        }
        rows = []
        for e in listed:
            rule = by_id.get(e.id)
            fam = family_of(rule) if rule is not None else kinds.get(e.kind, e.kind)
            sev = e.severity.value if e.severity else "varies"
            rows.append(
                (fam, safe(e.id), sev, safe(e.description + ("" if e.source == "builtin" else f"  [{e.source}]")))
            )
        order = {f: n for n, f in enumerate(FAMILIES)}
        width = max((len(i) for _, i, _, _ in rows), default=10)
        fwidth = max((len(f) for f, _, _, _ in rows), default=10)
        for fam, rid, sev, desc in sorted(rows, key=lambda row: (order.get(row[0], len(order)), row[0], row[1])):
            out.write(f"{rid:<{width}}  {sev:<8}  {fam:<{fwidth}}  {desc}\n")
        return
    if not request.rule_id:
        raise UsageError("rules explain needs a rule id (see `launchready rules list`)")
    wanted = request.rule_id
    rule = next((r for r in rules if r.id in (wanted, f"secret.{wanted}")), None)
    check = next((r for r in repo_rules if r.id in (wanted, f"repo.{wanted}")), None)
    if check is not None and rule is None:
        scope = {
            "file": "per file (also in the pre-commit hook)",
            "app": "whole application (scan and the Action, not the hook)",
            "file+app": "per file and whole application",
        }.get(check.scope, check.scope)
        out.write(f"{check.id}\n  {check.description}\n  severity: {check.severity.value}\n")
        out.write(f"  scope:    {scope}\n  fix:      {check.fix}\n")
        out.write("  silence:  `launchready:allow` on the line, or rules.disable in .launchready.yml\n")
        return
    entry = catalogue.find(wanted, listed) if rule is None and check is None else None
    if entry is not None:
        out.write(f"{entry.id}\n  {entry.description}\n")
        out.write(
            f"  severity: {entry.severity.value if entry.severity else 'set per result (pass, warn, fail, error, skip)'}\n"
        )
        out.write(
            f"  kind:     {entry.kind}"
            + (f" ({entry.area} checks)" if entry.area and entry.area != entry.kind else "")
            + "\n"
        )
        if entry.fix:
            out.write(f"  fix:      {entry.fix}\n")
        return
    if rule is None:
        tail = wanted.split(".")[-1]
        ids = [e.id for e in listed]
        close = [i for i in ids if tail in i or i.split(".")[-1].split("-")[0] in tail][:5]
        hint = f" (did you mean: {', '.join(close)})" if close else ""
        raise UsageError(f"unknown rule id {wanted!r}{hint}")
    out.write(f"{safe(rule.id)}\n  {safe(rule.description)}\n  severity: {rule.severity.value}\n")
    if rule.source != "builtin":
        out.write(f"  source:   {safe(rule.source)}\n")
    if rule.keywords:
        out.write(f"  keywords: {safe(', '.join(rule.keywords))}\n")
    if rule.cased_keywords:  # history's line prefilter looks for these in this case only
        out.write(f"  cased:    {safe(', '.join(rule.cased_keywords))} (history skips lines spelling them otherwise)\n")
    if rule.grade is not None:  # the secret itself can lower the severity (an expired token)
        graded = (rule.grade.__doc__ or rule.grade.__name__).strip().splitlines()[0]
        out.write(f"  graded:   {safe(graded)}\n")
    if rule.line_trigger:  # history's line search looks for this instead of the keywords
        if isinstance(rule.window, str):
            out.write(f"  history:  reads lines matching {safe(rule.line_trigger)} (not every line with a keyword)\n")
        else:  # a match may span lines: the whole of a file's added lines, where one can be
            out.write(
                f"  history:  reads a file's added lines whole where {safe(rule.line_trigger)} matches "
                "(not wherever a keyword is)\n"
            )
    if rule.heads:  # the engine runs the regex only around a hit where one starts a token
        out.write("  heads:    every match begins with a cased keyword, where a token can start\n")
    if rule.regex:
        out.write(f"  pattern:  {safe(rule.regex)}\n")
    elif "env" in rule.tags:
        out.write("  matches:  .env* files on disk (names and values), even git-ignored ones\n")
    elif "build" in rule.tags:
        out.write("  matches:  build output (dist/, build/, .next/static, out/, .output/public, --bundle DIR)\n")
    else:
        out.write("  matches:  the file by its name (reported with no line)\n")
    if rule.paths:
        out.write(f"  files:    paths matching {safe(str(rule.paths))}\n")
    if rule.entropy:
        out.write(f"  entropy:  at least {rule.entropy} bits per character\n")
    if rule.validator is not None:
        doc = (rule.validator.__doc__ or rule.validator.__name__).strip().splitlines()[0]
        out.write(f"  checks:   {doc}\n")
    out.write(
        f"  shown as: {'no characters (password-like)' if rule.password_like else 'public prefix, length and a short hash'}\n"
    )
    out.write(f"  fix:      {safe(rule.fix)}\n")
