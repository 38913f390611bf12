"""Errors that map to the contract's exit codes. Only cli.py turns them into exits."""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class UsageError(Exception):
    """Bad flags, a broken config file, a missing ref: exit 2 with this message."""


class ConfigError(UsageError):
    """A configuration file is invalid. The message names file, line and key."""

    def __init__(self, path: str, line: int | None, key: str | None, problem: str) -> None:
        where = f"{path}:{line}" if line else path
        what = f" {key}:" if key else ""
        super().__init__(f"{where}:{what} {problem}")
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem
