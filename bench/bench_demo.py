"""Time `launchready demo` and `launchready demo --fixed` end to end (the README's promise:
well under 30 s, no network).

Usage: python bench/bench_demo.py [--repeat 5] [--write]

Each run is a subprocess of the real CLI (interpreter start included) in a fresh temporary
directory: deployment start (throwaway CA, HTTPS + HTTP + DNS on loopback), demo repository,
then scan --staged, scan --bundle, history, live (with email), the journey and the four report files.
Reports the median and max wall time, the exit code, and what the report holds. The peer for
the live part is `bench_live.py`; the demo's latency check alone takes 4 samples x ~650 ms
on the flawed deployment by design.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def one_run(fixed: bool) -> tuple[float, int, dict[str, int]]:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        args = [sys.executable, "-m", "launchready", "demo", "-q"] + (["--fixed"] if fixed else [])
        env = {**os.environ, "CI": "1"}
        start = time.perf_counter()
        proc = subprocess.run(args, cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
        wall = time.perf_counter() - start
        report = json.loads((Path(tmp) / "launchready-report" / "report.json").read_text())
        statuses: dict[str, int] = {}
        for c in report["checks"]:
            statuses[c["status"]] = statuses.get(c["status"], 0) + 1
        statuses["findings"] = len(report["findings"])
        statuses["requests"] = report["summary"]["requests_sent"]
        return wall, proc.returncode, statuses


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write", action="store_true", help="update the demo section of bench/RESULTS.md")
    opts = ap.parse_args()
    rows = []
    for fixed in (False, True):
        runs = [one_run(fixed) for _ in range(opts.repeat)]
        walls = [r[0] for r in runs]
        codes = sorted({r[1] for r in runs})
        st = runs[-1][2]
        checks = ", ".join(f"{k} {v}" for k, v in sorted(st.items()) if k not in ("findings", "requests"))
        rows.append(
            f"| {'demo --fixed' if fixed else 'demo'} | {statistics.median(walls):.2f} | {max(walls):.2f} "
            f"| {'/'.join(map(str, codes))} | {st['findings']} | {checks} | {st['requests']} |"
        )
    body = (
        f"`launchready demo` as a subprocess in a fresh directory, median of {opts.repeat} runs. "
        "Target: < 30 s wall, exit 1 (flawed) and 0 (fixed).\n\n"
        "| Command | median wall (s) | max (s) | exit | findings | check statuses | requests sent |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"Command: `python bench/bench_demo.py --repeat {opts.repeat} --write`\n"
    )
    print(body)
    if opts.write:
        from results import replace_section

        replace_section("demo", body)


if __name__ == "__main__":
    main()
