"""The first hour of a new team (issue 15), through the real CLI, real git and real pre-commit:
`init` writes hooks that work for how launchready was installed, a blocked commit says how
to get through, files on disk only say so, nothing is reported twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tests.conftest import git

from launchready.demo.keygen import KeyGen

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # this venv: `launchready` and pre-commit live here

pytestmark = pytest.mark.timeout(300)


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", PRE_COMMIT_COLOR="never")
    env.update(extra)
    return env


def lr(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launchready", *args],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def commit(repo: Path, message: str = "change", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), "commit", "-m", message],
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def pre_commit(repo: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=_env(PRE_COMMIT_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def next_app(repo: Path) -> Path:
    (repo / "web").mkdir()
    (repo / "web/package.json").write_text('{"name": "web", "dependencies": {"next": "14.2.0"}}\n')
    (repo / "app.py").write_text("print('hello')\n")
    return repo


def test_init_from_a_checkout_writes_local_hooks_that_block_and_explain(next_app: Path, tmp_path: Path) -> None:
    repo = next_app
    home = tmp_path / "pre-commit-home"
    out = lr(repo, "init")
    assert out.returncode == 0, out.stderr
    # this test runs from a checkout (editable install): hooks run the installed launchready
    assert "installed from a checkout" in out.stdout and "local hooks" in out.stdout
    assert "pre-commit install --hook-type pre-push" in out.stdout
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())
    [local] = config["repos"]
    assert local["repo"] == "local"
    assert [h["id"] for h in local["hooks"]] == ["launchready-secrets", "launchready-env", "launchready-bundle"]
    assert all(h["language"] == "system" for h in local["hooks"])
    assert ".env*" in (repo / ".gitignore").read_text().splitlines()
    for args in (["install"], ["install", "--hook-type", "pre-push"]):
        proc = pre_commit(repo, *args, home=home)
        assert proc.returncode == 0, proc.stderr
    assert (repo / ".git/hooks/pre-push").is_file()
    git(repo, "add", "-A")
    res = commit(repo, "launchready init", PRE_COMMIT_HOME=str(home))
    assert res.returncode == 0, res.stdout + res.stderr  # what init wrote passes its own hooks

    # 3. a git-ignored web/.env.local with a NEXT_PUBLIC_ secret, and an unrelated commit
    key = KeyGen(151).openai_project()
    (repo / "web/.env.local").write_text(f"NEXT_PUBLIC_OPENAI_API_KEY={key}\n")
    (repo / "util.py").write_text("def add(a, b):\n    return a + b\n")
    git(repo, "add", "util.py")
    res = commit(repo, PRE_COMMIT_HOME=str(home))
    out_text = res.stdout + res.stderr
    assert res.returncode != 0, out_text  # decided and documented: a browser-prefixed secret on disk blocks
    assert key not in out_text and key[8:30] not in out_text
    assert "launchready secrets" in out_text and "Passed" in out_text  # the commit itself is clean
    assert "web/.env.local is not part of this commit (git ignores it): on disk only" in out_text
    assert "bundler inlines" in out_text
    assert "on disk only, not part of this commit: web/.env.local" in out_text
    # 2. how to get unblocked, after the fix
    assert "launchready:allow" in out_text and "launchready baseline create" in out_text
    assert "SKIP=launchready-env" in out_text
    assert "already received" not in out_text
    # the documented way through for a file that is not in the commit
    res = commit(repo, PRE_COMMIT_HOME=str(home), SKIP="launchready-env")
    assert res.returncode == 0, res.stdout + res.stderr

    # 4. a staged env file: reported once (by the secrets hook, on its staged content)
    key2 = KeyGen(152).openai_project()
    (repo / ".env.production").write_text(f"OPENAI_API_KEY={key2}\n")
    git(repo, "add", "-f", ".env.production")
    res = commit(repo, PRE_COMMIT_HOME=str(home))
    out_text = res.stdout + res.stderr
    assert res.returncode != 0
    assert key2 not in out_text and key2[8:30] not in out_text
    assert out_text.count("secret.openai-project-key") == 1, out_text
    assert out_text.count("env.file-not-ignored") == 1, out_text
    # 2. the fix fits a commit hook: the secret has not left the machine
    assert "has not left this machine" in out_text and "Rotate it only if it was ever pushed or shipped" in out_text
    assert "already received" not in out_text


def test_init_published_hooks_gitignore_and_rerun(next_app: Path) -> None:
    repo = next_app
    (repo / ".gitignore").write_text("node_modules/\n")
    dry = lr(repo, "init", "--dry-run", "--hooks", "published")
    assert dry.returncode == 0, dry.stderr
    assert "+.env*" in dry.stdout and "+!.env.example" in dry.stdout and "a/.gitignore" in dry.stdout
    assert not (repo / ".pre-commit-config.yaml").exists()
    out = lr(repo, "init", "--hooks", "published")
    assert out.returncode == 0, out.stderr
    text = (repo / ".pre-commit-config.yaml").read_text()
    assert "# the published release of launchready (v0.1.0)" in text
    [published] = yaml.safe_load(text)["repos"]
    assert published["repo"] == "https://github.com/launchready/launchready" and published["rev"] == "v0.1.0"
    assert [h["id"] for h in published["hooks"]] == ["launchready-secrets", "launchready-env", "launchready-bundle"]
    assert (repo / ".gitignore").read_text() == (
        "node_modules/\n\n# env files hold secrets (added by `launchready init`); commit .env.example instead\n"
        ".env*\n!.env.example\n"
    )
    # idempotent: nothing changes on a second run, whatever --hooks says
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    again = lr(repo, "init")
    assert again.returncode == 0 and "nothing to change" in again.stdout
    assert "unchanged .gitignore (already ignores .env files)" in again.stdout
    assert before == {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    # --no-gitignore leaves it alone
    other = repo / "other"
    other.mkdir()
    assert lr(other, "init", "--no-gitignore").returncode == 0
    assert not (other / ".gitignore").exists()


def test_local_hooks_match_the_published_hook_definitions() -> None:
    from launchready.init.templates import LOCAL_HOOKS

    published = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert [h[0] for h in LOCAL_HOOKS] == list(published)
    for hook_id, name, entry, extra in LOCAL_HOOKS:
        hook = published[hook_id]
        assert (hook["name"], hook["entry"]) == (name, entry)
        local = yaml.safe_load("\n".join(extra)) or {}
        for key in ("always_run", "pass_filenames", "stages"):
            assert local.get(key) == hook.get(key), (hook_id, key)


@pytest.mark.slow
def test_install_kind_from_a_wheel_and_from_an_index(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    # Build from a copy: pip builds in-tree and rewrites src/launchready.egg-info, which the
    # editable install the other tests run from reads at the same time.
    source = tmp_path / "source"
    skip = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache", "work")
    for name in ("pyproject.toml", "README.md", "LICENSE", "src", "schemas", "hooks"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        elif (ROOT / name).exists():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    [whl] = wheels.glob("launchready-*.whl")
    probe = "from launchready.init.install import detect_install; print(detect_install().kind)"
    kinds = {}
    for how, spec in (("wheel", [str(whl)]), ("index", ["--no-index", "--find-links", str(wheels), "launchready"])):
        venv = tmp_path / how
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        py = venv / "bin" / "python"
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", *spec], check=True, capture_output=True)
        kinds[how] = subprocess.run(
            [str(py), "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path
        ).stdout.strip()
    assert kinds == {"wheel": "wheel", "index": "release"}
    from launchready.init.install import detect_install

    assert detect_install().kind == "checkout"  # this test suite runs from an editable checkout
    shutil.rmtree(wheels)


def test_scan_of_a_named_env_file_gets_its_env_checks(tmp_path: Path) -> None:
    gen = KeyGen(153)
    (tmp_path / ".env.example").write_text(f"STRIPE_SECRET_KEY={gen.stripe_secret()}\nOPENAI_API_KEY=your-key-here\n")
    named = lr(tmp_path, "scan", ".env.example", "--json", "-")
    whole = lr(tmp_path, "scan", ".", "--json", "-")
    assert named.returncode == whole.returncode == 1, named.stdout + named.stderr
    import json

    ids_named = sorted(f["rule_id"] for f in json.loads(named.stdout)["findings"])
    ids_whole = sorted(f["rule_id"] for f in json.loads(whole.stdout)["findings"])
    assert "env.example-real-secret" in ids_named
    assert ids_named == ids_whole


def test_env_file_not_ignored_is_reported_once(repo: Path) -> None:
    gen = KeyGen(154)
    (repo / "package.json").write_text('{"dependencies": {"next": "14"}}\n')
    (repo / ".env").write_text(f"DATABASE_URL=postgres://app:{gen.chars(20)}@db.example.com/app\n")
    res = lr(repo, "scan", ".", "--json", "-")
    import json

    ids = [f["rule_id"] for f in json.loads(res.stdout)["findings"]]
    assert "env.file-not-ignored" in ids
    assert "repo.secrets-dotenv-not-ignored" not in ids
    # without an env file on disk, the preventive rule still speaks
    (repo / ".env").unlink()
    ids = [f["rule_id"] for f in json.loads(lr(repo, "scan", ".", "--json", "-").stdout)["findings"]]
    assert ids.count("repo.secrets-dotenv-not-ignored") == 1


def test_ratelimit_is_one_finding_per_application_from_the_cli(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "4"}}\n')
    routes = "".join(f"app.post('/api/chat{i}', h);\n" for i in range(10))
    (tmp_path / "server.js").write_text(f"const express = require('express');\nconst app = express();\n{routes}")
    res = lr(tmp_path, "scan", ".", "--json", "-", "--fail-on", "critical")
    import json

    found = [f for f in json.loads(res.stdout)["findings"] if f["rule_id"] == "repo.ratelimit-missing"]
    assert len(found) == 1
    assert "10 sensitive route(s)" in found[0]["message"]
    assert all(f"POST /api/chat{i} (server.js:{i + 3})" in found[0]["message"] for i in range(10))


def test_a_source_tree_first_on_the_path_is_a_checkout_even_with_its_build_egg_info(tmp_path: Path) -> None:
    """A build leaves ``src/launchready.egg-info`` (no installer record, no direct_url.json) in
    the tree; with that tree first on sys.path (PYTHONPATH=src, or a tool inserting it) its
    metadata is the one found. That is a checkout, not a release from an index."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "launchready", src / "launchready", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "launchready.egg-info").mkdir()
    (src / "launchready.egg-info" / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: launchready\nVersion: 0.1.0\n")
    probe = "from launchready.init.install import detect_install; print(detect_install().kind)"
    env = {**os.environ, "PYTHONPATH": str(src)}
    kind = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path, env=env
    ).stdout.strip()
    assert kind == "checkout"
