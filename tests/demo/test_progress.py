"""The progress line: shown on a terminal, silent in CI logs, pipes and with -q."""

from __future__ import annotations

import io

import pytest

from launchready.progress import Progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_rewrites_one_line_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    out = _Tty()
    p = Progress(out, min_interval=0)
    first, second = "history: 1200 commits, 14.2 MB/s", "history: 2400 commits"
    p.update("history", "1200 commits, 14.2 MB/s")
    p.update("history", "2400 commits")
    # the shorter line pads over the longer one's leftovers
    assert out.getvalue() == "\r" + first + "\r" + second + " " * (len(first) - len(second))
    p.done()
    assert out.getvalue().endswith("\r" + " " * len(second) + "\r")


@pytest.mark.parametrize("var", ["CI", "GITHUB_ACTIONS"])
def test_progress_is_silent_in_ci(monkeypatch: pytest.MonkeyPatch, var: str) -> None:
    monkeypatch.setenv(var, "true")
    out = _Tty()
    p = Progress(out, min_interval=0)
    p.update("live", "3/40 checks")
    p.done()
    assert out.getvalue() == ""


def test_progress_is_silent_on_a_pipe_and_when_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    pipe, tty = io.StringIO(), _Tty()
    Progress(pipe, min_interval=0).update("scan", "x")
    Progress(tty, quiet=True, min_interval=0).update("scan", "x")
    assert pipe.getvalue() == "" and tty.getvalue() == ""
