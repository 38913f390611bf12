"""Report writers behind one interface: ``render(report, options) -> str``.

``writers`` maps a format name to its writer. ``write_outputs`` is the one place that
decides which writers run and where their output goes, from an ``OutputSpec`` (the command
line, the Action's inputs and the demo each build one).
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from launchready import redact
from launchready.model import Report, Severity


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


@dataclass(frozen=True)
class OutputSpec:
    """Which reports to write and where: files (``'-'`` for stdout) per format, GitHub
    annotations, the terminal text, and how to judge (``options``)."""

    options: Options = Options()
    json: str | None = None
    sarif: str | None = None
    junit: str | None = None
    html: str | None = None
    github: bool = False  # workflow-command annotations on stdout
    text: bool = True  # the terminal summary (unless another report went to stdout)
    base: Path | None = None  # relative files are written here, through no symlink below it (default: cwd)

    def files(self) -> dict[str, str]:
        wanted = {"json": self.json, "sarif": self.sarif, "junit": self.junit, "html": self.html}
        return {fmt: dest for fmt, dest in wanted.items() if dest}


def write_outputs(report: Report, spec: OutputSpec, stdout: TextIO | None = None) -> None:
    """Write every report ``spec`` asks for; the text summary goes to ``stdout`` unless a
    machine-readable report already went there."""
    out = stdout if stdout is not None else sys.stdout
    files = spec.files()
    wanted = set(files) | ({"github"} if spec.github else set()) | ({"text"} if spec.text else set())
    available = writers(wanted)
    to_stdout = False
    for fmt, dest in files.items():
        _emit(dest, available[fmt](report, spec.options), f"--{fmt} {dest}", spec.base or Path.cwd())
        to_stdout = to_stdout or dest == "-"
    if spec.github:
        _emit("-", available["github"](report, spec.options))
        to_stdout = True
    if spec.text and not to_stdout:
        out.write(redact.scrub(available["text"](report, spec.options)))
        out.flush()
