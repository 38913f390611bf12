"""The scorecard as a terminal table: area, state, and the fix (or why it was not checked)."""

from __future__ import annotations

import textwrap

from launchready.model import Report
from launchready.printable import safe
from launchready.report import Options
from launchready.scorecard import NOT_CHECKED, PASS, Row, scorecard

_COLORS = {"pass": "\033[32m", "warn": "\033[33m", "fail": "\033[1;31m", NOT_CHECKED: "\033[2m"}
_RESET = "\033[0m"
_WIDTH = 100  # the detail column wraps so the table fits a 100-column terminal


def detail(row: Row) -> str:
    """What the last column says: the top fix, why it was not checked, or for a pass what
    it did not cover (e.g. checked in code only)."""
    if row.state == NOT_CHECKED:
        return row.reason
    if row.top_fix:
        return row.top_fix
    return row.reason if row.state == PASS else ""


def render_scorecard(report: Report, options: Options) -> str:
    rows = scorecard(report)
    name_w = max(len(r.row) for r in rows)
    state_w = max(len(r.state) for r in rows)
    detail_w = max(20, _WIDTH - name_w - state_w - 6)
    out = ["Launch scorecard"]
    for r in rows:
        lines = [safe(x) for x in textwrap.wrap(safe(detail(r)), detail_w, break_on_hyphens=False)] or [""]
        state = f"{r.state:<{state_w}}"
        if options.color:
            state = f"{_COLORS.get(r.state, '')}{state}{_RESET}"
        out.append(f"  {safe(r.row):<{name_w}}  {state}  {lines[0]}".rstrip())
        indent = " " * (2 + name_w + 2 + state_w + 2)
        out.extend(f"{indent}{more}" for more in lines[1:])
    return "\n".join(out) + "\n"
