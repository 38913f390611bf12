"""GitHub Actions: workflow-command annotations, the job summary and ``$GITHUB_OUTPUT``.

- ``annotations(report, options) -> (lines, dropped)``: ``::error file=..,line=..::msg``
  lines, worst first. GitHub shows at most 10 errors, 10 warnings and 10 notices per step
  (and 50 per job); the rest are dropped here and counted, so the summary can say so.
- ``step_summary(report, options, notes) -> str``: markdown for ``$GITHUB_STEP_SUMMARY``
  (verdict, scorecard, top findings and failed checks with fixes, dropped annotations,
  PR-added suppressions from ``notes``), always under 1 MiB.
- ``write_github_outputs(path, mapping)``: append ``name=value`` (or a heredoc for
  multi-line values) to ``$GITHUB_OUTPUT``.
- ``render`` is the ``--github`` writer: the annotation lines plus a plain log line about
  anything dropped.

Everything returned here is redacted (``redact.scrub``) before it leaves.

No ``from __future__ import annotations`` here: it would shadow the public
``annotations()`` function that the Action calls (all hints below work on Python 3.10).
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from launchready import redact
from launchready.model import CheckResult, Finding, Report, Severity, Status
from launchready.report import Options
from launchready.report.common import location, one_line, verdict
from launchready.scorecard import FAIL, NOT_CHECKED, PASS, WARN, scorecard

# GitHub's display limits for annotations created by workflow commands.
PER_STEP = {"error": 10, "warning": 10, "notice": 10}
PER_JOB = 50
SUMMARY_LIMIT = 1024 * 1024  # $GITHUB_STEP_SUMMARY is rejected above 1 MiB per step
_SUMMARY_BUDGET = SUMMARY_LIMIT - 16 * 1024  # stay safely below it
_TOP_FINDINGS = 20
_ANNOTATION_MESSAGE_LIMIT = 4000

_COMMAND = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}
_STATE_ICON = {PASS: "✅ pass", WARN: "⚠️ warn", FAIL: "❌ fail", NOT_CHECKED: "⚪ not checked"}


def escape_data(text: str) -> str:
    """Escape a workflow-command message (the part after ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class _Annotation:
    command: str  # error, warning, notice
    rank: tuple[int, int]  # (severity rank, status weight): higher first
    props: tuple[tuple[str, str], ...]
    message: str

    def line(self) -> str:
        props = ",".join(f"{k}={escape_property(v)}" for k, v in self.props)
        head = f"::{self.command} {props}" if props else f"::{self.command}"
        return redact.scrub(f"{head}::{escape_data(self.message)}")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _finding_annotation(f: Finding) -> _Annotation:
    # stdin ("-") and commit messages ("(commit message)") are no file GitHub can place.
    placeable = f.path != "-" and not f.path.startswith("(")
    props: list[tuple[str, str]] = [("file", f.path)] if placeable else []
    if placeable and f.line is not None:
        props.append(("line", str(f.line)))
        end_line = f.end_line or f.line
        props.append(("endLine", str(end_line)))
        # GitHub only honours columns on single-line annotations.
        if f.column and end_line == f.line:
            props.append(("col", str(f.column)))
            if f.end_column and f.end_column > f.column:
                props.append(("endColumn", str(f.end_column)))
    props.append(("title", f"{f.rule_id} ({f.severity.value})"))
    where = "" if placeable else f"{f.path}: "
    parts = [_sentence(where + f.message + (f" [commit {f.commit[:12]}]" if f.commit else ""))]
    if f.present_at_head is False:
        parts.append("Gone from HEAD but still in history: rotate it.")
    parts.append(f"Fix: {_sentence(f.fix)}")
    message = one_line(" ".join(parts), _ANNOTATION_MESSAGE_LIMIT)
    return _Annotation(_COMMAND[f.severity], (f.severity.rank, 1), tuple(props), message)


def _check_annotation(c: CheckResult) -> _Annotation | None:
    if c.status is Status.ERROR:
        command, weight = "error", 0
    elif c.status is Status.FAIL:
        command, weight = _COMMAND[c.severity], 1
    elif c.status is Status.WARN:
        command, weight = ("notice" if c.severity.rank <= Severity.LOW.rank else "warning"), 0
    else:
        return None
    title = f"{c.id} {c.status.value} ({c.severity.value})"
    could_not = "could not check: " if c.status is Status.ERROR else ""
    message = _sentence(f"{c.target}: {could_not}{c.message}")
    if c.fix:
        message += f" Fix: {_sentence(c.fix)}"
    return _Annotation(
        command, (c.severity.rank, weight), (("title", title),), one_line(message, _ANNOTATION_MESSAGE_LIMIT)
    )


def _candidates(report: Report) -> list[_Annotation]:
    found = [_finding_annotation(f) for f in report.sorted_findings()]
    found += [a for a in (_check_annotation(c) for c in report.checks) if a is not None]
    return sorted(found, key=lambda a: (-a.rank[0], -a.rank[1]))  # stable: keeps file order


def annotations(report: Report, options: Options) -> tuple[list[str], int]:
    """Annotation lines, worst first, within GitHub's limits; and how many were dropped."""
    kept: list[str] = []
    used = dict.fromkeys(PER_STEP, 0)
    dropped = 0
    for a in _candidates(report):
        if used[a.command] >= PER_STEP[a.command] or len(kept) >= PER_JOB:
            dropped += 1
            continue
        used[a.command] += 1
        kept.append(a.line())
    return kept, dropped


def render(report: Report, options: Options) -> str:
    lines, dropped = annotations(report, options)
    if dropped:
        lines.append(
            f"launchready: {dropped} more annotation(s) not shown (GitHub shows at most 10 "
            "errors, 10 warnings and 10 notices per step); see the job summary or the report files"
        )
    return "\n".join(lines) + "\n" if lines else ""


# --- job summary -------------------------------------------------------------------------


# A link or an image needs "](" (inline) or "][" (reference) and a code span a backtick:
# those, and the backslash itself, are backslash-escaped (CommonMark lets any ASCII
# punctuation be escaped), so PR-controlled text renders as the characters it is. A lone
# "[x]" stays as written: the summary defines no link references, and PR text never starts
# a line, where a definition would have to be. Raw HTML is entity-escaped.
_MD_SPECIAL = re.compile(r"[\\`]|\](?=[(\[])")


def _cell(text: str, limit: int = 300) -> str:
    """Repository text shown as text inside markdown (a table cell, a list item): one line,
    no raw HTML, no pipes, and no link, image, emphasis or code-span syntax."""
    flat = one_line(text, limit)
    flat = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), flat)
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def _code(text: str, limit: int = 200) -> str:
    """An inline code span: nothing inside is markdown, backticks would end it early and a
    pipe would end the table cell (GitHub reads ``\\|`` as a pipe even in code)."""
    return "`" + one_line(text, limit).replace("`", "'").replace("|", "\\|") + "`"


