"""``launchready action``: the GitHub Actions entrypoint (the container's ENTRYPOINT)."""

from __future__ import annotations

import argparse

from launchready.commands import Context
from launchready.errors import UsageError
from launchready.model import Report

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


def run(ctx: Context) -> Report:
    from launchready.action.run import execute  # late: keeps other commands' start-up lean

    if ctx.args.github:
        raise UsageError(
            "the Action prints its own annotations (the annotations input): --github cannot be used with it"
        )
    return execute(ctx)
