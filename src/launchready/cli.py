"""Command line: one parser, one error handler, one place that maps outcomes to exit codes.

Each subcommand lives in ``launchready.commands.<name>`` and provides ``add_arguments`` and
``run(ctx) -> Report | Outcome | None`` (its argparse adapter over the command's typed
function). The registry in ``commands/__init__.py`` lists them explicitly.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from launchready import __version__, procs, redact
from launchready.commands import COMMANDS, REPORTLESS, Context, Outcome, salt_like
from launchready.config import Config, load_config
from launchready.errors import EXIT_INTERNAL, EXIT_USAGE, UsageError
from launchready.model import Severity
from launchready.printable import safe, safe_lines
from launchready.report import Options, OutputSpec, write_outputs
from launchready.verdict import exit_code

if TYPE_CHECKING:
    from launchready.history.early import EarlyLogs

EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130, what a shell reports for a Ctrl-C'd process


def _common(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("common options")
    g.add_argument(
        "--config", metavar="FILE", help="config file (default: .launchready.yml found by walking up to the repo root)"
    )
    g.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    g.add_argument("-v", "--verbose", action="count", default=0, help="more detail (repeat for debug)")
    g.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in terminal output (default: auto, only on a tty)",
    )
    g.add_argument("--version", action="version", version=f"launchready {__version__}")


def _report_options(parser: argparse.ArgumentParser) -> None:
    """Only for commands that produce a report (``commands.REPORTLESS`` lists the others)."""
    g = parser.add_argument_group("report options")
    g.add_argument("--json", metavar="FILE", help="write the JSON report to FILE ('-' for stdout)")
    g.add_argument("--sarif", metavar="FILE", help="write SARIF 2.1.0 to FILE ('-' for stdout)")
    g.add_argument("--junit", metavar="FILE", help="write JUnit XML to FILE ('-' for stdout)")
    g.add_argument("--html", metavar="FILE", help="write a self-contained HTML report to FILE")
    g.add_argument("--github", action="store_true", help="print GitHub workflow-command annotations on stdout")
    g.add_argument(
        "--fail-on",
        metavar="SEVERITY",
        type=_severity,
        help="lowest severity that fails the run: critical, high (default), medium, low, info",
    )
    g.add_argument(
        "--exit-zero", action="store_true", help="report but exit 0 (usage and internal errors still exit 2 and 3)"
    )
    g.add_argument("--errors-ok", action="store_true", help="checks that ended in 'error' do not fail the run")
    g.add_argument("--baseline", metavar="FILE", help="baseline file (default: .launchready-baseline.json if present)")


def _severity(value: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or (``only``) just one subcommand's: importing every command module
    costs the pre-commit hook more than its whole scan. ``only=""``: no subcommand at all
    (``launchready --version``)."""
    parser = _Parser(
        prog="launchready",
        description="Is your AI product safe to launch? Secrets, history, live and email checks in one verdict.",
        epilog="Exit codes: 0 clean, 1 findings or failed checks at or above --fail-on (or a check error), 2 usage or config error, 3 internal error. launchready sends no telemetry; only live and email checks use the network.",
    )
    parser.add_argument("--version", action="version", version=f"launchready {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    names = [] if only == "" else [only] if only is not None and only in COMMANDS else list(COMMANDS)
    for name in names:
        module = COMMANDS[name]
        p = sub.add_parser(name, help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(p)
        if name not in REPORTLESS:
            _report_options(p)
        elif name != "baseline":  # `baseline` has its own --baseline: the file it writes
            p.set_defaults(baseline=None)  # no baseline applies (the salt: the repository's)
        _common(p)
    return parser


def output_spec(
    args: argparse.Namespace, config: Config, stdout: TextIO, fail_on: Severity | None = None
) -> OutputSpec:
    """The report options of a command line (the argparse side of ``report.OutputSpec``);
    ``fail_on``: a threshold the command settled on itself (the Action's input)."""
    color = args.color == "always" or (args.color == "auto" and stdout.isatty())
    fail_on = fail_on or args.fail_on or config.fail_on or Severity.HIGH
    options = Options(fail_on=fail_on, color=color, verbose=args.verbose, errors_ok=args.errors_ok)
    return OutputSpec(options, args.json, args.sarif, args.junit, args.html, args.github, text=not args.quiet)


def main(argv: Sequence[str] | None = None, early: EarlyLogs | None = None) -> int:
    """Run the command line ``argv`` (default: this process's); ``early``: git processes
    the console command started for it before it loaded this (``history.early``)."""
    with procs.handle_termination() as stopping:
        code = _main(list(sys.argv[1:] if argv is None else argv), early)
    if stopping.missed is not None and code not in (EXIT_INTERRUPTED, procs.EXIT_TERMINATED):
        # the signal's exception was raised inside a finalizer, which Python ignores: the run
        # went on to its end, but it was asked to stop and says so (``procs.Stopping``)
        return _stopped(stopping.missed == signal.SIGTERM)
    return code


def run(early: EarlyLogs | None = None) -> None:
    """The ``launchready`` command (``entry.run``): ``main()``, then exit at once with its
    code. Python's own exit frees every object one by one (~30 ms after a history scan, paid
    on every run); by the time ``main`` returns every file is written and closed, every
    process reaped and every thread done, so there is nothing left for it to do."""
    try:
        code = main(early=early)
    finally:
        if early is not None:  # not taken (the command failed before its scan started)
            early.discard()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code)


def _stopped(terminated: bool) -> int:
    """Say the run was stopped by SIGTERM or Ctrl-C; its exit code (143 or 130)."""
    print("launchready: terminated" if terminated else "launchready: interrupted", file=sys.stderr)
    return procs.EXIT_TERMINATED if terminated else EXIT_INTERRUPTED


def _main(args_list: list[str], early: EarlyLogs | None = None) -> int:
    try:
        first = next((a for a in args_list if not a.startswith("-")), None)
        if first is None and "--version" in args_list:
            first = ""  # the version needs no command module (importing them all took ~0.5 s)
        parser = build_parser(first)
        args = parser.parse_args(args_list)
        if not args.command:
            parser.print_help()
            return EXIT_USAGE
        module = COMMANDS[args.command]
        config = load_config(args.config, Path.cwd())
        ctx = Context(args=args, config=config, cwd=Path.cwd(), stdout=sys.stdout, stderr=sys.stderr, early=early)
        salt_like(args.baseline, config, ctx.cwd, keep_pinned=False)  # scan and history pick theirs again
        result = module.run(ctx)
        outcome = result if isinstance(result, Outcome) else Outcome(result)
        if outcome.report is None:  # commands like `rules`, `init` print their own result
            return outcome.exit_status
        spec = output_spec(args, config, ctx.stdout, outcome.fail_on)
        write_outputs(outcome.report, spec, ctx.stdout)
        code = exit_code(outcome.report, spec.options.fail_on, errors_ok=spec.options.errors_ok)
        if outcome.forced_exit is not None:  # e.g. a demo stage that crashed: never a clean run
            code = outcome.forced_exit
        return 0 if args.exit_zero else code
    except UsageError as exc:
        print(f"launchready: error: {safe(redact.scrub(str(exc)))}", file=sys.stderr)
        return EXIT_USAGE
    except procs.Terminated:  # SIGTERM: everything started was stopped on the way here
        return _stopped(terminated=True)
    except KeyboardInterrupt:
        return _stopped(terminated=False)
    except BrokenPipeError:
        return EXIT_INTERNAL
    except Exception as exc:
        if (stop := procs.stop_behind(exc)) is not None:  # a stop Python wrapped (``procs.stop_behind``)
            return _stopped(terminated=isinstance(stop, procs.Terminated))
        tb = safe_lines(redact.scrub(traceback.format_exc()))
        print(
            "launchready: internal error (a bug; please report it with the trace below, secrets are redacted)\n" + tb,
            file=sys.stderr,
        )
        if os.environ.get("LAUNCHREADY_RAISE"):
            raise
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
