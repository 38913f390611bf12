"""The one owner of the processes launchready starts and of the signals that stop it.

- ``handle_termination()``: SIGTERM is handled like Ctrl-C (``cli.main``): it raises
  ``Terminated`` (a ``KeyboardInterrupt``), so every ``finally`` on the way out stops and
  reaps what it started, and the run exits 143 saying ``terminated``. Ctrl-C raises
  ``Interrupted``, a ``KeyboardInterrupt`` of our own type, so the run exits 130 saying
  ``interrupted`` wherever it lands (see ``Interrupted``).
- ``die_with_parent``: a child that outlives its parent would run on for nothing (a
  ``git log`` of a long history runs for minutes): on Linux the kernel sends it a signal when
  the parent dies, even by SIGKILL (``PR_SET_PDEATHSIG``). Used for the long-lived git
  processes of a history scan and for forked workers; not on the pre-commit hook's hot path
  (a ``preexec_fn`` makes each spawn a fork of the whole interpreter).
- ``can_fork()``: fork only where it is safe. On macOS system frameworks may hold locks a
  forked child never releases (Python defaults to spawn there since 3.8): history scans in
  one process there, as it does where there is no fork at all (Windows).
- ``Child``: a function run in a forked child, its result read back through a pipe.
- ``block_buffered``: a program whose output we read through a pipe writes it in large
  blocks (coreutils' ``stdbuf``), not a small write (and a wake-up of the reader) per 4 KiB.

Nothing here keeps state in module globals: each ``Child`` owns its process, its pipe and
its result.
"""

from __future__ import annotations

import _thread
import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType

# what the ``launchready`` command imports before it starts a history scan's git processes
# (``history.early``): no ``typing`` (~10 ms), and ``pickle`` and ``traceback`` only where a
# ``Child`` needs them
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

