"""Issue 11: what history and the Action's governance listing cannot read is listed, never
taken for scanned; what they can read (UTF-16/32) they read as ``scan`` does; and a commit too
large to hold in memory neither re-counts old secrets nor hides the commit that removed one.

Through the real CLI (``launchready history``) and ``launchready action`` with GitHub's
variables, on real git repositories.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from tests.action.helpers import Runner, clone, head, in_process_runner, new_origin
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen

from .drive import pr_payload

pytestmark = pytest.mark.timeout(180)

BINARY = "binary (NUL bytes in the first 8 KB, not UTF-16/32)"


@pytest.fixture
def action(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Runner:  # type: ignore[no-untyped-def]
    return in_process_runner(run_cli, monkeypatch, tmp_path)


def _commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return head(repo)


def _history(run_cli: Any, repo: Path, *args: str) -> dict[str, Any]:
    res = run_cli(["history", "--json", "-", *args], repo)
    assert res.code in (0, 1), res.err
    data: dict[str, Any] = json.loads(res.out)
    return data


# ---- 1. binary file versions are listed; UTF-16/32 are read --------------------------------


def test_history_lists_binary_versions_and_reads_wide_encodings(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1120)
    keys = [kg.stripe_secret() for _ in range(6)]
    (repo / ".gitattributes").write_text("* binary\n")  # changes nothing history reads
    (repo / "blob.bin").write_bytes(b"\x89PNG\0\0\x01" + f"KEY = '{keys[0]}'\n".encode())
    (repo / "bom16.txt").write_bytes(("x = 1\n" * 3 + f"KEY = '{keys[1]}'\n").encode("utf-16"))
    (repo / "le16.txt").write_bytes(("# conf\n" + f"KEY = '{keys[2]}'\n").encode("utf-16-le"))
    (repo / "be32.txt").write_bytes(("a\nb\n" + f"KEY = '{keys[3]}'\n").encode("utf-32-be"))
    first = _commit_all(repo, "wide and binary files")
    # a later hunk of a BOM-less UTF-16-LE file starts one byte into a character
    (repo / "le16.txt").write_bytes(
        ("# conf\n" + f"KEY = '{keys[2]}'\n" + "y = 2\n" * 5 + f"MORE = '{keys[4]}'\n").encode("utf-16-le")
    )
    (repo / "blob.bin").write_bytes(b"\x89PNG\0\0\x02" + f"KEY = '{keys[5]}'\n".encode())
    (repo / "other.dat").write_bytes(bytes(range(256)) * 4)
    second = _commit_all(repo, "more")
    data = _history(run_cli, repo)
    found = sorted((f["path"], f["line"], f["introduced_in"]) for f in data["findings"])
    assert found == [
        ("be32.txt", 3, first),
        ("bom16.txt", 4, first),
        ("le16.txt", 2, first),
        ("le16.txt", 8, second),
    ]
    assert data["skipped_files"] == [
        {"path": "blob.bin", "reason": f"{BINARY}, in 2 commits, the first {first[:12]}"},
        {"path": "other.dat", "reason": f"{BINARY}, in commit {second[:12]}"},
    ]
    assert data["summary"]["files_skipped"] == 2 and data["summary"]["files_scanned"] == 0
    [note] = [n for n in data["notes"] if "not scanned" in n]
    assert note.startswith("history: 2 files not scanned (skipped, not counted as scanned): 'blob.bin': ")
    text = run_cli(["history", "-v"], repo)
    assert "2 files not scanned" in text.out and "'other.dat'" in text.out
    assert "launchready: skipped blob.bin: binary" in text.err
    assert all(k not in text.out + text.err for k in keys)


def test_binary_bytes_are_not_counted_as_scanned(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    commit_file(repo, "a.py", "x = 1\n")
    text_only = _history(run_cli, repo)["summary"]["bytes_scanned"]
    (repo / "blob.bin").write_bytes(b"\0" * 200_000)
    _commit_all(repo, "a binary file")
    data = _history(run_cli, repo)
    assert data["summary"]["bytes_scanned"] < text_only + 2_000  # the commit's header, not its 200 KB
    assert [s["path"] for s in data["skipped_files"]] == ["blob.bin"]


def test_action_history_lists_binary_files_of_the_pull_request(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(1121)
    origin = new_origin(tmp_path / "origin")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    (origin / "model.bin").write_bytes(b"\0\1\2" + f"KEY = '{kg.stripe_secret()}'\n".encode())
    (origin / "conf.txt").write_bytes(f"KEY = '{kg.stripe_secret()}'\n".encode("utf-32"))
    tip = _commit_all(origin, "weights and a wide config")
    git(origin, "checkout", "-q", "main")
    ws = clone(origin, tmp_path / "ws", "--branch", "feature")
    r = action(ws, "pull_request", pr_payload(base, tip), mode="history")
    assert r.code == 1, r.out + r.err
    assert r.report is not None
    assert [(f["rule_id"], f["path"]) for f in r.report["findings"]] == [("secret.stripe-secret-key", "conf.txt")]
    assert r.report["skipped_files"] == [{"path": "model.bin", "reason": f"{BINARY}, in commit {tip[:12]}"}]
    assert r.report["summary"]["files_skipped"] == 1
    assert "1 file not scanned" in r.summary and "model.bin" in r.summary


# ---- 2. the governance listing reads UTF-16/32 files -------------------------------------


def test_allow_comments_in_wide_files_are_listed(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(1122)
    origin = new_origin(tmp_path / "origin")
    (origin / "old16.txt").write_bytes(("x = 1\n" * 4).encode("utf-16-le"))
    base = _commit_all(origin, "base")
    git(origin, "checkout", "-q", "-b", "feature")
    allow = f"KEY = '{kg.stripe_secret()}'  # launchready:allow\n"
    (origin / "bom16.txt").write_bytes(("# conf\n" + allow).encode("utf-16"))
    (origin / "be32.txt").write_bytes(("a\n" * 2 + "T = 1  # gitleaks:allow\n").encode("utf-32-be"))
    # a hunk that starts past line 1 of a BOM-less UTF-16-LE file
    (origin / "old16.txt").write_bytes(("x = 1\n" * 4 + "y = 2\n" + allow).encode("utf-16-le"))
    (origin / "a b\t.py").write_text("# pragma: allowlist secret\n")  # a name git quotes
    (origin / ".gitattributes").write_text("* -diff\n")
    tip = _commit_all(origin, "allow comments in wide files")
    git(origin, "checkout", "-q", "main")
    ws = clone(origin, tmp_path / "ws", "--branch", "feature")
    r = action(ws, "pull_request", pr_payload(base, tip))
    listed = sorted(ln.replace("\t", " ") for ln in r.summary.splitlines() if "adds an allow comment" in ln)
    assert [ln.split("adds an allow comment ", 1)[1] for ln in listed] == [
        "(gitleaks:allow) at be32.txt:3",
        "(launchready:allow) at bom16.txt:2",
        "(launchready:allow) at old16.txt:6",
        "(pragma: allowlist secret) at a b .py:1",  # unquoted (git writes "b/a b\\t.py")
    ], listed


# ---- 3. a commit over the history record bound -------------------------------------------


def test_commit_too_large_to_hold_counts_each_secret_once_and_its_removal_is_found(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """c1 adds KEY_A; c2 (over the record bound) adds big.txt holding KEY_B and edits the file holding
    KEY_A without touching it; c3 (over it again) deletes big.txt and removes KEY_A. Each
    key is one finding, seen once, introduced where it was added, removed in c3; a range that
    starts after c1 does not blame c2 for KEY_A."""
    from launchready.history.gitlog import MAX_RECORD

    kg = KeyGen(1123)
    key_a, key_b = kg.groq(), kg.groq()
    filler = b"x" * (MAX_RECORD + (1 << 20)) + b"\n"
    c1 = commit_file(repo, "conf.py", f"GROQ_API_KEY = '{key_a}'\n", "config")
    (repo / "big.txt").write_bytes(b"# data\n" + f"GROQ_API_KEY={key_b}\n".encode() + filler)
    (repo / "conf.py").write_text(f"GROQ_API_KEY = '{key_a}'\nDEBUG = False\n")
    c2 = _commit_all(repo, "data")
    (repo / "big.txt").unlink()
    (repo / "big2.txt").write_bytes(filler.replace(b"x", b"y"))
    (repo / "conf.py").write_text("DEBUG = False\n")
    c3 = _commit_all(repo, "other data, no keys")
    start = time.monotonic()
    data = _history(run_cli, repo)
    elapsed = time.monotonic() - start
    got = {
        f["path"]: (f["introduced_in"], f["line"], f["occurrences"], f["present_at_head"], f["message"])
        for f in data["findings"]
    }
    assert sorted(got) == ["big.txt", "conf.py"], data["findings"]
    assert got["conf.py"][:4] == (c1, 1, 1, False)
    assert got["big.txt"][:4] == (c2, 2, 1, False)
    for _, _, _, _, message in got.values():
        assert f"removed in {c3[:12]}" in message and "seen 1 time in 1 commit" in message
    oversized = [n for n in data["notes"] if "too large to hold in memory" in n]
    assert sorted(n.split()[2] for n in oversized) == sorted([c2[:12], c3[:12]])
    # the pull request after c1 only added KEY_B: c2's rewrite of conf.py did not add KEY_A
    ranged = _history(run_cli, repo, "--range", f"{c1}..HEAD")
    assert [(f["path"], f["introduced_in"]) for f in ranged["findings"]] == [("big.txt", c2)]
    out = json.dumps(data) + json.dumps(ranged)
    assert key_a not in out and key_b not in out
    assert elapsed < 60, elapsed  # a few seconds on an idle machine


def test_utf16_commit_too_large_to_hold_and_a_merge_git_calls_binary(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """A side branch adds a UTF-16 file over the record bound holding a key (read from its blob, decoded).
    The merge rewrites that file, adding a second key, and edits a config holding a third:
    git's combined diff says "Binary files differ" for the wide file even with --text, so it
    is read from its blobs too. Old keys stay one finding each, seen once, where they were
    added; the key the merge added is the merge's."""
    from launchready.history.gitlog import MAX_RECORD

    kg = KeyGen(1124)
    key, wide_key, merge_key = kg.groq(), kg.groq(), kg.groq()
    body = "z" * ((MAX_RECORD >> 1) + (1 << 19))
    c1 = commit_file(repo, "conf.py", f"GROQ_API_KEY = '{key}'\n", "config")
    git(repo, "checkout", "-q", "-b", "side")
    (repo / "wide.txt").write_bytes(f"GROQ_API_KEY={wide_key}\n{body}\n".encode("utf-16"))
    side = _commit_all(repo, "wide data")
    git(repo, "checkout", "-q", "-")
    commit_file(repo, "conf.py", f"GROQ_API_KEY = '{key}'\nA = 1\n", "edit on main")
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "side")
    (repo / "conf.py").write_text(f"GROQ_API_KEY = '{key}'\nA = 1\nB = 2\n")
    wide = f"GROQ_API_KEY={wide_key}\n{body}\nOTHER_GROQ_KEY={merge_key}\n"
    (repo / "wide.txt").write_bytes(wide.encode("utf-16"))
    merge = _commit_all(repo, "merge side")
    data = _history(run_cli, repo)
    got = sorted(
        (f["path"], f["line"], f["introduced_in"], f["occurrences"], f["present_at_head"]) for f in data["findings"]
    )
    assert got == [("conf.py", 1, c1, 1, True), ("wide.txt", 1, side, 1, True), ("wide.txt", 3, merge, 1, True)]
    assert [n.split()[2] for n in data["notes"] if "too large to hold in memory" in n] == [side[:12]]
    assert "skipped_files" not in data or data["skipped_files"] == []


def test_utf16_secrets_present_at_head_and_their_removal_are_looked_up_decoded(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """git grep and ``-`` lines see a UTF-16 file's bytes: the lookups decode it as scan does."""
    kg = KeyGen(1126)
    kept, removed = kg.stripe_secret(), kg.stripe_secret()
    (repo / "kept.txt").write_bytes(f"KEY = '{kept}'\n".encode("utf-16"))
    (repo / "gone.txt").write_bytes(("# settings\n" * 3 + f"KEY = '{removed}'\nx = 1\n").encode("utf-16-le"))
    c1 = _commit_all(repo, "wide configs")
    (repo / "gone.txt").write_bytes(("# settings\n" * 3 + "KEY = None\nx = 1\n").encode("utf-16-le"))
    c2 = _commit_all(repo, "remove the key")
    data = _history(run_cli, repo)
    got = {f["path"]: f for f in data["findings"]}
    assert (got["kept.txt"]["introduced_in"], got["kept.txt"]["present_at_head"]) == (c1, True)
    assert (got["gone.txt"]["line"], got["gone.txt"]["present_at_head"]) == (4, False)
    assert f"removed in {c2[:12]}" in got["gone.txt"]["message"]
