"""Engine throughput on one core: 50 MB made of copies of the requests checkout's text files.

Each copy of each file is scanned as its own text (``Engine.scan(text, path)``), as the
scanner does; decoding is done up front. Reports MB/s (median of ``--repeat`` passes) and
peak RSS. ``--prefilter`` compares the keyword prefilters on the same data:

- ``ahocorasick``: pyahocorasick automaton over the lower-cased text (what the engine uses)
- ``re``: one Python ``re`` alternation of all keywords over the lower-cased text
- ``re2``: one google-re2 ``(?i)`` alternation over the original text (no lower-casing)

    python bench/bench_throughput.py [--mb 50] [--repeat 3] [--write]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from launchready.secrets.engine import Engine  # noqa: E402
from launchready.secrets.rules import default_rules  # noqa: E402

DEFAULT_BUNDLE = Path("/work/shared/bench/requests.bundle")


def corpus(bundle: Path, mb: int) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "clone", "-q", str(bundle), f"{tmp}/r"], check=True)
        names = subprocess.run(
            ["git", "-C", f"{tmp}/r", "ls-files"], capture_output=True, text=True, check=True
        ).stdout.split()
        files = []
        for name in names:
            p = Path(tmp, "r", name)
            if not p.is_file() or p.is_symlink():
                continue
            data = p.read_bytes()
            if b"\0" in data[:8192]:
                continue  # binary: the scanner skips it too
            files.append((name, data.decode("utf-8", errors="replace")))
    target = mb * 1024 * 1024
    out: list[tuple[str, str]] = []
    total = 0
    copy = 0
    while total < target:
        for name, text in files:
            out.append((f"copy{copy}/{name}", text))
            total += len(text.encode("utf-8", errors="surrogatepass"))
            if total >= target:
                break
        copy += 1
    return out


def engine_pass(engine: Engine, texts: list[tuple[str, str]]) -> tuple[float, int]:
    t0 = time.perf_counter()
    n = 0
    for path, text in texts:
        n += len(engine.scan(text, path))
    return time.perf_counter() - t0, n


def prefilter_pass(kind: str, keywords: list[str], texts: list[tuple[str, str]]) -> tuple[float, int]:
    import re

    hits = 0
    if kind == "ahocorasick":
        import ahocorasick

        a = ahocorasick.Automaton()
        for k in keywords:
            a.add_word(k, k)
        a.make_automaton()
        t0 = time.perf_counter()
        for _, text in texts:
            for _hit in a.iter(text.lower()):
                hits += 1
    elif kind == "re":
        rx = re.compile("|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True)))
        t0 = time.perf_counter()
        for _, text in texts:
            for _m in rx.finditer(text.lower()):
                hits += 1
    else:
        import re2

        rx2 = re2.compile("(?i)" + "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True)))
        t0 = time.perf_counter()
        for _, text in texts:
            for _m in rx2.finditer(text):
                hits += 1
    return time.perf_counter() - t0, hits


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="replace the throughput section of bench/RESULTS.md")
    args = ap.parse_args()
    texts = corpus(args.bundle, args.mb)
    size = sum(len(t.encode("utf-8", errors="surrogatepass")) for _, t in texts) / 1e6
    rules = default_rules()
    engine = Engine(rules)
    engine_pass(engine, texts[:200])  # compile the regexes the data needs
    passes = [engine_pass(engine, texts) for _ in range(args.repeat)]
    med = statistics.median(t for t, _ in passes)
    found = passes[0][1]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    keywords = sorted({k for r in rules for k in r.keywords})
    lines = [
        f"Engine throughput on one core: {size:.1f} MB ({len(texts)} texts, copies of the requests checkout's "
        f"text files), {len(rules)} rules, median of {args.repeat} passes:",
        "",
        f"- **{size / med:.1f} MB/s** ({med:.2f} s per pass, {found} matches per pass), peak RSS {rss:.0f} MB (corpus held in memory)",
        "",
        f"Keyword prefilter alone on the same data ({len(keywords)} keywords), hits counted:",
        "",
        "| prefilter | s | MB/s | hits |",
        "|---|---|---|---|",
    ]
    for kind in ("ahocorasick", "re", "re2"):
        t, hits = min((prefilter_pass(kind, keywords, texts) for _ in range(2)), key=lambda x: x[0])
        lines.append(f"| {kind} | {t:.2f} | {size / t:.0f} | {hits} |")
    lines += [
        "",
        "Choice: the engine's keyword prefilter is one case-insensitive RE2 alternation over the UTF-8 "
        "bytes (no lower-casing; for non-ASCII text match offsets are converted incrementally, "
        "because google-re2's own str handling converts each offset from the start of the text). "
        "Inputs under 64 KB in total (a pre-commit hook's handful of files) use the pyahocorasick "
        "automaton instead: importing RE2 and compiling the alternation costs more than it saves "
        "there. Python `re` alternation is the slowest of the three.",
    ]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.write:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from results import replace_section

        replace_section("secrets-throughput", "### Secret engine throughput\n\n" + text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
