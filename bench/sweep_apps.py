"""``launchready scan`` of real applications' HEAD trees, this checkout against another one: which
findings a detection change adds or drops on code nobody here wrote.

    python bench/sweep_apps.py [--base DIR] [--write SECTION] MIRROR...

Each MIRROR is a git directory (the search tools' ``fetch`` leaves them in
``/work/.mirror/<owner>+<name>/repo``); its HEAD is exported to a temporary directory and
scanned as a founder would (``launchready scan --json``). ``--base DIR`` is another checkout's
sources (``git archive <rev> src | tar -x -C DIR``), scanned the same way. Findings are compared
by (rule, path, line): the secret itself never leaves the scanner (its output is redacted).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results import publish  # noqa: E402

Key = tuple[str, str, int | None, str]  # rule, path, line, severity


def _export(mirror: Path, dest: Path) -> str:
    """HEAD of ``mirror`` into ``dest``; the number of files, marked partial when git could not
    read a blob (a mirror may lack its largest files: the archive stops there)."""
    archive = subprocess.run(["git", "--git-dir", str(mirror), "archive", "HEAD"], capture_output=True, check=False)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=False, capture_output=True)
    files = sum(len(names) for _, _, names in os.walk(dest))
    return f"{files}" if archive.returncode == 0 else f"{files} (partial: a blob is absent from the mirror)"


def _scan(tree: Path, src: Path | None) -> list[Key]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, "-m", "launchready", "scan", "--json", out.name, "-q", "--exit-zero", "."],
            cwd=tree,
            env=env,
            capture_output=True,
            check=True,
        )
        findings = json.loads(Path(out.name).read_text())["findings"]
    return sorted(
        (f["rule_id"], f["path"], f.get("line"), f["severity"])
        for f in findings
        if f["rule_id"].startswith(("secret.", "env."))
    )


def _name(mirror: Path) -> str:
    return (mirror.parent.name if mirror.name == "repo" else mirror.name).replace("+", "/")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, help="another checkout's sources (a directory holding src/)")
    ap.add_argument("--write", metavar="SECTION", help="put the table in this section of bench/RESULTS.md")
    ap.add_argument("mirrors", nargs="+", type=Path)
    a = ap.parse_args()
    base_src = (a.base / "src").resolve() if a.base else None
    rows = ["| Application | files | secret/env findings, base | now | dropped | added |", "|---|---|---|---|---|---|"]
    totals: Counter[str] = Counter()
    for mirror in a.mirrors:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / _name(mirror).replace("/", "+")
            tree.mkdir()
            files = _export(mirror.resolve(), tree)
            now = _scan(tree, None)
            base = _scan(tree, base_src) if base_src else now
        dropped = [k for k in base if k not in now]
        added = [k for k in now if k not in base]
        totals.update(base=len(base), now=len(now), dropped=len(dropped), added=len(added))

        def show(keys: list[Key]) -> str:
            return "; ".join(f"`{r}` {p}:{line} ({s})" for r, p, line, s in keys) or "-"

        rows.append(f"| {_name(mirror)} | {files} | {len(base)} | {len(now)} | {show(dropped)} | {show(added)} |")
    rows.append(f"| **all** | | {totals['base']} | {totals['now']} | {totals['dropped']} | {totals['added']} |")
    publish("\n".join(rows), a.write)


if __name__ == "__main__":
    main()
