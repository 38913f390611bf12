"""Report options are offered only where a report is written: a flag that would do nothing is
a usage error, not silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchready.cli import build_parser
from launchready.commands import COMMANDS, REPORTLESS

REPORT_OPTIONS = ["--json", "--sarif", "--junit", "--html", "--github", "--fail-on", "--exit-zero", "--errors-ok"]


def _options(command: str) -> set[str]:
    parser = build_parser(command)
    sub = next(a for a in parser._actions if a.dest == "command")
    return {s for action in sub.choices[command]._actions for s in action.option_strings}  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", sorted(REPORTLESS))
def test_commands_without_a_report_do_not_offer_report_options(command: str, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    offered = _options(command)
    assert not offered & set(REPORT_OPTIONS), offered
    assert {"--config", "--quiet", "--verbose", "--color"} <= offered
    valid = {"rules": ["list"], "baseline": ["create"]}.get(command, [])
    res = run_cli([command, *valid, "--json=out.json"], tmp_path)
    assert res.code == 2 and "unrecognized arguments: --json" in res.err
    assert not (tmp_path / "out.json").exists()


def test_baseline_keeps_its_own_baseline_option() -> None:
    """For `baseline` the flag names the file it writes: it does something there."""
    assert "--baseline" in _options("baseline") and "--baseline" not in _options("rules")


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - REPORTLESS))
def test_commands_with_a_report_offer_every_report_option(command: str) -> None:
    assert set(REPORT_OPTIONS) | {"--baseline"} <= _options(command)


@pytest.mark.parametrize(
    ("argv", "flags"),
    [
        (["live", "--dry-run", "--url", "https://127.0.0.1:9/", "--json", "out.json"], "--json"),
        (
            ["live", "--dry-run", "--url", "https://127.0.0.1:9/", "--sarif", "s.sarif", "--exit-zero"],
            "--sarif, --exit-zero",
        ),
        (["email", "example.test", "--dry-run", "--github"], "--github"),
        (["email", "example.test", "--dry-run", "--fail-on", "low"], "--fail-on"),
    ],
)
def test_dry_runs_refuse_report_options(argv: list[str], flags: str, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(argv, tmp_path)
    mode = f"{argv[0]} --dry-run"
    assert res.code == 2, res.err
    assert f"launchready: error: {mode} writes no report: {flags} cannot be used with it" in res.err
    assert res.out == "" and not (tmp_path / "out.json").exists()


def test_dry_runs_without_report_options_still_plan(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["live", "--dry-run", "--url", "https://127.0.0.1:9/"], tmp_path)
    assert res.code == 0 and "none sent" in res.out
