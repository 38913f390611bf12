"""A self-contained HTML report (``--html FILE``): one file, inline CSS, no scripts, no
external assets, readable on a phone. Scorecard first, then findings grouped by file with
their fixes, then live checks. Every piece of report text goes through ``html.escape`` (and
``redact.scrub``): nothing in a report can inject markup.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from itertools import groupby
from typing import Any

from launchready import __version__, redact
from launchready.model import CheckResult, Finding, Report, Status
from launchready.report import Options
from launchready.report.common import match_shown, verdict
from launchready.scorecard import NOT_CHECKED, scorecard

_CSS = """
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--card:#f6f8fa;--line:#d0d7de;
--pass:#1a7f37;--pass-bg:#dafbe1;--warn:#7d4e00;--warn-bg:#fff8c5;--fail:#b3261e;
--fail-bg:#ffebe9;--nc:#57606a;--nc-bg:#eaeef2;--err:#8250df;--err-bg:#fbefff}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:var(--fg);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2em 0}
h2{font-size:1.2rem;margin:1.6em 0 .6em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1rem;margin:1.2em 0 .4em;word-break:break-all}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;
overflow-wrap:anywhere}
.meta{color:var(--muted);font-size:.9rem}
.verdict{padding:12px 16px;border-radius:8px;font-weight:600;margin:12px 0}
.verdict.fail{background:var(--fail-bg);color:var(--fail)}
.verdict.ok{background:var(--pass-bg);color:var(--pass)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:8px;border-bottom:1px solid var(--line)}
th{background:var(--card);font-size:.85rem;text-transform:uppercase;letter-spacing:.03em}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;font-weight:600;
font-size:.85rem;white-space:nowrap}
.s-pass{background:var(--pass-bg);color:var(--pass)}
.s-warn{background:var(--warn-bg);color:var(--warn)}
.s-fail{background:var(--fail-bg);color:var(--fail)}
.s-error{background:var(--err-bg);color:var(--err)}
.s-skip,.s-not-checked{background:var(--nc-bg);color:var(--nc)}
.sev-critical,.sev-high{background:var(--fail-bg);color:var(--fail)}
.sev-medium{background:var(--warn-bg);color:var(--warn)}
.sev-low,.sev-info{background:var(--nc-bg);color:var(--nc)}
tr.state-pass td:first-child{border-left:6px solid var(--pass)}
tr.state-warn td:first-child{border-left:6px solid #d4a72c}
tr.state-fail td:first-child{border-left:6px solid var(--fail)}
tr.state-not-checked td:first-child{border-left:6px solid var(--line)}
.finding{background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:10px 12px;margin:8px 0}
.finding p{margin:.3em 0}
.fix{border-left:4px solid var(--pass);padding-left:8px}
.why{color:var(--muted)}
summary{cursor:pointer;color:var(--muted)}
@media (max-width:700px){
 main{padding:10px}
 table.cards thead{display:none}
 table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
 table.cards tr{border:1px solid var(--line);border-radius:8px;margin:0 0 10px;padding:6px 8px}
 tr.state-pass{border-left:6px solid var(--pass)!important}
 tr.state-warn{border-left:6px solid #d4a72c!important}
 tr.state-fail{border-left:6px solid var(--fail)!important}
 table.cards tr td:first-child{border-left:none}
 table.cards td{border:none;padding:3px 0}
 table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600;
 color:var(--muted);font-size:.85rem}
}
"""


def _e(text: object) -> str:
    return html.escape(redact.scrub(str(text)), quote=True)


def _badge(state: str, cls: str) -> str:
    return f'<span class="badge {cls}">{_e(state)}</span>'


def _state_class(state: str) -> str:
    return "s-" + state.replace(" ", "-")


def _scorecard(report: Report) -> list[str]:
    out = [
        '<section id="scorecard"><h2>Launch scorecard</h2>',
        '<table class="cards"><thead><tr><th>Area</th><th>State</th><th>Most important fix (or why not checked)</th>'
        "<th>Checks</th></tr></thead><tbody>",
    ]
    for row in scorecard(report):
        label = "Fix"
        if row.state == NOT_CHECKED:
            label = "Why"
            detail = f'<span class="why">{_e(row.reason)}</span>'
        elif row.top_fix:
            detail = _e(row.top_fix)
        else:
            label = "Note"
            detail = f'<span class="why">{_e(row.reason or "nothing to fix")}</span>'
        checks = ", ".join(f"<code>{_e(c)}</code>" for c in row.checks) or "—"
        if len(row.checks) > 3:  # long lists fold away (native <details>, no script)
            checks = f"<details><summary>{len(row.checks)} checks</summary>{checks}</details>"
        state = row.state.replace(" ", "-")
        out.append(
            f'<tr class="row state-{state}"><td data-label="Area"><strong>{_e(row.row)}</strong></td>'
            f'<td data-label="State">{_badge(row.state, _state_class(row.state))}</td>'
            f'<td data-label="{label}">{detail}</td><td data-label="Checks">{checks}</td></tr>'
        )
    out.append("</tbody></table></section>")
    return out


def _loc(f: Finding) -> str:
    if f.line is None:
        return "whole file"
    return f"line {f.line}" + (f", column {f.column}" if f.column else "")


def _finding(f: Finding) -> str:
    parts = [
        '<div class="finding">',
        f"<p>{_badge(f.severity.value, 'sev-' + f.severity.value)} <code>{_e(f.rule_id)}</code>"
        f' <span class="meta">{_e(_loc(f))}</span></p>',
        f"<p>{_e(f.message)}</p>",
    ]
    if f.secret:
        parts.append(f'<p class="meta">secret: <code>{_e(f.secret)}</code></p>')
    if f.commit:
        who = " ".join(x for x in (f.author or "", f.date or "") if x)
        parts.append(f'<p class="meta">commit <code>{_e(f.commit[:12])}</code> {_e(who)}</p>')
    if f.present_at_head is False:
        parts.append(
            '<p class="meta">Gone from HEAD but still in history: rotate it; deleting the file does not help.</p>'
        )
    shown = match_shown(f)
    if shown:
        parts.append(f'<p class="mono">{_e(shown)}</p>')
    parts.append(f'<p class="fix"><strong>Fix:</strong> {_e(f.fix)}</p></div>')
    return "".join(parts)


def _findings(report: Report) -> list[str]:
    findings = report.findings
    out = [f'<section id="findings"><h2>Findings ({len(findings)})</h2>']
    if not findings:
        out.append('<p class="why">No findings.</p>')
    for path, group in groupby(sorted(findings, key=lambda f: f.path), key=lambda f: f.path):
        items = sorted(group, key=lambda f: (-f.severity.rank, f.line or 0, f.rule_id))
        out.append(f"<h3><code>{_e(path)}</code></h3>")
        out.extend(_finding(f) for f in items)
    out.append("</section>")
    return out


_ORDER = {Status.FAIL: 0, Status.ERROR: 1, Status.WARN: 2, Status.PASS: 3, Status.SKIP: 4}


def _checks(checks: list[CheckResult]) -> list[str]:
    out = [
        f'<section id="checks"><h2>Checks ({len(checks)})</h2>',
        '<table class="cards"><thead><tr><th>Status</th><th>Check</th><th>Target</th>'
        "<th>Result</th><th>Fix</th></tr></thead><tbody>",
    ]
    for c in sorted(checks, key=lambda c: (_ORDER[c.status], -c.severity.rank, c.id, c.target)):
        out.append(
            f'<tr><td data-label="Status">{_badge(c.status.value, "s-" + c.status.value)} '
            f'<span class="meta">{_e(c.severity.value)}</span></td>'
            f'<td data-label="Check"><code>{_e(c.id)}</code></td>'
            f'<td data-label="Target" class="mono">{_e(c.target)}</td>'
            f'<td data-label="Result">{_e(c.message)}</td>'
            f'<td data-label="Fix">{_e(c.fix) if c.fix else "—"}</td></tr>'
        )
    out.append("</tbody></table></section>")
    return out


def _inventory(data: dict[str, Any]) -> list[str]:
    """``launchready inventory``: services, then variables by environment (names and states)."""
    out = [
        '<section id="inventory"><h2>Integrations</h2>',
        '<table class="cards"><thead><tr><th>Service</th><th>Kind</th><th>Variables</th>'
        "<th>Ever leaked</th><th>Watch</th></tr></thead><tbody>",
    ]
    for s in data.get("services", []):
        leaked = len(s.get("leaked_in_history", []))
        out.append(
            f'<tr><td data-label="Service"><strong>{_e(s["name"])}</strong></td>'
            f'<td data-label="Kind">{_e(s["kind"])}</td>'
            f'<td data-label="Variables">{", ".join(f"<code>{_e(v)}</code>" for v in s["variables"]) or "—"}</td>'
            f'<td data-label="Ever leaked">{"yes: rotate" if leaked else "no"}</td>'
            f'<td data-label="Watch">{_e(s["watch"])}</td></tr>'
        )
    envs = [e for e in data.get("environments", []) if e != "example"]
    out += [
        "</tbody></table>",
        "<h2>Variables by environment</h2>",
        '<table class="cards"><thead><tr><th>Variable</th><th>Read in code</th>'
        + "".join(f"<th>{_e(e)}</th>" for e in envs)
        + "</tr></thead><tbody>",
    ]
    for v in data.get("variables", []):
        read = "yes" if v["read_at"] else ("by the SDK" if v["read_by_sdk"] else "never")
        cells = "".join(f'<td data-label="{_e(e)}">{_e(v["environments"].get(e, "—"))}</td>' for e in envs)
        out.append(
            f'<tr><td data-label="Variable"><code>{_e(v["name"])}</code></td>'
            f'<td data-label="Read in code">{read}</td>{cells}</tr>'
        )
    out.append("</tbody></table></section>")
    return out


def render(report: Report, options: Options) -> str:
    v = verdict(report, options)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = [
        "<main>",
        f"<h1>launchready {_e(report.command)} report</h1>",
        f'<p class="meta">launchready {_e(__version__)} · {_e(when)} · root <code>{_e(report.root)}</code></p>',
        f'<div class="verdict {"fail" if v.failed else "ok"}" id="verdict">{_e(v.line)}</div>',
        *_scorecard(report),
        *_findings(report),
    ]
    if report.checks:
        body += _checks(report.checks)
    if report.inventory is not None:
        body += _inventory(report.inventory)
    if report.notes:
        body.append('<section id="notes"><h2>Notes</h2><ul>')
        body += [f"<li>{_e(n)}</li>" for n in report.notes]
        body.append("</ul></section>")
    body.append(
        '<p class="meta">Secrets are redacted: tokens show only their public prefix, length '
        "and a short keyed hash. This file is self-contained and loads nothing.</p></main>"
    )
    doc = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>launchready {_e(report.command)}: {'FAIL' if v.failed else 'OK'}</title>",
        f"<style>{_CSS}</style></head><body>",
        *body,
        "</body></html>",
    ]
    return "\n".join(doc) + "\n"
