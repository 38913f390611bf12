"""Time a whole `launchready live` run against a local fixture deployment with 10 endpoints.

Usage: python bench/bench_live.py [--repeat 5] [--write]

Starts the test suite's loopback deployment (tests/live/apps.py: an HTTPS site with a
throwaway CA, a plain-HTTP entry point, a JSON API with rate limits and per-user objects)
with 10 extra API endpoints, writes its .launchready.yml, and runs `launchready live` as a
subprocess (the real CLI, interpreter start included) with --ca-bundle and --resolve. Every
check runs: TLS (with legacy-protocol probes), redirects, HSTS, headers, cookies, CDN, CORS
(3 endpoints), exposure, bundle scan, input, authz, latency (11 endpoints x 5 samples) and
two rate-limit bursts. Reports the median wall time and requests sent against the budget,
for the good and the flawed deployment, at the default concurrency (4) and at 1 (the
sequential baseline, measured in the same run). Target: < 10 s wall within the budget.
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
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

ENDPOINTS = 10


def one_run(flawed: bool, concurrency: int) -> tuple[float, int, int, int, dict[str, int]]:
    from live.apps import deployed

    with (
        tempfile.TemporaryDirectory(prefix="bench-live-") as tmp,
        deployed(Path(tmp), flawed=flawed, endpoints=ENDPOINTS) as app,
    ):
        env = {**os.environ, **app.env}
        out = Path(tmp) / "report.json"
        cmd = [
            sys.executable,
            "-m",
            "launchready",
            "live",
            *app.net_args(),
            "--concurrency",
            str(concurrency),
            "--json",
            str(out),
            "-q",
            "--exit-zero",
        ]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"launchready live failed ({proc.returncode}): {proc.stderr[-2000:]}")
        report = json.loads(out.read_text())
        served = len(app.https.log) + len(app.http.log)
        budget = int(
            json.loads(json.dumps(__import__("yaml").safe_load(app.config.read_text())))["live"]["budget"]["requests"]
        )
        statuses: dict[str, int] = {}
        for c in report["checks"]:
            statuses[c["status"]] = statuses.get(c["status"], 0) + 1
        return wall, report["summary"]["requests_sent"], served, budget, statuses


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    rows = []
    for flawed in (False, True):
        for conc in (4, 1):
            runs = [one_run(flawed, conc) for _ in range(args.repeat)]
            walls = [r[0] for r in runs]
            _, sent, served, budget, statuses = runs[-1]
            rows.append((flawed, conc, statistics.median(walls), max(walls), sent, served, budget, statuses))
            print(
                f"{'flawed' if flawed else 'good':6} concurrency={conc}: median {statistics.median(walls):.2f}s "
                f"max {max(walls):.2f}s, {sent} sent ({served} HTTP requests served), budget {budget}, {statuses}"
            )
    base = {flawed: med for flawed, conc, med, *_ in rows if conc == 1}
    lines = [
        f"Whole `launchready live` run (subprocess, every check area) against the loopback fixture deployment with "
        f"{ENDPOINTS} extra API endpoints; median of {args.repeat} runs. `sent` counts HTTP requests plus TLS handshakes; "
        f"`served` is what the fixture servers saw. Target: < 10 s wall, within the request budget.\n",
        "| Deployment | concurrency | median wall (s) | max (s) | ratio vs concurrency 1 | sent / budget | served | check statuses |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for flawed, conc, med, worst, sent, served, budget, statuses in rows:
        st = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        lines.append(
            f"| {'flawed' if flawed else 'good'} | {conc} | {med:.2f} | {worst:.2f} | {med / base[flawed]:.2f} | {sent} / {budget} | {served} | {st} |"
        )
    lines.append("")
    lines.append(f"Command: `python bench/bench_live.py --repeat {args.repeat} --write`")
    body = "\n".join(lines) + "\n"
    print(body)
    ok = all(med < 10 and sent <= budget for _, _, med, _, sent, _, budget, _ in rows)
    if args.write:
        from results import replace_section

        replace_section("live", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
