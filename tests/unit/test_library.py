"""launchready as a library (docs/library.md): the commands are functions of a request."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen


@pytest.fixture
def leaky_repo(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "app"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    key = KeyGen(21).stripe_secret()
    commit_file(repo, "settings.py", f"STRIPE_KEY = '{key}'\n", "add settings")
    commit_file(
        repo, "settings.py", "import os\nSTRIPE_KEY = os.environ['STRIPE_KEY']\n", "read it from the environment"
    )
    return repo, key


def test_scan_and_history_as_functions(leaky_repo: tuple[Path, str], tmp_path: Path) -> None:
    from launchready import (
        HistoryRequest,
        Options,
        OutputSpec,
        ScanRequest,
        Severity,
        combine_reports,
        exit_code,
        load_config,
        scan,
        scan_history,
        write_outputs,
    )

    repo, key = leaky_repo
    config = load_config(None, repo)
    tree = scan(ScanRequest(paths=["."], cwd=repo), config)
    assert tree.command == "scan" and not [f for f in tree.findings if f.category == "secret"]
    past = scan_history(HistoryRequest(all=True, cwd=repo), config)
    assert past.summary.commits_scanned == 2
    [found] = [f for f in past.findings if f.rule_id == "secret.stripe-secret-key"]
    assert found.path == "settings.py" and found.present_at_head is False and key not in repr(found)
    assert exit_code(past, Severity.HIGH) == 1
    both = combine_reports("library", str(repo), tree=[tree], history=[past])
    assert [f.rule_id for f in both.findings if f.category == "secret"] == ["secret.stripe-secret-key"]
    out = tmp_path / "r.json"
    write_outputs(past, OutputSpec(Options(), json=str(out), text=False), io.StringIO())
    assert json.loads(out.read_text())["findings"][0]["rule_id"] == "secret.stripe-secret-key"
    assert key not in out.read_text()


def test_a_request_never_changes_the_process(leaky_repo: tuple[Path, str]) -> None:
    """No chdir, no environment edits: the request carries where and with what."""
    import os

    from launchready import ScanRequest, scan

    repo, _ = leaky_repo
    before = (Path.cwd(), dict(os.environ))
    scan(ScanRequest(paths=["settings.py"], cwd=repo))
    assert (Path.cwd(), dict(os.environ)) == before


def test_importing_launchready_loads_no_command() -> None:
    code = "import sys, launchready; print(sorted(m for m in sys.modules if m.startswith('launchready.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_exported_name_resolves() -> None:
    import launchready

    for name in launchready.__all__:
        assert getattr(launchready, name) is not None, name
    with pytest.raises(AttributeError):
        launchready.no_such_thing  # noqa: B018
