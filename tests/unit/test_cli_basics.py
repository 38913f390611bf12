from __future__ import annotations

import json
from pathlib import Path

from launchready.demo.keygen import KeyGen


def test_scan_finds_and_redacts(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    key = KeyGen(7).openai_project()
    (repo / "app.py").write_text(f'OPENAI_API_KEY = "{key}"\n')
    res = run_cli(["scan", "--json", "-"], repo)
    assert res.code == 1
    assert key not in res.out and key[10:30] not in res.out
    data = json.loads(res.out)
    [f] = data["findings"]
    assert f["rule_id"] == "secret.openai-project-key"
    assert (f["path"], f["line"], f["column"]) == ("app.py", 1, 19)
    assert f["secret"].startswith("sk-proj-…")


def test_clean_repo_exits_zero(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "app.py").write_text('import os\nKEY = os.environ["OPENAI_API_KEY"]\n')
    res = run_cli(["scan"], repo)
    assert res.code == 0, res.out
    assert "OK:" in res.out


def test_broken_config_names_file_line_key(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (repo / ".launchready.yml").write_text("version: 1\nrules:\n  disable: [a]\n  bogus: 1\n")
    res = run_cli(["scan"], repo)
    assert res.code == 2
    assert ".launchready.yml:4" in res.err and "rules.bogus" in res.err


def test_usage_error_exit_2(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["scan", "--fail-on", "nope"], repo)
    assert res.code == 2


def test_version_loads_no_command() -> None:
    """``launchready --version`` answers without importing the commands (the live and email
    stacks took ~0.5 s); with a command it is that command's parser that answers."""
    import subprocess
    import sys

    from launchready import __version__

    probe = (
        "import sys\nfrom launchready import cli\ntry:\n    code = cli.main(sys.argv[1:])\n"
        "except SystemExit as stop:\n    code = stop.code\n"
        "print('|', code, sorted(m for m in sys.modules if m.startswith(('launchready.live', 'launchready.email', 'launchready.commands.'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, "--version"], capture_output=True, text=True, check=False)
    assert out.stdout.startswith(f"launchready {__version__}\n"), out
    assert out.stdout.rstrip().endswith("| 0 []"), out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "launchready", "scan", "--version"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0 and out.stdout == f"launchready {__version__}\n"
