"""``launchready history`` on repositories as people have them: bare mirrors, partial clones and
damaged object stores. Real git repositories; the CLI runs as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen

pytestmark = pytest.mark.timeout(120)


def cli(cwd: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict | None]:  # type: ignore[type-arg]
    out = cwd / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", "history", "-q", "--json", str(out), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    data = json.loads(out.read_text()) if out.exists() else None
    return proc, data


def loose(repo: Path) -> None:
    """Turn a clone's pack into loose objects, so single objects can be deleted."""
    packs = list((repo / ".git/objects/pack").glob("*.pack"))
    for pack in packs:
        data = pack.read_bytes()
        for f in pack.parent.glob(pack.stem + ".*"):
            f.unlink()
        subprocess.run(["git", "-C", str(repo), "unpack-objects", "-q"], input=data, check=True)


def drop(repo: Path, oid: str) -> None:
    (repo / ".git/objects" / oid[:2] / oid[2:]).unlink()


def history_with_secrets(repo: Path) -> tuple[list[str], list[str]]:
    """Four commits, a secret added in each of the 2nd and 4th; returns (commits, secrets)."""
    gen = KeyGen(15)
    keys = [gen.stripe_secret(), gen.stripe_secret()]
    shas = [commit_file(repo, "README.md", "hello\n", "first")]
    shas.append(commit_file(repo, "app/one.py", f'KEY = "{keys[0]}"\n', "one"))
    shas.append(commit_file(repo, "app/notes.txt", "nothing here\n", "notes"))
    shas.append(commit_file(repo, "app/two.py", f'KEY = "{keys[1]}"\n', "two"))
    return shas, keys


def stripe_commits(data: dict) -> set[str]:  # type: ignore[type-arg]
    return {f["commit"] for f in data["findings"] if f["rule_id"] == "secret.stripe-secret-key"}


def test_a_bare_mirror_is_scanned_like_its_work_tree(repo: Path, tmp_path: Path) -> None:
    shas, keys = history_with_secrets(repo)
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--mirror", str(repo), str(mirror)], check=True)
    proc, data = cli(tmp_path, "--repo", "mirror.git")
    assert proc.returncode == 1, proc.stderr
    assert data is not None
    assert stripe_commits(data) == {shas[1], shas[3]}
    assert data["summary"]["commits_scanned"] == 4
    assert data["root"] == str(mirror.resolve())
    assert all(f["present_at_head"] is True for f in data["findings"])
    assert not data["checks"]
    for key in keys:
        assert key not in proc.stdout + proc.stderr
    # the same from inside the mirror, and a directory that is no repository is still refused
    proc, data = cli(mirror)
    assert proc.returncode == 1 and data is not None and stripe_commits(data) == {shas[1], shas[3]}
    (tmp_path / "plain").mkdir()
    proc, _ = cli(tmp_path, "--repo", "plain")
    assert proc.returncode == 2 and "not a git repository" in proc.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_missing_blob_is_listed_and_the_rest_is_scanned(repo: Path, tmp_path: Path, jobs: str) -> None:
    shas, keys = history_with_secrets(repo)
    clone = tmp_path / "damaged"
    subprocess.run(["git", "clone", "-q", "--no-local", str(repo), str(clone)], check=True)
    loose(clone)
    lost = git(clone, "rev-parse", f"{shas[2]}:app/notes.txt").strip()
    drop(clone, lost)
    started = time.monotonic()
    proc, data = cli(tmp_path, "--repo", "damaged", "--jobs", jobs)
    assert time.monotonic() - started < 30
    assert proc.returncode == 1, proc.stderr
    assert data is not None
    # both secrets found: the commit after the damaged one and the one before it
    assert stripe_commits(data) == {shas[1], shas[3]}
    [check] = data["checks"]
    assert check["id"] == "history.objects" and check["status"] == "error"
    assert check["evidence"]["unreadable"] == [
        {"commit": shas[2], "path": "app/notes.txt", "object": lost, "reason": "object not in the object store"}
    ]
    assert f"app/notes.txt in commit {shas[2]}" in check["message"]
    assert "scanned in part" in check["message"]
    assert data["summary"]["checks_by_status"]["error"] == 1
    # the terminal says so too, and the scorecard row cannot pass
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", "history", "--repo", "damaged", "--jobs", jobs],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert "PARTIAL" in proc.stdout and "history.objects" in proc.stdout
    row = next(line for line in proc.stdout.splitlines() if line.strip().startswith("Secret handling"))
    assert "fail" in row
    for key in keys:
        assert key not in proc.stdout + proc.stderr


