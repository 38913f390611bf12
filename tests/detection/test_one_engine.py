"""One engine, one answer: the same content gives the same findings whichever path scans it.

Unit level: the RE2 keyword alternation (large inputs, ``scan``), the Aho-Corasick automaton
(small inputs, the hook) and the dense mode (history's keyword lines) must report the same
keyword hits and the same matches on every rule's true samples, the seeded corpus, the
syntax cases and keyword-overlap strings. End to end: ``scan --staged`` (the hook), ``scan``
and ``history`` on a real git repository holding the seeded corpus report the same secrets.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from pathlib import Path

import pytest
from tests.conftest import git

from launchready.demo.keygen import KeyGen
from launchready.secrets.engine import Engine, Match, _drop_overlaps
from launchready.secrets.rules import default_rules
from launchready.secrets.rules.pack import RULES

from .test_syntax import PASSWORD, PASSWORD_SYNTAXES, TOKEN, TOKEN_SYNTAXES

ROOT = Path(__file__).resolve().parents[2]


def _corpus_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("lr_bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def texts(tmp: Path) -> list[tuple[str, str]]:
    """(path, text): every rule's true samples, the seeded corpus, syntax cases, overlaps."""
    out = [(s.path, s.text) for seed in (1, 2, 3) for s in (KeyGen(seed).sample(r.id) for r in RULES)]
    corpus = _corpus_module().generate(tmp / "corpus", seed=7)
    out += sorted(corpus.files.items())
    out += [(p, t.format(v=TOKEN)) for t, p in TOKEN_SYNTAXES] + [
        (p, t.format(v=PASSWORD)) for t, p in PASSWORD_SYNTAXES
    ]
    g = KeyGen(1202)
    overlaps = [
        f"SMTPASSWORD={g.password(16)}",
        f"MAILPASSWORD={g.password(16)}",
        f"SECRETOKEN={g.chars(32)}",
        f"apikeysecret_key={g.chars(32)}",
        f"JWTSECRET_KEYS={g.chars(40)}",
        f"x=redisk-ant-admin01-{g.chars(40)}",
        f"KEY_PASSWORD_TOKEN_SECRET={g.chars(24)}",
        "smtpasswordsmtpassword " * 40,
    ]
    out += [
        (".env", "\n".join(overlaps) + "\n"),
        ("notes/ünïcode.md", "# café İstanbul\n" + "\n".join(overlaps) + "\n"),
    ]
    return out


def _key(ms: list[Match]) -> list[tuple[str, str, int, int, int]]:
    return [(m.rule.id, m.secret, m.start, m.line, m.column) for m in ms]


def test_every_path_gives_the_same_hits_and_matches(tmp_path: Path) -> None:
    re2 = Engine(default_rules(), prefilter="re2", re2_min=0)
    ac = Engine(default_rules(), prefilter="ahocorasick")
    samples = texts(tmp_path)
    assert len(samples) > 400
    for path, text in samples:
        assert list(re2._hits(text)) == list(ac._hits(text)), path
        want = _key(ac.scan(text, path))
        assert _key(re2.scan(text, path)) == want, path
        assert _key(re2.scan(text, path, dense=True)) == want, path


def test_concatenated_corpus_agrees(tmp_path: Path) -> None:
    """One large text (RE2 territory) scanned both ways, non-ASCII included."""
    big = "\n".join(t for _, t in texts(tmp_path)) * 2
    re2 = Engine(default_rules(), prefilter="re2", re2_min=0)
    ac = Engine(default_rules(), prefilter="ahocorasick")
    assert list(re2._hits(big)) == list(ac._hits(big))
    assert _key(re2.scan(big, "all.txt")) == _key(ac.scan(big, "all.txt"))


def test_overlapping_keywords_are_found_by_both_prefilters() -> None:
    pw = KeyGen(1203).password(16)
    for prefilter in ("re2", "ahocorasick"):
        eng = Engine(default_rules(), prefilter=prefilter, re2_min=0)
        assert [m.secret for m in eng.scan(f"SMTPASSWORD={pw}\n", ".env")] == [pw], prefilter


