"""repo.* findings obey `rules.disable` and inline allows through the real `launchready scan`."""

from __future__ import annotations

import json
from pathlib import Path

SETTINGS = "import os\nDEBUG = True\nALLOWED_HOSTS = ['*']\n"


def _scan(run_cli, repo: Path) -> dict:  # type: ignore[no-untyped-def,type-arg]
    res = run_cli(["scan", "--json", "-", "--exit-zero"], repo)
    assert res.code == 0, res.err
    return json.loads(res.out)  # type: ignore[no-any-return]


def _repo_ids(data: dict) -> set[str]:  # type: ignore[type-arg]
    return {f["rule_id"] for f in data["findings"] if f["rule_id"].startswith("repo.")}


def test_rules_disable_applies_to_repo_rules(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "myapp").mkdir()
    (repo / "myapp" / "settings.py").write_text(SETTINGS)
    before = _repo_ids(_scan(run_cli, repo))
    assert before, "the planted debug settings must be reported"
    disabled = sorted(before)[0]
    (repo / ".launchready.yml").write_text(f"version: 1\nrules:\n  disable: [{disabled}]\n")
    after = _repo_ids(_scan(run_cli, repo))
    assert disabled not in after
    assert after == before - {disabled}


def test_inline_allow_counts_as_suppressed(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "myapp").mkdir()
    settings = repo / "myapp" / "settings.py"
    settings.write_text(SETTINGS)
    n = len(_repo_ids(_scan(run_cli, repo)))
    assert n
    settings.write_text(
        "\n".join(line + "  # launchready:allow" if line.strip() else line for line in SETTINGS.splitlines()) + "\n"
    )
    data = _scan(run_cli, repo)
    assert not _repo_ids(data)
    assert data["summary"]["suppressed"] >= 1
