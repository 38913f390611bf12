"""``secret.*`` and ``env.*`` findings on public AI app repositories, judged by hand.

The repositories are fetched by the reader (never committed); this script takes their git
directories (bare mirrors or clones), makes a working copy of HEAD, runs ``launchready scan``
on it and ``launchready history`` on the whole history, and compares every finding with the
verdicts in ``bench/real_repos_labels.json`` (keyed by repo, mode, rule, path and line; a
finding without a verdict is listed as ``unjudged``). Nothing secret-looking is printed:
findings are shown as rule, path and line only.

    python bench/real_repos.py GIT_DIR [GIT_DIR ...] [--write] [--details]

A repository's name is taken from its mirror path (``owner+name``) or its directory name.
Blobs missing from a partial mirror (large files the mirror left out) are skipped in the
working copy and replaced by an empty blob (``git replace``) for history, and counted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "real_repos_labels.json"
sys.path.insert(0, str(HERE))

from results import replace_section  # noqa: E402


def _git(git_dir: Path, *args: str, input: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], input=input, capture_output=True, check=True
    ).stdout


def repo_name(git_dir: Path) -> str:
    parts = git_dir.resolve().parts
    for p in reversed(parts):
        if "+" in p:
            return p.replace("+", "/", 1)
    return parts[-1] if parts[-1] not in ("repo", ".git") else parts[-2]


def clone(src: Path, dest: Path) -> int:
    """A clone of ``src`` at ``dest`` with HEAD checked out; returns how many blobs were missing."""
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(src), str(dest)], check=True, capture_output=True)
    gd = dest / ".git"
    missing = [
        line[1:]
        for line in _git(gd, "rev-list", "--objects", "--all", "--missing=print").decode().split()
        if line.startswith("?")
    ]
    if missing:
        empty = _git(gd, "hash-object", "-w", "--stdin", input=b"").decode().strip()
        for sha in missing:
            _git(gd, "replace", "-f", sha, empty)
    subprocess.run(["git", "-C", str(dest), "checkout", "-q", "HEAD", "--", "."], check=True, capture_output=True)
    return len(missing)


def run(cmd: list[str], cwd: Path, src: Path | None = None) -> tuple[list[dict[str, object]], float]:
    """``launchready CMD`` in ``cwd``: its ``secret.*`` and ``env.*`` findings and its wall time.
    ``src``: another checkout's sources to run instead of this one's (a directory holding the
    ``launchready`` package)."""
    out = cwd.parent / f"{cmd[0]}.json"
    env = {**os.environ, "PYTHONPATH": str(src)} if src is not None else None
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", *cmd, "--json", str(out), "--exit-zero", "-q"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"launchready {cmd[0]} failed ({proc.returncode}) in {cwd}: {proc.stderr[-2000:]}")
    findings = [f for f in json.loads(out.read_text())["findings"] if str(f["rule_id"]).startswith(("secret.", "env."))]
    return findings, wall


def key(repo: str, mode: str, f: dict[str, object]) -> str:
    return f"{repo} {mode} {f['rule_id']} {f['path']}:{f['line']}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("git_dirs", nargs="+", type=Path)
    ap.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    ap.add_argument("--details", action="store_true", help="print each finding with its verdict")
    args = ap.parse_args()
    labels: dict[str, dict[str, str]] = json.loads(LABELS.read_text()) if LABELS.exists() else {}
    rows = []
    totals: Counter[str] = Counter()
    for gd in args.git_dirs:
        name = repo_name(gd)
        with tempfile.TemporaryDirectory(prefix="lr-real-") as tmp:
            work = Path(tmp) / "repo"
            missing = clone(gd, work)
            commit = _git(work / ".git", "rev-parse", "HEAD").decode().strip()
            commits = int(_git(work / ".git", "rev-list", "--count", "HEAD").decode())
            counts: dict[str, Counter[str]] = {}
            for mode, cmd in (("scan", ["scan", "."]), ("history", ["history"])):
                findings, wall = run(cmd, work)
                c: Counter[str] = Counter()
                for f in findings:
                    verdict = labels.get(key(name, mode, f), {}).get("verdict", "unjudged")
                    c[verdict] += 1
                    totals[f"{mode} {verdict}"] += 1
                    if args.details:
                        why = labels.get(key(name, mode, f), {}).get("why", "")
                        print(f"{verdict:8} {key(name, mode, f)} [{f['severity']}] {why}")
                counts[mode] = c
                counts[mode + "_wall"] = Counter({"s": round(wall * 100)})
            rows.append((name, commit[:12], commits, missing, counts))
            print(
                f"{name} {commit[:12]}: scan {dict(counts['scan'])}, history {dict(counts['history'])}", file=sys.stderr
            )

    def cell(c: Counter[str]) -> str:
        n = sum(c.values())
        extra = f", {c['unjudged']} unjudged" if c["unjudged"] else ""
        return f"{n} ({c['true']} true, {c['false']} false{extra})"

    lines = [
        "`secret.*` and `env.*` findings of `launchready scan .` at HEAD and `launchready history` "
        "(whole history) on public AI chatbot repositories, every finding read by hand and judged "
        "true (a real credential, or a real hygiene problem such as a committed `.env`) or false. "
        "Verdicts and reasons: `bench/real_repos_labels.json`.",
        "",
        "| Repository | HEAD | commits | scan findings | history findings |",
        "|---|---|---|---|---|",
    ]
    for name, commit, commits, missing, counts in rows:
        note = f" ({missing} large blobs absent from the mirror)" if missing else ""
        lines.append(f"| {name} | {commit} | {commits}{note} | {cell(counts['scan'])} | {cell(counts['history'])} |")
    judged = {m: (totals[f"{m} true"], totals[f"{m} false"]) for m in ("scan", "history")}
    t_all = sum(t for t, _ in judged.values())
    f_all = sum(f for _, f in judged.values())
    share = f"{t_all / (t_all + f_all):.2f}" if t_all + f_all else "n/a"
    lines += [
        "",
        f"Total: scan {judged['scan'][0]} true / {judged['scan'][1]} false, history {judged['history'][0]} true / "
        f"{judged['history'][1]} false; share true {share} (target at least 0.9).",
        "",
        "Before issue 12 (main at 16fe26e, same repositories and commits, judged the same way): scan 100 findings "
        "(3 true, 97 false: translated UI labels, test-fixture passwords, placeholders in `.env.example`, model names "
        "under `OPENAI_*` names, an empty `NEXT_PUBLIC_*_ORGANIZATION_ID` reported critical, Supabase's local demo "
        "JWT, a TypeScript `_auth: AuthContext` parameter, local-dev database URLs), history 73 (7 true, 66 false: "
        "the same classes plus `!!process.env.X`, template literals, token counts and a committed virtualenv's "
        "`site-packages`).",
        "",
        "Command: `python bench/real_repos.py /work/.mirror/*/repo --write` (git directories fetched with the search tools' `fetch`)",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        replace_section("real-repos", text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
