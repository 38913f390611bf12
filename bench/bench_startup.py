"""Start-up cost of the hook path between two revisions: `launchready scan --help` and
`launchready scan --staged` (one staged file) in a fresh repository.

Each revision's ``src/`` is exported with ``git archive`` and run by this interpreter through
``PYTHONPATH`` (so both pay the same path search), alternating A and B so machine load hits
both alike. Per run: CPU time of the process (user + sys) and the sum of the self import
times of ``launchready.*`` modules (``-X importtime``); plus the set of launchready modules
imported, which must not grow on the hook path. Medians of ``--runs``.

    python bench/bench_startup.py [--base main] [--head HEAD] [--runs 41]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMANDS = (["scan", "--help"], ["scan", "--staged"])


def _export(rev: str, dest: Path) -> Path:
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev, "src"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest / "src"


def _once(src: Path, cmd: list[str], repo: Path) -> tuple[float, float, frozenset[str]]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has .pyc files
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "launchready", *cmd], cwd=repo, env=env, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "launchready", *cmd],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stderr
    self_us = 0
    modules = set()
    for line in err.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line.split("|")
        name = parts[-1].strip()
        if name.startswith("launchready"):
            modules.add(name)
            self_us += int(parts[0].split(":")[1])
    return cpu * 1000, self_us / 1000, frozenset(modules)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="main")
    ap.add_argument("--head", default="HEAD")
    ap.add_argument("--runs", type=int, default=41)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="lr-startup-") as tmp:
        t = Path(tmp)
        srcs = {"base": _export(args.base, t / "base"), "head": _export(args.head, t / "head")}
        repo = t / "repo"
        repo.mkdir()
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        (repo / "app.py").write_text("x = 1\n")
        subprocess.run(["git", "-C", str(repo), "add", "app.py"], check=True)
        for src in srcs.values():  # warm up: write .pyc files
            for cmd in COMMANDS:
                _once(src, cmd, repo)
        cpu: dict[tuple[str, str], list[float]] = {}
        imp: dict[tuple[str, str], list[float]] = {}
        mods: dict[tuple[str, str], frozenset[str]] = {}
        for _ in range(args.runs):
            for side, src in srcs.items():
                for cmd in COMMANDS:
                    key = (side, " ".join(cmd))
                    c, m, names = _once(src, cmd, repo)
                    cpu.setdefault(key, []).append(c)
                    imp.setdefault(key, []).append(m)
                    mods[key] = names
    print(f"base {args.base}, head {args.head}, {args.runs} runs each, load average {os.getloadavg()[0]:.1f}")
    print(
        "| command | CPU ms base | CPU ms head | head/base | launchready.* import ms base | head | modules base | head |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for cmd in (" ".join(c) for c in COMMANDS):
        b, h = ("base", cmd), ("head", cmd)
        cb, ch = statistics.median(cpu[b]), statistics.median(cpu[h])
        print(
            f"| `{cmd}` | {cb:.1f} | {ch:.1f} | {ch / cb:.3f} | {statistics.median(imp[b]):.1f} | "
            f"{statistics.median(imp[h]):.1f} | {len(mods[b])} | {len(mods[h])} |"
        )
        extra = sorted(mods[h] - mods[b])
        if extra:
            print(f"  head imports more on `{cmd}`: {', '.join(extra)}")


if __name__ == "__main__":
    main()
