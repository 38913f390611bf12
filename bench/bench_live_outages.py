"""Time `launchready live` against sites that cannot be judged: one that accepts connections
and never answers, and nginx in front of an app that is down (502). Real nginx on loopback.

Usage: python bench/bench_live_outages.py [--repeat 3] [--write]

The hanging site is the issue-13 case (`launchready live --url` took 111 s before): it must be
judged (every check `error`, none `pass`) within twice the request timeout. Runs at the
default timeout (10 s) and at --timeout 2; the app-down run uses the tests' full config
(input, rate-limit, authz endpoints) so the checks that depend on the app say why they
could not judge. The interpreter start is included (subprocess).
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
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


def run(cmd_args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, dict[str, int], int]:
    out = cwd / "report.json"
    cmd = [sys.executable, "-m", "launchready", "live", *cmd_args, "--json", str(out), "-q", "--exit-zero"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"launchready live failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(out.read_text())
    statuses: dict[str, int] = {}
    for c in report["checks"]:
        statuses[c["status"]] = statuses.get(c["status"], 0) + 1
    return wall, statuses, int(report["summary"]["requests_sent"])


def main(argv: list[str]) -> int:
    from tests.live_real.conftest import CONFIG
    from tests.live_real.servers import HOST, Deployment, Stack, hanging_server

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    rows: list[tuple[str, str, float, float, dict[str, int], int, float]] = []
    with tempfile.TemporaryDirectory(prefix="bench-outage-") as tmp_s:
        tmp = Path(tmp_s)
        (tmp / "stack").mkdir()
        down = Deployment("down", "down", True)
        with Stack(tmp / "stack", [down]) as stack:
            env = {**os.environ, "LR_REAL_TOKEN_A": stack.secrets.token_a, "LR_REAL_TOKEN_B": stack.secrets.token_b}
            net = ["--ca-bundle", str(stack.ca_path)]
            for timeout in (10.0, 2.0):
                with hanging_server() as port:
                    work = tmp / f"hang{timeout:g}"
                    work.mkdir()
                    url = f"https://{HOST}:{port}/"
                    cmd = ["--url", url, "--resolve", f"{HOST}:{port}:127.0.0.1", *net, "--timeout", f"{timeout:g}"]
                    runs = [run(cmd, work, env) for _ in range(args.repeat)]
                walls = [r[0] for r in runs]
                rows.append(
                    (
                        "accepts, never answers",
                        f"`--url`, --timeout {timeout:g}",
                        statistics.median(walls),
                        max(walls),
                        runs[-1][1],
                        runs[-1][2],
                        timeout,
                    )
                )
            work = tmp / "down"
            work.mkdir()
            (work / ".launchready.yml").write_text(CONFIG.format(url=down.url, host=HOST, http_port=down.http_port))
            cmd = [
                *net,
                "--resolve",
                f"{HOST}:{down.https_port}:127.0.0.1",
                "--resolve",
                f"{HOST}:{down.http_port}:127.0.0.1",
            ]
            runs = [run(cmd, work, env) for _ in range(args.repeat)]
            walls = [r[0] for r in runs]
            rows.append(
                (
                    "nginx, app down (502)",
                    "full config (input, rate limit, authz)",
                    statistics.median(walls),
                    max(walls),
                    runs[-1][1],
                    runs[-1][2],
                    10.0,
                )
            )
    lines = [
        f"`launchready live` (subprocess) against sites that cannot be judged, real nginx on loopback; median of {args.repeat} runs. "
        "Target: the hanging site judged (every check `error` or `skip`, none `pass`) within twice the request timeout "
        "(before issue 13: 111 s at the default timeout).\n",
        "| Site | run | median wall (s) | max (s) | limit (2 x timeout) | check statuses | sent |",
        "|---|---|---|---|---|---|---|",
    ]
    for site, how, med, worst, statuses, sent, timeout in rows:
        st = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        lines.append(f"| {site} | {how} | {med:.2f} | {worst:.2f} | {2 * timeout:g} | {st} | {sent} |")
    lines += ["", f"Command: `python bench/bench_live_outages.py --repeat {args.repeat} --write`"]
    body = "\n".join(lines) + "\n"
    print(body)
    ok = all(
        worst < 2 * timeout and statuses.get("pass", 0) == 0
        for site, _, _, worst, statuses, _, timeout in rows
        if site.startswith("accepts")
    )
    if args.write:
        from results import replace_section

        replace_section("live-outages", body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
