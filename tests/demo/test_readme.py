"""The README's commands and snippets are true: the quick start is what CI runs, and every
config, hook and workflow snippet is accepted by the loader, pre-commit and the workflow schema."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from launchready.config import load_config

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_quick_start_test_command_is_what_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    quick = README.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in quick.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[0].endswith("launchready demo")
    assert commands[1] in ci.splitlines()


def test_config_snippets_load(tmp_path: Path) -> None:
    from launchready.live.config import load_live

    configs = [b for b in _blocks("yaml") if b.startswith("version: 1")]
    assert configs
    for text in configs:
        path = tmp_path / ".launchready.yml"
        path.write_text(text)
        cfg = load_config(str(path))
        settings = load_live(cfg)
        assert settings.targets


def test_pre_commit_snippet_is_valid(tmp_path: Path) -> None:
    snippet = next(b for b in _blocks("yaml") if "- repo: https://github.com/launchready/launchready" in b)
    (tmp_path / ".pre-commit-config.yaml").write_text(snippet)
    ids = [h["id"] for h in yaml.safe_load(snippet)["repos"][0]["hooks"]]
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(ids) <= hooks
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )


def test_local_hooks_snippet_is_valid_and_is_what_init_writes(tmp_path: Path) -> None:
    from launchready.init.templates import precommit_hooks

    snippet = next(b for b in _blocks("yaml") if "- repo: local" in b)
    (tmp_path / ".pre-commit-config.yaml").write_text(snippet)
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert yaml.safe_load(snippet)["repos"] == yaml.safe_load(precommit_hooks([], 0, local=True))


def test_workflow_snippet_is_valid(tmp_path: Path) -> None:
    snippet = next(b for b in _blocks("yaml") if "uses: launchready/launchready@" in b)
    path = tmp_path / "wf.yml"
    path.write_text(snippet)
    subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        check=True,
        capture_output=True,
    )
    inputs = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    used = yaml.safe_load(snippet)["jobs"]["launchready"]["steps"][1]["with"]
    assert set(used) <= set(inputs)


def test_linked_docs_exist() -> None:
    for link in re.findall(r"\]\(((?:docs|schemas)/[^)#]+|action\.yml)\)", README):
        assert (ROOT / link).exists(), link
