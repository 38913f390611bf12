"""Time a four-step synthetic journey (`launchready journey`) against a loopback chat app.

Usage: python bench/bench_journey.py [--runs 11] [--write]

The app is the test suite's (tests/journey/app.py: a threaded HTTP/1.1 server on 127.0.0.1
with signup, login setting a session cookie, chat creation and a streamed SSE reply). The
journey is the one a team would write for it: signup -> login (capture the cookie) ->
create-chat (capture the id) -> send-message (read the SSE stream to `data: [DONE]`).

Measured in the same run, interleaved, median of --runs each:
- `launchready journey` as a subprocess (the real CLI, interpreter start included), the
  way the scheduled workflow runs it;
- the same four requests in-process through the journey runner (no interpreter start);
- peers doing the same four requests with no checking at all: four `curl` processes
  sharing a cookie jar (what a shell-script monitor does) and a bare `requests` script
  in a subprocess (interpreter start included).
Plus a broken app whose reply never finishes, to show the run ends at the step's limit.
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
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

REQUESTS_SCRIPT = r"""
import sys, uuid, requests
base = sys.argv[1]
s = requests.Session()
email, pw = f"bench+{uuid.uuid4().hex[:8]}@example.test", "Bench-" + uuid.uuid4().hex
assert s.post(base + "api/signup", json={"email": email, "password": pw}).status_code == 201
assert s.post(base + "api/login", json={"email": email, "password": pw}).status_code == 200
chat = s.post(base + "api/chats", json={"title": "bench"}).json()["id"]
r = s.post(base + f"api/chats/{chat}/messages", json={"message": "hi"}, stream=True)
assert b"[DONE]" in b"".join(r.iter_content(None))
"""


def curl_run(base: str, tmp: Path) -> float:
    import uuid

    jar = tmp / f"jar-{uuid.uuid4().hex}"
    email, pw = f"bench+{uuid.uuid4().hex[:8]}@example.test", "Bench-" + uuid.uuid4().hex
    common = ["curl", "-sS", "--fail", "-b", str(jar), "-c", str(jar), "-H", "Content-Type: application/json"]
    start = time.perf_counter()
    subprocess.run(
        [*common, "-d", json.dumps({"email": email, "password": pw}), base + "api/signup"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*common, "-d", json.dumps({"email": email, "password": pw}), base + "api/login"],
        check=True,
        capture_output=True,
    )
    chat = json.loads(
        subprocess.run([*common, "-d", "{}", base + "api/chats"], check=True, capture_output=True).stdout
    )["id"]
    out = subprocess.run(
        [*common, "-N", "-d", '{"message": "hi"}', base + f"api/chats/{chat}/messages"], check=True, capture_output=True
    ).stdout
    assert b"[DONE]" in out
    return time.perf_counter() - start


def cli_run(base: str, tmp: Path, doc: dict) -> tuple[float, list[int], int]:  # type: ignore[type-arg]
    from tests.journey.app import write_config

    write_config(tmp / ".launchready.yml", doc)
    out = tmp / "report.json"
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", "journey", "--json", str(out), "-q", "--exit-zero"],
        cwd=tmp,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"launchready journey failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(out.read_text())
    return wall, [c["duration_ms"] for c in report["checks"]], sum(1 for c in report["checks"] if c["status"] == "pass")


def inproc_run(base: str, doc: dict) -> tuple[float, int]:  # type: ignore[type-arg]
    from launchready.config import Config
    from launchready.journey.config import load_journey
    from launchready.journey.runner import run_journey
    from launchready.journey.values import Values
    from launchready.live.http import Budget, Client, HttpOptions

    s = load_journey(Config(raw=doc))
    start = time.perf_counter()
    client = Client(HttpOptions(), Budget(requests=50, seconds=60, per_check=50), in_flight=1)
    try:
        checks = run_journey(s, base, client, Values(email_domain=s.email_domain), {})
    finally:
        client.close()
    return time.perf_counter() - start, sum(1 for c in checks if c.status.value == "pass")


def main() -> None:
    from tests.journey.app import ChatApp, journey_config

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    have_curl = shutil.which("curl") is not None
    load = os.getloadavg()[0]
    times: dict[str, list[float]] = {"cli": [], "inproc": [], "curl": [], "requests": []}
    steps: list[list[int]] = []
    with tempfile.TemporaryDirectory(prefix="bench-journey-") as tmpd, ChatApp() as app:
        tmp = Path(tmpd)
        doc = journey_config(app.url)
        (tmp / "bare.py").write_text(REQUESTS_SCRIPT)
        for _ in range(args.runs):
            wall, ms, passed = cli_run(app.url, tmp, doc)
            assert passed == 4, "the journey must pass on the good app"
            times["cli"].append(wall)
            steps.append(ms)
            wall, passed = inproc_run(app.url, doc)
            assert passed == 4
            times["inproc"].append(wall)
            if have_curl:
                times["curl"].append(curl_run(app.url, tmp))
            start = time.perf_counter()
            subprocess.run([sys.executable, str(tmp / "bare.py"), app.url], check=True)
            times["requests"].append(time.perf_counter() - start)
        sent = len(app.log)
    with tempfile.TemporaryDirectory(prefix="bench-journey-") as tmpd, ChatApp(broken="reply-never-finishes") as app:
        broken_wall, broken_ms, _ = cli_run(app.url, Path(tmpd), journey_config(app.url, stream_limit_ms=2000))
    med = {k: statistics.median(v) for k, v in times.items() if v}
    per_step = [statistics.median(s[i] for s in steps) for i in range(4)]
    base = med.get("curl", med["requests"])
    rows = [
        ("`launchready journey` (subprocess, 4 checks + report)", "cli"),
        ("journey runner in-process (no interpreter start)", "inproc"),
        ("4 × `curl` with a cookie jar (no checks)", "curl"),
        ("bare `requests` script (subprocess, no checks)", "requests"),
    ]
    lines = [
        "Four-step journey (signup → login with a session cookie → create chat → send a message and read the "
        "SSE reply to `data: [DONE]`) against the loopback chat app of tests/journey/app.py "
        f"(threaded `http.server`, HTTP/1.1, 127.0.0.1). {args.runs} interleaved runs each, median wall time; "
        f"{sent} requests served in total, every launchready run passed all 4 steps. Load average at the start: "
        f"{load:.1f} on {os.cpu_count()} CPUs (the machine is shared: compare the ratios, measured in the same run).\n",
        "| Runner | wall ms (median) | ratio to curl |",
        "|---|---|---|",
    ]
    for label, key in rows:
        if key in med:
            lines.append(f"| {label} | {med[key] * 1000:.0f} | {med[key] / base:.2f}x |")
    lines += [
        "",
        "Per-step latency reported by launchready (median ms): "
        + ", ".join(
            f"{n} {v:.0f}" for n, v in zip(("signup", "login", "create-chat", "send-message"), per_step, strict=True)
        )
        + ".",
        f"A reply that never finishes (limit 2000 ms): the run ends in {broken_wall * 1000:.0f} ms wall, the step "
        f"took {broken_ms[3]} ms and is `fail`; nothing waits for a socket timeout.",
        "",
        f"Command: `python bench/bench_journey.py --runs {args.runs} --write`",
        "",
    ]
    body = "\n".join(lines)
    print(body)
    if args.write:
        from results import replace_section

        replace_section("journey", body)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
