"""Static launch checks read from code and config (rule ids ``repo.*``).

Two entry points, called by the scan pipeline:
- ``checks_for_file(path, text)``: per-file rules (run in the staged hook too);
- ``checks_for_app(files)``: whole-application rules (``scan`` and the Action only).
"""

from __future__ import annotations

from collections.abc import Sequence

from launchready.model import Finding


def checks_for_file(path: str, text: str) -> list[Finding]:
    return []


def checks_for_app(files: Sequence[tuple[str, str]]) -> list[Finding]:
    return []
