"""What config reading costs the pre-commit hook, before and after a change, and against
jsonschema (the library that could read the config instead of ``section_reader``).

Measured per process (CPU time, so a busy machine disturbs it less than wall time),
interleaved between the two source trees, medians:

- ``import launchready.cli``: what every hook run imports;
- ``launchready scan --staged`` in a repository with a ``.launchready.yml`` (rules, custom
  rule, exclude): the hook with a config to read;
- in process: reading that config (``load_config``) against validating the same document
  with jsonschema and ``schemas/config.schema.json``, and ``import jsonschema`` itself.

Usage: ``python bench/bench_config_reader.py [--base REF] [--runs N]`` (base default: the
merge base with main). Prints a markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = """\
version: 1
fail_on: high
exclude: [vendor/**, '*.min.js']
rules:
  disable: [secret.generic-assignment]
  custom:
    - id: acme
      regex: 'acme_[0-9]{12}'
      keywords: [acme_]
live:
  url: https://127.0.0.1:8443/
  budget: {requests: 100}
"""


def _tree(ref: str, dest: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def _cpu(cmd: list[str], cwd: Path, src: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, cwd=cwd, env=dict(os.environ, PYTHONPATH=str(src)), capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr.decode())
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _in_process(n: int) -> dict[str, float]:
    import yaml

    from launchready.config import load_config

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / ".launchready.yml"
        path.write_text(CONFIG)
        ours = []
        for _ in range(n):
            t = time.process_time()
            load_config(path)
            ours.append(time.process_time() - t)
    t = time.process_time()
    import jsonschema  # first import in this process

    import_js = time.process_time() - t
    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    doc = yaml.safe_load(CONFIG)
    theirs = []
    for _ in range(n):
        t = time.process_time()
        yaml.safe_load(CONFIG)  # the same parse our loader does, so only validation differs
        list(validator.iter_errors(doc))
        theirs.append(time.process_time() - t)
    return {"ours": statistics.median(ours), "jsonschema": statistics.median(theirs), "import_js": import_js}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default=None, help="git ref of the 'before' tree (default: merge base with main)")
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    base = (
        args.base
        or subprocess.run(
            ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"before": _tree(base, Path(tmp) / "before"), "after": ROOT / "src"}
        for src in trees.values():  # both from bytecode, as an installed package runs
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True)
        repo = Path(tmp) / "repo"
        repo.mkdir()
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        (repo / ".launchready.yml").write_text(CONFIG)
        (repo / "a.py").write_text("x = 1\n")
        subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
        cases = {
            "import launchready.cli": [sys.executable, "-c", "import launchready.cli"],
            "scan --staged, with a config": [sys.executable, "-m", "launchready", "scan", "--staged"],
        }
        res: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.runs):
            for case, cmd in cases.items():
                for name, src in trees.items():
                    res.setdefault((case, name), []).append(_cpu(cmd, repo, src))
    inproc = _in_process(200)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(
        f"_Measured {when} on {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()}._\n"
    )
    print(f"Process CPU time (user+sys), median of {args.runs} interleaved runs; before = `{base[:7]}`.\n")
    print("| Measure | before (ms) | after (ms) | ratio after/before |")
    print("|---|---|---|---|")
    for case in cases:
        b = statistics.median(res[(case, "before")]) * 1000
        a = statistics.median(res[(case, "after")]) * 1000
        print(f"| {case} | {b:.1f} | {a:.1f} | {a / b:.2f} |")
    print("\nIn process, the same config (median of 200):\n")
    print("| Measure | ms | ratio |")
    print("|---|---|---|")
    print(f"| ours: `load_config` (parse + every top-level check) | {inproc['ours'] * 1000:.2f} | 1.00 |")
    print(
        f"| peer: `yaml.safe_load` + jsonschema `iter_errors` | {inproc['jsonschema'] * 1000:.2f} | "
        f"{inproc['jsonschema'] / inproc['ours']:.2f} |"
    )
    print(f"| peer: first `import jsonschema` | {inproc['import_js'] * 1000:.1f} | |")
    print("\nCommand: `python bench/bench_config_reader.py`")


if __name__ == "__main__":
    main()
