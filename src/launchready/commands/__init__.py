"""The subcommand registry. Adding a command: write ``commands/<name>.py`` with ``HELP``,
``DESCRIPTION``, ``add_arguments(parser)`` and ``run(ctx) -> Report | None``; list it here."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TextIO

from launchready.config import Config


@dataclass
class Context:
    args: argparse.Namespace
    config: Config
    cwd: Path
    stdout: TextIO
    stderr: TextIO
    exit_status: int = 0  # for commands that return no report


def _load() -> dict[str, ModuleType]:
    from launchready.commands import rules, scan

    return {
        "scan": scan,
        "rules": rules,
    }


COMMANDS: dict[str, ModuleType] = _load()
