"""SIGTERM, SIGINT and SIGKILL sent to a real ``launchready history`` at several points of a
scan leave no process behind: not the forked worker, not a ``git log``, not a grandchild.

The signal goes to the launchready process alone (``kill PID``, as a service manager or a CI
runner's timeout sends it), not to its process group, so nothing but launchready itself can
stop its children. Every process is found in /proc by its session (the CLI is started in a
new one, which its children and grandchildren inherit).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.history.test_history import fast_import_repo

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _session(sid: int) -> list[tuple[int, str]]:
    """(pid, name) of every live process of session ``sid`` (zombies are left to init)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        name = stat.split("(", 1)[1].rsplit(")", 1)[0]
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append((int(pid), name))
    return found


@pytest.fixture(scope="module")
def long_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("signals") / "long"
    repo.mkdir()
    fast_import_repo(repo, 40_000, {})  # about a second of scanning: room for every point
    return repo


def _pythons(procs: list[tuple[int, str]]) -> int:
    return sum(name.startswith("python") for _, name in procs)


def _gits(procs: list[tuple[int, str]]) -> int:
    return sum(name.startswith("git") for _, name in procs)


# When to send the signal: a condition on the session's processes, then a pause.
POINTS: dict[str, tuple[Callable[[list[tuple[int, str]]], bool], float]] = {
    "git-started": (lambda ps: _gits(ps) >= 1, 0.0),  # the prefetched logs run, no worker yet
    "worker-forked": (lambda ps: _pythons(ps) >= 2, 0.0),  # both ends just started
    "mid-scan": (lambda ps: _pythons(ps) >= 2, 0.08),  # both ends into the history (the whole scan takes ~1 s)
}


def _start(repo: Path, *args: str) -> subprocess.Popen[str]:
    """``python ARGS`` (default: the history scan) in its own session in ``repo``."""
    return subprocess.Popen(
        [sys.executable, *(args or ("-m", "launchready", "history", "--jobs", "2", "--json", "out.json"))],
        cwd=repo,
        env=ENV,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(proc: subprocess.Popen[str], ready: Callable[[list[tuple[int, str]]], bool]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if ready(_session(proc.pid)):
            return
        if proc.poll() is not None:
            pytest.fail(f"the scan ended before the point was reached: {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.002)
    pytest.fail("the point was never reached")


def _nothing_left(sid: int) -> None:
    deadline = time.monotonic() + 5
    while (left := _session(sid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left == [], f"still running after the scan stopped: {left}"


@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_scan_and_everything_it_started(long_repo: Path, sig: int, point: str) -> None:
    ready, pause = POINTS[point]
    proc = _start(long_repo)
    _wait_for(proc, ready)
    time.sleep(pause)
    os.kill(proc.pid, sig)
    _, err = proc.communicate(timeout=30)
    if sig == signal.SIGTERM:
        assert proc.returncode == 143 and "launchready: terminated" in err, err
    else:
        # our own exit, never death by SIGINT (tests/unit/test_interrupted.py says why it was)
        assert proc.returncode == 130 and "launchready: interrupted" in err, (proc.returncode, err)
    assert "Traceback" not in err
    _nothing_left(proc.pid)


def test_sigterm_before_the_scan_starts(long_repo: Path) -> None:
    """Straight after start (Python still loading): the default action or our handler, and
    nothing left either way."""
    proc = _start(long_repo)
    time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode in (143, -signal.SIGTERM), err
    assert "Traceback" not in err
    _nothing_left(proc.pid)


@pytest.mark.parametrize("point", ["git-started", "worker-forked", "mid-scan"])
def test_children_die_with_a_killed_parent(long_repo: Path, point: str) -> None:
    """SIGKILL gives launchready no chance to clean up: the kernel stops its children
    (``PR_SET_PDEATHSIG``), the forked worker and every long-lived git process."""
    ready, pause = POINTS[point]
    proc = _start(long_repo)
    _wait_for(proc, ready)
    time.sleep(pause)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    _nothing_left(proc.pid)


def test_the_scan_runs_to_the_end_without_a_signal(long_repo: Path) -> None:
    """The points above are reached inside a scan that, left alone, succeeds."""
    proc = _start(long_repo)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    _nothing_left(proc.pid)


# The console command (``entry.run``) after ``history.early`` started the git logs: the
# signal lands while the CLI's modules build a dataclass, inside a field's ``__set_name__``.
# Python 3.11 turns what that raises into a ``RuntimeError`` (the stop is its cause): the
# run printed a traceback and exited 1, leaving the logs to the kernel.
STOP_WHILE_A_CLASS_IS_BUILT = """
import dataclasses, os, sys
from launchready import entry
from launchready.history import early

real_start, real_set_name = early.start, dataclasses.Field.__set_name__
armed = []

def start(argv, cwd):
    started = real_start(argv, cwd)
    armed.append(started is not None and started.front is not None)
    return started

def set_name(self, owner, name):
    if armed and armed.pop():
        os.kill(os.getpid(), {sig})
        for _ in range(100_000):  # the handler runs here
            pass
    return real_set_name(self, owner, name)

early.start, dataclasses.Field.__set_name__ = start, set_name
sys.argv = ["launchready", "history", "--jobs", "2"]
entry.run()
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_while_the_cli_builds_a_class_stops_the_early_logs(long_repo: Path, sig: int) -> None:
    proc = _start(long_repo, "-c", STOP_WHILE_A_CLASS_IS_BUILT.format(sig=int(sig)))
    _, err = proc.communicate(timeout=60)
    word, code = ("terminated", 143) if sig == signal.SIGTERM else ("interrupted", 130)
    assert (proc.returncode, err) == (code, f"launchready: {word}\n")
    _nothing_left(proc.pid)