def test_a_missing_commit_is_listed_and_newer_commits_are_scanned(repo: Path, tmp_path: Path) -> None:
    shas, _ = history_with_secrets(repo)
    clone = tmp_path / "damaged"
    subprocess.run(["git", "clone", "-q", "--no-local", str(repo), str(clone)], check=True)
    loose(clone)
    drop(clone, shas[2])  # the commit object itself: git log stops there
    proc, data = cli(tmp_path, "--repo", "damaged", "--exit-zero")
    assert proc.returncode == 0, proc.stderr  # --exit-zero: reported, not failed
    assert data is not None
    # the newest commit cannot be diffed against its missing parent: its whole tree is
    # scanned as added there, so both secrets are found (the older one first seen there)
    assert stripe_commits(data) == {shas[3]}
    assert len([f for f in data["findings"] if f["rule_id"] == "secret.stripe-secret-key"]) == 2
    [check] = data["checks"]
    assert check["status"] == "error"
    missing, whole = check["evidence"]["unreadable"]
    assert missing["commit"] == shas[2] and missing["path"] == ""
    assert "not in the object store" in missing["reason"]
    assert whole["commit"] == shas[3] and "whole tree was scanned" in whole["reason"]
    assert data["summary"]["commits_scanned"] == 1
    # without --exit-zero the run fails: never a silent pass
    proc, _ = cli(tmp_path, "--repo", "damaged")
    assert proc.returncode == 1


def test_a_range_in_a_damaged_clone(repo: Path, tmp_path: Path) -> None:
    shas, _ = history_with_secrets(repo)
    clone = tmp_path / "damaged"
    subprocess.run(["git", "clone", "-q", "--no-local", str(repo), str(clone)], check=True)
    loose(clone)
    drop(clone, git(clone, "rev-parse", f"{shas[2]}:app/notes.txt").strip())
    proc, data = cli(tmp_path, "--repo", "damaged", "--range", f"{shas[1]}..{shas[3]}")
    assert proc.returncode == 1 and data is not None
    assert stripe_commits(data) == {shas[3]}
    assert data["summary"]["commits_scanned"] == 2
    assert [u["commit"] for u in data["checks"][0]["evidence"]["unreadable"]] == [shas[2]]


