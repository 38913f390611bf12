"""`launchready init`: stack detection, the files it writes, merging, idempotence, dry run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import git

from launchready.config import load_config
from launchready.init.detect import detect

WORKFLOW = ".github/workflows/launchready.yml"


def _pkg(deps: dict[str, str], dev: dict[str, str] | None = None) -> str:
    return json.dumps({"name": "x", "dependencies": deps, "devDependencies": dev or {}})


STACKS: list[tuple[str, dict[str, str], str]] = [
    ("Next.js", {"package.json": _pkg({"next": "14.2.0", "react": "18.3.0"})}, "."),
    ("Vite", {"web/package.json": _pkg({"react": "18"}, {"vite": "^5.4.0"})}, "web"),
    ("Create React App", {"package.json": _pkg({"react-scripts": "5.0.1"})}, "."),
    ("Express", {"server/package.json": _pkg({"express": "^4.19.0"})}, "server"),
    ("FastAPI", {"api/requirements.txt": "fastapi[standard]==0.115.0\nuvicorn\n"}, "api"),
    ("Flask", {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["Flask>=3", "requests"]\n'}, "."),
    ("Django", {"manage.py": "import django\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\n"}, "."),
]


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


@pytest.mark.parametrize(("name", "files", "where"), STACKS, ids=[s[0] for s in STACKS])
def test_detects_each_stack(tmp_path: Path, name: str, files: dict[str, str], where: str) -> None:
    _write(tmp_path, files)
    found = detect(tmp_path)
    assert [(s.name, s.path) for s in found] == [(name, where)]


def test_detects_nothing_in_an_unrelated_repo(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "package.json": _pkg({"lodash": "4"}),
            "requirements.txt": "flask-cors-helper==1\n# django\n",
            "node_modules/next/package.json": _pkg({"next": "1"}),
        },
    )
    assert detect(tmp_path) == []


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.fixture
def app_repo(repo: Path) -> Path:
    _write(
        repo,
        {
            ".gitignore": "node_modules/\n.next/\n.env\n.env.*\n!.env.example\n",
            "web/package.json": _pkg({"next": "14.2.0"}),
            "api/requirements.txt": "fastapi==0.115.0\n",
            "api/main.py": "import sentry_sdk\nfrom fastapi import FastAPI\n\nsentry_sdk.init()\napp = FastAPI()\n",
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "app")
    return repo


def test_init_writes_files_that_pass_our_own_checks(app_repo: Path, run_cli: Any) -> None:
    res = run_cli(["init"], app_repo)
    assert res.code == 0, res.err
    for rel in (".launchready.yml", ".pre-commit-config.yaml", WORKFLOW):
        assert (app_repo / rel).is_file(), rel
        assert f"create    {rel}" in res.out
    assert "Next.js (web/)" in res.out and "FastAPI (api/)" in res.out
    cfg = load_config(None, app_repo)  # valid config, found by walking up
    assert cfg.path and cfg.fail_on is not None
    # the workflow is valid for GitHub, the pre-commit config for pre-commit
    subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(app_repo / WORKFLOW),
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=app_repo,
        check=True,
        capture_output=True,
    )
    wf = yaml.safe_load((app_repo / WORKFLOW).read_text())
    assert set(wf["jobs"]) == {"pr-check", "history-audit", "post-deploy"}
    assert "schedule" in wf[True] and "pull_request" in wf[True]  # pyyaml reads `on:` as True
    assert wf["permissions"] == {"contents": "read"}
    # and launchready's own scan is clean on the initialized repository
    scan = run_cli(["scan", "--json", "-"], app_repo)
    assert scan.code == 0, scan.out
    report = json.loads(scan.out)
    assert report["findings"] == []
    scanned = scan.out  # the config and workflow were read, not skipped
    assert report["summary"]["files_scanned"] >= 6, scanned


def test_rerun_changes_nothing(app_repo: Path, run_cli: Any) -> None:
    assert run_cli(["init"], app_repo).code == 0
    before = _tree(app_repo)
    again = run_cli(["init"], app_repo)
    assert again.code == 0
    assert _tree(app_repo) == before
    assert "nothing to change" in again.out
    assert "create" not in again.out and "update" not in again.out


def test_dry_run_shows_the_diff_and_writes_nothing(app_repo: Path, run_cli: Any) -> None:
    before = _tree(app_repo)
    res = run_cli(["init", "--dry-run"], app_repo)
    assert res.code == 0
    assert _tree(app_repo) == before
    assert "+++ b/.launchready.yml" in res.out
    assert "+++ b/.github/workflows/launchready.yml" in res.out
    assert "+    - id: launchready-secrets" in res.out or "+      - id: launchready-secrets" in res.out
    assert "nothing written" in res.out


EXISTING = """\
# team hooks: keep these comments
default_stages: [pre-commit]
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0  # pinned on purpose
    hooks:
    -   id: trailing-whitespace

