"""Recall and false-positive rate on labelled cases this project did not write, per family,
for launchready, gitleaks, detect-secrets and CredSweeper in one run (each with its default
configuration).

Data (read at run time from checkouts given by path; nothing of it is committed here):

- gitleaks (``--gitleaks DIR``, a checkout of github.com/gitleaks/gitleaks): every rule
  generator in ``cmd/generate/config/rules/*.go`` lists true (``tps``) and false (``fps``)
  samples; ``goexpr.py`` evaluates them (random parts drawn from the rule's own regex, as
  gitleaks does). One case = one sample written to its own file; a tool finds a case when
  it reports anything in that file. Path-keyed samples (``*.p12``) keep their file name.
- CredSweeper (``--credsweeper DIR``, a checkout of github.com/Samsung/CredSweeper): the
  files of ``tests/samples``, labelled by ``tests/data/output.json`` (CredSweeper's expected,
  ML-validated findings). One true case = one labelled (file, rule), found when a tool reports one of its lines; a file with no labelled
  line is a false case, found when a tool reports anything in it. These labels are
  CredSweeper's own output, so CredSweeper's recall on them is high by construction (as is
  gitleaks' on its own samples): read the peers' rows with that in mind.

    python bench/thirdparty_accuracy.py --gitleaks /path/gitleaks --credsweeper /path/CredSweeper \
        [--write] [--misses FILE]

``--misses FILE`` writes, per family, the rule (gitleaks rule id / CredSweeper rule name)
of every true case launchready misses, with counts; never a secret value.

Two views. The raw view counts every labelled true case. The credential-only view leaves out,
for every tool alike, the true cases that hold no credential anyone could use: public
identifiers, values whose checksum is wrong, fixed placeholders, values in a shape the provider
never issues, empty files. Each is listed with its reason in ``bench/thirdparty_exclusions.json``
and the run prints how many cases each entry left out and how many of them each tool reported.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import accuracy  # noqa: E402
from accuracy import _bin  # noqa: E402
from goexpr import rule_samples  # noqa: E402

FAMILIES = ("AI providers", "VCS and CI", "chat", "cloud", "payment", "private keys", "generic", "other SaaS")

# Which family a peer's rule belongs to, by words in its id / name (first match wins).
_FAMILY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "private keys",
        ("private-key", "private key", "pkcs12", "age-secret", "pem", "putty", "ppk", "ssh", "certificate"),
    ),
    (
        "AI providers",
        (
            "openai",
            "anthropic",
            "antrhropic",
            "cohere",
            "huggingface",
            "hugging",
            "perplexity",
            "privateai",
            "groq",
            "deepseek",
            "mistral",
            "replicate",
            "gemini",
            "bedrock",
            "langsmith",
            "xai",
            "openrouter",
        ),
    ),
    (
        "VCS and CI",
        (
            "azure devops",
            "azure-devops",
            "github",
            "gitlab",
            "bitbucket",
            "travisci",
            "droneci",
            "circleci",
            "jfrog",
            "artifactory",
            "sonar",
            "codecov",
            "harness",
            "octopus",
            "npm",
            "pypi",
            "rubygems",
            "clojars",
            "nuget",
            "atlassian",
            "jira",
            "azure devops",
            "buildkite",
            "snyk",
            "sourcegraph",
            "gitter",
            "infracost",
            "settlemint",
            "prefect",
        ),
    ),
    ("chat", ("slack", "discord", "telegram", "teams", "mattermost", "sendbird", "twitch", "messagebird")),
    (
        "cloud",
        (
            "aws",
            "azure",
            "gcp",
            "google",
            "alibaba",
            "digitalocean",
            "digital_ocean",
            "digital ocean",
            "heroku",
            "yandex",
            "ibm",
            "oracle",
            "cloudflare",
            "openshift",
            "kubernetes",
            "scalingo",
            "firebase",
            "akamai",
            "tencent",
            "huawei",
            "fastly",
        ),
    ),
    (
        "payment",
        (
            "stripe",
            "square",
            "paypal",
            "braintree",
            "adyen",
            "razorpay",
            "paddle",
            "plaid",
            "flutterwave",
            "gocardless",
            "coinbase",
            "kraken",
            "kucoin",
            "bittrex",
            "finicity",
            "duffel",
            "shippo",
            "easypost",
            "freemius",
            "finnhub",
            "lemon",
        ),
    ),
)


def family(name: str) -> str:
    low = name.lower().replace("squarespace", "sqspace")
    for fam, words in _FAMILY_WORDS:
        if any(w in low for w in words):
            return fam
    return "generic" if _looks_generic(low) else "other SaaS"


def _looks_generic(low: str) -> bool:
    """A rule named by what a value is (password, token, key, secret) rather than by a provider."""
    words = set(re.split(r"[^a-z0-9]+", low)) - {""}
    generic = {
        "generic",
        "curl",
        "jwt",
        "password",
        "passwd",
        "secret",
        "token",
        "key",
        "credential",
        "credentials",
        "auth",
        "url",
        "cmd",
        "doc",
        "ip",
        "nonce",
        "salt",
        "api",
        "basic",
        "bearer",
        "pair",
        "id",
        "user",
        "sensitive",
        "header",
        "value",
        "secure",
        "string",
        "encoded",
        "encrypted",
        "certificate",
        "name",
        "access",
        "web",
        "authorization",
        "uri",
        "triple",
        "long",
        "term",
        "in",
        "get",
        "various",
    }
    return bool(words) and words <= generic


@dataclass(frozen=True)
class Case:
    source: str  # "gitleaks" or "credsweeper"
    rule: str  # the peer's rule id / name
    family: str
    positive: bool
    path: str  # relative to the case root
    lines: tuple[int, ...] | None  # the labelled lines; None: the whole file is the case
    excluded: str | None = None  # id of the exclusion that leaves it out of the credential-only view


# ---- building the cases -------------------------------------------------------------------------
def gitleaks_cases(checkout: Path, root: Path, seed: int) -> list[Case]:
    rules_dir = checkout / "cmd" / "generate" / "config" / "rules"
    cases: list[Case] = []
    for rs in rule_samples(rules_dir, seed):
        fam = family(rs.rule_id)
        for positive, samples in ((True, rs.tps), (False, rs.fps)):
            for n, (name, text) in enumerate(samples):
                kind = "tp" if positive else "fp"
                if name:
                    rel = f"gitleaks/{kind}/{rs.rule_id}/{n}/{Path(name).name}"
                else:
                    rel = f"gitleaks/{kind}/{rs.rule_id}/{n}.txt"
                p = root / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(text + ("\n" if text and not text.endswith("\n") else ""))
                cases.append(Case("gitleaks", rs.rule_id, fam, positive, rel, None))
    return cases


def credsweeper_cases(checkout: Path, root: Path) -> list[Case]:
    samples = checkout / "tests" / "samples"
    expected = json.loads((checkout / "tests" / "data" / "output.json").read_text())
    # One true case per (file, rule): a multi-line key labelled on each of its lines counts once.
    labelled: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for cand in expected:
        for ld in cand["line_data_list"]:
            rel = ld["path"].split("tests/samples/", 1)[-1]
            labelled[rel][cand["rule"]].add(int(ld["line_num"]))
    cases: list[Case] = []
    for src in sorted(samples.rglob("*")):
        if not src.is_file():
            continue
        rel = src.relative_to(samples).as_posix()
        dest = root / "credsweeper" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        out_rel = f"credsweeper/{rel}"
        if rel in labelled:
            for rule, lines in sorted(labelled[rel].items()):
                cases.append(Case("credsweeper", rule, family(rule), True, out_rel, tuple(sorted(lines))))
        else:
            cases.append(Case("credsweeper", rel, family(rel), False, out_rel, None))
    return cases


# ---- the credential-only view ------------------------------------------------------------------
EXCLUSIONS = HERE / "thirdparty_exclusions.json"
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _crc32_b62(data: str) -> str:
    n, out = zlib.crc32(data.encode()) & 0xFFFFFFFF, ""
    while n:
        n, r = divmod(n, 62)
        out = _B62[r] + out
    return out.rjust(6, "0")


def _github_crc32_invalid(text: str) -> bool:
    """Every gh?_/npm_ token in the text has a wrong checksum (and there is at least one)."""
    tokens = re.findall(r"(?<![A-Za-z0-9_])(?:gh[pousr]|npm)_([A-Za-z0-9]{30})([A-Za-z0-9]{6})(?![A-Za-z0-9_])", text)
    return bool(tokens) and all(_crc32_b62(body) != check for body, check in tokens)


def _case_text(root: Path, case: Case) -> str:
    text = (root / case.path).read_text(errors="replace")
    if case.lines is None:
        return text
    lines = text.splitlines()
    return "\n".join(lines[n - 1] for n in case.lines if 0 < n <= len(lines))


def load_exclusions() -> list[dict[str, object]]:
    data = json.loads(EXCLUSIONS.read_text())
    return list(data["exclusions"])


def mark_exclusions(cases: list[Case], root: Path, exclusions: list[dict[str, object]]) -> list[Case]:
    """The same cases, each true case that an exclusion entry matches carrying that entry's id."""
    out: list[Case] = []
    for c in cases:
        hit = None
        if c.positive:
            for ex in exclusions:
                if ex["source"] != c.source or c.rule not in ex["rules"]:  # type: ignore[operator]
                    continue
                text = _case_text(root, c)
                check = ex.get("check")
                if check == "empty_file":
                    ok = (root / c.path).stat().st_size == 0
                elif check == "github_crc32_invalid":
                    ok = _github_crc32_invalid(text)
                elif "match" in ex:
                    ok = re.search(str(ex["match"]), text) is not None
                else:
                    ok = True
                if ok:
                    hit = str(ex["id"])
                    break
        out.append(Case(c.source, c.rule, c.family, c.positive, c.path, c.lines, hit))
    return out


