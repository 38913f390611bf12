"""The ``launchready`` console command.

Before anything else loads, a scan of a whole history starts its git processes
(``history.early``: ~50 ms sooner, while the rest of launchready imports); then the command
line runs (``cli.run``). Every other command (the pre-commit hook among them) goes straight to
the CLI, importing nothing more than it did. SIGTERM and Ctrl-C are handled from the start of a
history scan (``procs.handle_termination``), as ``cli.main`` handles them.
"""

from __future__ import annotations

import os
import sys

EXIT_INTERRUPTED = 130  # what ``cli`` exits with on Ctrl-C (it is not imported yet)


def run() -> None:
    if sys.argv[1:2] != ["history"]:
        from launchready.cli import run as run_cli

        run_cli()
        return
    from launchready import procs

    started = None
    with procs.handle_termination():
        try:
            from launchready.history import early

            started = early.start(sys.argv[1:], os.getcwd())
            from launchready.cli import run as run_cli
        except BaseException as exc:  # stopped (or failed) while starting: stop what started
            if started is not None:
                started.discard()
            stop = procs.stop_behind(exc)  # (a stop while a class is built arrives wrapped)
            if stop is None:
                raise
            terminated = isinstance(stop, procs.Terminated)
            print("launchready: terminated" if terminated else "launchready: interrupted", file=sys.stderr)
            sys.stderr.flush()
            os._exit(procs.EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)
        run_cli(started)  # (its own handlers nest inside these; it exits the process)
