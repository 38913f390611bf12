"""A committed ``launchready-report`` symlink (or any symlinked component, or a symlinked
report file) must not make us write outside the workspace: exit 2, a clear message, and
nothing written where the link points."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.action.helpers import head, new_origin
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen

from .drive import Runner, action  # noqa: F401

pytestmark = pytest.mark.timeout(120)


def test_committed_report_dir_symlink_in_the_action(action: Runner, tmp_path: Path) -> None:  # noqa: F811
    outside = tmp_path / "outside"
    outside.mkdir()
    origin = new_origin(tmp_path / "origin")
    os.symlink(str(outside), origin / "launchready-report")
    git(origin, "add", "launchready-report")
    git(origin, "commit", "-q", "-m", "a link")
    commit_file(origin, "pay.py", f"KEY = '{KeyGen(1111).stripe_secret()}'\n", "key")
    ws = tmp_path / "ws"
    git(tmp_path, "clone", "-q", f"file://{origin}", str(ws))
    assert (ws / "launchready-report").is_symlink()
    r = action(ws, "push", {"before": "0" * 40, "after": head(ws), "ref": "refs/heads/main"}, mode="scan")
    assert r.code == 2, (r.code, r.err)
    assert "symbolic link" in r.err and "launchready-report" in r.err
    assert list(outside.iterdir()) == []


def test_symlinked_parent_in_a_cli_output_path(run_cli, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    work = tmp_path / "work"
    (work / "reports").mkdir(parents=True)
    os.symlink(str(outside), work / "reports" / "out")
    (work / "a.py").write_text("x = 1\n")
    for flag in ("--json", "--sarif", "--junit", "--html"):
        res = run_cli(["scan", ".", flag, "reports/out/r.txt"], work)
        assert res.code == 2, (flag, res.err)
        assert "refusing to write through the symbolic link" in res.err
    assert list(outside.iterdir()) == []


def test_symlinked_report_file_is_not_followed(run_cli, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    work = tmp_path / "work"
    work.mkdir()
    os.symlink(str(victim), work / "r.json")
    res = run_cli(["scan", ".", "--json", "r.json"], work)
    assert res.code == 2 and "r.json" in res.err
    assert victim.read_text() == "precious\n"


def test_dangling_symlink_directory_is_refused(run_cli, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    os.symlink(str(tmp_path / "not-yet"), work / "out")
    res = run_cli(["scan", ".", "--json", "out/r.json"], work)
    assert res.code == 2
    assert not (tmp_path / "not-yet").exists()


def test_ordinary_nested_output_directories_are_created(run_cli, tmp_path: Path) -> None:
    res = run_cli(
        ["scan", ".", "--json", "a/b/c/r.json", "--sarif", str(tmp_path / "abs" / "new" / "r.sarif")], tmp_path
    )
    assert res.code == 0, res.err
    assert (tmp_path / "a/b/c/r.json").is_file() and (tmp_path / "abs/new/r.sarif").is_file()