def exclusion_table(
    cases: list[Case], exclusions: list[dict[str, object]], hits_by_tool: dict[str, set[Hit] | None]
) -> list[str]:
    """Per exclusion entry: how many true cases it leaves out, and how many of those each tool reported."""
    tools = [t for t, h in hits_by_tool.items() if h is not None]
    lines = [
        "| exclusion | category | cases | " + " | ".join(f"{t} reported" for t in tools) + " | why |",
        "|---|---|---|" + "---|" * len(tools) + "---|",
    ]
    for ex in exclusions:
        mine = [c for c in cases if c.excluded == ex["id"]]
        found = []
        for t in tools:
            hits = hits_by_tool[t] or set()
            by_file = {p for p, _ in hits}
            found.append(str(sum(detected(c, hits, by_file) for c in mine)))
        lines.append(f"| {ex['id']} | {ex['category']} | {len(mine)} | " + " | ".join(found) + f" | {ex['reason']} |")
    return lines


# ---- running the tools --------------------------------------------------------------------------
Hit = tuple[str, int | None]  # (path, line); line None for a file-level finding


def run_launchready(root: Path) -> set[Hit]:
    out = root.parent / "lr.json"
    exe = _bin("launchready")
    cmd = [exe] if exe else [sys.executable, "-m", "launchready"]
    proc = subprocess.run(
        [*cmd, "scan", "--json", str(out), "--exit-zero", "-q", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"launchready failed ({proc.returncode}): {proc.stderr[-2000:]}")
    data = json.loads(out.read_text())
    OUR_RULES.clear()
    for f in data["findings"]:
        if f["rule_id"].startswith("secret."):
            OUR_RULES[f["path"]].add(f["rule_id"])
    return {(f["path"], f["line"]) for f in data["findings"] if f["rule_id"].startswith("secret.")}


# launchready's rule ids per file of the last run (for the false-alarm list of --misses).
OUR_RULES: dict[str, set[str]] = defaultdict(set)


def run_gitleaks(root: Path) -> set[Hit] | None:
    """The seeded yardstick's run (accuracy.py), with a file-level finding (line 0) as None."""
    found = accuracy.run_gitleaks(root)
    return None if found is None else {(path, line or None) for path, line in found}


def run_detect_secrets(root: Path) -> set[Hit] | None:
    found = accuracy.run_detect_secrets(root)
    return None if found is None else set(found)


def run_credsweeper(root: Path) -> set[Hit] | None:
    exe = _bin("credsweeper")
    if exe is None:
        return None
    out = root.parent / "cs.json"
    subprocess.run(
        [exe, "--path", ".", "--save-json", str(out), "--jobs", "2"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if not out.exists():
        return None
    hits: set[Hit] = set()
    for cand in json.loads(out.read_text() or "[]"):
        for ld in cand["line_data_list"]:
            path = ld["path"].replace("\\", "/")
            path = os.path.relpath(path, root) if os.path.isabs(path) else path.removeprefix("./")
            hits.add((path, int(ld["line_num"]) if ld.get("line_num", -1) > 0 else None))
    return hits


# ---- scoring ------------------------------------------------------------------------------------
def detected(case: Case, hits: set[Hit], by_file: set[str]) -> bool:
    if case.lines is None:
        return case.path in by_file
    return (case.path, None) in hits or any((case.path, n) in hits for n in case.lines)


def score(cases: list[Case], hits: set[Hit]) -> dict[str, dict[str, tuple[int, int]]]:
    """source -> family -> (hits, total), for true cases under 'tp:' and false cases under 'fp:'."""
    by_file = {p for p, _ in hits}
    out: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for c in cases:
        key = ("tp:" if c.positive else "fp:") + c.family
        found = detected(c, hits, by_file)
        for src in (c.source, "all"):
            keys = [key, "tp:ALL" if c.positive else "fp:ALL"]
            if c.positive and c.excluded is None:  # the credential-only view
                keys += ["cred:" + c.family, "cred:ALL"]
            for k in keys:
                cell = out[src][k]
                cell[1] += 1
                cell[0] += found
    return {s: {k: (v[0], v[1]) for k, v in fams.items()} for s, fams in out.items()}


def _ratio(cell: tuple[int, int] | None) -> str:
    if not cell or not cell[1]:
        return "–"
    return f"{cell[0] / cell[1]:.2f}"


def table(
    results: dict[str, dict[str, dict[str, tuple[int, int]]] | None],
    source: str,
    cases: list[Case],
    view: str = "tp",
) -> list[str]:
    """One row per tool; ``view`` "tp" counts every true case, "cred" the credential-only ones."""
    n_tp = Counter(
        c.family
        for c in cases
        if c.positive and (source == "all" or c.source == source) and (view == "tp" or c.excluded is None)
    )
    lines = [
        "| tool | " + " | ".join(f"{f} ({n_tp[f]})" for f in FAMILIES) + " | all true | false-positive rate |",
        "|---|" + "---|" * (len(FAMILIES) + 2),
    ]
    for tool, res in results.items():
        if res is None:
            lines.append(f"| {tool} | not installed |" + " |" * (len(FAMILIES) + 1))
            continue
        r = res.get(source, {})
        cells = [_ratio(r.get(f"{view}:" + f)) for f in FAMILIES]
        fp = r.get("fp:ALL", (0, 0))
        lines.append(
            f"| {tool} | " + " | ".join(cells) + f" | {_ratio(r.get(f'{view}:ALL'))} | {_ratio(fp)} ({fp[0]}/{fp[1]}) |"
        )
    return lines


def misses(cases: list[Case], hits: set[Hit]) -> str:
    by_file = {p for p, _ in hits}
    per: dict[str, Counter[str]] = defaultdict(Counter)
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cases:
        if not c.positive:
            continue
        name = f"{c.source}:{c.rule}"
        totals[c.family][name] += 1
        if not detected(c, hits, by_file):
            per[c.family][name + (f" [excluded: {c.excluded}]" if c.excluded else "")] += 1
    out = [
        "# Yardstick misses (launchready)",
        "",
        "True cases launchready misses, per family, as `source:rule missed/total` (no secret values);",
        "`[excluded: id]` marks misses the credential-only view leaves out (bench/thirdparty_exclusions.json).",
        "Regenerate: `python bench/thirdparty_accuracy.py --gitleaks DIR --credsweeper DIR --misses FILE`.",
        "",
    ]
    alarms: Counter[str] = Counter()
    for c in cases:
        if not c.positive and c.path in by_file:
            alarms[f"{c.source}:{c.rule} -> {', '.join(sorted(OUR_RULES.get(c.path, ())))}"] += 1
    out += ["## False cases launchready reports (case -> our rules)", ""]
    out += [f"- {k} ({n})" for k, n in sorted(alarms.items())] + [""]
    for fam in FAMILIES:
        items = per.get(fam)
        out.append(f"## {fam}: {sum(items.values()) if items else 0} missed of {sum(totals[fam].values())}")
        out.append("")
        for name, n in sorted((items or {}).items()):
            out.append(f"- {name} {n}/{totals[fam][name.split(' [', 1)[0]]}")
        out.append("")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gitleaks", type=Path, help="checkout of github.com/gitleaks/gitleaks")
    ap.add_argument("--credsweeper", type=Path, help="checkout of github.com/Samsung/CredSweeper (tests/ suffices)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tools", default="launchready,gitleaks,detect-secrets,credsweeper")
    ap.add_argument("--write", action="store_true", help="replace the third-party section of bench/RESULTS.md")
    ap.add_argument("--misses", type=Path, help="write launchready's missed true cases per family here")
    args = ap.parse_args()
    if not args.gitleaks and not args.credsweeper:
        ap.error("give --gitleaks and/or --credsweeper")
    runners = {
        "launchready": ("launchready", run_launchready),
        "gitleaks": ("gitleaks 8.30.1", run_gitleaks),
        "detect-secrets": ("detect-secrets 1.5", run_detect_secrets),
        "credsweeper": ("CredSweeper 1.19 (default, ML on)", run_credsweeper),
    }
    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "cases"
        root.mkdir()
        cases: list[Case] = []
        if args.gitleaks:
            cases += gitleaks_cases(args.gitleaks, root, args.seed)
        if args.credsweeper:
            cases += credsweeper_cases(args.credsweeper, root)
        exclusions = load_exclusions()
        cases = mark_exclusions(cases, root, exclusions)
        all_hits: dict[str, set[Hit] | None] = {}
        results: dict[str, dict[str, dict[str, tuple[int, int]]] | None] = {}
        timings: dict[str, float] = {}
        our_hits: set[Hit] = set()
        for key in wanted:
            label, run = runners[key]
            t0 = time.perf_counter()
            hits = run(root)
            timings[label] = time.perf_counter() - t0
            results[label] = None if hits is None else score(cases, hits)
            all_hits[label] = hits
            if key == "launchready" and hits is not None:
                our_hits = hits
    sources = sorted({c.source for c in cases})
    n_pos = Counter(c.source for c in cases if c.positive)
    n_neg = Counter(c.source for c in cases if not c.positive)
    text = [
        "Labelled cases from other scanners' public test data, one tool run over all of them "
        "(default configurations). Recall per family = true cases found / true cases (count in "
        "brackets); false-positive rate = false cases with any finding / false cases.",
        "",
    ]
    for src in [*sources, "all"] if len(sources) > 1 else sources:
        title = {
            "gitleaks": "gitleaks rule generators (`tps`/`fps`)",
            "credsweeper": "CredSweeper `tests/samples` labelled by its `tests/data/output.json`",
            "all": "both sets together",
        }[src]
        np_ = sum(n_pos.values()) if src == "all" else n_pos[src]
        nn = sum(n_neg.values()) if src == "all" else n_neg[src]
        text += [f"**{title}**: {np_} true, {nn} false cases.", "", *table(results, src, cases), ""]
    n_cred = sum(1 for c in cases if c.positive and c.excluded is None)
    text += [
        f"**Credential-only view, both sets**: the {n_cred} true cases that can be live credentials "
        f"({sum(n_pos.values()) - n_cred} left out for every tool alike: public identifiers, invalid "
        "checksums, fixed placeholders, impossible shapes, empty files; each listed below with its "
        "reason, from `bench/thirdparty_exclusions.json`). False cases as in the raw view.",
        "",
        *table(results, "all", cases, view="cred"),
        "",
        "What the credential-only view leaves out, and how many of those cases each tool reported anyway:",
        "",
        *exclusion_table(cases, exclusions, all_hits),
        "",
    ]
    text.append("Run time over all cases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()) + ".")
    text.append("")
    body = "\n".join(text) + "\n"
    sys.stdout.write(body)
    if args.misses and our_hits is not None:
        args.misses.write_text(misses(cases, our_hits))
    if args.write:
        from results import replace_section

        cmd = "Command: `python bench/thirdparty_accuracy.py --gitleaks <checkout> --credsweeper <checkout> --write`\n"
        replace_section(
            "thirdparty-accuracy", "### Secret detection on third-party labelled data\n\n" + body + "\n" + cmd
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
