"""``history.early``: the console command starts a whole-history scan's git processes before
it loads the rest of launchready; the scan takes them over only when they are exactly what it
would start, and otherwise they are stopped. Either way the report is the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import commit_file, git
from tests.history.test_history import fast_import_repo

from launchready.commands.history import HistoryRequest, history
from launchready.config import Config
from launchready.demo.keygen import KeyGen
from launchready.history import early
from launchready.history.prefetch import PARALLEL_MIN_COMMITS

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="setpriv, /proc")


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        (["history"], (".", None)),
        (["history", "--all"], (".", None)),
        (["history", "--repo", "app", "--jobs", "2"], ("app", 2)),
        (["history", "--repo=app", "--jobs=1", "-q"], ("app", 1)),
        (["history", "--json", "out.json", "--sarif", "s.sarif", "--github", "--fail-on", "low", "-v"], (".", None)),
        (["history", "--config", "c.yml", "--baseline", "b.json", "--color", "never", "--exit-zero"], (".", None)),
    ],
)
def test_a_whole_history_is_recognised(argv: list[str], wanted: tuple[str, int | None]) -> None:
    assert early.whole_history(argv) == wanted


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["scan"],
        ["--version"],
        ["history", "--range", "a..b"],
        ["history", "--since-commit", "HEAD~3"],
        ["history", "--branch=main"],
        ["history", "--rep", "app"],  # argparse's abbreviation: left to argparse
        ["history", "-vv"],
        ["history", "--jobs", "0"],
        ["history", "--jobs", "two"],
        ["history", "--repo"],
        ["history", "--all=yes"],
        ["history", "--", "--all"],
        ["history", "extra"],
    ],
)
def test_anything_else_starts_nothing(argv: list[str], tmp_path: Path) -> None:
    assert early.whole_history(argv) is None
    assert early.start(argv, str(tmp_path)) is None


def _findings(report: object) -> list[tuple[str, str, int | None, str]]:
    return sorted((f.rule_id, f.path, f.line, f.fingerprint) for f in report.findings)  # type: ignore[attr-defined]


def _long_repo(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "long"
    repo.mkdir()
    token = KeyGen(5).stripe_secret()
    fast_import_repo(repo, PARALLEL_MIN_COMMITS + 100, {7: token, PARALLEL_MIN_COMMITS + 50: token})
    return repo, token


def _all_stopped(logs: list[subprocess.Popen[bytes] | None]) -> bool:
    return all(p is None or p.returncode is not None for p in logs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_scan_takes_over_what_started_early(tmp_path: Path, jobs: int) -> None:
    repo, _ = _long_repo(tmp_path)
    logs = early.start(["history", "--jobs", str(jobs)], str(repo))
    assert logs is not None and logs.front is not None
    assert (logs.back is not None) == (jobs == 2) and (logs.refs is not None) == (jobs == 2)
    started = [logs.front, logs.back, logs.refs]
    request = HistoryRequest(repo=str(repo), jobs=jobs)
    report = history(request, Config(), early=logs)
    assert logs.taken and logs.front is None and logs.back is None and logs.refs is None
    assert _all_stopped(started)  # reaped by the scan
    assert _findings(report) == _findings(history(request, Config()))
    assert len(report.findings) == 1


def test_what_the_scan_would_not_start_is_stopped(tmp_path: Path) -> None:
    """Started for every ref, asked for one branch: other commands, so nothing is taken."""
    repo, _ = _long_repo(tmp_path)
    logs = early.start(["history"], str(repo))
    assert logs is not None
    started = [logs.front, logs.back, logs.refs]
    assert logs.take(repo, ("main",), 2) is None
    request = HistoryRequest(repo=str(repo), branch="main", jobs=2)
    report = history(request, Config(), early=logs)
    assert _all_stopped(started) and not logs.taken and logs.front is None
    assert _findings(report) == _findings(history(request, Config()))


def test_a_history_without_commits_stops_them(repo: Path) -> None:
    logs = early.start(["history"], str(repo))
    assert logs is not None
    started = [logs.front, logs.back, logs.refs]
    report = history(HistoryRequest(repo=str(repo)), Config(), early=logs)
    assert _all_stopped(started) and not logs.taken and report.findings == []


def test_a_failing_command_stops_them(repo: Path) -> None:
    commit_file(repo, "a.txt", "a\n")
    logs = early.start(["history"], str(repo))
    assert logs is not None
    started = [logs.front, logs.back, logs.refs]
    with pytest.raises(Exception, match="--jobs"):
        history(HistoryRequest(repo=str(repo), jobs=0), Config(), early=logs)
    assert _all_stopped(started)


def test_a_process_that_cannot_start_leaves_it_to_the_cli(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second log fails to start: the first is stopped, and the CLI goes on without."""
    commit_file(repo, "a.txt", "a\n")
    started: list[subprocess.Popen[bytes]] = []
    real = early.start_log

    def start_log(cmd: list[str], die_with_parent: bool = False) -> subprocess.Popen[bytes]:
        if started:
            raise OSError("Resource temporarily unavailable")
        started.append(real(cmd, die_with_parent=die_with_parent))
        return started[-1]

    monkeypatch.setattr(early, "start_log", start_log)
    monkeypatch.setenv("LAUNCHREADY_JOBS", "2")
    assert early.start(["history"], str(repo)) is None
    assert started and _all_stopped(list(started))


def test_bare_mirrors_and_non_repositories_are_left_to_the_cli(repo: Path, tmp_path: Path) -> None:
    commit_file(repo, "a.txt", "a\n")
    mirror = tmp_path / "mirror.git"
    git(tmp_path, "clone", "-q", "--mirror", str(repo), str(mirror))
    assert early.start(["history"], str(mirror)) is None
    assert early.start(["history"], str(tmp_path / "missing")) is None
    (tmp_path / "plain").mkdir()
    assert early.start(["history"], str(tmp_path / "plain")) is None


def test_it_loads_almost_nothing(repo: Path) -> None:
    """What starts the logs imports no scanner, no CLI and not even ``typing``: the point is to
    start git before those load."""
    commit_file(repo, "a.txt", "a\n")
    code = (
        "import sys, json; from launchready.history import early; "
        f"logs = early.start(['history'], {str(repo)!r}); "
        "mods = sorted(m for m in sys.modules if m.startswith('launchready') or m == 'typing'); "
        "logs.discard(); print(json.dumps(mods))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [
        "launchready",
        "launchready.history",
        "launchready.history.early",
        "launchready.history.logproc",
        "launchready.procs",
    ]


def test_the_console_command_reports_the_same(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """``python -m launchready`` (the console command's path, with the early start) against
    the CLI called in-process (without it): the same findings."""
    repo, _ = _long_repo(tmp_path)
    out = tmp_path / "early.json"
    subprocess.run(
        [sys.executable, "-m", "launchready", "history", "-q", "--json", str(out)], cwd=repo, check=False, timeout=120
    )
    res = run_cli(["history", "-q", "--json", str(tmp_path / "plain.json")], repo)
    assert res.code == 1
    first, second = (json.loads((tmp_path / n).read_text())["findings"] for n in ("early.json", "plain.json"))
    assert [f["fingerprint"] for f in first] == [f["fingerprint"] for f in second] and len(first) == 1
