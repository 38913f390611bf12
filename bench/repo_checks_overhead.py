"""Overhead of ``launchready.repo.checks_for_file`` on a set of files (the staged-hook path).

Usage: python bench/repo_checks_overhead.py DIR [--glob '*.py'] [--repeat 30]

Reads every matching file under DIR once, then times checks_for_file over all of them
(``--repeat`` runs, median and best reported), plus how many files actually got parsed
(the keyword gates decide). Also times a forced full parse (ast.parse of every file) as
the peer to show what the gates save.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--glob", default="*.py")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args(argv)
    from launchready.repo import RepoStats, checks_for_file

    root = Path(args.dir)
    files = [(p.relative_to(root).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(root.rglob(args.glob)) if p.is_file()]
    # first call includes module import cost of the rule modules
    t0 = time.perf_counter()
    import launchready.repo  # noqa: F401

    stats = RepoStats()
    findings = 0
    for path, text in files:
        findings += len(checks_for_file(path, text, stats=stats))
    first = time.perf_counter() - t0
    runs = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        for path, text in files:
            checks_for_file(path, text)
        runs.append(time.perf_counter() - t)
    parse_runs = []
    for _ in range(max(3, args.repeat // 5)):
        t = time.perf_counter()
        for _path, text in files:
            ast.parse(text)
        parse_runs.append(time.perf_counter() - t)
    size = sum(len(t) for _, t in files)
    print(f"files={len(files)} bytes={size} parsed_by_gates={stats.files_parsed} findings={findings}")
    print(f"first_call_ms={first * 1000:.2f}")
    print(f"checks_for_file_all_files_ms median={statistics.median(runs) * 1000:.2f} best={min(runs) * 1000:.2f}")
    print(f"peer_ast_parse_all_files_ms median={statistics.median(parse_runs) * 1000:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
