"""``launchready action``: the GitHub Actions entrypoint (the container's ENTRYPOINT)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from launchready.commands import Console, Context, Outcome
from launchready.errors import UsageError

if TYPE_CHECKING:
    from launchready.action.run import ActionResult

HELP = "GitHub Actions entrypoint: reads GITHUB_* and INPUT_* and writes annotations, summary and outputs"
DESCRIPTION = (
    "Run as a GitHub Action (docs/action.md). Reads GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, "
    "GITHUB_WORKSPACE and the inputs (INPUT_MODE, INPUT_CONFIG, INPUT_URL, INPUT_FAIL_ON, "
    "INPUT_BASELINE, INPUT_BASE_REF, INPUT_JSON_PATH, INPUT_JUNIT_PATH, INPUT_SARIF_PATH, "
    "INPUT_ANNOTATIONS, INPUT_SUMMARY, INPUT_STRICT_SUPPRESSIONS). Pull requests scan "
    "base..head, pushes before..after, scheduled and manual runs the whole history; a shallow "
    "clone is deepened or the run fails naming the fetch-depth to set. Writes annotations on "
    "stdout, the job summary, $GITHUB_OUTPUT and the report files (launchready-report/)."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """All settings come from the environment, as GitHub passes them to a container action."""


@dataclass(frozen=True)
class ActionRequest:
    """Where the Action's settings come from: ``environ`` (GITHUB_* and INPUT_* as GitHub
    passes them to a container action; None: the process's environment), ``cwd`` (the
    workspace when GITHUB_WORKSPACE is not set); ``errors_ok``: checks that ended in
    ``error`` do not fail the run."""

    environ: Mapping[str, str] | None = None
    errors_ok: bool = False
    cwd: Path = field(default_factory=Path.cwd)


def action(request: ActionRequest, console: Console | None = None) -> ActionResult:
    """``launchready action`` as a function: scan, history and live as the inputs ask, with
    the results published where GitHub reads them (annotations on ``console.stdout``, the job
    summary, $GITHUB_OUTPUT, the report files); returns the report and its threshold."""
    from launchready.action.run import execute  # late: keeps other commands' start-up lean

    return execute(request, console or Console())


def run(ctx: Context) -> Outcome:
    if ctx.args.github:
        raise UsageError(
            "the Action prints its own annotations (the annotations input): --github cannot be used with it"
        )
    # the command line's text summary and exit code judge by the Action's threshold too
    done = action(ActionRequest(errors_ok=ctx.args.errors_ok, cwd=ctx.cwd), Console(ctx.stdout, ctx.stderr))
    return Outcome(done.report, fail_on=done.fail_on)
