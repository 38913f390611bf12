"""Organisation audit benchmark: ``launchready audit --mirrors DIR`` vs gitleaks 8.30.1 run
over the same bare mirrors in a shell loop (and with ``xargs -P`` for the same parallelism).

    python bench/bench_audit.py [--sizes 10,25,50] [--commits 150] [--runs 3] [--write]

Generates the mirrors in bench/work/audit/ with ``git fast-import`` (each repository:
``--commits`` commits over a few dozen files of code-like text, a generated secret in some
repositories, the same secret shared by a few; nothing is committed to this project), then
for each size times, interleaved, the three commands and samples peak memory (sum of RSS
over the process tree, every 20 ms, in separate runs so sampling does not slow the timed
ones). Medians; ratios are gitleaks' time over ours.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from results import replace_section  # noqa: E402

from launchready.demo.keygen import KeyGen  # noqa: E402

WORK = HERE / "work" / "audit"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
WORDS = [
    "def",
    "return",
    "import",
    "class",
    "self",
    "value",
    "request",
    "response",
    "client",
    "config",
    "user",
    "token",
    "data",
]


def gitleaks() -> str:
    found = shutil.which("gitleaks") or str(Path(sys.executable).parent / "gitleaks")
    if not Path(found).exists():
        sys.exit("gitleaks not found: pip install -e '.[bench]'")
    return found


def make_repo(path: Path, seed: int, commits: int, secrets: list[str]) -> None:
    """A bare repository of ``commits`` commits, built with one fast-import stream."""
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "--bare", str(path)], check=True)
    files = [f"src/mod{i}.py" for i in range(30)]
    contents = {f: "" for f in files}
    out = []
    for n in range(commits):
        out.append(f"commit refs/heads/main\nmark :{n + 1}\n")
        out.append(f"committer Dev <dev@example.test> {1_700_000_000 + n * 3600} +0000\n")
        msg = f"change {n}\n"
        out.append(f"data {len(msg)}\n{msg}")
        if n:
            out.append(f"from :{n}\n")
        for f in rng.sample(files, 3):
            lines = [" ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(rng.randint(5, 30))]
            if secrets and n == commits // 2 and f == files[0]:
                lines.append(f'API_KEY = "{secrets[0]}"')
            contents[f] = (contents[f] + "\n".join(lines) + "\n")[-20000:]
            body = contents[f].encode()
            out.append(f"M 100644 inline {f}\ndata {len(body)}\n")
            out.append(body.decode() + "\n")
    subprocess.run(["git", "--git-dir", str(path), "fast-import", "--quiet"], input="".join(out).encode(), check=True)


def prepare(n: int, commits: int) -> Path:
    root = WORK / f"{n}x{commits}"
    if root.exists() and len(list(root.glob("*.git"))) == n:
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    kg = KeyGen(2026)
    shared = kg.stripe_secret()
    for i in range(n):
        secrets = [shared] if i % 10 == 0 else ([kg.github_classic()] if i % 7 == 0 else [])
        make_repo(root / f"repo{i:03d}.git", i, commits, secrets)
    return root


def ours(root: Path, jobs: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "launchready",
        "audit",
        "--mirrors",
        str(root),
        "--jobs",
        str(jobs),
        "--json",
        str(WORK / "ours.json"),
        "-q",
        "--exit-zero",
    ]


def loop(root: Path) -> list[str]:
    gl = gitleaks()
    script = (
        f'for r in "{root}"/*.git; do "{gl}" git --no-banner --log-level error --exit-code 0 '
        f'--report-format json --report-path "{WORK}/gl-$(basename "$r").json" "$r" || exit 1; done'
    )
    return ["bash", "-c", script]


def xargs(root: Path, jobs: int) -> list[str]:
    gl = gitleaks()
    script = (
        f'ls -d "{root}"/*.git | xargs -P {jobs} -I{{}} sh -c \'"{gl}" git --no-banner --log-level error '
        f'--exit-code 0 --report-format json --report-path "{WORK}/glx-$(basename {{}}).json" {{}}\''
    )
    return ["bash", "-c", script]


def _tree_rss(pid: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            status = (d / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d.name))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(d.name)] = int(line.split()[1])
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total * 1024


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def peak(cmd: list[str]) -> int:
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    best = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal best
        while not done.is_set():
            best = max(best, _tree_rss(proc.pid))
            time.sleep(0.02)

    t = threading.Thread(target=sample)
    t.start()
    proc.wait()
    done.set()
    t.join()
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,25,50")
    ap.add_argument("--commits", type=int, default=150)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    rows = []
    for n in (int(x) for x in a.sizes.split(",")):
        root = prepare(n, a.commits)
        cmds = {
            "launchready audit": ours(root, a.jobs),
            "gitleaks loop": loop(root),
            f"gitleaks xargs -P {a.jobs}": xargs(root, a.jobs),
        }
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(a.runs):
            for k, cmd in cmds.items():
                times[k].append(timed(cmd))
        mem = {k: peak(cmd) for k, cmd in cmds.items()}
        med = {k: statistics.median(v) for k, v in times.items()}
        base = med["launchready audit"]
        line = (
            f"| {n} x {a.commits} commits | "
            + " | ".join(
                f"{med[k]:.2f} s, {mem[k] / 2**20:.0f} MB"
                + ("" if k == "launchready audit" else f" ({med[k] / base:.2f}x)")
                for k in cmds
            )
            + " |"
        )
        print(line, flush=True)
        rows.append(line)
    head = (
        f"| repositories | launchready audit (--jobs {a.jobs}) | gitleaks git, shell loop | gitleaks git, xargs -P {a.jobs} |\n"
        "|---|---|---|---|\n"
    )
    body = (
        f"`python bench/bench_audit.py --sizes {a.sizes} --commits {a.commits} --runs {a.runs} --write`: "
        f"generated bare mirrors, wall time (median of {a.runs}) and peak RSS of the whole process tree; "
        "(Nx) is the peer's time over ours. Ours scans every ref of each mirror in its own process, merges "
        "and writes one JSON report; gitleaks writes one report per repository and merges nothing.\n\n"
        + head
        + "\n".join(rows)
        + "\n"
    )
    if a.write:
        replace_section("audit", body)


if __name__ == "__main__":
    main()