def test_overlap_removal_is_a_sweep() -> None:
    """16k overlapping matches in one file: linear after the sort, and the same answer as
    the pairwise definition (generic yields to specific, longer beats shorter)."""
    import time

    rules = default_rules()
    generic = next(r for r in rules if r.generic)
    specific = next(r for r in rules if not r.generic)
    order = {id(r): i for i, r in enumerate(rules)}
    ms = []
    for i in range(16_000):
        rule = specific if i % 3 == 0 else generic
        ms.append(Match(rule, "x" * 10, i * 5, i * 5 + 10 + (i % 4), 1, 1, 1, 1, ""))
    t0 = time.perf_counter()
    kept = _drop_overlaps(list(ms), order)
    took = time.perf_counter() - t0
    # the pairwise reference on a prefix (quadratic, so small)
    small = ms[:600]
    ref: list[Match] = []
    for m in sorted(small, key=lambda m: (m.start, m.rule.generic, -(m.end - m.start), order.get(id(m.rule), 0))):
        clash = next((k for k in ref if m.start < k.end and k.start < m.end), None)
        if clash is None:
            ref.append(m)
        elif clash.rule.generic and not m.rule.generic:
            ref[ref.index(clash)] = m
    assert _drop_overlaps(list(small), order) == ref
    assert all(a.end <= b.start for a, b in itertools.pairwise(kept))
    assert took < 2.0  # quadratic took seconds; the sweep takes milliseconds


def _commands_agree(run_cli, repo: Path, files: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    # a root commit first: fingerprints are salted per repository (from its root commits)
    git(repo, "commit", "-q", "--allow-empty", "-m", "root")
    for path, text in files.items():
        p = repo / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    git(repo, "add", "-A")

    def report(*args: str) -> list[dict[str, object]]:
        out = repo.parent / "r.json"
        run_cli([*args, "-q", "--exit-zero", "--json", str(out)], repo)
        data = json.loads(out.read_text())
        return [f for f in data["findings"] if str(f["rule_id"]).startswith("secret.")]

    staged = report("scan", "--staged")
    git(repo, "commit", "-q", "-m", "corpus")
    scanned = report("scan", ".")
    hist = report("history")
    where = lambda fs: sorted((f["rule_id"], f["path"], f["line"], f["fingerprint"]) for f in fs)  # noqa: E731
    assert staged, "the corpus holds secrets"
    assert not [f for f in staged + scanned + hist if "node_modules/" in str(f["path"])], (
        "vendored code is skipped alike"
    )
    assert where(staged) == where(scanned)
    # history reports each secret once (at its first place); every one is found
    assert {(f["rule_id"], f["fingerprint"]) for f in hist} == {(f["rule_id"], f["fingerprint"]) for f in scanned}


@pytest.mark.timeout(300)
def test_hook_scan_and_history_agree_on_the_corpus(repo: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = dict(_corpus_module().generate(tmp_path / "corpus", seed=11).files)
    g = KeyGen(1204)
    files[".env.local"] = f"SMTPASSWORD={g.password(16)}\nAPI_TOKEN ?= {g.chars(32)}\n"
    files["web/node_modules/some-sdk/index.js"] = f"const API_TOKEN = '{g.chars(32)}';\n"
    _commands_agree(run_cli, repo, files)


@pytest.mark.timeout(300)
def test_history_reads_a_notebook_as_scan_does_not_its_json_lines(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """In a notebook's JSON a cell's `os.environ["CLERK_…"] = "whsec_…"` reads
    `\\"CLERK_…\\"`: the name-based rule cannot see the name there, Stripe's shape rule can. `scan`
    reads only the decoded cells; history read the JSON lines too and reported the key twice,
    once as Stripe's. Both now give one answer."""
    g = KeyGen(1331)
    cell = f'import os\nos.environ["CLERK_WEBHOOK_SIGNING_SECRET"] = "whsec_{g.chars(32)}"\n'
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": cell.splitlines(keepends=True), "outputs": []}]}
    _commands_agree(run_cli, repo, {"notebooks/setup.ipynb": json.dumps(nb, indent=1) + "\n"})
    out = repo.parent / "nb.json"
    run_cli(["history", "-q", "--exit-zero", "--json", str(out)], repo)
    assert [f["rule_id"] for f in json.loads(out.read_text())["findings"]] == ["secret.svix-webhook-secret"]
