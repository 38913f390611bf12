"""The rest of the commands as library functions (docs/library.md): merge, audit, inventory,
rules, init, baseline, install-hook, and the Action and the demo, each called directly with
its request on real git repositories made here, as a user's program would."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import stat
from pathlib import Path

import pytest
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen
from launchready.errors import UsageError


def _repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    return path


@pytest.fixture
def leaked(tmp_path: Path) -> tuple[Path, str]:
    """A repository whose history leaked a Stripe key that HEAD no longer has."""
    repo = _repo(tmp_path / "api")
    key = KeyGen(31).stripe_secret()
    commit_file(repo, "settings.py", f"STRIPE_KEY = '{key}'\n", "add settings")
    commit_file(repo, "settings.py", "import os\nSTRIPE_KEY = os.environ['STRIPE_KEY']\n", "read it from the env")
    return repo, key


def test_merge_report_files_joins_reports_and_lists_the_missing(
    leaked: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from launchready import (
        HistoryRequest,
        MergeRequest,
        Options,
        OutputSpec,
        Status,
        merge_report_files,
        scan_history,
        write_outputs,
        write_step_summary,
    )

    monkeypatch.setenv("LAUNCHREADY_FINGERPRINT_KEY", "library-merge-test")
    repo, key = leaked
    clean = _repo(tmp_path / "docs")
    commit_file(clean, "README.md", "# docs\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, where in (("api", repo), ("docs", clean)):
        part = scan_history(HistoryRequest(all=True, cwd=where))
        write_outputs(part, OutputSpec(json=f"reports/{name}.json", text=False, base=tmp_path), io.StringIO())
    (tmp_path / "expected.txt").write_text("api\n# a comment\nbilling\n")
    merged = merge_report_files(MergeRequest(["reports"], expect=["docs"], expect_file="expected.txt", cwd=tmp_path))
    assert merged.command == "merge" and merged.repositories == ["api", "docs", "billing"]
    scanned = {c.target: c.status for c in merged.checks if c.id == "audit.scanned"}
    assert scanned == {"api": Status.PASS, "docs": Status.PASS, "billing": Status.ERROR}
    [stripe] = [f for f in merged.findings if f.rule_id == "secret.stripe-secret-key"]
    assert [(loc.repository, loc.present_at_head) for loc in stripe.locations] == [("api", False)]
    summary = tmp_path / "summary.md"
    write_step_summary(merged, "summary.md", Options(), tmp_path)
    write_step_summary(merged, "summary.md", Options(), tmp_path)  # appends, as GitHub's file expects
    text = summary.read_text()
    assert text.count("billing") >= 2 and key not in text
    with pytest.raises(UsageError, match="no such report file or directory"):
        merge_report_files(MergeRequest(["nowhere.json"], cwd=tmp_path))
    with pytest.raises(UsageError, match=r"--expect-file missing\.txt"):
        merge_report_files(MergeRequest(["reports"], expect_file="missing.txt", cwd=tmp_path))


def test_audit_mirrors_scans_each_bare_repository(leaked: tuple[Path, str], tmp_path: Path) -> None:
    from launchready import AuditRequest, Console, audit_mirrors

    repo, key = leaked
    mirrors = tmp_path / "mirrors"
    git(tmp_path, "clone", "-q", "--mirror", str(repo), str(mirrors / "api.git"))
    err = io.StringIO()
    report = audit_mirrors(AuditRequest("mirrors", jobs=1, cwd=tmp_path), Console(io.StringIO(), err))
    assert report.command == "audit" and report.repositories == ["api"]
    assert report.root == str(mirrors.resolve())
    assert [f.rule_id for f in report.findings if f.category == "secret"] == ["secret.stripe-secret-key"]
    assert err.getvalue() == ""  # progress only on a terminal
    assert key not in repr(report)
    with pytest.raises(UsageError, match="no bare repositories found"):
        audit_mirrors(AuditRequest(".", cwd=repo))
    with pytest.raises(UsageError, match="--jobs: expected at least 1"):
        audit_mirrors(AuditRequest("mirrors", jobs=0, cwd=tmp_path))


def test_take_inventory_lists_variables_and_writes_the_handover(leaked: tuple[Path, str]) -> None:
    from launchready import InventoryRequest, load_config, take_inventory

    repo, key = leaked
    (repo / ".gitignore").write_text(".env*\n")
    token = KeyGen(32).openai_project()
    (repo / ".env").write_text(f"STRIPE_KEY={key}\nOPENAI_API_KEY={token}\n")
    commit_file(repo, "app.py", "import os\nimport openai\nopenai.api_key = os.environ['OPENAI_API_KEY']\n", "ai")
    report = take_inventory(InventoryRequest(markdown="HANDOVER.md", cwd=repo), load_config(None, repo))
    assert report.command == "inventory" and report.inventory is not None
    names = {v["name"] for v in report.inventory["variables"]}
    assert {"STRIPE_KEY", "OPENAI_API_KEY"} <= names
    handover = (repo / "HANDOVER.md").read_text()
    assert "STRIPE_KEY" in handover and "rotate" in handover.lower()
    assert key not in handover and token not in handover
    assert key not in json.dumps(report.inventory) and token not in json.dumps(report.inventory)
    quick = take_inventory(InventoryRequest(history=False, cwd=repo))
    assert any("history not scanned (--no-history)" in n for n in quick.notes)
    assert not (repo / "HANDOVER2.md").exists()
    with pytest.raises(UsageError, match="not a directory"):
        take_inventory(InventoryRequest("settings.py", cwd=repo))


def test_describe_rules_lists_and_explains(tmp_path: Path) -> None:
    from launchready import Config, RulesRequest, describe_rules

    listing = describe_rules(RulesRequest())
    ids = {line.split()[0] for line in listing.splitlines()}
    assert {"secret.stripe-secret-key", "env.file-not-ignored", "history.objects"} <= ids
    explained = describe_rules(RulesRequest("explain", "stripe-secret-key"))
    assert explained.startswith("secret.stripe-secret-key\n") and "  fix:" in explained
    disabled = describe_rules(RulesRequest(), Config(disabled_rules={"secret.stripe-secret-key"}))
    assert "secret.stripe-secret-key" not in {line.split()[0] for line in disabled.splitlines()}
    with pytest.raises(UsageError, match="unknown rule id"):
        describe_rules(RulesRequest("explain", "no-such-rule"))
    with pytest.raises(UsageError, match="needs a rule id"):
        describe_rules(RulesRequest("explain"))


def test_init_repo_plans_then_writes_then_changes_nothing(tmp_path: Path) -> None:
    from launchready import InitRequest, init_repo

    repo = _repo(tmp_path / "site")
    (repo / "package.json").write_text(json.dumps({"dependencies": {"next": "14.2.0"}}))
    sub = repo / "src"
    sub.mkdir()
    planned = init_repo(InitRequest(dry_run=True, hooks="published", cwd=sub))
    assert planned.root == repo and planned.dry_run and not planned.local
    assert [s.name for s in planned.stacks] == ["Next.js"]
    assert {c.path: c.action for c in planned.changes} == {
        ".launchready.yml": "create",
        ".pre-commit-config.yaml": "create",
        ".github/workflows/launchready.yml": "create",
        ".gitignore": "create",
    }
    assert not (repo / ".launchready.yml").exists()  # a dry run writes nothing
    done = init_repo(InitRequest(hooks="local", gitignore=False, cwd=repo))
    assert done.local and ".gitignore" not in {c.path for c in done.changes}
    for change in done.changes:
        assert (repo / change.path).read_text() == change.new
    assert "language: system" in (repo / ".pre-commit-config.yaml").read_text()
    again = init_repo(InitRequest(hooks="local", gitignore=False, cwd=repo))
    assert {c.action for c in again.changes} == {"unchanged"}


def test_write_baseline_creates_updates_and_silences(tmp_path: Path) -> None:
    from launchready import BaselineRequest, ScanRequest, scan, write_baseline

    repo = _repo(tmp_path / "app")
    kg = KeyGen(33)
    first, second = kg.stripe_secret(), kg.github_classic()
    commit_file(repo, "config.py", f"STRIPE = '{first}'\n", "config")
    created = write_baseline(BaselineRequest("create", cwd=repo))
    assert created.action == "create" and created.added == 1 and created.total == 1 and not created.replaced
    assert created.path == repo / ".launchready-baseline.json" and created.shown == ".launchready-baseline.json"
    assert first not in created.path.read_text()
    assert not [f for f in scan(ScanRequest(cwd=repo)).findings if f.category == "secret"]
    commit_file(repo, "deploy.sh", f"export GITHUB_TOKEN={second}\n", "deploy")
    assert [f.rule_id for f in scan(ScanRequest(cwd=repo)).findings if f.category == "secret"] == [
        "secret.github-pat-classic"
    ]
    (repo / "config.py").write_text("import os\nSTRIPE = os.environ['STRIPE']\n")
    updated = write_baseline(BaselineRequest("update", prune=True, cwd=repo))
    assert (updated.action, updated.added, updated.pruned, updated.total) == ("update", 1, 1, 1)
    assert not [f for f in scan(ScanRequest(cwd=repo)).findings if f.category == "secret"]
    elsewhere = write_baseline(BaselineRequest("create", baseline="known.json", cwd=repo))
    assert elsewhere.path == repo / "known.json" and elsewhere.added == 1
    with pytest.raises(UsageError, match=r"no baseline at nothing\.json to update"):
        write_baseline(BaselineRequest("update", baseline="nothing.json", cwd=repo))
    with pytest.raises(UsageError, match="baseline import takes one file"):
        write_baseline(BaselineRequest("import", cwd=repo))


def test_install_hook_installs_updates_chains_and_refuses(tmp_path: Path) -> None:
    from launchready import InstallHookRequest, install_hook

    repo = _repo(tmp_path / "app")
    hooks = repo / ".git" / "hooks"
    done = install_hook(InstallHookRequest(cwd=repo))
    assert (done.how, done.path, done.shown) == ("installed", hooks / "pre-commit", ".git/hooks/pre-commit")
    assert done.path.stat().st_mode & stat.S_IXUSR and "launchready-hook v1" in done.path.read_text()
    assert install_hook(InstallHookRequest(cwd=repo)).how == "updated"
    done.path.write_text("#!/bin/sh\necho theirs\n")
    with pytest.raises(UsageError, match="not launchready's; nothing changed"):
        install_hook(InstallHookRequest(cwd=repo))
    assert done.path.read_text() == "#!/bin/sh\necho theirs\n"
    with pytest.raises(UsageError, match="cannot be used together"):
        install_hook(InstallHookRequest(chain=True, force=True, cwd=repo))
    chained = install_hook(InstallHookRequest(chain=True, cwd=repo))
    assert chained.how == "chained" and (hooks / "pre-commit.launchready-chained").read_text().endswith("theirs\n")
    assert "previous hook now runs first" in chained.message
    with pytest.raises(UsageError, match="needs a git work tree"):
        install_hook(InstallHookRequest(cwd=tmp_path))


def test_the_action_as_a_function_publishes_and_returns_its_threshold(leaked: tuple[Path, str], tmp_path: Path) -> None:
    from launchready.commands import Console
    from launchready.commands.action import ActionRequest, action
    from launchready.model import Severity

    repo, key = leaked
    event = tmp_path / "event.json"
    event.write_text("{}")
    files = tmp_path / "files"
    files.mkdir()
    environ = {
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_OUTPUT": str(files / "output"),
        "GITHUB_STEP_SUMMARY": str(files / "summary"),
        "INPUT_MODE": "history",
        "INPUT_FAIL_ON": "critical",
        "INPUT_JSON_PATH": "out/report.json",
    }
    before = dict(os.environ)
    out = io.StringIO()
    done = action(ActionRequest(environ=environ, cwd=tmp_path), Console(out, io.StringIO()))
    assert dict(os.environ) == before  # read from the request, never from or into the process
    assert done.fail_on is Severity.CRITICAL
    assert [f.rule_id for f in done.report.findings] == ["secret.stripe-secret-key"]
    assert "::error " in out.getvalue() and key not in out.getvalue()
    assert "findings=1" in (files / "output").read_text()
    assert json.loads((repo / "out" / "report.json").read_text())["command"] == "action"


def test_the_demo_as_a_function(tmp_path: Path) -> None:
    from launchready.commands import Console
    from launchready.commands.demo import DemoRequest, demo
    from launchready.model import Severity
    from launchready.verdict import exit_code

    err = io.StringIO()
    seen: list[str] = []
    finished = demo(
        DemoRequest(fixed=True, out="reports", cwd=tmp_path),
        console=Console(io.StringIO(), err),
        serve=lambda run: seen.append(run.endpoints.base_url if run.endpoints else ""),
    )
    assert not finished.failed and finished.fixed
    assert exit_code(finished.report, Severity.HIGH) == 0
    assert seen and seen[0].startswith("https://")  # called while the deployment was up
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "junit.xml",
        "report.html",
        "report.json",
        "results.sarif",
    ]
    assert "nothing leaves this machine" in err.getvalue()


def test_an_adapter_gets_a_read_only_context(tmp_path: Path) -> None:
    import argparse

    from launchready.commands import Context, Outcome
    from launchready.config import Config

    ctx = Context(argparse.Namespace(), Config(), tmp_path, io.StringIO(), io.StringIO())
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.cwd = Path("/")  # type: ignore[misc]
    assert {f.name for f in dataclasses.fields(Context)} == {"args", "config", "cwd", "stdout", "stderr", "early"}
    assert Outcome() == Outcome(None, 0, None, None)
