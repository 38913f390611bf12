"""History scan benchmark: ``launchready history`` vs ``trufflehog3`` (PyPI) on requests.

    python bench/bench_trufflehog.py [--repo /tmp/req-bench] [--runs 3] [--peer-runs 1] [--write]

Clones ``/work/shared/bench/requests.bundle`` (6,489 commits) into ``--repo`` if missing,
then times ``launchready history`` (``--runs`` times, median) and trufflehog3 in its default
git mode (commit history up to ``--depth`` 10000 plus the working tree), once with
``--no-entropy`` (pattern rules only) and once with its defaults (entropy checks on), each
``--peer-runs`` times. Every command runs under GNU ``/usr/bin/time -f %M``: peak RSS is the
largest single process of the tree (not the sum over worker processes). Findings are counted
from each tool's JSON report; raw secret values are never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results import replace_section  # noqa: E402

BUNDLE = Path("/work/shared/bench/requests.bundle")
GNU_TIME = "/usr/bin/time"


def prepare(bundle: Path, repo: Path) -> int:
    if not (repo / ".git").exists():
        subprocess.run(["git", "clone", "-q", str(bundle), str(repo)], check=True)
    out = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout
    return int(out)


def tool(name: str) -> str:
    """The console script next to this interpreter, not a pyenv shim on PATH (whose bash
    start-up adds ~0.3 s to every run)."""
    cand = Path(sys.executable).parent / name
    return str(cand) if cand.exists() else (shutil.which(name) or name)


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # installed packages have .pyc


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB, largest process) and CPU seconds (user+sys) of one run."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t0 = time.perf_counter()
        proc = subprocess.run(
            [GNU_TIME, "-f", "%M %U %S", "-o", tf.name, *cmd],
            cwd=cwd,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wall = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            sys.exit(f"{cmd[0]} exited {proc.returncode}: {proc.stderr[-2000:]}")
        rss, user, sys_ = Path(tf.name).read_text().split()[-3:]
    return wall, int(rss), float(user) + float(sys_)


def ours_counts(report: Path) -> tuple[int, str]:
    data = json.loads(report.read_text())
    findings = data["findings"]
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f["rule_id"]] = by_rule.get(f["rule_id"], 0) + 1
    detail = ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items()))
    return len(findings), detail


def peer_counts(report: Path) -> tuple[int, int, str]:
    """Raw issues, distinct (rule, path, secret) triples, issues per rule."""
    issues = json.loads(report.read_text())
    distinct = {(i["rule"]["id"], i["path"], i["secret"]) for i in issues}
    by_rule: dict[str, int] = {}
    for i in issues:
        by_rule[i["rule"]["message"]] = by_rule.get(i["rule"]["message"], 0) + 1
    detail = ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items()))
    return len(issues), len(distinct), detail


def peer_version() -> str:
    out = subprocess.run([tool("trufflehog3"), "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).strip().split()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bundle", type=Path, default=BUNDLE)
    ap.add_argument("--repo", type=Path, default=Path("/tmp/req-bench"))
    ap.add_argument("--runs", type=int, default=3, help="runs of launchready (median)")
    ap.add_argument("--peer-runs", type=int, default=1, help="runs of each trufflehog3 mode")
    ap.add_argument("--write", action="store_true", help="replace the section in RESULTS.md")
    args = ap.parse_args()
    for name in ("launchready", "trufflehog3", GNU_TIME):
        if not shutil.which(name) and not Path(sys.executable).with_name(name).exists():
            sys.exit(f"{name} not found")
    commits = prepare(args.bundle, args.repo)
    tmp = Path(tempfile.mkdtemp(prefix="bench-th3-"))

    ours_json = tmp / "ours.json"
    ours_cmd = [
        tool("launchready"),
        "history",
        "--repo",
        str(args.repo),
        "--json",
        str(ours_json),
        "--exit-zero",
        "-q",
    ]
    ours = [timed(ours_cmd, args.repo) for _ in range(args.runs)]
    ours_wall = statistics.median(w for w, _, _ in ours)
    ours_cpu = statistics.median(c for _, _, c in ours)
    ours_rss = max(r for _, r, _ in ours)
    n_ours, ours_detail = ours_counts(ours_json)
    print(f"launchready history: {ours} (wall s, KiB, CPU s), {n_ours} findings")

    rows = [
        f"| `launchready history` | {args.runs} | {ours_wall:.2f} | 1.0x | {ours_cpu:.2f} | 1.0x | "
        f"{ours_rss / 1024:.0f} | {n_ours} (one per secret and place) |"
    ]
    notes = [f"- launchready findings by rule: {ours_detail}."]
    modes = (
        ("`trufflehog3 --no-entropy`", ["--no-entropy"]),
        ("`trufflehog3` (defaults, entropy on)", []),
    )
    for label, extra in modes:
        out = tmp / f"th3{'-'.join(extra)}.json"
        cmd = [tool("trufflehog3"), *extra, "-z", "-f", "JSON", "-o", str(out), "."]
        runs = [timed(cmd, args.repo) for _ in range(args.peer_runs)]
        wall = statistics.median(w for w, _, _ in runs)
        cpu = statistics.median(c for _, _, c in runs)
        rss = max(r for _, r, _ in runs)
        raw, distinct, detail = peer_counts(out)
        print(f"{label}: {runs} (wall s, KiB, CPU s), {raw} issues")
        rows.append(
            f"| {label} | {args.peer_runs} | {wall:.2f} | {wall / ours_wall:.1f}x | {cpu:.2f} | "
            f"{cpu / ours_cpu:.1f}x | {rss / 1024:.0f} | {raw} issues, {distinct} distinct "
            f"(rule, path, secret) |"
        )
        notes.append(f"- {label} issues by rule: {detail}.")
    shutil.rmtree(tmp, ignore_errors=True)

    body = (
        f"Full history of requests ({commits:,} commits, one branch), trufflehog3 "
        f"{peer_version()} in its default git mode (history up to `--depth` 10000 plus the "
        "working tree) vs `launchready history`. Wall time with process start; peak RSS is GNU "
        "`time` `%M`, the largest single process of the tree (launchready scans with two "
        "processes here, so its tree total is higher); CPU is user+sys of the whole tree, the "
        "steadier number when other work shares the 2 cores. trufflehog3 reports every commit an "
        "issue appears in; launchready reports each secret once with the commit that "
        "introduced it.\n\n"
        "| Tool | runs | wall s (median) | wall ratio | CPU s (user+sys) | CPU ratio | peak RSS MB "
        "| findings |\n"
        "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n" + "\n".join(notes) + "\n\n"
        f"Command: `python bench/bench_trufflehog.py --runs {args.runs} --peer-runs "
        f"{args.peer_runs} --write`\n"
    )
    print(body)
    if args.write:
        replace_section("trufflehog3", body)


if __name__ == "__main__":
    main()