EXIT_TERMINATED = 128 + signal.SIGTERM  # 143, what a shell reports for a SIGTERM'd process
PR_SET_PDEATHSIG = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop like Ctrl-C (everything started is stopped on the way out)."""


class Interrupted(KeyboardInterrupt):
    """SIGINT (Ctrl-C) arrived while ``handle_termination`` was in force.

    Not a plain ``KeyboardInterrupt``: CPython remembers, process-wide, a plain one that
    left any ``exec``/``eval`` of a string (``run_eval_code_obj`` sets
    ``_Py_UnhandledKeyboardInterrupt``; ``dataclasses`` and ``namedtuple`` build their
    methods that way, so every lazy import of a module with a dataclass is such a place)
    and, when the program ends, kills itself with SIGINT (``exit_sigint``) even though
    the exception was caught long before: ``launchready: interrupted``, then death by
    SIGINT instead of exit 130 (about 2 runs in 100 interrupted early in a history scan).
    CPython checks the exact type, so a subclass is never remembered."""


STOPS: dict[int, type[KeyboardInterrupt]] = {signal.SIGINT: Interrupted, signal.SIGTERM: Terminated}


def stop_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The stop (Ctrl-C or SIGTERM) that ``exc`` wraps or was raised while handling, if any.
    Python 3.11 turns any exception a descriptor's ``__set_name__`` raises into a
    ``RuntimeError`` caused by it: a stop that lands while a class is being built (a
    dataclass's fields, in a module a command imports lazily) arrives as that error."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return link
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return None


# importlib's own modules, frozen (named either way across Python versions) or from source
IMPORTLIB = frozenset(
    {"importlib._bootstrap", "importlib._bootstrap_external", "_frozen_importlib", "_frozen_importlib_external"}
)
DEFER_SECONDS = 0.002  # a stop that landed in importlib's code comes again this much later
DEFER_MAX = 500  # times, about a second, before it is raised wherever the main thread is


class Stopping:
    """What ``handle_termination`` yields. ``missed``: a stop signal whose exception never
    reached the code that ran: Python ignores an exception raised inside a finalizer (a
    ``__del__``, a generator the garbage collector closes), and a signal handler runs
    wherever the main thread is, finalizers included. The run then goes on to its end;
    ``cli.main`` still reports it stopped (``launchready: interrupted``, 130)."""

    def __init__(self) -> None:
        self.missed: int | None = None
        self._hook = sys.unraisablehook
        self._deferred = 0

    def raise_for(self, signum: int, frame: FrameType | None) -> None:
        """The signal handler: ``Interrupted`` or ``Terminated``, but not inside importlib's
        own code: a module lock's weakref callback takes the global import lock before its
        ``try``, and a stop raised there left the lock held for good (any later import by
        another thread, a worker's, then waited forever). There the signal comes again a
        moment later (``DEFER_SECONDS``, from a timer thread: a re-trip from here would be
        handled before this handler returned), at most ``DEFER_MAX`` times (a main thread
        stuck waiting in an import still stops)."""
        name = frame.f_globals.get("__name__") if frame is not None else None
        if name in IMPORTLIB and self._deferred < DEFER_MAX:
            self._deferred += 1
            again = threading.Timer(DEFER_SECONDS, _thread.interrupt_main, (signal.Signals(signum),))
            again.daemon = True
            again.start()
            return
        self._deferred = 0
        raise STOPS[signum]()

    def unraisable(self, unraisable: sys.UnraisableHookArgs) -> None:
        """``sys.unraisablehook``: remembers a stop a finalizer swallowed (not printed: no
        bug, the run says it was stopped); anything else goes to the previous hook."""
        for signum, stop in STOPS.items():
            if unraisable.exc_type is not None and issubclass(unraisable.exc_type, stop):
                self.missed = signum if self.missed is None else self.missed
                return
        self._hook(unraisable)


@contextlib.contextmanager
def handle_termination(sigint: bool = False) -> Iterator[Stopping]:
    """While inside: SIGTERM raises ``Terminated`` in the main thread, and SIGINT raises
    ``Interrupted`` where it would have raised ``KeyboardInterrupt`` (Python's own handler);
    with ``sigint``, also where it was ignored on entry (a process started in the background
    by a non-interactive shell: the demo's servers must still stop on Ctrl-C). A handler
    someone else installed is left alone. Restored on the way out (``cli.main`` is also
    called in-process, by tests and by the library API). Nested, the outer ``Stopping`` is
    yielded again. Off the main thread, where Python cannot install handlers, it only yields."""
    outer = getattr(signal.getsignal(signal.SIGTERM), "__self__", None)
    stopping = outer if isinstance(outer, Stopping) else Stopping()
    if threading.current_thread() is not threading.main_thread():
        yield stopping
        return
    previous_term = signal.signal(signal.SIGTERM, stopping.raise_for)
    current_int = signal.getsignal(signal.SIGINT)
    ours = sigint or current_int is signal.default_int_handler or current_int == stopping.raise_for
    previous_int = signal.signal(signal.SIGINT, stopping.raise_for) if ours else None
    previous_hook, sys.unraisablehook = sys.unraisablehook, stopping.unraisable
    try:
        yield stopping
    finally:
        sys.unraisablehook = previous_hook
        signal.signal(signal.SIGTERM, previous_term)
        if previous_int is not None:
            signal.signal(signal.SIGINT, previous_int)


def can_fork() -> bool:
    """Whether workers may be forked: Linux only (see the module docstring)."""
    return hasattr(os, "fork") and sys.platform.startswith("linux")


@functools.cache
def _prctl() -> Callable[..., int] | None:
    import ctypes  # here, not at the top: the hook's start-up never needs it

    try:
        # the symbols already loaded (libc's among them): ctypes.util.find_library("c") would
        # run ``ldconfig -p`` (a process, ~5 ms) while history starts, for the same library
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return None


def set_parent_death_signal(sig: int, parent: int) -> None:
    """In a child: have the kernel send ``sig`` when ``parent`` dies. If it already died
    (between the fork and this call), exit now."""
    prctl = _prctl() if sys.platform.startswith("linux") else None
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    if os.getppid() != parent:
        os._exit(EXIT_TERMINATED)


def die_with_parent(sig: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A ``preexec_fn`` for ``subprocess.Popen``: the child gets ``sig`` when this process
    dies (Linux; None elsewhere, where there is nothing to ask the kernel). Call it on the
    main thread: the kernel ties the signal to the thread that forked the child."""
    if not sys.platform.startswith("linux") or _prctl() is None:
        return None
    parent = os.getpid()
    return functools.partial(set_parent_death_signal, sig, parent)


def _linux_tool(name: str, *probe: str) -> str | None:
    """The path of the Linux tool ``name`` if ``name *probe true`` runs here (asked by
    running it: an option it may be too old for, a library it may lack), else None."""
    import shutil
    import subprocess

    path = shutil.which(name) if sys.platform.startswith("linux") else None
    if path is None:
        return None
    try:
        ok = subprocess.run([path, *probe, "true"], capture_output=True, check=False)
    except OSError:
        return None
    return path if ok.returncode == 0 else None


@functools.cache
def _setpriv() -> str | None:
    """util-linux's ``setpriv``, if it can set a parent-death signal (``--pdeathsig``, 2.33+:
    asked once)."""
    return _linux_tool("setpriv", "--pdeathsig", "TERM", "--")


def dying_with_parent(cmd: list[str], sig: int = signal.SIGTERM) -> tuple[list[str], Callable[[], None] | None]:
    """``(args, preexec_fn)`` for ``subprocess.Popen``: ``cmd`` run so that the kernel sends it
    ``sig`` when this process dies (``die_with_parent``). Through ``setpriv --pdeathsig`` where
    it exists, so Python can vfork: a ``preexec_fn`` forks the whole interpreter, which for
    a history scan's large process cost ~20-40 ms of CPU per git process started late (the
    page tables copied, then a fault on every page either side writes). Same caveat as
    ``die_with_parent``: the signal is tied to the thread that starts the process."""
    wrapper = _setpriv()
    if wrapper is not None:
        return [wrapper, "--pdeathsig", signal.Signals(sig).name.removeprefix("SIG"), "--", *cmd], None
    return cmd, die_with_parent(sig)


# What ``block_buffered`` asks for: large enough that git's writes (and our reader's wake-ups)
# are few, small against the 1 MiB pipe (bench/RESULTS.md, "history-pipe-memory").
OUTPUT_BLOCK = "64K"


@functools.cache
def _stdbuf() -> str | None:
    """coreutils' ``stdbuf``, if it runs here (it works by preloading a library of its own,
    which a system may lack): asked once."""
    return _linux_tool("stdbuf", "-o", OUTPUT_BLOCK)


def block_buffered(cmd: list[str]) -> list[str]:
    """``cmd`` with its standard output buffered in ``OUTPUT_BLOCK`` blocks where ``stdbuf``
    runs (a C program's stdio writes a pipe 4 KiB at a time). For git, set ``GIT_FLUSH=0``
    too: git otherwise flushes after every commit when its output is not a file. A ``git
    log -p`` of a long history into a pipe spends ~10% less CPU this way; the output is the
    same, in fewer, larger pieces (the last when git exits)."""
    wrapper = _stdbuf()
    return [wrapper, "-o", OUTPUT_BLOCK, *cmd] if wrapper is not None else cmd


class ChildError(RuntimeError):
    pass


class Child:
    """``fn()`` in a forked child; ``result()`` waits for its (pickled) return value.

    The child ignores Ctrl-C and takes SIGTERM's default (the parent handles both and stops
    the child), dies with the parent (``PR_SET_PDEATHSIG``), and leaves with ``os._exit``:
    no atexit handlers, no flushing of buffers it inherited. ``scrub`` cleans a traceback
    the child sends back (it may have seen secrets the parent has not); ``known`` are
    exception types sent back as they are (others become ``ChildError`` with the trace).
    Fork it before any thread of the parent exists (``can_fork()`` says whether to fork at all).
    """

    def __init__(
        self, fn: Callable[[], Any], scrub: Callable[[str], str], known: tuple[type[BaseException], ...] = ()
    ) -> None:
        import pickle  # before the fork: the child pickles its result, the parent reads it
        import traceback

        parent = os.getpid()
        # A signal between the fork and the child's own handlers would raise in the child,
        # which would then unwind through a copy of the parent's stack: hold SIGINT and
        # SIGTERM back across the fork (the parent gets a pending one right after).
        # pthread_sigmask runs a handler already due before it returns: read the mask first
        # (a stop raised there has changed nothing) and block inside the ``try`` (a stop
        # raised by the blocking call would otherwise leave both blocked in this thread).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, ())
        read, write = os.pipe()
        try:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            self.pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(read)
            os.close(write)
            raise
        if self.pid == 0:  # pragma: no cover - runs in the child (its coverage is not collected)
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                set_parent_death_signal(signal.SIGKILL, parent)
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                os.close(read)
                payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # reported to the parent, which raises it
                text = scrub("".join(traceback.format_exception(exc)))
                payload = pickle.dumps((False, (exc if isinstance(exc, known) else None, text)))
                code = 1
            try:
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(code)
        os.close(write)
        self._read = read
        self._done = False
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal held back is raised here
        except BaseException:
            self.stop()
            raise

    def result(self) -> Any:
        import pickle

        with os.fdopen(self._read, "rb", closefd=False) as pipe:
            data = pipe.read()
        os.waitpid(self.pid, 0)
        os.close(self._read)
        self._done = True
        if not data:
            raise ChildError("the worker process died")
        ok, value = pickle.loads(data)
        if not ok:
            known, text = value
            if known is not None:
                raise known
            raise ChildError(f"the worker failed:\n{text}")
        return value

    def stop(self) -> None:
        """Kill and reap the child unless its result was read (an error in the parent)."""
        if self._done:
            return
        self._done = True
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self._read)
