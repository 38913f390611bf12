"""Config loading is bounded: what a pull request can put in a config cannot make us expand,
read or wait without limit. Each case exits 2 quickly with the reason."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from launchready.bounded import MAX_CONFIG_BYTES

from .conftest import action, launchready

# 9 levels of 9 aliases: 9**9 (387 million) strings once expanded, in about 500 bytes.
BOMB = (
    "\n".join(
        [f"a0: &a0 [{', '.join(['lol'] * 9)}]"]
        + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    )
    + "\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "app.py").write_text("x = 1\n")
    return tmp_path


def test_yaml_alias_bomb_is_refused_quickly(repo: Path) -> None:
    assert len(BOMB) < 600
    (repo / ".launchready.yml").write_text(BOMB)
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2, run
    assert run.seconds < 10
    assert "expands to more than" in run.err and ".launchready.yml" in run.err


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: &x [*x]\n", "refers to itself"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nests more than"),
    ],
    ids=["recursive-alias", "deep-nesting"],
)
def test_recursive_or_deep_yaml_is_refused(repo: Path, text: str, reason: str) -> None:
    (repo / ".launchready.yml").write_text(text)
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2 and reason in run.err, run


def test_config_that_is_a_fifo_or_too_large_is_refused(repo: Path) -> None:
    os.mkfifo(repo / ".launchready.yml")
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2 and "not a regular file" in run.err, run
    (repo / ".launchready.yml").unlink()
    (repo / ".launchready.yml").write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2 and "limit" in run.err, run


@pytest.mark.parametrize("target", ["/dev/zero", "../outside.toml", "link.toml", "fifo.toml", "huge.toml"])
def test_gitleaks_extend_path_only_reads_bounded_regular_files_in_the_repo(repo: Path, target: str) -> None:
    (repo.parent / "outside.toml").write_text("title = 'outside'\n")
    (repo / "link.toml").symlink_to("/dev/zero")
    os.mkfifo(repo / "fifo.toml")
    (repo / "huge.toml").write_text("# x\n" * (MAX_CONFIG_BYTES // 4 + 1))
    (repo / ".gitleaks.toml").write_text(f"[extend]\nuseDefault = true\npath = {json.dumps(target)}\n")
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2, run
    assert run.seconds < 15
    assert "refused" in run.err and ".gitleaks.toml" in run.err, run


def test_gitleaks_config_named_by_the_config_must_be_in_the_repository(repo: Path) -> None:
    (repo / ".launchready.yml").write_text("gitleaks_config: /dev/zero\n")
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2 and "outside the repository" in run.err, run


def test_gitleaks_config_that_is_a_fifo_is_refused(repo: Path) -> None:
    os.mkfifo(repo / ".gitleaks.toml")
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2 and "not a regular file" in run.err, run


def test_gitleaksignore_fifo_and_symlink_out_are_refused(repo: Path) -> None:
    subprocess.run(["git", "-C", str(repo), "add", "app.py"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=a", "-c", "user.email=a@b.c", "commit", "-qm", "x"], check=True
    )
    os.mkfifo(repo / ".gitleaksignore")
    run = launchready(["history"], repo, timeout=30)
    assert run.code == 2 and "not a regular file" in run.err, run
    (repo / ".gitleaksignore").unlink()
    (repo / ".gitleaksignore").symlink_to("/etc/hostname")
    run = launchready(["history"], repo, timeout=30)
    assert run.code == 2 and "outside the repository" in run.err, run


def test_baseline_that_is_a_device_or_fifo_is_refused(repo: Path) -> None:
    from launchready.demo.keygen import KeyGen

    (repo / "app.py").write_text(f"KEY = '{KeyGen(4).stripe_secret()}'\n")  # the baseline is consulted
    (repo / ".launchready.yml").write_text("baseline: /dev/zero\n")
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2 and "not a regular file" in run.err, run
    os.mkfifo(repo / "b.json")
    (repo / ".launchready.yml").write_text("baseline: b.json\n")
    run = launchready(["scan", "app.py"], repo, timeout=30)
    assert run.code == 2 and "not a regular file" in run.err, run


def test_event_payload_that_is_a_fifo_or_deeply_nested_is_a_usage_error(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    subprocess.run(["git", "-C", str(repo), "add", "app.py"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=a", "-c", "user.email=a@b.c", "commit", "-qm", "x"], check=True
    )
    gh = tmp_path_factory.mktemp("gh")
    run = action(gh, repo, "workflow_dispatch", {"inputs": {}}, mode="scan")  # sanity: a normal payload works
    assert run.code in (0, 1), run
    deep = tmp_path_factory.mktemp("gh2")
    nested = "[" * 100_000 + "]" * 100_000
    run = action(deep, repo, "workflow_dispatch", {}, raw_event=nested)
    assert run.code == 2 and "nested too deeply" in run.err, run
    fifo = tmp_path_factory.mktemp("gh3")
    run = action(fifo, repo, "workflow_dispatch", {}, fifo_event=True)
    assert run.code == 2 and "not a regular file" in run.err, run
