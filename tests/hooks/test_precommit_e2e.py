"""The real pre-commit framework running this checkout's hooks in temp repositories.

pre-commit builds a virtualenv and pip-installs this repository (dependencies come from
PyPI), so this module keeps to two installs: one `pre-commit try-repo` (it always uses a
fresh store), and one store shared by the `git commit` tests through a session-scoped
PRE_COMMIT_HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import git

from launchready.demo.keygen import KeyGen

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs this checkout as a git repository"),
]


def _pre_commit(cwd: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout as pre-commit sees it with try-repo: HEAD plus changes to tracked files."""
    snap = tmp_path_factory.mktemp("snapshot") / "launchready"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(snap)], check=True, capture_output=True)
    changed = set(git(ROOT, "diff", "--name-only", "HEAD").split("\n")) - {""}
    for rel in changed:
        src, dst = ROOT / rel, snap / rel
        if src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
        elif dst.exists():
            dst.unlink()
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.test",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.test",
    )
    subprocess.run(["git", "-C", str(snap), "add", "-A"], check=True, env=env)
    subprocess.run(
        ["git", "-C", str(snap), "commit", "-q", "--allow-empty", "--no-verify", "-m", "snapshot"], check=True, env=env
    )
    return snap, git(snap, "rev-parse", "HEAD").strip()


def _no_leak(out: str, *secrets: str) -> None:
    for s in secrets:
        assert s not in out and s[8:30] not in out


def test_try_repo_blocks_a_staged_openai_key(repo: Path, pre_commit_home: Path) -> None:
    key = KeyGen(61).openai_project()
    (repo / "app.py").write_text(f'from openai import OpenAI\nclient = OpenAI(api_key="{key}")\n')
    git(repo, "add", "app.py")
    proc = _pre_commit(repo, "try-repo", str(ROOT), "launchready-secrets", home=pre_commit_home)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "launchready secrets" in out and "Failed" in out
    assert "secret.openai-project-key" in out and "sk-proj-…" in out
    _no_leak(out, key)


@pytest.fixture
def hooked_repo(repo: Path, snapshot: tuple[Path, str], pre_commit_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    snap, rev = snapshot
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {snap}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: launchready-secrets\n"
        "      - id: launchready-env\n"
    )
    (repo / ".gitignore").write_text(".env*\n")
    proc = _pre_commit(repo, "install", home=pre_commit_home)
    assert proc.returncode == 0, proc.stderr
    git(repo, "add", ".pre-commit-config.yaml", ".gitignore")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))  # for the hook `git commit` runs
    return repo


def _commit(repo: Path) -> tuple[int, str]:
    proc = subprocess.run(
        ["git", "-C", str(repo), "commit", "-m", "change"], capture_output=True, text=True, check=False
    )
    return proc.returncode, proc.stdout + proc.stderr


def test_commit_blocked_then_passes_after_removal_allow_comment_and_baseline(
    hooked_repo: Path, run_cli: Any, pre_commit_home: Path
) -> None:
    repo = hooked_repo
    kg = KeyGen(62)
    key, key2, key3 = kg.openai_project(), kg.openai_project(), kg.openai_project()
    (repo / "app.py").write_text(f'OPENAI_API_KEY = "{key}"\n')
    git(repo, "add", "app.py")
    code, out = _commit(repo)
    assert code != 0, out
    assert "secret.openai-project-key" in out and "sk-proj-…" in out
    _no_leak(out, key)
    assert git(repo, "rev-list", "--all").strip() == ""

    # after removal it passes
    (repo / "app.py").write_text('import os\nOPENAI_API_KEY = os.environ["OPENAI_API_KEY"]\n')
    git(repo, "add", "app.py")
    code, out = _commit(repo)
    assert code == 0, out

    # an allow comment lets it pass
    (repo / "fixture.py").write_text(f'TEST_KEY = "{key2}"  # launchready:allow (revoked test key)\n')
    git(repo, "add", "fixture.py")
    code, out = _commit(repo)
    assert code == 0, out

    # a baseline entry lets it pass (and only that one)
    (repo / "legacy.py").write_text(f'OLD = "{key3}"\n')
    assert run_cli(["baseline", "create"], repo).code == 0
    git(repo, "add", "legacy.py", ".launchready-baseline.json")
    code, out = _commit(repo)
    assert code == 0, out
    _no_leak((repo / ".launchready-baseline.json").read_text(), key3)

    # --all-files scans files that are not staged (never passes by scanning nothing)
    (repo / "late.py").write_text(f'K = "{kg.openai_project()}"\n')
    git(repo, "add", "late.py")
    git(repo, "commit", "-q", "--no-verify", "-m", "sneaked in")
    proc = _pre_commit(repo, "run", "--all-files", home=pre_commit_home)
    assert proc.returncode == 1 and "late.py" in proc.stdout

    # the env hook reads git-ignored .env files
    (repo / ".env.local").write_text(f"NEXT_PUBLIC_OPENAI_API_KEY={kg.openai_project()}\n")
    proc = _pre_commit(repo, "run", "launchready-env", home=pre_commit_home)
    assert proc.returncode == 1 and "env.public-prefix-secret" in proc.stdout
