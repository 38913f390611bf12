"""`launchready rules list|explain` covers every registry: secret, env, build and repo rules."""

from __future__ import annotations

from pathlib import Path

from launchready import repo


def test_list_includes_repo_env_and_build_rules(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["rules", "list"], tmp_path)
    assert res.code == 0
    ids = {line.split()[0] for line in res.out.splitlines() if line.strip()}
    assert {r.id for r in repo.rules()} <= ids
    assert any(i.startswith("env.") for i in ids) and any(i.startswith("build.") for i in ids)
    assert "secret.openai-project-key" in ids


def test_disabled_repo_rule_is_not_listed(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".launchready.yml").write_text("version: 1\nrules:\n  disable: [repo.cors-wildcard-credentials]\n")
    res = run_cli(["rules", "list"], tmp_path)
    assert "repo.cors-wildcard-credentials" not in res.out


def test_explain_repo_rule_and_env_rule(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["rules", "explain", "repo.ratelimit-missing"], tmp_path)
    assert res.code == 0
    assert "whole application" in res.out and "fix:" in res.out
    res = run_cli(["rules", "explain", "env.public-prefix-secret"], tmp_path)
    assert res.code == 0 and ".env* files" in res.out and "by its name" not in res.out


def test_explain_unknown_rule_suggests(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["rules", "explain", "repo.cors-wildcard"], tmp_path)
    assert res.code == 2 and "repo.cors-wildcard-credentials" in res.err
