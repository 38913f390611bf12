"""Expected findings written into test sources as trailing comments.

``# expect: repo.a, repo.b`` / ``// expect: ...`` on a line: those rules at that line.
``# expect-next: repo.a`` on a comment line: that rule on the next line (Dockerfiles, where a
trailing comment would be part of the instruction).
``# expect-file: repo.x`` anywhere: a file-level finding (line null) of that rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from launchready.model import Finding

_MARK = re.compile(r"(?:#|//|/\*|\{/\*)\s*expect(-file|-next)?:\s*([\w.\-, ]+)")

Expected = set[tuple[str, int | None, str]]


def expected(path: str, text: str) -> Expected:
    out: Expected = set()
    for n, line in enumerate(text.splitlines(), 1):
        for m in _MARK.finditer(line):
            for rule_id in (r.strip() for r in m.group(2).split(",")):
                if rule_id:
                    line_no = {None: n, "-next": n + 1, "-file": None}[m.group(1)]
                    out.add((path, line_no, rule_id))
    return out


def actual(findings: Iterable[Finding]) -> Expected:
    return {(f.path, f.line, f.rule_id) for f in findings}
