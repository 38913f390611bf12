"""What the two ends of a history scan build once, before the fork, and share: the rules, the
keyword search warmed on the log, the repository's fingerprint salt. Real repositories and
real git; only the repository size that switches to two processes is lowered."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tests.conftest import commit_files

from launchready import redact
from launchready.config import Config
from launchready.demo.keygen import KeyGen
from launchready.history import prefetch, revs
from launchready.history.scan import scan_history
from launchready.registry import all_rules
from launchready.secrets.engine import Engine


def _commits(repo: Path, files: list[tuple[str, str]], filler: int) -> None:
    """``files`` committed first and last, ``filler`` plain commits between: each end of the
    log has a secret of its own."""
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.test")
    env |= {"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.test"}

    def commit(rel: str, text: str, message: str) -> None:
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        subprocess.run(["git", "-C", str(repo), "add", rel], check=True, env=env)
        subprocess.run(["git", "-C", str(repo), "commit", "-qm", message], check=True, env=env)

    commit(*files[0], "first")
    for i in range(filler):
        commit("notes.txt", f"note {i}\n", f"note {i}")
    for rel, text in files[1:]:
        commit(rel, text, "last")


def _scan(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(prefetch, "PARALLEL_MIN_COMMITS", 10)  # two processes for a small repo
    result = scan_history(repo, revs.resolve(repo, all_refs=True), Engine(all_rules(Config())), jobs=2)
    return sorted(f.rule_id for f in result.findings)


def test_the_fingerprint_salt_is_asked_of_git_once(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ends hash what they find with the repository's salt (its root commits, from
    ``git rev-list``): resolved before the fork, not once per process and hashing thread."""
    _commits(
        repo,
        [("a.py", f"key = '{KeyGen(11).stripe_secret()}'\n"), ("b.py", f"k = '{KeyGen(12).stripe_secret()}'\n")],
        40,
    )
    calls = tmp_path / "calls"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    real = subprocess.run(["sh", "-c", "command -v git"], capture_output=True, text=True, check=True).stdout.strip()
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {real} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    redact.set_salt_resolver(lambda: redact.repository_salt(repo))
    try:
        found = _scan(repo, monkeypatch)
    finally:
        redact.set_salt_resolver(None)
    assert found.count("secret.stripe-secret-key") == 2, found  # one from each end
    asked = [line for line in calls.read_text().splitlines() if "--max-parents=0" in line]
    assert len(asked) == 1, asked


