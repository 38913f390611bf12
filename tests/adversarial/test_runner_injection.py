"""Workflow-command injection: repository data printed on stdout/stderr must never become a
line GitHub's runner reads as a command (``::add-mask::``, ``::stop-commands::``, ``::error``),
nor carry terminal escape sequences. Reproduced through the real CLI and the Action."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.action.helpers import head, new_origin
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen
from launchready.printable import safe

from .drive import Runner, action, pr_payload, workflow_commands  # noqa: F401

pytestmark = pytest.mark.timeout(120)

INJECTED = "\n::error file=x.py,line=1::forged by the repository\n::add-mask::everything\n::stop-commands::tok\n"


def test_file_name_with_newline_and_commands_in_scan_output(run_cli, tmp_path: Path) -> None:
    kg = KeyGen(1101)
    name = f"a{INJECTED}\x1b]0;owned\x07\x1b[2Jb.py"
    (tmp_path / name).write_text(f"KEY = '{kg.stripe_secret()}'\n")
    res = run_cli(["scan", ".", "-v", "--color", "always"], tmp_path)
    assert res.code == 1, res.err
    assert workflow_commands(res.out + res.err) == []
    assert "\x1b]" not in res.out and "\x1b[2J" not in res.out  # only our own colour codes
    assert "::error file=x.py" in res.out  # shown, as text inside a line


def test_commit_author_and_message_with_cr_in_history_output(run_cli, repo: Path) -> None:
    kg = KeyGen(1102)
    path = repo / "k.py"
    path.write_text(f"KEY = '{kg.stripe_secret()}'\n")
    git(repo, "add", "k.py")
    git(
        repo,
        "commit",
        "-q",
        "--author",
        "Eve\r::error::forged author <e@x.invalid>",
        "-m",
        "m\r::add-mask::x\n::error::forged message",
    )
    res = run_cli(["history", "--all", "-v", "--json", "r.json"], repo)
    assert res.code == 1, res.err
    [f] = json.loads((repo / "r.json").read_text())["findings"]
    assert "forged author" in f["author"]  # the data reached the report...
    assert workflow_commands(res.out + res.err) == []  # ...and no printed line obeys it


def test_custom_rule_id_description_and_fix_in_every_listing(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".launchready.yml").write_text(
        json.dumps(
            {
                "version": 1,
                "rules": {
                    "custom": [
                        {
                            "id": "x\n::error::forged rule id",
                            "regex": "ACME_[0-9]{12}",
                            "keywords": ["acme_"],
                            "description": "d\n::add-mask::all",
                            "fix": "\r::stop-commands::t",
                        }
                    ]
                },
            }
        )
    )
    (tmp_path / "app.py").write_text("T = 'ACME_123456789012'\n")
    for args in (["scan", "."], ["rules", "list"], ["rules", "explain", "x\n::error::forged rule id"]):
        res = run_cli(args, tmp_path)
        assert res.code in (0, 1), (args, res.err)
        assert workflow_commands(res.out + res.err) == [], args


def test_config_key_echoed_in_an_error(run_cli, tmp_path: Path) -> None:
    (tmp_path / ".launchready.yml").write_text(json.dumps({"version": 1, "\n::add-mask::x\r::error::forged key": 1}))
    res = run_cli(["scan", "."], tmp_path)
    assert res.code == 2
    assert "forged key" in res.err and workflow_commands(res.out + res.err) == []


def test_action_prints_only_its_own_annotations(action: Runner, tmp_path: Path) -> None:  # noqa: F811
    kg = KeyGen(1103)
    origin = new_origin(tmp_path / "origin")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    (origin / ".launchready.yml").write_text(
        json.dumps({"version": 1, "exclude": ["\n::add-mask::x\n::error::forged"]})
    )
    git(origin, "add", ".launchready.yml")
    git(origin, "commit", "-q", "--author", "Eve\r::error::forged author <e@x.invalid>", "-m", "config")
    tip = commit_file(origin, "pay.py", f"KEY = '{kg.stripe_secret()}'\n", "m\n::add-mask::x")
    ws = tmp_path / "ws"
    git(tmp_path, "clone", "-q", "--branch", "feature", f"file://{origin}", str(ws))
    r = action(ws, "pull_request", pr_payload(base, tip, 2))
    assert r.code == 1, r.err
    commands = workflow_commands(r.out + r.err)
    assert commands and all(c.startswith("::error file=pay.py,") for c in commands), commands
    assert "forged" not in "".join(commands)


@pytest.mark.parametrize(
    "text",
    [
        "\n::error::x",
        "  ::add-mask::x",
        "\u2028::error::x",
        "a\r::error::x",
        "x ##[set-output name=a;]b",
        "\x1b[31mred",
        "\x9b31m",
        "\u202etxt.exe",
        "::stop-commands::t",
    ],
)
def test_safe_leaves_nothing_a_runner_or_terminal_obeys(text: str) -> None:
    out = safe(text)
    assert workflow_commands(out) == [] and "\x1b" not in out and "\x9b" not in out and "\u202e" not in out


def test_safe_keeps_ordinary_text() -> None:
    for text in ("http://[::1]:8080/a", "src/app.py:12:3", "naïve — ok\ttab", "a::b"):
        assert safe(text) == text
