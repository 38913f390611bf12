"""What git's own side of a history scan costs, and what each way of asking git for less
would save: the numbers behind issue 14's "2x faster than gitleaks" (bench/RESULTS.md).

    python bench/bench_history_git.py [--runs 3] [--write SECTION] REPO...

For each REPO (a clone in bench/work/, scanned ``--all``), ``git log -p`` exactly as history
runs it (``launchready.history.logproc.log_command``), and variants of it, each run alone:
user + system CPU of git (median of ``--runs``), its peak RSS and the bytes it writes:

- ``as run``: newest first, 16 MB of delta bases (``GIT_CONFIG``); ``--reverse``: the
  oldest-first log of the second end;
- ``delta cache 32m`` / ``96m`` (git's default): the CPU the memory bound costs;
- ``no merge diffs``: without ``--cc`` (gitleaks reads no merge commit's diff);
- ``no lock files``: the lock files HEAD holds left out with literal pathspecs (gitleaks
  skips them after git has diffed them).

Then ``launchready history --all`` itself (this checkout), twice, sampling every ``git log``
it starts (``/proc/PID/io``, every 2 ms): the bytes both logs wrote, against one log's size,
is the work the two ends did twice before they met (a lower bound: the last writes before a
log is stopped may be missed between samples).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from results import publish  # noqa: E402

from launchready.history.logproc import log_command  # noqa: E402

LOCK_FILES = {
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "Cargo.lock",
    "composer.lock",
    "Gemfile.lock",
    "go.sum",
}


def _variant(root: Path, name: str) -> list[str]:
    cmd = log_command(root, ["--all"])
    if name == "--reverse":
        cmd.insert(cmd.index("--"), "--reverse")
    elif name.startswith("delta cache "):
        cmd[cmd.index("core.deltaBaseCacheLimit=16m")] = f"core.deltaBaseCacheLimit={name.split()[-1]}"
    elif name == "no merge diffs":
        cmd.remove("--cc")
    elif name == "no lock files":
        tracked = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True
        ).stdout.split(b"\0")
        locks = sorted({p.decode() for p in tracked if p and Path(p.decode()).name in LOCK_FILES})
        cmd += [":(top)", *(f":(top,literal,exclude){p}" for p in locks)]
    return cmd


def _run_git(cmd: Sequence[str]) -> tuple[float, int, int]:
    """(user + system CPU s, peak RSS KB, bytes written) of one run."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    size = 0
    while chunk := proc.stdout.read(1 << 20):
        size += len(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"git failed: {' '.join(cmd)}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss, size


def _both_ends(root: Path) -> tuple[int, int]:
    """(bytes both ``git log``s of one ``launchready history --all`` wrote, how many logs)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "launchready", "history", "--all", "--repo", str(root), "--exit-zero"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONPATH=str(HERE.parent / "src")),
    )
    written: dict[str, int] = {}
    while proc.poll() is None:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                if not (args[0].endswith(b"git") and b"log" in args and b"-p" in args and b"--cc" in args):
                    continue
                io = dict(line.split(": ") for line in Path(f"/proc/{pid}/io").read_text().splitlines() if line)
                written[pid] = max(written.get(pid, 0), int(io["wchar"]))
            except (OSError, ValueError, KeyError, IndexError):
                continue
        time.sleep(0.002)
    return sum(written.values()), len(written)


VARIANTS = ("as run", "--reverse", "delta cache 32m", "delta cache 96m", "no merge diffs", "no lock files")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("repos", nargs="+", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", metavar="SECTION", help="update this section of bench/RESULTS.md")
    args = ap.parse_args()
    rows = [
        "| History | git log variant | git CPU s | vs as run | peak RSS | output |",
        "|---|---|---|---|---|---|",
    ]
    overlap = []
    for root in args.repos:
        base = None
        for name in VARIANTS:
            runs = [_run_git(_variant(root, name)) for _ in range(args.runs)]
            cpu = statistics.median(r[0] for r in runs)
            rss = max(r[1] for r in runs) // 1024
            size = runs[0][2]
            if base is None:
                base = (cpu, size)
            rows.append(f"| {root.name} | {name} | {cpu:.2f} | {cpu - base[0]:+.2f} | {rss} MB | {size / 1e6:.1f} MB |")
        both = [_both_ends(root) for _ in range(2)]
        assert base is not None
        wrote = statistics.median(b[0] for b in both)
        overlap.append(
            f"- {root.name}: the two logs of one scan wrote {wrote / 1e6:.1f} MB for a {base[1] / 1e6:.1f} MB log: "
            f"{(wrote - base[1]) / 1e6:+.1f} MB ({(wrote - base[1]) / base[1]:+.1%}) diffed by both ends before they met"
        )
    text = (
        "git's own CPU for `git log -p` as `launchready history --all` runs it, and for variants, each run alone "
        f"(median of {args.runs}; peak RSS of the git process; output bytes):\n\n"
        + "\n".join(rows)
        + "\n\nWork the two ends did twice (two runs of `launchready history --all`, git's written bytes sampled):\n\n"
        + "\n".join(overlap)
        + f"\n\nCommand: `python bench/bench_history_git.py --runs {args.runs} "
        + " ".join(f"bench/work/{r.name}" for r in args.repos)
        + "`\n"
    )
    publish(text, args.write)


if __name__ == "__main__":
    main()
