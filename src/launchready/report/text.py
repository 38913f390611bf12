"""Terminal output: findings grouped by file (fix once per rule), checks, scorecard, verdict.

Colour only when ``Options.color`` (a tty, or ``--color always``). ``-v`` adds the redacted
source line of each finding and lists passed and skipped checks one by one. The scorecard
is shown for every command but plain ``scan`` (the commit hook), where ``-v`` adds it.
"""

from __future__ import annotations

from itertools import groupby

from launchready.model import CheckResult, Finding, Report, Status
from launchready.printable import safe
from launchready.report import Options
from launchready.report.common import match_shown, one_line, verdict
from launchready.report.scorecard_text import render_scorecard

_COLORS = {
    "critical": "\033[1;31m",
    "high": "\033[31m",
    "medium": "\033[33m",
    "low": "\033[36m",
    "info": "\033[2m",
    "pass": "\033[32m",
    "warn": "\033[33m",
    "fail": "\033[31m",
    "error": "\033[1;35m",
    "skip": "\033[2m",
    "bold": "\033[1m",
    "dim": "\033[2m",
}
_RESET = "\033[0m"
_STATUS_ORDER = {Status.FAIL: 0, Status.ERROR: 1, Status.WARN: 2, Status.PASS: 3, Status.SKIP: 4}


def _c(text: str, key: str, options: Options) -> str:
    return f"{_COLORS.get(key, '')}{text}{_RESET}" if options.color else text


def _line(text: str) -> str:
    """Repository data shown inside a line: whitespace collapsed, then made safe to print."""
    return safe(one_line(text))


def _loc(f: Finding) -> str:
    if f.line is None:
        return "-"
    return f"{f.line}:{f.column}" if f.column else str(f.line)


def _findings(findings: list[Finding], options: Options) -> list[str]:
    out: list[str] = []
    loc_w = max((len(_loc(f)) for f in findings), default=1)
    pad = " " * (2 + loc_w + 2 + 8 + 1)
    for path, in_file in groupby(sorted(findings, key=lambda f: f.path), key=lambda f: f.path):
        out.append(_c(safe(path), "bold", options))
        ordered = sorted(in_file, key=lambda f: (-f.severity.rank, f.rule_id, f.line or 0, f.column or 0))
        for _rule, same_rule in groupby(ordered, key=lambda f: f.rule_id):
            group = list(same_rule)
            for f in group:
                sev = _c(f"{f.severity.value:<8}", f.severity.value, options)
                out.append(f"  {_loc(f):<{loc_w}}  {sev} {safe(f.rule_id)}  {_line(f.message)}")
                if f.commit:
                    who = " ".join(x for x in (f.commit[:12], f.author or "", f.date or "") if x)
                    out.append(f"{pad}commit {_line(who)}")
                if f.present_at_head is False:
                    out.append(f"{pad}gone from HEAD but still in history: rotate it")
                if len(f.locations) > 1:
                    where = ", ".join(
                        f"{loc.repository}/{loc.path}" + (f":{loc.line}" if loc.line else "") for loc in f.locations
                    )
                    out.append(f"{pad}the same secret in {len(f.locations)} places: {_line(where)}")
                shown = match_shown(f) if options.verbose else None
                if shown:
                    out.append(f"{pad}> {safe(shown)}")
            out.append(f"{pad}{_c('fix:', 'bold', options)} {_line(group[0].fix)}")
        out.append("")
    return out


def _checks(checks: list[CheckResult], options: Options) -> list[str]:
    out = [_c("Checks", "bold", options)]
    shown = [c for c in checks if options.verbose or c.status not in (Status.PASS, Status.SKIP)]
    id_w = max((len(safe(c.id)) for c in shown), default=0)
    target_w = max((len(safe(c.target)) for c in shown), default=0)
    for c in sorted(shown, key=lambda c: (_STATUS_ORDER[c.status], -c.severity.rank, c.id, c.target)):
        st = _c(f"{c.status.value:<5}", c.status.value, options)
        out.append(f"  {st} {safe(c.id):<{id_w}}  {safe(c.target):<{target_w}}  {_line(c.message)}".rstrip())
        if c.status in (Status.FAIL, Status.WARN, Status.ERROR) and c.fix:
            out.append(f"        {_c('fix:', 'bold', options)} {_line(c.fix)}")
    if not options.verbose:
        passed = sum(1 for c in checks if c.status is Status.PASS)
        skipped = sum(1 for c in checks if c.status is Status.SKIP)
        hidden = [f"{passed} passed"] if passed else []
        if skipped:
            hidden.append(f"{skipped} skipped")
        if hidden:
            out.append(f"  ({', '.join(hidden)}; -v lists them)")
    out.append("")
    return out


def render(report: Report, options: Options) -> str:
    out: list[str] = []
    if report.findings:
        out += _findings(report.findings, options)
    if report.checks:
        out += _checks(report.checks, options)
    if report.inventory is not None:
        from launchready.inventory.render import text_summary

        out += [safe(line) for line in text_summary(report.inventory)]  # names from the repository
    if report.command not in ("scan", "inventory") or options.verbose:
        # A commit hook wants a short answer; `scan -v` and every other command show the card.
        out.append(render_scorecard(report, options))
    for note in report.notes:
        out.append(f"note: {_line(note)}")
    v = verdict(report, options)
    out.append(_c(v.line, "fail" if v.failed else "pass", options))
    if v.failed and report.hints:
        out += report.hints
    return "\n".join(out) + "\n"
