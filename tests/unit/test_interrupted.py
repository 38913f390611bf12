"""Ctrl-C exits 130 saying ``interrupted``, wherever it lands.

CPython remembers a plain ``KeyboardInterrupt`` that left any ``exec``/``eval`` of a string
(``dataclasses`` and ``namedtuple`` build their methods that way: a lazy import of a module
with a dataclass is such a place) and kills itself with SIGINT when the program ends, even
though the exception was caught: a history scan interrupted early printed
``launchready: interrupted`` and died by SIGINT (-2) about twice in a hundred runs. These
tests put a real SIGINT inside a real ``exec`` and run the real CLI and interpreter exit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from launchready import procs

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# SIGINT sent to this process from inside code that ``exec`` runs, then work until the
# handler has run (as when Ctrl-C lands while a dataclass's methods are being built)
SIGINT_INSIDE_EXEC = "import os, signal\nos.kill(os.getpid(), signal.SIGINT)\nwhile True: pass\n"


def _run_module(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    """``python -m`` a module made of ``body``: the way the signal tests start launchready,
    through the interpreter's ``Py_RunMain``, which is where a remembered interrupt kills."""
    (tmp_path / "interrupt_probe.py").write_text(textwrap.dedent(body))
    return subprocess.run(
        [sys.executable, "-m", "interrupt_probe"],
        cwd=tmp_path,
        env={**ENV, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_interrupt_inside_exec_still_exits_130(tmp_path: Path) -> None:
    """The CLI is interrupted while it loads its configuration, inside an ``exec``: it says
    so and exits 130 (it died by SIGINT when SIGINT raised a plain ``KeyboardInterrupt``)."""
    res = _run_module(
        tmp_path,
        f"""
        from launchready import cli

        def load_config(*args, **kwargs):
            exec({SIGINT_INSIDE_EXEC!r})

        cli.load_config = load_config
        raise SystemExit(cli.main(["rules", "list"]))
        """,
    )
    assert res.returncode == 130, (res.returncode, res.stderr)
    assert res.stderr == "launchready: interrupted\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_a_finalizer_swallowed_still_stops_the_run(tmp_path: Path, sig: int) -> None:
    """A handler runs wherever the main thread is, finalizers included, and Python ignores
    what a finalizer raises (it printed a traceback and the run exited 0 as if never
    stopped). The run goes on to its end, but says it was stopped and exits as stopped."""
    res = _run_module(
        tmp_path,
        f"""
        import os
        from launchready import cli

        real_load_config = cli.load_config

        class Dropped:
            def __del__(self):
                os.kill(os.getpid(), {int(sig)})
                for _ in range(1000):  # the handler runs here, inside the finalizer
                    pass

        def load_config(*args, **kwargs):
            Dropped()  # finalized at once
            return real_load_config(*args, **kwargs)

        cli.load_config = load_config
        raise SystemExit(cli.main(["rules", "list"]))
        """,
    )
    word, code = ("interrupted", 130) if sig == signal.SIGINT else ("terminated", 143)
    assert res.returncode == code, (res.returncode, res.stderr)
    assert res.stderr == f"launchready: {word}\n"


def test_a_stop_in_importlibs_code_leaves_no_import_lock_held(tmp_path: Path) -> None:
    """A module lock's weakref callback takes the global import lock before its ``try``: a
    stop raised right there was swallowed (it runs as a callback) and left the lock held by
    the main thread, so the next import by any other thread waited forever (a worker's, or
    a non-daemon thread's the interpreter joins at exit: the run never ended). The stop is
    now raised once the main thread has left importlib's code. The signal is tripped by a
    profile hook at that very instruction; the hook's globals say it is importlib's code,
    as the callback it interrupts is."""
    (tmp_path / "fresh_module.py").write_text("x = 1\n")
    res = _run_module(
        tmp_path,
        """
        import _imp, _thread, signal, sys, threading, time
        from launchready import procs

        hook = {"__name__": "importlib._bootstrap", "_thread": _thread, "signal": signal, "sys": sys}
        exec(
            "def profiler(frame, event, arg):\\n"
            "    if event == 'c_return' and frame.f_code.co_name == 'cb' and getattr(arg, '__name__', '') == 'acquire_lock':\\n"
            "        sys.setprofile(None)\\n"
            "        _thread.interrupt_main(signal.SIGINT)\\n",
            hook,
        )
        raised = False
        with procs.handle_termination() as stopping:
            try:
                sys.setprofile(hook["profiler"])
                import fresh_module  # its module lock is dropped at the end: the callback runs
                sys.setprofile(None)
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:  # the stop comes a moment later
                    pass
            except KeyboardInterrupt:
                raised = True
        importer = threading.Thread(target=__import__, args=("json",), daemon=True)
        importer.start()
        importer.join(5)
        print(raised, stopping.missed, _imp.lock_held(), importer.is_alive())
        """,
    )
    assert res.stdout.split() == ["True", "None", "False", "False"], (res.stdout, res.stderr)


def test_a_plain_keyboard_interrupt_inside_exec_is_what_kills(tmp_path: Path) -> None:
    """The interpreter behaviour worked around, so that the test above keeps meaning
    something: a program that caught a plain ``KeyboardInterrupt`` raised inside an ``exec``
    and exits 130 dies by SIGINT all the same."""
    res = _run_module(
        tmp_path,
        f"""
        import signal
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            exec({SIGINT_INSIDE_EXEC!r})
        except KeyboardInterrupt:
            pass
        raise SystemExit(130)
        """,
    )
    assert res.returncode == -signal.SIGINT, (res.returncode, res.stderr)


def test_sigint_raises_interrupted_and_the_handler_is_restored() -> None:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    hook = sys.unraisablehook
    try:
        with pytest.raises(procs.Interrupted), procs.handle_termination() as outer:
            with procs.handle_termination(sigint=True) as inner:  # the demo's, inside cli.main's
                assert inner is outer
            os.kill(os.getpid(), signal.SIGINT)
            while True:
                pass
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert sys.unraisablehook is hook and outer.missed is None
    finally:
        signal.signal(signal.SIGINT, previous)


def test_sigint_ignored_or_handled_by_the_caller_is_left_alone() -> None:
    """Ignored on entry (a non-interactive shell's background job) stays ignored unless the
    command asks for Ctrl-C (``sigint=True``, the demo); a caller's own handler is kept."""

    def own(signum: int, frame: object) -> None:
        pass

    previous = signal.getsignal(signal.SIGINT)
    try:
        for handler in (signal.SIG_IGN, own):
            signal.signal(signal.SIGINT, handler)
            with procs.handle_termination():
                assert signal.getsignal(signal.SIGINT) is handler
            with procs.handle_termination(sigint=True):
                assert signal.getsignal(signal.SIGINT) is not handler
            assert signal.getsignal(signal.SIGINT) is handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_stop_as_a_log_reader_takes_its_lock_leaves_the_scan_able_to_stop(tmp_path: Path) -> None:
    """A history scan interrupted as the main thread took a ``ReadAhead``'s lock through
    ``with condition:`` (Python code: the exception came after the lock was taken) kept the
    lock, and its cleanup waited forever for the reader thread blocked on it: found as a
    ``launchready history`` still running an hour after Ctrl-C. The signal is tripped by a
    profile hook right where the lock was taken; ``stop()`` must then finish."""
    res = _run_module(
        tmp_path,
        """
        import os, signal, sys, threading, _thread
        from launchready import procs
        from launchready.history.logproc import ReadAhead

        def profiler(frame, event, arg):
            if event == "c_return" and frame.f_code.co_name == "__enter__" and "threading" in frame.f_code.co_filename:
                sys.setprofile(None)
                _thread.interrupt_main(signal.SIGINT)  # right after Condition.__enter__ took the lock

        read, write = os.pipe()
        os.write(write, b"some log")
        ahead = ReadAhead(os.fdopen(read, "rb"))
        while not ahead._chunks:  # the reader has taken what git wrote
            pass
        with procs.handle_termination():
            try:
                sys.setprofile(profiler)
                ahead.read1()
                sys.setprofile(None)
            except KeyboardInterrupt:
                pass
        stopper = threading.Thread(target=ahead.stop, daemon=True)
        stopper.start()
        stopper.join(5)
        print("stopped", not stopper.is_alive())
        """,
    )
    assert res.stdout.split() == ["stopped", "True"], (res.stdout, res.stderr)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_a_class_is_built_exits_as_stopped(tmp_path: Path, sig: int) -> None:
    """Python 3.11 turns what a descriptor's ``__set_name__`` raises into a ``RuntimeError``
    (a stop that lands while a command's module builds a dataclass): still a stop, not an
    internal error with a traceback."""
    res = _run_module(
        tmp_path,
        f"""
        import os
        from launchready import cli

        class Field:
            def __set_name__(self, owner, name):
                os.kill(os.getpid(), {int(sig)})
                for _ in range(100_000):  # the handler runs here
                    pass

        def load_config(*args, **kwargs):
            class Options:
                value = Field()

        cli.load_config = load_config
        raise SystemExit(cli.main(["rules", "list"]))
        """,
    )
    word, code = ("interrupted", 130) if sig == signal.SIGINT else ("terminated", 143)
    assert (res.returncode, res.stderr) == (code, f"launchready: {word}\n")


def test_stop_behind_finds_a_stop_python_wrapped() -> None:
    class Stops:
        def __set_name__(self, owner: type, name: str) -> None:
            raise procs.Terminated

    with pytest.raises(RuntimeError) as caught:
        type("Built", (), {"field": Stops()})
    assert isinstance(procs.stop_behind(caught.value), procs.Terminated)
    assert procs.stop_behind(RuntimeError("a bug")) is None
    looped = ValueError("a bug")
    looped.__context__ = RuntimeError()
    looped.__context__.__context__ = looped
    assert procs.stop_behind(looped) is None
