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


def test_the_examples_in_docs_library_md_run(
    leaky_repo: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every python block of docs/library.md, in order, on a real repository (its
    ``path/to/app``) from a directory holding a report to merge: the documented API exists
    and does what the comments say."""
    import re

    from launchready import HistoryRequest, OutputSpec, scan_history, write_outputs

    repo, key = leaky_repo
    doc = (Path(__file__).resolve().parents[2] / "docs" / "library.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    assert len(blocks) >= 3
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    past = scan_history(HistoryRequest(all=True, cwd=repo))
    write_outputs(past, OutputSpec(json="reports/app.json", text=False), io.StringIO())
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block.replace("path/to/app", str(repo)), "docs/library.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "secret.stripe-secret-key" in out and "2 commits, 1 secrets in history" in out
    assert "exit code the CLI would give: 0" in out  # the tree no longer holds the key
    assert (tmp_path / "report.json").is_file() and (tmp_path / "summary.md").is_file()
    assert (repo / ".git" / "hooks" / "pre-commit").is_file() and (repo / ".launchready-baseline.json").is_file()
    assert not (repo / ".launchready.yml").exists()  # init was a dry run
    assert key not in out + (tmp_path / "summary.md").read_text()


def test_a_baseline_written_by_the_command_line_silences_the_library_too(leaky_repo: tuple[Path, str]) -> None:
    """Fingerprints are salted like the baseline the call applies, in a fresh process (no
    command line ran first to pick the salt) and for each request anew."""
    repo, key = leaky_repo
    (repo / "old.py").write_text(f"STRIPE = '{key}'\n")
    created = subprocess.run(
        [sys.executable, "-m", "launchready", "baseline", "create"], cwd=repo, capture_output=True, text=True
    )
    assert created.returncode == 0, created.stderr
    other = repo.parent / "other"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    commit_file(other, "conf.py", f"STRIPE = '{key}'\n", "leak")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from launchready import HistoryRequest, ScanRequest, scan, scan_history\n"
        "repo, other = Path(sys.argv[1]), Path(sys.argv[2])\n"
        "print(len(scan(ScanRequest(cwd=other)).findings), len(scan(ScanRequest(cwd=repo)).findings),\n"
        "      len(scan_history(HistoryRequest(all=True, cwd=repo)).findings),\n"
        "      len(scan_history(HistoryRequest(str(repo), all=True, cwd=other)).findings))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(repo), str(other)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    # the other repository has no baseline; this one's baseline holds the key in the tree
    # and (same fingerprint) in history, also when history is asked for it from elsewhere
    assert out.stdout.split() == ["1", "0", "0", "0"]
