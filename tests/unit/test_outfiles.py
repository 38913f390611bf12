"""``outfiles.replace_text``: the one atomic writer of files a user names (the baseline, the
journey's state): a rename over the path, never through a symlink, never over a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from launchready.errors import UsageError
from launchready.outfiles import SymlinkRefused, refuse_unreplaceable, replace_text


def test_it_writes_and_replaces_leaving_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "state.json"
    replace_text(target, "one\n", "--state", "hint")
    replace_text(target, "two\n", "--state", "hint")
    assert target.read_text() == "two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["state.json"]


def test_a_symlink_at_the_path_is_replaced_itself_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n")
    link = tmp_path / "baseline.json"
    link.symlink_to(outside)
    replace_text(link, "new\n", "baseline", "hint")
    assert not link.is_symlink() and link.read_text() == "new\n"
    assert outside.read_text() == "keep\n"


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_path_that_is_not_a_file_is_refused_and_left_alone(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "state"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    with pytest.raises(UsageError, match=r"^--state: .*state is not a regular file; name a file$"):
        replace_text(target, "x", "--state", "name a file")
    with pytest.raises(UsageError):
        refuse_unreplaceable(target, "--state", "name a file")
    mode = target.lstat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISDIR(mode)
    assert not (tmp_path / "state.tmp").exists()


def test_a_symlink_to_a_device_is_not_refused_the_rename_replaces_the_link(tmp_path: Path) -> None:
    link = tmp_path / "state.json"
    link.symlink_to("/dev/null")
    refuse_unreplaceable(link, "--state", "hint")
    replace_text(link, "{}\n", "--state", "hint")
    assert not link.is_symlink() and link.read_text() == "{}\n"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_the_temporary_file_is_never_written_through_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n")
    (tmp_path / "baseline.json.tmp").symlink_to(outside)
    with pytest.raises(SymlinkRefused):
        replace_text(tmp_path / "baseline.json", "new\n", "baseline", "hint")
    assert outside.read_text() == "keep\n"
    assert (tmp_path / "baseline.json.tmp").is_symlink()
    assert not (tmp_path / "baseline.json").exists()


def test_a_failed_write_leaves_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    target.write_text("old\n")
    (tmp_path / "baseline.json.tmp").mkdir()  # the temporary file cannot be opened
    with pytest.raises(UsageError):
        replace_text(target, "new\n", "baseline", "hint")
    assert target.read_text() == "old\n"
    assert (tmp_path / "baseline.json.tmp").is_dir()
