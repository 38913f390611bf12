"""Expected findings written into test sources as trailing comments.

``# expect: repo.a, repo.b`` / ``// expect: ...`` on a line: those rules at that line.
``# expect-file: repo.x`` anywhere: a file-level finding (line null) of that rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from launchready.model import Finding

_MARK = re.compile(r"(?:#|//|/\*|\{/\*)\s*expect(-file)?:\s*([\w.\-, ]+)")

Expected = set[tuple[str, int | None, str]]


def expected(path: str, text: str) -> Expected:
    out: Expected = set()
    for n, line in enumerate(text.splitlines(), 1):
        for m in _MARK.finditer(line):
            for rule_id in (r.strip() for r in m.group(2).split(",")):
                if rule_id:
                    out.add((path, None if m.group(1) else n, rule_id))
    return out


def actual(findings: Iterable[Finding]) -> Expected:
    return {(f.path, f.line, f.rule_id) for f in findings}
