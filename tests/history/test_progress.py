"""History progress: counts reported while scanning, serially and across worker processes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from launchready.config import Config
from launchready.history import logproc, prefetch, revs
from launchready.history import scan as history
from launchready.history.scan import scan_history
from launchready.registry import all_rules
from launchready.secrets.engine import Engine


def _many_commits(repo: Path, n: int) -> None:
    """``n`` commits in one ``git fast-import`` run (each adds a line to app.py)."""
    stream = []
    body = ""
    for i in range(n):
        body += f"value_{i} = {i}\n"
        data = body.encode()
        stream.append(
            f"commit refs/heads/main\nmark :{i + 1}\ncommitter T <t@example.test> {1700000000 + i} +0000\n"
            f"data 4\nc{i:03d}\n"
            + (f"from :{i}\n" if i else "")
            + f"M 100644 inline app.py\ndata {len(data)}\n"
            + body
            + "\n"
        )
    subprocess.run(["git", "-C", str(repo), "fast-import", "--quiet"], input="".join(stream).encode(), check=True)
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "main"], check=True)


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_progress_reaches_every_commit(repo: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Serially and from both ends at once (2 workers; more are capped at 2)."""
    n = 300
    _many_commits(repo, n)
    monkeypatch.setattr(prefetch, "PARALLEL_MIN_COMMITS", 10)
    monkeypatch.setattr(history, "PROGRESS_EVERY", 16)
    seen: list[tuple[int, int]] = []
    result = scan_history(
        repo,
        revs.resolve(repo, all_refs=True),
        Engine(all_rules(Config())),
        jobs=jobs,
        progress=lambda c, b: seen.append((c, b)),
    )
    assert result.commits == n
    assert seen, "no progress was reported"
    commits = [c for c, _ in seen]
    assert commits == sorted(commits) and 0 < commits[-1] <= n
    if jobs == 1:
        assert commits[-1] == n - n % 16  # every 16 commits, serially
    else:
        assert commits[-1] == n  # the last update counts every commit
        assert seen[-1][1] == result.bytes


def test_no_progress_line_off_a_terminal(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _many_commits(repo, 20)
    res = run_cli(["history"], repo)
    assert res.code == 0
    assert "MB/s" not in res.err and "\r" not in res.err


def test_one_process_where_fork_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert logproc.workers_wanted(4) == 2  # one process per end of the log
    assert logproc.workers_wanted(1) == 1
    monkeypatch.delattr(logproc.os, "fork")
    assert logproc.workers_wanted(4) == 1 and logproc.workers_wanted() == 1


def test_one_process_on_macos(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never fork where fork is unsafe (macOS system frameworks): one process there."""
    from launchready import procs

    monkeypatch.setattr(procs.sys, "platform", "darwin")
    assert not procs.can_fork() and logproc.workers_wanted(2) == 1 and procs.die_with_parent() is None
