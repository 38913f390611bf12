"""``launchready scan`` of real applications' HEAD trees, this checkout against another one: which
findings a detection change adds or drops on code nobody here wrote.

    python bench/sweep_apps.py [--base DIR] [--write SECTION] MIRROR...

Each MIRROR is a git directory (the search tools' ``fetch`` leaves them in
``/work/.mirror/<owner>+<name>/repo``), checked out at HEAD as ``bench/real_repos.py`` does
(blobs the mirror lacks left empty, and counted) and scanned as a founder would
(``launchready scan .``). ``--base DIR`` is another checkout's sources (``git archive <rev> src
| tar -x -C DIR``), scanned the same way. Findings are compared by (rule, path, line): the secret
itself never leaves the scanner (its output is redacted).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from real_repos import clone, repo_name, run  # noqa: E402
from results import publish  # noqa: E402

Key = tuple[str, str, int | None, str]  # rule, path, line, severity


def _scan(tree: Path, src: Path | None) -> list[Key]:
    findings, _ = run(["scan", "."], tree, src)
    keys: list[Key] = []
    for f in findings:
        line = f.get("line")
        keys.append((str(f["rule_id"]), str(f["path"]), line if isinstance(line, int) else None, str(f["severity"])))
    return sorted(keys)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, help="another checkout's sources (a directory holding src/)")
    ap.add_argument("--write", metavar="SECTION", help="put the table in this section of bench/RESULTS.md")
    ap.add_argument("mirrors", nargs="+", type=Path)
    a = ap.parse_args()
    base_src = (a.base / "src").resolve() if a.base else None
    rows = [
        "| Application | blobs absent from the mirror (whole history) | secret/env findings, base | now | dropped | added |"
    ]
    rows.append("|---|---|---|---|---|---|")
    totals: Counter[str] = Counter()
    for mirror in a.mirrors:
        with tempfile.TemporaryDirectory(prefix="lr-sweep-") as tmp:
            tree = Path(tmp) / "repo"
            missing = clone(mirror.resolve(), tree)
            now = _scan(tree, None)
            base = _scan(tree, base_src) if base_src else now
        dropped = [k for k in base if k not in now]
        added = [k for k in now if k not in base]
        totals.update(base=len(base), now=len(now), dropped=len(dropped), added=len(added))

        def show(keys: list[Key]) -> str:
            return "; ".join(f"`{r}` {p}:{line} ({s})" for r, p, line, s in keys) or "-"

        rows.append(f"| {repo_name(mirror)} | {missing} | {len(base)} | {len(now)} | {show(dropped)} | {show(added)} |")
    rows.append(f"| **all** | | {totals['base']} | {totals['now']} | {totals['dropped']} | {totals['added']} |")
    publish("\n".join(rows), a.write)


if __name__ == "__main__":
    main()
