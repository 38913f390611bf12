"""``procs.dying_with_parent``: a process we start gets a signal from the kernel when we die,
even by SIGKILL, through ``setpriv --pdeathsig`` (which lets Python vfork) or, where there is
no such setpriv, a ``preexec_fn``. Real processes, killed for real."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from launchready import procs

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")

# A parent that starts `sleep` the way history starts git, prints its pid, and waits.
PARENT = """
import subprocess, sys, time
from launchready import procs
args, preexec = procs.dying_with_parent([sys.argv[1], "300"])
child = subprocess.Popen(args, preexec_fn=preexec)
print(child.pid, "setpriv" if preexec is None else "preexec", flush=True)
time.sleep(300)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


@pytest.mark.parametrize("with_setpriv", [True, False])
def test_the_child_dies_with_a_killed_parent(tmp_path: Path, with_setpriv: bool) -> None:
    sleep = shutil.which("sleep")
    assert sleep is not None
    env = dict(os.environ)
    if not with_setpriv:
        env["PATH"] = str(tmp_path)  # no setpriv to be found: the preexec_fn way
    elif shutil.which("setpriv") is None:
        pytest.skip("no setpriv here")
    parent = subprocess.Popen([sys.executable, "-c", PARENT, sleep], stdout=subprocess.PIPE, text=True, env=env)
    assert parent.stdout is not None
    pid_text, how = parent.stdout.readline().split()
    child = int(pid_text)
    assert how == ("setpriv" if with_setpriv else "preexec")
    assert _alive(child)
    # setpriv asks for the signal before it runs `sleep`: a parent killed before then (under
    # load, a few ms) leaves no signal to send, which is not what this test is about
    deadline = time.monotonic() + 10
    while _comm(child) != "sleep" and time.monotonic() < deadline:
        time.sleep(0.01)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(child), "the child outlived its killed parent"


def test_without_setpriv_the_command_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(procs, "_setpriv", lambda: None)
    args, preexec = procs.dying_with_parent(["git", "log"])
    assert args == ["git", "log"] and preexec is not None


def test_with_setpriv_python_may_vfork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(procs, "_setpriv", lambda: "/usr/bin/setpriv")
    args, preexec = procs.dying_with_parent(["git", "log"], signal.SIGKILL)
    assert args == ["/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "git", "log"] and preexec is None


# ``procs.block_buffered``: a C program writing into our pipe (git) writes large blocks.
def _first_output_within(cmd: list[str], seconds: float) -> tuple[bool, bytes]:
    """Feed ``cmd`` (a filter that copies its input) 10 KiB and keep its input open: does
    any output arrive within ``seconds``? Then close the input: everything it wrote."""
    data = b"".join(b"%05d" % i + b"x" * 94 + b"\n" for i in range(100))
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(data)
        proc.stdin.flush()
        import select

        early = bool(select.select([proc.stdout], [], [], seconds)[0])
        proc.stdin.close()
        out = proc.stdout.read()
    finally:
        proc.kill()
        proc.wait()
    assert out == data  # the same output, whatever the buffering
    return early, out


def test_a_block_buffered_program_writes_in_large_blocks() -> None:
    sed = shutil.which("sed")
    if procs._stdbuf() is None or sed is None:
        pytest.skip("no stdbuf (coreutils) or sed here")
    # stdio's default for a pipe is 4 KiB blocks: 10 KiB of input shows up at once
    early, _ = _first_output_within([sed, ""], 5.0)
    assert early
    # in 64 KiB blocks, nothing until the program ends
    early, _ = _first_output_within(procs.block_buffered([sed, ""]), 0.5)
    assert not early


def test_without_stdbuf_the_command_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(procs, "_stdbuf", lambda: None)
    assert procs.block_buffered(["git", "log"]) == ["git", "log"]
