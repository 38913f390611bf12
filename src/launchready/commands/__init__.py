"""The subcommand registry. Adding a command: write ``commands/<module>.py`` with ``HELP``,
``DESCRIPTION``, ``add_arguments(parser)`` and ``run(ctx) -> Report | None``, and list it in
``NAMES`` below (command name -> module name)."""

from __future__ import annotations

import argparse
import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TextIO

from launchready.config import Config

NAMES: dict[str, str] = {
    "scan": "scan",
    "history": "history",
    "live": "live",
    "email": "email",
    "action": "action",
    "demo": "demo",
    "init": "init",
    "baseline": "baseline",
    "install-hook": "install_hook",
    "rules": "rules",
}


@dataclass
class Context:
    args: argparse.Namespace
    config: Config
    cwd: Path
    stdout: TextIO
    stderr: TextIO
    exit_status: int = 0  # for commands that return no report


def _load() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for name, module in NAMES.items():
        full = f"launchready.commands.{module}"
        try:
            found[name] = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name != full:  # a real missing dependency, not an absent command
                raise
    return found


COMMANDS: dict[str, ModuleType] = _load()
