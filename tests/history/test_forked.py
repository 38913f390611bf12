"""The two-process machinery of a history scan, on real forked processes."""

from __future__ import annotations

import os
import signal

import pytest

from launchready import redact
from launchready.history.forked import Claims
from launchready.history.forked import fork as Child
from launchready.history.gitlog import GitError
from launchready.procs import ChildError


def _walk(claims: Claims, side: int, order: list[str]) -> list[str]:
    taken = []
    for sha in order:
        if not claims.take(side, sha):
            break
        taken.append(sha)
    claims.count(side, len(taken), 10 * len(taken))
    return taken


@pytest.mark.parametrize("n", [1, 2, 3, 500, 4001])
def test_two_ends_take_every_commit_exactly_once(n: int) -> None:
    shas = [f"{i:040x}" for i in range(n)]
    claims = Claims()
    child = Child(lambda: _walk(claims, 1, list(reversed(shas))))
    mine = _walk(claims, 0, shas)
    theirs = child.result()
    claims.close()
    assert sorted(mine + theirs) == shas  # no commit twice, none missing
    assert mine == shas[: len(mine)] and theirs == list(reversed(shas))[: len(theirs)]


def test_counts_are_shared() -> None:
    claims = Claims()
    child = Child(lambda: claims.count(1, 7, 70))
    child.result()
    claims.count(0, 3, 30)
    assert claims.counts() == (10, 100)
    claims.close()


def test_what_is_left_between_the_ends_is_estimated_from_commit_times() -> None:
    """Each end counts the commit times it went from and has reached (the newest end walks down
    in time, the oldest up): what lies between them, at the bytes per second of history both
    read, is what is left to scan. Unknown until both counted; nothing once they crossed."""
    claims = Claims()
    try:
        assert claims.left() is None
        claims.count(0, 100, 4_000_000, first=10_000, last=8_000)  # 2,000 s of history, 4 MB
        assert claims.left() is None
        Child(lambda: claims.count(1, 50, 2_000_000, first=0, last=1_000)).result()  # 1,000 s, 2 MB
        assert claims.left() == pytest.approx(7_000 * 6_000_000 / 3_000)  # 7,000 s between them
        assert claims.counts() == (150, 6_000_000)
        claims.count(0, 400, 9_000_000, first=10_000, last=900)
        assert claims.left() == 0.0
        claims.count(0, 400, 9_000_000, first=10_000, last=12_000)  # a clock set wrong: no estimate
        assert claims.left() is None
    finally:
        claims.close()


def test_child_errors_come_back_to_the_parent() -> None:
    def git_fails() -> None:
        raise GitError("git log failed (128): fatal: bad object")

    with pytest.raises(GitError, match="bad object"):
        Child(git_fails).result()

    secret = "sk_live_" + "Q7" * 14

    def bug() -> None:
        redact.remember(secret)  # the child saw this secret; the parent never did
        raise ValueError(f"bad value {secret}")

    with pytest.raises(ChildError) as info:
        Child(bug).result()
    assert "ValueError" in str(info.value) and secret not in str(info.value)


def test_a_child_that_dies_is_an_error_and_stop_reaps_a_running_child() -> None:
    with pytest.raises(ChildError, match="died"):
        Child(lambda: os.kill(os.getpid(), signal.SIGKILL)).result()
    child = Child(lambda: signal.pause())
    child.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # already reaped