def test_a_path_scoped_rule_finds_its_secret_from_either_end(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The keyword search skips the keywords of path-scoped rules ("define" of wp-config.php):
    their files are scanned whole, so their secrets are still found, and the same line in
    any other file is not a finding."""
    line = "define( 'AUTH_KEY', 'q8#Vr!2mZ@x7Lp$4Wn9&Ks3^Jd6*Hf1T' );\n"
    _commits(repo, [("wp-config.php", line), ("site/wp-config-prod.php", line), ("notes/define.php", line)], 30)
    assert _scan(repo, monkeypatch).count("secret.wordpress-config-secret") == 1  # one secret, seen twice


def test_every_rule_with_cased_keywords_is_found_in_history(repo: Path) -> None:
    """History's line prefilter looks for cased keywords (``sl.``, ``SUA``) in their case only:
    a true sample of every such rule, committed, is still found, each in its own file."""
    from launchready.secrets.rules.pack import RULES

    cased = [r.id for r in RULES if r.cased_keywords]
    files = {}
    for n, rule_id in enumerate(cased):
        s = KeyGen(2).sample(rule_id)  # a seed the scan tests use (tests/detection/test_rules.py)
        files[f"s{n}/{s.path}"] = s.text
    commit_files(repo, files, "samples")
    result = scan_history(repo, revs.resolve(repo, all_refs=True), Engine(all_rules(Config())), jobs=1)
    found = {(f.path.split("/", 1)[0], f.rule_id) for f in result.findings}
    missing = [rule_id for n, rule_id in enumerate(cased) if (f"s{n}", rule_id) not in found]
    assert not missing, missing


@pytest.mark.parametrize("batch", [64, 1 << 20])
def test_a_secret_added_to_two_files_at_once_is_reported_in_the_first(
    repo: Path, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One commit adds the same key to two files, one read from its blob (only the key's
    body changed: b.key) and one from the patch (a.key, new): the sighting reported is the
    first path, whichever file the scan happened to record first (batches flushed at other
    moments)."""
    from launchready.history import occurrences

    monkeypatch.setattr(occurrences, "BATCH_BYTES", batch)
    key = KeyGen(7).sample("secret.private-key").secret.splitlines()
    other = KeyGen(8).sample("secret.private-key").secret.splitlines()
    git = ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.test"]
    (repo / "keys").mkdir()
    (repo / "keys" / "b.key").write_text("\n".join([key[0], *other[1:-1], key[-1]]) + "\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "old key"], check=True)
    for name in ("a.key", "b.key"):
        (repo / "keys" / name).write_text("\n".join(key) + "\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "new key in two files"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    result = scan_history(repo, revs.resolve(repo, all_refs=True), Engine(all_rules(Config())), jobs=1)
    added = [f.path for f in result.findings if f.rule_id == "secret.private-key" and f.commit == head]
    assert added == ["keys/a.key"], [(f.rule_id, f.path, f.commit) for f in result.findings]


def test_the_salt_is_worked_out_while_git_runs_and_no_thread_is_left_at_the_fork(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long history's salt is resolved by a thread started with the logs; ``pause()`` (just
    before the fork) leaves no thread of ours running and the salt known."""
    import threading

    _commits(repo, [("a.py", "x = 1\n")], 12)
    started = threading.Event()
    release = threading.Event()

    def slow_salt() -> bytes:
        started.set()
        release.wait(10)
        return redact.repository_salt(repo)

    redact.set_salt_resolver(slow_salt)
    try:
        pre = prefetch.Prefetch(repo, revs.resolve(repo, all_refs=True), 2)
        try:
            assert started.wait(10), "the salt was not asked for when the logs started"
            assert any(t.name == "salt" for t in threading.enumerate())
            release.set()
            pre.pause()
            ours = {"salt", "git-log-reader"}  # (a test runner may have threads of its own)
            assert [t.name for t in threading.enumerate() if t.name in ours] == []
            assert redact.current_salt() == redact.repository_salt(repo)
        finally:
            release.set()
            pre.close()
    finally:
        redact.set_salt_resolver(None)


def test_near_the_meeting_point_a_log_is_no_longer_read_far_ahead(repo: Path) -> None:
    """``hold_back``: the thread reading a ``git log`` ahead keeps at most ``HELD_AHEAD``
    (git stops once the pipe is full too, instead of diffing megabytes the other end scans
    anyway); the log is still read whole."""
    _commits(repo, [("a.py", "x = 1\n")], 12)
    # more log than is read ahead early (8 MiB) and piped (1 MiB): git still writes when asked
    for c in range(4):
        for i in range(16):
            text = "".join(f"line {c} {i} {n} of plain text\n" for n in range(10_000))
            (repo / f"big{c}_{i}.txt").write_text(text)
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
        subprocess.run(
            ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.test", "commit", "-qm", "big"],
            check=True,
        )
    everything = subprocess.run(["git", "-C", str(repo), "rev-list", "--all"], capture_output=True, text=True)
    pre = prefetch.Prefetch(repo, revs.resolve(repo, all_refs=True), 1)
    try:
        assert pre.front is not None
        commits = pre.commits(pre.front)
        seen = [next(commits).sha]
        ahead = pre._ahead[pre.front.pid]
        pre.hold_back(pre.front)
        assert ahead._limit == prefetch.HELD_AHEAD
        for _ in range(500):  # what it had read is used up, and no more is read ahead
            if ahead._size <= prefetch.HELD_AHEAD + (256 << 10):
                break
            seen.append(next(commits).sha)
        assert ahead._size <= prefetch.HELD_AHEAD + (256 << 10)  # one read of the pipe at most
        seen += [c.sha for c in commits]
        pre.finish(pre.front, read_all=True)
        assert seen == everything.stdout.split()
    finally:
        pre.close()
