"""Where a history scan's Python CPU goes, phase by phase, for several checkouts side by side:
importing the scanner, building the rule set, compiling every rule (what the parent does
before it forks), and scanning a recorded ``git log -p`` of the whole history (what both
ends do between them). git's own CPU is left out: each checkout's ``log_command`` is run
once to record its log, so the scan phase measures only our code.

    python bench/bench_history_phases.py [--variant LABEL=DIR]... [--runs 5] [--write SECTION] REPO...

Each ``--variant`` runs another checkout's sources (``git archive <rev> | tar -x -C DIR``),
so the cost of what was added between two commits is measured on one machine in one run.
Every number is the median of ``--runs`` fresh processes (CPU time of that process).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results import publish  # noqa: E402

# Run in a fresh interpreter with the variant's sources first on the path. Prints one JSON line.
PHASES = r"""
import io, json, sys, time
t0 = time.process_time()
from pathlib import Path
from launchready.config import Config
from launchready.registry import rule_set
from launchready.secrets.engine import Engine
from launchready.history.gitlog import read_commits
from launchready.history.ignore import GitleaksIgnore
from launchready.history.occurrences import Collector
import launchready.history.scan  # noqa: F401 - what the history command imports
t1 = time.process_time()
root, log = Path(sys.argv[1]), Path(sys.argv[2])
engine = Engine(rule_set(Config(), root).rules)
t2 = time.process_time()
engine.compile_all()
t3 = time.process_time()
commits = list(read_commits(io.BufferedReader(io.BytesIO(log.read_bytes()))))
t4 = time.process_time()
collector = Collector(engine, GitleaksIgnore(), (), 0, root)
for commit in commits:
    collector.add_commit(commit)
result = collector.finish()
t5 = time.process_time()
print(json.dumps({
    "imports": t1 - t0, "rules": t2 - t1, "compile": t3 - t2, "parse": t4 - t3, "scan": t5 - t4,
    "n_rules": len(engine.rules), "n_keywords": len({k.lower() for r in engine.rules for k in r.keywords}),
    "secrets": len(result.records),
}))
"""

RECORD = r"""
import subprocess, sys
from pathlib import Path
from launchready.history.logproc import log_command
out = subprocess.run(log_command(Path(sys.argv[1]), ["--all"]), capture_output=True, check=True).stdout
Path(sys.argv[2]).write_bytes(out)
"""


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is None:
        env.pop("PYTHONPATH", None)
    else:
        env["PYTHONPATH"] = str(src / "src")
    return env


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("repos", nargs="+", type=Path)
    ap.add_argument("--variant", action="append", default=[], metavar="LABEL=DIR", help="sources in DIR/src")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--write", metavar="SECTION", help="update this section of bench/RESULTS.md")
    a = ap.parse_args()
    variants: list[tuple[str, Path | None]] = []
    for spec in a.variant or ["installed="]:
        label, where = spec.split("=", 1)
        variants.append((label, Path(where).resolve() if where else None))
    tmp = Path(tempfile.mkdtemp(prefix="bench-phases-"))
    lines = [
        "### History's Python CPU per phase, version by version (issue 14)",
        "",
        f"Python CPU per phase (seconds, median of {a.runs} fresh processes; git's own CPU not included):",
        "",
        "| History | Code | rules | keywords | import | rule set | compile all | parse log | scan log | total | secrets |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for repo in [r.resolve() for r in a.repos]:
        logs = {}
        for label, where in variants:
            logs[label] = tmp / f"{repo.name}-{label}.log"
            subprocess.run([sys.executable, "-c", RECORD, str(repo), str(logs[label])], env=_env(where), check=True)
        samples: dict[str, list[dict[str, float]]] = {label: [] for label, _ in variants}
        for _ in range(a.runs):  # interleaved, so a busy moment hits every variant alike
            for label, where in variants:
                out = subprocess.run(
                    [sys.executable, "-c", PHASES, str(repo), str(logs[label])],
                    env=_env(where),
                    capture_output=True,
                    text=True,
                    check=True,
                )
                samples[label].append(json.loads(out.stdout.strip().splitlines()[-1]))
        for label, _ in variants:
            runs = samples[label]

            def med(key: str, runs: list[dict[str, float]] = runs) -> float:
                return statistics.median(r[key] for r in runs)

            phases = ["imports", "rules", "compile", "parse", "scan"]
            total = statistics.median(sum(r[k] for k in phases) for r in runs)
            cells = " | ".join(f"{med(k):.3f}" for k in phases)
            lines.append(
                f"| {repo.name} | {label} | {int(med('n_rules'))} | {int(med('n_keywords'))} | {cells} | "
                f"{total:.3f} | {int(med('secrets'))} |"
            )
    lines += ["", f"Command: `python bench/bench_history_phases.py {' '.join(sys.argv[1:])}`"]
    publish("\n".join(lines), a.write)


if __name__ == "__main__":
    main()