def _scorecard_table(report: Report) -> list[str]:
    out = [
        "### Launch scorecard",
        "",
        "| Area | State | Checks | Most important fix (or why not checked) |",
        "|---|---|---|---|",
    ]
    for row in scorecard(report):
        checks = ", ".join(_code(c) for c in row.checks[:6]) or "—"
        if len(row.checks) > 6:
            checks += f" +{len(row.checks) - 6} more"
        detail = row.reason if row.state == NOT_CHECKED else (row.top_fix or row.reason or "—")
        out.append(f"| {_cell(row.row)} | {_STATE_ICON[row.state]} | {checks} | {_cell(detail)} |")
    out.append("")
    return out


def _findings_table(findings: list[Finding], limit: int) -> list[str]:
    shown = findings[:limit]
    out = [
        f"### Top findings ({len(shown)} of {len(findings)})",
        "",
        "| Severity | Rule | Where | Finding | Fix |",
        "|---|---|---|---|---|",
    ]
    for f in shown:
        where = location(f) + (f" @ {f.commit[:12]}" if f.commit else "")
        out.append(
            f"| {f.severity.value} | {_code(f.rule_id)} | {_code(where)} | {_cell(f.message)} | {_cell(f.fix)} |"
        )
    out.append("")
    return out


def _checks_table(checks: list[CheckResult]) -> list[str]:
    out = ["### Checks that need attention", "", "| Status | Check | Target | Result | Fix |", "|---|---|---|---|---|"]
    for c in checks:
        out.append(
            f"| {c.status.value} ({c.severity.value}) | {_code(c.id)} | {_cell(c.target)} | "
            f"{_cell(c.message)} | {_cell(c.fix) or '—'} |"
        )
    out.append("")
    return out


