"""docs/cli.md is generated from the parser's --help and must list every flag of every command.

Regenerate after changing a flag or help text:  python tests/demo/test_cli_doc.py
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "cli.md"

HEADER = """\
# Command line reference

Generated from `launchready --help` (`python tests/demo/test_cli_doc.py` regenerates it; a
test fails when a flag is missing here). Every subcommand takes the common options
(`--config`, `-q`, `-v`, `--color`, `--version`); those that produce a report (all but
`rules`, `init`, `baseline` and `install-hook`) also take the report options (`--json`,
`--sarif`, `--junit`, `--html`, `--github`, `--fail-on`, `--exit-zero`, `--errors-ok`,
`--baseline`). `live --dry-run`, `email --dry-run` and `journey --dry-run` write no report and
refuse them.

Exit codes: 0 clean, 1 findings or failed checks at or above `--fail-on` (or a check that
ended in `error`), 2 usage or configuration error, 3 internal error (130 when interrupted by
Ctrl-C, 143 when stopped by SIGTERM; either way everything launchready started is stopped).
launchready sends no telemetry; only `live`, `email` (and `demo`, on loopback) use the network.
"""


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def render() -> str:
    os.environ["COLUMNS"] = "100"
    from launchready.cli import build_parser

    parser = build_parser()
    parts = [HEADER, "## `launchready`\n", "```text\n" + parser.format_help() + "```\n"]
    for name, sub in sorted(_subparsers(parser).items()):
        parts.append(f"## `launchready {name}`\n")
        parts.append("```text\n" + sub.format_help().replace("\n\n\n", "\n\n") + "```\n")
    return "\n".join(parts)


def test_every_flag_is_documented() -> None:
    from launchready.cli import build_parser

    doc = DOC.read_text(encoding="utf-8")
    for name, sub in _subparsers(build_parser()).items():
        assert f"## `launchready {name}`" in doc, f"{name}: run python tests/demo/test_cli_doc.py"
        for action in sub._actions:
            for opt in action.option_strings:
                assert opt in doc, f"launchready {name} {opt}: run python tests/demo/test_cli_doc.py"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
