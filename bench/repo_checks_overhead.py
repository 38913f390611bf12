"""Overhead of ``launchready.repo.checks_for_file`` on the staged-hook path, with peers.

Usage: python bench/repo_checks_overhead.py [DIR] [--repeat 30] [--write]

DIR defaults to src/requests of a clone of /work/shared/bench/requests.bundle (the hook
latency benchmark's 19 files). Measured in one run:
- in-process: checks_for_file over every file (median/best of --repeat), files parsed;
- peer in-process: ast.parse of every file (what a parse-everything rule runner pays first);
- whole process (interpreter start included, median of 5): our repo checks vs bandit
  (a static security analyser that parses every file), when bandit is installed.
``--write`` replaces the ``repo-checks`` section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUNDLE = Path("/work/shared/bench/requests.bundle")
_OURS = (
    "import sys, pathlib\n"
    "from launchready.repo import checks_for_file\n"
    "root = pathlib.Path(sys.argv[1])\n"
    "n = sum(len(checks_for_file(p.relative_to(root).as_posix(), p.read_text())) for p in sorted(root.glob('*.py')))\n"
)


def _proc_ms(cmd: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dir", nargs="?")
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    from launchready.repo import RepoStats, checks_for_file

    tmp = None
    if args.dir:
        root = Path(args.dir)
    else:
        tmp = tempfile.mkdtemp(prefix="lr-repo-bench-")
        subprocess.run(["git", "clone", "-q", str(BUNDLE), f"{tmp}/requests"], check=True)
        root = Path(tmp) / "requests" / "src" / "requests"
    try:
        files = [(p.relative_to(root).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(root.glob("*.py"))]
        stats = RepoStats()
        t0 = time.perf_counter()
        findings = sum(len(checks_for_file(p, t, stats=stats)) for p, t in files)
        first = (time.perf_counter() - t0) * 1000
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            for path, text in files:
                checks_for_file(path, text)
            runs.append((time.perf_counter() - t) * 1000)
        parse_runs = []
        for _ in range(max(5, args.repeat // 3)):
            t = time.perf_counter()
            for _path, text in files:
                ast.parse(text)
            parse_runs.append((time.perf_counter() - t) * 1000)
        ours_ms, parse_ms = statistics.median(runs), statistics.median(parse_runs)
        proc_ours = _proc_ms([sys.executable, "-c", _OURS, str(root)])
        bandit = shutil.which("bandit")
        proc_bandit = _proc_ms([bandit, "-q", "-r", str(root)]) if bandit else None
        size = sum(len(t) for _, t in files)
        lines = [
            f"files={len(files)} bytes={size} parsed_by_gates={stats.files_parsed} findings={findings}",
            f"in-process first call (cold caches) ms={first:.2f}",
            f"in-process checks_for_file, all files: median={ours_ms:.2f} ms best={min(runs):.2f} ms",
            f"peer in-process ast.parse of every file: median={parse_ms:.2f} ms (ratio ours/peer {ours_ms / parse_ms:.2f})",
            f"whole process, ours: median={proc_ours:.0f} ms",
        ]
        if proc_bandit is not None:
            lines.append(
                f"whole process, bandit -q -r: median={proc_bandit:.0f} ms (ratio ours/bandit {proc_ours / proc_bandit:.2f})"
            )
        print("\n".join(lines))
        if args.write:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from results import replace_section

            table = [
                f"`checks_for_file` (the per-file `repo.*` rules run by the staged hook) on the "
                f"{len(files)} `.py` files of requests' `src/requests` ({size // 1024} KiB); "
                f"keyword gates let {stats.files_parsed} of {len(files)} files be parsed.\n",
                "| Measure | ms (median) | ratio |",
                "|---|---|---|",
                f"| ours, in process, all files ({args.repeat} runs; best {min(runs):.1f}) | {ours_ms:.1f} | 1.00 |",
                f"| peer: `ast.parse` of every file, in process | {parse_ms:.1f} | {parse_ms / ours_ms:.2f} |",
                f"| ours, whole process (interpreter start included, 5 runs) | {proc_ours:.0f} | 1.00 |",
            ]
            if proc_bandit is not None:
                table.append(
                    f"| peer: `bandit -q -r`, whole process (5 runs) | {proc_bandit:.0f} | {proc_bandit / proc_ours:.2f} |"
                )
            table.append("\nCommand: `python bench/repo_checks_overhead.py --write`\n")
            replace_section("repo-checks", "\n".join(table) + "\n")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