def test_a_partial_clone_is_scanned_locally_without_fetching(repo: Path, tmp_path: Path) -> None:
    shas, _ = history_with_secrets(repo)
    commit_file(repo, "app/one.py", "KEY = os.environ['KEY']\n", "load it from the environment")
    git(repo, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    subprocess.run(["git", "clone", "-q", "--no-local", "--filter=blob:none", f"file://{repo}", str(clone)], check=True)
    missing_before = git(clone, "rev-list", "--all", "--objects", "--missing=print").count("\n?")
    assert missing_before >= 1  # the old version of app/one.py was not downloaded
    started = time.monotonic()
    proc, data = cli(tmp_path, "--repo", "partial")
    assert time.monotonic() - started < 30
    assert proc.returncode == 1, proc.stderr
    assert data is not None
    assert shas[3] in stripe_commits(data)  # at HEAD, so checked out and present
    [check] = data["checks"]
    assert check["id"] == "history.objects" and check["status"] == "error"
    listed = {(u["commit"], u["path"]) for u in check["evidence"]["unreadable"]}
    assert (shas[1], "app/one.py") in listed
    # nothing was fetched from the promisor remote
    assert git(clone, "rev-list", "--all", "--objects", "--missing=print").count("\n?") == missing_before


def _add_many(repo: Path, blob: str, n: int, message: str) -> str:
    """One commit adding ``n`` paths of ~220 bytes (one with a line break), all holding
    ``blob``, written through the index only: their pathspecs far exceed what one command
    line holds (2 MiB on Linux)."""
    deep = "/".join(["nested-directory-name"] * 10)
    paths = [f"{deep}/file-{i:05d}.py" for i in range(n)] + ["odd\nname*.py"]
    info = "".join(f"100644 {blob}\t{p}\0" for p in paths)
    subprocess.run(
        ["git", "-C", str(repo), "update-index", "-z", "--add", "--index-info"], input=info.encode(), check=True
    )
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def _blob(repo: Path, text: str) -> str:
    return (
        subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-w", "--stdin"],
            input=text.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )


def test_a_secret_removed_from_more_files_than_a_command_line_holds(repo: Path, tmp_path: Path) -> None:
    """The removal lookup limits a log to the secret's paths: 10,000 of them went to git on
    its command line and failed (E2BIG, exit 3); they now go on its input."""
    key = KeyGen(31).stripe_secret()
    commit_file(repo, "README.md", "hello\n", "first")
    added = _add_many(repo, _blob(repo, f'KEY = "{key}"\n'), 10_000, "vendor")
    git(repo, "read-tree", "HEAD~1")
    git(repo, "commit", "-q", "-m", "unvendor")
    removed = git(repo, "rev-parse", "HEAD").strip()
    proc, data = cli(repo)
    assert proc.returncode == 1, proc.stderr
    assert data is not None
    [finding] = [f for f in data["findings"] if f["rule_id"] == "secret.stripe-secret-key"]
    assert finding["commit"] == added and finding["present_at_head"] is False
    assert f"removed in {removed[:12]}" in finding["message"]
    assert key not in proc.stdout + proc.stderr


def test_a_damaged_commit_with_more_files_than_a_command_line_holds(repo: Path, tmp_path: Path) -> None:
    """A commit whose diff git cannot make whole is read again limited to its readable
    files: with 10,000 of them that command line failed (E2BIG, exit 3)."""
    key = KeyGen(32).stripe_secret()
    commit_file(repo, "README.md", "hello\n", "first")
    lost = _blob(repo, "gone\n")
    git(repo, "update-index", "--add", "--cacheinfo", f"100644,{lost},lost.txt")
    (repo / "app").mkdir()
    (repo / "app/key.py").write_text(f'KEY = "{key}"\n')
    git(repo, "add", "app/key.py")
    damaged = _add_many(repo, _blob(repo, "x = 1\n"), 10_000, "vendor, a key and a file to lose")
    clone = tmp_path / "damaged"
    subprocess.run(["git", "clone", "-q", "--no-local", str(repo), str(clone)], check=True)
    loose(clone)
    drop(clone, lost)
    proc, data = cli(tmp_path, "--repo", "damaged")
    assert proc.returncode == 1, proc.stderr
    assert data is not None
    assert [f["path"] for f in data["findings"] if f["rule_id"] == "secret.stripe-secret-key"] == ["app/key.py"]
    [check] = data["checks"]
    assert check["id"] == "history.objects"
    assert check["evidence"]["unreadable"] == [
        {"commit": damaged, "path": "lost.txt", "object": lost, "reason": "object not in the object store"}
    ]


def _merge_deleting_a_large_file(repo: Path, lines: int) -> tuple[str, str, str]:
    """Both parents change a file of ``lines`` lines, the merge deletes it and adds a secret
    in another file (an evil merge, as a pull request can push). git's combined diff of the
    deleted file tables every line one parent lost by every line the other lost: ~8 bytes x
    ``lines``^2. Returns (merge, merge's first parent, the secret)."""
    gen = KeyGen(23)
    body = [f"pkg-{i} = {gen.hex(16)}" for i in range(lines)]
    git(repo, "checkout", "-q", "-b", "main")
    commit_file(repo, "deps.lock", "\n".join(body) + "\n", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    commit_file(repo, "deps.lock", "\n".join(["feature", *body[1:]]) + "\n", "feature")
    git(repo, "checkout", "-q", "main")
    first = commit_file(repo, "deps.lock", "\n".join([*body[:-1], "main"]) + "\n", "main")
    git(repo, "merge", "-q", "--no-commit", "feature")
    git(repo, "rm", "-q", "-f", "deps.lock")
    secret = gen.stripe_secret()
    (repo / "settings.py").write_text(f'STRIPE_KEY = "{secret}"\n')
    git(repo, "add", "settings.py")
    git(repo, "commit", "-q", "-m", "merge feature, drop the lock file")
    return git(repo, "rev-parse", "HEAD").strip(), first, secret


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_merge_whose_combined_diff_exhausts_gits_memory_cap(
    repo: Path, tmp_path: Path, jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git's heap is capped (``LAUNCHREADY_GIT_MEMORY_MB``): the merge's combined diff needs
    ~130 MB and gets 64, git dies, and the merge is read again without the file it deleted.
    Nothing is lost: the secret the merge added is found and attributed to it, as without a
    cap, and a note says what happened (no check fails for it)."""
    merge, _, secret = _merge_deleting_a_large_file(repo, 4000)
    monkeypatch.setenv("LAUNCHREADY_GIT_MEMORY_MB", "0")  # no cap: what git reads whole
    proc, whole = cli(repo, "--jobs", jobs)
    assert proc.returncode == 1 and whole is not None, proc.stderr
    monkeypatch.setenv("LAUNCHREADY_GIT_MEMORY_MB", "64")
    proc, capped = cli(repo, "--jobs", jobs)
    assert proc.returncode == 1 and capped is not None, proc.stderr
    assert stripe_commits(capped) == stripe_commits(whole) == {merge}
    assert [f["fingerprint"] for f in capped["findings"]] == [f["fingerprint"] for f in whole["findings"]]
    assert not capped["checks"]
    assert capped["summary"]["commits_scanned"] == whole["summary"]["commits_scanned"] == 4
    [note] = [n for n in capped["notes"] if "read again without the files they delete" in n]
    assert merge in note and "Out of memory" in note
    assert not [n for n in whole["notes"] if "read again" in n]
    assert secret not in proc.stdout + proc.stderr + json.dumps(capped)


def test_a_damaged_merge_that_deletes_a_file_gets_no_memory_note(repo: Path, tmp_path: Path) -> None:
    """A merge read alone because an object it needs is missing (not because git died on it)
    is not named as read again for memory: the missing object is listed, as for any commit."""
    merge, _, _ = _merge_deleting_a_large_file(repo, 50)
    commit_file(repo, "notes.txt", "nothing here\n", "after the merge")
    clone = tmp_path / "damaged"
    subprocess.run(["git", "clone", "-q", "--no-local", str(repo), str(clone)], check=True)
    loose(clone)
    lost = git(clone, "rev-parse", f"{merge}:settings.py").strip()
    drop(clone, lost)
    proc, data = cli(tmp_path, "--repo", "damaged")
    assert proc.returncode == 1 and data is not None, proc.stderr
    [check] = data["checks"]
    assert {u["commit"] for u in check["evidence"]["unreadable"]} == {merge}
    assert not [n for n in data["notes"] if "read again without the files they delete" in n]


def test_a_merge_git_cannot_diff_within_the_cap_is_listed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merge that rewrites a large file in one block (no deletion to leave out) and still
    exhausts the cap: listed as unreadable, and the run cannot pass."""
    merge, first, _ = _merge_deleting_a_large_file(repo, 4000)
    # the same merge, but keeping a rewritten file where it deleted one: the lines both parents
    # lost stand before the same (only) surviving line, as for the deletion
    git(repo, "checkout", "-q", "-b", "rewrite", merge)
    git(repo, "reset", "-q", "--soft", first)
    (repo / "deps.lock").write_text("rewritten\n")
    git(repo, "add", "deps.lock")
    tree = git(repo, "write-tree").strip()
    rewrite = git(repo, "commit-tree", tree, "-p", first, "-p", "feature", "-m", "merge, rewrite the lock").strip()
    git(repo, "update-ref", "refs/heads/rewrite", rewrite)
    monkeypatch.setenv("LAUNCHREADY_GIT_MEMORY_MB", "64")
    proc, data = cli(repo)
    assert proc.returncode == 1 and data is not None, proc.stderr
    [check] = data["checks"]
    assert check["id"] == "history.objects" and check["status"] == "error"
    assert {u["commit"] for u in check["evidence"]["unreadable"]} == {rewrite}
    assert "Out of memory" in check["message"]
    assert stripe_commits(data) == {merge}


def test_the_git_memory_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from launchready.history.logproc import GIT_MEMORY_ENV, GIT_MEMORY_MIN, git_memory_cap

    monkeypatch.setenv(GIT_MEMORY_ENV, "0")
    assert git_memory_cap() is None
    monkeypatch.setenv(GIT_MEMORY_ENV, "64")
    assert git_memory_cap() == 64 << 20
    monkeypatch.delenv(GIT_MEMORY_ENV)
    cap = git_memory_cap()
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert cap is not None and GIT_MEMORY_MIN <= cap <= max(GIT_MEMORY_MIN, total // 4)