def _fit(text: str, budget: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= budget:
        return text
    note = "\n\n_Summary truncated to stay under GitHub's 1 MiB limit; see the report files._\n"
    cut = data[: budget - len(note.encode())].decode("utf-8", errors="ignore")
    cut = cut[: cut.rfind("\n") + 1] if "\n" in cut else cut
    return cut + note


def step_summary(report: Report, options: Options, notes: list[str] | None = None, limit: int = _SUMMARY_BUDGET) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: at most ``limit`` bytes (default < 1 MiB).

    ``notes`` are the suppressions the change added (allow comments, baseline entries,
    config that disables rules or excludes paths), listed for reviewers; the report's own
    notes follow under "Notes".
    """
    v = verdict(report, options)
    icon = "❌" if v.failed else "✅"
    head = [f"## {icon} launchready {report.command}: {'FAIL' if v.failed else 'OK'}", "", _cell(v.line, 1000), ""]
    body = _scorecard_table(report)
    findings = report.sorted_findings()
    attention = sorted(
        (c for c in report.checks if c.status in (Status.FAIL, Status.ERROR, Status.WARN)),
        key=lambda c: (
            {Status.FAIL: 0, Status.ERROR: 1, Status.WARN: 2}[c.status],
            -c.severity.rank,
        ),
    )
    _lines, dropped = annotations(report, options)
    tail: list[str] = []
    if dropped:
        tail += [
            f"> {dropped} more annotations not shown (GitHub's limit is 10 errors, "
            "10 warnings and 10 notices per step); the full list is in the report files.",
            "",
        ]
    if notes:
        tail += [
            "### Suppressions added by this change",
            "",
            "Allow comments, baseline entries and config changes that silence findings; review them like code.",
            "",
        ]
        tail += [f"- {_cell(n, 2000)}" for n in notes] + [""]
    if report.notes:
        tail += ["### Notes", ""] + [f"- {_cell(n, 2000)}" for n in report.notes] + [""]
    # Fit the findings table into what the other sections leave of the budget.
    limit_findings = min(_TOP_FINDINGS, len(findings))
    while True:
        parts = list(head) + body
        if findings:
            parts += _findings_table(findings, limit_findings)
        if attention:
            parts += _checks_table(attention[:_TOP_FINDINGS])
        parts += tail
        text = redact.scrub("\n".join(parts))
        if len(text.encode("utf-8")) <= limit or limit_findings <= 1:
            return _fit(text, limit)
        limit_findings //= 2


# --- $GITHUB_OUTPUT ----------------------------------------------------------------------


def format_outputs(mapping: Mapping[str, object]) -> str:
    """``name=value`` lines; multi-line values as ``name<<DELIM`` heredocs."""
    out = []
    for name, value in mapping.items():
        if not name or any(ch in name for ch in "=\n\r<"):
            raise ValueError(f"invalid output name {name!r}")
        text = redact.scrub("" if value is None else str(value))
        if "\n" in text or "\r" in text:
            delim = f"ghadelimiter_{os.urandom(8).hex()}"
            while delim in text:
                delim = f"ghadelimiter_{os.urandom(8).hex()}"
            out.append(f"{name}<<{delim}\n{text}\n{delim}\n")
        else:
            out.append(f"{name}={text}\n")
    return "".join(out)


def write_github_outputs(path: str | os.PathLike[str], mapping: Mapping[str, object]) -> None:
    """Append outputs to ``$GITHUB_OUTPUT`` (the file GitHub gives each step)."""
    with Path(path).open("a", encoding="utf-8") as fh:
        fh.write(format_outputs(mapping))
