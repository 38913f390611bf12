"""The plain git hook (hooks/pre-commit) installed by `launchready install-hook`, driven by
real `git commit`s."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import git

from launchready.commands import install_hook
from launchready.demo.keygen import KeyGen

ROOT = Path(__file__).resolve().parents[2]


def _commit(repo: Path, msg: str = "c") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "-m", msg], capture_output=True, text=True, check=False
    )


def test_repository_hook_file_matches_the_installed_script() -> None:
    assert (ROOT / "hooks" / "pre-commit").read_text() == install_hook.HOOK_SCRIPT
    assert os.access(ROOT / "hooks" / "pre-commit", os.X_OK)


def test_installed_hook_blocks_a_staged_secret(repo: Path, run_cli: Any) -> None:
    res = run_cli(["install-hook"], repo)
    assert res.code == 0 and "installed" in res.out
    hook = repo / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)
    key = KeyGen(51).openai_project()
    (repo / "app.py").write_text(f'client = OpenAI(api_key="{key}")\n')
    git(repo, "add", "app.py")
    proc = _commit(repo)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "secret.openai-project-key" in out and "sk-proj-…" in out
    assert key not in out and key[8:30] not in out
    assert git(repo, "rev-list", "--all").strip() == ""  # nothing was committed
    (repo / "app.py").write_text('import os\nclient = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n')
    git(repo, "add", "app.py")
    assert _commit(repo).returncode == 0


def test_respects_core_hooks_path_and_never_clobbers(repo: Path, run_cli: Any) -> None:
    git(repo, "config", "core.hooksPath", ".githooks")
    hooks = repo / ".githooks"
    hooks.mkdir()
    theirs = "#!/bin/sh\necho their-hook-ran >&2\nexit 0\n"
    (hooks / "pre-commit").write_text(theirs)
    (hooks / "pre-commit").chmod(0o755)
    res = run_cli(["install-hook"], repo)
    assert res.code == 2 and "already exists" in res.err and "--chain" in res.err
    assert (hooks / "pre-commit").read_text() == theirs
    res = run_cli(["install-hook", "--chain"], repo)
    assert res.code == 0
    assert (hooks / install_hook.CHAINED).read_text() == theirs
    key = KeyGen(52).github_classic()
    (repo / "t.txt").write_text(f"token={key}\n")
    git(repo, "add", "t.txt")
    proc = _commit(repo)
    assert proc.returncode != 0 and "their-hook-ran" in proc.stderr
    assert key not in proc.stdout + proc.stderr
    # re-running updates our own hook in place; --force keeps a backup of a foreign hook
    assert run_cli(["install-hook"], repo).code == 0
    (hooks / "pre-commit").write_text(theirs)
    assert run_cli(["install-hook", "--force"], repo).code == 0
    assert (hooks / install_hook.BACKUP).read_text() == theirs
    assert install_hook.MARKER in (hooks / "pre-commit").read_text()


def test_install_hook_outside_git(tmp_path: Path, run_cli: Any) -> None:
    res = run_cli(["install-hook"], tmp_path)
    assert res.code == 2 and "git work tree" in res.err


def test_plain_hook_fails_closed_without_launchready(repo: Path) -> None:
    import shutil

    hook = repo / ".git" / "hooks" / "pre-commit"
    shutil.copy2(ROOT / "hooks" / "pre-commit", hook)
    (repo / "a.txt").write_text("hello\n")
    git(repo, "add", "a.txt")
    git_dir = str(Path(shutil.which("git") or "/usr/bin/git").parent)
    env = dict(os.environ, PATH=f"{git_dir}:/bin", LAUNCHREADY_PY="/nonexistent/python")
    proc = subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "-m", "c"], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode != 0
    assert "launchready: not installed" in proc.stderr