# ci settings below
ci:
    autofix_prs: false
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_merges_into_an_existing_pre_commit_config(app_repo: Path, run_cli: Any, newline: str) -> None:
    path = app_repo / ".pre-commit-config.yaml"
    path.write_bytes(EXISTING.replace("\n", newline).encode())
    res = run_cli(["init", "--hooks", "published"], app_repo)
    assert res.code == 0, res.err
    assert "update    .pre-commit-config.yaml" in res.out
    raw = path.read_bytes().decode()
    text = raw.replace("\r\n", "\n")
    if newline == "\r\n":
        assert raw.count("\r\n") == raw.count("\n")
    for line in EXISTING.splitlines():
        assert line in text.splitlines()  # nothing of theirs lost, comments included
    data = yaml.safe_load(text)
    assert [r["repo"] for r in data["repos"]] == [
        "https://github.com/pre-commit/pre-commit-hooks",
        "https://github.com/launchready/launchready",
    ]
    assert data["ci"] == {"autofix_prs": False} and data["default_stages"] == ["pre-commit"]
    again = run_cli(["init"], app_repo)
    assert "already has the launchready hooks" in again.out
    assert path.read_bytes().decode() == raw


def test_local_hooks_merge_into_an_existing_config_and_are_recognised(app_repo: Path, run_cli: Any) -> None:
    path = app_repo / ".pre-commit-config.yaml"
    path.write_text(EXISTING)
    res = run_cli(["init"], app_repo)  # from this checkout: local hooks
    assert res.code == 0, res.err
    data = yaml.safe_load(path.read_text())
    assert [r["repo"] for r in data["repos"]] == ["https://github.com/pre-commit/pre-commit-hooks", "local"]
    again = run_cli(["init", "--hooks", "published"], app_repo)
    assert "already has the launchready hooks" in again.out  # not a second copy


def test_flow_style_repos_are_left_untouched_with_a_clear_error(app_repo: Path, run_cli: Any) -> None:
    path = app_repo / ".pre-commit-config.yaml"
    path.write_text("repos: [{repo: local, hooks: []}]\n")
    res = run_cli(["init"], app_repo)
    assert res.code == 2
    # the block to paste is the one for this install (a checkout: local hooks)
    assert "flow style" in res.err and "- repo: local" in res.err and "entry: launchready scan --hook" in res.err
    assert path.read_text() == "repos: [{repo: local, hooks: []}]\n"
    assert not (app_repo / ".launchready.yml").exists()  # all or nothing


def test_existing_config_and_workflow_are_never_overwritten(app_repo: Path, run_cli: Any) -> None:
    (app_repo / ".launchready.yml").write_text("version: 1\nfail_on: critical\n")
    (app_repo / WORKFLOW).parent.mkdir(parents=True)
    (app_repo / WORKFLOW).write_text("name: mine\non: push\njobs: {}\n")
    res = run_cli(["init"], app_repo)
    assert res.code == 0
    assert (app_repo / ".launchready.yml").read_text() == "version: 1\nfail_on: critical\n"
    assert (app_repo / WORKFLOW).read_text() == "name: mine\non: push\njobs: {}\n"
    assert "kept as is" in res.out


def test_outside_git_it_writes_into_the_current_directory(tmp_path: Path, run_cli: Any) -> None:
    _write(tmp_path, {"package.json": _pkg({"express": "^4.19.0"})})
    res = run_cli(["init"], tmp_path)
    assert res.code == 0, res.err
    assert "Express" in res.out
    wf = yaml.safe_load((tmp_path / WORKFLOW).read_text())
    assert wf[True]["push"] == {"branches": ["main"]}  # no git: the usual default


def test_workflow_targets_the_repository_default_branch(repo: Path, run_cli: Any) -> None:
    git(repo, "checkout", "-q", "-b", "trunk")
    _write(repo, {"README.md": "x\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "x")
    assert run_cli(["init"], repo).code == 0
    wf = yaml.safe_load((repo / WORKFLOW).read_text())
    assert wf[True]["push"] == {"branches": ["trunk"]}


def test_the_commented_live_section_works_once_uncommented(app_repo: Path, run_cli: Any) -> None:
    from launchready.live.config import load_live

    assert run_cli(["init"], app_repo).code == 0
    lines = (app_repo / ".launchready.yml").read_text().splitlines()
    start = lines.index("# live:")
    body = [line.split("  # ")[0].removeprefix("# ") for line in lines[start:]]
    path = app_repo / "uncommented.yml"
    path.write_text("\n".join(lines[:start] + body) + "\n")
    settings = load_live(load_config(str(path)))
    assert settings.targets[0].url == "https://app.example.com/"
    assert settings.authz_resources and settings.ratelimit_endpoints and settings.monitoring_health
    assert settings.email_domain == "example.com"
