"""``launchready demo``: the whole tool against a deliberately flawed AI chatbot on loopback.

Starts the embedded deployment (``launchready.demo``), builds a demo repository, runs scan,
history, live and email through the same command modules users run, prints the scorecard
and writes ``launchready-report/`` (report.json, junit.xml, results.sarif, report.html).
Everything is torn down afterwards, also on Ctrl-C. ``--fixed`` runs the fixed deployment.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from launchready import procs, redact
from launchready.commands import Console, Context, Outcome
from launchready.config import Config
from launchready.demo.pipeline import DemoRun, run_demo
from launchready.demo.server import Endpoints
from launchready.errors import EXIT_INTERNAL, UsageError
from launchready.model import Report, Severity
from launchready.progress import Progress
from launchready.report import Options, write_outputs, writers
from launchready.verdict import exit_code

HELP = "run every check against an embedded, deliberately flawed AI chatbot (no network needed)"
DESCRIPTION = (
    "Start a deliberately flawed 'AI chatbot' deployment on 127.0.0.1 (HTTPS API with a "
    "throwaway CA, a plain-HTTP port, a static frontend, a DNS server for demo-chat.test) and "
    "a demo git repository, run scan, history, live and email checks against them, print the "
    "launch scorecard and write launchready-report/ (report.json, junit.xml, results.sarif, "
    "report.html). Needs no root, Docker or internet; cleans up after itself. Exits 1 (the "
    "deployment is flawed); with --fixed, every flaw is fixed and it exits 0."
)

REPORT_FILES = {"json": "report.json", "junit": "junit.xml", "sarif": "results.sarif", "html": "report.html"}

# What a loopback deployment without root cannot provide, by check id prefix.
LOOPBACK_LIMITS = {
    "email.mta-sts": "an MTA-STS policy must be served over HTTPS on port 443, which the demo "
    "cannot bind without root, so the fixed demo does not publish one",
    "cdn.": "nothing fronts a loopback server; a CDN or WAF is a deployment choice",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fixed", action="store_true", help="run the same deployment with every flaw fixed (exits 0)")
    p.add_argument(
        "--out",
        metavar="DIR",
        default="launchready-report",
        help="directory for report.json, junit.xml, results.sarif, report.html (default: ./launchready-report)",
    )
    p.add_argument(
        "--serve",
        action="store_true",
        help="after the checks, keep the deployment running until Ctrl-C to explore it with curl or dig",
    )
    p.add_argument(
        "--keep-repo",
        metavar="DIR",
        help="create the demo repository in DIR (must not exist) and keep it, to explore it afterwards",
    )


@dataclass(frozen=True)
class DemoRequest:
    """``fixed``: the deployment with every flaw fixed; ``out``: the directory for the report
    files (report.json, junit.xml, results.sarif, report.html), relative to ``cwd``;
    ``keep_repo``: build the demo repository there (must not exist) and keep it; ``fail_on``:
    the threshold the report files judge by (default: the config's, else high)."""

    fixed: bool = False
    out: str = "launchready-report"
    keep_repo: str | None = None
    fail_on: Severity | None = None
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> DemoRequest:
        return cls(args.fixed, args.out, args.keep_repo, args.fail_on, cwd)


def demo(
    request: DemoRequest,
    config: Config | None = None,
    console: Console | None = None,
    serve: Callable[[DemoRun], None] | None = None,
) -> DemoRun:
    """``launchready demo`` as a function: the embedded deployment up, every command run
    against it, the report files written, everything torn down (also on Ctrl-C and SIGTERM).
    Progress goes to ``console.stderr`` unless quiet (the default console is). ``serve`` is
    called with the finished run while the deployment is still up (``--serve`` waits there)."""
    config = config if config is not None else Config()
    console = console or Console(quiet=True)
    keep = None
    if request.keep_repo:
        keep = (request.cwd / request.keep_repo).resolve()
        if keep.exists():
            raise UsageError(f"--keep-repo {request.keep_repo}: already exists (give a new directory)")
    out_dir = request.cwd / request.out
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {request.out}: exists and is not a directory")
    progress = Progress(console.stderr, quiet=console.quiet)
    kind = "fixed" if request.fixed else "deliberately flawed"
    options = Options(fail_on=request.fail_on or config.fail_on or Severity.HIGH, verbose=console.verbose)

    def started(ep: Endpoints) -> None:
        if not console.quiet:
            progress.done()
            console.stderr.write(
                f"launchready demo: a {kind} AI chatbot on 127.0.0.1; nothing leaves this machine\n"
                f"  deployment: {ep.base_url} (HTTPS) {ep.http_url} (plain HTTP) dns {ep.dns}\n\n"
            )
            console.stderr.flush()

    def done(demo: DemoRun) -> None:
        progress.done()
        _finish(demo, console, options, out_dir, keep)
        if serve is not None:
            serve(demo)

    # Ctrl-C and SIGTERM both stop the demo cleanly, even when started in the background by
    # a non-interactive shell (SIGINT ignored on entry).
    try:
        with procs.handle_termination(sigint=True):
            return run_demo(request.fixed, progress=progress.update, keep=keep, on_start=started, on_done=done)
    finally:
        progress.done()


def run(ctx: Context) -> Outcome:
    request = DemoRequest.from_args(ctx.args, ctx.cwd)
    if not ctx.args.serve:
        finished = demo(request, ctx.config, Console.of(ctx))
        # a stage that crashed is an internal error, never a clean demo
        return Outcome(finished.report, forced_exit=EXIT_INTERNAL if finished.failed else None)
    served: list[int] = []
    demo(request, ctx.config, Console.of(ctx), serve=lambda finished: served.append(_serve(finished, ctx)))
    return Outcome(None, exit_status=served[0])


DELETED_ROOT = "(the demo repository, deleted on exit; --keep-repo DIR keeps it)"


def _finish(demo: DemoRun, console: Console, options: Options, out_dir: Path, keep: Path | None) -> None:
    _explain(demo, console)
    report = demo.report
    # paths are relative to the demo repository, which is deleted on exit: no report may
    # name a directory that no longer exists (--keep-repo DIR keeps it, and names it)
    report.root = str(keep) if keep is not None else DELETED_ROOT
    written = _write_reports(demo.report, options, out_dir)
    if demo.fixed:
        for c in report.checks:
            if c.status.value in ("warn", "skip"):
                why = next((v for k, v in LOOPBACK_LIMITS.items() if c.id.startswith(k)), c.message)
                report.notes.append(f"{c.status.value} {c.id}: {why}")
    if keep is not None:
        report.notes.append(f"the demo repository is kept in {keep} (its servers are stopped)")
    else:
        report.notes.append("the demo repository and servers live in a temporary directory, deleted on exit")
    if written:
        report.notes.append(f"report files: {', '.join(str(p) for p in written)}")


def _serve(demo: DemoRun, ctx: Context) -> int:
    """--serve: print the report now, then keep the deployment up until Ctrl-C; the exit
    status the run ends with."""
    from launchready.cli import output_spec

    args = ctx.args
    spec = output_spec(args, ctx.config, ctx.stdout)
    write_outputs(demo.report, spec, ctx.stdout)
    code = exit_code(demo.report, spec.options.fail_on, errors_ok=spec.options.errors_ok)
    code = EXIT_INTERNAL if demo.failed else code  # a stage that crashed is never a clean demo
    status = 0 if args.exit_zero and code == 1 else code
    ep = demo.endpoints
    try:  # Ctrl-C from here on is the normal way to stop serving
        if ep is not None:
            resolve = f"--resolve {ep.resolves[0]} --cacert {ep.ca_bundle}"
            ctx.stderr.write(
                "launchready demo: serving until Ctrl-C. Try it:\n"
                f"  curl {resolve} {ep.base_url}/health\n"
                f"  curl {resolve} {ep.base_url}/.env\n"
                f"  dig @{ep.dns.split(':')[0]} -p {ep.dns.split(':')[1]} demo-chat.test TXT\n"
            )
            ctx.stderr.flush()
        while True:
            # Short naps: a signal that the kernel delivers to one of the server threads only
            # runs Python's handler once the main thread wakes up.
            time.sleep(0.2)
    except KeyboardInterrupt:
        ctx.stderr.write("launchready demo: stopped, cleaned up\n")
    return status


def _explain(demo: DemoRun, console: Console) -> None:
    ep = demo.endpoints
    if ep is not None:
        demo.report.notes.insert(
            0,
            (
                f"deployment: {ep.base_url} (HTTPS via --resolve to 127.0.0.1 and --ca-bundle with a "
                f"throwaway CA), {ep.http_url} (plain HTTP), DNS for demo-chat.test at {ep.dns}"
            ),
        )
    for st in demo.stages:
        shown = "scan" if st.name == "hook" else st.name
        if st.skipped:
            demo.report.notes.append(f"{shown}: not run: {st.skipped}")
        if st.failed:
            demo.report.notes.append(f"{shown}: internal error (a bug, please report it): {st.failed}")
        if st.stderr and console.verbose:
            console.stderr.write(redact.scrub(st.stderr))


def _write_reports(report: Report, options: Options, out_dir: Path) -> list[Path]:
    available = writers()
    written = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for fmt, name in REPORT_FILES.items():
        path = out_dir / name
        path.write_text(redact.scrub(available[fmt](report, options)), encoding="utf-8")
        written.append(path)
    return written
