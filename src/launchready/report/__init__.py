"""Report writers behind one interface: ``render(report, options) -> str``.

``WRITERS`` maps a format name to its writer. ``write_outputs`` is the one place that
decides which writers run for a command line and where their output goes.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from launchready import redact
from launchready.model import Report, Severity

if TYPE_CHECKING:
    from launchready.commands import Context


@dataclass(frozen=True)
class Options:
    fail_on: Severity = Severity.HIGH
    color: bool = False
    verbose: int = 0
    errors_ok: bool = False


class Writer(Protocol):
    def __call__(self, report: Report, options: Options) -> str: ...


def writers(only: set[str] | None = None) -> dict[str, Writer]:
    """Writer modules are imported on demand (``only``): the pre-commit hook prints text and
    must not pay for SARIF/JUnit/XML imports."""
    found: dict[str, Writer] = {}
    for name, module_name in (
        ("text", "text"),
        ("json", "json_report"),
        ("sarif", "sarif"),
        ("junit", "junit"),
        ("github", "github"),
        ("html", "html"),
    ):
        if only is not None and name not in only:
            continue
        # Every writer ships: an ImportError here is a bug and must surface (exit 3), not
        # turn into "--sarif is not available".
        module = importlib.import_module(f"launchready.report.{module_name}")
        found[name] = module.render
    return found


def _emit(dest: str, content: str, what: str = "output", base: Path | None = None) -> None:
    content = redact.scrub(content)
    if dest == "-":
        sys.stdout.write(content)
        if content and not content.endswith("\n"):
            sys.stdout.write("\n")
        sys.stdout.flush()
        return
    from launchready.outfiles import write_text

    write_text(dest, content, what, base)  # never through a symlink


def write_outputs(report: Report, ctx: Context, fail_on: Severity) -> None:
    args = ctx.args
    color = args.color == "always" or (args.color == "auto" and ctx.stdout.isatty())
    options = Options(
        fail_on=fail_on,
        color=color,
        verbose=args.verbose,
        errors_ok=bool(getattr(args, "errors_ok", False)),
    )
    wanted = {fmt for fmt in ("json", "sarif", "junit", "html") if getattr(args, fmt, None)}
    if getattr(args, "github", False):
        wanted.add("github")
    if not args.quiet:
        wanted.add("text")
    available = writers(wanted)
    to_stdout = False
    for fmt in ("json", "sarif", "junit", "html"):
        dest = getattr(args, fmt, None)
        if dest:
            if fmt not in available:
                from launchready.errors import UsageError

                raise UsageError(f"--{fmt} is not available in this build")
            base = getattr(args, "output_base", None) or ctx.cwd
            _emit(dest, available[fmt](report, options), f"--{fmt} {dest}", Path(base))
            to_stdout = to_stdout or dest == "-"
    if getattr(args, "github", False) and "github" in available:
        _emit("-", available["github"](report, options))
        to_stdout = True
    if not args.quiet and not to_stdout:
        ctx.stdout.write(redact.scrub(available["text"](report, options)))
        ctx.stdout.flush()
