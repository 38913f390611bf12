"""The credential-only view of the third-party yardstick leaves cases out by a named, reasoned
list (bench/thirdparty_exclusions.json): every entry is complete, its pattern compiles, and the
checks it names do what they say on generated tokens."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from launchready.demo.keygen import KeyGen

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import thirdparty_accuracy as ta  # noqa: E402

CATEGORIES = {"public identifier", "invalid checksum", "fixed placeholder", "cannot be real", "nothing to leak"}


def test_every_exclusion_is_named_reasoned_and_compiles() -> None:
    entries = ta.load_exclusions()
    assert len({e["id"] for e in entries}) == len(entries)
    for e in entries:
        assert e["category"] in CATEGORIES, e["id"]
        assert e["source"] in ("gitleaks", "credsweeper"), e["id"]
        assert isinstance(e["rules"], list) and e["rules"], e["id"]
        assert len(str(e["reason"])) > 30, e["id"]
        assert e.get("check") in (None, "empty_file", "github_crc32_invalid"), e["id"]
        if "match" in e:
            re.compile(str(e["match"]))


def test_checksum_check_keeps_real_tokens(tmp_path: Path) -> None:
    good = KeyGen(41).github_classic()
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    cases = []
    for n, token in enumerate((good, bad)):
        rel = f"gitleaks/tp/github-pat/{n}.txt"
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f'githubToken = "{token}"\n')
        cases.append(ta.Case("gitleaks", "github-pat", "VCS and CI", True, rel, None))
    marked = ta.mark_exclusions(cases, tmp_path, ta.load_exclusions())
    assert [c.excluded for c in marked] == [None, "github-invalid-checksum"]


@pytest.mark.parametrize("positive", [True, False])
def test_only_true_cases_of_the_named_rule_are_left_out(tmp_path: Path, positive: bool) -> None:
    (tmp_path / "a.txt").write_text('discordToken = "873597155664137856"\n')
    cases = [
        ta.Case("gitleaks", "discord-client-id", "chat", positive, "a.txt", None),
        ta.Case("gitleaks", "discord-api-token", "chat", positive, "a.txt", None),
    ]
    marked = ta.mark_exclusions(cases, tmp_path, ta.load_exclusions())
    assert [c.excluded for c in marked] == (["discord-client-id", None] if positive else [None, None])
    hits: set[tuple[str, int | None]] = set()
    scored = ta.score(marked, hits)["all"]
    assert scored.get("cred:chat", (0, 0))[1] == (1 if positive else 0)
